//! A year to take offline: `arsip/<province>-<year>.zip` holds the year's
//! pages, open data, media and the theme's static files, with links that
//! work from disk (`file://`), and its own `manifest.json`.
//!
//! The pages are not rendered twice: the site's pages are rewritten. Every
//! `href` or `src` attribute the renderer wrote that starts with the site's
//! path (`/`, `/stunting/`) becomes a link relative to the page when it
//! points into the archive (`../buleleng/index.html`, `../../style.css`),
//! and the full published address (`https://…/wilayah/badung/`) when it
//! does not (other years, the home page, the region pages). The rewrite
//! reads tags, not text: text and attribute values are escaped by the
//! templates and the Markdown sanitiser, so a `<` in the output always
//! opens a real tag, and a link written as text in a narrative is left alone.
//!
//! Pure, and the same bytes for the same files: entries sorted by path,
//! every time stamp 1980-01-01 00:00, fixed permissions, stored (see
//! [`options`] for why not deflated).

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::format::{self, Separators};
use crate::manifest::{FileRecord, Manifest, MANIFEST};
use crate::score::cents;

/// The folder of the archives in the output.
pub const FOLDER: &str = "arsip";

/// `bali` for "Bali", `nusa-tenggara-barat` for "Nusa Tenggara Barat":
/// lower-case ASCII letters and digits, other runs as one `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "provinsi".to_string()
    } else {
        out.to_string()
    }
}

/// The archive's name without `.zip` (also its top folder): `bali-2023`.
pub fn name(province: &str, year: i32) -> String {
    format!("{}-{year}", slug(province))
}

/// A size for people: `850 KB`, `1,2 MB` (decimal units, the site's separators).
pub fn size_label(bytes: usize, seps: Separators) -> String {
    if bytes < 1_000_000 {
        format!("{} KB", bytes.div_ceil(1000).max(1))
    } else {
        format!("{} MB", format::fixed(cents(bytes as f64 / 1e6), 1, seps))
    }
}

