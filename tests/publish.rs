//! Publishing under faults: builds at once into one output, an output
//! folder that holds other files or is a file, and a previous site that
//! cannot be removed. Every run of the binary is bounded in time.

mod common;
use common::{copy_dir, snapshot, wait_bounded, walk, Run};

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(180);

/// Waits for a child for at most `LIMIT`, killing it if it takes longer.
fn finish(child: Child) -> Run {
    common::finish(child, LIMIT)
}

fn spawn(root: &Path, args: &[&str]) -> Child {
    let mut cmd = Command::new(common::RAPOR);
    cmd.current_dir(root).arg("build").args(args);
    common::spawn(&mut cmd).unwrap()
}

fn build(root: &Path, args: &[&str]) -> Run {
    finish(spawn(root, args))
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A valid site of `n` assessed districts, one year, a one-indicator rubric:
/// big enough that builds started together overlap.
fn big_site(root: &Path, n: usize) {
    write(root, "content/site.yaml", "title: Banyak\nprovince: { name: Provinsi Banyak, code: \"95\" }\nbase_url: https://banyak.example/\n");
    let mut registry = String::new();
    for i in 0..n {
        registry.push_str(&format!(
            "- {{ code: \"95.{i:04}\", name: Kabupaten Banyak {i}, slug: banyak-{i}, kind: kabupaten }}\n"
        ));
    }
    write(root, "content/districts.yaml", &registry);
    write(
        root,
        "content/2040/rubric.yaml",
        "title: Rubrik\ncomponents:\n  - { key: berkas, name: Berkas, weight: 100, from: actions }\nactions:\n  - number: 1\n    name: Satu\n    weight: 100\n    indicators:\n      - { key: \"1.1\", text: Satu, max: 2 }\ncategories:\n  - { min: 0, label: Semua }\n",
    );
    for i in 0..n {
        write(
            root,
            &format!("content/2040/districts/banyak-{i}.yaml"),
            &format!("indicators:\n  \"1.1\": {}\n", i % 3),
        );
    }
}

/// A copy of the small fixture site (not the sample).
fn small_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal/content"),
        &tmp.path().join("content"),
    );
    tmp
}

/// Names in `dir`, sorted.
/// The names in `dir` but the records of last builds (`.output.rapor-state`,
/// kept on purpose: see tests/rebuild.rs).
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".rapor-state"))
        .collect();
    names.sort();
    names
}

#[test]
fn builds_started_together_each_publish_a_complete_site() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    big_site(root, 300);
    let alone = build(root, &["--output", "alone"]);
    assert_eq!(alone.code, Some(0), "{}", alone.show());
    let expected = snapshot(&root.join("alone"));
    let files = walk(&root.join("alone")).len();
    assert!(files > 600, "{files} files");

    let children: Vec<Child> = (0..3).map(|_| spawn(root, &[])).collect();
    let runs: Vec<Run> = children.into_iter().map(finish).collect();
    for run in &runs {
        assert_eq!(run.code, Some(0), "{}", run.show());
        // The first publishes; the others find nothing changed, or publish again.
        assert!(
            run.stdout.contains("Built 604 pages") || run.stdout.contains("up to date (604 pages"),
            "{}",
            run.show()
        );
    }
    assert!(
        runs.iter()
            .any(|r| r.stderr.contains("waiting for another build of")),
        "no build waited for another: they did not overlap"
    );
    let got = snapshot(&root.join("output"));
    let missing: Vec<_> = expected.keys().filter(|k| !got.contains_key(*k)).collect();
    assert!(
        missing.is_empty(),
        "{} files missing, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
    assert!(got == expected, "output/ differs from a build on its own");
    assert_eq!(names(root), ["alone", "content", "output"]);
}

#[cfg(unix)]
#[test]
fn no_wait_gives_up_while_another_build_holds_the_output_and_waiting_works() {
    let site = small_site();
    let root = site.path();
    let first = build(root, &[]);
    assert_eq!(first.code, Some(0), "{}", first.show());
    let before = snapshot(&root.join("output"));

    // This test plays the other build: it holds the output's lock.
    let lock = std::fs::File::create(root.join(".output.rapor-lock")).unwrap();
    lock.lock().unwrap();
    let busy = build(root, &["--no-wait"]);
    assert_eq!(busy.code, Some(1), "{}", busy.show());
    assert!(
        busy.stderr.contains("another build of") && busy.stderr.contains("output/"),
        "{}",
        busy.show()
    );
    assert!(!busy.stdout.contains("Built"), "{}", busy.show());
    assert!(snapshot(&root.join("output")) == before, "output/ changed");

    // Without --no-wait it says so and waits, then builds.
    let mut waiting = spawn(root, &[]);
    let mut err = waiting.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 256];
        let mut seen = String::new();
        while let Ok(n) = err.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            if seen.contains('\n') {
                let _ = tx.send(seen.clone());
            }
        }
    });
    let said = rx.recv_timeout(Duration::from_secs(60));
    let still_running = waiting.try_wait().unwrap().is_none();
    drop(lock);
    let status = wait_bounded(&mut waiting, LIMIT);
    let said = said.expect("no message while waiting");
    assert!(
        said.contains("waiting for another build of") && said.contains("output/ ..."),
        "{said}"
    );
    assert!(still_running, "it did not wait for the lock");
    assert!(status.success());
    assert_eq!(names(root), ["content", "output"]);
}

