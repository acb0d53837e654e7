//! `<year>/districts/<slug>.yaml`: one district's assessment data, checked against the year's rubric.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::date::{check_date, check_due, checked, Due};
use super::rubric::{Indicator, IndicatorKind, Rubric};
use crate::error::{Problem, Problems};
use crate::yaml::{self, location_of, Spanned, UniqueMap};

/// One district's data for one year, checked against that year's rubric.
#[derive(Debug, Clone)]
pub struct DistrictYear {
    pub assessed_on: Option<jiff::civil::Date>,
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
    pub due: Option<Due>,
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
    let (raw, mut problems) = yaml::parse_recovering::<RawDistrictYear>(cx.file, text);
    problems.extend(super::text::check_yaml(cx.file, text));
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
    let assessed_on = raw
        .assessed_on
        .and_then(|d| checked(file, &d, "assessed_on", check_date, &mut problems));
    let answers = check_indicators(cx, &raw.indicators, &mut problems);
    let components = check_components(cx, raw.components.as_ref(), &mut problems);
    let prevalence = raw.prevalence.map(|p| {
        let loc = location_of(&p);
        check_percent(&mut problems, file, loc, "prevalence.value", p.value.value);
        p.value
    });
    let coverage = raw
        .coverage
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let field = format!("coverage[{i}].value");
            check_percent(&mut problems, file, location_of(&c), &field, c.value.value);
            c.value
        })
        .collect();
    let feedback = check_feedback(cx, raw.feedback, &mut problems);
    let innovations = check_innovations(cx, raw.innovations, &mut problems);
    let follow_up = check_follow_up(cx, raw.follow_up, &mut problems);
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

type Indicators = Spanned<UniqueMap<String, Spanned<RawValue>>>;

/// Indicators: every one of the rubric, each a valid score or grade, per
/// action in rubric order; no key the rubric does not have.
fn check_indicators(
    cx: &DistrictContext,
    given: &Indicators,
    problems: &mut Problems,
) -> Vec<Vec<Answer>> {
    let rubric = cx.rubric;
    let mut answers = Vec::with_capacity(rubric.actions.len());
    for action in &rubric.actions {
        let mut row = Vec::with_capacity(action.indicators.len());
        for ind in &action.indicators {
            let answer = match given.value.get(&ind.key) {
                Some(value) => check_answer(cx.file, ind, value, problems),
                None => {
                    problems.push(missing_indicator(cx.file, action.number, ind, given));
                    Answer::Score(0)
                }
            };
            row.push(answer);
        }
        answers.push(row);
    }
    for (key, value) in given.value.iter() {
        if !rubric.indicators().any(|i| &i.key == key) {
            problems.push(
                Problem::new(
                    cx.file,
                    format!("`{key}` is not an indicator of this year's rubric"),
                )
                .at_location(location_of(value))
                .field(format!("indicators.\"{key}\""))
                .hint("check the key against rubric.yaml, or remove it"),
            );
        }
    }
    answers
}

fn missing_indicator(file: &Path, action: u32, ind: &Indicator, given: &Indicators) -> Problem {
    Problem::new(
        file,
        format!("indicator `{}` of action {action} has no value", ind.key),
    )
    .at_location(location_of(given))
    .field(format!("indicators.\"{}\"", ind.key))
    .hint(match &ind.kind {
        IndicatorKind::Scored { max } => {
            format!("add \"{}\": a score from 0 to {max}", ind.key)
        }
        IndicatorKind::Graded { grades } => {
            format!("add \"{}\": one of {}", ind.key, grade_list(grades))
        }
    })
}

/// One indicator's value against its kind; a wrong one is a problem and
/// counts as the lowest answer.
fn check_answer(
    file: &Path,
    ind: &Indicator,
    value: &Spanned<RawValue>,
    problems: &mut Problems,
) -> Answer {
    let wrong = |message: String, hint: String| {
        Problem::new(file, message)
            .at_location(location_of(value))
            .field(format!("indicators.\"{}\"", ind.key))
            .hint(hint)
    };
    let (answer, problem) = match (&ind.kind, &value.value) {
        (IndicatorKind::Scored { max }, RawValue::Int(n)) if (0..=i64::from(*max)).contains(n) => {
            (Answer::Score(*n as u32), None)
        }
        (IndicatorKind::Scored { max }, RawValue::Int(n)) if *n > i64::from(*max) => (
            Answer::Score(0),
            Some(wrong(
                format!("score {n} is above the maximum {max}"),
                format!("use a whole number from 0 to {max}"),
            )),
        ),
        (IndicatorKind::Scored { max }, other) => (
            Answer::Score(0),
            Some(wrong(
                format!("{} is not a score", describe(other)),
                format!("use a whole number from 0 to {max}"),
            )),
        ),
        (IndicatorKind::Graded { grades }, other) => {
            let lowest = Answer::Grade(grades.len().saturating_sub(1));
            match other {
                RawValue::Text(letter) => match grades.iter().position(|g| &g.grade == letter) {
                    Some(i) => (Answer::Grade(i), None),
                    None => (
                        lowest,
                        Some(wrong(
                            format!("`{letter}` is not a grade of this indicator"),
                            format!("use one of {}", grade_list(grades)),
                        )),
                    ),
                },
                other => (
                    lowest,
                    Some(wrong(
                        format!("{} is not a grade", describe(other)),
                        format!(
                            "this indicator is graded: use one of {}",
                            grade_list(grades)
                        ),
                    )),
                ),
            }
        }
    };
    if let Some(p) = problem {
        problems.push(p);
    }
    answer
}

