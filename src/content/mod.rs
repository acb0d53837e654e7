//! Loading: the content folder into a typed, checked model, with every problem collected.

mod config;
mod date;
mod district;
pub(crate) mod files;
mod ids;
pub mod map;
pub mod published;
mod rubric;
mod text;
mod theme;
mod year;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use config::{
    check_base_url, is_valid_theme_name, District, DistrictKind, Language, MapConfig, SiteConfig,
};
pub use date::{check_date, current_year, Due};
pub use district::{Answer, CoverageKind, DistrictYear, FollowUp, Innovation, Status};
pub use ids::{DistrictId, YearId};
pub use map::GeoMap;
pub use rubric::{Action, Category, Component, Grade, Indicator, IndicatorKind, Rubric};
pub use theme::Theme;
pub use year::{Correction, YearMeta};

use crate::error::{shown, Problem, Problems};
use files::{read_text, Entry};

/// The whole site, loaded and checked.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub districts: Vec<District>,
    /// Ascending by year.
    pub years: Vec<Year>,
    /// The districts' boundaries, when the site has a usable map.
    pub map: Option<GeoMap>,
    /// Problems that left something out (of the map) but stop nothing.
    pub warnings: Problems,
    /// The theme in effect: templates, static files, translations.
    pub theme: Theme,
}

/// One performance year (tahun kinerja).
#[derive(Debug, Clone)]
pub struct Year {
    pub year: i32,
    pub rubric: Rubric,
    pub meta: YearMeta,
    /// Markdown source of `province.md`.
    pub narrative: Option<String>,
    /// By district registry index; `None` is "not assessed".
    pub entries: Vec<Option<DistrictYear>>,
    /// Files under `media/`, relative to the year folder, sorted.
    pub media: Vec<PathBuf>,
    /// The freezes of `published.yaml`; `None` for a year never frozen.
    pub published: Option<published::Published>,
}

impl Site {
    /// The latest date the content gives (a plenary, or a district's
    /// `assessed_on`): what the published data is as of.
    pub fn data_date(&self) -> Option<String> {
        let plenaries = self
            .years
            .iter()
            .filter_map(|y| y.meta.plenary.as_ref()?.date);
        let assessed = self
            .years
            .iter()
            .flat_map(|y| y.entries.iter().flatten())
            .filter_map(|e| e.assessed_on);
        plenaries.chain(assessed).max().map(|d| d.to_string())
    }
}

impl Year {
    /// Tahun penilaian: as given, else the year after the performance year.
    pub fn assessed_in(&self) -> i32 {
        self.meta.assessed_in.unwrap_or(self.year + 1)
    }
}

/// Loads and checks the site under `root` (the folder holding `content/`).
pub fn load(root: &Path) -> Result<Site, Problems> {
    let content = Path::new("content");
    let found = files::locate(root, content).map_err(Problems::from)?;
    if !matches!(found, Entry::Dir(_)) {
        return Err(Problem::new(content, "folder not found")
            .hint(format!(
                "run rapor in a site folder or pass --root; looked in {}",
                shown(root)
            ))
            .into());
    }
    let mut problems = Problems::default();

    let config_rel = content.join("site.yaml");
    let config = read_text(root, &config_rel)
        .map_err(Problems::from)
        .and_then(|t| config::load_site_config(&config_rel, &t, |name| theme_found(root, name)));
    let registry_rel = content.join("districts.yaml");
    let (districts, registry_problems) = match read_text(root, &registry_rel) {
        Ok(text) => config::load_districts(&registry_rel, &text),
        Err(p) => (None, p.into()),
    };
    problems.extend(registry_problems);

    let (year_dirs, dir_problems) = list_year_dirs(root, content);
    problems.extend(dir_problems);

    // Without a registry nothing else can be checked against it.
    let Some(districts) = districts else {
        if let Err(p) = config {
            problems.extend(p);
        }
        return Err(problems.sorted());
    };

    let results: Vec<Result<Year, Problems>> = year_dirs
        .par_iter()
        .map(|(year, rel)| load_year(root, rel, *year, &districts))
        .collect();
    let mut years = Vec::new();
    for r in results {
        match r {
            Ok(y) => years.push(y),
            Err(p) => problems.extend(p),
        }
    }
    if year_dirs.is_empty() {
        problems.push(
            Problem::new(content, "holds no year folder")
                .hint("add a folder such as content/2023/ with rubric.yaml and districts/"),
        );
    }
    let config = match config {
        Ok(c) => Some(c),
        Err(p) => {
            problems.extend(p);
            None
        }
    };
    match config {
        Some(config) if problems.is_empty() => {
            let theme = Theme::load(root, &config.theme, config.language.code())?;
            let (map, warnings) = map::load_map(root, &config.map, &districts);
            Ok(Site {
                root: root.to_path_buf(),
                config,
                districts,
                years,
                map,
                warnings: warnings.sorted(),
                theme,
            })
        }
        _ => Err(problems.sorted()),
    }
}

