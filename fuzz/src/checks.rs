//! What the fuzz targets check, shared with `tests/fuzz_regressions.rs` (which
//! includes this file with `#[path]`), so a regression test runs exactly the
//! code the fuzzer ran. Only `rapor` and `std` are used here.
//!
//! SPEC §7: no input may make the generator panic or hang, and narrative
//! Markdown reaches a page without scripts, event handlers, `javascript:`
//! links or iframes. SPEC §4: scores run from 0 to 100.

#![allow(dead_code)]

use rapor::content::{parse_district, parse_rubric, DistrictYear, IndicatorKind, Rubric};
use rapor::score::{score_district, score_year};

/// The rubrics the `district` target checks every input against: one with
/// graded indicators only (2023) and one mixing scored and graded (2022).
pub const RUBRIC_2023: &str = include_str!("../../content/2023/rubric.yaml");
pub const RUBRIC_2022: &str = include_str!("../../content/2022/rubric.yaml");

/// Where a `rubric_district` input splits: the rubric before the first NUL
/// byte, the district file after it (YAML cannot hold a NUL, so nothing is lost).
pub const SEPARATOR: u8 = 0;

/// Bugs the fuzzers found and reported that `src/` has not fixed yet, each
/// kept as an ignored test in `tests/fuzz_regressions.rs`. The fuzz targets
/// step over them so that a campaign goes on looking for new problems
/// instead of finding these again every few seconds; the regression tests
/// use [`STRICT`]. Set `RAPOR_FUZZ_STRICT` (see [`fuzzing_tolerance`]) to
/// fuzz without stepping over them, and empty an entry here once the bug is
/// fixed in `src/`.
#[derive(Debug, Clone, Copy)]
pub struct Known {
    /// Panics whose source file path contains one of these are caught
    /// (e.g. `"yaml_serde"`, for a panic inside the YAML library).
    pub panics_in: &'static [&'static str],
    /// Attributes whose `javascript:` URLs are not reported (e.g. `"cite"`).
    pub url_attrs: &'static [&'static str],
    /// Scores above 100 by at most this are not reported.
    pub score_excess: f64,
    /// Scores of a rubric whose points overflow once multiplied by 100 are
    /// not range-checked.
    pub overflowing_points: bool,
}

/// Nothing stepped over.
pub const STRICT: Known = Known {
    panics_in: &[],
    url_attrs: &[],
    score_excess: 0.0,
    overflowing_points: false,
};

/// The bugs still open (none). Fixed since they were reported: a panic in
/// yaml_serde on a mapping as an indicator value, `cite="javascript:"`,
/// scores above 100 from the weight tolerance, infinite scores from huge
/// grade values, the fast and full YAML parses reading a file differently
/// (the fast parse is gone), and the quadratic `relative_images`, which only
/// a timing test catches.
pub const OPEN_BUGS: Known = STRICT;

/// What a fuzz target steps over: [`OPEN_BUGS`], less what
/// `RAPOR_FUZZ_STRICT` names (a comma-separated list of `panics`, `urls`,
/// `scores`, `overflow`, or `all` / `1` for everything).
pub fn fuzzing_tolerance() -> &'static Known {
    static CHOICE: std::sync::OnceLock<Known> = std::sync::OnceLock::new();
    CHOICE.get_or_init(|| {
        let strict = std::env::var("RAPOR_FUZZ_STRICT").unwrap_or_default();
        let on = |name: &str| {
            strict
                .split(',')
                .any(|s| matches!(s.trim(), "all" | "1") || s.trim() == name)
        };
        Known {
            panics_in: if on("panics") {
                &[]
            } else {
                OPEN_BUGS.panics_in
            },
            url_attrs: if on("urls") { &[] } else { OPEN_BUGS.url_attrs },
            score_excess: if on("scores") {
                0.0
            } else {
                OPEN_BUGS.score_excess
            },
            overflowing_points: !on("overflow") && OPEN_BUGS.overflowing_points,
        }
    })
}

/// For a fuzz target's `init`: lets panics in the files `known` names unwind
/// quietly (to [`run`]); any other panic still goes to libFuzzer's hook,
/// which aborts and saves the input.
pub fn install_panic_filter(known: &'static Known) {
    if known.panics_in.is_empty() {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let file = info.location().map_or("", |l| l.file());
        if known.panics_in.iter().any(|p| file.contains(p)) {
            return;
        }
        previous(info);
    }));
}

