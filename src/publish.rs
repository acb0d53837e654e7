//! Publishing: files are written into a staging folder beside the output and
//! swapped in only when the whole site is complete, so a failed build leaves
//! the previous site untouched.
//!
//! One build at a time holds the output's lock ([`OutputLock`]); only a
//! folder rapor made is ever replaced ([`check_replaceable`]); the swap is
//! one atomic exchange where the platform has one, so `output/` is never
//! missing, and a previous site that cannot be removed afterwards is only a
//! warning: the next build removes what earlier ones left.
//!
//! One writer thread does all file-system work: renders run in parallel, but
//! creating thousands of files from many threads at once costs far more in
//! the kernel than one sequential writer. It also hashes each file for
//! `manifest.json` (see [`crate::manifest`]), from the bytes it holds anyway: measured
//! at 5,500 pages (245 MB), that costs the render threads nothing, where
//! hashing in them made the build about 0.4 s slower on 2 cores.

mod folder;
mod held;
mod lock;
pub mod site;
pub mod state;
pub mod verify;

use crate::manifest::{FileRecord, Manifest, MANIFEST};
pub use folder::{check_replaceable, MARKER};
pub use lock::{is_held, LockError, OutputLock, Wait};

use crate::error::shown;
use crate::render::OutputFile;
use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use lock::sibling;

/// A folder beside the output that the next site is written into; it holds
/// the output's lock, so no other build uses the output meanwhile.
pub struct Staging<'a> {
    dir: PathBuf,
    /// Where the previous site goes when there is no atomic exchange.
    old: PathBuf,
    lock: &'a OutputLock,
    committed: bool,
    warnings: Vec<String>,
    /// When `dir` is the spare brought up to date in place (see
    /// [`state`]): the files already in it, as recorded, until the writer
    /// takes them.
    present: Option<BTreeMap<String, state::Stamp>>,
}

/// Removes what earlier builds left beside the locked output (crashed or
/// killed builds, previous sites that could not be removed); one that
/// cannot be removed is a warning and ignored.
pub fn remove_leftovers(lock: &OutputLock) -> Vec<String> {
    let mut warnings = Vec::new();
    for left in folder::leftovers(lock.output()) {
        if let Err(e) = std::fs::remove_dir_all(&left) {
            warnings.push(format!(
                "{} was left by an earlier build and cannot be removed ({e}); it is ignored, delete it when you can",
                shown(&left)
            ));
        }
    }
    warnings
}

/// Makes the names of staging folders unique within this process.
static STAGING_COUNT: AtomicU64 = AtomicU64::new(0);

