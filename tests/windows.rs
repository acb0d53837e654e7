//! Windows: content saved there (CRLF line ends, a byte order mark, names
//! with non-ASCII letters) builds the same site as on Linux; and the Windows
//! binary itself, cross-built and run under Wine, builds byte for byte what
//! the Linux binary builds, and reports problems with the same `/` paths.
//!
//! The Wine tests need `wine` and Debian's `gcc-mingw-w64-x86-64`, and the
//! rustup target `x86_64-pc-windows-gnu`: outside CI they are skipped, with
//! the reason printed, when those are missing; under CI=true (where `.ci/run`
//! installs them) they fail instead. The Windows binary is built once for
//! all of them, into `target/windows/` (a debug build: about 6 minutes from
//! clean on 2 cores, seconds after).

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use common::{run_bounded, Fixture, Run};
use snapbox::str;

// ------------------------------------------------------------ content from Windows

/// The same file as Notepad or Git on Windows may write it: a UTF-8 byte
/// order mark and CRLF line ends.
fn windows_text(bytes: &[u8]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    for &b in bytes {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// Every YAML and Markdown file under `dir` rewritten by [`windows_text`].
fn to_windows_text(dir: &Path) {
    for file in common::walk(dir) {
        if matches!(
            file.extension().and_then(|e| e.to_str()),
            Some("yaml" | "md")
        ) {
            let bytes = std::fs::read(&file).unwrap();
            std::fs::write(&file, windows_text(&bytes)).unwrap();
        }
    }
}

/// The fixture with a media file named with non-ASCII letters, shown on a page.
fn fixture_with_non_ascii_name() -> Fixture {
    let site = Fixture::new();
    std::fs::copy(
        site.path("content/2030/media/posyandu-keliling.svg"),
        site.path("content/2030/media/peta-désa-ñ.svg"),
    )
    .unwrap();
    let narrative = site.path("content/2030/districts/alpha.md");
    let text = common::read(&narrative);
    std::fs::write(&narrative, text + "\n![Peta désa](media/peta-désa-ñ.svg)\n").unwrap();
    site
}

#[track_caller]
fn assert_same_site(got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>) {
    assert!(!want.is_empty(), "nothing was built");
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(got), names(want), "different files");
    for (path, bytes) in want {
        assert!(got[path] == *bytes, "{path} differs");
    }
}

#[test]
fn crlf_and_bom_content_builds_the_same_site() {
    let lf = fixture_with_non_ascii_name();
    let crlf = fixture_with_non_ascii_name();
    to_windows_text(&crlf.path("content"));
    assert!(common::read(&crlf.path("content/2030/districts/alpha.md")).starts_with('\u{feff}'));
    for site in [&lf, &crlf] {
        let run = site.rapor_raw(&["build"]);
        assert_eq!(run.code, Some(0), "{}", run.show());
    }
    assert_same_site(&crlf.output(), &lf.output());
}

#[test]
fn crlf_and_bom_content_keeps_problem_lines_and_columns() {
    let break_it = |site: &Fixture| {
        // A problem on the first line (after the byte order mark) and one further down.
        let rel = "content/2030/districts/beta.yaml";
        let text = common::read(&site.path(rel));
        std::fs::write(site.path(rel), format!("colour: red\n{text}  typo: 1\n")).unwrap();
    };
    let lf = Fixture::new();
    let crlf = Fixture::new();
    break_it(&lf);
    break_it(&crlf);
    to_windows_text(&crlf.path("content"));
    let want = lf.rapor_raw(&["check"]);
    let got = crlf.rapor_raw(&["check"]);
    assert_eq!(want.code, Some(1), "{}", want.show());
    want.stderr_is(str![[r#"
content/2030/districts/beta.yaml:1:1: unknown key `colour` (check the spelling; allowed here: assessed_on, indicators, components, prevalence, coverage, budget, feedback, innovations, follow_up)
content/2030/districts/beta.yaml:17:3: expected a whole number (write digits only, without a decimal point)
error: 2 problems found

"#]]);
    assert_eq!(got.code, Some(1), "{}", got.show());
    assert_eq!(got.stderr, want.stderr);
}

#[test]
fn a_year_frozen_with_unix_text_stays_frozen_when_checked_out_with_crlf() {
    let site = Fixture::new();
    let froze = site.rapor(&["freeze", "2030", "--date", "2031-06-02"]);
    assert_eq!(froze.code, Some(0), "{}", froze.show());
    // Git on Windows (autocrlf) checks the same content out with CRLF.
    to_windows_text(&site.path("content"));
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
}

#[test]
fn the_build_summary_names_the_output_as_given_without_dot_slash() {
    let site = Fixture::new();
    let run = site.rapor_raw(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert!(run.stdout.contains(" into output in "), "{}", run.show());
}

// ------------------------------------------------------------ the Windows binary under Wine

const TARGET: &str = "x86_64-pc-windows-gnu";

/// The cross-built `rapor.exe` and the Wine prefix it runs in.
struct Wine {
    exe: PathBuf,
    prefix: PathBuf,
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join(program).is_file()))
}

/// Why the Windows binary cannot be tested here, if it cannot.
fn missing_tools() -> Option<String> {
    let mut missing = Vec::new();
    if !on_path("wine") {
        missing.push("wine (apt-get install wine64 wine)");
    }
    if !on_path("x86_64-w64-mingw32-gcc") {
        missing.push("the mingw linker (apt-get install gcc-mingw-w64-x86-64)");
    }
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if !sysroot.is_some_and(|s| s.join("lib/rustlib").join(TARGET).is_dir()) {
        missing.push("the Rust target (rustup target add x86_64-pc-windows-gnu)");
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

/// The Windows binary, built once for every test of this file; `None` (the
/// test then returns) when the tools are missing outside CI.
fn wine() -> Option<&'static Wine> {
    static WINE: OnceLock<Option<Wine>> = OnceLock::new();
    WINE.get_or_init(|| {
        if let Some(missing) = missing_tools() {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("CI=true, but the Windows test cannot run: missing {missing} (.ci/run installs them)");
            }
            eprintln!("skipped: the Windows binary is not tested, missing {missing}");
            return None;
        }
        Some(build_for_windows())
    })
    .as_ref()
}

fn build_for_windows() -> Wine {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target_dir = manifest.join("target/windows");
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .args(["build", "--bin", "rapor", "--target", TARGET])
        .current_dir(manifest)
        .env("CARGO_TARGET_DIR", &target_dir);
    let started = std::time::Instant::now();
    let run = run_bounded(cargo, Duration::from_secs(40 * 60));
    assert_eq!(run.code, Some(0), "cross build failed\n{}", run.show());
    eprintln!("cross build of rapor.exe: {:?}", started.elapsed());
    let exe = target_dir.join(TARGET).join("debug/rapor.exe");
    let wine = Wine {
        exe,
        prefix: target_dir.join("wine-prefix"),
    };
    // Also creates the prefix the first time (some seconds).
    let version = wine.run(manifest, &["--version"]);
    if version.code != Some(0) {
        // Debian's Wine 8 has no bcryptprimitives.dll: put the stub beside the exe.
        let dll = wine.exe.with_file_name("bcryptprimitives.dll");
        let mut gcc = Command::new("x86_64-w64-mingw32-gcc");
        gcc.args(["-shared", "-O2", "-o"])
            .arg(&dll)
            .arg(manifest.join("tests/wine/bcryptprimitives.c"))
            .arg("-ladvapi32");
        let built = run_bounded(gcc, Duration::from_secs(120));
        assert_eq!(built.code, Some(0), "{}", built.show());
        eprintln!(
            "rapor.exe did not start under this Wine ({}); added the stub bcryptprimitives.dll",
            version.stderr.trim()
        );
    }
    let version = wine.run(manifest, &["--version"]);
    assert_eq!(
        version.code,
        Some(0),
        "rapor.exe does not start\n{}",
        version.show()
    );
    assert!(version.stdout.starts_with("rapor "), "{}", version.show());
    let mut gcc = Command::new("x86_64-w64-mingw32-gcc");
    gcc.args(["-municode", "-O2", "-o"])
        .arg(wine.exe.with_file_name("hold.exe"))
        .arg(manifest.join("tests/wine/hold.c"));
    let built = run_bounded(gcc, Duration::from_secs(120));
    assert_eq!(built.code, Some(0), "{}", built.show());
    wine
}

impl Wine {
    /// Runs `rapor.exe <args>` under Wine in `dir`, as a user would in a
    /// terminal opened in the site folder.
    fn run(&self, dir: &Path, args: &[&str]) -> Run {
        let mut cmd = Command::new("wine");
        cmd.arg(&self.exe)
            .args(args)
            .current_dir(dir)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            // No Mono or Gecko install prompts while the prefix is created.
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
        run_bounded(cmd, Duration::from_secs(120))
    }

    /// Starts `hold.exe` in `dir` holding `path` open for `seconds`, as a
    /// browser or a terminal opened there would; returns once it holds.
    fn hold(&self, dir: &Path, path: &str, seconds: u32) -> Holder {
        self.hold_as(dir, &[path, &seconds.to_string()])
    }

    /// Starts `hold.exe <args>` in `dir`; returns once it holds.
    fn hold_as(&self, dir: &Path, args: &[&str]) -> Holder {
        let mut child = Command::new("wine")
            .arg(self.exe.with_file_name("hold.exe"))
            .args(args)
            .current_dir(dir)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .env_remove("DISPLAY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let holder = Holder(child);
        let said = rx.recv_timeout(Duration::from_secs(60));
        assert_eq!(said.as_deref().map(str::trim), Ok("holding"));
        holder
    }
}

/// A running `hold.exe`, stopped when dropped.
struct Holder(Child);

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Builds `site` with the Windows binary, twice (the second over the first's
/// output), and with the Linux binary into a copy; both outputs must match.
fn build_both_ways(wine: &Wine, site: &Fixture, linux_site: &Fixture) {
    let want = linux_site.rapor_raw(&["build"]);
    assert_eq!(want.code, Some(0), "{}", want.show());
    for round in 0..2 {
        if round == 1 {
            // Over the existing output, rendering everything again (without
            // the record of the last build, nothing would be rendered).
            site.remove(".output.rapor-state");
        }
        let got = wine.run(&site.root, &["build"]);
        assert_eq!(got.code, Some(0), "{}", got.show());
        assert!(got.stdout.contains(" into output in "), "{}", got.show());
        assert!(
            !got.stdout.contains('\\') && !got.stderr.contains('\\'),
            "{}",
            got.show()
        );
        assert_same_site(&site.output(), &linux_site.output());
    }
    let again = wine.run(&site.root, &["build"]);
    assert!(
        again
            .stdout
            .contains("Nothing changed since the last build: output is up to date"),
        "{}",
        again.show()
    );
}

#[test]
fn windows_binary_builds_the_sample_as_linux_does() {
    let Some(wine) = wine() else { return };
    let sample = Fixture::sample();
    let copy = sample.copy();
    build_both_ways(wine, &sample, &copy);
}

#[test]
fn windows_binary_builds_windows_text_as_linux_builds_unix_text() {
    let Some(wine) = wine() else { return };
    let crlf = fixture_with_non_ascii_name();
    to_windows_text(&crlf.path("content"));
    let lf = fixture_with_non_ascii_name();
    build_both_ways(wine, &crlf, &lf);
}

#[test]
fn windows_binary_reports_problems_with_slash_paths() {
    let Some(wine) = wine() else { return };
    let site = Fixture::new();
    let rel = "content/2030/districts/beta.yaml";
    let text = common::read(&site.path(rel));
    site.write(rel, &format!("# edited on Windows\ncolour: red\n{text}"));
    let got = wine.run(&site.root, &["check"]);
    let want = site.rapor_raw(&["check"]);
    assert_eq!(want.code, Some(1), "{}", want.show());
    assert_eq!(got.code, Some(1), "{}", got.show());
    got.expect("content/2030/districts/beta.yaml:2:1: ", &["colour"]);
    assert_eq!(got.stderr, want.stderr);
}

/// Names beside the output that a build left: staging or previous sites.
fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rapor-new") || n.contains("rapor-old"))
        .collect()
}

#[test]
fn windows_build_with_the_output_held_fails_cleanly_naming_it() {
    let Some(wine) = wine() else { return };
    let site = Fixture::new();
    let first = wine.run(&site.root, &["build"]);
    assert_eq!(first.code, Some(0), "{}", first.show());
    let before = site.output();
    // A terminal opened in output/ holds the folder: it cannot be renamed.
    let holder = wine.hold(&site.root, "output", 60);
    site.edit("content/site.yaml", "title: ", "title: Baru ");
    let run = wine.run(&site.root, &["build"]);
    assert_eq!(run.code, Some(1), "{}", run.show());
    assert!(
        run.stderr
            .contains("error: could not write the site: output is open in another program")
            && run
                .stderr
                .contains("the previous site is unchanged: close it and build again"),
        "{}",
        run.show()
    );
    assert!(!run.stderr.contains('\\'), "{}", run.show());
    assert!(site.output() == before, "the previous site changed");
    assert_eq!(leftovers(&site.root), Vec::<String>::new());
    drop(holder);
    let again = wine.run(&site.root, &["build"]);
    assert_eq!(again.code, Some(0), "{}", again.show());
    assert!(site.output() != before);
}

#[test]
fn windows_build_waits_for_an_output_held_a_moment() {
    let Some(wine) = wine() else { return };
    let site = Fixture::new();
    let first = wine.run(&site.root, &["build"]);
    assert_eq!(first.code, Some(0), "{}", first.show());
    let before = site.output();
    let _holder = wine.hold(&site.root, "output", 2);
    site.edit("content/site.yaml", "title: ", "title: Baru ");
    let run = wine.run(&site.root, &["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert!(site.output() != before);
    assert_eq!(leftovers(&site.root), Vec::<String>::new());
}

#[test]
fn windows_import_of_a_workbook_open_in_excel_says_so() {
    let Some(wine) = wine() else { return };
    let site = Fixture::new();
    let made = site.rapor_raw(&["template", "2030"]);
    assert_eq!(made.code, Some(0), "{}", made.show());
    // Excel holds a workbook it has open, sharing nothing.
    let _excel = wine.hold_as(&site.root, &["penilaian-2030.xlsx", "60", "exclusive"]);
    let run = wine.run(
        &site.root,
        &["import", "penilaian-2030.xlsx", "--year", "2030"],
    );
    assert_eq!(run.code, Some(1), "{}", run.show());
    assert!(
        run.stderr.starts_with(
            "penilaian-2030.xlsx: the file is open in another program (Excel?) — close it and run again\n"
        ),
        "{}",
        run.show()
    );
}

/// The preview folders `rapor serve` made in the Wine prefix's temporary folders.
fn previews(wine: &Wine) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let users = wine.prefix.join("drive_c/users");
    for user in std::fs::read_dir(users).into_iter().flatten().flatten() {
        for temp in ["Temp", "AppData/Local/Temp"] {
            let dir = user.path().join(temp);
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                if entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with("rapor-serve-")
                {
                    found.push(entry.path());
                }
            }
        }
    }
    found
}

#[test]
fn windows_serve_prints_the_address_and_ctrl_c_cleans_up() {
    let Some(wine) = wine() else { return };
    let site = Fixture::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let before = previews(wine);
    let mut child = Command::new("wine")
        .arg(&wine.exe)
        .args(["serve", "--port", &port.to_string()])
        .current_dir(&site.root)
        .env("WINEPREFIX", &wine.prefix)
        .env("WINEDEBUG", "-all")
        .env_remove("DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let address = format!("http://127.0.0.1:{port}/");
    let serving = loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) if line.starts_with("Serving ") => break line,
            Ok(_) => {}
            Err(e) => {
                let _ = child.kill();
                panic!("rapor.exe serve printed no address: {e}");
            }
        }
    };
    assert_eq!(serving, format!("Serving . at {address} (Ctrl-C to stop)"));
    // The page is there.
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    std::io::Write::write_all(
        &mut stream,
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .unwrap();
    let mut response = String::new();
    let _ = std::io::Read::read_to_string(&mut stream, &mut response);
    assert!(response.starts_with("HTTP/1.1 200"), "{response:.200}");
    let made: Vec<PathBuf> = previews(wine)
        .into_iter()
        .filter(|p| !before.contains(p))
        .collect();
    assert_eq!(made.len(), 1, "{made:?}");
    // Ctrl-C: Wine passes SIGINT to the program as a console Ctrl-C.
    // SAFETY: signalling our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = common::wait_bounded(&mut child, Duration::from_secs(30));
    assert!(status.success(), "{status:?}");
    let mut stopped = Vec::new();
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(5)) {
        stopped.push(line);
    }
    assert!(stopped.iter().any(|l| l == "Stopped."), "{stopped:?}");
    assert!(!made[0].exists(), "{} was left", made[0].display());
}
