//! Pages as a reader sees them: headless Chromium (Debian's `chromium`)
//! takes screenshots at phone and laptop widths and prints a district page
//! to A4 PDF. Without Chromium the test is skipped, except under CI, where
//! `.ci/run` installs it and a missing browser is a failure.

mod common;
use common::copy_dir;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// A static file server on loopback for the duration of the test.
struct Static {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl Static {
    fn start(dir: PathBuf) -> Static {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        std::thread::spawn(move || {
            // Bounded: at most this many requests, for at most 5 minutes,
            // and only while the test runs. (Counting polls instead stopped
            // the server after 25 s, before a slow machine had taken every
            // screenshot.)
            let deadline = std::time::Instant::now() + Duration::from_secs(300);
            let mut served = 0;
            while served < 5_000 && std::time::Instant::now() < deadline {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                match listener.accept() {
                    Ok((stream, _)) => {
                        serve_one(&dir, stream);
                        served += 1;
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Static { port, stop }
    }
}

impl Drop for Static {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn serve_one(dir: &Path, mut stream: TcpStream) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut line = String::new();
    let mut reader = BufReader::new(&stream);
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).map_or(true, |n| n == 0) || h == "\r\n" {
            break;
        }
    }
    let path = line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split('?')
        .next()
        .unwrap_or("/")
        .to_string();
    let mut file = dir.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, body) = match std::fs::read(&file) {
        Ok(b) if !path.contains("..") => ("200 OK", b),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    let _ = stream.write_all(&body);
}

fn run_chromium(browser: &str, args: &[String]) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Share of pixels that are not (nearly) white: an empty render is about 0.
fn ink(png_path: &Path) -> f64 {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let total = pixels.len() / channels;
    let inked = pixels
        .chunks(channels)
        .filter(|p| p.iter().take(3).any(|&c| c < 235))
        .count();
    inked as f64 / total as f64
}

#[test]
fn pages_render_on_phone_and_laptop_and_a_district_prints_on_a4() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must have chromium: .ci/run installs it"
        );
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let site = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &site.path().join("content"),
    );
    let server = Static::start(site.path().join("output"));
    let base = format!("http://127.0.0.1:{}/", server.port);
    let built = Command::new(env!("CARGO_BIN_EXE_rapor"))
        .args([
            "build",
            "--root",
            site.path().to_str().unwrap(),
            "--base-url",
            &base,
        ])
        .output()
        .unwrap();
    assert!(built.status.success());

    let shots = std::env::var_os("RAPOR_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| site.path().join("shots"));
    std::fs::create_dir_all(&shots).unwrap();
    for (name, page) in [
        ("home", ""),
        ("year", "2023/"),
        ("district", "2023/buleleng/"),
        ("praktik-baik", "2023/praktik-baik/"),
        ("wilayah", "wilayah/klungkung/"),
    ] {
        for width in [360, 1280] {
            let file = shots.join(format!("{name}-{width}.png"));
            run_chromium(
                browser,
                &[
                    format!("--window-size={width},1600"),
                    format!("--screenshot={}", file.display()),
                    format!("{base}{page}"),
                ],
            );
            let share = ink(&file);
            assert!(
                share > 0.03,
                "{name} at {width}px looks empty ({share:.3} inked)"
            );
        }
    }

    let pdf = shots.join("district.pdf");
    run_chromium(
        browser,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
            format!("{base}2023/buleleng/"),
        ],
    );
    let text = |first: u32, last: u32| {
        let out = Command::new("pdftotext")
            .args(["-f", &first.to_string(), "-l", &last.to_string(), "-layout"])
            .arg(&pdf)
            .arg("-")
            .output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    match text(1, 2) {
        Ok(first_two) if !first_two.trim().is_empty() => {
            for needed in [
                "Kabupaten Buleleng",
                "81,23",
                "Baik",
                "dari 9",
                "Yang perlu diperbaiki lebih dulu",
            ] {
                assert!(
                    first_two.contains(needed),
                    "the summary is not on the first two A4 pages: {needed} missing"
                );
            }
            let page_one = text(1, 1).unwrap();
            assert!(
                page_one.contains("81,23"),
                "the final score is not on page 1"
            );
        }
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "CI must have pdftotext (poppler-utils)"
            );
            assert!(
                std::fs::metadata(&pdf).unwrap().len() > 10_000,
                "the PDF is empty"
            );
        }
    }
}
