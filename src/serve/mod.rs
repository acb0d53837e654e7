//! `rapor serve`: build, serve on 127.0.0.1, rebuild on change, reload open pages.
//!
//! The preview is built into a temporary folder, never into `output/`, so
//! what is in `output/` is always a clean `rapor build` ready to deploy. That
//! folder has a random name and only its owner may open it (mode 0700); the
//! preview site inside it is locked like any output.

mod http;
mod watch;

use std::collections::BTreeSet;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::content::{DistrictId, Site, YearId};
use crate::error::{shown, Problems};
use crate::publish::site::{publish, BuildError};
use crate::publish::{LockError, OutputLock, Wait};
use crate::render::{incremental, OutputFile, RenderOptions, Renderer};
use crate::score::{score_year, YearResults};

const RELOAD_JS: &str = include_str!("reload.js");
/// How long a reload request waits for a rebuild before answering anyway.
const POLL_TIMEOUT: Duration = Duration::from_secs(25);
/// Connections served at once; beyond it, connections that have not sent
/// their request yet are closed to make room, else new ones are refused.
const MAX_CONNECTIONS: usize = 64;
/// A preview folder left by a killed `rapor serve` is removed once it is
/// this old (a new one is locked at once; this covers the moment between).
const STALE_AFTER: Duration = Duration::from_secs(60);

/// What the browser needs to know about the latest build.
#[derive(Default)]
struct Status {
    version: u64,
    errors: Option<String>,
}

/// The loaded site of the last good build, kept to rebuild only what changes.
struct Model {
    site: Site,
    results: Vec<YearResults>,
}

struct Server {
    root: PathBuf,
    model: Mutex<Option<Model>>,
    /// The preview site, inside the private preview folder.
    dir: PathBuf,
    /// Held while serving: the preview site is this process's alone.
    lock: OutputLock,
    port: u16,
    status: Mutex<Status>,
    changed: Condvar,
    connections: http::Connections,
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
    remove_stale_previews();
    let preview = create_preview_folder()
        .map_err(|e| ServeError::Io(format!("cannot create the preview folder: {e}")))?;
    let dir = preview.join("site");
    let lock = OutputLock::acquire(&dir, Wait::No, || {}).map_err(|e| {
        ServeError::Io(match e {
            LockError::Busy { lock_file } => format!(
                "cannot lock the preview folder: {} is held by another process",
                shown(&lock_file)
            ),
            LockError::Io(e) => format!("cannot lock the preview folder: {e}"),
        })
    })?;
    let server = Arc::new(Server {
        root: root.to_path_buf(),
        model: Mutex::new(None),
        dir,
        lock,
        port,
        status: Mutex::new(Status::default()),
        changed: Condvar::new(),
        connections: http::Connections::new(MAX_CONNECTIONS),
    });

    let stopping = Arc::clone(&server);
    let _ = ctrlc::set_handler(move || {
        // The lock file is in the preview folder: on Windows the folder
        // cannot be removed while the file is open.
        stopping.lock.release();
        let _ = std::fs::remove_dir_all(&preview);
        println!("\nStopped.");
        std::process::exit(0);
    });

    // Taken before the first build, so a change made while it runs is seen.
    let initial = watch::snapshot(root);
    server.rebuild(None);
    println!(
        "Serving {} at http://127.0.0.1:{port}/ (Ctrl-C to stop)",
        shown(root)
    );
    println!("Watching content/ and themes/ for changes.");

    let watcher = Arc::clone(&server);
    std::thread::spawn(move || {
        watch::watch(&watcher.root, initial, |paths| watcher.rebuild(Some(paths)))
    });

    for stream in listener.incoming().flatten() {
        let Some(id) = server.connections.admit(&stream) else {
            http::respond(
                &stream,
                "503 Service Unavailable",
                "text/plain",
                b"busy",
                false,
            );
            continue;
        };
        let s = Arc::clone(&server);
        let spawned = std::thread::Builder::new().spawn(move || {
            s.handle(&stream, id);
            s.connections.close(id);
        });
        if spawned.is_err() {
            server.connections.close(id);
        }
    }
    Ok(())
}

