//! Loading: the content folder into a typed, checked model, with every problem collected.

mod config;
mod district;
mod rubric;
mod year;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use config::{District, DistrictKind, Language, SiteConfig};
pub use district::{Answer, CoverageKind, DistrictYear, FollowUp, Innovation, Status};
pub use rubric::{Action, Category, Component, Grade, Indicator, IndicatorKind, Rubric};
pub use year::YearMeta;

use crate::error::{Problem, Problems};

/// Files larger than this are refused rather than parsed: content files are
/// hand-written and small, and a huge one is a mistake.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The whole site, loaded and checked.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub districts: Vec<District>,
    /// Ascending by year.
    pub years: Vec<Year>,
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
}

impl Year {
    /// Tahun penilaian: as given, else the year after the performance year.
    pub fn assessed_in(&self) -> i32 {
        self.meta.assessed_in.unwrap_or(self.year + 1)
    }
}

/// Reads a content file as UTF-8 text, refusing huge files.
fn read_text(root: &Path, rel: &Path) -> Result<String, Problem> {
    let path = root.join(rel);
    let meta =
        std::fs::metadata(&path).map_err(|e| Problem::new(rel, format!("cannot be read: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Problem::new(
            rel,
            format!(
                "is {} MB, larger than the {} MB a content file may be",
                meta.len() / 1_048_576,
                MAX_FILE_BYTES / 1_048_576
            ),
        )
        .hint("split it or remove what does not belong"));
    }
    let bytes =
        std::fs::read(&path).map_err(|e| Problem::new(rel, format!("cannot be read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        Problem::new(
            rel,
            format!("is not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        )
        .hint("save the file as UTF-8")
    })
}

/// Loads and checks the site under `root` (the folder holding `content/`).
pub fn load(root: &Path) -> Result<Site, Problems> {
    let content = Path::new("content");
    if !root.join(content).is_dir() {
        return Err(Problem::new(content, "folder not found")
            .hint(format!(
                "run rapor in a site folder or pass --root; looked in {}",
                root.display()
            ))
            .into());
    }
    let mut problems = Problems::default();

    let config_rel = content.join("site.yaml");
    let config = read_text(root, &config_rel)
        .map_err(Problems::from)
        .and_then(|t| config::load_site_config(&config_rel, &t));
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
        Some(config) if problems.is_empty() => Ok(Site {
            root: root.to_path_buf(),
            config,
            districts,
            years,
        }),
        _ => Err(problems.sorted()),
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
        if name.starts_with('.') || !entry.path().is_dir() {
            continue;
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

    let rubric_rel = rel.join("rubric.yaml");
    let rubric = if dir.join("rubric.yaml").is_file() {
        read_text(root, &rubric_rel)
            .map_err(Problems::from)
            .and_then(|t| rubric::load_rubric(&rubric_rel, &t))
    } else {
        Err(Problem::new(&rubric_rel, "is missing")
            .hint("every year folder needs the rubric used that year")
            .into())
    };

    // Unknown files in the year folder are usually misspelt names.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let known = [
                "rubric.yaml",
                "year.yaml",
                "province.md",
                "districts",
                "media",
            ];
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

    let (data_files, narrative_files, file_problems) =
        list_district_files(root, &rel.join("districts"), districts);
    problems.extend(file_problems);

    let rubric = match rubric {
        Ok(r) => r,
        Err(p) => {
            problems.extend(p);
            return Err(problems);
        }
    };

    let parsed: Vec<(usize, Result<district::DistrictYear, Problems>)> = data_files
        .par_iter()
        .map(|(idx, file)| {
            let cx = district::DistrictContext {
                file,
                rubric: &rubric,
                year_dir: &dir,
                year_rel: rel,
            };
            let r = read_text(root, file)
                .map_err(Problems::from)
                .and_then(|t| district::load_district_year(&cx, &t));
            (*idx, r)
        })
        .collect();
    let mut entries: Vec<Option<DistrictYear>> = vec![None; districts.len()];
    for (idx, r) in parsed {
        match r {
            Ok(d) => entries[idx] = Some(d),
            Err(p) => problems.extend(p),
        }
    }
    for (idx, file) in narrative_files {
        match read_narrative(root, rel, &file) {
            Ok(text) => match &mut entries[idx] {
                Some(entry) => entry.narrative = Some(text),
                None if data_files.iter().any(|(i, _)| *i == idx) => {}
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

    let narrative = if dir.join("province.md").is_file() {
        match read_narrative(root, rel, &rel.join("province.md")) {
            Ok(t) => Some(t),
            Err(p) => {
                problems.extend(p);
                None
            }
        }
    } else {
        None
    };

    let meta = if dir.join("year.yaml").is_file() {
        let meta_rel = rel.join("year.yaml");
        let slug_index = |s: &str| districts.iter().position(|d| d.slug == s);
        let assessed = |i: usize| entries[i].is_some() || data_files.iter().any(|(d, _)| *d == i);
        match read_text(root, &meta_rel)
            .map_err(Problems::from)
            .and_then(|t| year::load_year_meta(&meta_rel, &dir, &t, slug_index, assessed))
        {
            Ok(m) => m,
            Err(p) => {
                problems.extend(p);
                YearMeta::default()
            }
        }
    } else {
        YearMeta::default()
    };

    let media = list_media(&dir.join("media"));
    if entries.iter().all(Option::is_none) && data_files.is_empty() {
        problems.push(
            Problem::new(rel.join("districts"), "holds no district data")
                .hint("add one <slug>.yaml per district assessed this year"),
        );
    }
    problems.into_result(Year {
        year,
        rubric,
        meta,
        narrative,
        entries,
        media,
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
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
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

fn list_media(dir: &Path) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(dir.parent().unwrap_or(dir))
                .ok()
                .map(Path::to_path_buf)
        })
        .filter(|p| {
            !p.components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    files
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
    if !root.join(&rel).is_file() {
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
    year_index: usize,
    d: usize,
) -> Result<Option<DistrictYear>, Problems> {
    let year = &site.years[year_index];
    let slug = &site.districts[d].slug;
    let rel = Path::new("content").join(year.year.to_string());
    let data = rel.join("districts").join(format!("{slug}.yaml"));
    let narrative = rel.join("districts").join(format!("{slug}.md"));
    let root = &site.root;
    if !root.join(&data).is_file() {
        if root.join(&narrative).is_file() {
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
    if root.join(&narrative).is_file() {
        entry.narrative = Some(read_narrative(root, &rel, &narrative)?);
    }
    Ok(Some(entry))
}
