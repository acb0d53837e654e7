//! Publishing under faults: builds at once into one output, an output
//! folder that holds other files or is a file, and a previous site that
//! cannot be removed. Every run of the binary is bounded in time.

mod common;
use common::{snapshot, wait_bounded, walk, Fixture, Run};
use snapbox::str;

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(180);

/// A valid site of `n` assessed districts, one year, a one-indicator rubric:
/// big enough that builds started together overlap.
fn big_site(n: usize) -> Fixture {
    Fixture::generated(n, n, |i| i % 3).within(LIMIT)
}

/// A copy of the small fixture site (not the sample).
fn small_site() -> Fixture {
    Fixture::new().within(LIMIT)
}

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
    let site = big_site(300);
    let root = site.root.as_path();
    let alone = site.rapor(&["build", "--output", "alone"]);
    assert_eq!(alone.code, Some(0), "{}", alone.show());
    let expected = snapshot(&root.join("alone"));
    let files = walk(&root.join("alone")).len();
    assert!(files > 600, "{files} files");

    let children: Vec<Child> = (0..3).map(|_| site.spawn(&["build"])).collect();
    let runs: Vec<Run> = children.into_iter().map(|c| site.finish(c)).collect();
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
    let root = site.root.as_path();
    let first = site.rapor(&["build"]);
    assert_eq!(first.code, Some(0), "{}", first.show());
    let before = snapshot(&root.join("output"));

    // This test plays the other build: it holds the output's lock.
    let lock = std::fs::File::create(root.join(".output.rapor-lock")).unwrap();
    lock.lock().unwrap();
    let busy = site.rapor(&["build", "--no-wait"]);
    assert_eq!(busy.code, Some(1), "{}", busy.show());
    busy.stderr_is(str![[r#"
error: another build of [ROOT]/site/output/ is running (it holds [ROOT]/site/.output.rapor-lock); try again when it has finished, or leave out --no-wait to wait for it

"#]]);
    assert!(!busy.stdout.contains("Built"), "{}", busy.show());
    assert!(snapshot(&root.join("output")) == before, "output/ changed");

    // Without --no-wait it says so and waits, then builds.
    let mut waiting = site.spawn(&["build"]);
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
    let root = site.root.as_path();
    site.write("docs/notes.txt", "my notes");
    let run = site.rapor(&["build", "--output", "docs"]);
    assert_eq!(run.code, Some(1), "{}", run.show());
    assert!(!run.stdout.contains("Built"), "{}", run.show());
    run.stderr_is(str![[r#"
docs: holds files that rapor did not make (notes.txt) (a build replaces the whole output folder; move those files elsewhere or delete the folder, or choose another --output)
error: 1 problem found; nothing was published

"#]]);
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
    let root = site.root.as_path();
    site.write("site.txt", "keep me");
    let run = site.rapor(&["build", "--output", "site.txt"]);
    assert_eq!(run.code, Some(1), "{}", run.show());
    run.stderr_is(str![[r#"
site.txt: is a file, not a folder (--output names the folder the site is published into; choose a folder, e.g. output)
error: 1 problem found; nothing was published

"#]]);
    assert_eq!(
        std::fs::read_to_string(root.join("site.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(names(root), ["content", "site.txt"]);
}

#[test]
fn folders_rapor_made_are_replaced_and_marked() {
    let site = small_site();
    let root = site.root.as_path();
    let out = root.join("output");
    // Empty: replaced.
    std::fs::create_dir(&out).unwrap();
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert!(out.join(".rapor-output").is_file(), "no marker");
    let built = snapshot(&out);

    // With the marker: replaced whole, whatever was added.
    site.write("output/stray.html", "x");
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert!(snapshot(&out) == built, "not the same site");

    // A site of an older rapor, without the marker: still replaced.
    std::fs::remove_file(out.join(".rapor-output")).unwrap();
    let run = site.rapor(&["build"]);
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
        Ok(child) => Some(common::finish(child, LIMIT)),
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
    let root = site.root.as_path();
    if running_as_root() {
        chown_all(site.tmp.path(), 65534);
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
    site.write("output/stuck/file.txt", "x");
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
