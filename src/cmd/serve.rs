//! `rapor serve`: build, serve on 127.0.0.1, rebuild and reload on change.

use std::path::Path;

use super::Report;

/// Serves the site under `root` on `port` until the process is stopped.
pub fn run(root: &Path, port: u16) -> Report {
    match crate::serve::serve(root, port) {
        Ok(()) => Report::default(),
        Err(e) => Report::failed(e.to_string()),
    }
}
