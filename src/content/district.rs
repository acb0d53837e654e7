//! `<year>/districts/<slug>.yaml`: one district's assessment data, checked against the year's rubric.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::rubric::{IndicatorKind, Rubric};
use crate::error::{Problem, Problems};
use crate::yaml::{self, location_of, Spanned, UniqueMap};

/// One district's data for one year, checked against that year's rubric.
#[derive(Debug, Clone)]
pub struct DistrictYear {
    pub assessed_on: Option<String>,
    /// Per action, per indicator, in rubric order.
    pub answers: Vec<Vec<Answer>>,
    /// Per rubric component; `None` for the one computed from the actions.
    pub components: Vec<Option<f64>>,
    pub prevalence: Option<Prevalence>,
    pub coverage: Vec<Coverage>,
    pub budget: Option<Budget>,
    /// Per action, in rubric order.
    pub feedback: Vec<Feedback>,
    pub innovations: Vec<Innovation>,
    pub follow_up: Vec<FollowUp>,
    /// Markdown source of `<slug>.md`.
    pub narrative: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answer {
    Score(u32),
    /// Index into the indicator's grades.
    Grade(usize),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prevalence {
    pub value: f64,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CoverageKind {
    Spesifik,
    Sensitif,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    pub name: String,
    pub value: f64,
    #[serde(default)]
    pub kind: Option<CoverageKind>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub amount: u64,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    #[serde(default)]
    pub strengths: Vec<String>,
    #[serde(default)]
    pub improvements: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Innovation {
    pub title: String,
    pub actions: Vec<u32>,
    /// Markdown.
    pub summary: String,
    /// Relative to the year folder, checked to exist.
    pub image: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Dropped => "dropped",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FollowUp {
    pub action: u32,
    pub plan: String,
    pub due: Option<String>,
    pub status: Status,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistrictYear {
    #[serde(default)]
    assessed_on: Option<Spanned<String>>,
    indicators: Spanned<UniqueMap<String, Spanned<RawValue>>>,
    #[serde(default)]
    components: Option<Spanned<UniqueMap<String, Spanned<f64>>>>,
    #[serde(default)]
    prevalence: Option<Spanned<Prevalence>>,
    #[serde(default)]
    coverage: Vec<Spanned<Coverage>>,
    #[serde(default)]
    budget: Option<Budget>,
    #[serde(default)]
    feedback: UniqueMap<Spanned<u32>, Feedback>,
    #[serde(default)]
    innovations: Vec<RawInnovation>,
    #[serde(default)]
    follow_up: Vec<RawFollowUp>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInnovation {
    title: Spanned<String>,
    #[serde(default)]
    actions: Vec<Spanned<u32>>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    image: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFollowUp {
    action: Spanned<u32>,
    plan: String,
    #[serde(default)]
    due: Option<Spanned<String>>,
    status: Status,
}

/// An indicator's value as written: a number or a grade letter. Deserialized
/// by hand (not `untagged`) so `Spanned` keeps its position.
#[derive(Debug, Clone)]
enum RawValue {
    Int(i64),
    Float(f64),
    Text(String),
    Other(String),
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a score or a grade letter")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawValue, E> {
                Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Int))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawValue, E> {
                Ok(RawValue::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawValue, E> {
                Ok(RawValue::Other(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawValue, E> {
                Ok(RawValue::Other("nothing".to_string()))
            }
            // Lists and mappings are read to their end (a parser expects
            // that), then reported as the wrong kind of value.
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(RawValue::Other("a list".to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(RawValue::Other("a mapping".to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// What a check of a district file needs to know beyond the file itself.
pub struct DistrictContext<'a> {
    pub file: &'a Path,
    pub rubric: &'a Rubric,
    /// The year folder on disk, to check that images exist.
    pub year_dir: &'a Path,
    /// The year folder relative to the root, for messages.
    pub year_rel: &'a Path,
}

pub fn load_district_year(cx: &DistrictContext, text: &str) -> Result<DistrictYear, Problems> {
    // Most files are right: check them after the fast parse, and parse again
    // with positions only to report what is wrong.
    let text_problems = super::text::check_yaml(cx.file, text);
    if text_problems.is_empty() {
        if let Some(raw) = yaml::parse_fast::<RawDistrictYear>(text) {
            if let Ok(district) = check_district_year(cx, raw, Problems::default()) {
                return Ok(district);
            }
        }
    }
    let (raw, mut problems) = yaml::parse_recovering::<RawDistrictYear>(cx.file, text);
    problems.extend(text_problems);
    let Some(raw) = raw else {
        return Err(problems);
    };
    check_district_year(cx, raw, problems)
}

/// Every check of a parsed district file; `problems` holds those found while parsing.
fn check_district_year(
    cx: &DistrictContext,
    raw: RawDistrictYear,
    mut problems: Problems,
) -> Result<DistrictYear, Problems> {
    let file = cx.file;
    let rubric = cx.rubric;

    let at =
        |loc, field: String, msg: String| Problem::new(file, msg).at_location(loc).field(field);

    let assessed_on = raw.assessed_on.map(|d| {
        if let Err((message, hint)) = check_date(&d.value) {
            problems.push(at(location_of(&d), "assessed_on".into(), message).hint(hint));
        }
        d.value
    });

    // Indicators: every one of the rubric, each a valid score or grade.
    let given = &raw.indicators.value;
    let mut answers = Vec::with_capacity(rubric.actions.len());
    for action in &rubric.actions {
        let mut row = Vec::with_capacity(action.indicators.len());
        for ind in &action.indicators {
            let field = format!("indicators.\"{}\"", ind.key);
            let Some(value) = given.get(&ind.key) else {
                problems.push(
                    Problem::new(
                        file,
                        format!(
                            "indicator `{}` of action {} has no value",
                            ind.key, action.number
                        ),
                    )
                    .at_location(location_of(&raw.indicators))
                    .field(field)
                    .hint(match &ind.kind {
                        IndicatorKind::Scored { max } => {
                            format!("add \"{}\": a score from 0 to {max}", ind.key)
                        }
                        IndicatorKind::Graded { grades } => {
                            format!("add \"{}\": one of {}", ind.key, grade_list(grades))
                        }
                    }),
                );
                row.push(Answer::Score(0));
                continue;
            };
            let loc = location_of(value);
            let answer = match (&ind.kind, &value.value) {
                (IndicatorKind::Scored { max }, RawValue::Int(n))
                    if (0..=i64::from(*max)).contains(n) =>
                {
                    Answer::Score(*n as u32)
                }
                (IndicatorKind::Scored { max }, RawValue::Int(n)) if *n > i64::from(*max) => {
                    problems.push(
                        at(loc, field, format!("score {n} is above the maximum {max}"))
                            .hint(format!("use a whole number from 0 to {max}")),
                    );
                    Answer::Score(0)
                }
                (IndicatorKind::Scored { max }, other) => {
                    problems.push(
                        at(loc, field, format!("{} is not a score", describe(other)))
                            .hint(format!("use a whole number from 0 to {max}")),
                    );
                    Answer::Score(0)
                }
                (IndicatorKind::Graded { grades }, RawValue::Text(letter)) => {
                    match grades.iter().position(|g| &g.grade == letter) {
                        Some(i) => Answer::Grade(i),
                        None => {
                            problems.push(
                                at(
                                    loc,
                                    field,
                                    format!("`{letter}` is not a grade of this indicator"),
                                )
                                .hint(format!("use one of {}", grade_list(grades))),
                            );
                            Answer::Grade(grades.len().saturating_sub(1))
                        }
                    }
                }
                (IndicatorKind::Graded { grades }, other) => {
                    problems.push(
                        at(loc, field, format!("{} is not a grade", describe(other))).hint(
                            format!(
                                "this indicator is graded: use one of {}",
                                grade_list(grades)
                            ),
                        ),
                    );
                    Answer::Grade(grades.len().saturating_sub(1))
                }
            };
            row.push(answer);
        }
        answers.push(row);
    }
    for (key, value) in given.iter() {
        if !rubric.indicators().any(|i| &i.key == key) {
            problems.push(
                at(
                    location_of(value),
                    format!("indicators.\"{key}\""),
                    format!("`{key}` is not an indicator of this year's rubric"),
                )
                .hint("check the key against rubric.yaml, or remove it"),
            );
        }
    }

    // Components scored directly: every one, 0..100; the computed one must not be given.
    let mut components = vec![None; rubric.components.len()];
    let given_components = raw.components.as_ref().map(|c| &c.value);
    let components_loc = raw.components.as_ref().and_then(location_of);
    for (i, c) in rubric.components.iter().enumerate() {
        if i == rubric.document {
            if let Some(v) = given_components.and_then(|m| m.get(&c.key)) {
                problems.push(
                    at(
                        location_of(v),
                        format!("components.{}", c.key),
                        format!("`{}` is computed from the actions", c.key),
                    )
                    .hint("remove it; it is the weighted action scores"),
                );
            }
            continue;
        }
        match given_components.and_then(|m| m.get(&c.key)) {
            Some(v) if v.value.is_finite() && (0.0..=100.0).contains(&v.value) => {
                components[i] = Some(v.value)
            }
            Some(v) => problems.push(
                at(
                    location_of(v),
                    format!("components.{}", c.key),
                    format!("{} is not a score from 0 to 100", v.value),
                )
                .hint("component scores run from 0 to 100"),
            ),
            None => problems.push(
                Problem::new(
                    file,
                    format!("component `{}` ({}) has no score", c.key, c.name),
                )
                .at_location(components_loc)
                .field(format!("components.{}", c.key))
                .hint(format!("add `{}: <0..100>` under `components:`", c.key)),
            ),
        }
    }
    if let Some(given_components) = given_components {
        for (key, v) in given_components.iter() {
            if rubric.component_index(key).is_none() {
                problems.push(
                    at(
                        location_of(v),
                        format!("components.{key}"),
                        format!("`{key}` is not a component of this year's rubric"),
                    )
                    .hint(format!(
                        "components scored directly: {}",
                        rubric
                            .components
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| *i != rubric.document)
                            .map(|(_, c)| c.key.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
            }
        }
    }

    let prevalence = raw.prevalence.map(|p| {
        check_percent(
            &mut problems,
            file,
            location_of(&p),
            "prevalence.value",
            p.value.value,
        );
        p.value
    });
    let coverage = raw
        .coverage
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            check_percent(
                &mut problems,
                file,
                location_of(&c),
                &format!("coverage[{i}].value"),
                c.value.value,
            );
            c.value
        })
        .collect();

    let mut feedback = vec![Feedback::default(); rubric.actions.len()];
    for (key, f) in raw.feedback {
        let number = key.value;
        match rubric.action_index(number) {
            Some(i) => feedback[i] = f,
            None => problems.push(not_an_action(
                file,
                location_of(&key),
                format!("feedback.{number}"),
                number,
                rubric,
            )),
        }
    }

    let mut innovations = Vec::new();
    for (i, inn) in raw.innovations.into_iter().enumerate() {
        for (j, n) in inn.actions.iter().enumerate() {
            if rubric.action_index(n.value).is_none() {
                problems.push(not_an_action(
                    file,
                    location_of(n),
                    format!("innovations[{i}].actions[{j}]"),
                    n.value,
                    rubric,
                ));
            }
        }
        if let Some(image) = &inn.image {
            if let Err(p) = check_media_path(cx, &image.value) {
                problems.push(
                    p.at_location(location_of(image))
                        .field(format!("innovations[{i}].image")),
                );
            }
        }
        let field = format!("innovations[{i}].summary");
        for p in check_markdown(file, cx.year_dir, cx.year_rel, &inn.summary, Some(&field)) {
            problems.push(p);
        }
        innovations.push(Innovation {
            title: inn.title.value,
            actions: inn.actions.into_iter().map(|n| n.value).collect(),
            summary: inn.summary,
            image: inn.image.map(|s| s.value),
        });
    }

    let mut follow_up = Vec::new();
    for (i, f) in raw.follow_up.into_iter().enumerate() {
        if rubric.action_index(f.action.value).is_none() {
            problems.push(not_an_action(
                file,
                location_of(&f.action),
                format!("follow_up[{i}].action"),
                f.action.value,
                rubric,
            ));
        }
        if let Some(due) = &f.due {
            // A month, or a day when the plan names one.
            let checked = match due.value.len() {
                7 => check_month(&due.value).map(|_| ()),
                10 => check_date(&due.value).map(|_| ()),
                _ => Err((
                    format!("`{}` is not a month or date", due.value),
                    "write it as YYYY-MM, e.g. 2024-12".to_string(),
                )),
            };
            if let Err((message, hint)) = checked {
                problems
                    .push(at(location_of(due), format!("follow_up[{i}].due"), message).hint(hint));
            }
        }
        follow_up.push(FollowUp {
            action: f.action.value,
            plan: f.plan,
            due: f.due.map(|d| d.value),
            status: f.status,
        });
    }

    let district = DistrictYear {
        assessed_on,
        answers,
        components,
        prevalence,
        coverage,
        budget: raw.budget,
        feedback,
        innovations,
        follow_up,
        narrative: None,
    };
    problems.into_result(district)
}

fn not_an_action(
    file: &Path,
    loc: Option<yaml::Location>,
    field: String,
    number: u32,
    rubric: &Rubric,
) -> Problem {
    Problem::new(
        file,
        format!("action {number} is not in this year's rubric"),
    )
    .at_location(loc)
    .field(field)
    .hint(format!(
        "actions assessed this year: {}",
        rubric
            .actions
            .iter()
            .map(|a| a.number.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn check_percent(
    problems: &mut Problems,
    file: &Path,
    loc: Option<yaml::Location>,
    field: &str,
    value: f64,
) {
    if !value.is_finite() || !(0.0..=100.0).contains(&value) {
        problems.push(
            Problem::new(file, format!("{value} is not a percentage"))
                .at_location(loc)
                .field(field)
                .hint("write a number from 0 to 100"),
        );
    }
}

/// A media path must stay inside the year folder and exist.
pub fn check_media_path(cx: &DistrictContext, path: &str) -> Result<(), Problem> {
    check_image(cx.file, cx.year_dir, cx.year_rel, path)
}

/// An image path written in `file` must name a file under the year's
/// `media/` folder (a plain path: no `..`, no hidden part) that exists.
pub fn check_image(
    file: &Path,
    year_dir: &Path,
    year_rel: &Path,
    path: &str,
) -> Result<(), Problem> {
    let media = year_rel.join("media").to_string_lossy().replace('\\', "/");
    let rel = Path::new(path);
    if !crate::paths::is_safe_relative(path) {
        return Err(Problem::new(
            file,
            format!("image `{path}` points outside the year folder"),
        )
        .hint(format!(
            "copy the image into {media}/ and write media/<file name>"
        )));
    }
    if !crate::markdown::in_media(path) {
        if path.split('/').any(|p| p.starts_with('.') && p != ".") {
            return Err(Problem::new(
                file,
                format!("image `{path}` is a hidden file, which is not published"),
            )
            .hint("rename it without the leading dot"));
        }
        return Err(Problem::new(
            file,
            format!("image `{path}` is not in the year's media/ folder"),
        )
        .hint(format!(
            "images are files in {media}/: move it there and write media/<file name>"
        )));
    }
    if !year_dir.join(rel).is_file() {
        return Err(
            Problem::new(file, format!("image `{path}` does not exist")).hint(format!(
                "images are relative to the year folder: put it at {}",
                year_rel.join(rel).to_string_lossy().replace('\\', "/")
            )),
        );
    }
    Ok(())
}

/// Checks Markdown written in `file` (a narrative, or the YAML field
/// `field`): it nests at most [`crate::markdown::MAX_NESTING`] levels, and
/// every image, Markdown or raw HTML, is a file under the year's `media/`.
/// Positions are given for a whole Markdown file; a field gets its name.
pub fn check_markdown(
    file: &Path,
    year_dir: &Path,
    year_rel: &Path,
    source: &str,
    field: Option<&str>,
) -> Vec<Problem> {
    use crate::markdown::{ImageSource, MAX_NESTING};
    let media = year_rel.join("media").to_string_lossy().replace('\\', "/");
    let place = |p: Problem, line: u64, column: u64| match field {
        Some(f) => p.field(f),
        None => p.at(line, column),
    };
    let scan = crate::markdown::scan(source);
    let mut problems = Vec::new();
    if let Some(deep) = scan.too_deep {
        problems.push(place(
            Problem::new(
                file,
                format!(
                    "lists, quotes or HTML elements are nested {} levels deep here, more than {MAX_NESTING}",
                    deep.depth
                ),
            )
            .hint(format!(
                "flatten the text: at most {MAX_NESTING} lists, quotes or HTML elements inside one another"
            )),
            deep.line,
            deep.column,
        ));
    }
    for (url, line, column) in scan.images {
        let problem = match crate::markdown::image_source(&url) {
            ImageSource::Path(path) => check_image(file, year_dir, year_rel, &path).err(),
            ImageSource::OtherHost => Some(
                Problem::new(file, format!("image `{url}` is on another host"))
                    .hint(format!(
                        "a page loads nothing from elsewhere: copy the image into {media}/ and write media/<file name>"
                    )),
            ),
            ImageSource::Data => Some(
                Problem::new(file, "image is written into the text as a data: URL").hint(
                    format!("save it as a file in {media}/ and write media/<file name>"),
                ),
            ),
            ImageSource::SiteAddress => Some(
                Problem::new(file, format!("image `{url}` is an address, not a file of this year"))
                    .hint(format!(
                        "images are files in {media}/: write the path from the year folder, media/<file name>"
                    )),
            ),
        };
        if let Some(p) = problem {
            problems.push(place(p, line, column));
        }
    }
    problems
}

fn grade_list(grades: &[super::rubric::Grade]) -> String {
    grades
        .iter()
        .map(|g| g.grade.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe(value: &RawValue) -> String {
    match value {
        RawValue::Int(n) => format!("{n}"),
        RawValue::Float(f) => format!("{f}"),
        RawValue::Text(s) => format!("`{s}`"),
        RawValue::Other(s) => s.clone(),
    }
}

/// Years a date in content may fall in. Assessments began in the 2010s and
/// plans look a few years ahead: anything outside is a typo (`0000-01-01`,
/// `2204-05-16`) that a page would otherwise print as if it were real.
pub const DATE_YEARS: std::ops::RangeInclusive<i16> = 1900..=2200;

/// What is wrong with a date or month as written: the message and the hint.
pub type DateProblem = (String, String);

/// A day of the calendar written `YYYY-MM-DD`, in [`DATE_YEARS`].
pub fn check_date(s: &str) -> Result<jiff::civil::Date, DateProblem> {
    let shape = || {
        (
            format!("`{s}` is not a date"),
            "write it as YYYY-MM-DD, e.g. 2024-05-16".to_string(),
        )
    };
    if !matches!(s.as_bytes(), [_, _, _, _, b'-', _, _, b'-', _, _]) {
        return Err(shape());
    }
    let (year, month) = year_month(s, shape)?;
    let day = two_digits(&s[8..]).ok_or_else(shape)?;
    jiff::civil::Date::new(year, month, day).map_err(|_| {
        let days = jiff::civil::Date::new(year, month, 1).map_or(31, |d| d.days_in_month());
        (
            format!(
                "`{s}` is not a day of the calendar: {} {year} has {days} days",
                crate::format::MONTHS_EN[usize::from(month.unsigned_abs()) - 1]
            ),
            "check the day and the month".to_string(),
        )
    })
}

/// A month written `YYYY-MM`, in [`DATE_YEARS`]: the year and the month.
pub fn check_month(s: &str) -> Result<(i16, i8), DateProblem> {
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

/// The year and month at the start of `s` (`YYYY-MM...`, its shape checked),
/// in range; `shape` is the problem for digits that are not digits.
fn year_month(s: &str, shape: impl Fn() -> DateProblem) -> Result<(i16, i8), DateProblem> {
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
    if !(1..=12).contains(&month) {
        return Err((
            format!("`{s}` has no month {month:02}"),
            "months run from 01 to 12".to_string(),
        ));
    }
    Ok((year, month))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(check_date("2024-05-16").is_ok());
        assert!(check_date("2024-02-29").is_ok());
        assert!(check_date("1900-01-01").is_ok() && check_date("2200-12-31").is_ok());
        assert_eq!(check_month("2024-12"), Ok((2024, 12)));
        for bad in [
            "2024-13-01",
            "2024-5-16",
            "16-05-2024",
            "2024-05-32",
            "2023-02-29",
            "2023-02-30",
            "2024-04-31",
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
        assert_eq!(
            check_date("2023-02-30").unwrap_err().0,
            "`2023-02-30` is not a day of the calendar: February 2023 has 28 days"
        );
        assert_eq!(
            check_date("2024-13-01").unwrap_err().0,
            "`2024-13-01` has no month 13"
        );
        assert_eq!(
            check_date("0000-01-01").unwrap_err().0,
            "`0000-01-01` is not in the years 1900 to 2200"
        );
        assert_eq!(
            check_date("16-05-2024").unwrap_err().0,
            "`16-05-2024` is not a date"
        );
    }
}
