//! Narrative Markdown to safe HTML: pulldown-cmark, relative links resolved
//! against the year folder, then sanitised with ammonia.

use std::sync::LazyLock;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(Some("noopener noreferrer"));
    // `cite` holds a URL that ammonia does not check for its scheme.
    for tag in ["blockquote", "q", "del", "ins"] {
        b.rm_tag_attributes(tag, &["cite"]);
    }
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

/// Renders `source`. `year_url` is the address of the year folder
/// (`/stunting/2023/`), `root_url` the site's (`/stunting/`): `media/x.jpg`
/// becomes `/stunting/2023/media/x.jpg`, `/2022/` becomes `/stunting/2022/`.
pub fn render(source: &str, year_url: &str, root_url: &str) -> String {
    let resolve = |url: CowStr<'_>| -> CowStr<'static> {
        if is_relative(&url) {
            format!("{year_url}{url}").into()
        } else if let Some(rest) = url.strip_prefix('/').filter(|r| !r.starts_with('/')) {
            format!("{root_url}{rest}").into()
        } else {
            url.into_string().into()
        }
    };
    let events = Parser::new_ext(source, options()).map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: resolve(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: resolve(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    SANITIZER.clean(&out).to_string()
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

/// Relative image paths in `source` with the line and column where each is
/// written, to check that they exist.
pub fn relative_images(source: &str) -> Vec<(String, u64, u64)> {
    // Line numbers are counted forward from the last image, so many images
    // in a long narrative stay linear.
    let (mut line, mut line_start, mut counted) = (1u64, 0usize, 0usize);
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        let Event::Start(Tag::Image { dest_url, .. }) = event else {
            continue;
        };
        if !is_relative(&dest_url) {
            continue;
        }
        for (i, b) in source.as_bytes()[counted..range.start].iter().enumerate() {
            if *b == b'\n' {
                line += 1;
                line_start = counted + i + 1;
            }
        }
        counted = range.start;
        let column = source[line_start..range.start].chars().count() as u64 + 1;
        found.push((dest_url.into_string(), line, column));
    }
    found
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
            relative_images("Foto\n\n![a](media/a.jpg) ![b](https://x/b.png)"),
            vec![("media/a.jpg".to_string(), 3, 1)]
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