/// Whether `themes/<name>/` is a folder of the site (a link leading outside
/// it is a problem). The built-in `default` needs no folder.
fn theme_found(root: &Path, name: &str) -> Result<bool, Problem> {
    match files::locate(root, &Path::new("themes").join(name))? {
        Entry::Dir(_) => Ok(true),
        Entry::Missing => Ok(name == "default"),
        _ => Ok(false),
    }
}

/// Year folders (four digits), sorted; any other folder is reported.
fn list_year_dirs(root: &Path, content: &Path) -> (Vec<(i32, PathBuf)>, Problems) {
    let mut problems = Problems::default();
    let mut years = Vec::new();
    let entries = match std::fs::read_dir(root.join(content)) {
        Ok(e) => e,
        Err(e) => {
            return (
                years,
                Problem::new(content, format!("cannot be read: {e}")).into(),
            )
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        match files::locate(root, &content.join(&name)) {
            Ok(Entry::Dir(_)) => {}
            Ok(_) => continue,
            Err(p) => {
                problems.push(p);
                continue;
            }
        }
        match name.parse::<i32>() {
            Ok(y) if name.len() == 4 && (1900..=2999).contains(&y) => {
                years.push((y, content.join(&name)))
            }
            _ => problems.push(
                Problem::new(content.join(&name), "is not a year folder")
                    .hint("name year folders with the four-digit performance year, e.g. 2023"),
            ),
        }
    }
    years.sort();
    (years, problems)
}

fn load_year(root: &Path, rel: &Path, year: i32, districts: &[District]) -> Result<Year, Problems> {
    let dir = root.join(rel);
    let mut problems = Problems::default();
    let rubric = load_year_rubric(root, rel, &mut problems);
    check_year_folder(&dir, rel, &mut problems);
    let (data_files, narrative_files, file_problems) =
        list_district_files(root, &rel.join("districts"), districts);
    problems.extend(file_problems);
    let mut entries = match &rubric {
        Some(rubric) => load_entries(
            root,
            rel,
            rubric,
            districts.len(),
            &data_files,
            &mut problems,
        ),
        // Without a usable rubric the district files cannot be checked.
        None => vec![None; districts.len()],
    };
    let has_data = |idx: usize| data_files.iter().any(|(i, _)| *i == idx);
    for (idx, file) in narrative_files {
        match read_narrative(root, rel, &file) {
            Ok(text) => match &mut entries[idx] {
                Some(entry) => entry.narrative = Some(text),
                None if has_data(idx) => {}
                None => problems.push(
                    Problem::new(
                        &file,
                        "is a narrative for a district with no data file this year",
                    )
                    .hint(format!(
                        "add {}.yaml beside it, or remove it",
                        districts[idx].slug
                    )),
                ),
            },
            Err(p) => problems.extend(p),
        }
    }
    let narrative = if files::exists(root, &rel.join("province.md")) {
        read_narrative(root, rel, &rel.join("province.md"))
            .map_err(|p| problems.extend(p))
            .ok()
    } else {
        None
    };
    let assessed = |i: usize| entries[i].is_some() || has_data(i);
    let meta = load_meta(root, rel, districts, assessed, &mut problems);
    let (media, media_problems) = list_media(root, rel);
    problems.extend(media_problems);
    let published = published::read_published(root, year).unwrap_or_else(|p| {
        problems.extend(p);
        None
    });
    if entries.iter().all(Option::is_none) && data_files.is_empty() {
        problems.push(
            Problem::new(rel.join("districts"), "holds no district data")
                .hint("add one <slug>.yaml per district assessed this year"),
        );
    }
    let Some(rubric) = rubric else {
        return Err(problems.sorted());
    };
    problems.into_result(Year {
        year,
        rubric,
        meta,
        narrative,
        entries,
        media,
        published,
    })
}

/// The year's `rubric.yaml`. A rubric with problems that leave what district
/// files must hold clear still checks them: every problem is reported at once.
fn load_year_rubric(root: &Path, rel: &Path, problems: &mut Problems) -> Option<Rubric> {
    let rubric_rel = rel.join("rubric.yaml");
    if !files::exists(root, &rubric_rel) {
        problems.push(
            Problem::new(&rubric_rel, "is missing")
                .hint("every year folder needs the rubric used that year"),
        );
        return None;
    }
    match read_text(root, &rubric_rel) {
        Ok(t) => {
            let (rubric, rubric_problems) = rubric::check_rubric(&rubric_rel, &t);
            problems.extend(rubric_problems);
            rubric
        }
        Err(p) => {
            problems.push(p);
            None
        }
    }
}

/// Unknown files in the year folder are usually misspelt names.
fn check_year_folder(dir: &Path, rel: &Path, problems: &mut Problems) {
    let known = [
        "rubric.yaml",
        "year.yaml",
        "province.md",
        "districts",
        "media",
        // Written by `rapor freeze`; checked by crate::freeze.
        "published.yaml",
    ];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let looks_like_content =
            name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".md");
        if !name.starts_with('.')
            && !known.contains(&name.as_str())
            && (looks_like_content || entry.path().is_dir())
        {
            problems.push(
                Problem::new(rel.join(&name), "is not a file rapor reads")
                    .hint("a year folder holds rubric.yaml, year.yaml, province.md, districts/ and media/"),
            );
        }
    }
}

