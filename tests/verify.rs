//! `rapor verify DIR`: a fresh build matches its manifest; an altered,
//! a deleted and an added file are each reported, and nothing else; links,
//! FIFOs and folders without a manifest are handled without hanging.

mod common;
use common::{Fixture, Run};
use snapbox::str;

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The minimal site built in a temporary folder (runs killed after three
/// minutes); returns it and its output.
fn built() -> (Fixture, PathBuf) {
    let site = Fixture::new().within(Duration::from_secs(180));
    let out = site.build();
    (site, out)
}

/// The lines of stdout with the output folder's path taken off.
fn findings(run: &Run, out: &Path) -> Vec<String> {
    let prefix = format!("{}{}", out.display(), std::path::MAIN_SEPARATOR);
    run.stdout
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(|l| l.replace('\\', "/"))
        .collect()
}

#[test]
fn a_fresh_build_verifies() {
    let (site, out) = built();
    let run = site.rapor_raw(&["verify", out.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("match its manifest"), "{}", run.stdout);
    assert_eq!(findings(&run, &out), Vec::<String>::new());
}

#[test]
fn an_altered_a_deleted_and_an_added_file_are_listed_and_nothing_else() {
    let (site, out) = built();
    // One byte of one page, same size.
    let page = out.join("2031/alpha/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 1;
    std::fs::write(&page, bytes).unwrap();
    std::fs::remove_file(out.join("sitemap.xml")).unwrap();
    std::fs::write(out.join("2030/extra.html"), "<p>not published</p>").unwrap();

    let run = site.rapor_raw(&["verify", out.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert_eq!(
        findings(&run, &out),
        [
            "2030/extra.html: not in the manifest",
            "2031/alpha/index.html: altered (sha256 differs)",
            "sitemap.xml: missing",
        ]
    );
    run.stderr_is(str![[r#"
error: 3 files of [ROOT]/site/output differ from its manifest (39 files listed, rapor 0.1.0, data as of 2032-04-09)

"#]]);
}

#[test]
fn a_changed_size_is_an_alteration() {
    let (site, out) = built();
    let page = out.join("404.html");
    let mut bytes = std::fs::read(&page).unwrap();
    bytes.push(b'\n');
    std::fs::write(&page, bytes).unwrap();
    let run = site.rapor_raw(&["verify", out.to_str().unwrap()]);
    assert_eq!(run.code, Some(1));
    let found = findings(&run, &out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("404.html: altered (size differs"),
        "{found:?}"
    );
}

#[cfg(unix)]
#[test]
fn links_and_fifos_are_reported_not_followed_or_opened() {
    let (site, out) = built();
    // A listed page replaced by a link to a copy with the same bytes: still reported.
    let page = out.join("2031/alpha/index.html");
    let copy = site.tmp.path().join("copy.html");
    std::fs::copy(&page, &copy).unwrap();
    std::fs::remove_file(&page).unwrap();
    std::os::unix::fs::symlink(&copy, &page).unwrap();
    // A link to a folder outside: not walked into.
    std::os::unix::fs::symlink(site.tmp.path(), out.join("outside")).unwrap();
    let fifo = out.join("2030/pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);

    let run = site.rapor_raw(&["verify", out.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert_eq!(
        findings(&run, &out),
        [
            "2030/pipe: not a regular file (a named pipe)",
            "2031/alpha/index.html: not a regular file (a symbolic link)",
            "outside: not a regular file (a symbolic link)",
        ]
    );
}

#[test]
fn a_folder_without_a_manifest_is_not_a_rapor_output() {
    let site = Fixture::empty();
    let dir = site.path("old-site");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<p>hi</p>").unwrap();
    let run = site.rapor_raw(&["verify", dir.to_str().unwrap()]);
    assert_eq!(run.code, Some(1));
    run.stderr_is(str![[r#"
error: [ROOT]/site/old-site/manifest.json: not found; [ROOT]/site/old-site is not a rapor output folder, or it was built by an older rapor, which wrote no manifest (rebuild it with this one)

"#]]);

    std::fs::write(dir.join("manifest.json"), "{\"files\": 3}").unwrap();
    let run = site.rapor_raw(&["verify", dir.to_str().unwrap()]);
    assert_eq!(run.code, Some(1));
    run.stderr_is(str![[r#"
error: [ROOT]/site/old-site/manifest.json: is not a manifest rapor can read: invalid type: integer `3`, expected a sequence at line 1 column 11 (line 1, column 11); it was not written by rapor, or was damaged

"#]]);

    let run = site.rapor_raw(&["verify", site.tmp.path().join("nowhere").to_str().unwrap()]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    run.stderr_is(str![[r#"
error: [ROOT]/nowhere: No such file or directory (os error 2); give the published output folder, e.g. rapor verify output

"#]]);
    let run = site.rapor_raw(&["verify"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    run.stderr_is(str![[r#"
error: the following required arguments were not provided:
  <DIR>

Usage: rapor verify <DIR>

For more information, try '--help'.

"#]]);
}
