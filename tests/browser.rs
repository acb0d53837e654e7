//! Pages as a reader sees them: headless Chromium (Debian's `chromium`)
//! takes screenshots at phone and laptop widths, runs axe-core and the
//! 360 px checks of tests/browser/check.mjs (node, with axe-core and
//! puppeteer-core from `npm ci` in tests/browser), and prints the richest
//! district page to A4 PDF, read back with poppler (pdftotext, pdftoppm).
//! Without a tool a test is skipped with the reason printed, except under
//! CI=true, where `.ci/run` installs them and a missing one is a failure.

mod common;
use common::{chromium, png_pixels, run_bounded, skip, Fixture};

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long one Chromium screenshot or print may take.
const CHROMIUM_LIMIT: Duration = Duration::from_secs(120);

fn has(tool: &str, arg: &str) -> bool {
    Command::new(tool)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
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
            // Bounded: only while the test runs, and at most ten minutes.
            let deadline = std::time::Instant::now() + Duration::from_secs(600);
            while std::time::Instant::now() < deadline {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                match listener.accept() {
                    Ok((stream, _)) => serve_one(&dir, stream),
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
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    let _ = stream.write_all(&body);
}

/// Share of pixels that are not (nearly) white: an empty render is about 0.
fn ink(png_path: &Path) -> f64 {
    let pixels = png_pixels(png_path);
    let inked = pixels.iter().filter(|p| p.iter().any(|&c| c < 235)).count();
    inked as f64 / pixels.len() as f64
}

/// The sample built in `language` (id or en) into `<site>/<language>/`.
fn build_sample(site: &Path, language: &str, base: &str) {
    let sample = Fixture::sample().within(Duration::from_secs(120));
    sample.edit(
        "content/site.yaml",
        "language: id",
        &format!("language: {language}"),
    );
    let out = site.join(language);
    let base = format!("{base}{language}/");
    sample
        .rapor(&[
            "build",
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            &base,
        ])
        .success();
}

#[test]
fn pages_render_on_phone_and_laptop() {
    let Some(browser) = chromium() else {
        return skip("chromium");
    };
    let site = tempfile::tempdir().unwrap();
    let server = Static::start(site.path().to_path_buf());
    let base = format!("http://127.0.0.1:{}/", server.port);
    build_sample(site.path(), "id", &base);

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
            common::run_chromium(
                browser,
                &[
                    format!("--window-size={width},1600"),
                    format!("--screenshot={}", file.display()),
                    format!("{base}id/{page}"),
                ],
                CHROMIUM_LIMIT,
            );
            let share = ink(&file);
            assert!(
                share > 0.03,
                "{name} at {width}px looks empty ({share:.3} inked)"
            );
        }
    }
}

/// axe-core (wcag2a, wcag2aa, wcag21aa; serious and critical fail) on every
/// kind of page, in Indonesian and in English, at 1280 and 360 px; at 360 px
/// nothing is wider than the screen, the follow-up Status cells are in view
/// and chart text is at least 11 px. tests/browser/check.mjs does the work.
#[test]
fn every_kind_of_page_passes_axe_and_fits_a_360px_phone() {
    let Some((browser, dir)) = puppeteer() else {
        return;
    };
    let site = tempfile::tempdir().unwrap();
    let server = Static::start(site.path().to_path_buf());
    let base = format!("http://127.0.0.1:{}/", server.port);
    let shots = std::env::var_os("RAPOR_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| site.path().join("shots"));
    for language in ["id", "en"] {
        build_sample(site.path(), language, &base);
        let out = site.path().join(language);
        // A district not assessed in some year: its page says so.
        let not_assessed = ["2021", "2022", "2023"]
            .iter()
            .flat_map(|y| common::walk(&out.join(y)))
            .find(|p| {
                p.ends_with("index.html")
                    && std::fs::read_to_string(p)
                        .is_ok_and(|t| t.contains("class=\"lead\"><strong>"))
            })
            .expect("the sample has a district not assessed in some year");
        let not_assessed = page_folder(&out, &not_assessed);
        let pages = [
            ("home", String::new()),
            ("year", "2023/".into()),
            ("district", "2023/buleleng/".into()),
            ("not-assessed", format!("{not_assessed}/")),
            ("praktik-baik", "2023/praktik-baik/".into()),
            ("wilayah", "wilayah/klungkung/".into()),
            ("404", "404.html".into()),
        ];
        let shots = shots.join(language);
        std::fs::create_dir_all(&shots).unwrap();
        let mut cmd = Command::new("node");
        cmd.current_dir(&dir)
            .arg("check.mjs")
            .arg(&browser)
            .arg(format!("{base}{language}/"))
            .arg(&shots)
            .args(pages.iter().map(|(n, p)| format!("{n}={p}")));
        let run = run_bounded(cmd, Duration::from_secs(300));
        println!("{language}:\n{}", run.stdout);
        assert_eq!(
            run.code,
            Some(0),
            "axe or the 360px checks failed in the {language} build\n{}",
            run.show()
        );
    }
}

/// The folder of the page `index` below `out`, `/`-separated: its address.
fn page_folder(out: &Path, index: &Path) -> String {
    index
        .strip_prefix(out)
        .unwrap()
        .parent()
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// Chromium's full path and tests/browser, for the scripts node runs there
/// with puppeteer-core (else the test is skipped).
fn puppeteer() -> Option<(String, PathBuf)> {
    let Some(browser) = chromium() else {
        skip("chromium");
        return None;
    };
    Some((which(browser), node_scripts()?))
}

/// tests/browser, when node and its packages are there (else skipped).
fn node_scripts() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !has("node", "--version") {
        skip("node (Node.js)");
        return None;
    }
    for module in ["axe-core", "puppeteer-core"] {
        if !dir
            .join("node_modules")
            .join(module)
            .join("package.json")
            .is_file()
        {
            skip("tests/browser/node_modules (run `npm ci` in tests/browser)");
            return None;
        }
    }
    Some(dir)
}

/// The full path of a command on PATH (node's child_process needs a path).
fn which(cmd: &str) -> String {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(cmd))
                .find(|p| p.is_file())
        })
        .map_or_else(|| cmd.to_string(), |p| p.display().to_string())
}

