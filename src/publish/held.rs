//! Renames where another program can hold a folder: on Windows a folder
//! cannot be renamed while a file in it (or the folder itself) is open
//! without sharing deletion, as a browser, an editor, a terminal opened in
//! it or a virus scanner may do for a moment. Such a rename is retried
//! briefly; if it still fails, the held file is looked for and named.
//! On unix nothing holds a rename, so nothing is retried.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::shown;

/// How long a held rename is retried before the build gives up.
pub const RETRY_FOR: Duration = Duration::from_secs(5);

/// Whether `e` is the refusal of a file another program holds open
/// (Windows: access denied, sharing violation, lock violation).
pub fn is_held(e: &io::Error) -> bool {
    cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

/// Runs `op` until it succeeds, fails for a reason other than `held`, or
/// `limit` has passed; pauses 20 ms, 40 ms, ... at most 400 ms between tries.
pub fn retry<T>(
    limit: Duration,
    held: impl Fn(&io::Error) -> bool,
    mut op: impl FnMut() -> io::Result<T>,
) -> io::Result<T> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(20);
    loop {
        match op() {
            Err(e) if held(&e) && start.elapsed() + pause <= limit => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(400));
            }
            result => return result,
        }
    }
}

/// Renames `from` to `to`, retrying while another program holds `from`.
pub fn rename(from: &Path, to: &Path) -> io::Result<()> {
    retry(RETRY_FOR, is_held, || std::fs::rename(from, to))
}

/// `e`, a held rename of the folder `dir` while publishing `output`, as
/// the user reads it: which file (or folder) another program holds, if one
/// still is, and how to go on. The previous site is in place.
pub fn explained(e: io::Error, dir: &Path, output: &Path) -> io::Error {
    let what = match find_held(dir) {
        Some(path) => format!("{} is open in another program", shown(&path)),
        None => format!("a file in {} was open in another program", shown(dir)),
    };
    io::Error::new(
        e.kind(),
        format!(
            "{what} (a browser, an editor, a terminal or a virus scanner?), so {} could not be replaced ({e}); the previous site is unchanged: close it and build again",
            shown(output)
        ),
    )
}

/// The first entry of `dir` (itself first, then its contents by name) that
/// another program holds so that it cannot be renamed: opening it for
/// deletion, sharing everything, is a sharing violation.
#[cfg(windows)]
pub fn find_held(dir: &Path) -> Option<PathBuf> {
    use std::os::windows::fs::OpenOptionsExt;
    const DELETE: u32 = 0x0001_0000;
    const SHARE_ALL: u32 = 0x7;
    // Folders open too; links are looked at, not followed.
    const BACKUP_SEMANTICS: u32 = 0x0200_0000;
    const OPEN_REPARSE_POINT: u32 = 0x0020_0000;
    // Enough for any site; a site far larger is not searched to the end.
    const MAX_ENTRIES: usize = 200_000;
    let held = |path: &Path| {
        std::fs::OpenOptions::new()
            .access_mode(DELETE)
            .share_mode(SHARE_ALL)
            .custom_flags(BACKUP_SEMANTICS | OPEN_REPARSE_POINT)
            .open(path)
            .is_err_and(|e| matches!(e.raw_os_error(), Some(32 | 33)))
    };
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .take(MAX_ENTRIES)
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .find(|path| held(path))
}

#[cfg(not(windows))]
pub fn find_held(_dir: &Path) -> Option<PathBuf> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn busy() -> io::Error {
        io::Error::other("busy")
    }

    #[test]
    fn a_held_rename_is_retried_until_it_succeeds() {
        let tries = Cell::new(0);
        let result = retry(
            Duration::from_secs(5),
            |e| e.to_string() == "busy",
            || {
                tries.set(tries.get() + 1);
                if tries.get() < 4 {
                    Err(busy())
                } else {
                    Ok(tries.get())
                }
            },
        );
        assert_eq!(result.unwrap(), 4);
    }

    #[test]
    fn a_held_rename_gives_up_after_the_limit_and_other_errors_at_once() {
        let start = Instant::now();
        let tries = Cell::new(0);
        let result: io::Result<()> = retry(
            Duration::from_millis(300),
            |e| e.to_string() == "busy",
            || {
                tries.set(tries.get() + 1);
                Err(busy())
            },
        );
        assert_eq!(result.unwrap_err().to_string(), "busy");
        assert!(start.elapsed() <= Duration::from_millis(1000));
        assert!(tries.get() >= 3, "{}", tries.get());
        let tries = Cell::new(0);
        let result: io::Result<()> = retry(
            Duration::from_secs(5),
            |e| e.to_string() == "busy",
            || {
                tries.set(tries.get() + 1);
                Err(io::Error::other("gone"))
            },
        );
        assert!(result.is_err());
        assert_eq!(tries.get(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_held_on_unix() {
        assert!(!is_held(&io::Error::from_raw_os_error(libc::EACCES)));
        assert!(!is_held(&io::Error::from_raw_os_error(libc::EBUSY)));
        assert_eq!(find_held(Path::new(".")), None);
    }
}
