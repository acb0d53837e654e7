//! What the last build of an output folder was made from and wrote, kept
//! beside the folder (`.<output>.rapor-state`, never published), so that a
//! rebuild renders only the pages whose inputs changed and hard-links the
//! rest from the previous site.
//!
//! Nothing in it is trusted blindly. It is used only when it was written by
//! this very rapor executable with the same options ([`key`]); an input file
//! counts as unchanged when its size and modification time are as recorded
//! and it was not modified in the same instant the record was taken (else its
//! bytes are hashed again, as git does with its index); a previous output
//! file is reused only when its size and modification time are still those
//! the build that wrote it recorded, so a file edited by hand in `output/`
//! is rendered again. A missing, unreadable or foreign state file means a
//! full build, never an error.
//!
//! The previous site is kept as a spare (`.<output>.rapor-spare`, made of
//! hard links to the same files, so it costs folders, not data) and the next
//! rebuild brings that spare up to date in place, touching only the files
//! that differ, then swaps it in. Removing a whole old tree cost more than
//! the rest of a one-district rebuild together: at 5,000 district pages on
//! an ext4 disk, `rm -rf` of the previous site's 5,500 folders took 14 s of
//! wall time against a 5 s build into an empty folder. The spare's files are
//! recorded like the output's and checked the same way before use.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::lock::sibling;
use crate::score::YearResults;

/// The format of the state file; another number is ignored.
const FORMAT: u32 = 2;

/// A file as last seen: size, modification time and content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    /// Seconds and nanoseconds since 1970 (0, 0 when the system gives none).
    pub mtime: (u64, u32),
    #[serde(with = "hex32")]
    pub sha256: [u8; 32],
}

/// Files of a folder with their stamps, by path relative to it.
pub type Files = BTreeMap<String, Stamp>;

/// Size and modification time of a file's metadata.
pub fn stat(meta: &std::fs::Metadata) -> (u64, (u64, u32)) {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or((0, 0), |d| (d.as_secs(), d.subsec_nanos()));
    (meta.len(), mtime)
}

/// The record of the last build of an output folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    format: u32,
    /// See [`key`].
    pub key: String,
    /// When the input snapshot was taken (seconds, nanoseconds).
    pub taken: (u64, u32),
    /// Every file under `content/` and `themes/`, by path relative to the site root.
    pub inputs: BTreeMap<String, Stamp>,
    /// Every file of the published output, by path relative to it.
    pub outputs: BTreeMap<String, Stamp>,
    /// The scores the pages were rendered from.
    pub results: Vec<YearResults>,
    /// How many HTML pages the site has.
    pub pages: usize,
    /// Every file of the spare (the site before this one) as the build
    /// that made it left it; `None` when there is no spare.
    pub spare: Option<BTreeMap<String, Stamp>>,
}

/// Identifies the program and options a state was made with: rapor's
/// version, the executable's size and modification time (a rebuilt rapor
/// renders everything again) and the render options. `None` when the
/// executable cannot be examined: then nothing is reused.
pub fn key(options: &str) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let (size, (secs, nanos)) = stat(&std::fs::metadata(exe).ok()?);
    let text = format!(
        "rapor {} exe {size} {secs}.{nanos:09} options {options}",
        env!("CARGO_PKG_VERSION")
    );
    Some(crate::manifest::hex(&Sha256::digest(text.as_bytes())))
}

/// Where the state of `output` is kept.
pub fn path(output: &Path) -> PathBuf {
    sibling(output, "rapor-state")
}

impl State {
    pub fn new(
        key: String,
        taken: (u64, u32),
        inputs: BTreeMap<String, Stamp>,
        outputs: BTreeMap<String, Stamp>,
        results: Vec<YearResults>,
        pages: usize,
        spare: Option<BTreeMap<String, Stamp>>,
    ) -> State {
        State {
            format: FORMAT,
            key,
            taken,
            inputs,
            outputs,
            results,
            pages,
            spare,
        }
    }

    /// The state of `output` if there is a readable one made with `key`.
    pub fn read(output: &Path, key: &str) -> Option<State> {
        let text = std::fs::read(path(output)).ok()?;
        let state: State = serde_json::from_slice(&text).ok()?;
        (state.format == FORMAT && state.key == key).then_some(state)
    }

    /// Writes the state beside `output`, replacing the previous one whole.
    pub fn write(&self, output: &Path) -> io::Result<()> {
        let path = path(output);
        let temp = sibling(output, &format!("rapor-state-{}", std::process::id()));
        let text = serde_json::to_vec(self).map_err(io::Error::other)?;
        std::fs::write(&temp, text)?;
        std::fs::rename(&temp, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })
    }

    /// Whether the output folder `dir` holds exactly the files the build
    /// that made it published (and rapor's marker), each still as that build
    /// left it: same size and modification time, nothing added.
    pub fn outputs_intact(&self, dir: &Path) -> bool {
        intact(dir, &self.outputs)
    }
}

/// Where the spare of `output` is kept (see the module's documentation).
pub fn spare_path(output: &Path) -> PathBuf {
    sibling(output, "rapor-spare")
}

