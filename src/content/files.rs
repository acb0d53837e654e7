//! Reading the site's own files: only regular files inside the site folder,
//! within a size cap, never through a link that leads outside it.
//!
//! A path is checked component by component with `lstat`; only when one of
//! them is a symbolic link is the whole path resolved and compared with the
//! site root, so the common case costs a few cheap calls. Files are opened
//! without blocking and checked again once open, so a FIFO or a device put
//! where a content file belongs is a problem, never a hang.

use std::fs::{self, File, Metadata};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::error::{Problem, Problems};

/// Files larger than this are refused rather than parsed: content files are
/// hand-written and small, and a huge one is a mistake.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Folders nested deeper than this under `media/` or a theme are refused: a
/// link inside the site can make a folder contain itself.
const MAX_DEPTH: usize = 16;

/// What a path of the site is, once links inside the site are resolved.
#[derive(Debug)]
pub enum Entry {
    Missing,
    /// A regular file, at this real path.
    File(PathBuf),
    /// A folder, at this real path.
    Dir(PathBuf),
    /// A FIFO, socket or device; the words say which.
    Special(&'static str),
}

/// Where `rel` (relative to the site root) really is. A link that leads
/// outside the site, or to nothing, is a problem.
pub fn locate(root: &Path, rel: &Path) -> Result<Entry, Problem> {
    let path = root.join(rel);
    let mut linked = false;
    let mut prefix = root.to_path_buf();
    for component in rel.components() {
        if !matches!(component, Component::Normal(_)) {
            // `..` and the like are resolved below and must stay inside too.
            linked = true;
            break;
        }
        prefix.push(component);
        match fs::symlink_metadata(&prefix) {
            Ok(meta) if meta.file_type().is_symlink() => {
                linked = true;
                break;
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Entry::Missing),
            Err(e) => return Err(cannot_read(rel, &e)),
        }
    }
    if linked {
        let root = fs::canonicalize(root).map_err(|e| cannot_read(rel, &e))?;
        return follow_link(&root, &path, rel);
    }
    let meta = fs::metadata(&path).map_err(|e| cannot_read(rel, &e))?;
    Ok(kind(&meta, path))
}

/// What the link (or path through a link) `path`, shown as `rel`, leads to,
/// given the site root's real path: a link to nothing or outside the site
/// is a problem.
fn follow_link(real_root: &Path, path: &Path, rel: &Path) -> Result<Entry, Problem> {
    let real = fs::canonicalize(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Problem::new(rel, "is a link to nothing")
            .hint("the file or folder it points to does not exist; remove the link"),
        _ => cannot_read(rel, &e),
    })?;
    if !real.starts_with(real_root) {
        return Err(outside(rel));
    }
    let meta = fs::metadata(&real).map_err(|e| cannot_read(rel, &e))?;
    Ok(kind(&meta, real))
}

/// Whether something, even a broken link, is at `rel`: what is there is
/// then read and any problem with it reported, rather than skipped.
pub fn exists(root: &Path, rel: &Path) -> bool {
    fs::symlink_metadata(root.join(rel)).is_ok()
}

/// Reads the regular file at `rel`, refusing anything larger than `cap` bytes.
pub fn read_bytes(root: &Path, rel: &Path, cap: u64) -> Result<Vec<u8>, Problem> {
    match locate(root, rel)? {
        Entry::File(real) => read_real(&real, rel, cap),
        Entry::Missing => Err(Problem::new(rel, "is missing")),
        Entry::Dir(_) => Err(is_a_folder(rel)),
        Entry::Special(what) => Err(special(rel, what)),
    }
}