#[test]
fn a_folder_with_other_files_is_not_replaced() {
    let site = small_site();
    let root = site.path();
    write(root, "docs/notes.txt", "my notes");
    let run = build(root, &["--output", "docs"]);
    assert_eq!(run.code, Some(1), "{}", run.show());
    assert!(!run.stdout.contains("Built"), "{}", run.show());
    assert!(
        run.stderr.contains("docs")
            && run.stderr.contains("notes.txt")
            && run.stderr.contains("choose another --output"),
        "{}",
        run.show()
    );
    assert_eq!(names(&root.join("docs")), ["notes.txt"]);
    assert_eq!(
        std::fs::read_to_string(root.join("docs/notes.txt")).unwrap(),
        "my notes"
    );
    assert_eq!(names(root), ["content", "docs"]);
}

#[test]
fn an_output_that_is_a_file_is_refused_before_anything_moves() {
    let site = small_site();
    let root = site.path();
    write(root, "site.txt", "keep me");
    let run = build(root, &["--output", "site.txt"]);
    assert_eq!(run.code, Some(1), "{}", run.show());
    assert!(
        run.stderr.contains("site.txt") && run.stderr.contains("is a file, not a folder"),
        "{}",
        run.show()
    );
    assert_eq!(
        std::fs::read_to_string(root.join("site.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(names(root), ["content", "site.txt"]);
}

#[test]
fn folders_rapor_made_are_replaced_and_marked() {
    let site = small_site();
    let root = site.path();
    let out = root.join("output");
    // Empty: replaced.
    std::fs::create_dir(&out).unwrap();
    let run = build(root, &[]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert!(out.join(".rapor-output").is_file(), "no marker");
    let built = snapshot(&out);

    // With the marker: replaced whole, whatever was added.
    write(root, "output/stray.html", "x");
    let run = build(root, &[]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert!(snapshot(&out) == built, "not the same site");

    // A site of an older rapor, without the marker: still replaced.
    std::fs::remove_file(out.join(".rapor-output")).unwrap();
    let run = build(root, &[]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert!(snapshot(&out) == built, "not the same site");
    assert_eq!(names(root), ["content", "output"]);
}

/// Runs rapor as user `nobody` when the tests run as root (root may remove
/// anything, so permissions would prove nothing), else as the current user.
#[cfg(target_os = "linux")]
fn build_unprivileged(root: &Path) -> Option<Run> {
    let mut cmd = if running_as_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        c.arg(common::RAPOR);
        c
    } else {
        Command::new(common::RAPOR)
    };
    cmd.current_dir(root).arg("build");
    match common::spawn(&mut cmd) {
        Ok(child) => Some(finish(child)),
        Err(_) => None,
    }
}

/// Whether files this process creates belong to root.
#[cfg(target_os = "linux")]
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = tempfile::tempfile().unwrap();
    probe.metadata().unwrap().uid() == 0
}

#[cfg(target_os = "linux")]
fn chown_all(path: &Path, id: u32) {
    std::os::unix::fs::lchown(path, Some(id), Some(id)).unwrap();
    if path.is_dir() && !path.is_symlink() {
        for entry in std::fs::read_dir(path).unwrap() {
            chown_all(&entry.unwrap().path(), id);
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_previous_site_that_cannot_be_removed_fails_neither_this_build_nor_the_next() {
    use std::os::unix::fs::PermissionsExt;
    let site = small_site();
    let root = site.path();
    if running_as_root() {
        chown_all(root, 65534);
    }
    let Some(first) = build_unprivileged(root) else {
        eprintln!("skipped: cannot run rapor as an unprivileged user (setpriv missing)");
        return;
    };
    assert_eq!(first.code, Some(0), "{}", first.show());
    let out = root.join("output");
    let built = snapshot(&out);

    // A folder in the old site whose files its owner may not delete.
    let stuck = out.join("stuck");
    write(root, "output/stuck/file.txt", "x");
    if running_as_root() {
        chown_all(&stuck, 65534);
    }
    std::fs::set_permissions(&stuck, std::fs::Permissions::from_mode(0o555)).unwrap();

    let second = build_unprivileged(root).unwrap();
    assert_eq!(second.code, Some(0), "{}", second.show());
    assert!(
        second.stderr.contains("warning: the new site is in")
            && second.stderr.contains("could not be removed"),
        "{}",
        second.show()
    );
    assert!(snapshot(&out) == built, "the new site is not complete");

    // The leftover is ignored: the next build succeeds by itself.
    let third = build_unprivileged(root).unwrap();
    assert_eq!(third.code, Some(0), "{}", third.show());
    assert!(snapshot(&out) == built, "the new site is not complete");
    let left: Vec<String> = names(root)
        .into_iter()
        .filter(|n| n.starts_with(".output.rapor-"))
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");

    // Once it can be removed, the next build removes it.
    let leftover = root.join(&left[0]).join("stuck");
    std::fs::set_permissions(&leftover, std::fs::Permissions::from_mode(0o755)).unwrap();
    let fourth = build_unprivileged(root).unwrap();
    assert_eq!(fourth.code, Some(0), "{}", fourth.show());
    assert!(!fourth.stderr.contains("warning"), "{}", fourth.show());
    assert_eq!(names(root), ["content", "output"]);
}
