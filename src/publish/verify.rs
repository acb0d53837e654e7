//! Checking a published folder against its `manifest.json`: every file
//! missing, added, altered or not a regular file.
//!
//! Reads only inside the folder: links are reported, never followed; a
//! FIFO or device is reported, never opened; big files are hashed in pieces.

use crate::error::shown;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::MARKER;
use crate::content::files::read_capped;
use crate::manifest::{FileRecord, Manifest, MANIFEST};

/// A manifest larger than this is not one rapor wrote (a million files
/// take about 150 MB).
const MANIFEST_CAP: u64 = 512 * 1024 * 1024;

/// What is wrong with one path of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// Listed, same size, other bytes.
    Altered,
    /// Listed with another size.
    Resized {
        size: u64,
        listed: u64,
    },
    Missing,
    NotInManifest,
    /// A link, folder, FIFO, socket or device where the manifest, or
    /// nothing, expects a file.
    NotRegular(&'static str),
    Unreadable(String),
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Altered => write!(f, "altered (sha256 differs)"),
            Difference::Resized { size, listed } => write!(
                f,
                "altered (size differs: {size} bytes, the manifest says {listed})"
            ),
            Difference::Missing => write!(f, "missing"),
            Difference::NotInManifest => write!(f, "not in the manifest"),
            Difference::NotRegular(what) => write!(f, "not a regular file ({what})"),
            Difference::Unreadable(e) => write!(f, "cannot be read ({e})"),
        }
    }
}

/// One path that does not match, relative to the folder, `/`-separated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: String,
    pub difference: Difference,
}

/// The outcome of a verification.
#[derive(Debug)]
pub struct Verified {
    pub manifest: Manifest,
    /// Sorted by path; empty when the folder matches its manifest.
    pub findings: Vec<Finding>,
}

/// Why a folder could not be verified at all.
#[derive(Debug)]
pub enum VerifyError {
    /// The folder is missing or not a folder: wrong usage.
    NotAFolder(String),
    /// The folder has no readable manifest.
    NoManifest(String),
}

/// Checks `dir` against its `manifest.json`. `.rapor-output` is ignored, as
/// the manifest leaves it out: it is the build's bookkeeping, not a page,
/// and may be left off the server.
pub fn verify(dir: &Path) -> Result<Verified, VerifyError> {
    check_folder(dir)?;
    let manifest = read_manifest(dir)?;
    let listed: HashMap<&str, &FileRecord> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    let mut walk = Walk::default();
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .min_depth(1)
        .sort_by_file_name();
    for entry in entries {
        walk.entry(dir, entry, &listed);
    }
    let Walk {
        mut findings,
        seen,
        to_hash,
    } = walk;
    findings.par_extend(to_hash.par_iter().filter_map(|(file, record)| {
        let difference = match hash_file(file) {
            Ok(Some(sha)) if sha == record.sha256 => return None,
            Ok(Some(_)) => Difference::Altered,
            Ok(None) => Difference::NotRegular("it changed while being read"),
            Err(e) => Difference::Unreadable(e.to_string()),
        };
        Some(Finding {
            path: record.path.clone(),
            difference,
        })
    }));
    findings.extend(
        manifest
            .files
            .iter()
            .filter(|f| !seen.contains(&f.path))
            .map(|f| Finding {
                path: f.path.clone(),
                difference: Difference::Missing,
            }),
    );
    findings.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Verified { manifest, findings })
}

/// `dir` must be a folder: anything else is wrong usage.
fn check_folder(dir: &Path) -> Result<(), VerifyError> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(VerifyError::NotAFolder(format!(
            "{} is not a folder; give the published output folder, e.g. rapor verify output",
            shown(dir)
        ))),
        Err(e) => Err(VerifyError::NotAFolder(format!(
            "{}: {e}; give the published output folder, e.g. rapor verify output",
            shown(dir)
        ))),
    }
}

/// What the walk of the folder found so far.
#[derive(Default)]
struct Walk<'m> {
    findings: Vec<Finding>,
    /// Paths met, to tell the listed files that are missing.
    seen: HashSet<String>,
    /// Regular files listed with the right size: hashed later, in parallel.
    to_hash: Vec<(PathBuf, &'m FileRecord)>,
}

