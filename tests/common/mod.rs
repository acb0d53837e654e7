//! The one harness of the integration tests: copy a fixture site into a
//! temporary folder ([`Fixture`]), run the real binary under a time and memory
//! limit ([`Fixture::rapor`]), capture its exit code, stdout and stderr
//! ([`Run`]) and the output tree ([`Fixture::output`]), and compare what a
//! user reads with a stored expectation ([`Run::stderr_is`]).
//!
//! Expected messages are snapbox snapshots (`str![[...]]` in the test, or a
//! file named with `file![...]`): `SNAPSHOTS=overwrite cargo test` rewrites
//! them to what the binary prints now, to be reviewed as a diff.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use snapbox::assert::DEFAULT_ACTION_ENV;
use snapbox::{Assert, IntoData};

/// The repository's folder (where `content/` and `tests/` are).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from` into `to` (created), files and folders only.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the sample site (the repository's `content/`) in a fresh temporary folder.
pub fn sample_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &tmp.path().join("content"));
    tmp
}

/// The SHA-256 of `bytes` in lowercase hex, as `sha256sum` prints it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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

    /// As [`Run::stderr_is`], for stdout.
    #[track_caller]
    pub fn stdout_is(&self, expected: impl IntoData) {
        Run::text_is(&self.redact(&self.stdout), expected);
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

// ------------------------------------------------------------ pages and browsers

/// Every `href` and `src` value in `html` (double-quoted, as rapor writes
/// them), `&amp;` unescaped.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].replace("&amp;", "&"));
        }
    }
    out
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

/// Whether the tests run under CI (`CI=true`), where every tool they need
/// is installed by `.ci/run`.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Skips the test with `reason` printed, or fails it under CI.
#[track_caller]
pub fn skip(reason: &str) {
    assert!(!under_ci(), "CI must have {reason}: .ci/run installs it");
    eprintln!("skipped: {reason}");
}

/// Runs headless Chromium with a fresh profile and `args`, for at most
/// `limit`; it must succeed.
pub fn run_chromium(browser: &str, args: &[String], limit: Duration) -> Run {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(args);
    let run = run_bounded(cmd, limit);
    assert_eq!(run.code, Some(0), "chromium failed\n{}", run.show());
    run
}

/// The pixels of a PNG file (a screenshot), as RGB.
pub fn png_pixels(file: &Path) -> Vec<[u8; 3]> {
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(file).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect()
}

// ------------------------------------------------------------ rapor serve

/// A running `rapor serve`, killed when dropped.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A loopback port nothing listens on (just now).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// GET over loopback: (status code, body). `None` if nothing answers.
pub fn get(port: u16, path: &str) -> Option<(u16, String)> {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    read_response(stream)
}

/// Reads a whole response: (status code, body).
pub fn read_response(mut stream: std::net::TcpStream) -> Option<(u16, String)> {
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((status, body))
}

/// Polls `check` until it holds, for at most `limit`.
pub fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

// ------------------------------------------------------------ the fixture

/// A copy of a site in a fresh temporary folder (at `<tmp>/site` unless
/// [`Fixture::copy_at`] says otherwise), with room beside it for what is
/// "outside the site".
pub struct Fixture {
    pub tmp: tempfile::TempDir,
    pub root: PathBuf,
    /// How long [`Fixture::rapor`] lets a run take.
    pub limit: Duration,
}

impl Fixture {
    /// A copy of `tests/fixtures/minimal` (4 districts, years 2030 and 2031).
    pub fn new() -> Fixture {
        Fixture::copy_at("tests/fixtures/minimal", "site")
    }

    /// A copy of the sample site (the repository's `content/`).
    pub fn sample() -> Fixture {
        let site = Fixture::empty();
        copy_dir(&repo().join("content"), &site.path("content"));
        site
    }

