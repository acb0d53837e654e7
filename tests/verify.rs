//! `rapor verify DIR`: a fresh build matches its manifest; an altered,
//! a deleted and an added file are each reported, and nothing else; links,
//! FIFOs and folders without a manifest are handled without hanging.

mod common;
use common::{copy_dir, run_bounded, Run};

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Runs rapor with `args`, killed after three minutes.
fn rapor(args: &[&str], _scratch: &Path) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapor"));
    cmd.args(args);
    run_bounded(cmd, Duration::from_secs(180))
}

/// The minimal site built in a temporary folder; returns it and its output.
fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"),
        &site,
    );
    let run = rapor(&["build", "--root", site.to_str().unwrap()], tmp.path());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let out = site.join("output");
    (tmp, out)
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
    let (tmp, out) = built();
    let run = rapor(&["verify", out.to_str().unwrap()], tmp.path());
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("match its manifest"), "{}", run.stdout);
    assert_eq!(findings(&run, &out), Vec::<String>::new());
}

#[test]
fn an_altered_a_deleted_and_an_added_file_are_listed_and_nothing_else() {
    let (tmp, out) = built();
    // One byte of one page, same size.
    let page = out.join("2031/alpha/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 1;
    std::fs::write(&page, bytes).unwrap();
    std::fs::remove_file(out.join("sitemap.xml")).unwrap();
    std::fs::write(out.join("2030/extra.html"), "<p>not published</p>").unwrap();

    let run = rapor(&["verify", out.to_str().unwrap()], tmp.path());
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert_eq!(
        findings(&run, &out),
        [
            "2030/extra.html: not in the manifest",
            "2031/alpha/index.html: altered (sha256 differs)",
            "sitemap.xml: missing",
        ]
    );
    assert!(run.stderr.contains("error: 3 files"), "{}", run.stderr);
}

#[test]
fn a_changed_size_is_an_alteration() {
    let (tmp, out) = built();
    let page = out.join("404.html");
    let mut bytes = std::fs::read(&page).unwrap();
    bytes.push(b'\n');
    std::fs::write(&page, bytes).unwrap();
    let run = rapor(&["verify", out.to_str().unwrap()], tmp.path());
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
    let (tmp, out) = built();
    // A listed page replaced by a link to a copy with the same bytes: still reported.
    let page = out.join("2031/alpha/index.html");
    let copy = tmp.path().join("copy.html");
    std::fs::copy(&page, &copy).unwrap();
    std::fs::remove_file(&page).unwrap();
    std::os::unix::fs::symlink(&copy, &page).unwrap();
    // A link to a folder outside: not walked into.
    std::os::unix::fs::symlink(tmp.path(), out.join("outside")).unwrap();
    let fifo = out.join("2030/pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);

    let run = rapor(&["verify", out.to_str().unwrap()], tmp.path());
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
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("old-site");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<p>hi</p>").unwrap();
    let run = rapor(&["verify", dir.to_str().unwrap()], tmp.path());
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("manifest.json: not found")
            && run.stderr.contains("not a rapor output folder"),
        "{}",
        run.stderr
    );

    std::fs::write(dir.join("manifest.json"), "{\"files\": 3}").unwrap();
    let run = rapor(&["verify", dir.to_str().unwrap()], tmp.path());
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("manifest.json: is not a manifest"),
        "{}",
        run.stderr
    );

    let run = rapor(
        &["verify", tmp.path().join("nowhere").to_str().unwrap()],
        tmp.path(),
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let run = rapor(&["verify"], tmp.path());
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}
