//! The sample site (the repository's `content/`) builds to exactly the bytes
//! listed in `tests/fixtures/sample.sha256`: one line per published file,
//! its SHA-256 and its path in `output/`, as `sha256sum` prints them.
//!
//! A change that alters the published site on purpose updates the list with
//! `SNAPSHOTS=overwrite cargo test --test sample`; the diff of the list then
//! shows which files changed, for review with the change.

mod common;

use common::{sha256_hex, walk, Fixture, Run};

#[test]
fn the_sample_builds_to_the_committed_digest() {
    let site = Fixture::sample();
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "the sample must build\n{}", run.show());
    let output = site.path("output");
    let listing: String = walk(&output)
        .iter()
        .map(|file| {
            let rel = file.strip_prefix(&output).unwrap().to_string_lossy();
            let bytes = std::fs::read(file).unwrap();
            format!("{}  {}\n", sha256_hex(&bytes), rel.replace('\\', "/"))
        })
        .collect();
    Run::text_is(&listing, snapbox::file!["fixtures/sample.sha256"]);
}
