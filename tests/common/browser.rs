//! Pages and browsers: the links of a page, headless Chromium, screenshots.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::{run_bounded, Run};

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
