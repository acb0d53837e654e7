//! Narratives under hostile input (issue 8, items 10 and 14), end to end
//! through the `rapor` binary on a copy of `tests/fixtures/minimal`, plus a
//! property test of the nesting rule through `rapor::markdown`.
//!
//! - Nesting: a narrative nested more than 32 levels deep (lists, block
//!   quotes, raw HTML elements) is refused with its line, fast, whatever its
//!   size: 100 KB of `* * * …` used to take minutes.
//! - Images: every image of a narrative, Markdown or raw HTML, is a file
//!   under the year's `media/`; an image from another host, a `data:` URL, a
//!   path outside `media/` or a missing file is a problem with line and
//!   column. A raw HTML image that exists is shown at the same address as a
//!   Markdown image.
//!
//! A refused build exits with status 1 and leaves `output/` as it was.

mod common;

use std::time::{Duration, Instant};

use common::{Fixture, Run};
use proptest::prelude::*;
use rapor::markdown::{render, scan, MAX_NESTING};

const ALPHA_MD: &str = "content/2030/districts/alpha.md";
const DELTA: &str = "content/2030/districts/delta-kota.yaml";
const MEDIA_SVG: &str = "media/posyandu-keliling.svg";

/// A copy of the fixture, built once; its builds are killed after a minute.
fn built() -> Fixture {
    Fixture::new().within(Duration::from_secs(60)).and_built()
}

trait Narratives {
    fn refuses(&self, head: &str, words: &[&str]) -> Run;
    fn builds(&self);
}

impl Narratives for Fixture {
    /// `build` and `check` both refuse the content, print `expected` (a line
    /// start and words it holds), and leave `output/` as it was.
    #[track_caller]
    fn refuses(&self, head: &str, words: &[&str]) -> Run {
        let before = self.output();
        let mut last = None;
        for command in ["build", "check"] {
            let run = self.rapor_within(&[command], Duration::from_secs(20));
            assert_eq!(run.code, Some(1), "`rapor {command}`:\n{}", run.stderr);
            assert!(
                run.stderr
                    .lines()
                    .any(|l| l.starts_with(head) && words.iter().all(|w| l.contains(w))),
                "`rapor {command}` printed no line starting {head:?} with {words:?}:\n{}",
                run.stderr
            );
            last = Some(run);
        }
        assert!(before == self.output(), "output/ changed");
        last.unwrap()
    }