/// The district files of the year, checked against its rubric in parallel:
/// per district of the registry, its data, or `None` (no file, or problems).
fn load_entries(
    root: &Path,
    rel: &Path,
    rubric: &Rubric,
    count: usize,
    data_files: &DistrictFiles,
    problems: &mut Problems,
) -> Vec<Option<DistrictYear>> {
    let dir = root.join(rel);
    let parsed: Vec<(usize, Result<DistrictYear, Problems>)> = data_files
        .par_iter()
        .map(|(idx, file)| {
            let cx = district::DistrictContext {
                file,
                rubric,
                year_dir: &dir,
                year_rel: rel,
            };
            let r = read_text(root, file)
                .map_err(Problems::from)
                .and_then(|t| district::load_district_year(&cx, &t));
            (*idx, r)
        })
        .collect();
    let mut entries: Vec<Option<DistrictYear>> = vec![None; count];
    for (idx, r) in parsed {
        match r {
            Ok(d) => entries[idx] = Some(d),
            Err(p) => problems.extend(p),
        }
    }
    entries
}

/// The year's `year.yaml`, or the defaults when there is none (or it has problems).
fn load_meta(
    root: &Path,
    rel: &Path,
    districts: &[District],
    assessed: impl Fn(usize) -> bool,
    problems: &mut Problems,
) -> YearMeta {
    let meta_rel = rel.join("year.yaml");
    if !files::exists(root, &meta_rel) {
        return YearMeta::default();
    }
    let slug_index = |s: &str| districts.iter().position(|d| d.slug == s);
    read_text(root, &meta_rel)
        .map_err(Problems::from)
        .and_then(|t| year::load_year_meta(&meta_rel, &root.join(rel), &t, slug_index, assessed))
        .unwrap_or_else(|p| {
            problems.extend(p);
            YearMeta::default()
        })
}

type DistrictFiles = Vec<(usize, PathBuf)>;

/// `<slug>.yaml` and `<slug>.md` files, sorted by registry order; others reported.
fn list_district_files(
    root: &Path,
    rel: &Path,
    districts: &[District],
) -> (DistrictFiles, DistrictFiles, Problems) {
    let mut problems = Problems::default();
    let (mut data, mut narratives) = (Vec::new(), Vec::new());
    let dir = match files::locate(root, rel) {
        Ok(Entry::Dir(dir)) => dir,
        Ok(Entry::Missing) => return (data, narratives, problems),
        Ok(_) => {
            problems.push(
                Problem::new(rel, "is not a folder")
                    .hint("districts/ is a folder of <slug>.yaml and <slug>.md files"),
            );
            return (data, narratives, problems);
        }
        Err(p) => {
            problems.push(p);
            return (data, narratives, problems);
        }
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (data, narratives, problems);
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let file = rel.join(&name);
        let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
        if !matches!(ext, "yaml" | "md") {
            let hint = if ext == "yml" {
                "name it .yaml"
            } else {
                "this folder holds <slug>.yaml and <slug>.md files"
            };
            problems.push(Problem::new(&file, "is not a district file").hint(hint));
            continue;
        }
        match districts.iter().position(|d| d.slug == stem) {
            Some(idx) if ext == "yaml" => data.push((idx, file)),
            Some(idx) => narratives.push((idx, file)),
            None => problems.push(
                Problem::new(
                    &file,
                    format!("`{stem}` is not a district in content/districts.yaml"),
                )
                .hint(
                    "name the file after a district's slug, or add the district to districts.yaml",
                ),
            ),
        }
    }
    data.sort();
    narratives.sort();
    (data, narratives, problems)
}

