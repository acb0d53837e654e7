//! `rapor serve`: serves over loopback, rebuilds on change, reports errors
//! to the browser and recovers. Every wait is bounded; the server is killed
//! at the end of each test.

mod common;

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::{eventually, free_port, get, read_response, Fixture, Server};
use snapbox::str;

/// Starts `rapor serve` for `site` and waits until its home page is served.
fn start(site: &Fixture, port: u16) -> Server {
    let server = site.serve(port, &std::env::temp_dir());
    assert!(
        eventually(Duration::from_secs(30), || get(port, "/")
            .is_some_and(|(s, _)| s == 200)),
        "serve did not serve its home page"
    );
    server
}

#[test]
fn serves_rebuilds_on_change_shows_errors_and_recovers() {
    let site = Fixture::sample();
    let port = free_port();
    let _server = start(&site, port);

    let (status, page) = get(port, "/2023/buleleng/").unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("<span class=\"big\">81,23</span>"));
    assert!(
        page.contains("/__rapor/poll"),
        "the reload script is injected"
    );
    assert!(!site.path("output").exists(), "serve leaves output/ alone");
    assert_eq!(get(port, "/no/such/page/").unwrap().0, 404);

    // A change to one district file shows up within a bounded time.
    let file = site.path("content/2023/districts/buleleng.yaml");
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
    let site = Fixture::new();
    let run = site.rapor(&["serve", "--port", &port.to_string()]);
    assert_eq!(run.code, Some(1));
    common::Run::text_is(
        &run.stderr.replace(&port.to_string(), "[PORT]"),
        str![[r#"
error: port [PORT] is already in use (is another `rapor serve` running?); choose another with --port

"#]],
    );
}

#[test]
fn idle_connections_do_not_lock_others_out() {
    let site = Fixture::new();
    let port = free_port();
    let _server = start(&site, port);
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
    let site = Fixture::new();
    let port = free_port();
    let _server = start(&site, port);
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
    let site = Fixture::new();
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = site.serve(port, tmp.path());
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
