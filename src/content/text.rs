//! What text in a content file may hold: characters a page can show, and
//! names that read as they are written.
//!
//! YAML escapes (`"\u0007"`, `"\x00"`, `"\u202E"`) can put any character in
//! a value. Control characters are invisible on a page and make an inline
//! SVG chart malformed XML; direction marks reorder what a reader sees, so
//! two names that look alike can differ. One walk over every value of a file
//! (keys too) finds them, whatever the field, with the value's position.

use std::fmt::{self, Write as _};
use std::path::Path;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::error::{Problem, Problems};
use crate::yaml::{self, location_of, Spanned};

/// Fields whose values are names (of a district, an action, a component),
/// titles, codes, keys or grade letters: they are shown in headings, lists
/// and chart labels, so they are one line and read left to right as written.
/// Any other value is text, where tabs and line breaks are fine (Markdown).
const NAME_FIELDS: &[&str] = &[
    "name", "code", "key", "grade", "slug", "title", "district", "label",
];

/// Every value (and key) in `text` that holds a character a page must not
/// show, as a problem with its position and field. A file that is not valid
/// YAML gives nothing here: parsing it reports that. Most files hold plain
/// text and skip the walk (see [`may_hold_refused`]).
pub fn check_yaml(file: &Path, text: &str) -> Problems {
    let mut problems = Problems::default();
    if !may_hold_refused(text) {
        return problems;
    }
    if let Ok(root) = yaml::parse::<Spanned<Node>>(file, text) {
        let mut path = String::new();
        walk(file, &root, &mut path, false, &mut problems);
    }
    problems
}

/// Whether `text` may hold a value that [`check_yaml`] refuses: a backslash
/// (an escape in double quotes), a tab, a block scalar (`|`, `>`) or a
/// refused character written as it is. Large numbers of files that are
/// plain text skip the walk and its second parse. The one thing it misses is
/// a line break in a name that a blank line inside a plain or quoted value
/// folds into, which a page shows as a space anyway.
pub fn may_hold_refused(text: &str) -> bool {
    let suspect_byte = |b: u8| {
        matches!(b, b'\\' | b'\t' | b'|' | b'>' | 0x7f) || (b < 0x20 && b != b'\n' && b != b'\r')
    };
    if text.is_ascii() {
        return text.bytes().any(suspect_byte);
    }
    text.bytes().any(suspect_byte)
        || text
            .chars()
            .any(|c| !matches!(c, '\n' | '\r') && refused(c, true).is_some())
}

/// Why a character cannot be shown, or `None` when it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refused {
    /// C0 (but tab and line breaks in text), DEL, C1.
    Control,
    /// U+FFFE and U+FFFF: not characters at all, and not allowed in XML.
    NotACharacter,
    /// A tab or line break in a name.
    LineBreak,
    /// A bidirectional embedding, override, isolate or mark in a name.
    Direction,
}

fn refused(c: char, name: bool) -> Option<Refused> {
    match c {
        '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' if name => Some(Refused::LineBreak),
        '\t' | '\n' | '\r' => None,
        c if c.is_control() => Some(Refused::Control),
        '\u{FFFE}' | '\u{FFFF}' => Some(Refused::NotACharacter),
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}'
            if name =>
        {
            Some(Refused::Direction)
        }
        _ => None,
    }
}

/// The first refused character of `value`, if any.
fn first_refused(value: &str, name: bool) -> Option<(char, Refused)> {
    value
        .chars()
        .find_map(|c| refused(c, name).map(|why| (c, why)))
}

fn describe(c: char, why: Refused, what: &str) -> (String, &'static str) {
    let code = format!("U+{:04X}", u32::from(c));
    match why {
        Refused::Control => (
            format!("{what} holds the invisible control character {code}"),
            "remove it; it usually comes from a `\\u`, `\\x` or `\\0` escape in double quotes",
        ),
        Refused::NotACharacter => (
            format!("{what} holds {code}, which is not a character"),
            "remove it; it usually comes from a `\\u` escape in double quotes",
        ),
        Refused::LineBreak => (
            format!("{what} holds a tab or line break"),
            "write it on one line, without `|` or `>` and without `\\t` or `\\n`",
        ),
        Refused::Direction => (
            format!("{what} holds the direction mark {code}, which can make it look like another"),
            "remove it; a name must read as it is written",
        ),
    }
}

fn walk(file: &Path, node: &Spanned<Node>, path: &mut String, name: bool, out: &mut Problems) {
    match &node.value {
        Node::Text(value) => {
            if let Some((c, why)) = first_refused(value, name) {
                out.push(report(file, node, path, c, why, "the value"));
            }
        }
        Node::Other(_) => {}
        Node::List(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                walk(file, item, path, name, out);
                path.truncate(len);
            }
        }
        Node::Map(entries) => {
            for (key, value) in entries {
                let len = path.len();
                let key_text = match &key.value {
                    Node::Text(s) | Node::Other(s) => s.as_str(),
                    Node::List(_) | Node::Map(_) => "?",
                };
                if !path.is_empty() {
                    path.push('.');
                }
                push_key(path, key_text);
                if let Node::Text(k) = &key.value {
                    if let Some((c, why)) = first_refused(k, true) {
                        out.push(report(file, key, path, c, why, "the key"));
                    }
                }
                walk(file, value, path, NAME_FIELDS.contains(&key_text), out);
                path.truncate(len);
            }
        }
    }
}

