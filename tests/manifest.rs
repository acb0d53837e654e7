//! `output/manifest.json`: it lists exactly the files published, with their
//! SHA-256 (recomputed here) and size, and a rebuild gives the same bytes.

mod common;
use common::{walk, Fixture};
use snapbox::str;

use std::time::Duration;

/// A copy of the fixture whose runs are killed after three minutes.
fn site() -> Fixture {
    Fixture::new().within(Duration::from_secs(180))
}

#[test]
fn the_manifest_lists_every_published_file_and_is_the_same_on_rebuild() {
    let site = site();
    let stdout = site.rapor(&["build"]).success().stdout;
    let out = site.path("output");
    let first = std::fs::read(out.join("manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(manifest["rapor_version"], env!("CARGO_PKG_VERSION"));
    // The latest date in the content, not the time of the build.
    assert_eq!(manifest["data_date"], "2032-04-09");

    let listed: Vec<(String, u64, String)> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["size"].as_u64().unwrap(),
                f["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut on_disk: Vec<(String, u64, String)> = walk(&out)
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&out)
                .unwrap()
                .to_str()
                .unwrap()
                .replace('\\', "/");
            let bytes = std::fs::read(p).unwrap();
            (rel, bytes.len() as u64, common::sha256_hex(&bytes))
        })
        .filter(|(rel, _, _)| rel != "manifest.json" && rel != ".rapor-output")
        .collect();
    on_disk.sort();
    assert!(listed.len() > 20, "{listed:?}");
    assert_eq!(listed, on_disk, "sorted by path, exactly the files on disk");

    // The build counts the manifest among its files (the marker is not a file of the site).
    assert!(
        stdout.contains(&format!("({} files,", listed.len() + 1)),
        "{stdout}"
    );

    site.rapor(&["build"]).success();
    let second = std::fs::read(out.join("manifest.json")).unwrap();
    assert!(
        first == second,
        "the manifest changed on a rebuild with no change"
    );
}

#[test]
fn a_theme_file_cannot_take_the_manifest_s_name() {
    let site = site();
    site.write("themes/default/static/manifest.json", "{}");
    let run = site.rapor(&["build"]).failure();
    // Named where it is, not where it would have gone (it was reported as
    // the year archive it would have been copied into).
    run.stderr_is(str![[r#"
themes/default/static/manifest.json: takes the name of rapor's own file `manifest.json` at the top of the output (rename it, or move it into a folder of static/)
error: 1 problem found; nothing was published

"#]]);
    assert!(!site.path("output").exists(), "nothing is published");
}
