//! All YAML parsing goes through here.
//!
//! We use `serde-saphyr` rather than `yaml_serde` (the serde_yaml continuation):
//! both report line and column for syntax and type errors, but saphyr also
//! gives `Spanned<T>`, so checks made after parsing (a score above `max`, an
//! unknown slug) can still point at the line and column of the value. It also
//! bounds alias expansion and nesting depth, so hostile input cannot hang us.
//! It is the only parser of content: a first pass through libyaml
//! (`yaml_serde`) saved about 5 % of a 5,000-page build, not worth keeping
//! two parsers in agreement on rare YAML (tags, hex numbers, nulls).
//! `yaml_serde` only writes `published.yaml`.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Problem, Problems};

pub use serde_saphyr::Spanned;

pub use crate::error::Location;

/// A mapping whose keys must be unique once deserialized. saphyr refuses a
/// key written twice; this also refuses two keys written differently that
/// deserialize to one value, which serde's maps would merge, keeping the last.
#[derive(Debug, Clone)]
pub struct UniqueMap<K, V>(pub indexmap::IndexMap<K, V>);

impl<K, V> Default for UniqueMap<K, V> {
    fn default() -> Self {
        UniqueMap(indexmap::IndexMap::new())
    }
}

impl<K, V> std::ops::Deref for UniqueMap<K, V> {
    type Target = indexmap::IndexMap<K, V>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<K, V> IntoIterator for UniqueMap<K, V> {
    type Item = (K, V);
    type IntoIter = indexmap::map::IntoIter<K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'de, K, V> serde::Deserialize<'de> for UniqueMap<K, V>
where
    K: serde::Deserialize<'de> + std::hash::Hash + Eq,
    V: serde::Deserialize<'de>,
{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K, V> serde::de::Visitor<'de> for Visit<K, V>
        where
            K: serde::Deserialize<'de> + std::hash::Hash + Eq,
            V: serde::Deserialize<'de>,
        {
            type Value = UniqueMap<K, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = indexmap::IndexMap::new();
                while let Some((k, v)) = map.next_entry()? {
                    if out.insert(k, v).is_some() {
                        return Err(serde::de::Error::custom("duplicate mapping key"));
                    }
                }
                Ok(UniqueMap(out))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// Where a spanned value was written, if the parser knew.
pub fn location_of<T>(spanned: &Spanned<T>) -> Option<Location> {
    let loc = spanned.referenced;
    (loc.line() > 0).then(|| Location {
        line: loc.line(),
        column: loc.column(),
    })
}

/// Parses `text` (the content of `file`, a path relative to the site root).
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, Problem> {
    let options = serde_saphyr::options! {
        // Content files are small; a few MB of YAML is already suspicious.
        budget: serde_saphyr::budget! {
            max_depth: 64,
        },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|err| {
        let render = serde_saphyr::render_options! { snippets: serde_saphyr::SnippetMode::Off };
        let raw = err.render_with_options(render);
        let (message, hint) = plain_message(strip_position(&raw));
        let location = err.location().map(|l| Location {
            line: l.line(),
            column: l.column(),
        });
        let mut problem = Problem::new(file, message).at_location(location);
        if let Some(hint) = hint {
            problem = problem.hint(hint);
        }
        problem
    })
}

/// Parses like [`parse`], but an unknown key does not hide the rest of the
/// file: the key is reported, its lines are set aside and parsing goes on, so
/// a file with a typo still gets every other check. Returns the value when
/// the file parsed once its unknown keys were set aside, and every problem.
pub fn parse_recovering<T: DeserializeOwned>(file: &Path, text: &str) -> (Option<T>, Problems) {
    let mut problems = Problems::default();
    let mut text = std::borrow::Cow::Borrowed(text);
    // Each round removes one key; a bound keeps hostile input from looping long.
    for _ in 0..50 {
        match parse::<T>(file, &text) {
            Ok(value) => return (Some(value), problems),
            Err(problem) => {
                let removable = problem.message.starts_with("unknown key ")
                    && problem
                        .line
                        .zip(problem.column)
                        .is_some_and(|(l, c)| starts_line(&text, l, c));
                let (line, column) = (problem.line, problem.column);
                problems.push(problem);
                match (removable, line, column) {
                    (true, Some(l), Some(c)) => {
                        text = std::borrow::Cow::Owned(blank_block(&text, l, c))
                    }
                    _ => return (None, problems),
                }
            }
        }
    }
    (None, problems)
}

/// Whether the key at `line`:`column` is the first thing on its line.
fn starts_line(text: &str, line: u64, column: u64) -> bool {
    text.lines()
        .nth(line.saturating_sub(1) as usize)
        .is_some_and(|l| l.len() - l.trim_start_matches(' ').len() + 1 == column as usize)
}

/// Blanks the key at `line` and the more-indented lines under it, keeping
/// line numbers so later positions stay right.
fn blank_block(text: &str, line: u64, column: u64) -> String {
    let start = line.saturating_sub(1) as usize;
    let indent = column.saturating_sub(1) as usize;
    let mut out = Vec::new();
    let mut in_block = false;
    for (i, l) in text.lines().enumerate() {
        if i == start {
            in_block = true;
            out.push("");
            continue;
        }
        if in_block {
            let own = l.len() - l.trim_start_matches(' ').len();
            if l.trim().is_empty() || l.trim_start().starts_with('#') || own > indent {
                out.push("");
                continue;
            }
            in_block = false;
        }
        out.push(l);
    }
    let mut joined = out.join("\n");
    joined.push('\n');
    joined
}

/// saphyr appends " at line L, column C"; we print the position ourselves.
fn strip_position(raw: &str) -> &str {
    match raw.rfind(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    }
}

/// Rewrites parser wording into plain words with a hint on how to fix it.
fn plain_message(message: &str) -> (String, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = match rest.split_once(", expected ") {
            Some((field, expected)) => (field, Some(expected)),
            None => (rest, None),
        };
        let hint = match expected {
            Some(expected) => format!(
                "check the spelling; allowed here: {}",
                expected.trim_start_matches("one of ")
            ),
            None => "check the spelling".to_string(),
        };
        return (format!("unknown key {field}"), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return (
            format!("required key {rest} is missing"),
            Some("add it".to_string()),
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set ").next().unwrap_or(rest);
        return (
            format!("key `{key}` is written twice"),
            Some("keep only one".to_string()),
        );
    }
    if message.starts_with("unknown variant ") {
        return (
            message.replace("unknown variant", "unknown value"),
            Some("use one of the values listed".to_string()),
        );
    }
    if message.starts_with("invalid floating point") {
        return (
            "expected a number".to_string(),
            Some("write digits with a dot for decimals, e.g. 82.5".to_string()),
        );
    }
    if let Some(kind) = message.strip_prefix("invalid ") {
        if kind.starts_with('u') || kind.starts_with('i') {
            return (
                "expected a whole number".to_string(),
                Some("write digits only, without a decimal point".to_string()),
            );
        }
    }
    if message.starts_with("unexpected end of input") {
        return (
            "the file is empty".to_string(),
            Some("see README.md for what this file holds".to_string()),
        );
    }
    if message.contains("tab") {
        return (
            message.to_string(),
            Some("indent with spaces, not tabs".to_string()),
        );
    }
    // Anything else is the parser's wording for broken YAML syntax.
    (
        message.to_string(),
        Some(
            "check the YAML here and on the line before: indentation, a missing `:` or closing bracket, \
             or text with `:` or `#` that needs quotes"
                .to_string(),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        #[serde(default)]
        weight: Option<f64>,
        #[serde(default)]
        count: Option<u32>,
    }

    fn err(text: &str) -> String {
        parse::<Sample>(Path::new("x.yaml"), text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn unknown_key_names_line_and_allowed_keys() {
        assert_eq!(
            err("name: a\nwieght: 2\n"),
            "x.yaml:2:1: unknown key `wieght` (check the spelling; allowed here: name, weight, count)"
        );
    }

    #[test]
    fn wrong_types_are_plain() {
        assert_eq!(
            err("name: a\nweight: heavy\n"),
            "x.yaml:2:9: expected a number (write digits with a dot for decimals, e.g. 82.5)"
        );
        assert!(err("name: a\ncount: 2.5\n").contains("x.yaml:2:8: expected a whole number"));
    }

    #[test]
    fn missing_and_duplicate_keys() {
        assert!(err("weight: 1\n").contains("required key `name` is missing"));
        assert!(err("name: a\nname: b\n").contains("x.yaml:2:1: key `name` is written twice"));
    }

    #[test]
    fn an_unknown_key_does_not_hide_the_rest() {
        let (value, problems) = parse_recovering::<Sample>(
            Path::new("x.yaml"),
            "name: a\nwieght:\n  deep: 1\n  more: 2\ncont: 3\ncount: 2\n",
        );
        let all = problems.to_string();
        assert!(all.contains("x.yaml:2:1: unknown key `wieght`"), "{all}");
        assert!(all.contains("x.yaml:5:1: unknown key `cont`"), "{all}");
        assert_eq!(problems.len(), 2);
        assert_eq!(value.unwrap().count, Some(2));
        // A type error stops: what follows cannot be trusted.
        let (value, problems) =
            parse_recovering::<Sample>(Path::new("x.yaml"), "name: a\ncount: x\n");
        assert!(value.is_none() && problems.len() == 1);
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let e = err("name: [a\n");
        assert!(e.starts_with("x.yaml:"), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = format!("name: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse::<Sample>(Path::new("x.yaml"), &text).is_err());
    }
}
