//! The release script: `dist/build.sh linux` makes the static Linux archive,
//! the same bytes when run twice, and it unpacks to a rapor that runs.
//!
//! Needs the rustup target `x86_64-unknown-linux-musl`: skipped outside CI
//! without it, a failure under CI=true (`.ci/run` adds it). The release
//! build goes to `target/release-dist/` (minutes from clean; seconds after).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::run_bounded;

const TARGET: &str = "x86_64-unknown-linux-musl";

fn target_installed() -> bool {
    Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .is_some_and(|s| s.join("lib/rustlib").join(TARGET).is_dir())
}

/// Runs `dist/build.sh linux` into `dir`; returns the archive.
fn dist(dir: &Path) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = Command::new("bash");
    cmd.arg(manifest.join("dist/build.sh"))
        .arg("linux")
        .env("DIST_DIR", dir)
        // Its own build folder, not the one `cargo test` holds.
        .env_remove("CARGO_TARGET_DIR")
        // What is tested is the packaging (same bytes twice, a static binary
        // that runs), not the optimiser: unoptimised, the release build takes
        // a third of the time, which keeps CI well under its 15 minutes.
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "0")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    let run = run_bounded(cmd, Duration::from_secs(60 * 60));
    assert_eq!(run.code, Some(0), "dist/build.sh failed\n{}", run.show());
    let version = env!("CARGO_PKG_VERSION");
    let archive = dir.join(format!("rapor-{version}-{TARGET}.tar.gz"));
    assert!(
        archive.is_file(),
        "no {}\n{}",
        archive.display(),
        run.show()
    );
    archive
}

#[test]
fn the_linux_archive_is_reproducible_and_holds_a_working_static_rapor() {
    if !target_installed() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI=true, but the Rust target {TARGET} is missing (.ci/run adds it)"
        );
        eprintln!("skipped: no Rust target {TARGET} (rustup target add {TARGET})");
        return;
    }
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let one = std::fs::read(dist(first.path())).unwrap();
    let two = std::fs::read(dist(second.path())).unwrap();
    assert!(one == two, "two runs made different archives");

    let unpacked = tempfile::tempdir().unwrap();
    let mut tar = Command::new("tar");
    tar.arg("xzf")
        .arg(first.path().join(format!(
            "rapor-{}-{TARGET}.tar.gz",
            env!("CARGO_PKG_VERSION")
        )))
        .current_dir(unpacked.path());
    let run = run_bounded(tar, Duration::from_secs(60));
    assert_eq!(run.code, Some(0), "{}", run.show());
    let folder = unpacked
        .path()
        .join(format!("rapor-{}-{TARGET}", env!("CARGO_PKG_VERSION")));
    let names: Vec<String> = common::walk(&folder)
        .iter()
        .map(|p| p.strip_prefix(&folder).unwrap().display().to_string())
        .collect();
    assert_eq!(
        names,
        ["BACA-SAYA.txt", "LICENSE.txt", "README.txt", "rapor"]
    );
    // Indonesian first, and it says how to run.
    let baca = common::read(&folder.join("BACA-SAYA.txt"));
    assert!(baca.contains("rapor serve") && baca.contains("rapor build"));
    assert!(common::read(&folder.join("LICENSE.txt")).starts_with("MIT License"));

    let rapor = folder.join("rapor");
    // Static: no dynamic loader named anywhere in it.
    let bytes = std::fs::read(&rapor).unwrap();
    assert!(!bytes.windows(8).any(|w| w == b"ld-linux"), "not static");
    let run = run_bounded(
        {
            let mut cmd = Command::new(&rapor);
            cmd.arg("--version");
            cmd
        },
        Duration::from_secs(30),
    );
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert_eq!(
        run.stdout.trim(),
        format!("rapor {}", env!("CARGO_PKG_VERSION"))
    );
}
