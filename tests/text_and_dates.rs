//! Text a page can show and dates on the calendar (issue 8, items 8 and 13),
//! end to end through the `rapor` binary on a copy of `tests/fixtures/minimal`.
//!
//! Each bad case builds the good fixture once, spoils one file, and checks
//! that `build` and `check` exit 1 with the problem at its file:line:column
//! and that the previous `output/` is untouched.

mod common;

use std::time::Duration;

use common::{Fixture, Run};

/// A copy of the fixture whose runs are killed if they take over a minute.
fn site() -> Fixture {
    Fixture::new().within(Duration::from_secs(60))
}

/// What a run printed, stdout then stderr.
fn printed(run: &Run) -> String {
    format!("{}{}", run.stdout, run.stderr)
}

/// Builds the fixture, applies `spoil`, and checks that `build` and `check`
/// both fail with every one of `expected` among their lines (each line
/// starting with the `file:line:column: field: ...` given), leaving the
/// previous output as it was.
#[track_caller]
fn fails_with(spoil: impl FnOnce(&Fixture), expected: &[&str]) -> String {
    let site = site();
    let run = site.rapor(&["build"]);
    assert_eq!(
        run.code,
        Some(0),
        "the good fixture must build:\n{}",
        printed(&run)
    );
    let before = site.output();
    spoil(&site);
    for command in ["build", "check"] {
        let run = site.rapor(&[command]);
        let out = printed(&run);
        assert_eq!(run.code, Some(1), "`rapor {command}` must fail:\n{out}");
        for line in expected {
            assert!(
                out.lines().any(|l| l.starts_with(line)),
                "`rapor {command}` does not say {line:?}:\n{out}"
            );
        }
        assert!(
            !out.chars()
                .any(|c| c.is_control() && c != '\n' || ('\u{202A}'..='\u{202E}').contains(&c)),
            "a problem line echoes a control or direction character:\n{out:?}"
        );
    }
    assert!(
        site.output() == before,
        "output/ changed after a failed build"
    );
    printed(&site.rapor(&["check"]))
}

#[test]
fn a_district_name_with_a_control_character_is_a_problem() {
    fails_with(
        |site| site.edit("content/districts.yaml", "name: Kabupaten Alpha", "name: \"Kabupaten\\u0007 Alpha\""),
        &["content/districts.yaml:3:9: [0].name: the value holds the invisible control character U+0007 (remove it"],
    );
}

#[test]
fn a_district_name_with_a_direction_override_is_a_problem() {
    fails_with(
        |site| site.edit("content/districts.yaml", "name: Kota Delta", "name: \"Kota \\u202EatleD\""),
        &["content/districts.yaml:15:9: [3].name: the value holds the direction mark U+202E, which can make it look like another"],
    );
    // Written as it is, without an escape, too.
    fails_with(
        |site| {
            site.edit(
                "content/districts.yaml",
                "name: Kota Delta",
                "name: Kota \u{2067}Delta\u{2069}",
            )
        },
        &["content/districts.yaml:15:9: [3].name: the value holds the direction mark U+2067"],
    );
}

#[test]
fn a_rubric_action_name_with_a_nul_is_a_problem() {
    fails_with(
        |site| {
            site.edit(
                "content/2030/rubric.yaml",
                "name: Analisis Situasi",
                "name: \"Analisis\\u0000 Situasi\"",
            )
        },
        &["content/2030/rubric.yaml:12:11: actions[0].name: the value holds the invisible control character U+0000"],
    );
}

#[test]
fn every_text_of_a_district_file_is_checked_and_reported_at_once() {
    fails_with(
        |site| {
            let alpha = "content/2030/districts/alpha.yaml";
            site.edit(
                alpha,
                "strengths: [Analisis memakai data sampai tingkat desa]",
                "strengths: [\"Analisis memakai data\\x1b[31m sampai tingkat desa\"]",
            );
            site.edit(alpha, "source: Survei Uji 2030", "source: \"Survei\\u0085 Uji\"");
            site.edit(
                alpha,
                "plan: Publikasi dokumentasi inovasi",
                "plan: \"Publikasi\\uFFFF\"",
            );
        },
        &[
            "content/2030/districts/alpha.yaml:11:36: prevalence.source: the value holds the invisible control character U+0085",
            "content/2030/districts/alpha.yaml:14:17: feedback.1.strengths[0]: the value holds the invisible control character U+001B",
            "content/2030/districts/alpha.yaml:20:24: follow_up[0].plan: the value holds U+FFFF, which is not a character",
        ],
    );
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
    assert_eq!(run.code, Some(0), "{}", printed(&run));
}

#[test]
fn an_impossible_day_is_a_problem() {
    fails_with(
        |site| site.edit("content/2030/districts/alpha.yaml", "assessed_on: 2031-04-10", "assessed_on: 2023-02-30"),
        &["content/2030/districts/alpha.yaml:2:14: assessed_on: `2023-02-30` is not a day of the calendar: February 2023 has 28 days"],
    );
}

#[test]
fn a_thirteenth_month_is_a_problem() {
    fails_with(
        |site| site.edit("content/2030/districts/alpha.yaml", "due: 2031-09", "due: 2024-13"),
        &["content/2030/districts/alpha.yaml:20:60: follow_up[0].due: `2024-13` has no month 13 (months run from 01 to 12)"],
    );
}

#[test]
fn a_year_zero_is_a_problem() {
    fails_with(
        |site| site.edit("content/2030/year.yaml", "date: 2031-06-02", "date: 0000-01-01"),
        &["content/2030/year.yaml:2:18: plenary.date: `0000-01-01` is not in the years 1900 to 2200"],
    );
    fails_with(
        |site| {
            site.edit(
                "content/2030/year.yaml",
                "assessed_in: 2031",
                "assessed_in: 0",
            )
        },
        &["content/2030/year.yaml:1:14: assessed_in: 0 is not a year from 1900 to 2200"],
    );
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
    assert_eq!(run.code, Some(0), "{}", printed(&run));
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
