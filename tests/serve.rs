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
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
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
    let child = Command::new(env!("CARGO_BIN_EXE_rapor"))
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
