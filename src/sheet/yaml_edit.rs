//! Text-level edits of a district file: replace the `indicators` and
//! `components` mappings and leave every other byte as it was.
//!
//! A district file is hand-written YAML with comments, so it is never
//! re-serialised. The file is read as lines; a top-level key is a line that
//! starts in column 0 with `key:`; its block runs to the next top-level key
//! (blank lines and column-0 comments just before that key belong to it).
//! When the block is a plain block mapping of one-line scalars (the form the
//! sample and `rapor import` write), each value is changed in place, so key
//! quoting, spacing and comments stay; missing keys are inserted beside
//! their neighbours, keys no longer wanted are removed. Any other form (a
//! flow mapping, multi-line values) is replaced by a freshly written block.
//!
//! Values are the YAML library's own `Value` ([`Node`]), filled by the
//! parser that loads content; a plain scalar found in a line is resolved
//! by that parser too, so the editor and the loader read a file alike.
//! The caller checks the result by parsing it again: the edit is trusted
//! only if the two mappings hold exactly the wanted values and every other
//! top-level key is unchanged.

use std::collections::{HashMap, HashSet};

/// A value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// A whole number, written without a decimal point.
    Int(i64),
    /// A number, written in its shortest exact form (`82.5`, `80`).
    Number(f64),
    /// A string, plain when YAML reads it back as the same string, else double-quoted.
    Text(String),
}

impl Scalar {
    /// The YAML text of the value.
    pub fn render(&self) -> String {
        match self {
            Scalar::Int(n) => n.to_string(),
            Scalar::Number(x) => render_number(*x),
            Scalar::Text(s) => render_string(s),
        }
    }

    /// Whether a parsed value means this one.
    pub fn matches(&self, node: &Node) -> bool {
        match (self, node) {
            (Scalar::Int(n), _) => int_of(node) == Some(*n),
            (Scalar::Number(x), Node::Number(m)) => m.as_f64() == Some(*x),
            (Scalar::Text(s), Node::String(t)) => s == t,
            _ => false,
        }
    }
}

/// Shortest exact decimal form; whole numbers without `.0`.
fn render_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Words YAML 1.1 or 1.2 resolvers may read as something other than a string.
const RESERVED: &[&str] = &[
    "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
];

/// Whether `s` may be written as a plain scalar and still read back as that string.
fn plain_safe(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_alphabetic()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '+' | '.' | '/'))
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
        && !s.ends_with('.')
}

fn render_string(s: &str) -> String {
    if plain_safe(s) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How keys are written when a block is written afresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStyle {
    /// `"1.1": B`: indicator keys look like numbers, so they are always quoted.
    Quoted,
    /// `paparan: 82`: plain where that reads back as the same string.
    Plain,
}

/// One key of a mapping to write.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub value: Scalar,
    /// Entries of one group (the indicators of one action) are kept together
    /// when a missing one is inserted.
    pub group: usize,
}

/// A top-level mapping to set to exactly `entries`.
#[derive(Debug, Clone)]
pub struct MappingEdit {
    pub key: String,
    pub entries: Vec<Entry>,
    pub style: KeyStyle,
    /// A comment line written before each group's first entry when the block
    /// is written afresh (`# Aksi 1: Analisis Situasi`), by group.
    pub group_titles: Vec<String>,
    /// Whether to write the block when the file has none and `entries` is empty.
    pub required: bool,
}

/// One line: its text without the line break, and the break (`\n`, `\r\n`, or
/// nothing on a last line without one).
#[derive(Debug, Clone)]
struct Line {
    text: String,
    eol: String,
}

fn split_lines(text: &str) -> Vec<Line> {
    text.split_inclusive('\n')
        .map(|l| {
            let (body, eol) = if let Some(b) = l.strip_suffix("\r\n") {
                (b, "\r\n")
            } else if let Some(b) = l.strip_suffix('\n') {
                (b, "\n")
            } else {
                (l, "")
            };
            Line {
                text: body.to_string(),
                eol: eol.to_string(),
            }
        })
        .collect()
}

fn join_lines(lines: &[Line]) -> String {
    let mut out = String::new();
    for l in lines {
        out.push_str(&l.text);
        out.push_str(&l.eol);
    }
    out
}

