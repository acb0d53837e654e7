//! A whole build of a site into its output: load, score, render into a
//! staging folder, swap it in. The record of the previous build lets an
//! unchanged site stay as it is and a changed one re-render only what changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;
use std::time::{Duration, Instant};

use crate::content::Site;
use crate::error::{shown, Problem, Problems};
use crate::manifest::{Manifest, MANIFEST};
use crate::publish::state::{self, Stamp, State};
use crate::publish::{check_replaceable, LockError, Out, OutputLock, Reuse, Staging, Wait};
use crate::render::{incremental, Job, RenderOptions, Renderer};
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
    /// Files written (the others were linked from the previous site).
    pub written: usize,
    /// Nothing changed since the last build: its site was left in place.
    pub up_to_date: bool,
}

/// What the next build is told of a published site's files.
struct Published {
    /// Every published file as it now is.
    stamps: state::Files,
    /// Every file of the previous site, now kept as the spare beside the
    /// output (see [`state`]), if it was.
    spare: Option<state::Files>,
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
    // What the last build of this output was made from, if it can be trusted.
    let key = state::key(&format!("{options:?}"));
    let taken = state::now();
    let previous = key
        .as_deref()
        .and_then(|key| State::read(lock.output(), key))
        .filter(|p| p.outputs_intact(lock.output()));
    let inputs = state::snapshot_inputs(root, previous.as_ref());
    let same_inputs = |p: &State| {
        inputs
            .as_ref()
            .is_some_and(|i| state::digests(&p.inputs) == state::digests(i))
    };
    if let Some(previous) = previous.as_ref().filter(|p| same_inputs(p)) {
        let mut report = up_to_date(previous, lock.output(), start);
        report.warnings = crate::publish::remove_leftovers(&lock);
        return Ok(report);
    }
    let site = crate::content::load(root)?;
    let results = crate::score::score_site(&site);
    // A frozen year whose inputs changed is not published: the output stays as it was.
    crate::freeze::check_site(&site, &results)?;
    let plan = match &previous {
        Some(previous) => Plan::Update {
            jobs: inputs
                .as_ref()
                .and_then(|inputs| update_jobs(&site, previous, inputs, &results)),
            previous,
        },
        None => Plan::Full,
    };
    let (report, published) = publish_plan(&site, &results, &lock, options, start, plan)?;
    match (key, inputs) {
        (Some(key), Some(inputs)) => {
            let Published { stamps, spare } = published;
            let state = State::new(key, taken, inputs, stamps, results, report.pages, spare);
            // Only an optimisation: without it the next build renders everything.
            let _ = state.write(lock.output());
        }
        _ => state::forget(lock.output()),
    }
    Ok(report)
}

/// How much of the site a build renders.
enum Plan<'a> {
    /// Every page, written anew.
    Full,
    /// Over the previous site: only `jobs` (all when `None`), and files
    /// with the same bytes as before are linked, not written.
    Update {
        jobs: Option<Vec<Job>>,
        previous: &'a State,
    },
}

/// The pages to render again when only district files changed since the
/// previous build (see [`incremental::affected_jobs`]); `None` for all.
fn update_jobs(
    site: &Site,
    previous: &State,
    inputs: &BTreeMap<String, Stamp>,
    results: &[YearResults],
) -> Option<Vec<Job>> {
    let same_shape = previous.results.len() == results.len()
        && previous
            .results
            .iter()
            .zip(results)
            .all(|(a, b)| a.scores.len() == b.scores.len());
    if !same_shape {
        return None;
    }
    let changed = incremental::changed_districts(
        site,
        &state::digests(&previous.inputs),
        &state::digests(inputs),
    )?;
    Some(incremental::affected_jobs(
        site,
        &previous.results,
        results,
        &changed,
    ))
}

/// Nothing changed since the last build, whose site is intact: it stays.
fn up_to_date(previous: &State, output: &Path, start: Instant) -> BuildReport {
    BuildReport {
        pages: previous.pages,
        files: previous.outputs.len(),
        written: 0,
        up_to_date: true,
        output: output.to_path_buf(),
        load: Duration::ZERO,
        render_and_write: Duration::ZERO,
        writing: Duration::ZERO,
        swap: Duration::ZERO,
        total: start.elapsed(),
        warnings: Vec::new(),
    }
}

