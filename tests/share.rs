//! Sharing: link-preview tags with absolute addresses, a share picture per
//! district and year page (a 1200×630 PNG, its own for each district, the
//! same bytes on every build), the share row's links, the switch that turns
//! pictures off, and the district list that a search box filters.

mod common;
use common::{read, snapshot, Fixture};

use std::collections::BTreeMap;
use std::path::Path;

const BASE: &str = "https://contoh.example/penilaian/";

/// The `content` of `<meta property|name="{key}" ...>` in `html`, if any.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    let at = html
        .find(&format!("<meta property=\"{key}\" content=\""))
        .or_else(|| html.find(&format!("<meta name=\"{key}\" content=\"")))?;
    let rest = &html[at..];
    let start = rest.find("content=\"")? + "content=\"".len();
    let end = start + rest[start..].find('"')?;
    Some(&rest[start..end])
}

/// Decodes `%XX` escapes.
fn percent_decoded(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() + 1 {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Width, height and pixels (one byte each, palette expanded) of a PNG.
fn decoded_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// The page addresses (`2030/alpha/`) of every district page of the fixture.
fn district_pages(out: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    for year in ["2030", "2031"] {
        for entry in std::fs::read_dir(out.join(year)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.join("index.html").is_file() && name != "praktik-baik" && name != "media" {
                pages.push(format!("{year}/{name}/"));
            }
        }
    }
    pages.sort();
    pages
}

#[test]
fn every_district_page_has_its_own_absolute_share_picture() {
    let site = Fixture::built();
    let out = site.path("output");
    let pages = district_pages(&out);
    assert!(pages.len() >= 8, "{pages:?}");
    let mut pictures: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for page in &pages {
        let html = read(&out.join(page).join("index.html"));
        let address = format!("{BASE}{page}");
        assert_eq!(meta(&html, "og:url"), Some(address.as_str()), "{page}");
        assert_eq!(meta(&html, "og:type"), Some("article"), "{page}");
        assert_eq!(meta(&html, "og:locale"), Some("id_ID"), "{page}");
        assert_eq!(
            meta(&html, "twitter:card"),
            Some("summary_large_image"),
            "{page}"
        );
        assert!(
            meta(&html, "og:description").is_some_and(|d| d.len() > 20),
            "{page}"
        );
        assert!(
            meta(&html, "og:image:alt").is_some_and(|d| !d.is_empty()),
            "{page}"
        );
        assert_eq!(meta(&html, "og:image:width"), Some("1200"));
        assert_eq!(meta(&html, "og:image:height"), Some("630"));
        let image = meta(&html, "og:image").unwrap();
        let file = image
            .strip_prefix(BASE)
            .unwrap_or_else(|| panic!("{page}: og:image {image} is not under {BASE}"));
        let bytes = std::fs::read(out.join(file)).unwrap();
        assert!(bytes.len() < 60_000, "{file} is {} bytes", bytes.len());
        let (w, h, pixels) = decoded_png(&bytes);
        assert_eq!((w, h), (1200, 630), "{file}");
        assert!(pixels.iter().any(|&p| p < 100), "{file} has no dark pixel");
        pictures.insert(page.clone(), bytes);

        // The WhatsApp link's message ends with the page's full address.
        let at = html.find("href=\"https://wa.me/?text=").expect(page);
        let href = &html[at + 6..];
        let href = &href[..href.find('"').unwrap()];
        let text = percent_decoded(href.trim_start_matches("https://wa.me/?text="));
        assert!(text.contains(&address), "{page}: {text}");
        assert!(
            html.contains(&format!("value=\"{address}\"")),
            "{page}: no address to copy"
        );
    }
    let distinct: std::collections::BTreeSet<&Vec<u8>> = pictures.values().collect();
    assert_eq!(
        distinct.len(),
        pictures.len(),
        "two districts share a picture"
    );
    // A district not assessed in 2031 (gamma) has a picture all the same.
    assert!(pictures.contains_key("2031/gamma/"));
}

#[test]
fn home_and_year_pages_are_described_and_pictured() {
    let site = Fixture::built();
    let out = site.path("output");
    for (page, image) in [
        ("", "2031/og.png"),
        ("2030/", "2030/og.png"),
        ("2031/", "2031/og.png"),
    ] {
        let html = read(&out.join(page).join("index.html"));
        assert_eq!(meta(&html, "og:type"), Some("website"), "{page}");
        assert_eq!(
            meta(&html, "og:image"),
            Some(format!("{BASE}{image}").as_str())
        );
        let description = meta(&html, "og:description").unwrap();
        assert!(description.contains("Provinsi Contoh"), "{description}");
        let (w, h, _) = decoded_png(&std::fs::read(out.join(image)).unwrap());
        assert_eq!((w, h), (1200, 630));
    }
    // Every other page shows the latest year's picture.
    let html = read(&out.join("wilayah/alpha/index.html"));
    assert_eq!(
        meta(&html, "og:image"),
        Some(format!("{BASE}2031/og.png").as_str())
    );
    // Pictures are for link previews: the year archives leave them out.
    for zip in std::fs::read_dir(out.join("arsip")).unwrap() {
        let file = std::fs::File::open(zip.unwrap().path()).unwrap();
        let archive = zip::ZipArchive::new(file).unwrap();
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.unwrap().into_owned())
            .collect();
        assert!(names.iter().any(|n| n.ends_with("/index.html")));
        assert!(!names.iter().any(|n| n.ends_with("og.png")), "{names:?}");
    }
}

#[test]
fn two_builds_give_the_same_bytes_pictures_included() {
    let site = Fixture::built();
    let first = site.output();
    assert!(first.keys().any(|k| k.ends_with("/og.png")));
    let run = site.rapor(&["build", "--output", "again"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    let second = snapshot(&site.path("again"));
    assert_eq!(first.len(), second.len());
    for (path, bytes) in &first {
        assert!(
            second.get(path) == Some(bytes),
            "{path} differs between builds"
        );
    }
}

#[test]
fn share_pictures_can_be_turned_off() {
    let site = Fixture::new();
    let config = site.read("content/site.yaml");
    site.append("content/site.yaml", "share:\n  images: false\n");
    site.build();
    let out = site.output();
    assert!(!out.keys().any(|k| k.ends_with("og.png")));
    let html = String::from_utf8(out["2030/alpha/index.html"].clone()).unwrap();
    assert!(meta(&html, "og:image").is_none());
    assert_eq!(meta(&html, "twitter:card"), Some("summary"));
    assert!(meta(&html, "og:description").is_some());

    site.write(
        "content/site.yaml",
        &format!("{config}share:\n  image: false\n"),
    );
    let run = site.rapor(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("site.yaml") && run.stderr.contains("image"),
        "{}",
        run.show()
    );
}

#[test]
fn without_javascript_the_district_list_is_complete_and_the_box_hidden() {
    let site = Fixture::built();
    let registry = read(&site.path("content/districts.yaml"));
    for page in ["index.html", "404.html"] {
        let html = read(&site.path("output").join(page));
        assert!(html.contains("<div class=\"finder-box\" hidden>"), "{page}");
        let list = &html[html.find("id=\"finder-list\"").expect(page)..];
        let list = &list[..list.find("</ul>").unwrap()];
        for line in registry
            .lines()
            .filter_map(|l| l.trim().strip_prefix("slug: "))
        {
            assert!(
                list.contains(&format!("/penilaian/wilayah/{line}/")),
                "{page}: {line}"
            );
        }
        assert_eq!(list.matches("<li ").count(), 4, "{page}");
    }
    // Each district leads to its latest page: gamma was last assessed in 2030.
    let home = read(&site.path("output/index.html"));
    assert!(home.contains("href=\"/penilaian/2030/gamma/\">Kabupaten Gamma</a>"));
    assert!(home.contains("href=\"/penilaian/2031/alpha/\">Kabupaten Alpha</a>"));
}

#[test]
fn the_printed_page_carries_the_address_and_the_date_of_the_data() {
    let site = Fixture::built();
    let html = read(&site.path("output/2030/alpha/index.html"));
    let aside = &html[html.find("<aside class=\"print-only print-link\"").unwrap()..];
    let aside = &aside[..aside.find("</aside>").unwrap()];
    assert!(aside.contains("<svg class=\"qr\""));
    assert!(aside.contains(&format!("{BASE}2030/alpha/")));
    assert!(aside.contains("Data per "), "{aside}");
}

/// `rapor check` renders every page as a build would but writes nothing:
/// its pages name their pictures in the head tags, and no picture is drawn.
#[test]
fn check_names_the_pictures_but_draws_none() {
    use rapor::render::{RenderOptions, Renderer};
    let site = Fixture::new();
    let loaded = rapor::content::load(&site.path("")).unwrap();
    let results = rapor::score::score_site(&loaded);
    let render = |pictures| {
        let files = std::sync::Mutex::new(BTreeMap::new());
        let options = RenderOptions {
            pictures,
            ..RenderOptions::default()
        };
        Renderer::new(&loaded, &results, &options)
            .unwrap()
            .render_all(&|f| {
                files.lock().unwrap().insert(f.path, f.bytes);
            })
            .unwrap();
        files.into_inner().unwrap()
    };
    let (drawn, named) = (render(true), render(false));
    let pictures =
        |files: &BTreeMap<String, Vec<u8>>| files.keys().filter(|p| p.ends_with("og.png")).count();
    assert!(pictures(&drawn) > 0);
    assert_eq!(pictures(&named), 0);
    // The pages are the same: the head tags name the pictures either way.
    let pages = |files: BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        files
            .into_iter()
            .filter(|(p, _)| !p.ends_with("og.png"))
            .collect()
    };
    assert!(pages(drawn) == pages(named));
    let check = site.rapor(&["check"]).success();
    assert!(check.stdout.starts_with("No problems"), "{}", check.show());
}
