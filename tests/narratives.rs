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
use snapbox::str;

const ALPHA_MD: &str = "content/2030/districts/alpha.md";
const DELTA: &str = "content/2030/districts/delta-kota.yaml";
const MEDIA_SVG: &str = "media/posyandu-keliling.svg";

/// A copy of the fixture whose builds are killed after a minute.
fn site() -> Fixture {
    Fixture::new().within(Duration::from_secs(60))
}

// ------------------------------------------------------------- nesting

/// 100 KB of each construct, one level more per marker, after two lines.
fn deep(unit: &str) -> String {
    format!("Alpha.\n\n{}x\n", unit.repeat(100 * 1024 / unit.len()))
}

#[test]
fn a_100_kb_nested_narrative_is_refused_within_seconds() {
    let mut printed = String::new();
    for unit in ["* ", "> ", "1. ", "- > ", "<div>", "<blockquote>"] {
        let run = site().refuses(|site| site.write(ALPHA_MD, &deep(unit)));
        assert!(
            run.took < Duration::from_secs(10),
            "{unit:?}: took {:?}",
            run.took
        );
        printed += &run.stderr;
    }
    // The column is where the 33rd level starts.
    Run::text_is(
        &printed,
        str![[r#"
content/2030/districts/alpha.md:3:65: lists, quotes or HTML elements are nested 51200 levels deep here, more than 32 (flatten the text: at most 32 lists, quotes or HTML elements inside one another)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:3:65: lists, quotes or HTML elements are nested 51200 levels deep here, more than 32 (flatten the text: at most 32 lists, quotes or HTML elements inside one another)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:3:97: lists, quotes or HTML elements are nested 34133 levels deep here, more than 32 (flatten the text: at most 32 lists, quotes or HTML elements inside one another)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:3:65: lists, quotes or HTML elements are nested 51200 levels deep here, more than 32 (flatten the text: at most 32 lists, quotes or HTML elements inside one another)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:3:161: lists, quotes or HTML elements are nested 33 levels deep here, more than 32 (flatten the text: at most 32 lists, quotes or HTML elements inside one another)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:3:385: lists, quotes or HTML elements are nested 33 levels deep here, more than 32 (flatten the text: at most 32 lists, quotes or HTML elements inside one another)
error: 1 problem found; nothing was published

"#]],
    );
}

#[test]
fn nesting_through_indentation_is_refused_with_its_line() {
    let run = site().refuses(|site| {
        let text: String = (0..40)
            .map(|d| format!("{}- tingkat {d}\n", "  ".repeat(d)))
            .collect();
        site.write(ALPHA_MD, &text);
    });
    run.stderr_is(str![[r#"
content/2030/districts/alpha.md:33:65: lists, quotes or HTML elements are nested 33 levels deep here, more than 32 (flatten the text: at most 32 lists, quotes or HTML elements inside one another)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn nesting_at_the_limit_builds() {
    let site = site();
    let text = format!(
        "{}x\n\n{}\n\n{}y{}\n",
        "* ".repeat(MAX_NESTING),
        "> ".repeat(MAX_NESTING),
        "<div>".repeat(MAX_NESTING),
        "</div>".repeat(MAX_NESTING)
    );
    site.write(ALPHA_MD, &text);
    site.build();
}

#[test]
fn deep_innovation_summaries_and_award_reasons_are_refused() {
    let run = site().refuses(|site| {
        site.edit(
            DELTA,
            "summary: Kader membawa alat ukur ke kampung nelayan dengan perahu.",
            &format!("summary: \"{}x\"", "> ".repeat(5000)),
        );
    });
    run.stderr_is(str![[r#"
content/2030/districts/delta-kota.yaml: innovations[0].summary: lists, quotes or HTML elements are nested 5000 levels deep here, more than 32 (flatten the text: at most 32 lists, quotes or HTML elements inside one another)
error: 1 problem found; nothing was published

"#]]);
    let run = site().refuses(|site| {
        site.edit(
            "content/2030/year.yaml",
            "reason: Posyandu *keliling* menjangkau kampung nelayan.",
            &format!("reason: \"{}\"", "<span>".repeat(5000)),
        );
    });
    run.stderr_is(str![[r#"
content/2030/year.yaml: awards[0].reason: lists, quotes or HTML elements are nested 33 levels deep here, more than 32 (flatten the text: at most 32 lists, quotes or HTML elements inside one another)
error: 1 problem found; nothing was published

"#]]);
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
    let run = site().refuses(|site| {
        site.edit(
            ALPHA_MD,
            &format!("]({MEDIA_SVG})"),
            "](https://tracker.example/p.png)",
        );
    });
    run.stderr_is(str![[r#"
content/2030/districts/alpha.md:3:1: image `https://tracker.example/p.png` is on another host (a page loads nothing from elsewhere: copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn a_raw_html_image_from_another_host_is_refused() {
    let mut printed = String::new();
    for src in [
        "https://tracker.example/p.png",
        "//tracker.example/p.png",
        "HTTP://tracker.example/p.png",
        "data:image/png;base64,iVBORw0KGgo=",
    ] {
        let run = site().refuses(|site| {
            site.edit(
                ALPHA_MD,
                "Perbaikan yang disarankan",
                &format!("Lihat <img src=\"{src}\" alt=\"x\">.\n\nPerbaikan yang disarankan"),
            )
        });
        printed += &run.stderr;
    }
    Run::text_is(
        &printed,
        str![[r#"
content/2030/districts/alpha.md:5:7: image `https://tracker.example/p.png` is on another host (a page loads nothing from elsewhere: copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:5:7: image `//tracker.example/p.png` is on another host (a page loads nothing from elsewhere: copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:5:7: image `HTTP://tracker.example/p.png` is on another host (a page loads nothing from elsewhere: copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:5:7: image is written into the text as a data: URL (save it as a file in content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published

"#]],
    );
}

#[test]
fn a_raw_html_image_that_does_not_exist_is_refused_with_its_position() {
    let run = site().refuses(|site| {
        site.edit(
            ALPHA_MD,
            "Perbaikan yang disarankan",
            "<div class=\"foto\">\n  <IMG alt='kader'\n       SRC='media/kader.jpg'>\n</div>\n\nPerbaikan yang disarankan",
        );
    });
    run.stderr_is(str![[r#"
content/2030/districts/alpha.md:6:3: image `media/kader.jpg` does not exist (images are relative to the year folder: put it at content/2030/media/kader.jpg)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn a_raw_html_image_that_exists_is_shown_like_a_markdown_image() {
    let site = site();
    site.edit(
        ALPHA_MD,
        "Perbaikan yang disarankan",
        &format!(
            "<figure><img src=\"{MEDIA_SVG}\" alt=\"mentah\" srcset=\"https://tracker.example/p.png 2x\"></figure>\n\nPerbaikan yang disarankan"
        ),
    );
    site.build();
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
    let mut printed = String::new();
    for image in [
        "districts/beta.yaml",
        "../2031/districts/beta.yaml",
        "media/../districts/beta.yaml",
        "/2030/media/posyandu-keliling.svg",
    ] {
        for markdown in [true, false] {
            let written = if markdown {
                format!("![x]({image})")
            } else {
                format!("<img src=\"{image}\">")
            };
            let run = site().refuses(|site| {
                site.edit(
                    ALPHA_MD,
                    &format!("![Posyandu keliling]({MEDIA_SVG})"),
                    &written,
                )
            });
            printed += &run.stderr;
        }
    }
    Run::text_is(
        &printed,
        str![[r#"
content/2030/districts/alpha.md:3:1: image `districts/beta.yaml` is not in the year's media/ folder (images are files in content/2030/media/: move it there and write media/<file name>)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:3:1: image `districts/beta.yaml` is not in the year's media/ folder (images are files in content/2030/media/: move it there and write media/<file name>)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:3:1: image `../2031/districts/beta.yaml` points outside the year folder (copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:3:1: image `../2031/districts/beta.yaml` points outside the year folder (copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:3:1: image `media/../districts/beta.yaml` points outside the year folder (copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:3:1: image `media/../districts/beta.yaml` points outside the year folder (copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:3:1: image `/2030/media/posyandu-keliling.svg` is an address, not a file of this year (images are files in content/2030/media/: write the path from the year folder, media/<file name>)
error: 1 problem found; nothing was published
content/2030/districts/alpha.md:3:1: image `/2030/media/posyandu-keliling.svg` is an address, not a file of this year (images are files in content/2030/media/: write the path from the year folder, media/<file name>)
error: 1 problem found; nothing was published

"#]],
    );
}

#[test]
fn images_of_the_province_narrative_are_checked_too() {
    let run = site().refuses(|site| {
        site.write(
            "content/2030/province.md",
            "Provinsi.\n\n<p>Foto <img src=\"https://tracker.example/p.png\"></p>\n",
        );
    });
    run.stderr_is(str![[r#"
content/2030/province.md:3:9: image `https://tracker.example/p.png` is on another host (a page loads nothing from elsewhere: copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn images_in_summaries_and_reasons_are_checked_too() {
    let run = site().refuses(|site| {
        site.edit(
            DELTA,
            "dengan perahu.",
            "dengan perahu. ![x](https://tracker.example/p.png)",
        );
    });
    run.stderr_is(str![[r#"
content/2030/districts/delta-kota.yaml: innovations[0].summary: image `https://tracker.example/p.png` is on another host (a page loads nothing from elsewhere: copy the image into content/2030/media/ and write media/<file name>)
error: 1 problem found; nothing was published

"#]]);
    let run = site().refuses(|site| {
        site.edit(
            "content/2030/year.yaml",
            "kampung nelayan.",
            "kampung nelayan. <img src='media/hilang.png'>",
        );
    });
    run.stderr_is(str![[r#"
content/2030/year.yaml: awards[0].reason: image `media/hilang.png` does not exist (images are relative to the year folder: put it at content/2030/media/hilang.png)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn an_innovation_image_must_be_in_media() {
    let run = site().refuses(|site| {
        site.edit(
            DELTA,
            &format!("image: {MEDIA_SVG}"),
            "image: districts/beta.yaml",
        );
    });
    run.stderr_is(str![[r#"
content/2030/districts/delta-kota.yaml:20:12: innovations[0].image: image `districts/beta.yaml` is not in the year's media/ folder (images are files in content/2030/media/: move it there and write media/<file name>)
error: 1 problem found; nothing was published

"#]]);
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
