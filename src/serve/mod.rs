//! `rapor serve`: build, serve on 127.0.0.1, rebuild on change, reload open pages.
//!
//! The preview is built into a temporary folder, never into `output/`, so
//! what is in `output/` is always a clean `rapor build` ready to deploy.

mod http;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::cmd::build::{build, BuildError};
use crate::render::RenderOptions;

const RELOAD_JS: &str = include_str!("reload.js");
/// How often the sources are checked for changes.
const WATCH_EVERY: Duration = Duration::from_millis(150);
/// How long a reload request waits for a rebuild before answering anyway.
const POLL_TIMEOUT: Duration = Duration::from_secs(25);
/// Connections served at once; more are refused rather than queued forever.
const MAX_CONNECTIONS: usize = 64;

/// What the browser needs to know about the latest build.
#[derive(Default)]
struct Status {
    version: u64,
    errors: Option<String>,
}

struct Server {
    root: PathBuf,
    dir: PathBuf,
    port: u16,
    status: Mutex<Status>,
    changed: Condvar,
    connections: AtomicUsize,
}

/// Why serving could not start.
#[derive(Debug)]
pub enum ServeError {
    PortBusy(u16),
    Io(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::PortBusy(p) => write!(f, "port {p} is already in use (is another `rapor serve` running?); choose another with --port"),
            ServeError::Io(m) => write!(f, "{m}"),
        }
    }
}

/// Serves the site under `root` until the process is stopped.
pub fn serve(root: &Path, port: u16) -> Result<(), ServeError> {
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortBusy(port),
        _ => ServeError::Io(format!("cannot listen on 127.0.0.1:{port}: {e}")),
    })?;
    let port = listener.local_addr().map_or(port, |a| a.port());
    let dir = std::env::temp_dir().join(format!("rapor-serve-{}-{port}", std::process::id()));
    let server = Arc::new(Server {
        root: root.to_path_buf(),
        dir,
        port,
        status: Mutex::new(Status::default()),
        changed: Condvar::new(),
        connections: AtomicUsize::new(0),
    });

    {
        let dir = server.dir.clone();
        let staging = dir.with_file_name(format!(
            ".{}.rapor-new",
            dir.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
        let _ = ctrlc::set_handler(move || {
            let _ = std::fs::remove_dir_all(&dir);
            let _ = std::fs::remove_dir_all(&staging);
            println!("\nStopped.");
            std::process::exit(0);
        });
    }

    // Taken before the first build, so a change made while it runs is seen.
    let initial = fingerprint(root);
    server.rebuild();
    println!(
        "Serving {} at http://127.0.0.1:{port}/ (Ctrl-C to stop)",
        root.display()
    );
    println!("Watching content/ and themes/ for changes.");

    let watcher = Arc::clone(&server);
    std::thread::spawn(move || watcher.watch(initial));

    for stream in listener.incoming().flatten() {
        if server.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            server.connections.fetch_sub(1, Ordering::SeqCst);
            http::respond(
                &stream,
                "503 Service Unavailable",
                "text/plain",
                b"busy",
                false,
            );
            continue;
        }
        let s = Arc::clone(&server);
        std::thread::spawn(move || {
            s.handle(&stream);
            s.connections.fetch_sub(1, Ordering::SeqCst);
        });
    }
    Ok(())
}

