//! `rapor import FILE --year YEAR`: a filled sheet into the district files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::read::{self, number_text, Grid, Value};
use super::yaml_edit::{self, describe, key_text, Entry, KeyStyle, MappingEdit, Node, Scalar};
use super::{
    cell_ref, column_letters, quoted, row_ref, score_columns, Column, ColumnKind, ImportFailure,
    ImportReport, CODE, NAME, SLUG,
};
use crate::content::{District, Grade, IndicatorKind, Rubric};
use crate::error::{Problem, Problems};

/// District files are hand-written and small; the loader refuses larger ones too.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

pub(super) fn import(
    root: &Path,
    file: &Path,
    year: i32,
    force: bool,
) -> Result<ImportReport, ImportFailure> {
    let (districts, rubric) = super::registry_and_rubric(root, year)?;
    let sheet = read::read(file, file)?;
    let cx = Cx {
        shown: file,
        year,
        rubric: &rubric,
        districts: &districts,
        columns: score_columns(&rubric),
    };

    // A sheet made for another year is reported alone: its cells would only
    // repeat that.
    if let Some((at, value)) = &sheet.marker_year {
        cx.check_marker_year(at, value)?;
    }

    let mut problems = Problems::default();
    let Some(layout) = cx.layout(&sheet.grid, &mut problems) else {
        return Err(problems.into());
    };
    let rows = cx.rows(&sheet.grid, &layout, &mut problems);
    if !problems.is_empty() {
        return Err(problems.into());
    }

    let mut plans = Vec::new();
    for row in &rows {
        match cx.plan(root, row, force, &layout, &sheet.grid.name) {
            Ok(Some(plan)) => plans.push(plan),
            Ok(None) => {}
            Err(p) => problems.extend(p),
        }
    }
    if !problems.is_empty() {
        return Err(problems.into());
    }

    write_plans(root, year, plans)
}

/// Writes the planned files. Every check is done: from here on only a
/// failing disk stops the import, and then the failure lists exactly the
/// files already written.
fn write_plans(root: &Path, year: i32, plans: Vec<Plan>) -> Result<ImportReport, ImportFailure> {
    let mut report = ImportReport::default();
    if !plans.is_empty() {
        let dir = root
            .join("content")
            .join(year.to_string())
            .join("districts");
        std::fs::create_dir_all(&dir).map_err(|e| {
            Problem::new(
                Path::new("content")
                    .join(year.to_string())
                    .join("districts"),
                format!("could not be created: {e}"),
            )
        })?;
    }
    for plan in plans {
        if let Err(e) = write_file(&root.join(&plan.rel), &plan.text) {
            return Err(ImportFailure {
                problems: Problem::new(&plan.rel, format!("could not be written: {e}")).into(),
                written: report.written,
            });
        }
        report.written.push(plan.rel);
    }
    Ok(report)
}

/// Writes through a temporary file beside the target, then renames it, so a
/// reader never sees half a file (and a symlink is replaced, not followed).
fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.rapor-import"));
    // A file or link left by an interrupted import is replaced, never
    // written through; anything else there is an error.
    let leftover = std::fs::symlink_metadata(&tmp)
        .is_ok_and(|m| m.file_type().is_file() || m.file_type().is_symlink());
    if leftover {
        std::fs::remove_file(&tmp)?;
    }
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            use std::io::Write;
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() && std::fs::symlink_metadata(&tmp).is_ok_and(|m| m.is_file()) {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// The file of a district in a year, relative to the root.
fn district_rel(year: i32, slug: &str) -> PathBuf {
    Path::new("content")
        .join(year.to_string())
        .join("districts")
        .join(format!("{slug}.yaml"))
}

/// Slugs come from the checked registry; this guards the path anyway.
fn safe_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The text of a district file, if there is one.
fn read_district_file(root: &Path, rel: &Path) -> Result<Option<String>, Problem> {
    let path = root.join(rel);
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Problem::new(rel, format!("cannot be read: {e}"))),
    };
    if !meta.is_file() {
        return Err(Problem::new(rel, "is not a file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Problem::new(rel, "is larger than a district file may be"));
    }
    let bytes =
        std::fs::read(&path).map_err(|e| Problem::new(rel, format!("cannot be read: {e}")))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| Problem::new(rel, "is not UTF-8 text").hint("save the file as UTF-8"))
}