impl<'m> Walk<'m> {
    fn found(&mut self, path: String, difference: Difference) {
        self.findings.push(Finding { path, difference });
    }

    /// One entry of the folder against the manifest's `listed` files.
    fn entry(
        &mut self,
        dir: &Path,
        entry: walkdir::Result<walkdir::DirEntry>,
        listed: &HashMap<&str, &'m FileRecord>,
    ) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .and_then(|p| p.strip_prefix(dir).ok())
                    .map_or_else(|| shown(dir), slashed);
                let reason = e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string);
                self.seen.insert(path.clone());
                return self.found(path, Difference::Unreadable(reason));
            }
        };
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            return;
        };
        let path = slashed(rel);
        let kind = entry.file_type();
        if entry.depth() == 1 && (path == MANIFEST || path == MARKER) && kind.is_file() {
            return;
        }
        if kind.is_dir() {
            // A folder where the manifest lists a file.
            if listed.contains_key(path.as_str()) {
                self.seen.insert(path.clone());
                self.found(path, Difference::NotRegular("a folder"));
            }
            return;
        }
        // A name that is not UTF-8 is in no manifest, even if shown alike.
        let utf8 = rel.to_str().is_some();
        if utf8 {
            self.seen.insert(path.clone());
        }
        if !kind.is_file() {
            return self.found(path, Difference::NotRegular(special_kind(&kind)));
        }
        let record = match listed.get(path.as_str()) {
            Some(record) if utf8 => *record,
            _ => return self.found(path, Difference::NotInManifest),
        };
        match entry.metadata() {
            Ok(m) if m.len() != record.size => self.found(
                path,
                Difference::Resized {
                    size: m.len(),
                    listed: record.size,
                },
            ),
            Ok(_) => self.to_hash.push((entry.into_path(), record)),
            Err(e) => self.found(path, Difference::Unreadable(e.to_string())),
        }
    }
}

fn read_manifest(dir: &Path) -> Result<Manifest, VerifyError> {
    let path = dir.join(MANIFEST);
    let not_rapor = |why: &str| {
        VerifyError::NoManifest(format!(
            "{}: {why}; {} is not a rapor output folder, or it was built by an older rapor, which wrote no manifest (rebuild it with this one)",
            shown(&path),
            shown(dir)
        ))
    };
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(not_rapor("not found")),
        Err(e) => return Err(not_rapor(&format!("cannot be read ({e})"))),
    };
    if !meta.is_file() {
        return Err(not_rapor("is not a regular file"));
    }
    if meta.len() > MANIFEST_CAP {
        return Err(not_rapor("is far larger than any manifest rapor writes"));
    }
    let cannot_read = |e: io::Error| not_rapor(&format!("cannot be read ({e})"));
    let file = open_regular(&path)
        .and_then(|f| f.ok_or_else(|| io::Error::other("is not a regular file")))
        .map_err(cannot_read)?;
    let bytes = read_capped(file, meta.len(), MANIFEST_CAP)
        .map_err(cannot_read)?
        .ok_or_else(|| not_rapor("is far larger than any manifest rapor writes"))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        cannot_read(io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })?;
    Manifest::parse(&text).map_err(|why| {
        VerifyError::NoManifest(format!(
            "{}: {why}; it was not written by rapor, or was damaged",
            shown(&path)
        ))
    })
}

/// The SHA-256 of a regular file, read in pieces; `None` if it is not a
/// regular file once opened (replaced meanwhile).
fn hash_file(path: &Path) -> io::Result<Option<[u8; 32]>> {
    let Some(mut file) = open_regular(path)? else {
        return Ok(None);
    };
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(hasher.finalize().into()))
}

/// Opens without following a link and without waiting on a FIFO; `None` if
/// what was opened is not a regular file.
fn open_regular(path: &Path) -> io::Result<Option<File>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(file.metadata()?.is_file().then_some(file))
}

fn slashed(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn special_kind(kind: &std::fs::FileType) -> &'static str {
    if kind.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    "a special file"
}
