//! Content problems: one type for every problem found in a site, collected into a list.

use std::fmt;
use std::path::{Component, Path, PathBuf, Prefix};

/// A path as messages show it: `/`-separated on every platform, without a
/// leading `./`, so the same site gives the same messages on Windows and
/// Linux (`output`, never `.\output`). A drive stays (`C:/Users/...`).
pub fn shown(path: &Path) -> String {
    let mut out = String::new();
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Prefix(prefix) => match prefix.kind() {
                Prefix::Disk(d) | Prefix::VerbatimDisk(d) => {
                    out.push(char::from(d));
                    out.push(':');
                }
                _ => out.push_str(&prefix.as_os_str().to_string_lossy().replace('\\', "/")),
            },
            Component::RootDir => out.push('/'),
            Component::CurDir => {}
            Component::ParentDir => parts.push("..".into()),
            Component::Normal(name) => parts.push(name.to_string_lossy()),
        }
    }
    out.push_str(&parts.join("/"));
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// A position in a content file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: u64,
    pub column: u64,
}

/// One problem in the content, pointing at the file (relative to the site
/// root), the position when the parser knows it, else the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub field: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    pub fn new(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Problem {
            file: file.as_ref().to_path_buf(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn at(mut self, line: u64, column: u64) -> Self {
        // Line 0 is what parsers use for "unknown".
        if line > 0 {
            self.line = Some(line);
            self.column = Some(column.max(1));
        }
        self
    }

    pub fn at_location(self, location: Option<Location>) -> Self {
        match location {
            Some(loc) => self.at(loc.line, loc.column),
            None => self,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Forward slashes on every platform so messages are stable in tests and docs.
        write!(f, "{}", escaped(&shown(&self.file)))?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "{}: ", short(field, 2 * EXCERPT_CHARS))?;
        }
        write!(f, "{}", quoting_excerpts(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, " ({})", escaped(hint))?;
        }
        Ok(())
    }
}

/// How many characters of a file's text a message quotes at most.
const EXCERPT_CHARS: usize = 40;

/// A message as printed: whatever it quotes between backticks is cut to a
/// short excerpt, and control and bidi characters are escaped, so a problem
/// line never carries many lines of a file (one that is not YAML at all, say)
/// nor escape sequences for the terminal or the preview's error overlay.
fn quoting_excerpts(message: &str) -> String {
    let parts: Vec<&str> = message.split('`').collect();
    let mut out = String::with_capacity(message.len());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts are quoted, when a closing backtick follows.
        if i % 2 == 1 && i + 1 < parts.len() {
            out.push_str(&excerpt(part));
        } else {
            out.push_str(&escaped(part));
        }
    }
    short(&out, 8 * EXCERPT_CHARS)
}

/// Text from a file as a message may quote it: at most a few dozen
/// characters, control and bidi characters escaped.
pub fn excerpt(text: &str) -> String {
    short(text, EXCERPT_CHARS)
}

/// `text` escaped, and cut to `max` characters with `…`; never inside
/// the escape of one character.
fn short(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(4 * max));
    let mut shown = 0;
    for c in text.chars() {
        let len = out.len();
        push_escaped(&mut out, c);
        shown += out[len..].chars().count();
        if shown > max {
            out.truncate(len);
            out.push('…');
            break;
        }
    }
    out
}

/// Text as a message shows it: control characters (a terminal escape such
/// as ESC) and invisible or reordering format characters (bidirectional
/// overrides) written out as `\x1b`, `\t` or `\u{202e}`, so that printing
/// hostile content can neither recolour nor reorder the terminal. The one
/// escaper of text in messages.
pub fn escaped(text: &str) -> String {
    if !text.chars().any(is_hidden) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// `c` onto `out`, written out as an escape when it is hidden.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if u32::from(c) < 0x20 || c == '\u{7f}' => {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        }
        c if is_hidden(c) => out.push_str(&format!("\\u{{{:04x}}}", u32::from(c))),
        c => out.push(c),
    }
}

