//! `rapor build`: load, score, render, publish.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::content::Site;
use crate::error::{Problem, Problems};
use crate::publish::{check_replaceable, LockError, Manifest, OutputLock, Staging, Wait};
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
    /// Published all the same, but worth knowing (e.g. an old site that
    /// could not be removed).
    pub warnings: Vec<String>,
}

/// Why a build did not publish.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the content or theme: the user's to fix.
    Content(Problems),
    /// The file system refused.
    Io(String),
    /// Another build holds the output and waiting was not wanted.
    Busy(String),
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
    wait: Wait,
) -> Result<BuildReport, BuildError> {
    if let Some(url) = &options.base_url {
        crate::content::check_base_url(url).map_err(|reason| {
            Problems::from(Problem::new("--base-url", format!("`{url}` {reason}")))
        })?;
    }
    check_output(root, output)?;
    // Checked before waiting for the lock, and again once holding it.
    check_replaceable(output).map_err(|p| BuildError::Content(p.into()))?;
    let lock = lock_output(output, wait)?;
    // Time spent waiting for another build is not this build's.
    let start = Instant::now();
    check_replaceable(lock.output()).map_err(|p| BuildError::Content(p.into()))?;
    let site = crate::content::load(root)?;
    let results = crate::score::score_site(&site);
    // A frozen year whose inputs changed is not published: the output stays as it was.
    crate::freeze::check_site(&site, &results)?;
    publish(&site, &results, &lock, options, start)
}

/// Takes the output's lock, telling the user if another build holds it.
fn lock_output(output: &Path, wait: Wait) -> Result<OutputLock, BuildError> {
    let shown = format!(
        "{}/",
        output.display().to_string().trim_end_matches(['/', '\\'])
    );
    OutputLock::acquire(output, wait, || {
        eprintln!("waiting for another build of {shown} ...");
    })
    .map_err(|e| match e {
        LockError::Busy { lock_file } => BuildError::Busy(format!(
            "another build of {shown} is running (it holds {}); try again when it has finished, or leave out --no-wait to wait for it",
            lock_file.display()
        )),
        LockError::Io(e) => BuildError::Io(format!("{shown}: {e}")),
    })
}

/// Renders a loaded and scored site into a staging folder beside the
/// locked output and swaps it in when complete. `start` is when the build began.
pub fn publish(
    site: &Site,
    results: &[YearResults],
    lock: &OutputLock,
    options: &RenderOptions,
    start: Instant,
) -> Result<BuildReport, BuildError> {
    let output = lock.output();
    let renderer = Renderer::new(site, results, options)?;
    let load = start.elapsed();
    let staging = Staging::new(lock).map_err(|e| BuildError::Io(e.to_string()))?;
    let writer = staging.writer();
    let sender = writer.sender();
    let rendered = renderer.render_all(&|file| {
        // A send fails only if the writer stopped on an error, reported by finish().
        let _ = sender.send(file);
    });
    drop(sender);
    let written = writer.finish();
    let pages = rendered?;
    let written = written.map_err(|e| BuildError::Io(e.to_string()))?;
    let writing = written.busy;
    let manifest = Manifest::new(site.data_date(), written.records).map_err(BuildError::Io)?;
    staging
        .write_manifest(&manifest)
        .map_err(|e| BuildError::Io(e.to_string()))?;
    // The files the manifest lists, and the manifest.
    let files = manifest.files.len() + 1;
    let swap_start = Instant::now();
    let mut warnings: Vec<String> = site
        .warnings
        .to_string()
        .lines()
        .map(String::from)
        .collect();
    warnings.extend(
        staging
            .commit()
            .map_err(|e| BuildError::Io(e.to_string()))?,
    );
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
        warnings,
    })
}