impl<'a> Staging<'a> {
    /// Removes what earlier builds left beside the output (a leftover that
    /// cannot be removed is a warning and ignored) and creates a staging
    /// folder of this build's own.
    pub fn new(lock: &'a OutputLock) -> io::Result<Staging<'a>> {
        let output = lock.output();
        let mut warnings = remove_leftovers(lock);
        warnings.extend(remove_spare(lock));
        let pid = std::process::id();
        let mut tries = 0;
        loop {
            let n = STAGING_COUNT.fetch_add(1, Ordering::Relaxed);
            let dir = sibling(output, &format!("rapor-new-{pid}-{n}"));
            match std::fs::create_dir(&dir) {
                Ok(()) => {
                    return Ok(Staging {
                        old: sibling(output, &format!("rapor-old-{pid}-{n}")),
                        dir,
                        lock,
                        committed: false,
                        warnings,
                        present: None,
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 100 => tries += 1,
                Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", shown(&dir)))),
            }
        }
    }

    /// The spare beside the output as the staging folder, to be brought up
    /// to date in place, when it holds exactly `files` as recorded;
    /// otherwise (no record, or the spare was changed) it is removed and a
    /// new empty staging folder is made.
    pub fn from_spare(
        lock: &'a OutputLock,
        files: Option<&BTreeMap<String, state::Stamp>>,
    ) -> io::Result<Staging<'a>> {
        let spare = state::spare_path(lock.output());
        match files.filter(|files| state::intact(&spare, files)) {
            Some(files) => {
                let n = STAGING_COUNT.fetch_add(1, Ordering::Relaxed);
                let pid = std::process::id();
                Ok(Staging {
                    old: sibling(lock.output(), &format!("rapor-old-{pid}-{n}")),
                    dir: spare,
                    lock,
                    committed: false,
                    warnings: remove_leftovers(lock),
                    present: Some(files.clone()),
                })
            }
            None => Staging::new(lock),
        }
    }

    /// Starts the writer thread. With `reuse` (the previous site, checked
    /// intact), a file whose bytes equal the previous one at its path is
    /// hard-linked from it instead of written.
    pub fn writer(&mut self, reuse: Option<Reuse>) -> Writer {
        let (tx, rx) = sync_channel::<Out>(256);
        let mut put = Put {
            root: self.dir.clone(),
            reuse,
            present: Present(self.present.take().unwrap_or_default()),
            made: HashSet::new(),
            done: Written::default(),
        };
        let handle = std::thread::spawn(move || -> io::Result<Written> {
            for out in rx {
                let started = Instant::now();
                put.put(out)?;
                put.done.busy += started.elapsed();
            }
            let started = Instant::now();
            put.present.remove_rest(&put.root)?;
            put.done.busy += started.elapsed();
            Ok(put.done)
        });
        Writer {
            tx: Some(tx),
            handle: Some(handle),
        }
    }

    /// Writes the manifest of the staged files (see [`crate::manifest`]).
    /// Returns its stamp (for the record of this build).
    pub fn write_manifest(&self, manifest: &Manifest) -> io::Result<state::Stamp> {
        let path = self.dir.join(MANIFEST);
        let json = manifest.to_json();
        let mtime = write_file(&path, json.as_bytes())
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", shown(&path))))?;
        let record = FileRecord::of(MANIFEST, json.as_bytes());
        Ok(state::Stamp {
            size: record.size,
            mtime,
            sha256: record.sha256,
        })
    }

    /// Marks the staged site as rapor's and swaps it in place of the output
    /// folder. On an error the previous site is still in place. Returns
    /// warnings: leftovers of earlier builds, or a previous site that could
    /// not be removed after the new one was in place.
    pub fn commit(self) -> io::Result<Vec<String>> {
        let (warnings, _) = self.commit_with(swap_in, |old| std::fs::remove_dir_all(old), false)?;
        Ok(warnings)
    }

    /// As [`Staging::commit`], but the previous site is kept as the spare
    /// (see [`state`]) rather than removed. Also returns whether it was.
    pub fn commit_keeping_spare(self) -> io::Result<(Vec<String>, bool)> {
        self.commit_with(swap_in, |old| std::fs::remove_dir_all(old), true)
    }

    fn commit_with(
        mut self,
        swap: impl FnOnce(&Path, &Path, &Path) -> io::Result<Option<PathBuf>>,
        remove: impl FnOnce(&Path) -> io::Result<()>,
        keep_spare: bool,
    ) -> io::Result<(Vec<String>, bool)> {
        let marker = self.dir.join(MARKER);
        // A new file, never one shared with another tree.
        remove_file_if_any(&marker)?;
        std::fs::write(&marker, folder::MARKER_TEXT)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", shown(&marker))))?;
        let output = self.lock.output();
        let previous = swap(&self.dir, &self.old, output)?;
        self.committed = true;
        let mut warnings = std::mem::take(&mut self.warnings);
        let spare = state::spare_path(output);
        let mut kept = false;
        if let Some(previous) = previous {
            // After an exchange with the spare, the previous site is already there.
            kept = keep_spare && (previous == spare || held::rename(&previous, &spare).is_ok());
            if !kept {
                if let Err(e) = remove(&previous) {
                    warnings.push(format!(
                    "the new site is in {}, but the previous one could not be removed from {} ({e}); the next build removes it, or delete it yourself",
                    shown(output),
                    shown(&previous)
                ));
                }
            }
        }
        Ok((warnings, kept))
    }
}

/// Puts the folder `new` at `output`. If `output` existed, returns where
/// the previous site is now: at `new`'s name after an atomic exchange, at
/// `old` after two renames where there is no exchange. On an error the
/// previous site is at `output`.
fn swap_in(new: &Path, old: &Path, output: &Path) -> io::Result<Option<PathBuf>> {
    let with_path = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", shown(output)));
    match std::fs::symlink_metadata(output) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            held::rename(new, output).map_err(with_path)?;
            return Ok(None);
        }
        Err(e) => return Err(with_path(e)),
        Ok(_) => {}
    }
    match exchange(new, output) {
        Ok(()) => return Ok(Some(new.to_path_buf())),
        Err(e) if !exchange_unsupported(&e) => return Err(unchanged(e, output)),
        Err(_) => {}
    }
    swap_by_renames(new, old, output)
}

/// Without an atomic exchange: the old site aside, the new one in, and the
/// old one back if that fails. On Windows a rename that another program
/// holds (a file open in the folder) is retried briefly, then the file is named.
fn swap_by_renames(new: &Path, old: &Path, output: &Path) -> io::Result<Option<PathBuf>> {
    held::rename(output, old).map_err(|e| unchanged_by(e, output, output))?;
    if let Err(e) = held::rename(new, output) {
        return Err(match held::rename(old, output) {
            Ok(()) => unchanged_by(e, new, output),
            Err(back) => io::Error::new(
                e.kind(),
                format!(
                    "{}: {e}; the previous site is in {} and could not be put back ({back})",
                    shown(output),
                    shown(old)
                ),
            ),
        });
    }
    Ok(Some(old.to_path_buf()))
}

/// `e` from renaming `dir` while publishing `output`, the previous site in place.
fn unchanged_by(e: io::Error, dir: &Path, output: &Path) -> io::Error {
    if held::is_held(&e) {
        held::explained(e, dir, output)
    } else {
        unchanged(e, output)
    }
}

fn unchanged(e: io::Error, output: &Path) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("{}: {e}; the previous site is unchanged", shown(output)),
    )
}

