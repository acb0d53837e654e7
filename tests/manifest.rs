//! `output/manifest.json`: it lists exactly the files published, with their
//! SHA-256 (recomputed here) and size, and a rebuild gives the same bytes.

mod common;
use common::{copy_dir, run_bounded, walk};

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Runs rapor with `args`, killed after three minutes; exit code, stdout
/// and stderr.
fn rapor(args: &[&str], _dir: &Path) -> (Option<i32>, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapor"));
    cmd.args(args);
    let run = run_bounded(cmd, Duration::from_secs(180));
    (run.code, run.stdout, run.stderr)
}

#[test]
fn the_manifest_lists_every_published_file_and_is_the_same_on_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"),
        &site,
    );
    let root = site.to_str().unwrap();
    let (code, stdout, _) = rapor(&["build", "--root", root], tmp.path());
    assert_eq!(code, Some(0), "{stdout}");
    let out = site.join("output");
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

    let (code, stdout, _) = rapor(&["build", "--root", root], tmp.path());
    assert_eq!(code, Some(0), "{stdout}");
    let second = std::fs::read(out.join("manifest.json")).unwrap();
    assert!(
        first == second,
        "the manifest changed on a rebuild with no change"
    );
}

#[test]
fn a_theme_file_cannot_take_the_manifest_s_name() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"),
        &site,
    );
    std::fs::create_dir_all(site.join("themes/default/static")).unwrap();
    std::fs::write(site.join("themes/default/static/manifest.json"), "{}").unwrap();
    let (code, _, stderr) = rapor(&["build", "--root", site.to_str().unwrap()], tmp.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("manifest.json is the name of rapor's own file")
            && stderr.contains("static/manifest.json"),
        "{stderr}"
    );
    assert!(!site.join("output").exists(), "nothing is published");
}
