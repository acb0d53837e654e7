//! Score sheets: a blank xlsx template per year's rubric, and the import of a
//! filled sheet (xlsx or csv) into the district files.

use std::path::{Path, PathBuf};

use crate::error::Problems;

/// What an import changed.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// District files written, relative to the root.
    pub written: Vec<PathBuf>,
}

/// Writes the blank score sheet of `year`'s rubric to `out`.
pub fn write_template(root: &Path, year: i32, out: &Path) -> Result<(), Problems> {
    let _ = (root, year, out);
    Err(crate::error::Problem::new(out, "score sheets are not available yet").into())
}

/// Reads a filled sheet into `content/<year>/districts/`.
pub fn import(root: &Path, file: &Path, year: i32, force: bool) -> Result<ImportReport, Problems> {
    let _ = (root, file, year, force);
    Err(crate::error::Problem::new(file, "import is not available yet").into())
}