/// Control characters, format characters that are invisible or reorder text
/// (zero-width, line and paragraph separators, bidirectional controls and
/// marks), and the non-characters U+FFFE and U+FFFF.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// Every problem found, in a stable order (by file, then position).
#[derive(Debug, Default, Clone)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub fn extend(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sorts for output: the same content always lists its problems in the same order.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.field, &a.message)
                .cmp(&(&b.file, b.line, b.column, &b.field, &b.message))
        });
        self.0.dedup();
        self
    }

    /// `Ok(value)` when nothing was found, else every problem.
    pub fn into_result<T>(self, value: T) -> Result<T, Problems> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self.sorted())
        }
    }
}

impl From<Problem> for Problems {
    fn from(problem: Problem) -> Self {
        Problems(vec![problem])
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.0 {
            writeln!(f, "{problem}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_never_splits_an_escape() {
        assert_eq!(short("abc", 3), "abc");
        assert_eq!(short("abcd", 3), "abc…");
        assert_eq!(short("ab\u{1b}cd", 3), "ab…");
        assert_eq!(short("ab\u{1b}cd", 6), "ab\\x1b…");
    }

    #[test]
    fn hidden_characters_are_written_out() {
        assert_eq!(escaped("\x1b[31mX\u{7}"), "\\x1b[31mX\\x07");
        assert_eq!(escaped("a\tb\r\n"), "a\\tb\\r\\n");
        assert_eq!(escaped("abc\u{202e}def\u{85}"), "abc\\u{202e}def\\u{0085}");
        assert_eq!(escaped("Kota Denpasar é"), "Kota Denpasar é");
    }

    #[test]
    fn paths_are_shown_with_slashes_and_no_leading_dot() {
        assert_eq!(shown(Path::new("./output")), "output");
        assert_eq!(shown(Path::new(".")), ".");
        assert_eq!(shown(Path::new("site/./output/")), "site/output");
        assert_eq!(shown(Path::new("../a/b")), "../a/b");
        assert_eq!(shown(Path::new("/tmp/x")), "/tmp/x");
        assert_eq!(
            shown(&Path::new("content").join("2030").join("a.yaml")),
            "content/2030/a.yaml"
        );
        #[cfg(windows)]
        {
            assert_eq!(shown(Path::new(r".\output")), "output");
            assert_eq!(
                shown(Path::new(r"C:\Users\tpps\site")),
                "C:/Users/tpps/site"
            );
            assert_eq!(shown(Path::new(r"\\?\C:\site")), "C:/site");
        }
    }

    #[test]
    fn formats_position_field_and_hint() {
        let p = Problem::new(
            "content/2023/districts/a.yaml",
            "score 5 is above the maximum 3",
        )
        .at(7, 9)
        .field("indicators.\"2.3\"")
        .hint("use a whole number from 0 to 3");
        assert_eq!(
            p.to_string(),
            "content/2023/districts/a.yaml:7:9: indicators.\"2.3\": score 5 is above the maximum 3 (use a whole number from 0 to 3)"
        );
        let p = Problem::new("content/site.yaml", "missing").field("title");
        assert_eq!(p.to_string(), "content/site.yaml: title: missing");
    }

    #[test]
    fn quotes_only_a_short_escaped_excerpt() {
        let long =
            "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin";
        let p = Problem::new(
            "a\u{1b}.yaml",
            format!("unknown key `{long}`, or `\u{202E}x`"),
        )
        .hint("fix \u{7}");
        assert_eq!(
            p.to_string(),
            "a\\x1b.yaml: unknown key `root:x:0:0:root:/root:/bin/bash\\ndaemon:…`, or `\\u{202e}x` (fix \\x07)"
        );
        // An unclosed quote is escaped, not cut.
        assert_eq!(
            Problem::new("f", "unexpected character: `\u{1b}'").to_string(),
            "f: unexpected character: `\\x1b'"
        );
    }
}