/// Per page of a PDF, how far down the ink reaches (0.0 top .. 1.0 bottom),
/// from a low-resolution grey rendering by pdftoppm.
fn ink_depths(pdf: &Path, scratch: &Path) -> Vec<f64> {
    let out = Command::new("pdftoppm")
        .args(["-r", "20", "-gray"])
        .arg(pdf)
        .arg(scratch.join("page"))
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftoppm failed");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(scratch)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pgm"))
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap();
            // Binary PGM: "P5", width, height, maxval, one whitespace, pixels.
            let mut fields = Vec::new();
            let mut at = 0;
            while fields.len() < 4 {
                while bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                let start = at;
                while !bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
            }
            let width: usize = fields[1].parse().unwrap();
            let height: usize = fields[2].parse().unwrap();
            let pixels = &bytes[at + 1..];
            let last = (0..height)
                .rev()
                .find(|&row| {
                    pixels[row * width..(row + 1) * width]
                        .iter()
                        .any(|&v| v < 200)
                })
                .unwrap_or(0);
            last as f64 / height as f64
        })
        .collect()
}

/// The Indonesian sample built and served for printing, with Chromium and
/// poppler at hand (else the test is skipped).
struct Printing {
    browser: &'static str,
    site: tempfile::TempDir,
    server: Static,
    base: String,
    /// The built site.
    out: PathBuf,
}

fn printing() -> Option<Printing> {
    let Some(browser) = chromium() else {
        skip("chromium");
        return None;
    };
    if !has("pdftotext", "-v") || !has("pdftoppm", "-v") {
        skip("pdftotext and pdftoppm (poppler-utils)");
        return None;
    }
    let site = tempfile::tempdir().unwrap();
    let server = Static::start(site.path().to_path_buf());
    let base = format!("http://127.0.0.1:{}/", server.port);
    build_sample(site.path(), "id", &base);
    let out = site.path().join("id");
    Some(Printing {
        browser,
        site,
        server,
        base,
        out,
    })
}

