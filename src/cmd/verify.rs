//! `rapor verify DIR`: checks a published folder against its manifest.

use std::path::Path;

use super::{Exit, Report};
use crate::error::shown;
use crate::publish::verify::{verify, Verified, VerifyError};

/// Lists every file of `dir` that differs from its `manifest.json`.
pub fn run(dir: &Path) -> Report {
    match verify(dir) {
        Ok(verified) => report(dir, &verified),
        Err(VerifyError::NotAFolder(message)) => Report {
            exit: Exit::Usage,
            ..Report::failed(message)
        },
        Err(VerifyError::NoManifest(message)) => Report::failed(message),
    }
}

fn report(dir: &Path, verified: &Verified) -> Report {
    let lines = verified.findings.iter().map(|finding| {
        format!(
            "{}: {}",
            shown(&dir.join(&finding.path)),
            finding.difference
        )
    });
    let listed = verified.manifest.files.len();
    let date = verified
        .manifest
        .data_date
        .as_deref()
        .map(|d| format!(", data as of {d}"))
        .unwrap_or_default();
    let source = format!("rapor {}{date}", verified.manifest.rapor_version);
    let n = verified.findings.len();
    if n == 0 {
        let summary = format!(
            "All {listed} files of {} match its manifest ({source})",
            shown(dir)
        );
        return Report::done(lines.chain([summary]));
    }
    Report {
        lines: lines.collect(),
        ..Report::failed(format!(
            "{n} file{} of {} differ{} from its manifest ({listed} files listed, {source})",
            if n == 1 { "" } else { "s" },
            shown(dir),
            if n == 1 { "s" } else { "" }
        ))
    }
}
