//! The theme: the default one is built into the binary; a site's
//! `themes/<name>/` overrides any template, static file or translation.
//! Loaded with the content, so rendering reads no file of its own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::files::{locate, normalized, read_real, walk, Entry, MAX_FILE_BYTES};
use crate::error::{Problem, Problems};

/// A theme's static files may be images and fonts, larger than content files.
const MAX_STATIC_BYTES: u64 = 32 * 1024 * 1024;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../themes/default/", $path)))),*]
    };
}

/// The default theme, compiled in so `rapor build` works on any site.
const DEFAULT_FILES: &[(&str, &str)] = embed![
    "templates/base.html",
    "templates/home.html",
    "templates/year.html",
    "templates/district.html",
    "templates/not_assessed.html",
    "templates/praktik_baik.html",
    "templates/wilayah.html",
    "templates/404.html",
    "templates/partials.html",
    "templates/follow_up.html",
    "templates/ralat.html",
    "templates/map.html",
    "templates/share.html",
    "templates/finder.html",
    "static/style.css",
    "static/favicon.svg",
    "static/rapor.js",
    "i18n/id.yaml",
    "i18n/en.yaml",
];

/// Every file of the theme in effect, by path within the theme.
#[derive(Debug, Clone)]
pub struct Theme {
    pub templates: BTreeMap<String, String>,
    pub statics: BTreeMap<String, Vec<u8>>,
    pub translations: BTreeMap<String, String>,
}

impl Theme {
    /// The built-in default theme, with the site's `themes/<name>/` laid over it.
    pub fn load(root: &Path, name: &str, language: &str) -> Result<Theme, Problems> {
        let mut files: BTreeMap<String, Vec<u8>> = DEFAULT_FILES
            .iter()
            .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
            .collect();
        // A name, never a path: `..` or `/usr` would read another folder.
        if !super::is_valid_theme_name(name) {
            return Err(Problem::new(
                "content/site.yaml",
                format!("`{name}` is not the name of a theme folder"),
            )
            .field("theme")
            .hint("write the name of a folder under themes/ (letters, digits, -, _), or `default`")
            .into());
        }
        let dir = theme_rel(name, Path::new(""));
        match locate(root, &dir)? {
            Entry::Dir(_) => read_overrides(root, &dir, language, &mut files)?,
            Entry::Missing if name == "default" => {}
            _ => {
                return Err(
                    Problem::new("content/site.yaml", format!("theme `{name}` not found"))
                        .field("theme")
                        .hint(format!("create themes/{name}/ or use `theme: default`"))
                        .into(),
                )
            }
        }
        sort_files(name, language, files)
    }
}

/// The site's theme files in `dir`, laid over the built-in ones in `files`.
fn read_overrides(
    root: &Path,
    dir: &Path,
    language: &str,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Result<(), Problems> {
    let mut problems = Problems::default();
    let i18n = format!("i18n/{language}.yaml");
    for sub in ["templates", "static", "i18n"] {
        let (found, walk_problems) = walk(root, &dir.join(sub));
        problems.extend(walk_problems);
        for (rel, real) in found {
            let path = rel
                .strip_prefix(dir)
                .unwrap_or(&rel)
                .to_string_lossy()
                .replace('\\', "/");
            // Other languages' translations are not read.
            if sub == "i18n" && path != i18n {
                continue;
            }
            let cap = if sub == "static" {
                MAX_STATIC_BYTES
            } else {
                MAX_FILE_BYTES
            };
            match read_real(&real, &rel, cap) {
                // Templates and translations are text, read as content is.
                Ok(bytes) if sub != "static" => {
                    files.insert(path, normalized(bytes));
                }
                Ok(bytes) => {
                    files.insert(path, bytes);
                }
                Err(p) => problems.push(p),
            }
        }
    }
    problems.into_result(())
}

/// The theme's files sorted into templates, static files and translations
/// (a site's partial translation file falls back to the built-in strings).
fn sort_files(
    name: &str,
    language: &str,
    files: BTreeMap<String, Vec<u8>>,
) -> Result<Theme, Problems> {
    let mut problems = Problems::default();
    let mut templates = BTreeMap::new();
    let mut statics = BTreeMap::new();
    let mut translations = BTreeMap::new();
    for (path, bytes) in files {
        if let Some(t) = path.strip_prefix("templates/") {
            match String::from_utf8(bytes) {
                Ok(text) => {
                    templates.insert(t.to_string(), text);
                }
                Err(_) => problems.push(Problem::new(
                    theme_rel(name, Path::new(&path)),
                    "is not UTF-8 text",
                )),
            }
        } else if let Some(s) = path.strip_prefix("static/") {
            if [crate::manifest::MANIFEST, crate::manifest::MARKER].contains(&s) {
                problems.push(
                    Problem::new(
                        theme_rel(name, Path::new(&path)),
                        format!(
                            "takes the name of rapor's own file `{s}` at the top of the output"
                        ),
                    )
                    .hint("rename it, or move it into a folder of static/"),
                );
                continue;
            }
            statics.insert(s.to_string(), bytes);
        } else if path == format!("i18n/{language}.yaml") {
            let file = theme_rel(name, Path::new(&path));
            let parsed = std::str::from_utf8(&bytes)
                .map_err(|_| Problem::new(&file, "is not UTF-8 text"))
                .and_then(|text| crate::yaml::parse::<BTreeMap<String, String>>(&file, text));
            match parsed {
                Ok(map) => translations.extend(map),
                Err(p) => problems.push(p),
            }
        }
    }
    // A site's partial translation file falls back to the built-in strings.
    if let Some((_, default)) = DEFAULT_FILES
        .iter()
        .find(|(p, _)| *p == format!("i18n/{language}.yaml"))
    {
        let builtin: BTreeMap<String, String> =
            crate::yaml::parse(Path::new("i18n"), default).map_err(Problems::from)?;
        for (k, v) in builtin {
            translations.entry(k).or_insert(v);
        }
    }
    problems.into_result(Theme {
        templates,
        statics,
        translations,
    })
}

fn theme_rel(name: &str, rel: &Path) -> PathBuf {
    Path::new("themes").join(name).join(rel)
}
