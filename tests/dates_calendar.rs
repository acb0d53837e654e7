//! Dates in content are days and months of the calendar (issue 10): an
//! impossible one, wherever content writes a date, is a problem at its
//! file:line:column with a plain fix, and a real one (a leap day, a month
//! for a follow-up) builds. Runs the `rapor` binary on a copy of
//! `tests/fixtures/minimal`.

mod common;

use common::{Fixture, Run};

const ALPHA: &str = "content/2030/districts/alpha.yaml";
const YEAR: &str = "content/2030/year.yaml";

/// `rapor check` on the fixture spoiled by `spoil`: exit 1, and each of
/// `expected` is the start of one of the problem lines.
#[track_caller]
fn check_says(spoil: impl FnOnce(&Fixture), expected: &[&str]) -> Run {
    let site = Fixture::new();
    spoil(&site);
    let run = site.rapor(&["check"]).failure();
    for line in expected {
        run.expect(line, &[]);
    }
    run
}

#[test]
fn the_thirty_first_of_february_is_not_a_day() {
    check_says(
        |site| site.edit(ALPHA, "assessed_on: 2031-04-10", "assessed_on: 2024-02-31"),
        &[
            "content/2030/districts/alpha.yaml:2:14: assessed_on: `2024-02-31` is not a day of the calendar: February 2024 has 29 days (check the day and the month)",
        ],
    );
}

#[test]
fn a_thirteenth_month_is_not_a_month_anywhere() {
    check_says(
        |site| {
            site.edit(ALPHA, "due: 2031-09", "due: 2024-13");
            site.edit(YEAR, "date: 2031-06-02", "date: 2031-13-02");
        },
        &[
            "content/2030/districts/alpha.yaml:20:60: follow_up[0].due: `2024-13` has no month 13 (months run from 01 to 12)",
            "content/2030/year.yaml:2:18: plenary.date: `2031-13-02` has no month 13 (months run from 01 to 12)",
        ],
    );
}

#[test]
fn a_due_day_must_be_a_day_too() {
    check_says(
        |site| site.edit(ALPHA, "due: 2031-09", "due: 2031-09-31"),
        &[
            "content/2030/districts/alpha.yaml:20:60: follow_up[0].due: `2031-09-31` is not a day of the calendar: September 2031 has 30 days",
        ],
    );
}

#[test]
fn a_correction_on_an_impossible_day_is_a_problem() {
    let run = check_says(
        |site| {
            let year = common::read(&site.path(YEAR));
            site.write(
                YEAR,
                &format!(
                    "{year}corrections:\n  - {{ date: 2031-04-31, districts: [zeta], reason: Skor dikoreksi. }}\n"
                ),
            );
        },
        &[
            "content/2030/year.yaml:8:13: corrections[0].date: `2031-04-31` is not a day of the calendar: April 2031 has 30 days",
            // The other checks of the correction still run on a bad date.
            "content/2030/year.yaml:8:37: corrections[0].districts: `zeta` is not a district slug",
        ],
    );
    assert_eq!(run.problems().len(), 2, "{}", run.show());
}

#[test]
fn a_leap_day_and_a_due_month_build() {
    let site = Fixture::new();
    site.edit(ALPHA, "assessed_on: 2031-04-10", "assessed_on: 2032-02-29");
    site.edit(YEAR, "date: 2031-06-02", "date: 2032-03-01");
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    let page = common::walk(&site.path("output"))
        .into_iter()
        .find(|p| p.ends_with("2030/alpha/index.html") || p.ends_with("2030/alpha.html"));
    let Some(page) = page else {
        panic!("no page of alpha in 2030 under output/");
    };
    let html = common::read(&page);
    assert!(html.contains("29 Februari 2032"), "the leap day is shown");
    assert!(html.contains("September 2031"), "the due month is shown");
}
