//! Narrative Markdown to safe HTML: pulldown-cmark, then ammonia, which
//! sanitises and resolves links and images against the year folder.
//!
//! Two rules hold for any text, checked or not:
//!
//! - **Nesting is bounded.** Lists, block quotes and raw HTML elements nest at
//!   most [`MAX_NESTING`] levels. html5ever (inside ammonia) walks the whole
//!   stack of open elements for each `<ul>`, `<blockquote>` or `<div>` it
//!   opens, so n levels cost n²: 100 KB of `* * * …` took minutes. [`scan`]
//!   finds the first place nested deeper, for the content checks, and
//!   [`render`] shows such a text as plain text instead of parsing it.
//! - **Images are files of the year.** An image, written in Markdown
//!   (`![](media/x.png)`) or raw HTML (`<img src="media/x.png">`), is a path
//!   relative to the year folder under `media/`. [`scan`] lists every image
//!   with its position so the content checks can refuse the others; the
//!   sanitiser resolves those paths against the year's address and drops any
//!   other image source (another host, `data:`, a path outside `media/`), so a
//!   page never loads an image from another server. `srcset` and
//!   `<picture>`/`<source>` are not in the sanitiser's allow-list.
//!
//! Both [`scan`] and [`render`] are linear in the text's length: one pass
//! over its lines, one pulldown-cmark parse, one pass over the HTML it makes.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::LazyLock;

use pulldown_cmark::{html, Event, Options, Parser, Tag};

/// How many lists, block quotes and HTML elements may sit inside one another.
pub const MAX_NESTING: usize = 32;

thread_local! {
    /// The addresses [`render`] resolves against (year, site root), read by
    /// the sanitiser's attribute filter on the same thread.
    static PLACE: RefCell<(String, String)> = const { RefCell::new((String::new(), String::new())) };
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(Some("noopener noreferrer"));
    // `cite` holds a URL that ammonia does not check for its scheme.
    for tag in ["blockquote", "q", "del", "ins"] {
        b.rm_tag_attributes(tag, &["cite"]);
    }
    // Runs after ammonia dropped scripts, handlers and `javascript:` URLs,
    // on the attributes as a browser would read them.
    b.attribute_filter(|element, attribute, value| match (element, attribute) {
        ("img", "src") => PLACE.with(|p| {
            let year_url = &p.borrow().0;
            match image_source(value) {
                ImageSource::Path(path) if in_media(&path) => {
                    Some(format!("{year_url}{}", as_browsers_read(value)).into())
                }
                _ => None,
            }
        }),
        (_, "href") => PLACE.with(|p| {
            let (year_url, root_url) = &*p.borrow();
            Some(resolve(value, year_url, root_url))
        }),
        _ => Some(value.into()),
    });
    b
});

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// A link target we should resolve: not absolute, not a fragment, no scheme.
fn is_relative(url: &str) -> bool {
    !(url.is_empty()
        || url.starts_with('#')
        || url.starts_with('/')
        || url.starts_with('?')
        || url.contains(':'))
}

/// `media/x.jpg` → `/stunting/2023/media/x.jpg`, `/2022/` → `/stunting/2022/`.
fn resolve<'u>(url: &'u str, year_url: &str, root_url: &str) -> Cow<'u, str> {
    if is_relative(url) {
        format!("{year_url}{url}").into()
    } else if let Some(rest) = url.strip_prefix('/').filter(|r| !r.starts_with('/')) {
        format!("{root_url}{rest}").into()
    } else {
        url.into()
    }
}

/// Renders `source`. `year_url` is the address of the year folder
/// (`/stunting/2023/`), `root_url` the site's (`/stunting/`): `media/x.jpg`
/// becomes `/stunting/2023/media/x.jpg`, `/2022/` becomes `/stunting/2022/`.
///
/// A text nested deeper than [`MAX_NESTING`] (which the content checks refuse)
/// is shown as plain text, so no input costs more than linear time.
pub fn render(source: &str, year_url: &str, root_url: &str) -> String {
    let plain = || {
        let mut out = String::new();
        let text = [
            Event::Start(Tag::Paragraph),
            Event::Text(source.into()),
            Event::End(pulldown_cmark::TagEnd::Paragraph),
        ];
        html::push_html(&mut out, text.into_iter());
        out
    };
    let lines = scan_lines(source);
    if lines.too_deep.is_some() {
        return plain();
    }
    let html = if lines.needs_parse(source) {
        let (html, spans) = to_html(source);
        if walk(source, &html, &spans, false).too_deep.is_some() {
            return plain();
        }
        html
    } else {
        let mut html = String::with_capacity(source.len() * 3 / 2);
        html::push_html(&mut html, Parser::new_ext(source, options()));
        html
    };
    PLACE.with(|p| *p.borrow_mut() = (year_url.to_string(), root_url.to_string()));
    SANITIZER.clean(&html).to_string()
}