/// Reads a narrative and checks it: nesting, and that every image it shows
/// is a file of the year's `media/`.
fn read_narrative(root: &Path, year_rel: &Path, file: &Path) -> Result<String, Problems> {
    let text = read_text(root, file)?;
    let mut problems = Problems::default();
    for p in district::check_markdown(file, &root.join(year_rel), year_rel, &text, None) {
        problems.push(p);
    }
    problems.into_result(text)
}

/// Files under `media/`, relative to the year folder, sorted.
fn list_media(root: &Path, year_rel: &Path) -> (Vec<PathBuf>, Problems) {
    let (found, problems) = files::walk(root, &year_rel.join("media"));
    let media = found
        .into_iter()
        .filter_map(|(rel, _)| rel.strip_prefix(year_rel).ok().map(Path::to_path_buf))
        .collect();
    (media, problems)
}

/// The district registry alone, for tools that work before a year is complete
/// (the score-sheet template and import).
pub fn load_registry(root: &Path) -> Result<Vec<District>, Problems> {
    let rel = Path::new("content").join("districts.yaml");
    let text = read_text(root, &rel)?;
    match config::load_districts(&rel, &text) {
        (Some(districts), problems) if problems.is_empty() => Ok(districts),
        (_, problems) => Err(problems),
    }
}

/// One year's rubric alone, checked.
pub fn load_rubric(root: &Path, year: i32) -> Result<Rubric, Problems> {
    let rel = Path::new("content")
        .join(year.to_string())
        .join("rubric.yaml");
    if !files::exists(root, &rel) {
        return Err(Problem::new(&rel, "is missing")
            .hint(format!(
                "create content/{year}/ with the rubric used that year"
            ))
            .into());
    }
    let text = read_text(root, &rel)?;
    rubric::load_rubric(&rel, &text)
}

/// Checks a rubric given as text, as if it were `rubric.yaml` (for tools and fuzzing).
pub fn parse_rubric(text: &str) -> Result<Rubric, Problems> {
    rubric::load_rubric(Path::new("rubric.yaml"), text)
}

/// Checks a district file given as text against `rubric`, as if it were
/// `districts/<slug>.yaml` of a year folder with no media (for tools and fuzzing).
pub fn parse_district(rubric: &Rubric, text: &str) -> Result<DistrictYear, Problems> {
    let cx = district::DistrictContext {
        file: Path::new("district.yaml"),
        rubric,
        year_dir: Path::new("/nonexistent-rapor-year"),
        year_rel: Path::new("year"),
    };
    district::load_district_year(&cx, text)
}

/// Reads one district's files of one year again (`<slug>.yaml` and `<slug>.md`),
/// checked as a full load would: `None` when the district has no data file.
/// `rapor serve` uses it to rebuild only what a change touches.
pub fn reload_district(
    site: &Site,
    y: YearId,
    d: DistrictId,
) -> Result<Option<DistrictYear>, Problems> {
    let year = site.year(y);
    let slug = &site.district(d).slug;
    let rel = Path::new("content").join(year.year.to_string());
    let data = rel.join("districts").join(format!("{slug}.yaml"));
    let narrative = rel.join("districts").join(format!("{slug}.md"));
    let root = &site.root;
    if !files::exists(root, &data) {
        if files::exists(root, &narrative) {
            return Err(Problem::new(
                &narrative,
                "is a narrative for a district with no data file this year",
            )
            .hint(format!("add {slug}.yaml beside it, or remove it"))
            .into());
        }
        return Ok(None);
    }
    let cx = district::DistrictContext {
        file: &data,
        rubric: &year.rubric,
        year_dir: &root.join(&rel),
        year_rel: &rel,
    };
    let mut entry = district::load_district_year(&cx, &read_text(root, &data)?)?;
    if files::exists(root, &narrative) {
        entry.narrative = Some(read_narrative(root, &rel, &narrative)?);
    }
    Ok(Some(entry))
}
