//! Running the binary under a time and memory limit, and what a run printed.

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use snapbox::assert::DEFAULT_ACTION_ENV;
use snapbox::{Assert, IntoData};

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
    /// The temporary folder the run worked in (as given, and as the system
    /// resolves it: /tmp may be a link), written `[ROOT]` in snapshots.
    pub roots: Vec<String>,
}

impl Run {
    /// The whole stderr, with the temporary folder written `[ROOT]` (with
    /// `/` or `\\` between its names), equals `expected` (a snapbox `str![[...]]` or
    /// `file![...]`; `SNAPSHOTS=overwrite` rewrites it). No wildcards.
    #[track_caller]
    pub fn stderr_is(&self, expected: impl IntoData) {
        Run::text_is(&self.redact(&self.stderr), expected);
    }

    /// `actual` (already redacted, such as several runs' stderr one after
    /// another) equals the snapshot `expected`.
    #[track_caller]
    pub fn text_is(actual: &str, expected: impl IntoData) {
        Assert::new()
            .action_env(DEFAULT_ACTION_ENV)
            .eq(actual.to_string(), expected.into_data().raw());
    }

    /// `text` with this run's temporary folder written `[ROOT]`.
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.to_string();
        for dir in &self.roots {
            text = text
                .replace(dir.as_str(), "[ROOT]")
                .replace(&dir.replace('\\', "/"), "[ROOT]");
        }
        text
    }

    pub fn show(&self) -> String {
        format!(
            "exit code: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// This run, which must have succeeded (exit code 0).
    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(self.code, Some(0), "rapor failed\n{}", self.show());
        self
    }

    /// This run, which must have failed on a problem (exit code 1).
    #[track_caller]
    pub fn failure(self) -> Run {
        assert_eq!(self.code, Some(1), "rapor did not fail\n{}", self.show());
        self
    }

    /// The problem lines: stderr without the closing summary.
    pub fn problems(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with("error: "))
            .collect()
    }

    /// Checks the shape of every problem line: a path relative to the site
    /// (a temporary folder in the message shows as `[ROOT]` in its
    /// snapshot), optionally `:line:column`, then `: ` and
    /// the message, no control or direction character echoed; and the
    /// summary line counting them.
    #[track_caller]
    pub fn assert_well_formed(&self) {
        let problems = self.problems();
        assert!(!problems.is_empty(), "no problem printed\n{}", self.show());
        for line in &problems {
            let (head, message) = line
                .split_once(": ")
                .unwrap_or_else(|| panic!("not `path: message`: {line:?}\n{}", self.show()));
            assert!(!message.trim().is_empty(), "empty message: {line:?}");
            let mut parts = head.split(':');
            let path = parts.next().unwrap();
            let position: Vec<&str> = parts.collect();
            assert!(
                position.is_empty()
                    || (position.len() == 2
                        && position
                            .iter()
                            .all(|p| p.parse::<u64>().is_ok_and(|n| n > 0))),
                "position is not `line:column`: {line:?}"
            );
            assert!(
                path.starts_with("content") || path.starts_with("themes/"),
                "path is not relative to the site root: {line:?}"
            );
        }
        assert!(
            !self
                .stderr
                .chars()
                .any(|c| c.is_control() && c != '\n' || ('\u{202A}'..='\u{202E}').contains(&c)),
            "a problem line echoes a control or direction character:\n{:?}",
            self.stderr
        );
        let n = problems.len();
        let summary = format!("error: {n} problem{} found", if n == 1 { "" } else { "s" });
        assert!(
            self.stderr.lines().any(|l| l.starts_with(&summary)),
            "no summary line {summary:?}\n{}",
            self.show()
        );
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
        roots: Vec::new(),
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