/// Reads a content file as UTF-8 text, refusing huge files; see [`normalized`].
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Problem> {
    let bytes = read_bytes(root, rel, MAX_FILE_BYTES)?;
    String::from_utf8(normalized(bytes)).map_err(|e| {
        Problem::new(
            rel,
            format!("is not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        )
        .hint("save the file as UTF-8")
    })
}

/// A text file's bytes as rapor reads them: without a UTF-8 byte order mark
/// and with Windows line ends (CRLF) as LF, so a file saved by Notepad or
/// checked out by Git on Windows builds the same site as on Linux, with the
/// same line:column in problems. Other bytes are left alone.
pub fn normalized(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if bytes.contains(&b'\r') {
        let mut kept = 0;
        for i in 0..bytes.len() {
            if !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
                bytes[kept] = bytes[i];
                kept += 1;
            }
        }
        bytes.truncate(kept);
    }
    bytes
}

/// Reads the file at `real` (found by [`locate`] or [`walk`]), named `rel` in problems.
pub fn read_real(real: &Path, rel: &Path, cap: u64) -> Result<Vec<u8>, Problem> {
    let file = open(real).map_err(|e| cannot_read(rel, &e))?;
    // Checked again on the open file: it may have been replaced since.
    let meta = file.metadata().map_err(|e| cannot_read(rel, &e))?;
    match kind(&meta, PathBuf::new()) {
        Entry::File(_) => {}
        Entry::Dir(_) => return Err(is_a_folder(rel)),
        Entry::Special(what) => return Err(special(rel, what)),
        Entry::Missing => return Err(Problem::new(rel, "is missing")),
    }
    if meta.len() > cap {
        return Err(too_large(rel, meta.len(), cap));
    }
    read_capped(file, meta.len(), cap)
        .map_err(|e| cannot_read(rel, &e))?
        .ok_or_else(|| too_large(rel, cap + 1, cap))
}

/// All of `reader` when it holds at most `cap` bytes (`size` is what it is
/// expected to hold); `None` when it holds more, say a file that grew while
/// being read. The one reader of files whose size a user controls.
pub fn read_capped(reader: impl Read, size: u64, cap: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::with_capacity(size.min(cap) as usize);
    // One byte past the cap tells a file that grew while being read.
    reader.take(cap + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= cap).then_some(bytes))
}

/// Every regular file under the folder `rel`, sorted, as (path relative to
/// the site root, real path); hidden files and folders are left out. Links
/// are followed while they stay inside the site. A missing folder has no files.
pub fn walk(root: &Path, rel: &Path) -> (Vec<(PathBuf, PathBuf)>, Problems) {
    let mut files = Vec::new();
    let mut problems = Problems::default();
    match locate(root, rel) {
        Ok(Entry::Missing) => {}
        Ok(Entry::Dir(real)) => match fs::canonicalize(root) {
            Ok(canonical_root) => {
                walk_dir(&canonical_root, &real, rel, 0, &mut files, &mut problems)
            }
            Err(e) => problems.push(cannot_read(rel, &e)),
        },
        Ok(Entry::File(_) | Entry::Special(_)) => problems
            .push(Problem::new(rel, "is not a folder").hint("make it a folder, or remove it")),
        Err(p) => problems.push(p),
    }
    files.sort();
    (files, problems)
}

fn walk_dir(
    root: &Path,
    real: &Path,
    rel: &Path,
    depth: usize,
    files: &mut Vec<(PathBuf, PathBuf)>,
    problems: &mut Problems,
) {
    if depth > MAX_DEPTH {
        problems.push(
            Problem::new(rel, format!("nests folders deeper than {MAX_DEPTH} levels"))
                .hint("flatten it; a link to a folder that holds the link loops forever"),
        );
        return;
    }
    let entries = match fs::read_dir(real) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(cannot_read(rel, &e));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(cannot_read(rel, &e));
                continue;
            }
        };
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let child_rel = rel.join(&name);
        let meta = match entry_kind(root, &entry, real.join(&name), &child_rel) {
            Ok(meta) => meta,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        match meta {
            Entry::File(path) => files.push((child_rel, path)),
            Entry::Dir(path) => walk_dir(root, &path, &child_rel, depth + 1, files, problems),
            Entry::Special(what) => problems.push(special(&child_rel, what)),
            Entry::Missing => {}
        }
    }
}

/// What the folder entry `entry` (at `real`, shown as `rel`) is; a link is
/// followed, inside the site (whose real path is `root`) only.
fn entry_kind(
    root: &Path,
    entry: &fs::DirEntry,
    real: PathBuf,
    rel: &Path,
) -> Result<Entry, Problem> {
    match entry.file_type() {
        Ok(t) if t.is_symlink() => follow_link(root, &real, rel),
        Ok(t) if t.is_dir() => Ok(Entry::Dir(real)),
        Ok(t) if t.is_file() => Ok(Entry::File(real)),
        Ok(_) => match entry.metadata() {
            Ok(m) => Ok(kind(&m, real)),
            Err(e) => Err(cannot_read(rel, &e)),
        },
        Err(e) => Err(cannot_read(rel, &e)),
    }
}