    #[track_caller]
    fn builds(&self) {
        let run = self.rapor(&["build"]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
    }
}

// ------------------------------------------------------------- nesting

/// 100 KB of each construct, one level more per marker, after two lines.
fn deep(unit: &str) -> String {
    format!("Alpha.\n\n{}x\n", unit.repeat(100 * 1024 / unit.len()))
}

#[test]
fn a_100_kb_nested_narrative_is_refused_within_seconds() {
    let site = built();
    for (unit, column) in [
        ("* ", 2 * MAX_NESTING + 1),
        ("> ", 2 * MAX_NESTING + 1),
        ("1. ", 3 * MAX_NESTING + 1),
        ("- > ", 2 * MAX_NESTING + 1),
        ("<div>", 5 * MAX_NESTING + 1),
        ("<blockquote>", 12 * MAX_NESTING + 1),
    ] {
        site.write(ALPHA_MD, &deep(unit));
        let run = site.refuses(
            &format!("{ALPHA_MD}:3:{column}: "),
            &["levels deep", "more than 32", "flatten"],
        );
        assert!(
            run.took < Duration::from_secs(10),
            "{unit:?}: took {:?}",
            run.took
        );
    }
}

#[test]
fn nesting_through_indentation_is_refused_with_its_line() {
    let site = built();
    let text: String = (0..40)
        .map(|d| format!("{}- tingkat {d}\n", "  ".repeat(d)))
        .collect();
    site.write(ALPHA_MD, &text);
    site.refuses(
        &format!("{ALPHA_MD}:33:"),
        &["33 levels deep", "more than 32"],
    );
}

#[test]
fn nesting_at_the_limit_builds() {
    let site = built();
    let text = format!(
        "{}x\n\n{}\n\n{}y{}\n",
        "* ".repeat(MAX_NESTING),
        "> ".repeat(MAX_NESTING),
        "<div>".repeat(MAX_NESTING),
        "</div>".repeat(MAX_NESTING)
    );
    site.write(ALPHA_MD, &text);
    site.builds();
}

#[test]
fn deep_innovation_summaries_and_award_reasons_are_refused() {
    let site = built();
    site.edit(
        DELTA,
        "summary: Kader membawa alat ukur ke kampung nelayan dengan perahu.",
        &format!("summary: \"{}x\"", "> ".repeat(5000)),
    );
    site.refuses(
        &format!("{DELTA}: innovations[0].summary: "),
        &["5000 levels deep"],
    );
    let site = built();
    site.edit(
        "content/2030/year.yaml",
        "reason: Posyandu *keliling* menjangkau kampung nelayan.",
        &format!("reason: \"{}\"", "<span>".repeat(5000)),
    );
    site.refuses(
        "content/2030/year.yaml: awards[0].reason: ",
        &["levels deep"],
    );
}

/// Three paragraphs, the second nesting `levels` deep on one line: list and
/// quote markers first (`kinds[0]` says how many), then HTML elements
/// (after a marker, `<div>` starts raw HTML up to the end of the line).
fn nested(kinds: &[u8], levels: usize) -> String {
    let md = ["* ", "> ", "1. ", "- ", "+ ", "2) "];
    let html = ["<div>", "<blockquote>", "<section>", "<span>", "<ul>"];
    let markers = levels * usize::from(kinds[0]) / 29;
    let mut line = String::new();
    for i in 0..levels {
        let k = usize::from(kinds[i % kinds.len()]);
        line.push_str(if i < markers {
            md[k % md.len()]
        } else {
            html[k % html.len()]
        });
    }
    format!("Pembuka.\n\n{line}isi\n\nPenutup.\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Depths 1 to 200 of any mix: up to the limit the text is accepted and
    /// rendered; past it, refused on line 3, and rendered as plain text.
    #[test]
    fn nesting_is_accepted_up_to_the_limit_and_refused_past_it(
        kinds in proptest::collection::vec(0u8..30, 1..6),
        levels in 1usize..200,
    ) {
        let text = nested(&kinds, levels);
        let start = Instant::now();
        let found = scan(&text).too_deep;
        let html = render(&text, "/s/2030/", "/s/");
        prop_assert!(start.elapsed() < Duration::from_secs(2), "took {:?}", start.elapsed());
        if levels <= MAX_NESTING {
            prop_assert_eq!(found, None);
            prop_assert!(html.contains("isi"));
        } else {
            let deep = found.expect("refused");
            prop_assert_eq!(deep.line, 3);
            prop_assert!(deep.depth > MAX_NESTING);
            prop_assert!(html.starts_with("<p>Pembuka."), "{}", html);
        }
    }
}

/// Time grows with the size, not with its square: four times the text at
/// the deepest accepted nesting costs well under sixteen times as much.
#[test]
fn time_grows_linearly_with_nested_text() {
    fn cost(text: &str) -> Duration {
        (0..3)
            .map(|_| {
                let start = Instant::now();
                let _ = scan(text);
                let _ = render(text, "/s/2030/", "/s/");
                start.elapsed()
            })
            .min()
            .unwrap()
    }
    for unit in [
        format!("{}x\n", "* ".repeat(MAX_NESTING)),
        format!(
            "{}x{}\n",
            "<div>".repeat(MAX_NESTING),
            "</div>".repeat(MAX_NESTING)
        ),
        format!("{}x\n", "> ".repeat(MAX_NESTING)),
        "* ".repeat(10_000),
    ] {
        let small = unit.repeat(16 * 1024 / unit.len() + 1);
        let large = unit.repeat(64 * 1024 / unit.len() + 1);
        let (a, b) = (cost(&small), cost(&large));
        assert!(
            b < a * 10 + Duration::from_millis(50),
            "{:?}…: 16 KB took {a:?}, 64 KB took {b:?}",
            &unit[..12.min(unit.len())]
        );
    }
}

// -------------------------------------------------------------- images

#[test]
fn a_markdown_image_from_another_host_is_refused() {
    let site = built();
    site.edit(
        ALPHA_MD,
        &format!("]({MEDIA_SVG})"),
        "](https://tracker.example/p.png)",
    );
    site.refuses(
        &format!("{ALPHA_MD}:3:1: "),
        &[
            "`https://tracker.example/p.png`",
            "another host",
            "content/2030/media/",
        ],
    );
}

#[test]
fn a_raw_html_image_from_another_host_is_refused() {
    for (src, words) in [
        ("https://tracker.example/p.png", "another host"),
        ("//tracker.example/p.png", "another host"),
        ("HTTP://tracker.example/p.png", "another host"),
        ("data:image/png;base64,iVBORw0KGgo=", "data: URL"),
    ] {
        let site = built();
        site.edit(
            ALPHA_MD,
            "Perbaikan yang disarankan",
            &format!("Lihat <img src=\"{src}\" alt=\"x\">.\n\nPerbaikan yang disarankan"),
        );
        site.refuses(&format!("{ALPHA_MD}:5:7: "), &[words, "media/"]);
    }
}

#[test]
fn a_raw_html_image_that_does_not_exist_is_refused_with_its_position() {
    let site = built();
    site.edit(
        ALPHA_MD,
        "Perbaikan yang disarankan",
        "<div class=\"foto\">\n  <IMG alt='kader'\n       SRC='media/kader.jpg'>\n</div>\n\nPerbaikan yang disarankan",
    );
    site.refuses(
        &format!("{ALPHA_MD}:6:3: "),
        &[
            "`media/kader.jpg` does not exist",
            "content/2030/media/kader.jpg",
        ],
    );
}

#[test]
fn a_raw_html_image_that_exists_is_shown_like_a_markdown_image() {
    let site = built();
    site.edit(
        ALPHA_MD,
        "Perbaikan yang disarankan",
        &format!(
            "<figure><img src=\"{MEDIA_SVG}\" alt=\"mentah\" srcset=\"https://tracker.example/p.png 2x\"></figure>\n\nPerbaikan yang disarankan"
        ),
    );
    site.builds();
    let page = common::read(&site.path("output/2030/alpha/index.html"));
    let src = "src=\"/penilaian/2030/media/posyandu-keliling.svg\"";
    assert!(
        page.contains(&format!("<img {src} alt=\"Posyandu keliling\">")),
        "{page}"
    );
    assert!(
        page.contains(&format!("<img {src} alt=\"mentah\">")),
        "{page}"
    );
    assert!(
        !page.contains("tracker.example") && !page.contains("srcset"),
        "{page}"
    );
}

#[test]
fn an_image_outside_media_is_refused() {
    for (image, words) in [
        ("districts/beta.yaml", "not in the year's media/ folder"),
        ("../2031/districts/beta.yaml", "outside the year folder"),
        ("media/../districts/beta.yaml", "outside the year folder"),
        (
            "/2030/media/posyandu-keliling.svg",
            "an address, not a file",
        ),
    ] {
        for markdown in [true, false] {
            let site = built();
            let written = if markdown {
                format!("![x]({image})")
            } else {
                format!("<img src=\"{image}\">")
            };
            site.edit(
                ALPHA_MD,
                &format!("![Posyandu keliling]({MEDIA_SVG})"),
                &written,
            );
            site.refuses(
                &format!("{ALPHA_MD}:3:1: "),
                &[&format!("`{image}`"), words],
            );
        }
    }
}

#[test]
fn images_of_the_province_narrative_are_checked_too() {
    let site = built();
    site.write(
        "content/2030/province.md",
        "Provinsi.\n\n<p>Foto <img src=\"https://tracker.example/p.png\"></p>\n",
    );
    site.refuses("content/2030/province.md:3:9: ", &["another host"]);
}

#[test]
fn images_in_summaries_and_reasons_are_checked_too() {
    let site = built();
    site.edit(
        DELTA,
        "dengan perahu.",
        "dengan perahu. ![x](https://tracker.example/p.png)",
    );
    site.refuses(
        &format!("{DELTA}: innovations[0].summary: "),
        &["another host"],
    );
    let site = built();
    site.edit(
        "content/2030/year.yaml",
        "kampung nelayan.",
        "kampung nelayan. <img src='media/hilang.png'>",
    );
    site.refuses(
        "content/2030/year.yaml: awards[0].reason: ",
        &["`media/hilang.png` does not exist"],
    );
}

#[test]
fn an_innovation_image_must_be_in_media() {
    let site = built();
    site.edit(
        DELTA,
        &format!("image: {MEDIA_SVG}"),
        "image: districts/beta.yaml",
    );
    site.refuses(
        &format!("{DELTA}:20:12: innovations[0].image: "),
        &["`districts/beta.yaml`", "not in the year's media/ folder"],
    );
}

/// A narrative's `# heading` sits under the page's "Catatan tim penilai" h2:
/// it becomes h3 (and `###` h4), so the page keeps one h1 and skips no level.
#[test]
fn narrative_headings_are_shifted_under_the_page_heading() {
    let site = Fixture::new();
    site.write(
        "content/2030/districts/alpha.md",
        "# Ringkasan\n\nTeks.\n\n### Rinci\n\nTeks lagi.\n",
    );
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    let html = common::read(&site.path("output/2030/alpha/index.html"));
    assert_eq!(html.matches("<h1").count(), 1, "more than one h1");
    assert!(html.contains("<h3>Ringkasan</h3>"), "{html}");
    assert!(html.contains("<h4>Rinci</h4>"), "{html}");
}
