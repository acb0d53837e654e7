//! Which folders a build may replace, and what earlier builds left beside them.

use std::path::{Path, PathBuf};

use crate::error::{shown, Problem};

pub use crate::manifest::MARKER;

pub const MARKER_TEXT: &str =
    "This folder was made by rapor. `rapor build` replaces it whole, with\n\
everything in it, on each build: keep no other files here.\n";

/// A previous site from before the marker existed: these are always there.
const OLD_SITE_FILES: [&str; 3] = ["index.html", "404.html", "sitemap.xml"];
const OLD_SITE_FOLDERS: [&str; 1] = ["data"];

/// Whether a build may replace `output`: it is missing, an empty folder, or
/// a folder rapor made (it has the marker, or the files every site of an
/// older rapor has). Anything else is refused, naming the folder.
pub fn check_replaceable(output: &Path) -> Result<(), Problem> {
    let meta = match std::fs::symlink_metadata(output) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(Problem::new(output, format!("cannot be read: {e}"))
                .hint("check the folder's permissions, or choose another --output"))
        }
    };
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(output).unwrap_or_default();
        return Err(Problem::new(
            output,
            format!("is a symbolic link to {}", shown(&target)),
        )
        .hint("a build replaces the output folder itself, not what a link points to; give the real folder to --output"));
    }
    if meta.is_file() {
        return Err(Problem::new(output, "is a file, not a folder").hint(
            "--output names the folder the site is published into; choose a folder, e.g. output",
        ));
    }
    if !meta.is_dir() {
        return Err(Problem::new(output, "is not a folder")
            .hint("choose a folder for --output, e.g. output"));
    }
    if is_mount_point(output, &meta) {
        return Err(Problem::new(output, "is a mount point").hint(format!(
            "a build swaps the new site in by renaming the folder, which a mount point does not allow; publish into a folder inside it, e.g. --output {}",
            shown(&output.join("site"))
        )));
    }
    let entries: Vec<String> = match std::fs::read_dir(output) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(e) => {
            return Err(Problem::new(output, format!("cannot be read: {e}"))
                .hint("check the folder's permissions, or choose another --output"))
        }
    };
    if entries.is_empty() || made_by_rapor(output) {
        return Ok(());
    }
    let mut names = entries;
    names.sort();
    let shown: Vec<String> = names
        .iter()
        .take(3)
        .map(|n| n.escape_debug().to_string())
        .collect();
    let more = if names.len() > 3 { ", ..." } else { "" };
    Err(Problem::new(
        output,
        format!(
            "holds files that rapor did not make ({}{more})",
            shown.join(", ")
        ),
    )
    .hint("a build replaces the whole output folder; move those files elsewhere or delete the folder, or choose another --output"))
}

fn made_by_rapor(dir: &Path) -> bool {
    let is_file = |name: &str| std::fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.is_file());
    let is_dir = |name: &str| std::fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.is_dir());
    is_file(MARKER)
        || (OLD_SITE_FILES.iter().all(|f| is_file(f)) && OLD_SITE_FOLDERS.iter().all(|f| is_dir(f)))
}

#[cfg(unix)]
fn is_mount_point(dir: &Path, meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let parent = match dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => p.to_path_buf(),
        None => PathBuf::from("."),
    };
    std::fs::metadata(parent).is_ok_and(|p| p.dev() != meta.dev())
}

#[cfg(not(unix))]
fn is_mount_point(_dir: &Path, _meta: &std::fs::Metadata) -> bool {
    false
}

/// Staging and old folders that earlier builds of `output` left beside it
/// (crashed, killed, or unable to remove the previous site). Only call this
/// while holding the output's lock: then no other build is using them.
pub fn leftovers(output: &Path) -> Vec<PathBuf> {
    let parent = match output.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => p.to_path_buf(),
        None => PathBuf::from("."),
    };
    let name = super::lock::file_name(output);
    let Ok(entries) = std::fs::read_dir(&parent) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| is_leftover_name(&name, &e.file_name().to_string_lossy()))
        .map(|e| parent.join(e.file_name()))
        .collect();
    found.sort();
    found
}

/// `.<name>.rapor-new` or `.<name>.rapor-old`, alone (older rapor) or with a
/// `-<pid>-<n>` suffix.
fn is_leftover_name(output_name: &str, entry: &str) -> bool {
    let Some(rest) = entry.strip_prefix(&format!(".{output_name}.rapor-")) else {
        return false;
    };
    let Some(suffix) = rest
        .strip_prefix("new")
        .or_else(|| rest.strip_prefix("old"))
    else {
        return false;
    };
    suffix.is_empty()
        || suffix.strip_prefix('-').is_some_and(|s| {
            !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names() {
        assert!(is_leftover_name("output", ".output.rapor-new"));
        assert!(is_leftover_name("output", ".output.rapor-old"));
        assert!(is_leftover_name("output", ".output.rapor-new-123-4"));
        assert!(is_leftover_name("output", ".output.rapor-old-123-4"));
        assert!(!is_leftover_name("output", ".output.rapor-lock"));
        assert!(!is_leftover_name("output", ".output.rapor-new-"));
        assert!(!is_leftover_name("output", ".output.rapor-newer"));
        assert!(!is_leftover_name("output", ".out.rapor-new"));
        assert!(!is_leftover_name("out", ".output.rapor-new"));
        assert!(!is_leftover_name("a", ".a.rapor-new-x.rapor-lock"));
    }

    #[test]
    fn only_folders_rapor_made_are_replaceable() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        assert!(check_replaceable(&dir.join("missing")).is_ok());
        std::fs::create_dir(dir.join("empty")).unwrap();
        assert!(check_replaceable(&dir.join("empty")).is_ok());

        std::fs::create_dir(dir.join("docs")).unwrap();
        std::fs::write(dir.join("docs/notes.txt"), "mine").unwrap();
        let refused = check_replaceable(&dir.join("docs")).unwrap_err();
        assert!(refused.message.contains("notes.txt"), "{refused}");

        std::fs::write(dir.join("docs").join(MARKER), MARKER_TEXT).unwrap();
        assert!(check_replaceable(&dir.join("docs")).is_ok());

        let old = dir.join("old");
        std::fs::create_dir_all(old.join("data")).unwrap();
        for f in OLD_SITE_FILES {
            std::fs::write(old.join(f), "x").unwrap();
        }
        assert!(check_replaceable(&old).is_ok());
        std::fs::remove_file(old.join("sitemap.xml")).unwrap();
        assert!(check_replaceable(&old).is_err());

        std::fs::write(dir.join("file"), "x").unwrap();
        let refused = check_replaceable(&dir.join("file")).unwrap_err();
        assert_eq!(refused.message, "is a file, not a folder");
    }
}