/// The richest district page of the sample (the largest) prints on at most
/// 6 A4 pages, none but the last more than half empty, the summary on page 1.
#[test]
fn the_richest_district_prints_on_at_most_six_full_a4_pages() {
    let Some(Printing {
        browser,
        site,
        server: _server,
        base,
        out,
    }) = printing()
    else {
        return;
    };
    let richest = common::walk(&out)
        .into_iter()
        .filter(|p| {
            p.ends_with("index.html")
                && p.strip_prefix(&out).unwrap().components().count() == 3
                && std::fs::read_to_string(p).is_ok_and(|t| t.contains("class=\"summary\""))
        })
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    let html = std::fs::read_to_string(&richest).unwrap();
    let page = page_folder(&out, &richest);
    let between = |from: &str, to: &str| {
        let start = html.find(from).unwrap() + from.len();
        html[start..start + html[start..].find(to).unwrap()].to_string()
    };
    let name = between("<h1>", "</h1>");
    let score = between("<span class=\"big\">", "</span>");

    let shots = std::env::var_os("RAPOR_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| site.path().join("shots"));
    std::fs::create_dir_all(&shots).unwrap();
    let pdf = shots.join("district.pdf");
    common::run_chromium(
        browser,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
            format!("{base}id/{page}/"),
        ],
        CHROMIUM_LIMIT,
    );
    let scratch = tempfile::tempdir().unwrap();
    let depths = ink_depths(&pdf, scratch.path());
    println!(
        "{page}: {} A4 pages, ink reaches {depths:.2?}",
        depths.len()
    );
    assert!(
        depths.len() <= 6,
        "{page} prints on {} A4 pages, more than 6",
        depths.len()
    );
    for (i, depth) in depths.iter().enumerate().take(depths.len() - 1) {
        assert!(
            *depth >= 0.5,
            "{page}: printed page {} of {} is more than half empty (ink ends at {:.0}%)",
            i + 1,
            depths.len(),
            depth * 100.0
        );
    }
    let first = Command::new("pdftotext")
        .args(["-f", "1", "-l", "1", "-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let first = String::from_utf8_lossy(&first.stdout);
    for needed in [name.as_str(), score.as_str()] {
        assert!(
            first.contains(needed),
            "the summary is not on printed page 1 of {page}: {needed} missing\n{first}"
        );
    }
}

/// The home page's search box, at 360 px: near the top, typing a district's
/// name leaves it alone in the list; without JavaScript the list is whole
/// and the box hidden. The same on the 404 page. tests/browser/search.mjs
/// does the work.
#[test]
fn the_search_box_finds_a_district_and_the_list_works_without_javascript() {
    let Some((browser, dir)) = puppeteer() else {
        return;
    };
    let site = tempfile::tempdir().unwrap();
    let server = Static::start(site.path().to_path_buf());
    let base = format!("http://127.0.0.1:{}/", server.port);
    build_sample(site.path(), "id", &base);
    let home = std::fs::read_to_string(site.path().join("id/index.html")).unwrap();
    // The last district of the list, by the name its link shows.
    let at = home.rfind("<a class=\"found\"").unwrap();
    let name = &home[at..];
    let name = &name[name.find('>').unwrap() + 1..name.find("</a>").unwrap()];
    for page in ["", "404.html"] {
        let mut cmd = Command::new("node");
        cmd.current_dir(&dir)
            .arg("search.mjs")
            .arg(&browser)
            .arg(format!("{base}id/{page}"))
            .arg(name);
        let run = run_bounded(cmd, Duration::from_secs(120));
        println!("{}", run.stdout);
        assert_eq!(run.code, Some(0), "{}", run.show());
    }
}

/// The QR codes found on the pages of a PDF (rendered grey by pdftoppm).
fn qr_codes(pdf: &Path, scratch: &Path) -> Vec<String> {
    let prefix = scratch.join("qr");
    let out = Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-png"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftoppm failed");
    let mut found = Vec::new();
    for page in common::walk(scratch) {
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&page).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let (w, h) = (info.width as usize, info.height as usize);
        let step = info.buffer_size() / (w * h);
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[(y * w + x) * step]);
        for grid in img.detect_grids() {
            if let Ok((_, text)) = grid.decode() {
                found.push(text);
            }
        }
    }
    found
}

/// A printed district page leads back to the site: its address in text and
/// a QR code that decodes to it.
#[test]
fn a_printed_district_page_carries_its_address_and_a_qr_code_to_it() {
    let Some(Printing {
        browser,
        site: _site,
        server: _server,
        base,
        out,
    }) = printing()
    else {
        return;
    };
    // The first assessed district page of the latest year.
    let latest = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()))
        .max()
        .unwrap();
    let page = common::walk(&out.join(&latest))
        .into_iter()
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("class=\"summary\"")))
        .unwrap();
    let address = format!("{base}id/{}/", page_folder(&out, &page));
    let scratch = tempfile::tempdir().unwrap();
    let pdf = scratch.path().join("page.pdf");
    common::run_chromium(
        browser,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
            address.clone(),
        ],
        CHROMIUM_LIMIT,
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout).replace(['\n', ' '], "");
    assert!(
        text.contains(&address),
        "{address} is not in the printed text"
    );
    let images = tempfile::tempdir().unwrap();
    let codes = qr_codes(&pdf, images.path());
    assert_eq!(codes, vec![address.clone()], "the QR codes printed");
}