/// Sets each mapping of `edits` in `text`, touching nothing outside them.
/// A missing mapping is added after the previous edit's block, or at the end.
pub fn set_mappings(text: &str, edits: &[MappingEdit]) -> String {
    let mut lines = split_lines(text);
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    // Where the previous edit's block ended, to put a missing block after it.
    let mut after_previous: Option<usize> = None;
    for edit in edits {
        let keys = top_level_keys(&lines);
        let found = keys.iter().position(|(_, k)| *k == edit.key);
        match found {
            Some(i) => {
                let start = keys[i].0;
                let next = keys.get(i + 1).map_or(lines.len(), |(l, _)| *l);
                let end = block_end(&lines, start, next);
                let replacement = edit_block(&lines[start..end], edit, newline)
                    .unwrap_or_else(|| fresh_block(edit, newline));
                let len = replacement.len();
                lines.splice(start..end, replacement);
                after_previous = Some(start + len);
            }
            None if edit.entries.is_empty() && !edit.required => {}
            None => {
                let at = match after_previous {
                    Some(at) => at,
                    None => {
                        // At the end, after any trailing blank lines and comments.
                        lines.len()
                    }
                };
                if at > 0 && lines[at - 1].eol.is_empty() {
                    lines[at - 1].eol = newline.to_string();
                }
                let block = fresh_block(edit, newline);
                let len = block.len();
                lines.splice(at..at, block);
                after_previous = Some(at + len);
            }
        }
    }
    join_lines(&lines)
}

/// `(line index, key)` of each top-level key, in file order.
fn top_level_keys(lines: &[Line]) -> Vec<(usize, String)> {
    let mut keys = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = &line.text;
        let Some(first) = t.chars().next() else {
            continue;
        };
        if first.is_whitespace() || first == '#' || t.starts_with("---") || t.starts_with("...") {
            continue;
        }
        if let Some((key, _)) = parse_key(t) {
            keys.push((i, key));
        }
    }
    keys
}

/// The block of the key on line `start` ends before `next` (the next
/// top-level key), less the blank lines and column-0 comments just before it.
fn block_end(lines: &[Line], start: usize, next: usize) -> usize {
    let mut end = next;
    while end > start + 1 {
        let t = &lines[end - 1].text;
        if t.trim().is_empty() || t.starts_with('#') {
            end -= 1;
        } else {
            break;
        }
    }
    end
}

/// Parses `key:` at the start of `s` (plain, single- or double-quoted key).
/// Returns the key and the byte offset just after the colon.
fn parse_key(s: &str) -> Option<(String, usize)> {
    let (key, rest_at) = if let Some(body) = s.strip_prefix('"') {
        let close = body.find('"')?;
        let key = &body[..close];
        if key.contains('\\') {
            return None;
        }
        (key.to_string(), close + 2)
    } else if let Some(body) = s.strip_prefix('\'') {
        let close = body.find('\'')?;
        if body[close + 1..].starts_with('\'') {
            return None;
        }
        (body[..close].to_string(), close + 2)
    } else {
        let mut colon = None;
        for (i, c) in s.char_indices() {
            if c == ':' {
                let after = &s[i + 1..];
                if after.is_empty() || after.starts_with(' ') || after.starts_with('\t') {
                    colon = Some(i);
                    break;
                }
            }
            if c == '#' && i > 0 && s[..i].ends_with(' ') {
                return None;
            }
        }
        let i = colon?;
        let key = s[..i].trim_end();
        if key.is_empty()
            || key.starts_with(['-', '?', '[', '{', '&', '*', '!', '|', '>', '%', '@', '`'])
        {
            return None;
        }
        return Some((key.to_string(), i + 1));
    };
    // A quoted key: spaces, then the colon.
    let after = &s[rest_at..];
    let trimmed = after.trim_start_matches([' ', '\t']);
    let colon_at = rest_at + (after.len() - trimmed.len());
    let rest = trimmed.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    Some((key, colon_at + 1))
}

