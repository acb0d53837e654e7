//! What the integration tests share: copying a site into a temporary folder,
//! running the binary under a time limit, and reading what was built.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Debian's Chromium (`chromium`, or `chromium-browser` elsewhere), if installed.
pub fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// A copy of the sample site (the repository's `content/`) in a fresh temporary folder.
pub fn sample_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &tmp.path().join("content"),
    );
    tmp
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file below `dir`, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

// ------------------------------------------------------------ running rapor

/// The `rapor` binary cargo built for these tests.
pub const RAPOR: &str = env!("CARGO_BIN_EXE_rapor");

/// How long a run of the small fixture may take before it counts as a hang.
pub const LIMIT: Duration = Duration::from_secs(30);

/// What a run of the binary printed, and how long it took.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

impl Run {
    pub fn show(&self) -> String {
        format!(
            "exit code: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// The problem lines: stderr without the closing summary.
    pub fn problems(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with("error: "))
            .collect()
    }

    /// Some problem line starts with `prefix` and contains every one of `words`.
    #[track_caller]
    pub fn expect(&self, prefix: &str, words: &[&str]) {
        let found = self
            .problems()
            .iter()
            .any(|l| l.starts_with(prefix) && words.iter().all(|w| l.contains(w)));
        assert!(
            found,
            "expected a problem line starting with {prefix:?} and containing {words:?}\n{}",
            self.show()
        );
    }
}

/// Gives the command at most 2 GB of address space.
#[cfg(unix)]
pub fn limit_memory(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 2 << 30,
                rlim_max: 2 << 30,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
}

/// Starts `cmd` with no input and both outputs piped, for [`finish`].
pub fn spawn(cmd: &mut Command) -> std::io::Result<Child> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
}

/// Waits for `child` for at most `limit`, killing it and failing the test
/// if it takes longer.
pub fn wait_bounded(child: &mut Child, limit: Duration) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("rapor did not finish within {limit:?} (a hang)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Collects what a child started by [`spawn`] prints, waiting for it at most
/// `limit`; fails the test if it panicked.
pub fn finish(child: Child, limit: Duration) -> Run {
    finish_from(child, Instant::now(), limit)
}

fn finish_from(mut child: Child, start: Instant, limit: Duration) -> Run {
    // Read both pipes on threads so a chatty child cannot block on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let status = wait_bounded(&mut child, limit);
    let took = start.elapsed();
    let run = Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        took,
    };
    assert!(
        !run.stderr.contains("panicked"),
        "rapor panicked\n{}",
        run.show()
    );
    run
}

/// Runs `cmd` for at most `limit` (killed past it, failing the test).
pub fn run_bounded(mut cmd: Command, limit: Duration) -> Run {
    let start = Instant::now();
    let child = spawn(&mut cmd).unwrap();
    finish_from(child, start, limit)
}

/// Every entry under `dir` by relative path: a file's bytes, a link's target
/// (`-> target`), `dir` for a folder. Empty when `dir` does not exist.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, tree: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.map(Result::unwrap) {
            let path = entry.path();
            let rel = path.strip_prefix(base).unwrap().to_string_lossy().into();
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                let target = fs::read_link(&path).unwrap();
                tree.insert(rel, format!("-> {}", target.display()).into_bytes());
            } else if kind.is_dir() {
                tree.insert(rel, b"dir".to_vec());
                walk(base, &path, tree);
            } else {
                tree.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut tree = BTreeMap::new();
    walk(dir, dir, &mut tree);
    tree
}

// ------------------------------------------------------------ the fixture

/// A copy of `tests/fixtures/minimal` at `<tmp>/site`, with room beside it
/// for what is "outside the site".
pub struct Fixture {
    pub tmp: tempfile::TempDir,
    pub root: PathBuf,
    /// How long [`Fixture::rapor`] lets a run take.
    pub limit: Duration,
}

impl Fixture {
    pub fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"),
            &root,
        );
        Fixture {
            tmp,
            root,
            limit: LIMIT,
        }
    }

    /// The same copy, its runs killed after `limit` instead of [`LIMIT`].
    pub fn within(mut self, limit: Duration) -> Fixture {
        self.limit = limit;
        self
    }

    /// A copy built once, successfully.
    pub fn built() -> Fixture {
        Fixture::new().and_built()
    }

    /// Builds this copy once, which must succeed.
    pub fn and_built(self) -> Fixture {
        let run = self.rapor(&["build"]);
        assert_eq!(run.code, Some(0), "the fixture must build\n{}", run.show());
        self
    }

    /// Runs `rapor <args> --root <site>` in the site, bounded by `self.limit`.
    pub fn rapor(&self, args: &[&str]) -> Run {
        self.rapor_within(args, self.limit)
    }

    /// Runs `rapor <args> --root <site>` in the site with 2 GB of address
    /// space, killed (failing the test) after `limit`.
    pub fn rapor_within(&self, args: &[&str], limit: Duration) -> Run {
        let mut cmd = Command::new(RAPOR);
        cmd.args(args)
            .arg("--root")
            .arg(&self.root)
            .current_dir(&self.root);
        #[cfg(unix)]
        limit_memory(&mut cmd);
        run_bounded(cmd, limit)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        fs::write(self.path(rel), text).unwrap();
    }

    /// Replaces `from` by `to` in a file; `from` must occur exactly once.
    #[track_caller]
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = read(&self.path(rel));
        assert_eq!(
            text.matches(from).count(),
            1,
            "{rel} must hold {from:?} once"
        );
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// What `output/` holds now (see [`snapshot`]).
    pub fn output(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.path("output"))
    }

    /// A folder beside the site (outside it) holding one file.
    pub fn outside(&self, name: &str, text: &str) -> PathBuf {
        let dir = self.tmp.path().join("elsewhere");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(name), text).unwrap();
        dir
    }
}
