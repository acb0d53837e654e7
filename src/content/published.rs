//! `content/<year>/published.yaml`: the freezes of a published year, as
//! written by `rapor freeze` (see [`crate::freeze`]), read with the year.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::files;
use crate::error::{Problem, Problems};

/// The fingerprint file's name in a year folder.
pub const FILE_NAME: &str = "published.yaml";

/// Every freeze of a year, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Published {
    pub freezes: Vec<Freeze>,
}

/// One freeze: the year's inputs and numbers as published on `date`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Freeze {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Fingerprints of the corrections in year.yaml when frozen ([`correction_id`]).
    #[serde(default)]
    pub corrections: Vec<String>,
    /// Path from the site root → SHA-256 (hex), sorted by path.
    pub files: BTreeMap<String, String>,
    /// Slug → SHA-256 of the registry entry, sorted by slug.
    pub registry: BTreeMap<String, String>,
    /// Slug → values and numbers, sorted by slug.
    pub districts: BTreeMap<String, DistrictRecord>,
}

/// One assessed district as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictRecord {
    /// Rounded to 2 decimals, as on the pages.
    pub final_score: f64,
    pub category: String,
    pub rank: u32,
    /// Indicator key → value as written (a score or a grade letter), in rubric order.
    pub indicators: IndexMap<String, String>,
    /// Component key → value as written, for the components a district gives.
    #[serde(default)]
    pub components: IndexMap<String, f64>,
}

impl Freeze {
    /// Whether two freezes saw the same inputs (files and registry entries).
    pub fn same_inputs(&self, other: &Freeze) -> bool {
        self.files == other.files && self.registry == other.registry
    }
}

/// `content/<year>/published.yaml`, relative to the site root.
pub fn published_path(year: i32) -> PathBuf {
    Path::new("content").join(year.to_string()).join(FILE_NAME)
}

/// Reads a year's published.yaml: `None` when the year was never frozen.
pub fn read_published(root: &Path, year: i32) -> Result<Option<Published>, Problems> {
    let rel = published_path(year);
    if !files::exists(root, &rel) {
        return Ok(None);
    }
    let text = files::read_text(root, &rel)?;
    let published: Published = crate::yaml::parse(&rel, &text).map_err(|p| {
        Problems::from(p.hint(format!(
            "this file is written by `rapor freeze {year}`; restore it from version control"
        )))
    })?;
    if published.freezes.is_empty() {
        return Err(Problem::new(&rel, "holds no freeze")
            .hint(format!(
                "restore it from version control, or delete it and run `rapor freeze {year}`"
            ))
            .into());
    }
    Ok(Some(published))
}