/// Exchanges two paths atomically: `renameat2(RENAME_EXCHANGE)`.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let result = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The kernel or the file system has no exchange: fall back to renames.
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    ) {
        return true;
    }
    e.kind() == io::ErrorKind::Unsupported
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

pub struct Writer {
    tx: Option<SyncSender<Out>>,
    handle: Option<JoinHandle<io::Result<Written>>>,
}

/// What the writer is asked to put in the staging folder.
pub enum Out {
    /// A file rendered by this build.
    File(OutputFile),
    /// A file of the previous site, kept as it is (see [`Reuse`]).
    Keep(String),
}

/// The previous site, whose files a rebuild hard-links instead of writing
/// them again. Only made from a previous output checked intact against its
/// state (see [`state`]).
pub struct Reuse {
    pub dir: PathBuf,
    pub outputs: std::collections::BTreeMap<String, state::Stamp>,
}

impl Reuse {
    /// The previous stamp of `record`'s path if it had the same bytes.
    fn same(&self, record: &FileRecord) -> Option<state::Stamp> {
        self.outputs
            .get(&record.path)
            .filter(|s| s.sha256 == record.sha256 && s.size == record.size)
            .cloned()
    }

    /// Hard-links the previous file at `rel` to `to`.
    fn link(&self, rel: &str, to: &Path) -> io::Result<()> {
        std::fs::hard_link(self.dir.join(rel), to)
    }
}

/// The writer thread's work: puts each file in the staging folder `root`.
struct Put {
    root: PathBuf,
    reuse: Option<Reuse>,
    present: Present,
    /// Folders known to exist.
    made: HashSet<PathBuf>,
    done: Written,
}

