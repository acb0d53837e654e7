//! Score sheets: a blank xlsx template per year's rubric, and the import of a
//! filled sheet (xlsx or csv) into the district files.
//!
//! # The sheet
//!
//! Sheet `Skor`: row 1 holds the column keys, `code`, `slug`, `name`, then
//! one column per indicator of the year's rubric (its key, e.g. `1.1`) and
//! one per component scored directly (e.g. `paparan`). Row 2 describes each
//! column; it starts with `#` in column A, and every row whose column-A
//! cell starts with `#` is a note that import skips. Then one row per
//! district of `districts.yaml`. A hidden sheet `rapor` records the year
//! (`year` in A1, the year in B1) so a sheet made for another year's rubric
//! is caught. A csv file has the same layout (row 1 the keys) and no marker;
//! `,`, `;` or tab separate its fields and a decimal comma is understood.
//!
//! # Import
//!
//! Every cell is checked; every bad one is reported with its sheet and cell
//! (`Skor!F7: 5 is above the maximum 3 of indicator 2.3`), and nothing is
//! written if there is any. A formula in a score cell is one: only the
//! result Excel saved with it can be read, and that may not be what Excel
//! shows after it recalculates. Text from the sheet appears in messages
//! between backticks with control characters escaped (`\x1b`), so a hostile
//! cell can neither run as a formula nor drive the terminal. A district row with no score at all means "not
//! assessed" and is skipped (its file, if any, stays as it is); a row with
//! some scores must have all of them. For each row with scores,
//! `content/<year>/districts/<slug>.yaml` is created, or updated by changing
//! only its `indicators` and `components` mappings: every other key, value
//! and comment stays byte for byte, and `<slug>.md` is never touched.
//!
//! Without `--force`, import only adds: it creates missing district files
//! and fills indicators or components a file does not have yet, but refuses
//! (listing each one, nothing written) if a value in the sheet differs from
//! the one already in a district file, or if the file holds a key the rubric
//! does not know, which the import would remove. With `--force` the sheet
//! wins: those values are overwritten and unknown keys removed. Files whose
//! values already equal the sheet's are not rewritten.
//!
//! Files are written one by one, each through a temporary file renamed over
//! it. If a write fails (a full disk), the import stops and says exactly
//! which files it had written; running the same import again finishes it.
//!
//! An xlsx is bounded before calamine reads it: see the `read` module for the caps
//! on what its zip expands to and on its cells.

mod import;
mod read;
mod template;
mod yaml_edit;

use std::path::{Path, PathBuf};

use crate::content::Rubric;
use crate::error::{escaped, Problems};

/// The name of the score sheet in the workbook.
pub(crate) const SHEET: &str = "Skor";
/// The hidden sheet recording the year the template was made for.
pub(crate) const MARKER_SHEET: &str = "rapor";
/// The first columns: the district, not scores.
pub(crate) const CODE: &str = "code";
pub(crate) const SLUG: &str = "slug";
pub(crate) const NAME: &str = "name";

/// What an import changed.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// District files written (created or updated), relative to the root,
    /// in `districts.yaml` order.
    pub written: Vec<PathBuf>,
}

/// Writes the blank score sheet of `year`'s rubric to `out`, with the values
/// already in that year's district files filled in. An existing `out` is
/// never overwritten: it may be a filled sheet.
pub fn write_template(root: &Path, year: i32, out: &Path) -> Result<(), Problems> {
    template::write_template(root, year, out)
}

/// Why an import stopped.
#[derive(Debug, Default)]
pub struct ImportFailure {
    pub problems: Problems,
    /// District files written before a write failed, relative to the root;
    /// empty when nothing was written (every check happens before the first write).
    pub written: Vec<PathBuf>,
}

impl ImportFailure {
    /// The closing line: what is on disk now (the command adds `error: `).
    pub fn summary(&self) -> String {
        if self.written.is_empty() {
            return "nothing was written".to_string();
        }
        let files: Vec<String> = self
            .written
            .iter()
            .map(|w| w.to_string_lossy().replace('\\', "/"))
            .collect();
        format!(
            "the import stopped part-way; only {} written: {} (fix the problem and run the same import again)",
            if files.len() == 1 {
                "this file was"
            } else {
                "these files were"
            },
            files.join(", ")
        )
    }
}

