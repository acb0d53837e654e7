//! A small HTTP/1.1 file server for `rapor serve`: GET and HEAD of the built
//! site, plus the long-poll endpoint the reload script waits on.
//!
//! Every connection has a bounded time to send its request and to take the
//! answer, and connections still sending their request give way to new ones
//! when all slots are taken, so idle connections cannot lock anyone out.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The longest a request head may be; anything longer is refused.
const MAX_HEAD: usize = 16 * 1024;
/// The time a client has to send its request head.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(5);
/// The time a client has to take a whole answer.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Request {
    pub method: String,
    pub path: String,
    pub query: String,
    /// The `Host` header; `None` if missing or given more than once.
    pub host: Option<String>,
}

/// Reads the request line and headers (the body, if any, is ignored),
/// within `CONNECTION_TIMEOUT` in all however slowly the bytes come.
pub fn read_request(stream: &TcpStream) -> Option<Request> {
    let until = Instant::now() + CONNECTION_TIMEOUT;
    let mut reader = BufReader::new(Deadline { stream, until }.take(MAX_HEAD as u64));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut hosts = Vec::new();
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) => break,
            Ok(_) if header == "\r\n" || header == "\n" => break,
            Ok(_) => {
                if let Some((name, value)) = header.split_once(':') {
                    if name.trim().eq_ignore_ascii_case("host") {
                        hosts.push(value.trim().to_string());
                    }
                }
            }
            Err(_) => return None,
        }
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target, String::new()),
    };
    Some(Request {
        method,
        path: percent_decode(&path)?,
        query,
        host: (hosts.len() == 1).then(|| hosts.remove(0)),
    })
}

/// Reads from a stream until a fixed moment, then fails as timed out.
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self
            .until
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or(std::io::ErrorKind::TimedOut)?;
        self.stream.set_read_timeout(Some(left))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}

/// Whether a request was addressed to this server by its own name: only
/// `127.0.0.1:<port>` or `localhost:<port>`, so a page of another site that
/// rebinds its name to 127.0.0.1 cannot read the preview.
pub fn is_own_host(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    let (name, given_port) = match host.rsplit_once(':') {
        Some((name, p)) => (name, p.parse::<u16>().ok()),
        None => (host.as_str(), Some(80)),
    };
    matches!(name, "127.0.0.1" | "localhost") && given_port == Some(port)
}

/// The connections being served: at most `max` at once, and among them the
/// ones still sending their request, oldest first.
pub struct Connections {
    max: usize,
    state: Mutex<Slots>,
}

#[derive(Default)]
struct Slots {
    open: usize,
    next_id: u64,
    reading: VecDeque<(u64, TcpStream)>,
}

impl Connections {
    pub fn new(max: usize) -> Self {
        Connections {
            max,
            state: Mutex::new(Slots::default()),
        }
    }

    /// Takes a slot for a new connection. When every slot is taken, the
    /// oldest connection that has not yet sent its request is closed to make
    /// room; `None` if every one of them is being answered.
    pub fn admit(&self, stream: &TcpStream) -> Option<u64> {
        let mut slots = self.state.lock().ok()?;
        if slots.open >= self.max {
            let (_, oldest) = slots.reading.pop_front()?;
            // Its thread sees the end of the stream and gives its slot back.
            let _ = oldest.shutdown(Shutdown::Both);
        }
        slots.open += 1;
        let id = slots.next_id;
        slots.next_id += 1;
        if let Ok(clone) = stream.try_clone() {
            slots.reading.push_back((id, clone));
        }
        Some(id)
    }

    /// The connection has sent its request: it is no longer closed for room.
    pub fn request_read(&self, id: u64) {
        if let Ok(mut slots) = self.state.lock() {
            slots.reading.retain(|(i, _)| *i != id);
        }
    }

    /// The connection is done: its slot is free.
    pub fn close(&self, id: u64) {
        if let Ok(mut slots) = self.state.lock() {
            slots.reading.retain(|(i, _)| *i != id);
            slots.open = slots.open.saturating_sub(1);
        }
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The file under `dir` that answers `path` (below the site's `root` path),
/// never outside `dir`.
pub fn resolve(dir: &Path, root: &str, path: &str) -> Option<PathBuf> {
    let rest = path.strip_prefix(root.trim_end_matches('/'))?;
    let rel = Path::new(rest.trim_start_matches('/'));
    if !crate::paths::is_plain_relative(rel) {
        return None;
    }
    let mut file = dir.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// Writes a whole response within `RESPONSE_TIMEOUT`, however slowly the
/// client reads; a client that takes longer gets a cut-off answer.
pub fn respond(stream: &TcpStream, status: &str, content_type: &str, body: &[u8], head_only: bool) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let until = Instant::now() + RESPONSE_TIMEOUT;
    let body = if head_only { &[][..] } else { body };
    for part in [head.as_bytes(), body] {
        for chunk in part.chunks(64 * 1024) {
            let left = until
                .checked_duration_since(Instant::now())
                .filter(|d| !d.is_zero());
            let Some(left) = left else {
                return;
            };
            let mut writer = stream;
            if stream.set_write_timeout(Some(left)).is_err() || writer.write_all(chunk).is_err() {
                return;
            }
        }
    }
    let mut writer = stream;
    let _ = writer.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("2023/a")).unwrap();
        std::fs::write(tmp.path().join("2023/a/index.html"), "x").unwrap();
        std::fs::write(tmp.path().join("index.html"), "x").unwrap();
        assert_eq!(
            resolve(tmp.path(), "/", "/2023/a/"),
            Some(tmp.path().join("2023/a/index.html"))
        );
        assert_eq!(
            resolve(tmp.path(), "/", "/"),
            Some(tmp.path().join("index.html"))
        );
        assert_eq!(resolve(tmp.path(), "/", "/../etc/passwd"), None);
        assert_eq!(resolve(tmp.path(), "/", "/2023/../../x"), None);
        assert_eq!(resolve(tmp.path(), "/", "/nope/"), None);
        assert_eq!(percent_decode("/a%20b"), Some("/a b".into()));
        assert_eq!(percent_decode("/a%2"), Some("/a%2".into()));
    }

    #[test]
    fn only_requests_for_this_server_are_answered() {
        for ok in ["127.0.0.1:1111", "localhost:1111", "LOCALHOST:1111"] {
            assert!(is_own_host(Some(ok), 1111), "{ok}");
        }
        for bad in [
            None,
            Some("evil.example"),
            Some("evil.example:1111"),
            Some("127.0.0.1"),
            Some("127.0.0.1:2222"),
            Some("127.0.0.1.evil.example:1111"),
            Some(""),
        ] {
            assert!(!is_own_host(bad, 1111), "{bad:?}");
        }
        assert!(is_own_host(Some("localhost"), 80));
    }
}
