//! `rapor freeze YEAR`: record the fingerprint of a published year.

use std::path::Path;

use crate::error::{Problem, Problems};
use crate::freeze::FreezeOutcome;

/// Freezes `year` on `date` (`YYYY-MM-DD`), or today when not given.
pub fn freeze(root: &Path, year: i32, date: Option<&str>) -> Result<FreezeOutcome, Problems> {
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
