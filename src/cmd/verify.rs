//! `rapor verify DIR`: checks a published folder against its manifest.

use std::path::Path;

pub use crate::publish::verify::{Finding, Verified, VerifyError};

/// Every file of `dir` that differs from its `manifest.json`.
pub fn verify(dir: &Path) -> Result<Verified, VerifyError> {
    crate::publish::verify::verify(dir)
}