/// Takes the output's lock, telling the user if another build holds it.
fn lock_output(output: &Path, wait: Wait) -> Result<OutputLock, BuildError> {
    let shown = format!("{}/", shown(output));
    OutputLock::acquire(output, wait, || {
        eprintln!("waiting for another build of {shown} ...");
    })
    .map_err(|e| match e {
        LockError::Busy { lock_file } => BuildError::Busy(format!(
            "another build of {shown} is running (it holds {}); try again when it has finished, or leave out --no-wait to wait for it",
            crate::error::shown(&lock_file)
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
    publish_plan(site, results, lock, options, start, Plan::Full).map(|(report, _)| report)
}

/// Renders what `plan` asks for and hands every file to the writer.
fn render_plan(
    renderer: &Renderer,
    plan: &Plan,
    output: &Path,
    sender: SyncSender<Out>,
) -> Result<usize, Problems> {
    // A send fails only if the writer stopped on an error, reported by finish().
    let sink = |file| {
        let _ = sender.send(Out::File(file));
    };
    match plan {
        Plan::Update {
            jobs: Some(jobs),
            previous,
        } => {
            let paths: Vec<String> = previous
                .outputs
                .keys()
                .filter(|p| *p != MANIFEST)
                .cloned()
                .collect();
            renderer.render_update(
                jobs,
                &paths,
                &|rel| std::fs::read(output.join(rel)),
                &sink,
                &|rel| {
                    let _ = sender.send(Out::Keep(rel));
                },
            )
        }
        _ => renderer.render_all(&sink),
    }
}

fn publish_plan(
    site: &Site,
    results: &[YearResults],
    lock: &OutputLock,
    options: &RenderOptions,
    start: Instant,
    plan: Plan,
) -> Result<(BuildReport, Published), BuildError> {
    let output = lock.output();
    let renderer = Renderer::new(site, results, options)?;
    let load = start.elapsed();
    let mut staging = match &plan {
        Plan::Full => Staging::new(lock),
        Plan::Update { previous, .. } => Staging::from_spare(lock, previous.spare.as_ref()),
    }
    .map_err(|e| BuildError::Io(e.to_string()))?;
    let reuse = match &plan {
        Plan::Full => None,
        Plan::Update { previous, .. } => Some(Reuse {
            dir: output.to_path_buf(),
            outputs: previous.outputs.clone(),
        }),
    };
    let writer = staging.writer(reuse);
    let rendered = render_plan(&renderer, &plan, output, writer.sender());
    let written = writer.finish();
    let pages = rendered?;
    let written = written.map_err(|e| BuildError::Io(e.to_string()))?;
    let writing = written.busy;
    let mut stamps = written.stamps();
    let manifest =
        Manifest::new(site.data_date(), written.records.clone()).map_err(BuildError::Io)?;
    let manifest_stamp = staging
        .write_manifest(&manifest)
        .map_err(|e| BuildError::Io(e.to_string()))?;
    stamps.insert(MANIFEST.to_string(), manifest_stamp);
    // The files the manifest lists, and the manifest.
    let files = manifest.files.len() + 1;
    let swap_start = Instant::now();
    let mut warnings: Vec<String> = site
        .warnings
        .to_string()
        .lines()
        .map(String::from)
        .collect();
    let (more, spare) = commit(staging, &plan)?;
    warnings.extend(more);
    let swap = swap_start.elapsed();
    let report = BuildReport {
        pages,
        files,
        written: written.written + 1,
        up_to_date: false,
        output: output.to_path_buf(),
        load,
        render_and_write: start.elapsed() - load,
        writing,
        swap,
        total: start.elapsed(),
        warnings,
    };
    Ok((report, Published { stamps, spare }))
}

/// Swaps the staged site in. Over a previous site known file by file, that
/// site is kept as the spare the next rebuild brings up to date in place
/// (see [`state`]); its files are returned.
fn commit(
    staging: Staging,
    plan: &Plan,
) -> Result<(Vec<String>, Option<state::Files>), BuildError> {
    let failed = |e: std::io::Error| BuildError::Io(e.to_string());
    match plan {
        Plan::Full => Ok((staging.commit().map_err(failed)?, None)),
        Plan::Update { previous, .. } => {
            let (warnings, kept) = staging.commit_keeping_spare().map_err(failed)?;
            Ok((warnings, kept.then(|| previous.outputs.clone())))
        }
    }
}