/// A district file read loosely (any keys, any values), for its current
/// scores; `None` when it does not exist.
pub(super) fn read_district_values(
    root: &Path,
    year: i32,
    slug: &str,
) -> Result<Option<Node>, Problem> {
    if !safe_slug(slug) {
        return Ok(None);
    }
    let rel = district_rel(year, slug);
    match read_district_file(root, &rel)? {
        Some(text) => crate::yaml::parse::<Node>(&rel, &text).map(Some),
        None => Ok(None),
    }
}

/// The non-empty cells of a row, by column.
type Cells = std::collections::BTreeMap<u32, Value>;

/// Where the columns are.
struct Layout {
    slug: u32,
    code: Option<u32>,
    /// Per score column (in `score_columns` order), its sheet column.
    scores: Vec<u32>,
}

/// One district's row of scores, all valid.
struct RowScores {
    row: u32,
    district: usize,
    values: Vec<Scalar>,
}

/// A district file to write.
struct Plan {
    rel: PathBuf,
    text: String,
}

/// What the checks need.
struct Cx<'a> {
    shown: &'a Path,
    year: i32,
    rubric: &'a Rubric,
    districts: &'a [District],
    columns: Vec<Column>,
}

impl Cx<'_> {
    fn at(&self, reference: &str, message: impl Into<String>) -> Problem {
        Problem::new(self.shown, message).field(reference)
    }

    fn what(&self, column: &Column) -> String {
        match column.kind {
            ColumnKind::Indicator { .. } => format!("indicator {}", column.key),
            ColumnKind::Component { .. } => format!("component {}", column.key),
        }
    }

    fn another_year_hint(&self) -> String {
        format!(
            "is it a sheet for another year? make the {y} sheet with `rapor template {y}`",
            y = self.year
        )
    }

    /// The year in the sheet's marker must be the year imported.
    fn check_marker_year(&self, at: &str, value: &Value) -> Result<(), Problem> {
        let year = self.year;
        let made_for = match value {
            Value::Number(x) if *x == f64::from(year) => return Ok(()),
            Value::Text(t) if t.trim() == year.to_string() => return Ok(()),
            Value::Number(x) => format!("the {} rubric", number_text(*x)),
            other => format!("{} (not a year)", other.describe()),
        };
        Err(self
            .at(
                at,
                format!("this sheet was made for {made_for}, not for the {year} rubric (wrong year's rubric)"),
            )
            .hint(format!(
                "import it with the year it was made for, or make the {year} sheet with `rapor template {year}`"
            )))
    }

    /// Reads row 1: every column key must be one of the year's rubric.
    fn layout(&self, grid: &Grid, problems: &mut Problems) -> Option<Layout> {
        let sheet = &grid.name;
        let empty = Default::default();
        let header = grid.rows.get(&0).unwrap_or(&empty);
        if header.is_empty() {
            problems.push(
                self.at(&row_ref(sheet, 0), "row 1 is empty; it must hold the column keys")
                    .hint(format!(
                        "start from the sheet `rapor template {}` makes: code, slug, name, then one column per indicator and component",
                        self.year
                    )),
            );
            return None;
        }
        let (slug, code, scores) = self.header_keys(sheet, header, problems);
        if slug.is_none() {
            problems.push(
                self.at(&row_ref(sheet, 0), "no `slug` column")
                    .hint("row 1 needs a `slug` column naming each row's district, as in `content/districts.yaml`"),
            );
        }
        let missing: Vec<&Column> = self
            .columns
            .iter()
            .zip(&scores)
            .filter(|(_, col)| col.is_none())
            .map(|(c, _)| c)
            .collect();
        if !missing.is_empty() {
            problems.push(
                self.at(
                    &row_ref(sheet, 0),
                    format!(
                        "no column for {} of the {} rubric (wrong year's rubric?)",
                        list_columns(&missing),
                        self.year
                    ),
                )
                .hint(self.another_year_hint()),
            );
        }
        self.unnamed_columns(grid, header, problems);
        let scores: Option<Vec<u32>> = scores.into_iter().collect();
        match (slug, scores) {
            (Some(slug), Some(scores)) if problems.is_empty() => {
                Some(Layout { slug, code, scores })
            }
            _ => None,
        }
    }

    /// The columns of the keys in row 1 (`header`): slug, code, and each
    /// score column (in `score_columns` order). A key twice, the computed
    /// component, or a key not in the rubric is a problem.
    fn header_keys(
        &self,
        sheet: &str,
        header: &Cells,
        problems: &mut Problems,
    ) -> (Option<u32>, Option<u32>, Vec<Option<u32>>) {
        let mut found: HashMap<String, u32> = HashMap::new();
        let (mut slug, mut code) = (None, None);
        let mut scores: Vec<Option<u32>> = vec![None; self.columns.len()];
        for (&col, value) in header {
            let key = value.text();
            let at = cell_ref(sheet, 0, col);
            if key.starts_with('#') {
                continue; // a note column
            }
            if let Some(first) = found.insert(key.clone(), col) {
                let message = format!(
                    "column {} is also in {}",
                    quoted(&key),
                    cell_ref(sheet, 0, first)
                );
                problems.push(self.at(&at, message).hint("keep one column per key"));
                continue;
            }
            let lower = key.to_ascii_lowercase();
            if lower == SLUG {
                slug = Some(col);
            } else if lower == CODE {
                code = Some(col);
            } else if lower == NAME {
            } else if let Some(i) = self.columns.iter().position(|c| c.key == key) {
                scores[i] = Some(col);
            } else if self
                .rubric
                .components
                .get(self.rubric.document)
                .is_some_and(|c| c.key == key)
            {
                problems.push(
                    self.at(
                        &at,
                        format!("`{key}` is computed from the actions, not entered"),
                    )
                    .hint("remove the column"),
                );
            } else {
                problems.push(
                    self.at(
                        &at,
                        format!(
                            "{} is not an indicator or directly scored component of the {} rubric (wrong year's rubric?)",
                            quoted(&key),
                            self.year
                        ),
                    )
                    .hint(self.another_year_hint()),
                );
            }
        }
        (slug, code, scores)
    }

    /// Values under no key in row 1 would be lost without a word: each
    /// such column is a problem, at its first value.
    fn unnamed_columns(&self, grid: &Grid, header: &Cells, problems: &mut Problems) {
        let sheet = &grid.name;
        let mut unnamed: HashMap<u32, u32> = HashMap::new();
        for (&row, cells) in grid.rows.iter().skip_while(|(r, _)| **r == 0) {
            if is_note_row(cells) {
                continue;
            }
            for &col in cells.keys() {
                if !header.contains_key(&col) {
                    unnamed.entry(col).or_insert(row);
                }
            }
        }
        let mut unnamed: Vec<_> = unnamed.into_iter().collect();
        unnamed.sort();
        for (col, row) in unnamed {
            problems.push(
                self.at(
                    &cell_ref(sheet, 0, col),
                    format!(
                        "column {} has values (first in {}) but no key in row 1",
                        column_letters(col),
                        cell_ref(sheet, row, col)
                    ),
                )
                .hint("give it the key of an indicator or component, or empty the column"),
            );
        }
    }

    /// Checks every district row; returns the rows with scores.
    fn rows(&self, grid: &Grid, layout: &Layout, problems: &mut Problems) -> Vec<RowScores> {
        let sheet = &grid.name;
        let mut seen: HashMap<usize, u32> = HashMap::new();
        let mut out = Vec::new();
        for (&row, cells) in grid.rows.iter() {
            if row == 0 || is_note_row(cells) {
                continue;
            }
            let Some(district) = self.row_district(sheet, row, cells, layout, &mut seen, problems)
            else {
                continue;
            };
            let code_ok = self.check_code(sheet, row, cells, layout, district, problems);
            if !layout.scores.iter().any(|c| cells.contains_key(c)) {
                continue; // not assessed
            }
            let values = self.row_values(grid, row, cells, layout, problems);
            if let (true, Some(values)) = (code_ok, values) {
                out.push(RowScores {
                    row,
                    district,
                    values,
                });
            }
        }
        out.sort_by_key(|r| r.district);
        out
    }

    /// The district a row is for, by its slug: one of the registry, on no
    /// earlier row (`seen`). A row with scores needs one.
    fn row_district(
        &self,
        sheet: &str,
        row: u32,
        cells: &Cells,
        layout: &Layout,
        seen: &mut HashMap<usize, u32>,
        problems: &mut Problems,
    ) -> Option<usize> {
        let slug_at = cell_ref(sheet, row, layout.slug);
        let Some(slug) = cells.get(&layout.slug).map(Value::text) else {
            if layout.scores.iter().any(|c| cells.contains_key(c)) {
                problems.push(
                    self.at(&slug_at, "the row has scores but no district slug")
                        .hint("write the slug of the district, as in content/districts.yaml, or start column A with # to make the row a note"),
                );
            }
            return None;
        };
        let Some(district) = self.districts.iter().position(|d| d.slug == slug) else {
            let slugs: Vec<&str> = self.districts.iter().map(|d| d.slug.as_str()).collect();
            let hint = if slugs.len() <= 12 {
                format!("use a slug of content/districts.yaml: {}", slugs.join(", "))
            } else {
                "use a slug of content/districts.yaml".to_string()
            };
            problems.push(
                self.at(
                    &slug_at,
                    format!(
                        "{} is not a district in content/districts.yaml (unknown district)",
                        quoted(&slug)
                    ),
                )
                .hint(hint),
            );
            return None;
        };
        if let Some(first) = seen.insert(district, row) {
            problems.push(
                self.at(
                    &slug_at,
                    format!("`{slug}` is also on row {}", u64::from(first) + 1),
                )
                .hint("keep one row per district"),
            );
            return None;
        }
        Some(district)
    }

    /// Whether the row's code, when the sheet has a code column and the row
    /// a code, is the district's.
    fn check_code(
        &self,
        sheet: &str,
        row: u32,
        cells: &Cells,
        layout: &Layout,
        district: usize,
        problems: &mut Problems,
    ) -> bool {
        let d = &self.districts[district];
        let Some((col, code)) = layout.code.and_then(|c| cells.get(&c).map(|v| (c, v))) else {
            return true;
        };
        if same_code(code, &d.code) {
            return true;
        }
        problems.push(
            self.at(
                &cell_ref(sheet, row, col),
                format!(
                    "code {} is not the code of {} ({})",
                    code_text(code),
                    d.slug,
                    d.code
                ),
            )
            .hint("check that the row is this district's; the codes are those of content/districts.yaml"),
        );
        false
    }

    /// Every score of an assessed district's row, valid; `None` (and the
    /// problems) when one is empty, a formula or not a valid value.
    fn row_values(
        &self,
        grid: &Grid,
        row: u32,
        cells: &Cells,
        layout: &Layout,
        problems: &mut Problems,
    ) -> Option<Vec<Scalar>> {
        let mut values = Vec::with_capacity(self.columns.len());
        let mut bad = false;
        for (column, &col) in self.columns.iter().zip(&layout.scores) {
            let at = cell_ref(&grid.name, row, col);
            let result = match cells.get(&col) {
                None => Err((
                    format!("{} is empty, but the row has other scores", self.what(column)),
                    "fill every score of a district that was assessed, or empty its whole row if it was not".to_string(),
                )),
                // Only the result Excel saved with a formula can be read,
                // and it may not be what Excel shows once it recalculates.
                Some(_) if grid.is_formula(row, col) => Err((
                    format!(
                        "{} is a formula; rapor reads only the result saved with it, which can differ from what Excel shows",
                        self.what(column)
                    ),
                    "type the value, not a formula: copy the cells and paste them as values".to_string(),
                )),
                Some(value) => self.value(column, value),
            };
            match result {
                Ok(v) => values.push(v),
                Err((message, hint)) => {
                    bad = true;
                    problems.push(self.at(&at, message).hint(hint));
                }
            }
        }
        (!bad).then_some(values)
    }

    /// A cell's value for its column, or what is wrong with it and how to fix it.
    fn value(&self, column: &Column, value: &Value) -> Result<Scalar, (String, String)> {
        let key = &column.key;
        match column.kind {
            ColumnKind::Indicator { action, indicator } => {
                match &self.rubric.actions[action].indicators[indicator].kind {
                    IndicatorKind::Scored { max } => score_value(key, *max, value),
                    IndicatorKind::Graded { grades } => grade_value(key, grades, value),
                }
            }
            ColumnKind::Component { .. } => component_value(key, value),
        }
    }

    /// The new text of a district's file, `None` if it would not change.
    fn plan(
        &self,
        root: &Path,
        row: &RowScores,
        force: bool,
        layout: &Layout,
        sheet: &str,
    ) -> Result<Option<Plan>, Problems> {
        let district = &self.districts[row.district];
        let (rel, old_text, old) = self.current_file(root, district)?;
        let mut problems = Problems::default();
        let mut edits = Vec::new();
        for (name, wanted, style, titles) in self.wanted(row, layout) {
            let current = old.get(name);
            if holds(current, name, &wanted) {
                continue;
            }
            if !force {
                self.conflicts(&rel, name, current, &wanted, row.row, sheet, &mut problems);
            }
            edits.push(MappingEdit {
                key: name.to_string(),
                required: name == "indicators" || !wanted.is_empty(),
                entries: wanted.into_iter().map(|(e, _)| e).collect(),
                style,
                group_titles: titles,
            });
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        if edits.is_empty() {
            return Ok(None);
        }
        let base = old_text.clone().unwrap_or_else(|| {
            format!(
                "# {}: data penilaian kinerja {}\n",
                district.name.replace('\n', " "),
                self.year
            )
        });
        let text = yaml_edit::set_mappings(&base, &edits);
        if !verify(&old, &text, &rel, &edits) {
            return Err(Problem::new(
                &rel,
                "could not be updated without changing other content (please report this as a bug in rapor)",
            )
            .hint("write its indicators and components by hand")
            .into());
        }
        if old_text.as_deref() == Some(text.as_str()) {
            return Ok(None);
        }
        Ok(Some(Plan { rel, text }))
    }

    /// A district's file as it is: its path from the root, its text (`None`
    /// when there is no file yet) and its values, which must be a mapping.
    fn current_file(
        &self,
        root: &Path,
        district: &District,
    ) -> Result<(PathBuf, Option<String>, Node), Problems> {
        if !safe_slug(&district.slug) {
            return Err(Problem::new(
                self.shown,
                format!("`{}` cannot be a file name", district.slug),
            )
            .into());
        }
        let rel = district_rel(self.year, &district.slug);
        let old_text = read_district_file(root, &rel)?;
        let old = match &old_text {
            Some(text) => crate::yaml::parse::<Node>(&rel, text).map_err(|p| {
                let mut problems = Problems::default();
                problems.push(p);
                problems.push(
                    Problem::new(&rel, "cannot be updated while it is not valid YAML")
                        .hint("fix the file (see `rapor check`), then import again"),
                );
                problems
            })?,
            None => Node::Null,
        };
        if !matches!(old, Node::Mapping(_) | Node::Null) {
            return Err(Problem::new(&rel, "is not a mapping of keys")
                .hint("fix the file (see `rapor check`), then import again")
                .into());
        }
        Ok((rel, old_text, old))
    }

    /// The two mappings the sheet sets from a row: `indicators` (grouped by
    /// action, each group under its action's title) and `components`; each
    /// entry with the sheet column it came from.
    fn wanted(&self, row: &RowScores, layout: &Layout) -> [Wanted; 2] {
        let mut indicators = Vec::new();
        let mut components = Vec::new();
        for ((column, value), &col) in self.columns.iter().zip(&row.values).zip(&layout.scores) {
            let (list, group) = match column.kind {
                ColumnKind::Indicator { action, .. } => (&mut indicators, action),
                ColumnKind::Component { .. } => (&mut components, 0),
            };
            let key = column.key.clone();
            let value = value.clone();
            list.push((Entry { key, value, group }, col));
        }
        let titles = self
            .rubric
            .actions
            .iter()
            .map(|a| format!("Aksi {}: {}", a.number, a.name))
            .collect();
        [
            ("indicators", indicators, KeyStyle::Quoted, titles),
            ("components", components, KeyStyle::Plain, Vec::new()),
        ]
    }

    /// Without `--force`: each value the import would change or remove.
    #[allow(clippy::too_many_arguments)]
    fn conflicts(
        &self,
        rel: &Path,
        name: &str,
        current: Option<&Node>,
        wanted: &[(Entry, u32)],
        row: u32,
        sheet: &str,
        problems: &mut Problems,
    ) {
        let file = rel.to_string_lossy().replace('\\', "/");
        let hint = "pass --force to replace the values in the district files with the sheet's";
        let what = if name == "indicators" {
            "indicator"
        } else {
            "component"
        };
        match current {
            Some(Node::Mapping(entries)) => {
                for (k, v) in entries {
                    let key = key_text(k);
                    match wanted.iter().find(|(e, _)| e.key == key) {
                        Some((e, _)) if e.value.matches(v) => {}
                        Some((e, col)) => problems.push(
                            self.at(
                                &cell_ref(sheet, row, *col),
                                format!(
                                    "{what} {key} is {} in {file}; the sheet has {}",
                                    describe(v),
                                    scalar_text(&e.value)
                                ),
                            )
                            .hint(hint),
                        ),
                        None => problems.push(
                            Problem::new(
                                rel,
                                format!(
                                    "{} is not {} of the {} rubric; the import would remove it",
                                    quoted(&key),
                                    if what == "indicator" {
                                        "an indicator"
                                    } else {
                                        "a directly scored component"
                                    },
                                    self.year
                                ),
                            )
                            .field(format!("{name}.\"{}\"", crate::error::escaped(&key)))
                            .hint(hint),
                        ),
                    }
                }
            }
            Some(Node::Null) | None => {}
            Some(other) => problems.push(
                Problem::new(
                    rel,
                    format!(
                        "is {}, not a mapping; the import would replace it",
                        describe(other)
                    ),
                )
                .field(name)
                .hint(hint),
            ),
        }
    }
}

