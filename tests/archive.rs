//! `output/arsip/<province>-<year>.zip`: one per year, linked from the year
//! page, the same bytes on rebuild, holding the year's pages with links that
//! resolve inside the archive, the static files and a manifest that matches.

mod common;
use common::{links, read, Fixture};

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Component, Path, PathBuf};

/// The years of the fixture and its district slugs, read from its content.
fn years_and_slugs(f: &Fixture) -> (Vec<String>, Vec<String>) {
    let mut years: Vec<String> = std::fs::read_dir(f.path("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    years.sort();
    let slugs = read(&f.path("content/districts.yaml"))
        .lines()
        .filter_map(|l| l.trim().strip_prefix("slug:"))
        .map(|s| s.trim().to_string())
        .collect();
    (years, slugs)
}

/// The archive of `year` in the output: its name and bytes.
fn archive_of(f: &Fixture, year: &str) -> (String, Vec<u8>) {
    let mut found: Vec<PathBuf> = std::fs::read_dir(f.path("output/arsip"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .ends_with(&format!("-{year}.zip"))
        })
        .collect();
    assert_eq!(found.len(), 1, "one archive for {year}: {found:?}");
    let path = found.pop().unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    (name, std::fs::read(&path).unwrap())
}

/// Every entry of a zip by name.
fn entries(zip: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        out.insert(file.name().unwrap().to_string(), bytes);
    }
    out
}

/// `target` (relative) from the file `page`, as a normalised relative path;
/// `None` when it leaves the archive.
fn resolve(page: &str, target: &str) -> Option<String> {
    let mut parts: Vec<String> = Path::new(page)
        .parent()
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    for c in Path::new(target).components() {
        match c {
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

#[test]
fn each_year_has_an_archive_linked_from_its_page_and_the_same_on_rebuild() {
    let f = Fixture::built();
    let (years, _) = years_and_slugs(&f);
    assert!(years.len() >= 2, "{years:?}");
    let first: Vec<(String, Vec<u8>)> = years.iter().map(|y| archive_of(&f, y)).collect();
    for (year, (name, _)) in years.iter().zip(&first) {
        let page = read(&f.path(&format!("output/{year}/index.html")));
        assert!(page.contains(&format!("arsip/{name}\"")), "{year}: {name}");
        assert!(page.contains("(ZIP, "), "{year}: the size is shown");
    }
    let manifest = read(&f.path("output/manifest.json"));
    for (name, _) in &first {
        assert!(manifest.contains(&format!("\"arsip/{name}\"")), "{name}");
    }
    let run = f.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    for (year, (name, bytes)) in years.iter().zip(&first) {
        let again = archive_of(&f, year);
        assert_eq!(&again.0, name);
        assert!(&again.1 == bytes, "{name} changed on a rebuild");
    }
}

#[test]
fn an_archive_holds_the_year_with_its_manifest_and_links_inside_it() {
    let f = Fixture::built();
    let (years, slugs) = years_and_slugs(&f);
    for year in &years {
        let (name, bytes) = archive_of(&f, year);
        let top = name.trim_end_matches(".zip");
        let all = entries(&bytes);
        // Everything sits in one folder named after the archive.
        let files: BTreeMap<String, Vec<u8>> = all
            .into_iter()
            .map(|(p, b)| {
                let rel = p.strip_prefix(&format!("{top}/")).unwrap_or_else(|| {
                    panic!("{p} is not in {top}/");
                });
                (rel.to_string(), b)
            })
            .collect();
        for needed in [
            format!("{year}/index.html"),
            format!("{year}/praktik-baik/index.html"),
            format!("data/{year}.json"),
            format!("data/{year}.csv"),
            "style.css".to_string(),
            "manifest.json".to_string(),
        ] {
            assert!(files.contains_key(&needed), "{name} lacks {needed}");
        }
        for slug in &slugs {
            let page = format!("{year}/{slug}/index.html");
            assert!(files.contains_key(&page), "{name} lacks {page}");
        }
        // No page of another year, and no page outside the year.
        for path in files.keys() {
            assert!(
                path.starts_with(&format!("{year}/"))
                    || path.starts_with("data/")
                    || !path.contains('/'),
                "{name} holds {path}"
            );
        }

        // The manifest lists every other entry with its hash and size.
        let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
        let listed: BTreeMap<String, (u64, String)> = manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["path"].as_str().unwrap().to_string(),
                    (
                        e["size"].as_u64().unwrap(),
                        e["sha256"].as_str().unwrap().to_string(),
                    ),
                )
            })
            .collect();
        let actual: BTreeMap<String, (u64, String)> = files
            .iter()
            .filter(|(p, _)| *p != "manifest.json")
            .map(|(p, b)| (p.clone(), (b.len() as u64, common::sha256_hex(b))))
            .collect();
        assert_eq!(listed, actual, "{name}: the manifest matches the entries");

        // Every link in the archived pages is absolute, an anchor, or a
        // file inside the archive.
        let mut relative = 0;
        for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
            let html = String::from_utf8(bytes.clone()).unwrap();
            for link in links(&html) {
                if link.starts_with("https://")
                    || link.starts_with("http://")
                    || link.starts_with("mailto:")
                {
                    continue;
                }
                if link.starts_with('#') {
                    continue;
                }
                assert!(!link.starts_with('/'), "{name}/{path}: {link}");
                let file = link.split(['#', '?']).next().unwrap();
                let target = resolve(path, file)
                    .unwrap_or_else(|| panic!("{name}/{path}: {link} leaves the archive"));
                assert!(
                    files.contains_key(&target),
                    "{name}/{path}: {link} ({target}) is not in the archive"
                );
                relative += 1;
            }
            assert!(
                html.contains("style.css\""),
                "{name}/{path} has its stylesheet"
            );
        }
        assert!(relative > 10, "{name}: links were made relative");
        // The archived year page does not link to the archive itself.
        let year_page = String::from_utf8(files[&format!("{year}/index.html")].clone()).unwrap();
        assert!(!year_page.contains(".zip"), "{name}");
    }
}

#[test]
fn an_unpacked_archive_verifies() {
    let f = Fixture::built();
    let (years, _) = years_and_slugs(&f);
    let (name, bytes) = archive_of(&f, &years[0]);
    let into = f.tmp.path().join("unpacked");
    zip::ZipArchive::new(Cursor::new(bytes))
        .unwrap()
        .extract(&into)
        .unwrap();
    let folder = into.join(name.trim_end_matches(".zip"));
    f.rapor_raw(&["verify", folder.to_str().unwrap()]).success();
}
