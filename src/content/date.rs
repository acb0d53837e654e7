//! Dates in content, parsed into `jiff`'s calendar type: an impossible day
//! (`2024-02-31`) or month (`2024-13`) is a problem, never text on a page.

use std::fmt;
use std::path::Path;

use jiff::civil::Date;

use crate::error::{Problem, Problems};
use crate::yaml::{location_of, Spanned};

/// Years a date in content may fall in. Assessments began in the 2010s and
/// plans look a few years ahead: anything outside is a typo (`0000-01-01`,
/// `2204-05-16`) that a page would otherwise print as if it were real.
pub const DATE_YEARS: std::ops::RangeInclusive<i16> = 1900..=2200;

/// What is wrong with a date or month as written: the message and the hint.
pub type DateProblem = (String, String);

/// When a follow-up is due: a month, or a day when the plan names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// The month's first day stands for the month.
    Month(Date),
    Day(Date),
}

impl fmt::Display for Due {
    /// As written in content: `YYYY-MM` or `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Due::Month(d) => write!(f, "{:04}-{:02}", d.year(), d.month()),
            Due::Day(d) => write!(f, "{d}"),
        }
    }
}

/// The date written in `file` at `field`, parsed by `check` (such as
/// [`check_date`]); `None` and a problem at its place when it is wrong.
pub fn checked<T>(
    file: &Path,
    value: &Spanned<String>,
    field: impl Into<String>,
    check: fn(&str) -> Result<T, DateProblem>,
    problems: &mut Problems,
) -> Option<T> {
    check(&value.value)
        .map_err(|(message, hint)| {
            problems.push(
                Problem::new(file, message)
                    .at_location(location_of(value))
                    .field(field)
                    .hint(hint),
            )
        })
        .ok()
}

/// A day of the calendar written `YYYY-MM-DD`, in [`DATE_YEARS`].
pub fn check_date(s: &str) -> Result<Date, DateProblem> {
    let shape = || {
        (
            format!("`{s}` is not a date"),
            "write it as YYYY-MM-DD, e.g. 2024-05-16".to_string(),
        )
    };
    if !matches!(s.as_bytes(), [_, _, _, _, b'-', _, _, b'-', _, _]) {
        return Err(shape());
    }
    let first = year_month(s, shape)?;
    let day = two_digits(&s[8..]).ok_or_else(shape)?;
    Date::new(first.year(), first.month(), day).map_err(|_| {
        (
            format!(
                "`{s}` is not a day of the calendar: {} {} has {} days",
                crate::format::MONTHS_EN[usize::from(first.month().unsigned_abs()) - 1],
                first.year(),
                first.days_in_month()
            ),
            "check the day and the month".to_string(),
        )
    })
}

/// A month written `YYYY-MM`, in [`DATE_YEARS`]: its first day.
pub fn check_month(s: &str) -> Result<Date, DateProblem> {
    let shape = || {
        (
            format!("`{s}` is not a month"),
            "write it as YYYY-MM, e.g. 2024-12".to_string(),
        )
    };
    if !matches!(s.as_bytes(), [_, _, _, _, b'-', _, _]) {
        return Err(shape());
    }
    year_month(s, shape)
}

/// A follow-up's `due`: a month (`YYYY-MM`) or a day (`YYYY-MM-DD`).
pub fn check_due(s: &str) -> Result<Due, DateProblem> {
    match s.len() {
        7 => check_month(s).map(Due::Month),
        10 => check_date(s).map(Due::Day),
        _ => Err((
            format!("`{s}` is not a month or date"),
            "write it as YYYY-MM, e.g. 2024-12".to_string(),
        )),
    }
}

