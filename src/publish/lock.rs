//! The exclusive lock on an output folder: one build (or preview) at a time.
//!
//! An advisory lock (`flock` on unix) on a lock file beside the output,
//! `.<name>.rapor-lock`. The lock ends with the process, so a build that
//! crashes or is killed never leaves a stale lock behind. The holder removes
//! the lock file before it lets go; a build that was waiting then finds that
//! the file it locked is no longer the one at that path, and locks anew.

use crate::error::shown;
use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Whether to wait for another build that holds the lock.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Wait {
    /// Wait for it to finish (calling the notice once, before waiting).
    Yes,
    /// Give up at once.
    No,
}

#[derive(Debug)]
pub enum LockError {
    /// Another process holds the lock and `Wait::No` was asked.
    Busy {
        lock_file: PathBuf,
    },
    Io(io::Error),
}

impl From<io::Error> for LockError {
    fn from(e: io::Error) -> Self {
        LockError::Io(e)
    }
}

/// Held while a process writes the output folder; released when dropped.
#[derive(Debug)]
pub struct OutputLock {
    /// `None` once released.
    file: Mutex<Option<File>>,
    /// The lock file, removed on drop where an open file can be (unix).
    #[cfg_attr(not(unix), allow(dead_code))]
    path: PathBuf,
    output: PathBuf,
}

/// `.<name>.<suffix>` beside `output`.
pub(crate) fn sibling(output: &Path, suffix: &str) -> PathBuf {
    output.with_file_name(format!(".{}.{suffix}", file_name(output)))
}

pub(crate) fn file_name(output: &Path) -> String {
    output
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned())
}

/// `output` as a path with a last component that names the folder itself,
/// so that `.`, `..` or `site/..` can be locked, staged beside and renamed.
fn named(output: &Path) -> io::Result<PathBuf> {
    match output.file_name() {
        Some(_) => Ok(output.to_path_buf()),
        None => {
            let full = std::fs::canonicalize(output)?;
            match full.file_name() {
                Some(_) => Ok(full),
                None => Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "the root of the file system cannot be an output folder",
                )),
            }
        }
    }
}

impl OutputLock {
    /// Takes the lock on `output`, creating its parent folder if needed.
    /// With `Wait::Yes`, `notice` is called once if another process holds
    /// the lock, and the call returns when that process lets go.
    pub fn acquire(output: &Path, wait: Wait, notice: impl FnOnce()) -> Result<Self, LockError> {
        let output = named(output)?;
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let path = sibling(&output, "rapor-lock");
        let mut notice = Some(notice);
        loop {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", shown(&path))))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    if wait == Wait::No {
                        return Err(LockError::Busy { lock_file: path });
                    }
                    if let Some(notice) = notice.take() {
                        notice();
                    }
                    file.lock()?;
                }
                Err(TryLockError::Error(e)) => return Err(e.into()),
            }
            if is_file_at(&file, &path) {
                return Ok(OutputLock {
                    file: Mutex::new(Some(file)),
                    path,
                    output,
                });
            }
            // The holder removed the lock file while we waited: lock the current one.
        }
    }

    /// The output folder this lock is for.
    pub fn output(&self) -> &Path {
        &self.output
    }
}

/// Whether some process holds the lock on `output`: `None` if it has no
/// lock file (it was never locked, or the holder let go normally).
pub fn is_held(output: &Path) -> Option<bool> {
    let file = File::open(sibling(output, "rapor-lock")).ok()?;
    match file.try_lock() {
        Ok(()) => Some(false),
        Err(TryLockError::WouldBlock) => Some(true),
        Err(TryLockError::Error(_)) => None,
    }
}

#[cfg(unix)]
fn is_file_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_file_at(_file: &File, _path: &Path) -> bool {
    // The lock file is never removed here (see Drop), so it is always the one.
    true
}

impl OutputLock {
    /// Lets go of the lock now, as dropping it does: before the folder that
    /// holds the lock file is removed (Windows cannot remove a folder while
    /// a file in it is open), e.g. when `rapor serve` is stopped.
    pub fn release(&self) {
        let mut file = match self.file.lock() {
            Ok(file) => file,
            Err(poisoned) => poisoned.into_inner(),
        };
        if file.is_some() {
            // Removed while still locked, so nobody can lock it in between;
            // where an open file cannot be removed, it is left for the next build.
            #[cfg(unix)]
            let _ = std::fs::remove_file(&self.path);
            drop(file.take());
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        self.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_second_lock_waits_or_gives_up_and_no_lock_file_is_left() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        let first = OutputLock::acquire(&out, Wait::No, || {}).unwrap();
        assert_eq!(is_held(&out), Some(true));
        assert!(matches!(
            OutputLock::acquire(&out, Wait::No, || panic!("no wait")),
            Err(LockError::Busy { .. })
        ));
        let (told, heard) = mpsc::channel();
        let (done, finished) = mpsc::channel();
        let waiter = {
            let out = out.clone();
            std::thread::spawn(move || {
                let lock = OutputLock::acquire(&out, Wait::Yes, || told.send(()).unwrap());
                done.send(()).unwrap();
                lock.map(|_| ())
            })
        };
        heard.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(finished.recv_timeout(Duration::from_millis(200)).is_err());
        drop(first);
        finished.recv_timeout(Duration::from_secs(10)).unwrap();
        waiter.join().unwrap().unwrap();
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
        assert_eq!(is_held(&out), None);
    }

    #[test]
    fn dot_dot_is_locked_by_its_real_name() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("sub")).unwrap();
        let lock = OutputLock::acquire(&site.join("sub/.."), Wait::No, || {}).unwrap();
        assert_eq!(lock.output().file_name().unwrap(), "site");
        assert!(tmp.path().join(".site.rapor-lock").exists());
    }
}