fn report(
    file: &Path,
    node: &Spanned<Node>,
    path: &str,
    c: char,
    why: Refused,
    what: &str,
) -> Problem {
    let (message, hint) = describe(c, why, what);
    let problem = Problem::new(file, message)
        .at_location(location_of(node))
        .hint(hint);
    if path.is_empty() {
        problem
    } else {
        problem.field(path)
    }
}

/// A key in a field path as the other problems write it: `name`,
/// `indicators."1.1"`. Characters that cannot be shown are left to the
/// message's escaper ([`crate::error::escaped`]), which also cuts a long field.
fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain {
        path.push_str(key);
        return;
    }
    path.push('"');
    for c in key.chars() {
        match c {
            '"' | '\\' => {
                path.push('\\');
                path.push(c);
            }
            c => path.push(c),
        }
    }
    path.push('"');
}

/// Any YAML value, with the position of every value and key inside it.
enum Node {
    Text(String),
    /// A number, boolean or null, as written (for field paths).
    Other(String),
    List(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
                Ok(Node::Text(v))
            }
            fn visit_char<E: de::Error>(self, v: char) -> Result<Node, E> {
                Ok(Node::Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
                Ok(Node::Other(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Other(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
                Ok(Node::Other(v.to_string()))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
                Ok(Node::Other(v.to_string()))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
                Ok(Node::Other(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
                Ok(Node::Other(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Other(String::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Other(String::new()))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
                Node::deserialize(d)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Node::List(items))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Node::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> String {
        check_yaml(Path::new("x.yaml"), text).to_string()
    }

    #[test]
    fn control_characters_are_found_with_position_and_field() {
        let text = "- code: \"1\"\n  name: \"Kabupaten\\u0007 Alpha\"\n";
        assert!(may_hold_refused(text));
        assert_eq!(
            problems(text),
            "x.yaml:2:9: [0].name: the value holds the invisible control character U+0007 \
             (remove it; it usually comes from a `\\u`, `\\x` or `\\0` escape in double quotes)\n"
        );
        let text = "actions:\n  - number: 1\n    name: \"A\\0\"\n";
        assert!(problems(text).contains(
            "x.yaml:3:11: actions[0].name: the value holds the invisible control character U+0000"
        ));
        // C1 and DEL, in any text field.
        assert!(problems("feedback:\n  6:\n    strengths: [\"ok\\x85\"]\n")
            .contains("x.yaml:3:17: feedback.6.strengths[0]: the value holds the invisible control character U+0085"));
        assert!(problems("plan: \"a\\x7f\"\n").contains("U+007F"));
        assert!(problems("plan: \"a\\uFFFF\"\n").contains("U+FFFF, which is not a character"));
    }

    #[test]
    fn direction_marks_are_refused_in_names_only() {
        let text = "name: \"Kota \\u202Eatled\"\ntext: \"\\u202Eabc\"\n";
        let all = problems(text);
        assert!(
            all.contains("x.yaml:1:7: name: the value holds the direction mark U+202E"),
            "{all}"
        );
        assert_eq!(all.lines().count(), 1, "{all}");
        for mark in ["\\u2066", "\\u2069", "\\u200E", "\\u200F", "\\u202A"] {
            assert!(
                !problems(&format!("title: \"a{mark}\"\n")).is_empty(),
                "{mark}"
            );
        }
    }

    #[test]
    fn keys_are_names() {
        let all = problems("indicators:\n  \"1.\\u202E1\": 3\n");
        assert!(
            all.contains(
                "x.yaml:2:3: indicators.\"1.\\u{202e}1\": the key holds the direction mark"
            ),
            "{all}"
        );
    }

    #[test]
    fn line_breaks_are_text_but_not_names() {
        assert!(problems("summary: |\n  one\n  two\n").is_empty());
        assert!(problems("reason: \"a\\tb\\nc\"\n").is_empty());
        assert!(problems("name: \"a\\nb\"\n").contains("name: the value holds a tab or line break"));
        assert!(problems("title: >\n  Si Cantik\n").contains("tab or line break"));
        assert!(problems("label: \"a\\Lb\"\n").contains("tab or line break"));
        assert!(problems("text: \"a\\Lb\\Pc\"\n").is_empty());
    }

    #[test]
    fn plain_files_are_not_walked() {
        assert!(!may_hold_refused(
            "name: Kabupaten Alpha\nsummary: Posyandu *keliling*, 95%.\n"
        ));
        assert!(!may_hold_refused("name: Pénéléokan\n"));
        for suspect in [
            "a: \"\\u0007\"\n",
            "a: \u{202E}x\n",
            "a: \u{85}\n",
            "a: |\n  x\n",
            "a: \tx\n",
        ] {
            assert!(may_hold_refused(suspect), "{suspect:?}");
        }
    }

    #[test]
    fn good_text_and_broken_yaml_give_nothing() {
        assert!(problems("name: Kabupaten Alpha\nlist: [1, 2.5, true, ~]\n").is_empty());
        assert!(problems("name: [\n").is_empty());
    }
}
