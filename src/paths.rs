//! Relative paths inside a site or a published folder: the one check that a
//! path cannot lead out of the folder it is joined to.

use std::path::{Component, Path};

/// A relative path made only of plain names: nothing can escape the folder.
pub fn is_plain_relative(path: &Path) -> bool {
    path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// A non-empty relative path made only of plain names.
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty() && is_plain_relative(Path::new(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_escape_are_refused() {
        assert!(is_safe_relative("2023/buleleng/index.html"));
        for bad in ["", "../x", "/etc/passwd", "a/../../b", "./a"] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }
}
