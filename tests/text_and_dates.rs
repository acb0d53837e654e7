//! Text a page can show and dates on the calendar (issue 8, items 8 and 13),
//! end to end through the `rapor` binary on a copy of `tests/fixtures/minimal`.
//!
//! Each bad case builds the good fixture once, spoils one file, and checks
//! (`Fixture::refuses`) that `build` and `check` exit 1 with the whole
//! message shown (the problem at its file:line:column), no control or
//! direction character echoed, and the previous `output/` untouched.

mod common;

use std::time::Duration;

use common::Fixture;
use snapbox::str;

/// A copy of the fixture whose runs are killed if they take over a minute.
fn site() -> Fixture {
    Fixture::new().within(Duration::from_secs(60))
}

#[test]
fn a_district_name_with_a_control_character_is_a_problem() {
    site()
        .refuses(|site| {
            site.edit(
                "content/districts.yaml",
                "name: Kabupaten Alpha",
                "name: \"Kabupaten\\u0007 Alpha\"",
            )
        })
        .stderr_is(str![[r#"
content/districts.yaml:3:9: [0].name: the value holds the invisible control character U+0007 (remove it; it usually comes from a `\u`, `\x` or `\0` escape in double quotes)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn a_district_name_with_a_direction_override_is_a_problem() {
    site()
        .refuses(|site| {
            site.edit(
                "content/districts.yaml",
                "name: Kota Delta",
                "name: \"Kota \\u202EatleD\"",
            )
        })
        .stderr_is(str![[r#"
content/districts.yaml:15:9: [3].name: the value holds the direction mark U+202E, which can make it look like another (remove it; a name must read as it is written)
error: 1 problem found; nothing was published

"#]]);
    // Written as it is, without an escape, too.
    site()
        .refuses(|site| {
            site.edit(
                "content/districts.yaml",
                "name: Kota Delta",
                "name: Kota \u{2067}Delta\u{2069}",
            )
        })
        .stderr_is(str![[r#"
content/districts.yaml:15:9: [3].name: the value holds the direction mark U+2067, which can make it look like another (remove it; a name must read as it is written)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn a_rubric_action_name_with_a_nul_is_a_problem() {
    site()
        .refuses(|site| {
            site.edit(
                "content/2030/rubric.yaml",
                "name: Analisis Situasi",
                "name: \"Analisis\\u0000 Situasi\"",
            )
        })
        .stderr_is(str![[r#"
content/2030/rubric.yaml:12:11: actions[0].name: the value holds the invisible control character U+0000 (remove it; it usually comes from a `\u`, `\x` or `\0` escape in double quotes)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn every_text_of_a_district_file_is_checked_and_reported_at_once() {
    site()
        .refuses(|site| {
            let alpha = "content/2030/districts/alpha.yaml";
            site.edit(
                alpha,
                "strengths: [Analisis memakai data sampai tingkat desa]",
                "strengths: [\"Analisis memakai data\\x1b[31m sampai tingkat desa\"]",
            );
            site.edit(
                alpha,
                "source: Survei Uji 2030",
                "source: \"Survei\\u0085 Uji\"",
            );
            site.edit(
                alpha,
                "plan: Publikasi dokumentasi inovasi",
                "plan: \"Publikasi\\uFFFF\"",
            );
        })
        .stderr_is(str![[r#"
content/2030/districts/alpha.yaml:11:36: prevalence.source: the value holds the invisible control character U+0085 (remove it; it usually comes from a `\u`, `\x` or `\0` escape in double quotes)
content/2030/districts/alpha.yaml:14:17: feedback.1.strengths[0]: the value holds the invisible control character U+001B (remove it; it usually comes from a `\u`, `\x` or `\0` escape in double quotes)
content/2030/districts/alpha.yaml:20:24: follow_up[0].plan: the value holds U+FFFF, which is not a character (remove it; it usually comes from a `\u` escape in double quotes)
error: 3 problems found; nothing was published

"#]]);
}

#[test]
fn direction_marks_in_running_text_and_line_breaks_in_markdown_are_fine() {
    let site = site();
    site.edit(
        "content/2030/districts/alpha.yaml",
        "improvements: [Dokumentasi inovasi belum dipublikasikan]",
        "improvements: [\"Dokumentasi \\u200Finovasi\\tbelum\\ndipublikasikan\"]",
    );
    site.edit(
        "content/2030/year.yaml",
        "reason: Posyandu *keliling* menjangkau kampung nelayan.",
        "reason: |\n      Posyandu *keliling*\n      menjangkau kampung nelayan.",
    );
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
}

#[test]
fn an_impossible_day_is_a_problem() {
    site()
        .refuses(|site| {
            site.edit(
                "content/2030/districts/alpha.yaml",
                "assessed_on: 2031-04-10",
                "assessed_on: 2023-02-30",
            )
        })
        .stderr_is(str![[r#"
content/2030/districts/alpha.yaml:2:14: assessed_on: `2023-02-30` is not a day of the calendar: February 2023 has 28 days (check the day and the month)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn a_thirteenth_month_is_a_problem() {
    site()
        .refuses(|site| {
            site.edit(
                "content/2030/districts/alpha.yaml",
                "due: 2031-09",
                "due: 2024-13",
            )
        })
        .stderr_is(str![[r#"
content/2030/districts/alpha.yaml:20:60: follow_up[0].due: `2024-13` has no month 13 (months run from 01 to 12)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn a_year_zero_is_a_problem() {
    site()
        .refuses(|site| {
            site.edit(
                "content/2030/year.yaml",
                "date: 2031-06-02",
                "date: 0000-01-01",
            )
        })
        .stderr_is(str![[r#"
content/2030/year.yaml:2:18: plenary.date: `0000-01-01` is not in the years 1900 to 2200 (check the year)
error: 1 problem found; nothing was published

"#]]);
    site()
        .refuses(|site| {
            site.edit(
                "content/2030/year.yaml",
                "assessed_in: 2031",
                "assessed_in: 0",
            )
        })
        .stderr_is(str![[r#"
content/2030/year.yaml:1:14: assessed_in: 0 is not a year from 1900 to 2200 (write the year of the assessment, usually the year after the folder's)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn a_leap_day_is_a_date() {
    let site = site();
    site.edit(
        "content/2030/districts/alpha.yaml",
        "assessed_on: 2031-04-10",
        "assessed_on: 2024-02-29",
    );
    site.edit(
        "content/2030/districts/alpha.yaml",
        "due: 2031-09",
        "due: 2032-02-29",
    );
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    let page = common::walk(&site.root.join("output"))
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("alpha"))
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect::<String>();
    assert!(
        page.contains("29 Februari 2024"),
        "the date is not on alpha's page"
    );
    assert!(
        page.contains("29 Februari 2032"),
        "the due date is not on alpha's page"
    );
}
