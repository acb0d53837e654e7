//! `site.yaml` and `districts.yaml`: the site settings and the province's registry.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Problem, Problems};
use crate::yaml::{self, location_of, Spanned};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    pub province: Province,
    #[serde(default)]
    pub publisher: Option<String>,
    pub base_url: String,
    #[serde(default)]
    pub language: Language,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub notice: Option<String>,
    /// The province's district boundaries (`content/map.geojson` unless set).
    #[serde(default)]
    pub map: MapConfig,
    /// `share:`: how pages are shared (link previews).
    #[serde(default)]
    pub share: ShareConfig,
}

/// `share:` in `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareConfig {
    /// Whether to draw a preview picture (`og.png`) for every district and
    /// year page; without it link previews show text only.
    #[serde(default = "yes")]
    pub images: bool,
}

impl Default for ShareConfig {
    fn default() -> Self {
        ShareConfig { images: true }
    }
}

fn yes() -> bool {
    true
}

/// `map:` in `site.yaml`: where the boundaries are and where they come from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapConfig {
    /// Relative to `content/`.
    #[serde(default = "default_map_file")]
    pub file: String,
    /// The feature property holding the district's code.
    #[serde(default = "default_code_property")]
    pub code_property: String,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub licence: Option<String>,
}

impl Default for MapConfig {
    fn default() -> Self {
        MapConfig {
            file: default_map_file(),
            code_property: default_code_property(),
            source: None,
            licence: None,
        }
    }
}

fn default_map_file() -> String {
    "map.geojson".to_string()
}

fn default_code_property() -> String {
    "code".to_string()
}

/// Whether `file` is the name of a file in `content/`: one plain name, never
/// a path (a folder in `content/` would be taken for a year).
pub fn is_valid_map_file(file: &str) -> bool {
    is_valid_theme_name(file) && file.len() <= 128
}

