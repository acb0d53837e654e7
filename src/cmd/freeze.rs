//! `rapor freeze YEAR`: record the fingerprint of a published year.

use std::path::Path;

use super::Report;
use crate::error::{Problem, Problems};
use crate::freeze::FreezeOutcome;

/// Freezes `year` on `date` (`YYYY-MM-DD`), or today when not given.
pub fn run(root: &Path, year: i32, date: Option<&str>) -> Report {
    let file = format!("content/{year}/published.yaml");
    match freeze(root, year, date) {
        Ok(FreezeOutcome::Frozen { files, districts }) => Report::done([format!(
            "Froze {year}: {files} files and {districts} districts recorded in {file}"
        )]),
        Ok(FreezeOutcome::Corrected { freezes, previous }) => Report::done([format!(
            "Froze {year} again after a correction (freeze {freezes}, the last was on {previous}); recorded in {file}"
        )]),
        Ok(FreezeOutcome::Unchanged { date }) => Report::done([format!(
            "{year} has not changed since it was frozen on {date}; nothing written"
        )]),
        Err(problems) => Report::problems(problems, Some(&format!("{year} was not frozen"))),
    }
}

fn freeze(root: &Path, year: i32, date: Option<&str>) -> Result<FreezeOutcome, Problems> {
    let date = match date {
        Some(d) => {
            crate::content::check_date(d).map_err(|(message, hint)| {
                Problems::from(Problem::new("--date", message).hint(hint))
            })?;
            d.to_string()
        }
        None => jiff::Zoned::now().date().to_string(),
    };
    crate::freeze::freeze(root, year, &date)
}