impl Put {
    fn put(&mut self, out: Out) -> io::Result<()> {
        let rel = match &out {
            Out::File(file) => &file.path,
            Out::Keep(rel) => rel,
        };
        if !crate::paths::is_safe_relative(rel) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output: {rel}"),
            ));
        }
        let path = self.root.join(rel);
        let with_path = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", shown(&path)));
        let record = self.record(&out)?;
        // Already there, in the spare being brought up to date.
        if let Some(mtime) = self.present.take_same(&record) {
            self.done.kept(record, mtime);
            return Ok(());
        }
        self.present.clear_way(&self.root, rel).map_err(with_path)?;
        if let Some(parent) = path.parent() {
            if !self.made.contains(parent) {
                std::fs::create_dir_all(parent)?;
                self.made.insert(parent.to_path_buf());
            }
        }
        self.place(out, record, &path).map_err(with_path)
    }

    /// What `out` will be: hashed here, from bytes already in memory (off
    /// the render threads), or as recorded for a file kept from the
    /// previous site.
    fn record(&self, out: &Out) -> io::Result<FileRecord> {
        match out {
            Out::File(file) => Ok(FileRecord::of(&file.path, &file.bytes)),
            Out::Keep(rel) => match self.reuse.as_ref().and_then(|r| r.outputs.get(rel)) {
                Some(stamp) => Ok(FileRecord {
                    path: rel.clone(),
                    size: stamp.size,
                    sha256: stamp.sha256,
                }),
                None => Err(io::Error::other(format!("{rel}: not in the previous site"))),
            },
        }
    }

    /// Puts `out` at `path`: a hard link to the previous site's file when
    /// that has the same bytes, else a new file.
    fn place(&mut self, out: Out, record: FileRecord, path: &Path) -> io::Result<()> {
        if let Some(r) = &self.reuse {
            if let Some(stamp) = r.same(&record) {
                if r.link(&record.path, path).is_ok() {
                    self.done.kept(record, stamp.mtime);
                    return Ok(());
                }
            }
        }
        let bytes = match (out, &self.reuse) {
            (Out::File(file), _) => file.bytes,
            // Kept, but not linked (another file system): copy the bytes.
            (Out::Keep(rel), Some(r)) => std::fs::read(r.dir.join(rel))?,
            (Out::Keep(rel), None) => {
                return Err(io::Error::other(format!(
                    "{rel}: no previous site to keep it from"
                )))
            }
        };
        let mtime = write_file(path, &bytes)?;
        self.done.wrote(record, mtime);
        Ok(())
    }
}

/// Removes the spare beside the locked output, if any (see [`state`]); one
/// that cannot be removed is a warning.
fn remove_spare(lock: &OutputLock) -> Vec<String> {
    let spare = state::spare_path(lock.output());
    match std::fs::symlink_metadata(&spare) {
        Ok(meta) if meta.is_dir() => match std::fs::remove_dir_all(&spare) {
            Ok(()) => Vec::new(),
            Err(e) => vec![format!(
                "{} (a copy of an earlier site) cannot be removed ({e}); delete it when you can",
                shown(&spare)
            )],
        },
        _ => Vec::new(),
    }
}

