//! A folder as a map of relative paths to contents, to compare before and after.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Every entry under a folder by `/`-separated relative path (see [`snapshot`]).
pub type Tree = BTreeMap<String, Vec<u8>>;

/// Every entry under `dir` by relative path: a file's bytes, a link's target
/// (`-> target`), `dir` for a folder, `special` for a pipe or device. Empty
/// when `dir` does not exist.
pub fn snapshot(dir: &Path) -> Tree {
    fn walk(base: &Path, dir: &Path, tree: &mut Tree) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.map(Result::unwrap) {
            let path = entry.path();
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                let target = fs::read_link(&path).unwrap();
                tree.insert(rel, format!("-> {}", target.display()).into_bytes());
            } else if kind.is_dir() {
                tree.insert(rel, b"dir".to_vec());
                walk(base, &path, tree);
            } else if kind.is_file() {
                tree.insert(rel, fs::read(&path).unwrap());
            } else {
                // A named pipe or device: reading it could block.
                tree.insert(rel, b"special".to_vec());
            }
        }
    }
    let mut tree = BTreeMap::new();
    walk(dir, dir, &mut tree);
    tree
}

/// What differs between two [`snapshot`]s, one line per path.
pub fn diff(before: &Tree, after: &Tree) -> Vec<String> {
    let mut out = Vec::new();
    for (path, old) in before {
        match after.get(path) {
            None => out.push(format!("removed: {path}")),
            Some(new) if new != old => out.push(format!("changed: {path}")),
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        out.push(format!("added:   {path}"));
    }
    out
}

/// Two [`snapshot`]s are the same, or the test fails naming what changed.
#[track_caller]
pub fn assert_same_tree(before: &Tree, after: &Tree, what: &str) {
    let d = diff(before, after);
    assert!(d.is_empty(), "{what} changed:\n{}", d.join("\n"));
}
