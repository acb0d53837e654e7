//! `manifest.json`: every published file with its SHA-256 and size, so a copy
//! of the site can be checked years later against what was published.
//!
//! Pure: the records come from the writer, the JSON is a function of them
//! (sorted by path, no time of day), so the same site gives the same bytes.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::paths::is_safe_relative;

/// The file every published site carries, so a later build knows the folder
/// is rapor's to replace (it is left out of the manifest).
pub const MARKER: &str = ".rapor-output";

/// The manifest's name at the top of the output folder.
pub const MANIFEST: &str = "manifest.json";

/// One published file, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub size: u64,
    pub sha256: [u8; 32],
}

impl FileRecord {
    /// The record of a file about to be written with `bytes`.
    pub fn of(path: &str, bytes: &[u8]) -> FileRecord {
        FileRecord {
            path: path.to_string(),
            size: bytes.len() as u64,
            sha256: Sha256::digest(bytes).into(),
        }
    }
}

/// The manifest of one published site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub rapor_version: String,
    /// The latest date in the content (`YYYY-MM-DD`), if any: what the data
    /// is as of. Never the time of the build, so a rebuild gives the same bytes.
    pub data_date: Option<String>,
    /// Sorted by path, each path once.
    pub files: Vec<FileRecord>,
}

impl Manifest {
    /// The manifest of `files`, written by this rapor. Refuses a file that
    /// takes the manifest's or the marker's name, or a path given twice:
    /// the manifest could not describe such a folder truthfully.
    pub fn new(data_date: Option<String>, mut files: Vec<FileRecord>) -> Result<Manifest, String> {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        for pair in files.windows(2) {
            if pair[0].path == pair[1].path {
                return Err(format!("{} would be published twice", pair[0].path));
            }
        }
        if let Some(f) = files
            .iter()
            .find(|f| f.path == MANIFEST || f.path == MARKER)
        {
            return Err(format!(
                "{} is the name of rapor's own file at the top of the output; rename the file that would take it (a theme's static/{})",
                f.path, f.path
            ));
        }
        Ok(Manifest {
            rapor_version: env!("CARGO_PKG_VERSION").to_string(),
            data_date,
            files,
        })
    }

    /// The JSON text: one file a line, so two manifests compare well with `diff`.
    pub fn to_json(&self) -> String {
        let quote = |s: &str| serde_json::Value::from(s).to_string();
        let mut out = String::with_capacity(64 + self.files.len() * 128);
        out.push_str("{\n");
        let _ = writeln!(out, "  \"rapor_version\": {},", quote(&self.rapor_version));
        let date = self.data_date.as_deref().map_or("null".to_string(), quote);
        let _ = writeln!(out, "  \"data_date\": {date},");
        out.push_str("  \"files\": [");
        for (i, f) in self.files.iter().enumerate() {
            let comma = if i + 1 < self.files.len() { "," } else { "" };
            let _ = write!(
                out,
                "\n    {{ \"path\": {}, \"size\": {}, \"sha256\": \"{}\" }}{comma}",
                quote(&f.path),
                f.size,
                hex(&f.sha256)
            );
        }
        out.push_str(if self.files.is_empty() {
            "]\n"
        } else {
            "\n  ]\n"
        });
        out.push_str("}\n");
        out
    }

    /// Reads a manifest's text, checking every entry: each path a plain
    /// relative path given once, each hash 64 hexadecimal digits.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        #[derive(Deserialize)]
        struct Raw {
            rapor_version: String,
            #[serde(default)]
            data_date: Option<String>,
            files: Vec<RawFile>,
        }
        #[derive(Deserialize)]
        struct RawFile {
            path: String,
            size: u64,
            sha256: String,
        }
        let raw: Raw = serde_json::from_str(text).map_err(|e| {
            format!(
                "is not a manifest rapor can read: {e} (line {}, column {})",
                e.line(),
                e.column()
            )
        })?;
        let mut seen = HashSet::new();
        let mut files = Vec::with_capacity(raw.files.len());
        for f in raw.files {
            if !is_safe_relative(&f.path) || f.path.contains('\\') {
                return Err(format!(
                    "lists {:?}, which is not a path inside the folder",
                    f.path
                ));
            }
            if !seen.insert(f.path.clone()) {
                return Err(format!("lists {:?} twice", f.path));
            }
            let sha256 = unhex(&f.sha256).ok_or_else(|| {
                format!(
                    "gives {:?} for {:?}, not a SHA-256 (64 hexadecimal digits)",
                    f.sha256, f.path
                )
            })?;
            files.push(FileRecord {
                path: f.path,
                size: f.size,
                sha256,
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Manifest {
            rapor_version: raw.rapor_version,
            data_date: raw.data_date,
            files,
        })
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

pub(crate) fn unhex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_is_sorted_and_reads_back() {
        let files = vec![
            FileRecord::of("b/index.html", b"b"),
            FileRecord::of("a \"quoted\".txt", b""),
            FileRecord::of("404.html", b"x"),
        ];
        let m = Manifest::new(Some("2024-06-12".into()), files).unwrap();
        let json = m.to_json();
        assert_eq!(Manifest::parse(&json).unwrap(), m);
        let paths: Vec<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["404.html", "a \"quoted\".txt", "b/index.html"]);
        // The SHA-256 of the empty string.
        assert!(json.contains("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        let empty = Manifest::new(None, Vec::new()).unwrap();
        assert_eq!(Manifest::parse(&empty.to_json()).unwrap(), empty);
    }

    #[test]
    fn names_rapor_uses_and_doubles_are_refused() {
        for name in [MANIFEST, MARKER] {
            assert!(Manifest::new(None, vec![FileRecord::of(name, b"")]).is_err());
        }
        let twice = vec![FileRecord::of("a", b""), FileRecord::of("a", b"x")];
        assert!(Manifest::new(None, twice).is_err());
    }

    #[test]
    fn a_manifest_cannot_point_outside_the_folder() {
        let entry = |path: &str| {
            format!(
                "{{\"rapor_version\": \"0\", \"files\": [{{\"path\": {path:?}, \"size\": 0, \"sha256\": \"{}\"}}]}}",
                "0".repeat(64)
            )
        };
        assert!(Manifest::parse(&entry("a/b.html")).is_ok());
        for bad in ["../x", "/etc/passwd", "a/../../b", "", "a\\..\\b"] {
            assert!(Manifest::parse(&entry(bad)).is_err(), "{bad}");
        }
        let short = "{\"rapor_version\": \"0\", \"files\": [{\"path\": \"a\", \"size\": 0, \"sha256\": \"ab\"}]}";
        assert!(Manifest::parse(short).is_err());
    }
}