fn kind(meta: &Metadata, real: PathBuf) -> Entry {
    let t = meta.file_type();
    if t.is_file() {
        return Entry::File(real);
    }
    if t.is_dir() {
        return Entry::Dir(real);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Entry::Special("a named pipe (FIFO)");
        }
        if t.is_socket() {
            return Entry::Special("a socket");
        }
        if t.is_block_device() || t.is_char_device() {
            return Entry::Special("a device");
        }
    }
    Entry::Special("a special file")
}

/// Opens for reading without waiting for a writer, should it be a FIFO.
fn open(path: &Path) -> std::io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

fn cannot_read(rel: &Path, e: &std::io::Error) -> Problem {
    Problem::new(rel, format!("cannot be read: {e}"))
}

fn outside(rel: &Path) -> Problem {
    Problem::new(rel, "is a link that leads outside the site").hint(
        "rapor reads only files inside the site folder; copy the file or folder here instead of linking to it",
    )
}

fn is_a_folder(rel: &Path) -> Problem {
    Problem::new(rel, "is a folder, not a file")
        .hint("put the file itself here, or remove the folder")
}

fn special(rel: &Path, what: &str) -> Problem {
    Problem::new(rel, format!("is {what}, not a regular file"))
        .hint("rapor reads only ordinary files; put the file itself here")
}

fn too_large(rel: &Path, len: u64, cap: u64) -> Problem {
    Problem::new(
        rel,
        format!(
            "is {} MB, larger than the {} MB a content file may be",
            len / 1_048_576,
            cap / 1_048_576
        ),
    )
    .hint("split it or remove what does not belong")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_read_without_bom_and_crlf() {
        assert_eq!(
            normalized(b"\xEF\xBB\xBFa: 1\r\nb: |\r\n  x\r\n".to_vec()),
            b"a: 1\nb: |\n  x\n"
        );
        // A lone CR, and a BOM that does not start the file, are the file's own.
        assert_eq!(
            normalized(b"a\rb\r\r\n\xEF\xBB\xBF".to_vec()),
            b"a\rb\r\n\xEF\xBB\xBF"
        );
        assert_eq!(normalized(b"\r".to_vec()), b"\r");
        assert_eq!(normalized(Vec::new()), b"");
    }

    #[test]
    fn files_links_and_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let outside_dir = tmp.path().join("elsewhere");
        fs::create_dir_all(root.join("content/media/sub")).unwrap();
        fs::create_dir_all(&outside_dir).unwrap();
        fs::write(root.join("content/a.yaml"), "a: 1\n").unwrap();
        fs::write(root.join("content/media/sub/p.png"), "png").unwrap();
        fs::write(outside_dir.join("secret"), "secret").unwrap();
        let rel = |p: &str| PathBuf::from(p);
        assert_eq!(read_text(&root, &rel("content/a.yaml")).unwrap(), "a: 1\n");
        assert!(matches!(
            locate(&root, &rel("content/none")),
            Ok(Entry::Missing)
        ));
        let err = read_text(&root, &rel("content/media")).unwrap_err();
        assert!(err.message.contains("is a folder"), "{err}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(outside_dir.join("secret"), root.join("content/b.yaml")).unwrap();
            symlink("a.yaml", root.join("content/c.yaml")).unwrap();
            symlink(&outside_dir, root.join("content/media/out")).unwrap();
            symlink("sub", root.join("content/media/in")).unwrap();
            let err = read_text(&root, &rel("content/b.yaml")).unwrap_err();
            assert!(err.message.contains("leads outside the site"), "{err}");
            assert_eq!(read_text(&root, &rel("content/c.yaml")).unwrap(), "a: 1\n");
            let (files, problems) = walk(&root, &rel("content/media"));
            let names: Vec<_> = files.iter().map(|(r, _)| r.clone()).collect();
            assert_eq!(
                names,
                vec![
                    rel("content/media/in/p.png"),
                    rel("content/media/sub/p.png")
                ]
            );
            let problems = problems.to_string();
            assert!(
                problems.starts_with("content/media/out: is a link that leads outside the site"),
                "{problems}"
            );
            assert_eq!(problems.lines().count(), 1, "{problems}");
        }
    }
}