/// A fingerprint of every source file: path, size and modification time.
fn fingerprint(root: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    for top in ["content", "themes"] {
        for entry in walkdir::WalkDir::new(root.join(top))
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            entry.path().hash(&mut hasher);
            if let Ok(meta) = entry.metadata() {
                meta.len().hash(&mut hasher);
                meta.modified().ok().hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}

impl Server {
    fn reload_script(&self, version: u64) -> String {
        let js = RELOAD_JS
            .replace("__VERSION__", &version.to_string())
            .replace("__ROOT__", "/");
        format!("<script>{js}</script>")
    }

    /// Builds into the preview folder and tells waiting pages.
    fn rebuild(&self) {
        let version = self.status.lock().map_or(0, |s| s.version) + 1;
        let options = RenderOptions {
            base_url: Some(format!("http://127.0.0.1:{}/", self.port)),
            body_end: Some(self.reload_script(version)),
        };
        let start = Instant::now();
        let errors = match build(&self.root, &self.dir, &options) {
            Ok(report) => {
                println!(
                    "Built {} pages in {} ms",
                    report.pages,
                    start.elapsed().as_millis()
                );
                None
            }
            Err(BuildError::Content(problems)) => {
                eprint!("{problems}");
                eprintln!(
                    "error: {} problem(s); still serving the last good build",
                    problems.len()
                );
                Some(problems.to_string())
            }
            Err(BuildError::Io(message)) => {
                eprintln!("error: {message}");
                Some(message)
            }
        };
        if let Ok(mut status) = self.status.lock() {
            status.version = version;
            status.errors = errors;
        }
        self.changed.notify_all();
    }

    fn watch(&self, mut last: u64) {
        loop {
            std::thread::sleep(WATCH_EVERY);
            let now = fingerprint(&self.root);
            if now != last {
                // Editors save in several steps; wait until the files settle.
                std::thread::sleep(Duration::from_millis(30));
                last = fingerprint(&self.root);
                self.rebuild();
            }
        }
    }

    fn handle(&self, stream: &TcpStream) {
        let Some(request) = http::read_request(stream) else {
            http::respond(
                stream,
                "400 Bad Request",
                "text/plain",
                b"bad request",
                false,
            );
            return;
        };
        let head_only = request.method == "HEAD";
        if request.method != "GET" && !head_only {
            http::respond(
                stream,
                "405 Method Not Allowed",
                "text/plain",
                b"only GET and HEAD",
                false,
            );
            return;
        }
        if request.path == "/__rapor/poll" {
            let seen: u64 = request
                .query
                .strip_prefix("v=")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let body = self.wait_for_change(seen);
            http::respond(
                stream,
                "200 OK",
                "application/json",
                body.as_bytes(),
                head_only,
            );
            return;
        }
        match http::resolve(&self.dir, "/", &request.path) {
            Some(file) => match std::fs::read(&file) {
                Ok(bytes) => http::respond(
                    stream,
                    "200 OK",
                    http::content_type(&file),
                    &bytes,
                    head_only,
                ),
                Err(_) => http::respond(
                    stream,
                    "404 Not Found",
                    "text/plain",
                    b"not found",
                    head_only,
                ),
            },
            None => {
                let not_found = self.dir.join("404.html");
                match std::fs::read(&not_found) {
                    Ok(bytes) => http::respond(
                        stream,
                        "404 Not Found",
                        "text/html; charset=utf-8",
                        &bytes,
                        head_only,
                    ),
                    // No good build yet: a page that shows the errors and reloads when fixed.
                    Err(_) => {
                        let version = self.status.lock().map_or(0, |s| s.version);
                        let page = format!(
                            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>rapor serve</title><body><p>The site has not been built yet.</p>{}</body></html>",
                            self.reload_script(version.saturating_sub(1))
                        );
                        http::respond(
                            stream,
                            "503 Service Unavailable",
                            "text/html; charset=utf-8",
                            page.as_bytes(),
                            head_only,
                        );
                    }
                }
            }
        }
    }

    /// Long poll: answers when the build version differs from `seen`, or after a while.
    fn wait_for_change(&self, seen: u64) -> String {
        let Ok(guard) = self.status.lock() else {
            return "{}".into();
        };
        let (status, _) = self
            .changed
            .wait_timeout_while(guard, POLL_TIMEOUT, |s| s.version == seen)
            .unwrap_or_else(|e| e.into_inner());
        serde_json::json!({ "version": status.version, "errors": status.errors }).to_string()
    }
}