/// Runs one fuzz input, catching the panics [`install_panic_filter`] lets through.
pub fn run(known: &Known, f: impl FnOnce()) {
    if known.panics_in.is_empty() {
        f();
    } else {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    }
}

/// Splits a `rubric_district` input; `None` when a part is not UTF-8.
pub fn split(data: &[u8]) -> Option<(&str, &str)> {
    let (rubric, district) = match data.iter().position(|&b| b == SEPARATOR) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &data[data.len()..]),
    };
    Some((
        std::str::from_utf8(rubric).ok()?,
        std::str::from_utf8(district).ok()?,
    ))
}

/// The `district` target: one district file against fixed, valid rubrics.
pub fn district_against(rubric: &Rubric, text: &str, known: &Known) {
    if let Ok(district) = parse_district(rubric, text) {
        check_scores(rubric, &district, text, known);
    }
}

/// The `rubric_district` target: a fuzzed rubric and a fuzzed district file.
/// When the rubric is accepted, the best and the worst district it allows are
/// written out as district files and checked too, so a rubric whose numbers
/// break scoring is caught without the fuzzer also having to write a
/// matching district.
pub fn rubric_and_district(rubric_text: &str, district_text: &str, known: &Known) {
    let Ok(rubric) = parse_rubric(rubric_text) else {
        return;
    };
    check_rubric(&rubric);
    for best in [true, false] {
        let text = extreme_district(&rubric, best);
        if let Ok(district) = parse_district(&rubric, &text) {
            check_scores(&rubric, &district, &text, known);
        }
    }
    district_against(&rubric, district_text, known);
}

/// What a loaded rubric promises the scoring code.
pub fn check_rubric(rubric: &Rubric) {
    assert!(
        !rubric.components.is_empty(),
        "accepted rubric without components"
    );
    assert!(
        rubric.document < rubric.components.len(),
        "document component {} out of {}",
        rubric.document,
        rubric.components.len()
    );
    assert!(
        !rubric.actions.is_empty(),
        "accepted rubric without actions"
    );
    assert!(
        !rubric.categories.is_empty(),
        "accepted rubric without categories"
    );
    for &c in &rubric.tie_break {
        assert!(
            c < rubric.components.len(),
            "tie_break index {c} out of range"
        );
    }
}

/// A district file (written as JSON, which is YAML) giving every indicator
/// its best (or worst) answer and every directly scored component 100 (or 0).
pub fn extreme_district(rubric: &Rubric, best: bool) -> String {
    let mut out = String::from("{\"indicators\": {");
    let mut first = true;
    for ind in rubric.indicators() {
        let value = match &ind.kind {
            IndicatorKind::Scored { max } => (if best { *max } else { 0 }).to_string(),
            IndicatorKind::Graded { grades } => {
                let grade = if best { grades.first() } else { grades.last() };
                match grade {
                    Some(g) => json_string(&g.grade),
                    None => "null".to_string(),
                }
            }
        };
        if !first {
            out.push_str(", ");
        }
        first = false;
        out.push_str(&json_string(&ind.key));
        out.push_str(": ");
        out.push_str(&value);
    }
    out.push_str("}, \"components\": {");
    let mut first = true;
    for (i, c) in rubric.components.iter().enumerate() {
        if i == rubric.document {
            continue;
        }
        if !first {
            out.push_str(", ");
        }
        first = false;
        out.push_str(&json_string(&c.key));
        out.push_str(if best { ": 100" } else { ": 0" });
    }
    out.push_str("}}\n");
    out
}

/// A double-quoted scalar valid in both JSON and YAML.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20
                || (0x7f..=0x9f).contains(&(c as u32))
                || c == '\u{feff}'
                || c == '\u{fffe}'
                || c == '\u{ffff}' =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Scores of an accepted district: finite, within 0..=100, a category that