/// The first day of the month at the start of `s` (`YYYY-MM...`, its shape
/// checked), in range; `shape` is the problem for digits that are not digits.
fn year_month(s: &str, shape: impl Fn() -> DateProblem) -> Result<Date, DateProblem> {
    let (year, month) = (&s[..4], &s[5..7]);
    let digits = year.bytes().all(|b| b.is_ascii_digit());
    let year = year
        .parse::<i16>()
        .ok()
        .filter(|_| digits)
        .ok_or_else(&shape)?;
    let month = two_digits(month).ok_or_else(&shape)?;
    if !DATE_YEARS.contains(&year) {
        return Err((
            format!(
                "`{s}` is not in the years {} to {}",
                DATE_YEARS.start(),
                DATE_YEARS.end()
            ),
            "check the year".to_string(),
        ));
    }
    Date::new(year, month, 1).map_err(|_| {
        (
            format!("`{s}` has no month {month:02}"),
            "months run from 01 to 12".to_string(),
        )
    })
}

/// Two ASCII digits as a number.
fn two_digits(s: &str) -> Option<i8> {
    match s.as_bytes() {
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some(((a - b'0') * 10 + (b - b'0')) as i8)
        }
        _ => None,
    }
}

/// The current calendar year (UTC), from the system clock.
pub fn current_year() -> i16 {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn days_and_months_parse_into_the_calendar() {
        assert_eq!(check_date("2024-05-16"), Ok(day(2024, 5, 16)));
        assert_eq!(check_date("2024-02-29"), Ok(day(2024, 2, 29)));
        assert!(check_date("1900-01-01").is_ok() && check_date("2200-12-31").is_ok());
        assert_eq!(check_month("2024-12"), Ok(day(2024, 12, 1)));
        assert_eq!(check_due("2024-12"), Ok(Due::Month(day(2024, 12, 1))));
        assert_eq!(check_due("2024-12-03"), Ok(Due::Day(day(2024, 12, 3))));
        assert_eq!(check_due("2024-12").unwrap().to_string(), "2024-12");
        assert_eq!(check_due("1900-01-09").unwrap().to_string(), "1900-01-09");
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in [
            "2024-13-01",
            "2024-5-16",
            "16-05-2024",
            "2024-05-32",
            "2023-02-29",
            "2023-02-30",
            "2024-02-31",
            "2024-04-31",
            "2024-00-10",
            "2024-01-00",
            "0000-01-01",
            "1899-12-31",
            "2201-01-01",
            "+024-01-01",
            "2024-05-1x",
            "",
        ] {
            assert!(check_date(bad).is_err(), "{bad}");
        }
        for bad in [
            "2024-00",
            "2024-13",
            "0000-01",
            "-001-01",
            "2024-1",
            "2024-12-01",
        ] {
            assert!(check_month(bad).is_err(), "{bad}");
        }
        for bad in ["2024-13", "2024-02-30", "2024", "2024-1-1", "May 2024"] {
            assert!(check_due(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn problems_say_what_is_wrong() {
        let message = |s| check_date(s).unwrap_err().0;
        assert_eq!(
            message("2023-02-30"),
            "`2023-02-30` is not a day of the calendar: February 2023 has 28 days"
        );
        assert_eq!(
            message("2024-02-31"),
            "`2024-02-31` is not a day of the calendar: February 2024 has 29 days"
        );
        assert_eq!(message("2024-13-01"), "`2024-13-01` has no month 13");
        assert_eq!(
            message("0000-01-01"),
            "`0000-01-01` is not in the years 1900 to 2200"
        );
        assert_eq!(message("16-05-2024"), "`16-05-2024` is not a date");
        assert_eq!(
            check_month("2024-13").unwrap_err().0,
            "`2024-13` has no month 13"
        );
        assert_eq!(
            check_due("2024").unwrap_err(),
            (
                "`2024` is not a month or date".to_string(),
                "write it as YYYY-MM, e.g. 2024-12".to_string()
            )
        );
    }

    #[test]
    fn the_clock_gives_a_plausible_year() {
        let y = current_year();
        assert!((2024..2200).contains(&y), "{y}");
    }
}
