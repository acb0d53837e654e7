//! `rapor import FILE --year YEAR`: a filled score sheet into the district files.

use std::path::Path;

use super::Report;
use crate::error::shown;

/// Imports `file` into the district files of `year`.
pub fn run(root: &Path, file: &Path, year: i32, force: bool) -> Report {
    match crate::sheet::import(root, file, year, force) {
        Ok(imported) => {
            let n = imported.written.len();
            let updated = imported
                .written
                .iter()
                .map(|path| format!("updated {}", shown(path)));
            Report::done(updated.chain([format!("Imported {n} district files for {year}")]))
        }
        Err(failure) => {
            let line = failure.summary();
            Report {
                problems: failure.problems,
                ..Report::failed(line)
            }
        }
    }
}