/// A cell of a scored indicator: a whole number from 0 to `max`; else the
/// problem and its hint.
fn score_value(key: &str, max: u32, value: &Value) -> Result<Scalar, (String, String)> {
    let hint = format!("use a whole number from 0 to {max}");
    let Some(x) = number_of(value) else {
        return Err((
            format!(
                "{} is not a number; indicator {key} takes a score",
                value.describe()
            ),
            hint,
        ));
    };
    let shown = number_text(x);
    if x.fract() != 0.0 {
        Err((
            format!("{shown} is not a whole number; indicator {key} takes a score"),
            hint,
        ))
    } else if x < 0.0 {
        Err((
            format!("{shown} is below the minimum 0 of indicator {key}"),
            hint,
        ))
    } else if x > f64::from(max) {
        Err((
            format!("{shown} is above the maximum {max} of indicator {key}"),
            hint,
        ))
    } else {
        Ok(Scalar::Int(x as i64))
    }
}

/// A cell of a graded indicator: one of its grades, as written or in
/// another case when that names one grade only.
fn grade_value(key: &str, grades: &[Grade], value: &Value) -> Result<Scalar, (String, String)> {
    let text = value.text();
    let exact = grades.iter().find(|g| g.grade == text);
    let folded: Vec<_> = grades
        .iter()
        .filter(|g| g.grade.to_lowercase() == text.to_lowercase())
        .collect();
    match (exact, folded.as_slice()) {
        (Some(g), _) | (None, &[g]) => Ok(Scalar::Text(g.grade.clone())),
        _ => {
            let letters: Vec<&str> = grades.iter().map(|g| g.grade.as_str()).collect();
            Err((
                format!(
                    "{} is not a grade of indicator {key} (unknown grade)",
                    value.describe()
                ),
                format!("use one of {}", letters.join(", ")),
            ))
        }
    }
}