/// Removes the file at `path` if there is one.
fn remove_file_if_any(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The files already in a staging folder that is the spare being brought
/// up to date in place (see [`state`]): each is kept where its bytes are
/// wanted at its path, replaced where not, and removed when no longer part
/// of the site. A file is never changed in place: the spare's files are
/// hard links to the published site's.
struct Present(BTreeMap<String, state::Stamp>);

impl Present {
    /// The modification time of the file at `record`'s path if it already
    /// holds those bytes; it is then taken off the files left to remove.
    fn take_same(&mut self, record: &FileRecord) -> Option<(u64, u32)> {
        let stamp = self.0.get(&record.path)?;
        if stamp.size != record.size || stamp.sha256 != record.sha256 {
            return None;
        }
        self.0.remove(&record.path).map(|s| s.mtime)
    }

    /// Removes what stands where the file `rel` goes under `root`: the
    /// older file at `rel`, a file where one of its folders goes, or a
    /// folder of older files at `rel`.
    fn clear_way(&mut self, root: &Path, rel: &str) -> io::Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        let folders = rel.match_indices('/').map(|(i, _)| &rel[..i]);
        for taken in folders.chain([rel]) {
            if self.0.remove(taken).is_some() {
                remove_file_if_any(&root.join(taken))?;
            }
        }
        let inside = format!("{rel}/");
        let under: Vec<String> = self
            .0
            .range(inside.clone()..)
            .take_while(|(p, _)| p.starts_with(&inside))
            .map(|(p, _)| p.clone())
            .collect();
        if !under.is_empty() {
            for p in &under {
                self.0.remove(p);
            }
            std::fs::remove_dir_all(root.join(rel))?;
        }
        Ok(())
    }

    /// Removes the files no longer part of the site, and the folders that
    /// leaves empty.
    fn remove_rest(&mut self, root: &Path) -> io::Result<()> {
        let mut folders = std::collections::BTreeSet::new();
        for rel in std::mem::take(&mut self.0).into_keys() {
            remove_file_if_any(&root.join(&rel))?;
            folders.extend(rel.match_indices('/').map(|(i, _)| rel[..i].to_string()));
        }
        let mut folders: Vec<String> = folders.into_iter().collect();
        folders.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
        for folder in folders {
            // Fails, as it should, when the folder still holds files.
            let _ = std::fs::remove_dir(root.join(folder));
        }
        Ok(())
    }
}

/// Writes `bytes` to a new file at `path`; returns its modification time.
fn write_file(path: &Path, bytes: &[u8]) -> io::Result<(u64, u32)> {
    use std::io::Write;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    Ok(state::stat(&file.metadata()?).1)
}

/// What the writer thread wrote.
#[derive(Default)]
pub struct Written {
    /// One per file, in the order written.
    pub records: Vec<FileRecord>,
    /// The modification time of each file of `records`.
    pub mtimes: Vec<(u64, u32)>,
    /// How many files were written (the others were linked from the previous site).
    pub written: usize,
    /// Time spent in the file system (and hashing).
    pub busy: Duration,
}

impl Written {
    fn wrote(&mut self, record: FileRecord, mtime: (u64, u32)) {
        self.records.push(record);
        self.mtimes.push(mtime);
        self.written += 1;
    }

    fn kept(&mut self, record: FileRecord, mtime: (u64, u32)) {
        self.records.push(record);
        self.mtimes.push(mtime);
    }

    /// The stamps of the written and kept files, by path.
    pub fn stamps(&self) -> std::collections::BTreeMap<String, state::Stamp> {
        self.records
            .iter()
            .zip(&self.mtimes)
            .map(|(r, &mtime)| {
                (
                    r.path.clone(),
                    state::Stamp {
                        size: r.size,
                        mtime,
                        sha256: r.sha256,
                    },
                )
            })
            .collect()
    }
}

impl Writer {
    pub fn sender(&self) -> SyncSender<Out> {
        self.tx.clone().expect("writer is open until finish")
    }

    /// Waits for every file to be written; returns what was written and how
    /// long the writer spent in the file system.
    pub fn finish(mut self) -> io::Result<Written> {
        drop(self.tx.take());
        match self.handle.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            _ => Err(io::Error::other("the writer thread failed")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock(out: &Path) -> OutputLock {
        OutputLock::acquire(out, Wait::No, || {}).unwrap()
    }

    /// Stages one page with `text`.
    fn stage<'a>(lock: &'a OutputLock, text: &str) -> Staging<'a> {
        let mut staging = Staging::new(lock).unwrap();
        let w = staging.writer(None);
        w.sender()
            .send(Out::File(OutputFile {
                path: "a/index.html".into(),
                bytes: text.as_bytes().to_vec(),
            }))
            .unwrap();
        assert_eq!(w.finish().unwrap().records.len(), 1);
        staging
    }

