//! `rapor template YEAR`: a blank score sheet for a year's rubric.

use std::path::{Path, PathBuf};

use super::Report;
use crate::error::shown;

/// Writes the blank sheet of `year` to `out` (default `penilaian-<year>.xlsx`).
pub fn run(root: &Path, year: i32, out: Option<PathBuf>) -> Report {
    let out = out.unwrap_or_else(|| PathBuf::from(format!("penilaian-{year}.xlsx")));
    match crate::sheet::write_template(root, year, &out) {
        Ok(()) => Report::done([format!("Wrote the {year} score sheet to {}", shown(&out))]),
        Err(problems) => Report::only_problems(problems),
    }
}