/// A new folder in the temporary folder with a name nobody can guess,
/// that only this user may open.
fn create_preview_folder() -> std::io::Result<PathBuf> {
    let tmp = std::env::temp_dir();
    let mut last = None;
    for _ in 0..16 {
        let dir = tmp.join(format!("rapor-serve-{:016x}", random()));
        // Elsewhere (Windows) the user's temporary folder is private already.
        #[cfg_attr(not(unix), allow(unused_mut))]
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => {
                return Err(std::io::Error::new(
                    e.kind(),
                    format!("{}: {e}", shown(&dir)),
                ))
            }
        }
    }
    Err(last.unwrap_or_else(|| std::io::ErrorKind::AlreadyExists.into()))
}

/// 64 random bits: std's hasher keys come from the operating system.
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(now);
    hasher.write_u32(std::process::id());
    hasher.finish()
}

/// Removes preview folders left by `rapor serve` processes that were killed
/// (Ctrl-C removes its own): those whose preview site nobody holds locked,
/// and those of older versions (named by process id) whose process is gone.
fn remove_stale_previews() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("rapor-serve-") else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        let stale = match crate::publish::is_held(&path.join("site")) {
            Some(held) => {
                !held
                    && entry
                        .metadata()
                        .and_then(|m| m.modified())
                        .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE_AFTER))
            }
            None => legacy_preview_is_stale(rest),
        };
        if stale {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// An older rapor named its preview `rapor-serve-<pid>-<port>`; where
/// processes cannot be looked up, nothing is removed.
fn legacy_preview_is_stale(rest: &str) -> bool {
    let pid = rest
        .split_once('-')
        .and_then(|(pid, port)| port.parse::<u16>().ok().and(pid.parse::<u32>().ok()));
    match pid {
        Some(pid) if Path::new("/proc/self").exists() => {
            !Path::new(&format!("/proc/{pid}")).exists()
        }
        _ => false,
    }
}

/// Writes `file` under `dir` unless it already holds the same bytes.
fn write_if_changed(dir: &Path, file: &OutputFile) -> std::io::Result<bool> {
    if !crate::paths::is_safe_relative(&file.path) {
        return Ok(false);
    }
    let path = dir.join(&file.path);
    if std::fs::read(&path).is_ok_and(|old| old == file.bytes) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, &file.bytes)?;
    Ok(true)
}

impl Server {
    fn options(&self) -> RenderOptions {
        RenderOptions {
            base_url: Some(format!("http://127.0.0.1:{}/", self.port)),
            body_end: Some(format!("<script>{RELOAD_JS}</script>")),
            // A preview is not taken offline; its year pages have no archive link.
            archives: false,
            pictures: true,
        }
    }