/// A one-line scalar value in `s` from its start: its end offset and its value.
fn parse_value(s: &str) -> Option<(usize, Node)> {
    if let Some(body) = s.strip_prefix('"') {
        let close = body.find('"')?;
        let v = &body[..close];
        if v.contains('\\') {
            return None;
        }
        Some((close + 2, Node::String(v.to_string())))
    } else if let Some(body) = s.strip_prefix('\'') {
        let close = body.find('\'')?;
        if body[close + 1..].starts_with('\'') {
            return None;
        }
        Some((close + 2, Node::String(body[..close].to_string())))
    } else {
        let first = s.chars().next()?;
        let indicator = matches!(
            first,
            '{' | '[' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`' | '#' | ',' | '?' | ':'
        );
        let dash = first == '-' && !s[1..].starts_with(|d: char| d.is_ascii_digit());
        if indicator || dash {
            return None;
        }
        // A plain scalar ends at ` #` or the end of the line.
        let end = s.find(" #").or_else(|| s.find("\t#")).unwrap_or(s.len());
        let raw = s[..end].trim_end();
        if raw.is_empty() || raw.contains(": ") || raw.ends_with(':') {
            return None;
        }
        Some((raw.len(), resolve_plain(raw)?))
    }
}

/// What a plain scalar reads as, by the parser that loads content (so the
/// editor and the loader resolve `80`, `8.5e1`, `null` or `0x50` alike);
/// `None` when it does not parse as a scalar on its own.
fn resolve_plain(raw: &str) -> Option<Node> {
    crate::yaml::parse::<Node>(std::path::Path::new(""), raw)
        .ok()
        .filter(|node| !matches!(node, Node::Sequence(_) | Node::Mapping(_) | Node::Tagged(_)))
}

/// One line of a block mapping being edited in place.
enum BodyLine {
    /// Blank or a comment: kept.
    Keep(Line),
    Entry {
        line: Line,
        key: String,
        /// Byte range of the value in `line.text`.
        value: (usize, usize),
        node: Node,
    },
}

/// Where missing entries go, by the index (in the body) of an entry present.
type Placed<'a> = HashMap<usize, Vec<&'a Entry>>;

/// Edits a block in place; `None` when its form is not a plain block mapping
/// of one-line scalars.
fn edit_block(block: &[Line], edit: &MappingEdit, newline: &str) -> Option<Vec<Line>> {
    let head = block.first()?;
    let (_, after_colon) = parse_key(&head.text)?;
    let rest = head.text[after_colon..].trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    let (body, indent, quote) = read_body(&block[1..])?;
    let render_key = |k: &str| match quote {
        Some('"') => double_quoted(k),
        Some('\'') if !k.contains('\'') => format!("'{k}'"),
        _ if edit.style == KeyStyle::Quoted => double_quoted(k),
        _ => render_string(k),
    };

    let wanted: HashMap<&str, &Entry> = edit.entries.iter().map(|e| (e.key.as_str(), e)).collect();
    // Line index (in `body`) of each wanted key already present.
    let present: HashMap<&str, usize> = body
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            BodyLine::Entry { key, .. } if wanted.contains_key(key.as_str()) => {
                Some((key.as_str(), i))
            }
            _ => None,
        })
        .collect();
    if present.is_empty() {
        return None;
    }
    let (after, before) = place_missing(&edit.entries, &present);
    let new_line = |e: &Entry| Line {
        text: format!(
            "{}{}: {}",
            " ".repeat(indent),
            render_key(&e.key),
            e.value.render()
        ),
        eol: newline.to_string(),
    };

    let mut out = vec![head.clone()];
    for (i, b) in body.into_iter().enumerate() {
        for e in before.get(&i).into_iter().flatten() {
            out.push(new_line(e));
        }
        match b {
            BodyLine::Keep(line) => out.push(line),
            BodyLine::Entry {
                line,
                key,
                value: (vs, ve),
                node,
            } => {
                let Some(e) = wanted.get(key.as_str()) else {
                    continue; // no longer wanted
                };
                if e.value.matches(&node) {
                    out.push(line);
                } else {
                    out.push(with_value(line, (vs, ve), &e.value.render()));
                }
            }
        }
        if let Some(list) = after.get(&i) {
            end_line(&mut out, newline);
            out.extend(list.iter().map(|e| new_line(e)));
        }
    }
    Some(out)
}

/// `line` with the value at byte range `vs..ve` replaced by `value`, the
/// rest (key, comment, line end) as it was.
fn with_value(line: Line, (vs, ve): (usize, usize), value: &str) -> Line {
    let mut text = line.text[..vs].to_string();
    text.push_str(value);
    text.push_str(&line.text[ve..]);
    Line {
        text,
        eol: line.eol,
    }
}

/// Ends the last line of `out` with `newline` when it has no line end (the
/// file's last line), so that lines can follow it.
fn end_line(out: &mut [Line], newline: &str) {
    if let Some(last) = out.last_mut() {
        if last.eol.is_empty() {
            last.eol = newline.to_string();
        }
    }
}

