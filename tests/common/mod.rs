//! The one harness of the integration tests: copy a fixture site into a
//! temporary folder ([`Fixture`]), run the real binary under a time and memory
//! limit ([`Fixture::rapor`]), capture its exit code, stdout and stderr
//! ([`Run`]) and the output tree ([`Fixture::output`]), and compare what a
//! user reads with a stored expectation ([`Run::stderr_is`]).
//!
//! Expected messages are snapbox snapshots (`str![[...]]` in the test, or a
//! file named with `file![...]`): `SNAPSHOTS=overwrite cargo test` rewrites
//! them to what the binary prints now, to be reviewed as a diff.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

mod browser;
mod fixture;
mod run;
mod serve;
mod tree;

// Each test file uses some of these, so any one of them may go unused.
#[allow(unused_imports)]
pub use browser::*;
#[allow(unused_imports)]
pub use fixture::*;
#[allow(unused_imports)]
pub use run::*;
#[allow(unused_imports)]
pub use serve::*;
#[allow(unused_imports)]
pub use tree::*;

/// The repository's folder (where `content/` and `tests/` are).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from` into `to` (created), files and folders only.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The SHA-256 of `bytes` in lowercase hex, as `sha256sum` prints it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file below `dir`, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}