/// exists; and scoring a year of such districts does not panic and ranks
/// equal districts equally.
pub fn check_scores(rubric: &Rubric, district: &DistrictYear, input: &str, known: &Known) {
    assert_eq!(district.answers.len(), rubric.actions.len());
    for (row, action) in district.answers.iter().zip(&rubric.actions) {
        assert_eq!(row.len(), action.indicators.len());
    }
    assert_eq!(district.components.len(), rubric.components.len());

    let s = score_district(rubric, district);
    let skip = known.overflowing_points && points_overflow(rubric);
    let top = 100.0 + known.score_excess;
    let in_range = |what: &str, x: f64| {
        assert!(
            skip || (x.is_finite() && (0.0..=top).contains(&x)),
            "{what} score {x} is not within 0..=100 for an accepted district\n\
             --- district ---\n{input}"
        );
    };
    assert_eq!(s.actions.len(), rubric.actions.len());
    assert_eq!(s.components.len(), rubric.components.len());
    for (a, &x) in rubric.actions.iter().zip(&s.actions) {
        in_range(&format!("action {}", a.number), x);
    }
    for (c, &x) in rubric.components.iter().zip(&s.components) {
        in_range(&format!("component `{}`", c.key), x);
    }
    in_range("final", s.final_score);
    assert!(
        s.category < rubric.categories.len(),
        "category out of range"
    );

    let entries = vec![Some(district.clone()), None, Some(district.clone())];
    let year = score_year(rubric, &entries);
    assert_eq!(year.rank[1], None);
    assert_eq!(year.rank[0], Some(1), "equal districts rank first together");
    assert_eq!(year.rank[2], Some(1), "equal districts rank first together");
    assert_eq!(year.order.len(), 2);
}

/// Whether some action's points, multiplied by 100 as scoring does, overflow.
pub fn points_overflow(rubric: &Rubric) -> bool {
    rubric.actions.iter().any(|a| {
        let max: f64 = a.indicators.iter().map(|i| i.max_points()).sum();
        !(max * 100.0).is_finite()
    })
}

/// The `markdown` target: render, render inline, scan for images and nesting;
/// the HTML must carry nothing that runs script.
pub fn markdown(source: &str, known: &Known) {
    let html = rapor::markdown::render(source, "/stunting/2023/", "/stunting/");
    check_html_tolerating(&html, source, known.url_attrs);
    check_images_are_media(&html, source);
    let inline = rapor::markdown::render_inline(source, "/stunting/2023/", "/stunting/");
    check_html_tolerating(&inline, source, known.url_attrs);
    check_images_are_media(&inline, source);
    // Lines end at `\n`, `\r\n` or a lone `\r`, as in CommonMark.
    let lines = source.replace("\r\n", "\n").split(['\n', '\r']).count() as u64;
    let scan = rapor::markdown::scan(source);
    for (_, line, column) in &scan.images {
        assert!(*line >= 1 && *column >= 1, "image position {line}:{column}");
        assert!(*line <= lines, "image line {line} beyond the {lines} lines");
    }
    if let Some(deep) = scan.too_deep {
        assert!(deep.depth > rapor::markdown::MAX_NESTING, "{deep:?}");
        assert!(
            deep.line >= 1 && deep.line <= lines,
            "{deep:?} beyond {lines} lines"
        );
    }
}

/// Every image in rendered HTML is a file of the year's `media/` (no other
/// host, no `data:`), and no `srcset` or `<source>` offers another.
pub fn check_images_are_media(html: &str, source: &str) {
    for tag in scan_tags(html) {
        let name = tag.name.to_ascii_lowercase();
        assert!(
            name != "source" && name != "picture",
            "<{name}> in sanitised HTML\n--- source ---\n{source}\n--- html ---\n{html}"
        );
        for (attr, value) in &tag.attrs {
            let attr = attr.to_ascii_lowercase();
            assert!(
                attr != "srcset",
                "srcset on <{name}>\n--- source ---\n{source}\n--- html ---\n{html}"
            );
            if name == "img" && attr == "src" {
                let value = decode_entities(value.as_deref().unwrap_or_default());
                let path = value.split(['?', '#']).next().unwrap_or_default();
                let rest = path.strip_prefix("/stunting/2023/media/");
                assert!(
                    rest.is_some_and(|r| !r.is_empty()
                        && !r.contains(['\\', '\t', '\n', '\r'])
                        && r.split('/').all(|p| !p.is_empty() && !p.starts_with('.'))),
                    "image `{value}` is not a file of the year's media/\n--- source ---\n{source}\n--- html ---\n{html}"
                );
            }
        }
    }
}

/// Tags a browser would see in `html`, scanned the way the HTML tokenizer
/// does (quoted attribute values may hold `<` and `>`), so the words
/// `script` or `javascript:` in text are not mistaken for markup.
pub fn check_html(html: &str, source: &str) {
    check_html_tolerating(html, source, &[]);
}

