//! Comparisons that say what they compare: rank changes with both
//! denominators, history lines that break at a year not assessed, and the
//! scatter naming the districts it leaves out. Built on the small fixture.

mod common;
use common::{read, Fixture};
use snapbox::str;

/// The `<svg>` of the chart whose id starts with `id`.
fn svg<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("aria-labelledby=\"{id}"))
        .unwrap_or_else(|| panic!("no chart {id}"));
    let start = html[..at].rfind("<svg").unwrap();
    let end = at + html[at..].find("</svg>").unwrap();
    &html[start..end]
}

#[test]
fn a_rank_change_says_both_denominators() {
    let site = Fixture::new().and_built();
    // 2030 assessed four districts, 2031 three.
    let html = read(&site.path("output/2031/alpha/index.html"));
    let at = html
        .find(" dari 4 → ")
        .unwrap_or_else(|| panic!("no \"dari 4 → … dari 3\" in\n{html}"));
    assert!(
        html[at..at + 40].contains(" dari 3"),
        "{}",
        &html[at..at + 40]
    );
}

#[test]
fn a_history_line_breaks_at_a_year_not_assessed() {
    let site = Fixture::new();
    // Gamma: assessed 2030, not 2031, again 2032 (with 2031's rubric).
    std::fs::create_dir_all(site.path("content/2032/districts")).unwrap();
    for file in ["rubric.yaml", "districts/alpha.yaml", "districts/beta.yaml"] {
        let text = read(&site.path(&format!("content/2031/{file}")));
        site.write(&format!("content/2032/{file}"), &text);
    }
    let beta = read(&site.path("content/2031/districts/beta.yaml"));
    site.write("content/2032/districts/gamma.yaml", &beta);
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    let html = read(&site.path("output/2032/gamma/index.html"));
    let chart = svg(&html, "history-2032-gamma");
    assert!(chart.contains(">2031<"), "the gap year is on the axis");
    assert!(chart.contains(">Tidak dinilai<"), "the gap year is marked");
    let lines = chart.matches("stroke-width=\"2\"").count();
    assert_eq!(lines, 0, "a line runs across the year not assessed");
}

#[test]
fn the_scatter_names_the_districts_it_leaves_out() {
    let site = Fixture::new().and_built();
    let html = read(&site.path("output/2030/index.html"));
    assert!(
        html.contains("Tidak tampil karena tanpa angka prevalensi: Kabupaten Gamma."),
        "the scatter does not say it leaves Gamma out"
    );
}

#[test]
fn a_category_keeps_the_colour_its_rubric_gives_it() {
    let site = Fixture::new();
    site.edit(
        "content/2031/rubric.yaml",
        "{ min: 50, label: Madya }",
        "{ min: 50, label: Madya, color: \"#5A3E9B\" }",
    );
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    let year = read(&site.path("output/2031/index.html"));
    assert!(year.contains("background:#5A3E9B\"></span>Madya"), "swatch");
    assert!(year.contains("fill=\"#5A3E9B\""), "bars and legend");
    // Without `color:` the 2030 rubric's Madya takes the default palette's.
    let before = read(&site.path("output/2030/index.html"));
    assert!(!before.contains("#5A3E9B"));
}

#[test]
fn a_colour_that_is_not_one_is_refused_with_the_fix() {
    let site = Fixture::new();
    site.edit(
        "content/2031/rubric.yaml",
        "{ min: 50, label: Madya }",
        "{ min: 50, label: Madya, color: ungu }",
    );
    let run = site.rapor(&["build"]).failure();
    run.stderr_is(str![[r##"
content/2031/rubric.yaml:46:37: categories[1].color: `ungu` is not a colour (write # and six hexadecimal digits, for example "#0072B2", or leave `color` out for the default)
error: 1 problem found; nothing was published

"##]]);
}