type Components = Spanned<UniqueMap<String, Spanned<f64>>>;

/// Components scored directly: every one, 0..100; the computed one must not
/// be given, nor one the rubric does not have.
fn check_components(
    cx: &DistrictContext,
    raw: Option<&Components>,
    problems: &mut Problems,
) -> Vec<Option<f64>> {
    let (file, rubric) = (cx.file, cx.rubric);
    let at = |v: &Spanned<f64>, key: &str, message: String| {
        Problem::new(file, message)
            .at_location(location_of(v))
            .field(format!("components.{key}"))
    };
    let mut components = vec![None; rubric.components.len()];
    let given = raw.map(|c| &c.value);
    for (i, c) in rubric.components.iter().enumerate() {
        match given.and_then(|m| m.get(&c.key)) {
            Some(v) if i == rubric.document => problems.push(
                at(
                    v,
                    &c.key,
                    format!("`{}` is computed from the actions", c.key),
                )
                .hint("remove it; it is the weighted action scores"),
            ),
            None if i == rubric.document => {}
            Some(v) if v.value.is_finite() && (0.0..=100.0).contains(&v.value) => {
                components[i] = Some(v.value)
            }
            Some(v) => problems.push(
                at(
                    v,
                    &c.key,
                    format!("{} is not a score from 0 to 100", v.value),
                )
                .hint("component scores run from 0 to 100"),
            ),
            None => problems.push(
                Problem::new(
                    file,
                    format!("component `{}` ({}) has no score", c.key, c.name),
                )
                .at_location(raw.and_then(location_of))
                .field(format!("components.{}", c.key))
                .hint(format!("add `{}: <0..100>` under `components:`", c.key)),
            ),
        }
    }
    for (key, v) in given.into_iter().flat_map(|m| m.iter()) {
        if rubric.component_index(key).is_none() {
            let scored: Vec<&str> = rubric
                .components
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != rubric.document)
                .map(|(_, c)| c.key.as_str())
                .collect();
            problems.push(
                at(
                    v,
                    key,
                    format!("`{key}` is not a component of this year's rubric"),
                )
                .hint(format!("components scored directly: {}", scored.join(", "))),
            );
        }
    }
    components
}

/// Feedback per action, in rubric order; a number that is no action is a problem.
fn check_feedback(
    cx: &DistrictContext,
    raw: UniqueMap<Spanned<u32>, Feedback>,
    problems: &mut Problems,
) -> Vec<Feedback> {
    let mut feedback = vec![Feedback::default(); cx.rubric.actions.len()];
    for (key, f) in raw {
        let number = key.value;
        match cx.rubric.action_index(number) {
            Some(i) => feedback[i] = f,
            None => problems.push(not_an_action(
                cx.file,
                location_of(&key),
                format!("feedback.{number}"),
                number,
                cx.rubric,
            )),
        }
    }
    feedback
}

/// Innovations: their actions in the rubric, their image in `media/`, their
/// summary safe Markdown.
fn check_innovations(
    cx: &DistrictContext,
    raw: Vec<RawInnovation>,
    problems: &mut Problems,
) -> Vec<Innovation> {
    let mut innovations = Vec::new();
    for (i, inn) in raw.into_iter().enumerate() {
        for (j, n) in inn.actions.iter().enumerate() {
            if cx.rubric.action_index(n.value).is_none() {
                problems.push(not_an_action(
                    cx.file,
                    location_of(n),
                    format!("innovations[{i}].actions[{j}]"),
                    n.value,
                    cx.rubric,
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
        for p in check_markdown(
            cx.file,
            cx.year_dir,
            cx.year_rel,
            &inn.summary,
            Some(&field),
        ) {
            problems.push(p);
        }
        innovations.push(Innovation {
            title: inn.title.value,
            actions: inn.actions.into_iter().map(|n| n.value).collect(),
            summary: inn.summary,
            image: inn.image.map(|s| s.value),
        });
    }
    innovations
}

/// Follow-up plans: each for an action of the rubric, due in a month or on a day of the calendar.
fn check_follow_up(
    cx: &DistrictContext,
    raw: Vec<RawFollowUp>,
    problems: &mut Problems,
) -> Vec<FollowUp> {
    let mut follow_up = Vec::new();
    for (i, f) in raw.into_iter().enumerate() {
        if cx.rubric.action_index(f.action.value).is_none() {
            problems.push(not_an_action(
                cx.file,
                location_of(&f.action),
                format!("follow_up[{i}].action"),
                f.action.value,
                cx.rubric,
            ));
        }
        let due = f.due.and_then(|due| {
            let field = format!("follow_up[{i}].due");
            checked(cx.file, &due, field, check_due, problems)
        });
        follow_up.push(FollowUp {
            action: f.action.value,
            plan: f.plan,
            due,
            status: f.status,
        });
    }
    follow_up
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

/// A problem at `loc` unless `value` is a percentage (0 to 100).
pub(super) fn check_percent(
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