/// The lines of a block mapping under its key: each blank, a comment, or a
/// `key: value` entry with a one-line scalar, all at one indent; with that
/// indent and the first key's quote character. `None` for any other form.
fn read_body(lines: &[Line]) -> Option<(Vec<BodyLine>, usize, Option<char>)> {
    let mut body = Vec::new();
    let mut indent: Option<usize> = None;
    let mut seen = HashSet::new();
    let mut quote: Option<char> = None;
    for line in lines {
        let t = &line.text;
        let trimmed = t.trim_start_matches(' ');
        if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            body.push(BodyLine::Keep(line.clone()));
            continue;
        }
        if trimmed.starts_with('\t') {
            return None;
        }
        let ind = t.len() - trimmed.len();
        if ind == 0 || *indent.get_or_insert(ind) != ind {
            return None;
        }
        let (key, after) = parse_key(trimmed)?;
        if !seen.insert(key.clone()) {
            return None;
        }
        if quote.is_none() {
            quote = Some(trimmed.chars().next().unwrap_or(' '));
        }
        let value_text = &trimmed[after..];
        let lead = value_text.len() - value_text.trim_start_matches([' ', '\t']).len();
        let vstart = after + lead;
        let (vlen, node) = parse_value(&trimmed[vstart..])?;
        let tail = trimmed[vstart + vlen..].trim();
        if !(tail.is_empty() || tail.starts_with('#')) {
            return None;
        }
        body.push(BodyLine::Entry {
            line: line.clone(),
            key,
            value: (ind + vstart, ind + vstart + vlen),
            node,
        });
    }
    Some((body, indent?, quote))
}

/// Missing keys go after the nearest earlier key of their group, else
/// before the nearest later key of their group, else after the nearest
/// earlier key of any group, else before the first entry. Returns the
/// entries to put after, and before, each present one.
fn place_missing<'a>(
    entries: &'a [Entry],
    present: &HashMap<&str, usize>,
) -> (Placed<'a>, Placed<'a>) {
    let mut after: Placed = HashMap::new();
    let mut before: Placed = HashMap::new();
    for (n, e) in entries.iter().enumerate() {
        if present.contains_key(e.key.as_str()) {
            continue;
        }
        let earlier = |same: bool| {
            entries[..n]
                .iter()
                .rev()
                .filter(|p| !same || p.group == e.group)
                .find_map(|p| present.get(p.key.as_str()).copied())
        };
        let later = entries[n + 1..]
            .iter()
            .filter(|p| p.group == e.group)
            .find_map(|p| present.get(p.key.as_str()).copied());
        if let Some(i) = earlier(true) {
            after.entry(i).or_default().push(e);
        } else if let Some(i) = later {
            before.entry(i).or_default().push(e);
        } else if let Some(i) = earlier(false) {
            after.entry(i).or_default().push(e);
        } else {
            let first = present.values().copied().min().unwrap_or(0);
            before.entry(first).or_default().push(e);
        }
    }
    (after, before)
}

/// The block written afresh: `key:` then one entry a line, indented by 2.
fn fresh_block(edit: &MappingEdit, newline: &str) -> Vec<Line> {
    let line = |text: String| Line {
        text,
        eol: newline.to_string(),
    };
    let key = match edit.style {
        KeyStyle::Quoted => render_string(&edit.key),
        KeyStyle::Plain => render_string(&edit.key),
    };
    if edit.entries.is_empty() {
        return vec![line(format!("{key}: {{}}"))];
    }
    let mut out = vec![line(format!("{key}:"))];
    let mut group = None;
    for e in &edit.entries {
        if group != Some(e.group) {
            group = Some(e.group);
            if let Some(title) = edit.group_titles.get(e.group) {
                if !title.is_empty() {
                    out.push(line(format!("  # {title}")));
                }
            }
        }
        let k = match edit.style {
            KeyStyle::Quoted => double_quoted(&e.key),
            KeyStyle::Plain => render_string(&e.key),
        };
        out.push(line(format!("  {k}: {}", e.value.render())));
    }
    out
}

/// Any YAML value, for comparing a file before and after an edit: the YAML
/// library's own value type, filled by the content parser. Mappings keep
/// their order and may have keys of any kind (`feedback: {6: ...}`).
pub use yaml_serde::Value as Node;

/// A whole number (not one written with a decimal point).
pub fn int_of(node: &Node) -> Option<i64> {
    match node {
        Node::Number(n) if !n.is_f64() => n.as_i64(),
        _ => None,
    }
}

