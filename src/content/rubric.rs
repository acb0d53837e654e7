//! `<year>/rubric.yaml`: the scoring rubric of one year, checked for consistency.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Problem, Problems};
use crate::yaml::{self, location_of, Spanned};

/// A rubric, checked: weights sum to 100, keys are unique, one component
/// comes from the actions, every action has points to score.
#[derive(Debug, Clone)]
pub struct Rubric {
    pub title: String,
    pub components: Vec<Component>,
    /// Index of the component computed from the action scores.
    pub document: usize,
    pub actions: Vec<Action>,
    pub categories: Vec<Category>,
    /// Component indices, in tie-break order.
    pub tie_break: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Component {
    pub key: String,
    pub name: String,
    pub weight: f64,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub number: u32,
    pub name: String,
    pub weight: f64,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub key: String,
    pub text: String,
    pub kind: IndicatorKind,
}

#[derive(Debug, Clone)]
pub enum IndicatorKind {
    /// The district gives an integer 0..=max.
    Scored { max: u32 },
    /// The district gives a grade letter; best grade first.
    Graded { grades: Vec<Grade> },
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub grade: String,
    pub value: f64,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub min: f64,
    pub label: String,
    /// The rubric's `color:` for it; `None`: the default palette's, by place.
    pub color: Option<[u8; 3]>,
}

impl Indicator {
    /// The points a district can reach on this indicator.
    pub fn max_points(&self) -> f64 {
        match &self.kind {
            IndicatorKind::Scored { max } => f64::from(*max),
            IndicatorKind::Graded { grades } => grades.first().map_or(0.0, |g| g.value),
        }
    }
}

impl Rubric {
    pub fn action_index(&self, number: u32) -> Option<usize> {
        self.actions.iter().position(|a| a.number == number)
    }