/// A cell of a component scored directly: a number from 0 to 100.
fn component_value(key: &str, value: &Value) -> Result<Scalar, (String, String)> {
    let hint = "use a number from 0 to 100".to_string();
    let Some(x) = number_of(value) else {
        return Err((
            format!(
                "{} is not a number; component {key} takes a score",
                value.describe()
            ),
            hint,
        ));
    };
    let shown = number_text(x);
    if x < 0.0 {
        Err((
            format!("{shown} is below the minimum 0 of component {key}"),
            hint,
        ))
    } else if x > 100.0 {
        Err((
            format!("{shown} is above the maximum 100 of component {key}"),
            hint,
        ))
    } else {
        Ok(Scalar::Number(x))
    }
}

/// A mapping the sheet sets: its key, its entries with their sheet columns,
/// how its keys are written, and the titles of its groups.
type Wanted = (&'static str, Vec<(Entry, u32)>, KeyStyle, Vec<String>);

/// Whether `current`, the mapping `name` of a file, already holds exactly
/// the `wanted` entries (an absent `components` holds none).
fn holds(current: Option<&Node>, name: &str, wanted: &[(Entry, u32)]) -> bool {
    match current {
        Some(Node::Mapping(m)) => same_entries(m, wanted.iter().map(|(e, _)| e)),
        Some(Node::Null) | None => wanted.is_empty() && (current.is_some() || name != "indicators"),
        Some(_) => false,
    }
}

/// Whether the mapping `m` holds exactly `entries`, in any order.
fn same_entries<'a>(
    m: &yaml_serde::Mapping,
    entries: impl ExactSizeIterator<Item = &'a Entry>,
) -> bool {
    m.len() == entries.len()
        && entries.into_iter().all(|e| {
            m.iter()
                .any(|(k, v)| key_text(k) == e.key && e.value.matches(v))
        })
}

