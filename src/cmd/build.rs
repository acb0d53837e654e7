//! `rapor build`: load, score, render, publish.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::content::Site;
use crate::error::{Problem, Problems};
use crate::publish::Staging;
use crate::render::{RenderOptions, Renderer};
use crate::score::YearResults;

#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub output: PathBuf,
    pub load: Duration,
    pub render_and_write: Duration,
    /// Time the writer thread spent creating folders and files (it runs
    /// while pages render).
    pub writing: Duration,
    /// Time to swap the new site in and remove the old one.
    pub swap: Duration,
    pub total: Duration,
}

/// Why a build did not publish.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the content or theme: the user's to fix.
    Content(Problems),
    /// The file system refused.
    Io(String),
}

impl From<Problems> for BuildError {
    fn from(p: Problems) -> Self {
        BuildError::Content(p)
    }
}

/// The output folder must not hold the site's sources: it is replaced whole.
fn check_output(root: &Path, output: &Path) -> Result<(), BuildError> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root = canonical(root);
    let out = match (output.parent(), output.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
            canonical(parent).join(name)
        }
        _ => canonical(output),
    };
    let sources = [root.join("content"), root.join("themes")];
    if root.starts_with(&out) || sources.iter().any(|s| out.starts_with(s)) {
        return Err(BuildError::Content(
            Problem::new(output, "would replace the site's own files")
                .hint("the output folder is deleted and rewritten on each build; choose a folder of its own, e.g. output/")
                .into(),
        ));
    }
    Ok(())
}

pub fn build(
    root: &Path,
    output: &Path,
    options: &RenderOptions,
) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    if let Some(url) = &options.base_url {
        crate::content::check_base_url(url).map_err(|reason| {
            Problems::from(Problem::new("--base-url", format!("`{url}` {reason}")))
        })?;
    }
    check_output(root, output)?;
    let site = crate::content::load(root)?;
    let results = crate::score::score_site(&site);
    publish(&site, &results, output, options, start)
}

/// Renders a loaded and scored site into a staging folder beside `output`
/// and swaps it in when complete. `start` is when the build began.
pub fn publish(
    site: &Site,
    results: &[YearResults],
    output: &Path,
    options: &RenderOptions,
    start: Instant,
) -> Result<BuildReport, BuildError> {
    let renderer = Renderer::new(site, results, options)?;
    let load = start.elapsed();
    let staging =
        Staging::new(output).map_err(|e| BuildError::Io(format!("{}: {e}", output.display())))?;
    let writer = staging.writer();
    let sender = writer.sender();
    let rendered = renderer.render_all(&|file| {
        // A send fails only if the writer stopped on an error, reported by finish().
        let _ = sender.send(file);
    });
    drop(sender);
    let written = writer.finish();
    let pages = rendered?;
    let (files, writing) = written.map_err(|e| BuildError::Io(e.to_string()))?;
    let swap_start = Instant::now();
    staging
        .commit()
        .map_err(|e| BuildError::Io(format!("{}: {e}", output.display())))?;
    let swap = swap_start.elapsed();
    Ok(BuildReport {
        pages,
        files,
        output: output.to_path_buf(),
        load,
        render_and_write: start.elapsed() - load,
        writing,
        swap,
        total: start.elapsed(),
    })
}
