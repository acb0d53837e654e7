//! All YAML parsing goes through here.
//!
//! We use `serde-saphyr` rather than `yaml_serde` (the serde_yaml continuation):
//! both report line and column for syntax and type errors, but saphyr also
//! gives `Spanned<T>`, so checks made after parsing (a score above `max`, an
//! unknown slug) can still point at the line and column of the value. It also
//! bounds alias expansion and nesting depth, so hostile input cannot hang us.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::Problem;

pub use serde_saphyr::Spanned;

/// A position in a YAML file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: u64,
    pub column: u64,
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
    (message.to_string(), None)
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