/// A mapping key as the loader reads it (a string).
pub fn key_text(node: &Node) -> String {
    match node {
        Node::String(s) => s.clone(),
        Node::Number(n) => n.to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Null => "null".to_string(),
        Node::Sequence(_) | Node::Mapping(_) | Node::Tagged(_) => "?".to_string(),
    }
}

/// A short description of a value for messages.
pub fn describe(node: &Node) -> String {
    match node {
        Node::Null => "empty".to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Number(n) => match (int_of(node), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(x)) => format!("{x:?}"),
            (None, None) => n.to_string(),
        },
        Node::String(s) => crate::error::escaped(s),
        Node::Sequence(_) => "a list".to_string(),
        Node::Mapping(_) | Node::Tagged(_) => "a mapping".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(key: &str, value: Scalar, group: usize) -> Entry {
        Entry {
            key: key.to_string(),
            value,
            group,
        }
    }

    fn indicators(entries: Vec<Entry>) -> MappingEdit {
        MappingEdit {
            key: "indicators".to_string(),
            entries,
            style: KeyStyle::Quoted,
            group_titles: vec![
                "Aksi 1: Analisis".to_string(),
                "Aksi 2: Rencana".to_string(),
            ],
            required: true,
        }
    }

    fn components(entries: Vec<(&str, f64)>) -> MappingEdit {
        MappingEdit {
            key: "components".to_string(),
            entries: entries
                .into_iter()
                .map(|(k, v)| ind(k, Scalar::Number(v), 0))
                .collect(),
            style: KeyStyle::Plain,
            group_titles: Vec::new(),
            required: false,
        }
    }

    fn text(s: &str) -> Scalar {
        Scalar::Text(s.to_string())
    }

    const FILE: &str = "# Kabupaten X: contoh
assessed_on: 2024-05-15
indicators:
  # Aksi 1: Analisis
  \"1.1\": A   # checked twice
  \"1.2\": B
  # Aksi 2: Rencana
  \"2.1\": C
components:
  paparan: 80
  lapangan: 82.5

# Prevalensi dari SSGI
prevalence: { value: 6.2, source: SKI 2023 }
feedback:
  1:
    strengths: [\"a: b\"]
";

    #[test]
    fn values_change_in_place_and_everything_else_stays() {
        let edits = [
            indicators(vec![
                ind("1.1", text("B"), 0),
                ind("1.2", text("B"), 0),
                ind("2.1", text("A"), 1),
            ]),
            components(vec![("paparan", 80.0), ("lapangan", 90.25)]),
        ];
        let out = set_mappings(FILE, &edits);
        let expected = FILE
            .replace("\"1.1\": A   # checked", "\"1.1\": B   # checked")
            .replace("\"2.1\": C", "\"2.1\": A")
            .replace("lapangan: 82.5", "lapangan: 90.25");
        assert_eq!(out, expected);
    }

    #[test]
    fn unchanged_values_leave_the_file_byte_identical() {
        let edits = [
            indicators(vec![
                ind("1.1", text("A"), 0),
                ind("1.2", text("B"), 0),
                ind("2.1", text("C"), 1),
            ]),
            components(vec![("paparan", 80.0), ("lapangan", 82.5)]),
        ];
        assert_eq!(set_mappings(FILE, &edits), FILE);
    }

    #[test]
    fn missing_keys_join_their_group_and_unwanted_keys_go() {
        let file = "indicators:\n  # Aksi 1\n  \"1.1\": A\n  # Aksi 2\n  \"2.2\": B\n  \"9.9\": C\ncomponents:\n  paparan: 80\n";
        let edits = [
            indicators(vec![
                ind("1.1", text("A"), 0),
                ind("1.2", text("D"), 0),
                ind("2.1", text("C"), 1),
                ind("2.2", text("B"), 1),
            ]),
            components(vec![("paparan", 80.0), ("lapangan", 70.0)]),
        ];
        assert_eq!(
            set_mappings(file, &edits),
            "indicators:\n  # Aksi 1\n  \"1.1\": A\n  \"1.2\": D\n  # Aksi 2\n  \"2.1\": C\n  \"2.2\": B\ncomponents:\n  paparan: 80\n  lapangan: 70\n"
        );
    }

    #[test]
    fn a_flow_mapping_is_written_afresh_and_the_rest_kept() {
        let file = "assessed_on: 2024-05-15\nindicators: {\"1.1\": A,\n  \"1.2\": B}\n# keep me\ncomponents: {paparan: 80}\nbudget: { amount: 5 }\n";
        let edits = [
            indicators(vec![ind("1.1", text("B"), 0), ind("1.2", text("B"), 0)]),
            components(vec![("paparan", 81.5)]),
        ];
        assert_eq!(
            set_mappings(file, &edits),
            "assessed_on: 2024-05-15\nindicators:\n  # Aksi 1: Analisis\n  \"1.1\": B\n  \"1.2\": B\n# keep me\ncomponents:\n  paparan: 81.5\nbudget: { amount: 5 }\n"
        );
    }

    #[test]
    fn missing_blocks_are_added_and_an_empty_file_gets_both() {
        let file = "assessed_on: 2024-05-15\nindicators:\n  \"1.1\": A\nprevalence: { value: 3 }";
        let edits = [
            indicators(vec![ind("1.1", text("A"), 0)]),
            components(vec![("paparan", 80.0)]),
        ];
        assert_eq!(
            set_mappings(file, &edits),
            "assessed_on: 2024-05-15\nindicators:\n  \"1.1\": A\ncomponents:\n  paparan: 80\nprevalence: { value: 3 }"
        );
        assert_eq!(
            set_mappings("# only a comment\n", &edits),
            "# only a comment\nindicators:\n  # Aksi 1: Analisis\n  \"1.1\": A\ncomponents:\n  paparan: 80\n"
        );
        // No final newline: the added block still starts on its own line.
        assert_eq!(
            set_mappings("assessed_on: 2024-05-15", &edits[..1]),
            "assessed_on: 2024-05-15\nindicators:\n  # Aksi 1: Analisis\n  \"1.1\": A\n"
        );
    }

    #[test]
    fn key_quoting_and_crlf_are_kept() {
        let file =
            "indicators:\r\n  '1.1': 2\r\n  '1.2': 3\r\ncomponents:\r\n  \"paparan\": 80\r\n";
        let edits = [
            indicators(vec![
                ind("1.1", Scalar::Int(3), 0),
                ind("1.2", Scalar::Int(3), 0),
                ind("1.3", Scalar::Int(0), 0),
            ]),
            components(vec![("paparan", 79.0)]),
        ];
        assert_eq!(
            set_mappings(file, &edits),
            "indicators:\r\n  '1.1': 3\r\n  '1.2': 3\r\n  '1.3': 0\r\ncomponents:\r\n  \"paparan\": 79\r\n"
        );
    }

    #[test]
    fn a_quoted_number_is_not_a_score() {
        let file = "indicators:\n  \"1.1\": \"2\"\n";
        let edits = [indicators(vec![ind("1.1", Scalar::Int(2), 0)])];
        assert_eq!(set_mappings(file, &edits), "indicators:\n  \"1.1\": 2\n");
    }

    #[test]
    fn strings_are_quoted_when_yaml_would_read_them_otherwise() {
        assert_eq!(Scalar::Text("B".into()).render(), "B");
        assert_eq!(Scalar::Text("A+".into()).render(), "A+");
        assert_eq!(Scalar::Text("1".into()).render(), "\"1\"");
        assert_eq!(Scalar::Text("no".into()).render(), "\"no\"");
        assert_eq!(Scalar::Text("a \"b\"".into()).render(), "\"a \\\"b\\\"\"");
        assert_eq!(Scalar::Number(82.5).render(), "82.5");
        assert_eq!(Scalar::Number(80.0).render(), "80");
        assert_eq!(Scalar::Number(0.1).render(), "0.1");
    }

    #[test]
    fn nodes_read_any_yaml() {
        let node: Node = crate::yaml::parse(std::path::Path::new("x.yaml"), FILE).expect("parses");
        assert_eq!(
            node.get("indicators").and_then(|m| m.get("1.2")),
            Some(&Node::String("B".into()))
        );
        assert_eq!(
            node.get("components").and_then(|m| m.get("lapangan")),
            Some(&Node::from(82.5))
        );
        let feedback = node.get("feedback").expect("feedback");
        assert!(matches!(feedback, Node::Mapping(e) if e.keys().next() == Some(&Node::from(1))));
        assert_eq!(
            key_text(feedback.as_mapping().unwrap().keys().next().unwrap()),
            "1"
        );
    }
}