    /// An empty site folder, for a site the test writes itself.
    pub fn empty() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir_all(&root).unwrap();
        Fixture {
            tmp,
            root,
            limit: LIMIT,
        }
    }

    /// A site the test generates: `n` districts `d-0`, `d-1`, ... in
    /// `content/districts.yaml` and one year, 2040, with a one-indicator
    /// rubric (scores 0 to 2), in which the first `assessed` districts have
    /// a district file scoring `score(i)`.
    pub fn generated(n: usize, assessed: usize, score: impl Fn(usize) -> usize) -> Fixture {
        let site = Fixture::empty();
        site.write(
            "content/site.yaml",
            "title: Uji\nprovince: { name: Provinsi Uji, code: \"97\" }\nbase_url: https://uji.example/\n",
        );
        let registry: String = (0..n)
            .map(|i| format!("- {{ code: \"97.{i:05}\", name: Kabupaten Uji {i}, slug: d-{i}, kind: kabupaten }}\n"))
            .collect();
        site.write("content/districts.yaml", &registry);
        site.write(
            "content/2040/rubric.yaml",
            "title: Rubrik uji\ncomponents:\n  - { key: berkas, name: Berkas, weight: 100, from: actions }\nactions:\n  - number: 1\n    name: Satu\n    weight: 100\n    indicators:\n      - { key: \"1.1\", text: Satu, max: 2 }\ncategories:\n  - { min: 0, label: Semua }\n",
        );
        for i in 0..assessed {
            site.write(
                &format!("content/2040/districts/d-{i}.yaml"),
                &format!("indicators:\n  \"1.1\": {}\n", score(i)),
            );
        }
        site
    }

    /// A copy of the repository's folder `source` at `<tmp>/<at>`.
    pub fn copy_at(source: &str, at: &str) -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join(at);
        copy_dir(&repo().join(source), &root);
        Fixture {
            tmp,
            root,
            limit: LIMIT,
        }
    }

    /// A fresh copy of this site's `content/` and `themes/` (without its
    /// output) in a temporary folder of its own.
    pub fn copy(&self) -> Fixture {
        let other = Fixture::empty().within(self.limit);
        for folder in ["content", "themes"] {
            if self.path(folder).exists() {
                copy_dir(&self.path(folder), &other.path(folder));
            }
        }
        other
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

    /// Runs `rapor build`, which must succeed; returns the `output/` folder.
    #[track_caller]
    pub fn build(&self) -> PathBuf {
        self.rapor(&["build"]).success();
        self.path("output")
    }

    /// Starts `rapor <args> --root <site>` in the site, for [`Fixture::finish`].
    pub fn spawn(&self, args: &[&str]) -> Child {
        let mut cmd = self.command(args);
        cmd.arg("--root").arg(&self.root);
        spawn(&mut cmd).unwrap()
    }

    /// Waits for a child of [`Fixture::spawn`] at most `self.limit`.
    pub fn finish(&self, child: Child) -> Run {
        let mut run = finish(child, self.limit);
        run.roots = self.roots();
        run
    }

    /// The temporary folder as given and as the system resolves it.
    fn roots(&self) -> Vec<String> {
        let tmp = self.tmp.path();
        let real = fs::canonicalize(tmp).unwrap_or_else(|_| tmp.to_path_buf());
        [real.as_path(), tmp]
            .map(|p| p.to_string_lossy().into_owned())
            .to_vec()
    }

    /// Runs `rapor <args> --root <site>` in the site, bounded by `self.limit`.
    pub fn rapor(&self, args: &[&str]) -> Run {
        self.rapor_within(args, self.limit)
    }

    /// Runs `rapor <args> --root <site>` in the site with 2 GB of address
    /// space, killed (failing the test) after `limit`.
    pub fn rapor_within(&self, args: &[&str], limit: Duration) -> Run {
        let mut cmd = self.command(args);
        cmd.arg("--root").arg(&self.root);
        self.run(cmd, limit)
    }

    /// Runs `rapor <args>` exactly as given (no `--root`), in the site.
    pub fn rapor_raw(&self, args: &[&str]) -> Run {
        self.run(self.command(args), self.limit)
    }

    /// `rapor <args>` to be run in the site folder, for a test that needs
    /// more than [`Fixture::rapor`] (an environment variable, a pipe).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(RAPOR);
        cmd.args(args).current_dir(&self.root);
        cmd
    }

    /// Runs `cmd` with 2 GB of address space for at most `limit`.
    pub fn run(&self, mut cmd: Command, limit: Duration) -> Run {
        #[cfg(unix)]
        limit_memory(&mut cmd);
        let mut run = run_bounded(cmd, limit);
        run.roots = self.roots();
        run
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes a file of the site, making its folder if need be.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path(rel)).unwrap();
    }

    /// A file of the site as text.
    pub fn read(&self, rel: &str) -> String {
        read(&self.path(rel))
    }

    /// Adds `text` at the end of a file.
    pub fn append(&self, rel: &str, text: &str) {
        self.write(rel, &(self.read(rel) + text));
    }

    /// Replaces `from` by `to` in a file; `from` must occur exactly once.
    #[track_caller]
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(
            text.matches(from).count(),
            1,
            "{rel} must hold {from:?} once"
        );
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// What `output/` holds now (see [`snapshot`]).
    pub fn output(&self) -> Tree {
        snapshot(&self.path("output"))
    }

    /// The whole temporary folder: the site, its output and anything beside.
    pub fn everything(&self) -> Tree {
        snapshot(self.tmp.path())
    }

    /// Names in the site folder, sorted.
    pub fn top_level(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Starts `rapor serve` on `port` for this site, with `tmp` as its
    /// temporary folder, and waits (at most 30 s) until it answers.
    pub fn serve(&self, port: u16, tmp: &Path) -> Server {
        let mut cmd = self.command(&["serve", "--port", &port.to_string(), "--root"]);
        cmd.arg(&self.root)
            .env("TMPDIR", tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let server = Server(cmd.spawn().unwrap());
        assert!(
            eventually(Duration::from_secs(30), || get(port, "/").is_some()),
            "serve did not start"
        );
        server
    }

    /// A folder beside the site (outside it) holding one file.
    pub fn outside(&self, name: &str, text: &str) -> PathBuf {
        let dir = self.tmp.path().join("elsewhere");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(name), text).unwrap();
        dir
    }

    /// Bad input (SPEC §7): builds this site, applies `spoil`, then checks
    /// that `build` exits 1 without saying it built, that `check` exits 1
    /// with the same problems, and that nothing changed on disk (`output/`
    /// is the previous site, nothing appeared anywhere in the temporary
    /// folder, no staging folder is left). Returns the build's run, whose
    /// [`Run::stderr_is`] then checks the whole message.
    #[track_caller]
    pub fn refuses(&self, spoil: impl FnOnce(&Fixture)) -> Run {
        let run = self.refuses_build(spoil);
        let before = self.everything();
        let check = self.rapor(&["check"]);
        assert_eq!(check.code, Some(1), "check must fail too\n{}", check.show());
        assert_eq!(
            check.problems(),
            run.problems(),
            "check and build disagree\n--- build ---\n{}\n--- check ---\n{}",
            run.stderr,
            check.stderr
        );
        assert_same_tree(&before, &self.everything(), "the folder after check");
        run
    }

    /// As [`Fixture::refuses`], for `build` alone (a problem `check` cannot
    /// see, such as a template that fails only when rendered).
    #[track_caller]
    pub fn refuses_build(&self, spoil: impl FnOnce(&Fixture)) -> Run {
        let run = self.rapor(&["build"]);
        assert_eq!(run.code, Some(0), "the fixture must build\n{}", run.show());
        let good = self.output();
        spoil(self);
        let before = self.everything();
        let run = self.rapor(&["build"]);
        assert_eq!(run.code, Some(1), "a spoilt site must fail\n{}", run.show());
        assert!(
            !run.stdout.contains("Built"),
            "a failed build says it built\n{}",
            run.show()
        );
        assert_same_tree(&good, &self.output(), "output/");
        assert_same_tree(&before, &self.everything(), "the temporary folder");
        run.assert_well_formed();
        run
    }
}
