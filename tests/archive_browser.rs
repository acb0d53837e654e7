//! A year archive taken offline: unzipped into a folder and opened from
//! disk (`file://`) in headless Chromium, a district page looks as it does
//! on the published site (styled), and every link it makes into the archive
//! resolves to a file inside the unzipped folder. Skipped without Chromium,
//! except under CI, where `.ci/run` installs it.

mod common;
use common::{chromium, links, png_pixels, read, run_chromium, skip, Fixture};

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A 360 × 1600 screenshot of `url` as RGB pixels.
fn screenshot(browser: &str, url: &str, file: &Path) -> Vec<[u8; 3]> {
    let args = [
        "--allow-file-access-from-files".to_string(),
        "--window-size=360,1600".to_string(),
        format!("--screenshot={}", file.display()),
        url.to_string(),
    ];
    run_chromium(browser, &args, Duration::from_secs(120));
    png_pixels(file)
}

/// Unzips `zip` into `dir`; returns the archive's top folder.
fn unzip(zip: &Path, dir: &Path) -> PathBuf {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut top = None;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let rel = file
            .enclosed_name()
            .expect("entries stay inside the archive");
        top.get_or_insert_with(|| rel.components().next().unwrap().as_os_str().to_owned());
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir.join(top.unwrap())
}

#[test]
fn an_unzipped_year_archive_opens_from_disk_styled_with_working_links() {
    let Some(browser) = chromium() else {
        return skip("chromium");
    };
    let site = Fixture::sample();
    let output = site.build();
    let zip = std::fs::read_dir(output.join("arsip"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-2023.zip"))
        .expect("an archive of 2023");
    let unpacked = tempfile::tempdir().unwrap();
    let top = unzip(&zip, unpacked.path());

    // Every link into the archive from the district page is a file in it.
    let page = top.join("2023/buleleng/index.html");
    let html = read(&page);
    let mut inside = 0;
    for link in links(&html) {
        if link.starts_with("http") || link.starts_with('#') || link.starts_with("mailto:") {
            continue;
        }
        let target = link.split(['#', '?']).next().unwrap();
        let file = page.parent().unwrap().join(target);
        assert!(file.is_file(), "{link} does not resolve inside the archive");
        assert!(
            std::fs::canonicalize(&file)
                .unwrap()
                .starts_with(std::fs::canonicalize(&top).unwrap()),
            "{link} leaves the archive"
        );
        inside += 1;
    }
    assert!(inside > 3, "the page links into the archive: {inside}");

    // Opened from disk it looks as the page does on the published site.
    let shots = tempfile::tempdir().unwrap();
    let offline = screenshot(
        browser,
        &format!("file://{}", page.display()),
        &shots.path().join("offline.png"),
    );
    let online = screenshot(
        browser,
        &format!(
            "file://{}",
            output.join("2023/buleleng/index.html").display()
        ),
        &shots.path().join("online.png"),
    );
    let unstyled_copy = shots.path().join("unstyled.html");
    std::fs::write(
        &unstyled_copy,
        html.replace("rel=\"stylesheet\"", "rel=\"x-none\""),
    )
    .unwrap();
    let unstyled = screenshot(
        browser,
        &format!("file://{}", unstyled_copy.display()),
        &shots.path().join("unstyled.png"),
    );
    let differing = |a: &[[u8; 3]], b: &[[u8; 3]]| {
        a.iter().zip(b).filter(|(x, y)| x != y).count() as f64 / a.len().max(1) as f64
    };
    // The published page opened from disk has no stylesheet (its links start
    // at the site's root): the archive's copy must look like a styled page,
    // unlike that one and unlike the same HTML without its stylesheet.
    let vs_unstyled = differing(&offline, &unstyled);
    let vs_rootless = differing(&offline, &online);
    assert!(
        vs_unstyled > 0.05 && vs_rootless > 0.05,
        "the archived page looks unstyled ({vs_unstyled:.3} / {vs_rootless:.3} of pixels differ)"
    );
}