/// Whether the folder `dir` holds exactly `files` (and rapor's marker), each
/// still as recorded: same size and modification time, nothing added.
pub fn intact(dir: &Path, files: &BTreeMap<String, Stamp>) -> bool {
    if !dir.join(super::MARKER).is_file() {
        return false;
    }
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let Ok(entry) = entry else {
            return false;
        };
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            return false;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel == super::MARKER && kind.is_file() {
            continue;
        }
        let same = kind.is_file()
            && files.get(&rel).is_some_and(|stamp| {
                entry
                    .metadata()
                    .is_ok_and(|m| stat(&m) == (stamp.size, stamp.mtime))
            });
        if !same {
            return false;
        }
        seen += 1;
    }
    seen == files.len()
}

/// Removes the state of `output`, if any: the next build renders everything.
pub fn forget(output: &Path) {
    let _ = std::fs::remove_file(path(output));
}

/// The time now, as recorded in [`State::taken`].
pub fn now() -> (u64, u32) {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or((0, 0), |d| (d.as_secs(), d.subsec_nanos()))
}

/// Every file under `content/` and `themes/` of the site at `root` with its
/// stamp. A file whose size and time match `previous`, modified before
/// `previous` was taken, keeps its recorded hash; any other file is read
/// and hashed. `None` when anything there is not a plain file or folder (a
/// link, a named pipe) or cannot be read: such a site is loaded and checked
/// whole, every time, since the loader decides what they mean.
pub fn snapshot_inputs(root: &Path, previous: Option<&State>) -> Option<BTreeMap<String, Stamp>> {
    let mut out = BTreeMap::new();
    for top in ["content", "themes"] {
        if top == "themes" && !root.join(top).exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(root.join(top)).sort_by_file_name() {
            let entry = entry.ok()?;
            let kind = entry.file_type();
            let rel = entry.path().strip_prefix(root).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            if kind.is_dir() {
                // A folder is an input too: one named like a file is a problem.
                let folder = Stamp {
                    size: 0,
                    mtime: (0, 0),
                    sha256: [0; 32],
                };
                out.insert(format!("{rel}/"), folder);
                continue;
            }
            if !kind.is_file() {
                return None;
            }
            let (size, mtime) = stat(&entry.metadata().ok()?);
            let known = previous.and_then(|p| {
                p.inputs
                    .get(&rel)
                    .filter(|s| s.size == size && s.mtime == mtime && mtime < p.taken)
            });
            let stamp = match known {
                Some(stamp) => stamp.clone(),
                None => Stamp {
                    size,
                    mtime,
                    sha256: Sha256::digest(std::fs::read(entry.path()).ok()?).into(),
                },
            };
            out.insert(rel, stamp);
        }
    }
    Some(out)
}

/// Each file's content hash: what decides whether an input changed (a
/// file saved again with the same bytes did not).
pub fn digests(files: &BTreeMap<String, Stamp>) -> BTreeMap<&str, [u8; 32]> {
    files.iter().map(|(p, s)| (p.as_str(), s.sha256)).collect()
}

/// `[u8; 32]` as 64 hex digits, written and read as in `manifest.json`.
mod hex32 {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    use crate::manifest::{hex, unhex};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        unhex(<&str>::deserialize(d)?).ok_or_else(|| D::Error::custom("a SHA-256 is 64 hex digits"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_round_trips_and_a_foreign_one_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let stamp = Stamp {
            size: 3,
            mtime: (1_700_000_000, 5),
            sha256: [7; 32],
        };
        let state = State::new(
            "k".into(),
            (1, 2),
            BTreeMap::from([("content/a.yaml".to_string(), stamp.clone())]),
            BTreeMap::from([("index.html".to_string(), stamp.clone())]),
            Vec::new(),
            0,
            Some(BTreeMap::from([("old.html".to_string(), stamp)])),
        );
        state.write(&output).unwrap();
        let back = State::read(&output, "k").unwrap();
        assert_eq!(back.inputs, state.inputs);
        assert_eq!(back.outputs, state.outputs);
        assert_eq!(back.spare, state.spare);
        assert!(State::read(&output, "other").is_none());
        std::fs::write(path(&output), "{ not json").unwrap();
        assert!(State::read(&output, "k").is_none());
    }

    #[test]
    fn an_input_touched_after_the_record_is_hashed_again() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.yaml"), "a: 1").unwrap();
        let first = snapshot_inputs(dir.path(), None).unwrap();
        let stamp = &first["content/a.yaml"];
        assert_eq!(stamp.sha256, <[u8; 32]>::from(Sha256::digest(b"a: 1")));
        // A record that claims other bytes for the same size and time is
        // trusted only for files modified before it was taken.
        let mut lying = stamp.clone();
        lying.sha256 = [0; 32];
        let previous = |taken| {
            State::new(
                "k".into(),
                taken,
                BTreeMap::from([("content/a.yaml".to_string(), lying.clone())]),
                BTreeMap::new(),
                Vec::new(),
                0,
                None,
            )
        };
        let before = (stamp.mtime.0.saturating_sub(1), 0);
        let again = snapshot_inputs(dir.path(), Some(&previous(before))).unwrap();
        assert_eq!(again["content/a.yaml"].sha256, stamp.sha256);
        let after = (stamp.mtime.0 + 10, 0);
        let trusted = snapshot_inputs(dir.path(), Some(&previous(after))).unwrap();
        // Anything but plain files and folders: no snapshot.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("a.yaml", dir.path().join("content/b.yaml")).unwrap();
            assert!(snapshot_inputs(dir.path(), None).is_none());
        }
        assert_eq!(trusted["content/a.yaml"].sha256, [0; 32]);
    }
}