impl From<Problems> for ImportFailure {
    fn from(problems: Problems) -> Self {
        ImportFailure {
            problems,
            written: Vec::new(),
        }
    }
}

impl From<crate::error::Problem> for ImportFailure {
    fn from(problem: crate::error::Problem) -> Self {
        Problems::from(problem).into()
    }
}

/// Reads a filled sheet (xlsx or csv) into `content/<year>/districts/`; see
/// the module documentation for what is checked and what `force` allows.
pub fn import(
    root: &Path,
    file: &Path,
    year: i32,
    force: bool,
) -> Result<ImportReport, ImportFailure> {
    import::import(root, file, year, force)
}

/// A column of scores.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub key: String,
    pub kind: ColumnKind,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum ColumnKind {
    /// `rubric.actions[action].indicators[indicator]`.
    Indicator { action: usize, indicator: usize },
    /// `rubric.components[index]`, one scored directly.
    Component { index: usize },
}

/// The score columns of a rubric: its indicators in order, then the
/// components scored directly.
pub(crate) fn score_columns(rubric: &Rubric) -> Vec<Column> {
    let mut columns = Vec::new();
    for (a, action) in rubric.actions.iter().enumerate() {
        for (i, ind) in action.indicators.iter().enumerate() {
            columns.push(Column {
                key: ind.key.clone(),
                kind: ColumnKind::Indicator {
                    action: a,
                    indicator: i,
                },
            });
        }
    }
    for (i, c) in rubric.components.iter().enumerate() {
        if i != rubric.document {
            columns.push(Column {
                key: c.key.clone(),
                kind: ColumnKind::Component { index: i },
            });
        }
    }
    columns
}

/// Excel's column letters: 0 is `A`, 25 `Z`, 26 `AA`.
pub(crate) fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A sheet name as Excel writes it in a reference: quoted when it is not a
/// plain word. The name comes from the file: control characters are escaped.
pub(crate) fn sheet_prefix(sheet: &str) -> String {
    if !sheet.is_empty() && sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        sheet.to_string()
    } else {
        format!("'{}'", escaped(&sheet.replace('\'', "''")))
    }
}

/// Text from a sheet in a message: escaped, at most 40 characters, between
/// backticks, so that a cell such as `=HYPERLINK(..)` is shown, never live.
pub(crate) fn quoted(s: &str) -> String {
    let short: String = s.chars().take(40).collect();
    let more = if short.len() < s.len() { "…" } else { "" };
    format!("`{}{more}`", escaped(&short))
}

/// `Skor!F7` for the 0-based `row` and `col`.
pub(crate) fn cell_ref(sheet: &str, row: u32, col: u32) -> String {
    format!(
        "{}!{}{}",
        sheet_prefix(sheet),
        column_letters(col),
        u64::from(row) + 1
    )
}

/// `Skor!1:1`, a whole row.
pub(crate) fn row_ref(sheet: &str, row: u32) -> String {
    let n = u64::from(row) + 1;
    format!("{}!{n}:{n}", sheet_prefix(sheet))
}

/// The registry and a year's rubric, both checked: what a sheet is made from.
fn registry_and_rubric(
    root: &Path,
    year: i32,
) -> Result<(Vec<crate::content::District>, Rubric), Problems> {
    match (
        crate::content::load_registry(root),
        crate::content::load_rubric(root, year),
    ) {
        (Ok(d), Ok(r)) => Ok((d, r)),
        (d, r) => {
            let mut problems = Problems::default();
            for p in [d.err(), r.err()].into_iter().flatten() {
                problems.extend(p);
            }
            Err(problems.sorted())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16383), "XFD");
        assert_eq!(cell_ref("Skor", 6, 5), "Skor!F7");
        assert_eq!(cell_ref("my sheet", 0, 0), "'my sheet'!A1");
        assert_eq!(row_ref("Skor", 0), "Skor!1:1");
        assert_eq!(cell_ref("a\x1bb", 0, 0), "'a\\x1bb'!A1");
    }

    #[test]
    fn text_from_a_sheet_is_quoted_and_cut() {
        assert_eq!(quoted("=1+1"), "`=1+1`");
        assert_eq!(quoted(&"x".repeat(50)), format!("`{}…`", "x".repeat(40)));
    }
}
