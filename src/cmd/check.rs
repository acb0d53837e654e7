//! `rapor check`: load and validate only; nothing is written.

use std::path::Path;

use super::Report;
use crate::error::Problems;
use crate::render::{RenderOptions, Renderer};

/// Checks the site under `root` as a build would, writing nothing.
pub fn run(root: &Path) -> Report {
    match check(root) {
        Ok((years, files, warnings)) => Report {
            warnings: warnings.to_string().lines().map(String::from).collect(),
            ..Report::done([format!(
                "No problems: {years} years, {files} district files checked"
            )])
        },
        Err(problems) => Report::problems(problems, None),
    }
}

/// Every problem in the content and the theme, or how much was checked and
/// the warnings (parts of the site, such as the map, that will be left out).
fn check(root: &Path) -> Result<(usize, usize, Problems), Problems> {
    let site = crate::content::load(root)?;
    let results = crate::score::score_site(&site);
    crate::freeze::check_site(&site, &results)?;
    // Rendering every page into nothing finds the theme's errors, as build
    // would; no archive is made, since nothing is written.
    Renderer::new(&site, &results, &RenderOptions::default())?.render_all(&|_| {})?;
    let files = site
        .years
        .iter()
        .map(|y| y.entries.iter().flatten().count())
        .sum();
    Ok((site.years.len(), files, site.warnings))
}