    pub fn component_index(&self, key: &str) -> Option<usize> {
        self.components.iter().position(|c| c.key == key)
    }

    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.actions.iter().flat_map(|a| a.indicators.iter())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRubric {
    title: String,
    components: Spanned<Vec<RawComponent>>,
    actions: Spanned<Vec<RawAction>>,
    categories: Spanned<Vec<RawCategory>>,
    #[serde(default)]
    tie_break: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComponent {
    key: Spanned<String>,
    name: String,
    weight: Spanned<f64>,
    #[serde(default)]
    from: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    number: Spanned<u32>,
    name: String,
    weight: Spanned<f64>,
    indicators: Vec<RawIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    key: Spanned<String>,
    text: String,
    #[serde(default)]
    max: Option<Spanned<u32>>,
    #[serde(default)]
    grades: Option<Vec<RawGrade>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrade {
    grade: Spanned<String>,
    value: Spanned<f64>,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    min: Spanned<f64>,
    label: String,
    /// "#RRGGBB"; without it the category takes the default palette's
    /// colour for its place (best first).
    #[serde(default)]
    color: Option<Spanned<String>>,
}

/// "#0072B2" as red, green, blue.
fn parse_color(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Points per indicator beyond this are a typo, and would overflow sums.
const MAX_POINTS: f64 = 1_000_000.0;

/// Weights are written by people with decimals; a sum within this of 100 is 100.
const WEIGHT_TOLERANCE: f64 = 1e-6;

pub fn load_rubric(file: &Path, text: &str) -> Result<Rubric, Problems> {
    match check_rubric(file, text) {
        (Some(rubric), problems) => problems.into_result(rubric),
        (None, problems) => Err(problems),
    }
}

/// The rubric and every problem in it. The rubric is given, problems or not,
/// whenever what district files must hold is clear from it (components, the
/// one from the actions, action numbers, indicators with their `max` or
/// grades), so a problem elsewhere (a weight, a category, `tie_break`) does
/// not hide the problems of that year's district files.
pub fn check_rubric(file: &Path, text: &str) -> (Option<Rubric>, Problems) {
    let (raw, problems) = yaml::parse_recovering::<RawRubric>(file, text);
    let mut f = Findings {
        file,
        problems,
        unclear: false,
    };
    f.problems.extend(super::text::check_yaml(file, text));
    let Some(raw) = raw else {
        return (None, f.problems);
    };
    let (components, document) = check_components(&mut f, &raw.components);
    let actions = check_actions(&mut f, &raw.actions);
    let categories = check_categories(&mut f, &raw.categories);
    let tie_break = check_tie_break(&mut f, &raw.tie_break, &components);
    let rubric = Rubric {
        title: raw.title,
        components,
        document,
        actions,
        categories,
        tie_break,
    };
    ((!f.unclear).then_some(rubric), f.problems.sorted())
}

/// What the checks of a rubric found: its problems, and whether one of them
/// leaves unclear what a district file must hold.
struct Findings<'a> {
    file: &'a Path,
    problems: Problems,
    unclear: bool,
}

impl Findings<'_> {
    fn at<T>(&self, message: String, spanned: &Spanned<T>) -> Problem {
        Problem::new(self.file, message).at_location(location_of(spanned))
    }

    fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// A problem that leaves unclear what a district file must hold.
    fn push_unclear(&mut self, problem: Problem) {
        self.unclear = true;
        self.problems.push(problem);
    }
}

/// The components, with their keys unique and weights summing to 100, and
/// the index of the one computed from the actions (exactly one).
fn check_components(f: &mut Findings, raw: &Spanned<Vec<RawComponent>>) -> (Vec<Component>, usize) {
    let mut components = Vec::new();
    let mut document = Vec::new();
    let mut keys = HashSet::new();
    for (i, c) in raw.value.iter().enumerate() {
        let field = format!("components[{i}]");
        if c.key.value.trim().is_empty() {
            f.push_unclear(f.at("component key is empty".into(), &c.key).field(&field));
        }
        if !keys.insert(c.key.value.clone()) {
            let message = format!("component key `{}` is used twice", c.key.value);
            f.push_unclear(
                f.at(message, &c.key)
                    .field(&field)
                    .hint("each component needs its own key"),
            );
        }
        check_weight(
            &mut f.problems,
            f.file,
            &c.weight,
            &format!("{field}.weight"),
        );
        match &c.from {
            Some(from) if from.value == "actions" => document.push(i),
            Some(from) => f.push_unclear(
                f.at(format!("unknown source `{}`", from.value), from)
                    .field(format!("{field}.from"))
                    .hint("the only source is `actions`; leave `from` out for a component scored directly"),
            ),
            None => {}
        }
        components.push(Component {
            key: c.key.value.clone(),
            name: c.name.clone(),
            weight: c.weight.value,
        });
    }
    if components.is_empty() {
        f.push_unclear(
            f.at("no component".into(), raw)
                .field("components")
                .hint("add at least the one with `from: actions`"),
        );
    } else {
        let weights = components.iter().map(|c| c.weight);
        check_sum(&mut f.problems, f.file, raw, "components", weights);
        if document.len() != 1 {
            let message = format!("{} components have `from: actions`", document.len());
            f.push_unclear(
                f.at(message, raw)
                    .field("components")
                    .hint("exactly one component is computed from the actions"),
            );
        }
    }
    (components, document.first().copied().unwrap_or(0))
}

/// The actions, with their numbers and indicator keys unique, each with
/// points to score, and weights summing to 100.
fn check_actions(f: &mut Findings, raw: &Spanned<Vec<RawAction>>) -> Vec<Action> {
    let mut actions = Vec::new();
    let mut numbers = HashSet::new();
    let mut indicator_keys = HashSet::new();
    for (i, a) in raw.value.iter().enumerate() {
        let field = format!("actions[{i}]");
        if !numbers.insert(a.number.value) {
            let message = format!("action number {} is used twice", a.number.value);
            f.push_unclear(
                f.at(message, &a.number)
                    .field(format!("{field}.number"))
                    .hint("each action needs its own number"),
            );
        }
        check_weight(
            &mut f.problems,
            f.file,
            &a.weight,
            &format!("{field}.weight"),
        );
        let indicators: Vec<Indicator> = a
            .indicators
            .iter()
            .enumerate()
            .map(|(j, ind)| {
                let field = format!("{field}.indicators[{j}]");
                check_indicator(f, ind, &field, &mut indicator_keys)
            })
            .collect();
        if indicators.iter().map(Indicator::max_points).sum::<f64>() <= 0.0 {
            let message = format!("action {} has no points to score", a.number.value);
            f.push(
                f.at(message, &a.number)
                    .field(format!("{field}.indicators"))
                    .hint("give it at least one indicator with a maximum above 0"),
            );
        }
        actions.push(Action {
            number: a.number.value,
            name: a.name.clone(),
            weight: a.weight.value,
            indicators,
        });
    }
    if actions.is_empty() {
        f.push_unclear(
            f.at("no action".into(), raw)
                .field("actions")
                .hint("list the actions assessed this year"),
        );
    } else {
        let weights = actions.iter().map(|a| a.weight);
        check_sum(&mut f.problems, f.file, raw, "actions", weights);
    }
    actions
}

/// One indicator at `field`: its key non-empty and not in `keys` yet, and
/// either a `max` above 0 or a list of grades.
fn check_indicator(
    f: &mut Findings,
    ind: &RawIndicator,
    field: &str,
    keys: &mut HashSet<String>,
) -> Indicator {
    let key = &ind.key.value;
    if key.trim().is_empty() {
        f.push_unclear(f.at("indicator key is empty".into(), &ind.key).field(field));
    }
    if !keys.insert(key.clone()) {
        f.push_unclear(
            f.at(format!("indicator key `{key}` is used twice"), &ind.key)
                .field(format!("{field}.key"))
                .hint("each indicator needs its own key, e.g. \"2.3\""),
        );
    }
    let kind = match (&ind.max, &ind.grades) {
        (Some(max), None) => {
            if max.value == 0 {
                f.push_unclear(
                    f.at("`max` is 0".into(), max)
                        .field(format!("{field}.max"))
                        .hint("a scored indicator needs a maximum of at least 1"),
                );
            }
            IndicatorKind::Scored { max: max.value }
        }
        (None, Some(grades)) => {
            let grades = check_grades(&mut f.problems, f.file, grades, field, &ind.key);
            // Only the letters matter to district files, not their values.
            let mut letters = HashSet::new();
            f.unclear |= grades.is_empty()
                || !grades
                    .iter()
                    .all(|g| !g.grade.trim().is_empty() && letters.insert(&g.grade));
            IndicatorKind::Graded { grades }
        }
        (Some(_), Some(_)) => {
            f.push_unclear(
                f.at(
                    format!("indicator `{key}` has both `max` and `grades`"),
                    &ind.key,
                )
                .field(field)
                .hint("keep `max` for a score 0..max, or `grades` for grade letters"),
            );
            IndicatorKind::Scored { max: 0 }
        }
        (None, None) => {
            f.push_unclear(
                f.at(
                    format!("indicator `{key}` has neither `max` nor `grades`"),
                    &ind.key,
                )
                .field(field)
                .hint("add `max: 3` for a score 0..3, or a `grades` list"),
            );
            IndicatorKind::Scored { max: 0 }
        }
    };
    Indicator {
        key: key.clone(),
        text: ind.text.clone(),
        kind,
    }
}

/// Categories: the first whose min is reached wins, so each must be
/// reachable and some category must take the lowest scores.
fn check_categories(f: &mut Findings, raw: &Spanned<Vec<RawCategory>>) -> Vec<Category> {
    let mut categories = Vec::new();
    for (i, c) in raw.value.iter().enumerate() {
        let field = format!("categories[{i}]");
        if !c.min.value.is_finite() {
            f.push(
                f.at("`min` is not a number".into(), &c.min)
                    .field(format!("{field}.min")),
            );
        }
        if let Some(prev) = raw.value[..i].iter().find(|p| p.min.value <= c.min.value) {
            f.push(
                f.at(format!("category `{}` can never be given", c.label), &c.min)
                    .field(format!("{field}.min"))
                    .hint(format!(
                        "`{}` above it starts at {} and is checked first; list categories from the highest `min` down",
                        prev.label, prev.min.value
                    )),
            );
        }
        let color = c.color.as_ref().and_then(|text| {
            let parsed = parse_color(text.value.trim());
            if parsed.is_none() {
                f.push(
                    f.at(format!("`{}` is not a colour", text.value), text)
                        .field(format!("{field}.color"))
                        .hint("write # and six hexadecimal digits, for example \"#0072B2\", or leave `color` out for the default"),
                );
            }
            parsed
        });
        categories.push(Category {
            min: c.min.value,
            label: c.label.clone(),
            color,
        });
    }
    if !categories.iter().any(|c| c.min <= 0.0) {
        f.push(
            f.at("no category takes a score of 0".into(), raw)
                .field("categories")
                .hint("end the list with a category whose `min` is 0"),
        );
    }
    categories
}

/// `tie_break`: component keys, as indices of `components`.
fn check_tie_break(
    f: &mut Findings,
    raw: &[Spanned<String>],
    components: &[Component],
) -> Vec<usize> {
    let mut tie_break = Vec::new();
    for (i, key) in raw.iter().enumerate() {
        match components.iter().position(|c| c.key == key.value) {
            Some(idx) => tie_break.push(idx),
            None => {
                let keys: Vec<&str> = components.iter().map(|c| c.key.as_str()).collect();
                f.push(
                    f.at(format!("`{}` is not a component", key.value), key)
                        .field(format!("tie_break[{i}]"))
                        .hint(format!("use component keys: {}", keys.join(", "))),
                );
            }
        }
    }
    tie_break
}

fn check_weight(problems: &mut Problems, file: &Path, weight: &Spanned<f64>, field: &str) {
    if !weight.value.is_finite() || weight.value < 0.0 {
        problems.push(
            Problem::new(
                file,
                format!("weight {} is not a number from 0 to 100", weight.value),
            )
            .at_location(location_of(weight))
            .field(field),
        );
    }
}

fn check_sum<T>(
    problems: &mut Problems,
    file: &Path,
    list: &Spanned<T>,
    field: &str,
    weights: impl Iterator<Item = f64>,
) {
    let sum: f64 = weights.sum();
    if (sum - 100.0).abs() > WEIGHT_TOLERANCE {
        problems.push(
            Problem::new(
                file,
                format!(
                    "weights sum to {}, not 100",
                    crate::format::trim_number(sum)
                ),
            )
            .at_location(location_of(list))
            .field(field)
            .hint("change the weights so they add up to 100"),
        );
    }
}

fn check_grades(
    problems: &mut Problems,
    file: &Path,
    grades: &[RawGrade],
    field: &str,
    key: &Spanned<String>,
) -> Vec<Grade> {
    if grades.is_empty() {
        problems.push(
            Problem::new(
                file,
                format!("indicator `{}` has an empty `grades` list", key.value),
            )
            .at_location(location_of(key))
            .field(format!("{field}.grades"))
            .hint("list the grades, best first"),
        );
    }
    let mut letters = HashSet::new();
    let best = grades.first().map_or(0.0, |g| g.value.value);
    for (k, g) in grades.iter().enumerate() {
        let gfield = format!("{field}.grades[{k}]");
        if g.grade.value.trim().is_empty() || !letters.insert(g.grade.value.clone()) {
            problems.push(
                Problem::new(
                    file,
                    format!("grade `{}` is empty or used twice", g.grade.value),
                )
                .at_location(location_of(&g.grade))
                .field(format!("{gfield}.grade")),
            );
        }
        if !g.value.value.is_finite() || !(0.0..=MAX_POINTS).contains(&g.value.value) {
            problems.push(
                Problem::new(
                    file,
                    format!("value {} is not a number from 0 to 1000000", g.value.value),
                )
                .at_location(location_of(&g.value))
                .field(format!("{gfield}.value")),
            );
        } else if g.value.value > best {
            problems.push(
                Problem::new(
                    file,
                    format!(
                        "grade `{}` is worth more than the first grade",
                        g.grade.value
                    ),
                )
                .at_location(location_of(&g.value))
                .field(format!("{gfield}.value"))
                .hint("list grades best first: the first grade's value is the maximum"),
            );
        }
    }
    grades
        .iter()
        .map(|g| Grade {
            grade: g.grade.value.clone(),
            value: g.value.value,
            text: g.text.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
title: T
components:
  - { key: dokumen, name: D, weight: 60, from: actions }
  - { key: paparan, name: P, weight: 40 }
actions:
  - number: 1
    name: A
    weight: 100
    indicators:
      - { key: "1.1", text: x, max: 3 }
      - key: "1.2"
        text: y
        grades:
          - { grade: A, value: 2, text: best }
          - { grade: B, value: 0, text: worst }
categories:
  - { min: 50, label: Baik }
  - { min: 0, label: Kurang }
tie_break: [paparan]
"#;

    #[test]
    fn a_good_rubric_loads() {
        let r = load_rubric(Path::new("r.yaml"), GOOD).unwrap();
        assert_eq!(r.document, 0);
        assert_eq!(r.tie_break, vec![1]);
        assert_eq!(r.actions[0].indicators[1].max_points(), 2.0);
    }

    #[test]
    fn every_inconsistency_is_reported() {
        let bad = GOOD
            .replace("weight: 40", "weight: 30")
            .replace("tie_break: [paparan]", "tie_break: [paparn]")
            .replace("min: 50", "min: -1")
            .replace("value: 0, text: worst", "value: 5, text: worst");
        let err = load_rubric(Path::new("r.yaml"), &bad)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("components: weights sum to 90, not 100"),
            "{err}"
        );
        assert!(
            err.contains(
                "tie_break[0]: `paparn` is not a component (use component keys: dokumen, paparan)"
            ),
            "{err}"
        );
        assert!(
            err.contains("category `Kurang` can never be given"),
            "{err}"
        );
        assert!(
            err.contains("grade `B` is worth more than the first grade"),
            "{err}"
        );
    }

    #[test]
    fn a_rubric_with_problems_still_checks_districts_when_it_can() {
        let typo = GOOD.replace("tie_break: [paparan]", "tie_break: [paparn]");
        let (rubric, problems) = check_rubric(Path::new("r.yaml"), &typo);
        assert!(rubric.is_some() && problems.len() == 1, "{problems}");
        let unclear = GOOD.replace(", max: 3 }", " }");
        let (rubric, problems) = check_rubric(Path::new("r.yaml"), &unclear);
        assert!(rubric.is_none() && !problems.is_empty());
    }
}
