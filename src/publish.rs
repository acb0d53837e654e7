//! Publishing: files are written into a staging folder beside the output and
//! swapped in only when the whole site is complete, so a failed build leaves
//! the previous site untouched.
//!
//! One writer thread does all file-system work: renders run in parallel, but
//! creating thousands of files from many threads at once costs far more in
//! the kernel than one sequential writer.

use std::collections::HashSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A file of the site: its path relative to the output folder, `/`-separated.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
}

fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.{suffix}"))
}

/// A relative path made only of plain names: nothing can escape the output.
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

impl Staging {
    pub fn new(output: &Path) -> io::Result<Staging> {
        let dir = sibling(output, "rapor-new");
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            committed: false,
        })
    }

    /// Starts the writer thread.
    pub fn writer(&self) -> Writer {
        let (tx, rx) = sync_channel::<OutputFile>(256);
        let root = self.dir.clone();
        let handle = std::thread::spawn(move || -> io::Result<(usize, Duration)> {
            let mut made: HashSet<PathBuf> = HashSet::new();
            let mut count = 0;
            let mut busy = Duration::ZERO;
            for file in rx {
                let started = Instant::now();
                if !is_safe_relative(&file.path) {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("refusing to write outside the output: {}", file.path),
                    ));
                }
                let path = root.join(&file.path);
                if let Some(parent) = path.parent() {
                    if !made.contains(parent) {
                        std::fs::create_dir_all(parent)?;
                        made.insert(parent.to_path_buf());
                    }
                }
                std::fs::write(&path, &file.bytes)
                    .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
                count += 1;
                busy += started.elapsed();
            }
            Ok((count, busy))
        });
        Writer {
            tx: Some(tx),
            handle: Some(handle),
        }
    }

    /// Swaps the staged site in place of the output folder.
    pub fn commit(mut self) -> io::Result<()> {
        let old = sibling(&self.output, "rapor-old");
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        if self.output.exists() {
            std::fs::rename(&self.output, &old)?;
        }
        std::fs::rename(&self.dir, &self.output)?;
        self.committed = true;
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

pub struct Writer {
    tx: Option<SyncSender<OutputFile>>,
    handle: Option<JoinHandle<io::Result<(usize, Duration)>>>,
}

impl Writer {
    pub fn sender(&self) -> SyncSender<OutputFile> {
        self.tx.clone().expect("writer is open until finish")
    }

    /// Waits for every file to be written; returns how many were and how
    /// long the writer spent in the file system.
    pub fn finish(mut self) -> io::Result<(usize, Duration)> {
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

    #[test]
    fn unsafe_paths_are_refused() {
        assert!(is_safe_relative("2023/buleleng/index.html"));
        for bad in ["", "../x", "/etc/passwd", "a/../../b", "./a"] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }

    #[test]
    fn staged_files_replace_the_output_only_on_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        {
            let staging = Staging::new(&out).unwrap();
            let w = staging.writer();
            w.sender()
                .send(OutputFile {
                    path: "a/index.html".into(),
                    bytes: b"new".to_vec(),
                })
                .unwrap();
            w.finish().unwrap();
            // Dropped without commit: the old site stays.
        }
        assert!(out.join("old.html").exists());
        assert!(!sibling(&out, "rapor-new").exists());
        let staging = Staging::new(&out).unwrap();
        let w = staging.writer();
        w.sender()
            .send(OutputFile {
                path: "a/index.html".into(),
                bytes: b"new".to_vec(),
            })
            .unwrap();
        assert_eq!(w.finish().unwrap().0, 1);
        staging.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "new"
        );
    }
}
