//! `<year>/year.yaml`: when the year was assessed, the plenary, the thematic awards.

use std::path::Path;

use serde::Deserialize;

use super::date::{check_date, checked, DATE_YEARS};
use super::district::check_percent;
use crate::error::{Problem, Problems};
use crate::yaml::{self, location_of, Spanned};

#[derive(Debug, Clone, Default)]
pub struct YearMeta {
    /// Tahun penilaian; the performance year + 1 when not given.
    pub assessed_in: Option<i32>,
    pub plenary: Option<Plenary>,
    pub awards: Vec<Award>,
    /// The province's stunting prevalence that year, for the trend chart.
    pub prevalence: Option<super::district::Prevalence>,
    /// Ralat: corrections made to the year after it was published (frozen).
    pub corrections: Vec<Correction>,
}

/// One correction of a published year, as recorded in `year.yaml`.
#[derive(Debug, Clone)]
pub struct Correction {
    /// When the correction was decided.
    pub date: jiff::civil::Date,
    /// Slugs of the districts concerned, each in the registry (may be empty).
    pub districts: Vec<String>,
    /// Markdown.
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct Plenary {
    pub date: Option<jiff::civil::Date>,
    pub decree: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Award {
    pub title: String,
    /// Index into the district registry.
    pub district: super::DistrictId,
    /// Markdown, one line.
    pub reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYearMeta {
    #[serde(default)]
    assessed_in: Option<Spanned<i32>>,
    #[serde(default)]
    plenary: Option<RawPlenary>,
    #[serde(default)]
    awards: Vec<RawAward>,
    #[serde(default)]
    prevalence: Option<Spanned<super::district::Prevalence>>,
    #[serde(default)]
    corrections: Vec<RawCorrection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCorrection {
    date: Spanned<String>,
    #[serde(default)]
    districts: Vec<Spanned<String>>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlenary {
    #[serde(default)]
    date: Option<Spanned<String>>,
    #[serde(default)]
    decree: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAward {
    title: String,
    district: Spanned<String>,
    #[serde(default)]
    reason: Option<String>,
}

/// `assessed(slug)` gives the registry index of a district assessed that year;
/// `year_dir` is the year folder on disk (award reasons may show its images).
pub fn load_year_meta(
    file: &Path,
    year_dir: &Path,
    text: &str,
    slug_index: impl Fn(&str) -> Option<usize>,
    assessed: impl Fn(usize) -> bool,
) -> Result<YearMeta, Problems> {
    let (raw, mut problems) = yaml::parse_recovering::<RawYearMeta>(file, text);
    problems.extend(super::text::check_yaml(file, text));
    let Some(raw) = raw else {
        return Err(problems);
    };

    let plenary = raw.plenary.map(|p| Plenary {
        date: p
            .date
            .and_then(|d| checked(file, &d, "plenary.date", check_date, &mut problems)),
        decree: p.decree,
    });
    if let Some(year) = &raw.assessed_in {
        let sane = i16::try_from(year.value).is_ok_and(|y| DATE_YEARS.contains(&y));
        if !sane {
            problems.push(
                Problem::new(
                    file,
                    format!(
                        "{} is not a year from {} to {}",
                        year.value,
                        DATE_YEARS.start(),
                        DATE_YEARS.end()
                    ),
                )
                .at_location(location_of(year))
                .field("assessed_in")
                .hint("write the year of the assessment, usually the year after the folder's"),
            );
        }
    }
    let awards = check_awards(
        file,
        year_dir,
        raw.awards,
        &slug_index,
        &assessed,
        &mut problems,
    );
    let corrections =
        check_corrections(file, year_dir, raw.corrections, &slug_index, &mut problems);
    let prevalence = raw.prevalence.map(|p| {
        let loc = location_of(&p);
        check_percent(&mut problems, file, loc, "prevalence.value", p.value.value);
        p.value
    });
    problems.into_result(YearMeta {
        assessed_in: raw.assessed_in.map(|y| y.value),
        plenary,
        prevalence,
        awards,
        corrections,
    })
}

/// The thematic awards: each to a district of the registry assessed that
/// year, its reason safe Markdown.
fn check_awards(
    file: &Path,
    year_dir: &Path,
    raw: Vec<RawAward>,
    slug_index: &impl Fn(&str) -> Option<usize>,
    assessed: &impl Fn(usize) -> bool,
    problems: &mut Problems,
) -> Vec<Award> {
    let mut awards = Vec::new();
    for (i, a) in raw.into_iter().enumerate() {
        if let Some(reason) = &a.reason {
            let field = format!("awards[{i}].reason");
            let year_rel = file.parent().unwrap_or(Path::new(""));
            let checked =
                super::district::check_markdown(file, year_dir, year_rel, reason, Some(&field));
            for p in checked {
                problems.push(p);
            }
        }
        let slug = &a.district.value;
        match slug_index(slug) {
            Some(d) if assessed(d) => awards.push(Award {
                title: a.title,
                district: super::DistrictId(d),
                reason: a.reason,
            }),
            Some(_) => problems.push(
                Problem::new(file, format!("`{slug}` was not assessed this year"))
                    .at_location(location_of(&a.district))
                    .field(format!("awards[{i}].district"))
                    .hint("an award goes to a district with a data file this year"),
            ),
            None => problems.push(
                Problem::new(file, format!("`{slug}` is not a district slug"))
                    .at_location(location_of(&a.district))
                    .field(format!("awards[{i}].district"))
                    .hint("use a slug from districts.yaml"),
            ),
        }
    }
    awards
}

/// The corrections of a published year: each dated, naming districts of
/// the registry, with a reason in safe Markdown.
fn check_corrections(
    file: &Path,
    year_dir: &Path,
    raw: Vec<RawCorrection>,
    slug_index: &impl Fn(&str) -> Option<usize>,
    problems: &mut Problems,
) -> Vec<Correction> {
    let mut corrections = Vec::new();
    for (i, c) in raw.into_iter().enumerate() {
        let field = format!("corrections[{i}].date");
        let date = checked(file, &c.date, field, check_date, problems);
        for slug in &c.districts {
            if slug_index(&slug.value).is_none() {
                problems.push(
                    Problem::new(file, format!("`{}` is not a district slug", slug.value))
                        .at_location(location_of(slug))
                        .field(format!("corrections[{i}].districts"))
                        .hint("use slugs from districts.yaml, or an empty list for a rubric or text fix"),
                );
            }
        }
        if c.reason.trim().is_empty() {
            problems.push(
                Problem::new(file, "a correction needs its reason")
                    .field(format!("corrections[{i}].reason"))
                    .hint("say in a sentence what was wrong and what was decided"),
            );
        }
        let field = format!("corrections[{i}].reason");
        let year_rel = file.parent().unwrap_or(Path::new(""));
        for p in super::district::check_markdown(file, year_dir, year_rel, &c.reason, Some(&field))
        {
            problems.push(p);
        }
        let Some(date) = date else { continue };
        corrections.push(Correction {
            date,
            districts: c.districts.into_iter().map(|s| s.value).collect(),
            reason: c.reason,
        });
    }
    corrections
}