fn default_theme() -> String {
    "default".to_string()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Province {
    pub name: String,
    pub code: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Id,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Id => "id",
            Language::En => "en",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DistrictKind {
    Kabupaten,
    Kota,
}

/// One district or city of the province.
#[derive(Debug, Clone)]
pub struct District {
    pub code: String,
    pub name: String,
    pub slug: String,
    pub kind: DistrictKind,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistrict {
    code: Spanned<String>,
    name: String,
    slug: Spanned<String>,
    kind: DistrictKind,
}

/// Slugs become folder names, so only a safe alphabet is allowed; the names
/// of the year's own pages are reserved.
pub const RESERVED_SLUGS: &[&str] = &["praktik-baik", "media", "data", "wilayah"];

pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 64
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
}

/// Where `base_url` and `theme` are written, for problems found after parsing.
#[derive(Deserialize)]
struct Positions {
    #[serde(default)]
    base_url: Option<Spanned<String>>,
    #[serde(default)]
    theme: Option<Spanned<String>>,
    #[serde(default)]
    map: Option<MapPositions>,
}

#[derive(Deserialize)]
struct MapPositions {
    #[serde(default)]
    file: Option<Spanned<String>>,
}

/// Whether `name` can be a folder under `themes/`: one plain name, never a path.
pub fn is_valid_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Checks a base address (from `site.yaml` or `--base-url`): an absolute
/// `http://` or `https://` address with a host, or a path from the root of
/// the host such as `/stunting/`. Says what is wrong otherwise.
pub fn check_base_url(url: &str) -> Result<(), String> {
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>`{}|^\\".contains(*c))
    {
        return Err(format!("holds {c:?}, which has no place in a web address"));
    }
    if url.contains(['?', '#']) {
        return Err("holds `?` or `#`; the address of the site's home folder has neither".into());
    }
    if url.starts_with("//") {
        return Err("starts with `//`, which points every link at another host".into());
    }
    if url.starts_with('/') {
        return Ok(());
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = ["http://", "https://"]
        .iter()
        .find(|s| lower.starts_with(*s))
        .map(|s| &url[s.len()..])
    else {
        return Err("is not a web address starting with http:// or https://".into());
    };
    let authority = rest.split('/').next().unwrap_or("");
    if authority.contains('@') {
        return Err("holds a user name or password (`@`)".into());
    }
    let (host, port) = match authority.strip_prefix('[') {
        // An IPv6 address: [::1]:8080
        Some(v6) => match v6.split_once(']') {
            Some((addr, port)) if !addr.is_empty() => (addr, port.strip_prefix(':')),
            _ => ("", None),
        },
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    if !host_ok || !port_ok {
        return Err("names no valid host after http:// or https://".into());
    }
    Ok(())
}

/// `theme_found` tells whether `themes/<name>/` is there (or why it cannot be used).
pub fn load_site_config(
    file: &Path,
    text: &str,
    theme_found: impl Fn(&str) -> Result<bool, Problem>,
) -> Result<SiteConfig, Problems> {
    let (config, mut problems) = yaml::parse_recovering::<SiteConfig>(file, text);
    problems.extend(super::text::check_yaml(file, text));
    let Some(config) = config else {
        return Err(problems);
    };
    let positions = yaml::parse::<Positions>(file, text).ok();
    let at = |field: &str, message: String| {
        let spanned = positions.as_ref().and_then(|p| match field {
            "base_url" => p.base_url.as_ref(),
            "map.file" => p.map.as_ref().and_then(|m| m.file.as_ref()),
            _ => p.theme.as_ref(),
        });
        Problem::new(file, message)
            .at_location(spanned.and_then(location_of))
            .field(field)
    };

    if let Err(reason) = check_base_url(&config.base_url) {
        problems.push(
            at("base_url", format!("`{}` {reason}", config.base_url))
                .hint("write the full address, e.g. https://bappeda.example.go.id/stunting/"),
        );
    }
    if !is_valid_theme_name(&config.theme) {
        problems.push(
            at(
                "theme",
                format!("`{}` is not the name of a theme folder", config.theme),
            )
            .hint("write the name of a folder under themes/ (letters, digits, -, _), or `default`"),
        );
    } else {
        match theme_found(&config.theme) {
            Ok(true) => {}
            Ok(false) => problems.push(
                at("theme", format!("theme `{}` not found", config.theme)).hint(format!(
                    "create themes/{}/ or use `theme: default`",
                    config.theme
                )),
            ),
            Err(p) => problems.push(p),
        }
    }
    if !is_valid_map_file(&config.map.file) {
        problems.push(
            at(
                "map.file",
                format!(
                    "`{}` is not the name of a file in content/",
                    config.map.file
                ),
            )
            .hint("put the file in content/ and write its name only, e.g. map.geojson"),
        );
    }
    if config.title.trim().is_empty() {
        problems.push(
            Problem::new(file, "is empty")
                .field("title")
                .hint("give the site a title"),
        );
    }
    problems.into_result(config)
}

/// The registry, and its problems. The list is `None` only when the file
/// cannot be read as a list of districts; other problems (a duplicate code)
/// do not stop the years from being checked against it.
pub fn load_districts(file: &Path, text: &str) -> (Option<Vec<District>>, Problems) {
    let (raw, mut problems) = yaml::parse_recovering::<Vec<RawDistrict>>(file, text);
    problems.extend(super::text::check_yaml(file, text));
    let Some(raw) = raw else {
        return (None, problems);
    };
    let mut districts: Vec<District> = Vec::with_capacity(raw.len());
    let mut seen_slugs: std::collections::HashMap<String, String> =
        std::collections::HashMap::new();
    let mut seen_codes: std::collections::HashMap<String, String> =
        std::collections::HashMap::new();
    for (i, d) in raw.into_iter().enumerate() {
        let slug = d.slug.value.clone();
        let at_slug = |msg: String| Problem::new(file, msg).at_location(location_of(&d.slug));
        if !is_valid_slug(&slug) {
            problems.push(
                at_slug(format!("slug `{slug}` may hold only a-z, 0-9 and -"))
                    .field(format!("[{i}].slug"))
                    .hint("for example `kota-denpasar`"),
            );
        } else if RESERVED_SLUGS.contains(&slug.as_str()) {
            problems.push(
                at_slug(format!("slug `{slug}` is the name of a page of the site"))
                    .field(format!("[{i}].slug"))
                    .hint("choose another slug"),
            );
        }
        if let Some(first) = seen_slugs.get(&slug) {
            problems.push(
                at_slug(format!("slug `{slug}` is used twice"))
                    .field(format!("[{i}].slug"))
                    .hint(format!("{first} has it already; each slug must be unique")),
            );
        } else {
            seen_slugs.insert(slug.clone(), d.name.clone());
        }
        if let Some(first) = seen_codes.get(&d.code.value) {
            problems.push(
                Problem::new(file, format!("code `{}` is used twice", d.code.value))
                    .at_location(location_of(&d.code))
                    .field(format!("[{i}].code"))
                    .hint(format!("{first} has it already; each code must be unique")),
            );
        } else {
            seen_codes.insert(d.code.value.clone(), d.name.clone());
        }
        districts.push(District {
            code: d.code.value,
            name: d.name,
            slug,
            kind: d.kind,
        });
    }
    if districts.is_empty() {
        problems.push(
            Problem::new(file, "lists no district").hint("add one entry per district and city"),
        );
    }
    (Some(districts), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_valid_slug("kota-denpasar"));
        assert!(is_valid_slug("b2"));
        for bad in ["", "../x", "A", "a b", "a/b", "-x", "é"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn base_urls() {
        for good in [
            "https://bappeda.example.go.id/stunting/",
            "http://127.0.0.1:8000/",
            "HTTPS://Example.go.id",
            "http://[::1]:8080/x/",
            "/stunting/",
            "/",
        ] {
            assert!(check_base_url(good).is_ok(), "{good}");
        }
        for bad in [
            "//evil.example/",
            "javascript:alert(1)",
            "https://",
            "https:///x/",
            "https://a@evil.example/",
            "https://a.example:80x/",
            "https://a.example/ x",
            "https://a.example/\"onload=x",
            "https://a.example/?q=1",
            "stunting/",
            "",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn theme_names() {
        for good in ["default", "tema-bali", "v2.1", "my_theme"] {
            assert!(is_valid_theme_name(good), "{good}");
        }
        for bad in [
            "", ".", "..", "../..", "/usr", "a/b", "a\\b", ".hidden", "a b",
        ] {
            assert!(!is_valid_theme_name(bad), "{bad}");
        }
    }

    #[test]
    fn duplicate_and_bad_slugs_are_reported_together() {
        let text = "- { code: '1', name: A, slug: a, kind: kota }\n- { code: '1', name: B, slug: a, kind: kota }\n- { code: '3', name: C, slug: ../c, kind: kabupaten }\n";
        let (list, problems) = load_districts(Path::new("d.yaml"), text);
        assert_eq!(list.map(|l| l.len()), Some(3));
        let err = problems.to_string();
        assert!(
            err.contains("d.yaml:2:31: [1].slug: slug `a` is used twice (A has it already"),
            "{err}"
        );
        assert!(err.contains("[1].code: code `1` is used twice"), "{err}");
        assert!(err.contains("slug `../c` may hold only"), "{err}");
    }
}
