//! `rapor serve`: serves over loopback, rebuilds on change, reports errors
//! to the browser and recovers. Every wait is bounded; the server is killed
//! at the end of each test.

mod common;
use common::copy_dir;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// GET over loopback: (status code, body). `None` if nothing answers.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
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
fn read_response(mut stream: TcpStream) -> Option<(u16, String)> {
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
fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn start(root: &Path, port: u16) -> Server {
    start_in(root, port, &std::env::temp_dir())
}

/// Starts `rapor serve` with `tmp` as its temporary folder.
fn start_in(root: &Path, port: u16, tmp: &Path) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_rapor"))
        .env("TMPDIR", tmp)
        .args([
            "serve",
            "--root",
            root.to_str().unwrap(),
            "--port",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    assert!(
        eventually(Duration::from_secs(30), || get(port, "/")
            .is_some_and(|(s, _)| s == 200)),
        "serve did not start"
    );
    server
}

#[test]
fn serves_rebuilds_on_change_shows_errors_and_recovers() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &site.path().join("content"),
    );
    let port = free_port();
    let _server = start(site.path(), port);

    let (status, page) = get(port, "/2023/buleleng/").unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("<span class=\"big\">81,23</span>"));
    assert!(
        page.contains("/__rapor/poll"),
        "the reload script is injected"
    );
    assert!(
        !site.path().join("output").exists(),
        "serve leaves output/ alone"
    );
    assert_eq!(get(port, "/no/such/page/").unwrap().0, 404);

    // A change to one district file shows up within a bounded time.
    let file = site.path().join("content/2023/districts/buleleng.yaml");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replace("  paparan: 80", "  paparan: 90")).unwrap();
    assert!(
        eventually(Duration::from_secs(20), || get(port, "/2023/buleleng/")
            .is_some_and(|(_, b)| b.contains("83,23"))),
        "the change was not served"
    );

    // A broken file: the last good site stays, the error reaches the browser.
    std::fs::write(&file, format!("{good}\nindicators: {{}}\n")).unwrap();
    assert!(eventually(Duration::from_secs(20), || {
        get(port, "/__rapor/poll?v=0")
            .is_some_and(|(_, b)| b.contains("buleleng.yaml") && b.contains("written twice"))
    }));
    assert_eq!(get(port, "/2023/buleleng/").unwrap().0, 200);

    // Fixing it recovers.
    std::fs::write(&file, &good).unwrap();
    assert!(eventually(Duration::from_secs(20), || {
        get(port, "/__rapor/poll?v=0").is_some_and(|(_, b)| b.contains("\"errors\":null"))
            && get(port, "/2023/buleleng/").is_some_and(|(_, b)| b.contains("81,23"))
    }));
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let out = Command::new(env!("CARGO_BIN_EXE_rapor"))
        .args([
            "serve",
            "--root",
            env!("CARGO_MANIFEST_DIR"),
            "--port",
            &port.to_string(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );
}

/// The small fixture site (not the sample) in a fresh temporary folder.
fn small_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal/content"),
        &site.path().join("content"),
    );
    site
}

#[test]
fn idle_connections_do_not_lock_others_out() {
    let site = small_site();
    let port = free_port();
    let _server = start(site.path(), port);
    // Connections that are opened and send nothing, more than it serves at once.
    let idle: Vec<TcpStream> = (0..70)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let answer = get(port, "/");
    assert_eq!(
        answer.map(|a| a.0),
        Some(200),
        "a normal request was not served"
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "served only after {:?}",
        started.elapsed()
    );
    drop(idle);
}

#[test]
fn requests_for_another_host_are_refused() {
    let site = small_site();
    let port = free_port();
    let _server = start(site.path(), port);
    let request = |host: &str| {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "GET /__rapor/poll HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        read_response(stream).unwrap()
    };
    // A page of another site whose name now points at 127.0.0.1 (DNS rebinding).
    let (status, body) = request("evil.example");
    assert_eq!(status, 403, "{body}");
    assert!(!body.contains("version"), "{body}");
    assert_eq!(request(&format!("evil.example:{port}")).0, 403);
    assert_eq!(request(&format!("localhost:{port}")).0, 200);
    assert_eq!(request(&format!("127.0.0.1:{port}")).0, 200);
}

#[cfg(unix)]
#[test]
fn the_preview_folder_has_a_random_name_and_only_its_owner_may_open_it() {
    use std::os::unix::fs::PermissionsExt;
    let site = small_site();
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = start_in(site.path(), port, tmp.path());
    let previews: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().starts_with("rapor-serve-"))
        .collect();
    assert_eq!(previews.len(), 1, "{previews:?}");
    let name = previews[0].file_name().to_string_lossy().into_owned();
    let predictable = format!("rapor-serve-{}-{port}", server.0.id());
    assert_ne!(name, predictable, "the name is predictable");
    let mode = previews[0].metadata().unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "mode {mode:o}");
}
