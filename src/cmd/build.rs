//! `rapor build`: validate, compute, render and publish the site.

use std::path::Path;

use super::Report;
use crate::error::shown;
use crate::publish::site::{self, BuildError, BuildReport};
use crate::publish::Wait;
use crate::render::RenderOptions;

/// Builds the site under `root` into `output`.
pub fn run(root: &Path, output: &Path, base_url: Option<String>, no_wait: bool) -> Report {
    let options = RenderOptions {
        base_url,
        body_end: None,
        archives: true,
        pictures: true,
    };
    let wait = if no_wait { Wait::No } else { Wait::Yes };
    match site::build(root, output, &options, wait) {
        Ok(built) => Report {
            warnings: built.warnings.clone(),
            ..Report::done([summary(&built)])
        },
        Err(BuildError::Content(problems)) => {
            Report::problems(problems, Some("nothing was published"))
        }
        Err(BuildError::Io(message)) => {
            Report::failed(format!("could not write the site: {message}"))
        }
        Err(BuildError::Busy(message)) => Report::failed(message),
    }
}

fn summary(built: &BuildReport) -> String {
    if built.up_to_date {
        return format!(
            "Nothing changed since the last build: {} is up to date ({} pages, {} files checked in {} ms)",
            shown(&built.output),
            built.pages,
            built.files,
            built.total.as_millis()
        );
    }
    format!(
        "Built {} pages ({} files, {} written, {} unchanged) into {} in {} ms (load and score {} ms, render and write {} ms, of which writing files {} ms and swapping in {} ms)",
        built.pages,
        built.files,
        built.written,
        built.files - built.written.min(built.files),
        shown(&built.output),
        built.total.as_millis(),
        built.load.as_millis(),
        built.render_and_write.as_millis(),
        built.writing.as_millis(),
        built.swap.as_millis()
    )
}