    /// Names beside `out` in its folder, sorted.
    fn beside(out: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(out.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn page(out: &Path) -> String {
        std::fs::read_to_string(out.join("a/index.html")).unwrap()
    }

    #[test]
    fn staged_files_replace_the_output_only_on_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(MARKER), "").unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        let held = lock(&out);
        // Dropped without commit: the old site stays.
        drop(stage(&held, "new"));
        assert!(out.join("old.html").exists());
        assert_eq!(beside(&out), [".output.rapor-lock", "output"]);
        let warnings = stage(&held, "new").commit().unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(!out.join("old.html").exists());
        assert_eq!(page(&out), "new");
        assert_eq!(
            std::fs::read_to_string(out.join(MARKER)).unwrap(),
            folder::MARKER_TEXT
        );
        drop(held);
        assert_eq!(beside(&out), ["output"]);
    }

    #[test]
    fn a_failed_swap_leaves_the_previous_site_and_the_next_build_recovers() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        let held = lock(&out);
        stage(&held, "one").commit().unwrap();
        let failed = stage(&held, "two")
            .commit_with(
                |_, _, _| Err(io::Error::other("no exchange today")),
                |_| Ok(()),
                false,
            )
            .unwrap_err();
        assert!(failed.to_string().contains("no exchange today"));
        assert_eq!(page(&out), "one");
        assert_eq!(beside(&out), [".output.rapor-lock", "output"]);
        stage(&held, "three").commit().unwrap();
        assert_eq!(page(&out), "three");
    }

    #[test]
    fn a_previous_site_that_cannot_be_removed_is_a_warning_and_removed_later() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        let held = lock(&out);
        stage(&held, "one").commit().unwrap();
        let warnings = stage(&held, "two")
            .commit_with(
                swap_in,
                |_| Err(io::Error::from(io::ErrorKind::PermissionDenied)),
                false,
            )
            .unwrap()
            .0;
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("the new site is in"), "{warnings:?}");
        assert_eq!(page(&out), "two");
        // The previous site is still beside the output, under a staging name.
        let left = folder::leftovers(&out);
        assert_eq!(left.len(), 1);
        assert_eq!(page(&left[0]), "one");
        // The next build removes it by itself and succeeds.
        let warnings = stage(&held, "three").commit().unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(page(&out), "three");
        assert_eq!(beside(&out), [".output.rapor-lock", "output"]);
    }

    #[test]
    fn without_an_exchange_two_renames_swap_and_undo() {
        let tmp = tempfile::tempdir().unwrap();
        let (new, old, out) = (
            tmp.path().join("new"),
            tmp.path().join("old"),
            tmp.path().join("out"),
        );
        std::fs::create_dir_all(&new).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(new.join("f"), "new").unwrap();
        std::fs::write(out.join("f"), "old").unwrap();
        assert_eq!(
            swap_by_renames(&new, &old, &out).unwrap(),
            Some(old.clone())
        );
        assert_eq!(std::fs::read_to_string(out.join("f")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(old.join("f")).unwrap(), "old");
        // The new site is missing: the old one is put back.
        std::fs::remove_dir_all(&old).unwrap();
        assert!(swap_by_renames(&tmp.path().join("gone"), &old, &out).is_err());
        assert_eq!(std::fs::read_to_string(out.join("f")).unwrap(), "new");
        assert!(!old.exists());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_exchange_is_atomic_where_the_kernel_has_it() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("f"), "a").unwrap();
        match exchange(&a, &b) {
            Ok(()) => {
                assert!(b.join("f").exists());
                assert!(!a.join("f").exists());
            }
            Err(e) => assert!(exchange_unsupported(&e), "{e}"),
        }
    }
}