/// The relative link from the page at `page` to the file `target` (both
/// paths inside the archive, `/`-separated).
fn relative(page: &str, target: &str) -> String {
    let from: Vec<&str> = page.split('/').collect();
    let from = &from[..from.len() - 1];
    let to: Vec<&str> = target.split('/').collect();
    let common = from
        .iter()
        .zip(&to[..to.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to[common..].join("/"));
    out
}

/// Rewrites one link value of the page `page`, or `None` to keep it.
fn rewrite_value(
    value: &str,
    page: &str,
    root: &str,
    absolute: &str,
    inside: &dyn Fn(&str) -> bool,
) -> Option<String> {
    if value.starts_with("//") {
        return None;
    }
    let rest = value.strip_prefix(root)?;
    let cut = rest.find(['?', '#']).unwrap_or(rest.len());
    let (path, suffix) = rest.split_at(cut);
    let target = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    if inside(&target) {
        Some(format!("{}{suffix}", relative(page, &target)))
    } else {
        Some(format!("{absolute}{rest}"))
    }
}

/// The HTML of the page at `page` with the links the renderer wrote made
/// relative (to files `inside` the archive) or absolute (to the others).
/// `root` is the site's path (`/stunting/`), `absolute` its full address.
///
/// Only quoted `href` and `src` attributes whose value starts with `root`
/// are candidates, found with a vectorised substring search (reading every
/// tag cost a third of the time of rendering the pages); each is kept only
/// if it really is an attribute: its name follows white space inside a tag
/// (the nearest `<` or `>` before it is a `<`), outside comments and the raw
/// text of `script`, `style`, `title` and `textarea`.
pub fn relative_links(
    html: &str,
    page: &str,
    root: &str,
    absolute: &str,
    inside: &dyn Fn(&str) -> bool,
) -> String {
    let b = html.as_bytes();
    let raw = raw_text(b);
    let mut hits: Vec<(usize, u8)> = Vec::new();
    for quote in [b'"', b'\''] {
        let needle = [&[b'=', quote][..], root.as_bytes()].concat();
        hits.extend(memchr::memmem::find_iter(b, &needle).map(|i| (i, quote)));
    }
    hits.sort_unstable();
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut copied = 0;
    for (eq, quote) in hits {
        if eq < copied || !is_link_attribute(b, eq, &raw) {
            continue;
        }
        let value_start = eq + 2;
        let Some(len) = memchr::memchr(quote, &b[value_start..]) else {
            continue;
        };
        let value_end = value_start + len;
        let value = &html[value_start..value_end];
        if let Some(new) = rewrite_value(value, page, root, absolute, inside) {
            out.push_str(&html[copied..value_start]);
            out.push_str(&new);
            copied = value_end;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Whether the `=` at `eq` ends the name of an `href` or `src` attribute
/// of a tag.
fn is_link_attribute(b: &[u8], eq: usize, raw: &[(usize, usize)]) -> bool {
    let name_start = b[..eq]
        .iter()
        .rposition(|c| !c.is_ascii_alphanumeric() && *c != b'-' && *c != b':')
        .map_or(0, |i| i + 1);
    let name = &b[name_start..eq];
    if !(name.eq_ignore_ascii_case(b"href") || name.eq_ignore_ascii_case(b"src")) {
        return false;
    }
    if name_start == 0 || !b[name_start - 1].is_ascii_whitespace() {
        return false;
    }
    // Inside a tag: the nearest `<` or `>` before the name is a `<` that opens one.
    let in_tag = memchr::memrchr2(b'<', b'>', &b[..name_start])
        .is_some_and(|lt| b[lt] == b'<' && b.get(lt + 1).is_some_and(u8::is_ascii_alphabetic));
    // Not in raw text: the last raw span starting before it ends before it.
    let in_raw = match raw.partition_point(|&(start, _)| start < eq) {
        0 => false,
        n => raw[n - 1].1 > eq,
    };
    in_tag && !in_raw
}

/// The spans (sorted) of comments and of the raw text of `script`,
/// `style`, `title` and `textarea`, where nothing is a tag.
fn raw_text(b: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        let rest = &b[lt + 1..];
        if rest.starts_with(b"!--") {
            let end = memchr::memmem::find(&rest[3..], b"-->").map_or(b.len(), |e| lt + 4 + e + 3);
            spans.push((lt, end));
            i = end;
            continue;
        }
        let raw = ["script", "style", "textarea", "title"]
            .into_iter()
            .find(|name| {
                rest.len() > name.len()
                    && rest[..name.len()].eq_ignore_ascii_case(name.as_bytes())
                    && !rest[name.len()].is_ascii_alphanumeric()
            });
        match raw {
            Some(name) => {
                // The raw text starts after the opening tag, whose own
                // attributes (`<script src=…>`) are attributes.
                let open = lt + 1 + name.len();
                let open = memchr::memchr(b'>', &b[open..]).map_or(b.len(), |e| open + e + 1);
                let end = close_tag(b, open, name).unwrap_or(b.len());
                spans.push((open, end));
                i = end.max(open);
            }
            None => i = lt + 1,
        }
    }
    spans
}

/// Where `</name` (any case) first occurs in `b` from `from`.
fn close_tag(b: &[u8], from: usize, name: &str) -> Option<usize> {
    memchr::memmem::find_iter(&b[from..], b"</")
        .map(|i| from + i)
        .find(|&i| {
            b.get(i + 2..i + 2 + name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
        })
}

/// One file of an archive: its manifest record and its bytes as stored.
pub struct Entry {
    pub record: FileRecord,
    bytes: Vec<u8>,
}

impl Entry {
    /// The entry of `bytes` at `path` (inside the archive's top folder).
    pub fn new(path: &str, bytes: Vec<u8>) -> Entry {
        Entry {
            record: FileRecord::of(path, &bytes),
            bytes,
        }
    }
}

/// The fixed options of every entry: same bytes for the same files.
///
/// Entries are stored, not compressed: a year of the 500-district benchmark
/// (25 MB of pages) deflated at level 1 cost the build about 2.6 s of CPU
/// for 10 years, more than rendering them; stored, the copy costs a CRC.
/// Pages of a typical province (10 to 40 districts) make archives of a few MB.
fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default())
        .system(zip::System::Unix)
        .unix_permissions(0o644)
        .large_file(false)
}

fn fail(top: &str) -> impl Fn(zip::result::ZipError) -> String + '_ {
    move |e| format!("the archive {top}.zip cannot be made: {e}")
}

/// The zip of `entries` (any order) under the folder `top`, with a
/// `manifest.json` of them first, then the entries sorted by path.
pub fn zip(
    top: &str,
    data_date: Option<String>,
    mut entries: Vec<Entry>,
) -> Result<Vec<u8>, String> {
    entries.sort_by(|a, b| a.record.path.cmp(&b.record.path));
    let records = entries.iter().map(|e| e.record.clone()).collect();
    let manifest = Manifest::new(data_date, records)?.to_json();
    let size = entries
        .iter()
        .map(|e| e.bytes.len() + 2 * e.record.path.len() + top.len() * 2 + 100)
        .sum::<usize>()
        + manifest.len()
        + 4096;
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(size)));
    let mut add = |path: &str, bytes: &[u8]| -> Result<(), String> {
        zip.start_file(format!("{top}/{path}"), options())
            .map_err(fail(top))?;
        zip.write_all(bytes).map_err(|e| fail(top)(e.into()))
    };
    add(MANIFEST, manifest.as_bytes())?;
    for entry in &entries {
        add(&entry.record.path, &entry.bytes)?;
    }
    Ok(zip.finish().map_err(fail(top))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(p: &str) -> bool {
        p.starts_with("2023/") || p == "style.css" || p == "data/2023.json"
    }

    fn rw(html: &str, page: &str) -> String {
        relative_links(html, page, "/s/", "https://x.id/s/", &inside)
    }

    #[test]
    fn links_into_the_archive_become_relative() {
        let page = "2023/buleleng/index.html";
        assert_eq!(
            rw(r#"<a href="/s/2023/badung/">b</a>"#, page),
            r#"<a href="../badung/index.html">b</a>"#
        );
        assert_eq!(
            rw(r#"<link rel="stylesheet" href="/s/style.css">"#, page),
            r#"<link rel="stylesheet" href="../../style.css">"#
        );
        assert_eq!(
            rw(r#"<a class="x" href='/s/2023/praktik-baik/#aksi-5'>"#, page),
            r#"<a class="x" href='../praktik-baik/index.html#aksi-5'>"#
        );
        assert_eq!(
            rw(r#"<img alt="" src="/s/2023/media/a.png">"#, page),
            r#"<img alt="" src="../media/a.png">"#
        );
        assert_eq!(
            rw(r#"<a href="/s/data/2023.json">"#, "2023/index.html"),
            r#"<a href="../data/2023.json">"#
        );
        assert_eq!(
            rw(r#"<a href="/s/2023/">"#, "2023/index.html"),
            r#"<a href="index.html">"#
        );
        assert_eq!(
            rw(
                r#"<script src="/s/2023/a.js"></script><SCRIPT>x='<a href="/s/2023/">'</SCRIPT><p
  title="x" HREF='/s/2023/b/'>"#,
                "2023/index.html"
            ),
            r#"<script src="a.js"></script><SCRIPT>x='<a href="/s/2023/">'</SCRIPT><p
  title="x" HREF='b/index.html'>"#
        );
    }

    #[test]
    fn links_outside_become_absolute_and_the_rest_is_kept() {
        let page = "2023/index.html";
        assert_eq!(
            rw(r#"<a href="/s/">h</a><a href="/s/2022/">"#, page),
            r#"<a href="https://x.id/s/">h</a><a href="https://x.id/s/2022/">"#
        );
        for kept in [
            r##"<a href="#main">"##,
            r#"<a href="https://other.id/s/2023/">"#,
            r#"<a href="//cdn.id/s/x">"#,
            r#"<a href="/other/">"#,
            r#"<p>href="/s/2023/" &lt;a href="/s/2023/"&gt;</p>"#,
            r#"<script>var a = '<a href="/s/2023/">';</script>"#,
            r#"<!-- <a href="/s/2023/"> -->"#,
            r#"<STYLE>a[href="/s/2023/"] {}</Style>"#,
            r#"<title>x <a href="/s/2023/"></title>"#,
            r#"<a data-href="/s/2023/" title="href=/s/2023/">"#,
            "a < b",
        ] {
            assert_eq!(rw(kept, page), kept);
        }
    }

    #[test]
    fn slugs_and_sizes() {
        assert_eq!(slug("Nusa Tenggara Barat"), "nusa-tenggara-barat");
        assert_eq!(slug(" DI  Yogyakarta! "), "di-yogyakarta");
        assert_eq!(slug("—"), "provinsi");
        assert_eq!(size_label(1_234_567, Separators::INDONESIAN), "1,2 MB");
        assert_eq!(size_label(1_250_000, Separators::ENGLISH), "1.3 MB");
        assert_eq!(size_label(850_001, Separators::INDONESIAN), "851 KB");
    }

    #[test]
    fn the_zip_is_the_same_bytes_for_the_same_files() {
        let files = |order: bool| {
            let mut f = vec![
                ("b.html".to_string(), b"b".to_vec()),
                ("a/index.html".to_string(), b"a".to_vec()),
            ];
            if order {
                f.reverse();
            }
            f
        };
        let entries = |order: bool| {
            files(order)
                .iter()
                .map(|(p, b)| Entry::new(p, b.clone()))
                .collect()
        };
        let one = zip("bali-2023", None, entries(true)).unwrap();
        assert_eq!(one, zip("bali-2023", None, entries(false)).unwrap());
        let mut archive = zip::ZipArchive::new(Cursor::new(one)).unwrap();
        assert_eq!(archive.len(), 3);
        assert!(archive.by_name("bali-2023/manifest.json").is_ok());
        let mut a = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("bali-2023/a/index.html").unwrap(),
            &mut a,
        )
        .unwrap();
        assert_eq!(a, "a");
    }
}