/// [`render`] for a text placed under a heading of level `base - 1`: its
/// headings become `base`, `base + 1`, … in the order of their levels, so the
/// page keeps one `h1` and skips no level (`#` and `###` become h3 and h4).
pub fn render_under(source: &str, year_url: &str, root_url: &str, base: u8) -> String {
    shift_headings(&render(source, year_url, root_url), base)
}

/// Renumbers `<h1>`..`<h6>` of sanitised HTML (text there is escaped, so
/// every `<h` is a tag) to consecutive levels from `base`, at most 6.
fn shift_headings(html: &str, base: u8) -> String {
    let level_at = |rest: &str| -> Option<u8> {
        let b = rest.as_bytes();
        (b.len() > 2 && (b'1'..=b'6').contains(&b[1]) && (b[2] == b'>' || b[2] == b' '))
            .then(|| b[1] - b'0')
    };
    let mut used = [false; 7];
    for (i, _) in html.match_indices("<h") {
        if let Some(l) = level_at(&html[i + 1..]) {
            used[usize::from(l)] = true;
        }
    }
    if !used.iter().any(|&u| u) {
        return html.to_string();
    }
    let mut map = [0u8; 7];
    let mut next = base.clamp(1, 6);
    for l in 1..=6 {
        if used[l] {
            map[l] = next;
            next = (next + 1).min(6);
        }
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tag = &rest[i..];
        let (close, after) = match tag.strip_prefix("</") {
            Some(t) => (true, t),
            None => (false, &tag[1..]),
        };
        match level_at(after) {
            Some(l) => {
                out.push_str(if close { "</h" } else { "<h" });
                out.push(char::from(b'0' + map[usize::from(l)]));
                rest = &after[2..];
            }
            None => {
                out.push('<');
                rest = &tag[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// One line of Markdown (an award reason) without the paragraph around it.
pub fn render_inline(source: &str, year_url: &str, root_url: &str) -> String {
    let html = render(source, year_url, root_url);
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// What [`scan`] finds in a text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scan {
    /// Every image, Markdown or raw HTML, in order: its source as written
    /// (HTML entities decoded), line and column (1-based, in characters).
    pub images: Vec<(String, u64, u64)>,
    /// The first place nested more than [`MAX_NESTING`] levels deep.
    pub too_deep: Option<TooDeep>,
}

/// Where a text nests more than [`MAX_NESTING`] levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// How deep: every level on that line for lists and quotes opened on one
    /// line; otherwise the first level past the limit.
    pub depth: usize,
    pub line: u64,
    pub column: u64,
}

/// Finds every image and the first place nested too deep, in linear time.
/// A text nested too deep is not parsed, so its images are not listed.
pub fn scan(source: &str) -> Scan {
    let lines = scan_lines(source);
    if let Some(deep) = lines.too_deep {
        return Scan {
            images: Vec::new(),
            too_deep: Some(deep),
        };
    }
    if !lines.needs_parse(source) {
        return Scan::default();
    }
    let (html, spans) = to_html(source);
    walk(source, &html, &spans, true)
}

/// Where an image written in a text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// A path relative to the year folder, read as a browser would: `\` as
    /// `/`, percent-escapes decoded, without `?query` or `#fragment`.
    Path(String),
    /// `/…`: an address on the site, not a file of the year.
    SiteAddress,
    /// A `data:` URL: the image written into the text.
    Data,
    /// `https://…`, `//host/…` or another scheme: an image from another host.
    OtherHost,
}

/// A URL as browsers read it in an http(s) page: leading and trailing
/// controls and spaces dropped, tabs and newlines dropped anywhere, `\` as `/`.
fn as_browsers_read(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect()
}

/// Classifies the source of an image (`src` or Markdown destination).
pub fn image_source(url: &str) -> ImageSource {
    let url = as_browsers_read(url);
    if url.starts_with("//") {
        return ImageSource::OtherHost;
    }
    if let Some((scheme, _)) = url.split_once(':') {
        let b = scheme.as_bytes();
        if !b.is_empty()
            && b[0].is_ascii_alphabetic()
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
        {
            return if scheme.eq_ignore_ascii_case("data") {
                ImageSource::Data
            } else {
                ImageSource::OtherHost
            };
        }
    }
    if url.starts_with('/') {
        return ImageSource::SiteAddress;
    }
    let path = url.split(['?', '#']).next().unwrap_or_default();
    ImageSource::Path(percent_decode(path))
}

/// Whether `path` (relative to the year folder) names a file under `media/`
/// plainly: no empty, `.`, `..` or hidden part (hidden files are not published).
pub fn in_media(path: &str) -> bool {
    let mut parts = path.split('/');
    parts.next() == Some("media")
        && path.len() > "media/".len()
        && parts.all(|p| !p.is_empty() && !p.starts_with('.'))
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

// ------------------------------------------------------------------ lines

/// What one pass over the lines tells before parsing.
struct Lines {
    too_deep: Option<TooDeep>,
    /// Some line may be nested deeper than the limit through its indentation.
    deep_indent: bool,
}

impl Lines {
    /// Only images (`![`, `<img`), raw HTML (`<`) and deep indentation need a parse.
    fn needs_parse(&self, source: &str) -> bool {
        self.deep_indent || source.contains('<') || source.contains("![")
    }
}

/// Lists and block quotes nest on one line only through the markers that
/// open it (`> - 1. * +`), and through indentation across lines (each list
/// a line continues indents it at least two columns). Counts both for every
/// line: more markers than the limit is refused at once; more markers plus
/// half the indentation than the limit asks for an exact count by parsing.
fn scan_lines(source: &str) -> Lines {
    let mut lines = Lines {
        too_deep: None,
        deep_indent: false,
    };
    let b = source.as_bytes();
    let (mut start, mut line) = (0usize, 1u64);
    while start <= b.len() {
        let end = b[start..]
            .iter()
            .position(|&c| c == b'\n' || c == b'\r')
            .map_or(b.len(), |p| start + p);
        let (markers, columns, past_limit) = line_markers(&b[start..end]);
        if markers > MAX_NESTING {
            let at = past_limit.unwrap_or(0);
            lines.too_deep = Some(TooDeep {
                depth: markers,
                line,
                column: source[start..start + at].chars().count() as u64 + 1,
            });
            return lines;
        }
        if markers + columns / 2 > MAX_NESTING {
            lines.deep_indent = true;
        }
        if end == b.len() {
            break;
        }
        start = if b[end] == b'\r' && b.get(end + 1) == Some(&b'\n') {
            end + 2
        } else {
            end + 1
        };
        line += 1;
    }
    lines
}

/// The list and quote markers at the start of a line, the columns of
/// whitespace among them, and where the marker past the limit starts.
/// Generous on purpose (any digits, any whitespace): counting too many only
/// ever asks for a parse or refuses a line no one writes by hand.
fn line_markers(line: &[u8]) -> (usize, usize, Option<usize>) {
    let space = |c: u8| matches!(c, b' ' | b'\t' | 0x0b | 0x0c);
    let (mut i, mut markers, mut columns, mut past) = (0, 0, 0, None);
    // Where a thematic break of `*` or `-` could start: from there on the
    // line holds only that character and spaces (`* * *` is a rule, not lists).
    let mut rule_from: [Option<usize>; 2] = [None, None];
    loop {
        while i < line.len() && space(line[i]) {
            columns += if line[i] == b'\t' { 4 } else { 1 };
            i += 1;
        }
        if i == line.len() {
            break;
        }
        let at = i;
        let after_ok = |j: usize| j >= line.len() || space(line[j]);
        match line[i] {
            b'>' => i += 1,
            c @ (b'*' | b'-' | b'+') => {
                if !after_ok(i + 1) {
                    break;
                }
                if c != b'+' {
                    let k = usize::from(c == b'-');
                    let from = *rule_from[k].get_or_insert_with(|| {
                        line.iter()
                            .rposition(|&x| x != c && !space(x))
                            .map_or(0, |p| p + 1)
                    });
                    if at >= from && line[at..].iter().filter(|&&x| x == c).count() >= 3 {
                        break;
                    }
                }
                i += 1;
            }
            b'0'..=b'9' => {
                let digits = line[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                let j = i + digits;
                if j >= line.len() || !matches!(line[j], b'.' | b')') || !after_ok(j + 1) {
                    break;
                }
                i = j + 1;
            }
            _ => break,
        }
        markers += 1;
        if markers == MAX_NESTING + 1 {
            past = Some(at);
        }
    }
    (markers, columns, past)
}

// ------------------------------------------------------------------ HTML

/// Which event wrote the HTML from `out` on.
struct Span {
    out: usize,
    /// Where the event starts in the source.
    src: usize,
    /// For raw HTML written as it is in the source: where its text starts
    /// there, so a tag inside it has an exact position.
    raw: Option<usize>,
    /// Raw HTML (its tags count towards nesting whatever they are).
    is_raw: bool,
    /// A Markdown image's destination, as written.
    image: Option<String>,
}

/// pulldown-cmark's HTML, with which event wrote which part of it.
fn to_html(source: &str) -> (String, Vec<Span>) {
    struct Shared(Rc<RefCell<String>>);
    impl std::fmt::Write for Shared {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.borrow_mut().push_str(s);
            Ok(())
        }
    }
    let out = Rc::new(RefCell::new(String::with_capacity(source.len() * 3 / 2)));
    let mut spans = Vec::new();
    {
        let out_len = Rc::clone(&out);
        let events = Parser::new_ext(source, options())
            .into_offset_iter()
            .map(|(event, range)| {
                let (is_raw, raw, image) = match &event {
                    Event::Html(text) | Event::InlineHtml(text) => {
                        let written = source.get(range.clone()).unwrap_or_default();
                        let raw = if written == &**text {
                            Some(range.start)
                        } else if written.ends_with(&**text) {
                            Some(range.end - text.len())
                        } else {
                            None
                        };
                        (true, raw, None)
                    }
                    Event::Start(Tag::Image { dest_url, .. }) => {
                        (false, None, Some(dest_url.to_string()))
                    }
                    _ => (false, None, None),
                };
                spans.push(Span {
                    out: out_len.borrow().len(),
                    src: range.start,
                    raw,
                    is_raw,
                    image,
                });
                event
            });
        // Writing to a String cannot fail.
        let _ = html::write_html_fmt(Shared(Rc::clone(&out)), events);
    }
    let html = Rc::try_unwrap(out).map_or_else(|rc| rc.borrow().clone(), RefCell::into_inner);
    (html, spans)
}

/// Elements that never hold others, and those the HTML parser closes by
/// itself when the next one starts (`<p>`, `<li>`, `<td>` …): neither nests.
fn does_not_nest(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "image"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "caption"
            | "rb"
            | "rt"
            | "rtc"
            | "rp"
    )
}

/// Goes through the HTML pulldown-cmark made from `source` as the HTML
/// parser will: counts nesting (Markdown's lists and quotes, and every raw
/// HTML element) and, if `images`, lists every `<img>` with its position.
fn walk(source: &str, html: &str, spans: &[Span], images: bool) -> Scan {
    let mut found = Scan::default();
    let mut open: Vec<String> = Vec::new();
    let mut positions = Positions::new(source);
    let mut span = 0usize;
    for tag in Tags::new(html) {
        while span + 1 < spans.len() && spans[span + 1].out <= tag.at {
            span += 1;
        }
        let Some(s) = spans.get(span) else { break };
        let src = match s.raw {
            Some(raw) => raw + (tag.at - s.out),
            None => s.src,
        };
        let counts = if s.is_raw {
            !does_not_nest(&tag.name)
        } else {
            matches!(tag.name.as_str(), "ul" | "ol" | "blockquote")
        };
        if tag.end {
            // At most MAX_NESTING open: a bounded search.
            if let Some(i) = open.iter().rposition(|n| *n == tag.name) {
                open.truncate(i);
            }
            continue;
        }
        if counts {
            open.push(tag.name.clone());
            if open.len() > MAX_NESTING {
                let (line, column) = positions.of(src);
                found.too_deep = Some(TooDeep {
                    depth: open.len(),
                    line,
                    column,
                });
                return found;
            }
        }
        if images && matches!(tag.name.as_str(), "img" | "image") {
            let url = match (&s.image, s.is_raw) {
                (Some(dest), false) => Some(dest.clone()),
                _ => tag.src.map(|v| decode_entities(&v)),
            };
            if let Some(url) = url {
                let (line, column) = positions.of(src);
                found.images.push((url, line, column));
            }
        }
    }
    found
}

/// Line and column of byte offsets, counted forward from the last one asked
/// (offsets mostly come in order), so many lookups stay linear.
struct Positions<'a> {
    source: &'a str,
    at: usize,
    line: u64,
    line_start: usize,
}

impl<'a> Positions<'a> {
    fn new(source: &'a str) -> Self {
        Positions {
            source,
            at: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn of(&mut self, offset: usize) -> (u64, u64) {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.at {
            *self = Positions::new(self.source);
        }
        let b = self.source.as_bytes();
        for i in self.at..offset {
            let newline = b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'));
            if newline {
                self.line += 1;
                self.line_start = i + 1;
            }
        }
        self.at = offset;
        let column = self.source[self.line_start..offset].chars().count() as u64 + 1;
        (self.line, column)
    }
}

/// A start or end tag found in HTML.
struct FoundTag {
    /// Where its `<` is.
    at: usize,
    /// Lower case.
    name: String,
    end: bool,
    /// The first `src` attribute's value, as written.
    src: Option<String>,
}

/// The tags of an HTML text, read the way the HTML tokenizer reads them:
/// comments, `<!…>` and `<?…>` skipped, quoted attribute values may hold
/// `<` and `>`, the text of `<script>`, `<style>`, `<textarea>` … is text.
struct Tags<'a> {
    html: &'a str,
    i: usize,
}

impl<'a> Tags<'a> {
    fn new(html: &'a str) -> Self {
        Tags { html, i: 0 }
    }

    fn skip_past(&mut self, end: &str) {
        self.i = match self.html[self.i..].find(end) {
            Some(p) => self.i + p + end.len(),
            None => self.html.len(),
        };
    }

    /// Skips to the end tag `</name`, which ends raw text.
    fn skip_raw_text(&mut self, name: &str) {
        let b = self.html.as_bytes();
        while let Some(p) = self.html[self.i..].find("</") {
            let at = self.i + p;
            let after = at + 2 + name.len();
            let named = b
                .get(at + 2..after)
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
            if named
                && b.get(after)
                    .is_none_or(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
            {
                self.i = at;
                return;
            }
            self.i = at + 2;
        }
        self.i = self.html.len();
    }
}

impl Iterator for Tags<'_> {
    type Item = FoundTag;

    fn next(&mut self) -> Option<FoundTag> {
        let b = self.html.as_bytes();
        loop {
            let at = self.i + self.html.get(self.i..)?.find('<')?;
            let rest = &b[at + 1..];
            self.i = at + 1;
            if rest.starts_with(b"!--") {
                self.i = at + 4;
                // `<!-->` and `<!--->` are closed comments too.
                if rest[3..].starts_with(b">") {
                    self.i += 1;
                } else if rest[3..].starts_with(b"->") {
                    self.i += 2;
                } else {
                    self.skip_past("-->");
                }
                continue;
            }
            if rest.starts_with(b"!") || rest.starts_with(b"?") {
                self.skip_past(">");
                continue;
            }
            let (end, name_at) = match rest {
                [b'/', c, ..] if c.is_ascii_alphabetic() => (true, at + 2),
                [c, ..] if c.is_ascii_alphabetic() => (false, at + 1),
                // `</>` is dropped, `</ …>` is a comment.
                [b'/', ..] => {
                    self.skip_past(">");
                    continue;
                }
                _ => continue,
            };
            let stop = |c: u8| c.is_ascii_whitespace() || c == b'/' || c == b'>';
            let name_end = b[name_at..]
                .iter()
                .position(|&c| stop(c))
                .map_or(b.len(), |p| name_at + p);
            let name = self.html[name_at..name_end].to_ascii_lowercase();
            self.i = name_end;
            let src = self.attributes();
            if !end {
                match name.as_str() {
                    "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "textarea"
                    | "title" => self.skip_raw_text(&name),
                    "plaintext" => self.i = self.html.len(),
                    _ => {}
                }
            }
            return Some(FoundTag { at, name, end, src });
        }
    }
}

impl Tags<'_> {
    /// Reads attributes up to and past the closing `>`; the first `src`.
    fn attributes(&mut self) -> Option<String> {
        let b = self.html.as_bytes();
        let mut src = None;
        let mut seen_src = false;
        loop {
            while self.i < b.len() && (b[self.i].is_ascii_whitespace() || b[self.i] == b'/') {
                self.i += 1;
            }
            if self.i >= b.len() {
                return src;
            }
            if b[self.i] == b'>' {
                self.i += 1;
                return src;
            }
            let name_at = self.i;
            self.i += 1; // a first `=` belongs to the name
            while self.i < b.len()
                && !(b[self.i].is_ascii_whitespace() || matches!(b[self.i], b'/' | b'>' | b'='))
            {
                self.i += 1;
            }
            let is_src = self.html[name_at..self.i].eq_ignore_ascii_case("src");
            while self.i < b.len() && b[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
            let mut value = "";
            if b.get(self.i) == Some(&b'=') {
                self.i += 1;
                while self.i < b.len() && b[self.i].is_ascii_whitespace() {
                    self.i += 1;
                }
                match b.get(self.i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let from = self.i + 1;
                        let to = b[from..]
                            .iter()
                            .position(|&c| c == q)
                            .map_or(b.len(), |p| from + p);
                        value = &self.html[from..to];
                        self.i = (to + 1).min(b.len());
                    }
                    Some(b'>') | None => {}
                    Some(_) => {
                        let from = self.i;
                        while self.i < b.len()
                            && !(b[self.i].is_ascii_whitespace() || b[self.i] == b'>')
                        {
                            self.i += 1;
                        }
                        value = &self.html[from..self.i];
                    }
                }
            }
            if is_src && !seen_src {
                seen_src = true;
                src = Some(value.to_string());
            }
        }
    }
}

/// Decodes the character references a URL is likely to hold: `&amp;`,
/// `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&colon;`, `&sol;`, `&period;` and
/// numeric ones. Others stay as written (the path then names no file, which
/// the checks refuse).
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let semi = rest[1..].find(';').map(|q| q + 1).filter(|&q| q <= 12);
        let decoded = semi.and_then(|q| {
            let name = &rest[1..q];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "sol" => Some('/'),
                "bsol" => Some('\\'),
                "period" => Some('.'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let n = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(n)
                }
            }?;
            Some((c, q + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_links_never_pass() {
        let md = "Hi <script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[klik](javascript:alert(3))\n\n<iframe src=\"https://evil.example\"></iframe>\n\n<a href=\"javascript:alert(4)\">x</a>";
        let html = render(md, "/s/2023/", "/s/");
        for bad in ["<script", "onerror", "javascript:", "<iframe", "alert(1)"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(html.contains("Hi"));
    }

    #[test]
    fn relative_links_resolve_against_the_year() {
        let html = render(
            "![foto](media/a.jpg) [2022](/2022/) [luar](https://x.id/)",
            "/s/2023/",
            "/s/",
        );
        assert!(html.contains("src=\"/s/2023/media/a.jpg\""), "{html}");
        assert!(html.contains("href=\"/s/2022/\""), "{html}");
        assert!(html.contains("href=\"https://x.id/\""), "{html}");
        assert_eq!(
            scan("Foto\n\n![a](media/a.jpg) ![b](https://x/b.png)").images,
            vec![
                ("media/a.jpg".to_string(), 3, 1),
                ("https://x/b.png".to_string(), 3, 19)
            ]
        );
    }

    #[test]
    fn raw_html_images_resolve_like_markdown_images() {
        let html = render(
            "<img src=\"media/a.jpg\" alt=\"a\">\n\nTeks <IMG SRC='media/b.jpg'> dan ![c](media/c.jpg)",
            "/s/2023/",
            "/s/",
        );
        for path in ["a", "b", "c"] {
            assert!(
                html.contains(&format!("src=\"/s/2023/media/{path}.jpg\"")),
                "{html}"
            );
        }
    }

    #[test]
    fn images_from_elsewhere_never_reach_the_page() {
        for md in [
            "![x](https://evil.example/p.png)",
            "<img src=\"https://evil.example/p.png\">",
            "<img src=//evil.example/p.png>",
            "<img src=\"\\\\evil.example/p.png\">",
            "<img src=\"https&colon;//evil.example/p.png\">",
            "<image src=\"https://evil.example/p.png\">",
            "<img src=\"data:image/png;base64,AAAA\">",
            "<img src=\"media/../districts/bima.yaml\">",
            "<img src=\"media/%2e%2e/districts/bima.yaml\">",
            "<img src=\"../2022/media/x.png\">",
            "<img src=\"/2022/media/x.png\">",
            "<img src=\"media/x.png\" srcset=\"https://evil.example/p.png 2x\">",
            "<picture><source srcset=\"https://evil.example/p.png\"><img src=\"media/x.png\"></picture>",
        ] {
            let html = render(md, "/s/2023/", "/s/");
            for bad in ["evil", "data:", "bima", "2022", "srcset", "<source"] {
                assert!(!html.contains(bad), "{bad} in {html} from {md}");
            }
        }
    }

    #[test]
    fn image_sources_are_read_as_a_browser_reads_them() {
        use ImageSource::*;
        for (url, want) in [
            ("media/a.png", Path("media/a.png".into())),
            ("media/foto%20a.png?v=2#x", Path("media/foto a.png".into())),
            ("media\\a.png", Path("media/a.png".into())),
            ("https://x.id/a.png", OtherHost),
            (" HTTPS://x.id/a.png", OtherHost),
            ("//x.id/a.png", OtherHost),
            ("\\\\x.id/a.png", OtherHost),
            ("ht\ttps://x.id/a.png", OtherHost),
            ("data:image/png;base64,AA", Data),
            ("/2023/media/a.png", SiteAddress),
        ] {
            assert_eq!(image_source(url), want, "{url}");
        }
        assert!(in_media("media/a.png") && in_media("media/sub/a.png"));
        for bad in [
            "media/",
            "media",
            "media/.a.png",
            "media//a.png",
            "districts/a.yaml",
        ] {
            assert!(!in_media(bad), "{bad}");
        }
    }

    #[test]
    fn raw_html_images_are_listed_with_their_position() {
        let md = "Satu\n\n<div>\n  <img alt=x\n   src=\"media/a&amp;b.png\">\n</div>\n\nTeks <img src=media/c.png> <!-- <img src=media/no.png> -->\n\n`<img src=media/code.png>`";
        assert_eq!(
            scan(md).images,
            vec![
                ("media/a&b.png".to_string(), 4, 3),
                ("media/c.png".to_string(), 8, 6)
            ]
        );
    }

    #[test]
    fn nesting_past_the_limit_is_found_where_it_happens() {
        let ok = "* ".repeat(MAX_NESTING) + "x\n";
        assert_eq!(scan(&ok).too_deep, None);
        let deep = format!("Teks\n\n{}x\n", "* ".repeat(100));
        assert_eq!(
            scan(&deep).too_deep,
            Some(TooDeep {
                depth: 100,
                line: 3,
                column: 2 * MAX_NESTING as u64 + 1
            })
        );
        // A thematic break is not a list.
        assert_eq!(scan(&"* ".repeat(100)).too_deep, None);
        let divs = format!("a\n\n{}", "<div>".repeat(40));
        let found = scan(&divs).too_deep.unwrap();
        assert_eq!((found.line, found.column), (3, 5 * MAX_NESTING as u64 + 1));
        // Closed elements do not add up.
        assert_eq!(scan(&"<div>x</div>\n".repeat(100)).too_deep, None);
        // Nesting through indentation.
        let indented: String = (0..40)
            .map(|d| format!("{}- a\n", "  ".repeat(d)))
            .collect();
        assert_eq!(scan(&indented).too_deep.map(|d| d.line), Some(33));
        // Rendering such a text shows it as text.
        assert!(render(&deep, "/", "/").starts_with("<p>Teks"));
    }

    #[test]
    fn narrative_headings_shift_under_the_page_heading_without_gaps() {
        let html = render_under("# Satu\n\ntext\n\n### Tiga\n\n# Lagi", "/2030/", "/", 3);
        assert_eq!(html.matches("<h3>").count(), 2, "{html}");
        assert!(html.contains("<h4>Tiga</h4>"), "{html}");
        assert!(!html.contains("<h1") && !html.contains("<h5"), "{html}");
        assert_eq!(
            render_under("## a\n\n###### b", "/", "/", 5),
            "<h5>a</h5>\n<h6>b</h6>\n"
        );
        assert_eq!(
            render_under("no heading <b>x</b>", "/", "/", 3),
            render("no heading <b>x</b>", "/", "/")
        );
    }

    #[test]
    fn inline_drops_the_paragraph() {
        assert_eq!(
            render_inline("Paling **inovatif**", "/", "/"),
            "Paling <strong>inovatif</strong>"
        );
    }
}