    /// Builds into the preview folder and tells waiting pages. With the
    /// paths that changed, only district files, and a good last build, it
    /// reloads those files and renders only the pages they touch.
    fn rebuild(&self, changed: Option<Vec<PathBuf>>) {
        let start = Instant::now();
        let clean = self.status.lock().is_ok_and(|s| s.errors.is_none());
        let outcome = match changed
            .filter(|_| clean)
            .and_then(|paths| self.district_changes(&paths))
        {
            Some(targets) => self
                .rebuild_districts(&targets)
                .map(|pages| format!("Rebuilt {pages} pages")),
            None => self
                .rebuild_all(start)
                .map(|pages| format!("Built {pages} pages")),
        };
        let errors = match outcome {
            Ok(what) => {
                println!("{what} in {} ms", start.elapsed().as_millis());
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
            Err(BuildError::Io(message) | BuildError::Busy(message)) => {
                eprintln!("error: {message}");
                Some(message)
            }
        };
        if let Ok(mut status) = self.status.lock() {
            status.version += 1;
            status.errors = errors;
        }
        self.changed.notify_all();
    }

    fn rebuild_all(&self, start: Instant) -> Result<usize, BuildError> {
        let site = crate::content::load(&self.root)?;
        let results = crate::score::score_site(&site);
        let report = publish(&site, &results, &self.lock, &self.options(), start)?;
        for warning in &report.warnings {
            eprintln!("warning: {warning}");
        }
        if let Ok(mut model) = self.model.lock() {
            *model = Some(Model { site, results });
        }
        Ok(report.pages)
    }

    /// The year and district of each changed path when every one is a
    /// district's data file or narrative in a year of the last build.
    fn district_changes(&self, paths: &[PathBuf]) -> Option<BTreeSet<(YearId, DistrictId)>> {
        let model = self.model.lock().ok()?;
        let site = &model.as_ref()?.site;
        let mut targets = BTreeSet::new();
        for path in paths {
            let rel = path.strip_prefix(&self.root).ok()?;
            targets.insert(incremental::district_file(site, rel.to_str()?)?);
        }
        Some(targets)
    }

    fn rebuild_districts(
        &self,
        targets: &BTreeSet<(YearId, DistrictId)>,
    ) -> Result<usize, BuildError> {
        let mut guard = self
            .model
            .lock()
            .map_err(|_| BuildError::Io("the site model is unavailable".into()))?;
        let Some(model) = guard.as_mut() else {
            return Err(BuildError::Io("no build to update".into()));
        };
        let mut problems = Problems::default();
        let mut entries = Vec::new();
        for &(y, d) in targets {
            match crate::content::reload_district(&model.site, y, d) {
                Ok(entry) => entries.push((y, d, entry)),
                Err(p) => problems.extend(p),
            }
        }
        if !problems.is_empty() {
            return Err(BuildError::Content(problems.sorted()));
        }
        let before = model.results.clone();
        for (y, d, entry) in entries {
            *model.site.entry_mut(y, d) = entry;
        }
        let years: BTreeSet<YearId> = targets.iter().map(|&(y, _)| y).collect();
        for y in years {
            let year = model.site.year(y);
            model.results[y.0] = score_year(&year.rubric, &year.entries);
        }
        let changed: Vec<(YearId, DistrictId)> = targets.iter().copied().collect();
        let jobs = incremental::affected_jobs(&model.site, &before, &model.results, &changed);
        let renderer = Renderer::new(&model.site, &model.results, &self.options())?;
        let failed = Mutex::new(None);
        renderer.render_jobs(&jobs, &|file| {
            if let Err(e) = write_if_changed(&self.dir, &file) {
                if let Ok(mut f) = failed.lock() {
                    *f = Some(format!("{}: {e}", file.path));
                }
            }
        })?;
        if let Some(message) = failed.into_inner().ok().flatten() {
            return Err(BuildError::Io(message));
        }
        Ok(jobs.len())
    }

    fn handle(&self, stream: &TcpStream, id: u64) {
        let request = http::read_request(stream);
        self.connections.request_read(id);
        let Some(request) = request else {
            http::respond(
                stream,
                "400 Bad Request",
                "text/plain",
                b"bad request",
                false,
            );
            return;
        };
        if let Some((status, body)) = self.refusal(&request) {
            http::respond(stream, status, "text/plain", body.as_bytes(), false);
            return;
        }
        let head_only = request.method == "HEAD";
        if request.path == "/__rapor/poll" {
            // Without a version the page asks where things stand: answer at once.
            let seen: Option<u64> = request
                .query
                .strip_prefix("v=")
                .and_then(|v| v.parse().ok());
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
        self.send_file(stream, &request.path, head_only);
    }

    /// Why a request is refused, if it is: the status and a plain-text body.
    /// Only GET and HEAD, and only for this server's own address (a page
    /// elsewhere cannot read the preview through a DNS rebinding).
    fn refusal(&self, request: &http::Request) -> Option<(&'static str, String)> {
        if !http::is_own_host(request.host.as_deref(), self.port) {
            let body = format!(
                "rapor serve answers only requests for http://127.0.0.1:{0}/ or http://localhost:{0}/",
                self.port
            );
            return Some(("403 Forbidden", body));
        }
        if request.method != "GET" && request.method != "HEAD" {
            return Some(("405 Method Not Allowed", "only GET and HEAD".to_string()));
        }
        None
    }

    /// Answers with the preview's file at `path`, else its 404 page, else
    /// (no good build yet) a page that reloads once the site builds.
    fn send_file(&self, stream: &TcpStream, path: &str, head_only: bool) {
        match http::resolve(&self.dir, "/", path) {
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
                        let page = format!(
                            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>rapor serve</title><body><p>The site has not been built yet.</p><script>{RELOAD_JS}</script></body></html>"
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
    fn wait_for_change(&self, seen: Option<u64>) -> String {
        let Ok(guard) = self.status.lock() else {
            return "{}".into();
        };
        let (status, _) = self
            .changed
            .wait_timeout_while(guard, POLL_TIMEOUT, |s| Some(s.version) == seen)
            .unwrap_or_else(|e| e.into_inner());
        serde_json::json!({ "version": status.version, "errors": status.errors }).to_string()
    }
}