/// Whether the file now holds exactly the wanted mappings and every other
/// top-level key as before.
fn verify(old: &Node, text: &str, rel: &Path, edits: &[MappingEdit]) -> bool {
    let Ok(new) = crate::yaml::parse::<Node>(rel, text) else {
        return false;
    };
    let Node::Mapping(new_entries) = &new else {
        return false;
    };
    let empty = yaml_serde::Mapping::new();
    let old_entries = match old {
        Node::Mapping(e) => e,
        _ => &empty,
    };
    let edited = |k: &Node| matches!(k, Node::String(s) if edits.iter().any(|e| &e.key == s));
    let rest = |entries: &yaml_serde::Mapping| -> Vec<(Node, Node)> {
        entries
            .iter()
            .filter(|(k, _)| !edited(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    if rest(old_entries) != rest(new_entries) {
        return false;
    }
    edits.iter().all(|edit| match new.get(&edit.key) {
        Some(Node::Mapping(m)) => same_entries(m, edit.entries.iter()),
        None => edit.entries.is_empty() && !edit.required,
        _ => false,
    })
}

/// `indicators 1.1, 1.2 and component paparan`.
fn list_columns(columns: &[&Column]) -> String {
    let keys = |indicators: bool| -> Vec<&str> {
        columns
            .iter()
            .filter(|c| matches!(c.kind, ColumnKind::Indicator { .. }) == indicators)
            .map(|c| c.key.as_str())
            .collect()
    };
    let mut parts = Vec::new();
    for (indicators, one, many) in [
        (true, "indicator", "indicators"),
        (false, "component", "components"),
    ] {
        let keys = keys(indicators);
        match keys.len() {
            0 => {}
            1 => parts.push(format!("{one} {}", keys[0])),
            _ => parts.push(format!("{many} {}", keys.join(", "))),
        }
    }
    parts.join(" and ")
}

/// A row whose column-A cell starts with `#` is a note, not a district.
fn is_note_row(cells: &std::collections::BTreeMap<u32, Value>) -> bool {
    matches!(cells.get(&0), Some(Value::Text(t)) if t.trim_start().starts_with('#'))
}

/// A number in a cell: a number cell, or text such as `3`, `82.5` or `82,5`.
fn number_of(value: &Value) -> Option<f64> {
    let x = match value {
        Value::Number(x) => *x,
        Value::Text(s) => {
            let s = s.trim();
            let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
            let seps = digits.bytes().filter(|b| *b == b'.' || *b == b',').count();
            let ok = !digits.is_empty()
                && seps <= 1
                && digits
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
                && digits.bytes().any(|b| b.is_ascii_digit());
            if !ok {
                return None;
            }
            s.replace(',', ".").parse().ok()?
        }
        _ => return None,
    };
    x.is_finite().then_some(x)
}

/// A code cell against the registry's code; Excel may have turned `51.08` into a number.
fn same_code(cell: &Value, code: &str) -> bool {
    match cell {
        Value::Number(x) => code.parse::<f64>().is_ok_and(|c| c == *x),
        other => other.text() == code,
    }
}

fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::Int(n) => n.to_string(),
        Scalar::Number(x) => number_text(*x),
        Scalar::Text(s) => s.clone(),
    }
}

/// A code cell for a message: a number as typed, text escaped.
fn code_text(cell: &Value) -> String {
    match cell {
        Value::Text(s) => quoted(s.trim()),
        other => other.describe(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::yaml_edit::int_of;

    /// Every district file of the sample, with every value changed: edited
    /// in place (same line count), and everything else kept.
    #[test]
    fn every_sample_file_is_edited_in_place() {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut checked = 0;
        for year in ["2021", "2022", "2023"] {
            let dir = content.join(year).join("districts");
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect();
            files.sort();
            for path in files {
                let text = std::fs::read_to_string(&path).unwrap();
                let old: Node = crate::yaml::parse(&path, &text).unwrap();
                let edits: Vec<MappingEdit> = ["indicators", "components"]
                    .into_iter()
                    .map(|name| {
                        let Some(Node::Mapping(entries)) = old.get(name) else {
                            panic!("{}: no {name}", path.display());
                        };
                        MappingEdit {
                            key: name.to_string(),
                            entries: entries
                                .iter()
                                .map(|(k, v)| Entry {
                                    key: key_text(k),
                                    value: match (int_of(v), v) {
                                        (Some(n), _) => Scalar::Int(9 - n),
                                        (None, Node::String(_)) => Scalar::Text("Z".into()),
                                        _ => Scalar::Number(12.25),
                                    },
                                    group: 0,
                                })
                                .collect(),
                            style: KeyStyle::Quoted,
                            group_titles: Vec::new(),
                            required: true,
                        }
                    })
                    .collect();
                let new = yaml_edit::set_mappings(&text, &edits);
                assert_ne!(new, text);
                assert_eq!(
                    new.lines().count(),
                    text.lines().count(),
                    "{}",
                    path.display()
                );
                assert!(
                    verify(&old, &new, &path, &edits),
                    "{}:\n{new}",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(checked >= 20, "{checked}");
    }

    #[test]
    fn verify_catches_a_changed_key_elsewhere() {
        let old_text = "assessed_on: 2024-05-15\nindicators:\n  \"1.1\": A\n";
        let old: Node = crate::yaml::parse(Path::new("x.yaml"), old_text).unwrap();
        let edits = [MappingEdit {
            key: "indicators".into(),
            entries: vec![Entry {
                key: "1.1".into(),
                value: Scalar::Text("B".into()),
                group: 0,
            }],
            style: KeyStyle::Quoted,
            group_titles: Vec::new(),
            required: true,
        }];
        let good = "assessed_on: 2024-05-15\nindicators:\n  \"1.1\": B\n";
        assert!(verify(&old, good, Path::new("x.yaml"), &edits));
        let bad = "assessed_on: 2024-05-16\nindicators:\n  \"1.1\": B\n";
        assert!(!verify(&old, bad, Path::new("x.yaml"), &edits));
        let wrong_value = "assessed_on: 2024-05-15\nindicators:\n  \"1.1\": C\n";
        assert!(!verify(&old, wrong_value, Path::new("x.yaml"), &edits));
    }

    #[test]
    fn numbers_in_cells() {
        let n = |s: &str| number_of(&Value::Text(s.into()));
        assert_eq!(n("3"), Some(3.0));
        assert_eq!(n(" 82,5 "), Some(82.5));
        assert_eq!(n("-1"), Some(-1.0));
        assert_eq!(n(".5"), Some(0.5));
        for bad in [
            "", "tiga", "1e3", "inf", "NaN", "1.000,5", "82.5%", "-", ".",
        ] {
            assert_eq!(n(bad), None, "{bad}");
        }
        assert_eq!(number_of(&Value::Number(f64::NAN)), None);
        assert!(same_code(&Value::Number(51.08), "51.08"));
        assert!(same_code(&Value::Text("51.71".into()), "51.71"));
        assert!(!same_code(&Value::Number(51.1), "51.01"));
    }
}
