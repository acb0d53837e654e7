//! Watching `content/` and `themes/` for saved changes: the system's change
//! events (`notify`), or polling where events are unavailable (no inotify
//! watches left, a network file system that sends none).
//!
//! Either way a change is confirmed by comparing snapshots of the files'
//! sizes and modification times, so what counts as a change (a file added,
//! removed or altered; not a folder's time) is one rule for both. Events
//! that only say a file or folder was opened or read are dropped: taking a
//! snapshot opens every folder, and would otherwise wake the watcher again.
//! Events are debounced here: after one, the watcher waits until the files
//! have been quiet for [`SETTLE`] (editors save in several steps), then
//! looks once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

/// The folders of the site that are watched.
const WATCHED: [&str; 2] = ["content", "themes"];
/// How often the sources are checked for changes when polling.
const POLL_EVERY: Duration = Duration::from_millis(150);
/// Editors save in several steps: how long the files must be quiet
/// before a change is taken (events), or checked again (polling).
const SETTLE: Duration = Duration::from_millis(30);
/// With events, a full check this often all the same: a folder created
/// after the start (`themes/`) or an event the system dropped is seen.
const CHECK_ANYWAY: Duration = Duration::from_secs(10);

/// Size and modification time of every source file, by path.
pub type Snapshot = HashMap<PathBuf, (u64, Option<std::time::SystemTime>)>;

/// Every source file under `root`'s watched folders with its size and
/// modification time.
pub fn snapshot(root: &Path) -> Snapshot {
    let mut files = HashMap::new();
    for top in WATCHED {
        // Files only: a folder's time changes whenever an editor saves beside it.
        for entry in walkdir::WalkDir::new(root.join(top))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            if let Ok(meta) = entry.metadata() {
                files.insert(
                    entry.path().to_path_buf(),
                    (meta.len(), meta.modified().ok()),
                );
            }
        }
    }
    files
}

/// Paths added, removed or changed between two snapshots, sorted.
pub fn changed(before: &Snapshot, after: &Snapshot) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = after
        .iter()
        .filter(|(p, m)| before.get(*p) != Some(m))
        .map(|(p, _)| p.clone())
        .collect();
    paths.extend(before.keys().filter(|p| !after.contains_key(*p)).cloned());
    paths.sort();
    paths
}

/// Watches the sources under `root` forever, starting from `last`, and
/// calls `rebuild` with the paths of each change.
pub fn watch(root: &Path, last: Snapshot, rebuild: impl FnMut(Vec<PathBuf>)) {
    let (send, events) = mpsc::channel::<()>();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // An error may mean lost events: it wakes the watcher too.
        if !event.is_ok_and(|e| e.kind.is_access()) {
            let _ = send.send(());
        }
    });
    let Ok(mut watcher) = watcher else {
        return poll(root, last, rebuild);
    };
    let watched = WATCHED
        .iter()
        .map(|top| root.join(top))
        .filter(|dir| dir.is_dir())
        .filter(|dir| watcher.watch(dir, RecursiveMode::Recursive).is_ok())
        .count();
    if watched == 0 {
        return poll(root, last, rebuild);
    }
    // The watcher stops watching when dropped: it lives as long as this.
    on_events(root, last, &events, rebuild);
    drop(watcher);
}

/// Waits for change events (or [`CHECK_ANYWAY`]); rebuilds when the
/// snapshot differs. Falls back to polling if the events stop for good.
fn on_events(
    root: &Path,
    mut last: Snapshot,
    events: &mpsc::Receiver<()>,
    mut rebuild: impl FnMut(Vec<PathBuf>),
) {
    // Look first: a change made before the watches were set is seen at once.
    loop {
        let now = snapshot(root);
        if now != last {
            let paths = changed(&last, &now);
            last = now;
            rebuild(paths);
        }
        match events.recv_timeout(CHECK_ANYWAY) {
            Ok(()) => settle(events),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return poll(root, last, rebuild),
        }
    }
}

/// Waits until no event has come for [`SETTLE`], taking those that do, or
/// a second at most (a file written without end still gets rebuilt).
fn settle(events: &mpsc::Receiver<()>) {
    let until = std::time::Instant::now() + Duration::from_secs(1);
    while std::time::Instant::now() < until && events.recv_timeout(SETTLE).is_ok() {}
}

/// Compares snapshots every [`POLL_EVERY`]: where change events are unavailable.
fn poll(root: &Path, mut last: Snapshot, mut rebuild: impl FnMut(Vec<PathBuf>)) {
    loop {
        std::thread::sleep(POLL_EVERY);
        let now = snapshot(root);
        if now != last {
            // Editors save in several steps; wait until the files settle.
            std::thread::sleep(SETTLE);
            let now = snapshot(root);
            let paths = changed(&last, &now);
            last = now;
            rebuild(paths);
        }
    }
}