/// Like [`check_html`], not failing on URLs in the attributes listed.
pub fn check_html_tolerating(html: &str, source: &str, tolerated: &[&str]) {
    for tag in scan_tags(html) {
        let name = tag.name.to_ascii_lowercase();
        assert!(
            !matches!(
                name.as_str(),
                "script" | "iframe" | "frame" | "frameset" | "object" | "embed" | "base"
            ),
            "<{name}> in sanitised HTML\n--- source ---\n{source}\n--- html ---\n{html}"
        );
        for (attr, value) in &tag.attrs {
            let attr = attr.to_ascii_lowercase();
            assert!(
                !attr.starts_with("on"),
                "event handler `{attr}` on <{name}>\n--- source ---\n{source}\n--- html ---\n{html}"
            );
            assert!(
                attr != "style" && attr != "srcdoc",
                "`{attr}` on <{name}>\n--- source ---\n{source}\n--- html ---\n{html}"
            );
            let Some(value) = value else { continue };
            if is_url_attribute(&attr) && !tolerated.contains(&attr.as_str()) {
                let value = decode_entities(value);
                let urls: Vec<&str> = if attr == "srcset" {
                    value.split(',').collect()
                } else {
                    vec![&value]
                };
                for url in urls {
                    if let Some(scheme) = scheme_of(url) {
                        assert!(
                            !matches!(scheme.as_str(), "javascript" | "vbscript" | "data"),
                            "`{scheme}:` URL in {attr} of <{name}>\n--- source ---\n{source}\n--- html ---\n{html}"
                        );
                    }
                }
            }
        }
    }
}

fn is_url_attribute(attr: &str) -> bool {
    matches!(
        attr,
        "href"
            | "src"
            | "srcset"
            | "cite"
            | "action"
            | "formaction"
            | "poster"
            | "background"
            | "longdesc"
            | "usemap"
            | "xlink:href"
            | "data"
            | "codebase"
            | "lowsrc"
            | "dynsrc"
            | "ping"
    )
}

/// The scheme of a URL as a browser parses it: leading and trailing C0
/// controls and spaces dropped, tabs and newlines removed anywhere.
fn scheme_of(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// One pass of character-reference decoding, as a browser does on an
/// attribute value (numeric references and the few names a serialiser writes).
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |e| e + 1);
        let name = &rest[1..end];
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            n.map(|n| char::from_u32(n).unwrap_or('\u{fffd}'))
        } else {
            match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some('\u{a0}'),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) if end > 1 => {
                out.push(c);
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

pub struct Tag {
    pub name: String,
    pub closing: bool,
    /// Name and value as written (before character references are decoded).
    pub attrs: Vec<(String, Option<String>)>,
}

/// A small HTML tokenizer: start and end tags with their attributes; text,
/// comments and doctypes are skipped.
pub fn scan_tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c);
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let closing = b.get(i + 1) == Some(&b'/');
        let start = i + 1 + usize::from(closing);
        if b.get(start) == Some(&b'!') || b.get(start) == Some(&b'?') {
            // Comment, doctype or bogus comment: up to the next `>`.
            i = html[start..].find('>').map_or(b.len(), |e| start + e + 1);
            continue;
        }
        if !b.get(start).is_some_and(|c| c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        let mut j = start;
        while j < b.len() && !is_space(b[j]) && b[j] != b'/' && b[j] != b'>' {
            j += 1;
        }
        let name = html[start..j].to_string();
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && (is_space(b[j]) || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                j += 1;
                break;
            }
            let a = j;
            j += 1; // the first character may be `=`
            while j < b.len() && !is_space(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
                j += 1;
            }
            let attr = html[a..j].to_string();
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            if b.get(j) != Some(&b'=') {
                attrs.push((attr, None));
                continue;
            }
            j += 1;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            let value = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let v = j + 1;
                    let end = html[v..].find(q as char).map_or(b.len(), |e| v + e);
                    j = (end + 1).min(b.len());
                    &html[v..end]
                }
                _ => {
                    let v = j;
                    while j < b.len() && !is_space(b[j]) && b[j] != b'>' {
                        j += 1;
                    }
                    &html[v..j]
                }
            };
            attrs.push((attr, Some(value.to_string())));
        }
        tags.push(Tag {
            name,
            closing,
            attrs,
        });
        i = j;
    }
    tags
}
