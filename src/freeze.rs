//! Frozen years: the fingerprint of a published year (`content/<year>/published.yaml`),
//! written by `rapor freeze`, and the check that a build makes against it.
//!
//! A freeze records the SHA-256 of every input file of the year (rubric.yaml,
//! year.yaml, province.md, districts/*.yaml and *.md, media/**), of each
//! registry entry the year uses (the JSON array `[code, name, slug, kind]`,
//! not the whole districts.yaml: adding a district for a later year leaves an
//! old frozen year alone), and per assessed district its values as written and
//! its numbers as published, so a change can be named and a correction shown.
//! published.yaml is not one of its own inputs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use sha2::{Digest, Sha256};

pub use crate::content::published::{
    published_path, read_published, DistrictRecord, Freeze, Published, FILE_NAME,
};
use crate::content::{files, Answer, Correction, IndicatorKind, Site, Year};
use crate::error::{Problem, Problems};
use crate::score::YearResults;

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The identity of a correction: SHA-256 of the JSON array `[date, [slugs], reason]`.
pub fn correction_id(c: &Correction) -> String {
    let canonical = serde_json::json!([c.date.to_string(), c.districts, c.reason]).to_string();
    sha256_hex(canonical.as_bytes())
}

/// The input files of a year, relative to the site root, sorted.
pub fn input_files(site: &Site, year: &Year) -> Vec<PathBuf> {
    let rel = Path::new("content").join(year.year.to_string());
    let mut out = vec![rel.join("rubric.yaml")];
    for name in ["year.yaml", "province.md"] {
        if files::exists(&site.root, &rel.join(name)) {
            out.push(rel.join(name));
        }
    }
    for d in site.district_ids() {
        if let Some(entry) = year.entry(d) {
            let slug = &site.district(d).slug;
            out.push(rel.join("districts").join(format!("{slug}.yaml")));
            if entry.narrative.is_some() {
                out.push(rel.join("districts").join(format!("{slug}.md")));
            }
        }
    }
    out.extend(year.media.iter().map(|m| rel.join(m)));
    out.sort();
    out
}

/// A path as written in published.yaml: forward slashes on every platform.
fn key(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The fingerprint of a loaded and scored year as it stands; `read` gives a
/// file's bytes (the only I/O). `date` is the day of the freeze.
pub fn fingerprint(
    site: &Site,
    year: &Year,
    results: &YearResults,
    date: &str,
    read: impl Fn(&Path) -> Result<Vec<u8>, Problem>,
) -> Result<Freeze, Problems> {
    let mut problems = Problems::default();
    let mut hashes = BTreeMap::new();
    for path in input_files(site, year) {
        match read(&path) {
            Ok(bytes) => {
                // Text as the loader reads it: a year frozen on Linux stays
                // frozen when Git on Windows checks it out with CRLF.
                let text = matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "md")
                );
                let bytes = if text {
                    files::normalized(bytes)
                } else {
                    bytes
                };
                hashes.insert(key(&path), sha256_hex(&bytes));
            }
            Err(p) => problems.push(p),
        }
    }
    let mut registry = BTreeMap::new();
    let mut districts = BTreeMap::new();
    for d in site.district_ids() {
        let (Some(entry), Some(scores)) = (year.entry(d), results.score(d)) else {
            continue;
        };
        let district = site.district(d);
        let kind = format!("{:?}", district.kind).to_lowercase();
        let canonical =
            serde_json::json!([district.code, district.name, district.slug, kind]).to_string();
        registry.insert(district.slug.clone(), sha256_hex(canonical.as_bytes()));
        let mut indicators = IndexMap::new();
        for (action, answers) in year.rubric.actions.iter().zip(&entry.answers) {
            for (indicator, answer) in action.indicators.iter().zip(answers) {
                indicators.insert(indicator.key.clone(), answer_text(&indicator.kind, *answer));
            }
        }
        let components = year
            .rubric
            .components
            .iter()
            .zip(&entry.components)
            .filter_map(|(c, v)| v.map(|v| (c.key.clone(), v)))
            .collect();
        districts.insert(
            district.slug.clone(),
            DistrictRecord {
                final_score: crate::score::round2(scores.final_score),
                category: year
                    .rubric
                    .categories
                    .get(scores.category)
                    .map(|c| c.label.clone())
                    .unwrap_or_default(),
                rank: results.rank_of(d).unwrap_or(0),
                indicators,
                components,
            },
        );
    }
    problems.into_result(Freeze {
        date: date.to_string(),
        corrections: year.meta.corrections.iter().map(correction_id).collect(),
        files: hashes,
        registry,
        districts,
    })
}

fn answer_text(kind: &IndicatorKind, answer: Answer) -> String {
    match (answer, kind) {
        (Answer::Score(n), _) => n.to_string(),
        (Answer::Grade(i), IndicatorKind::Graded { grades }) => grades
            .get(i)
            .map_or_else(|| i.to_string(), |g| g.grade.clone()),
        (Answer::Grade(i), _) => i.to_string(),
    }
}

/// published.yaml as written: a comment, then the freezes; same bytes for the same freezes.
pub fn to_yaml(year: i32, published: &Published) -> String {
    let body = yaml_serde::to_string(published).unwrap_or_default();
    format!(
        "# Written by `rapor freeze {year}`: the fingerprint of the year as published.\n\
         # Do not edit it by hand; commit it with the content.\n{body}"
    )
}

/// What differs between the last freeze and the year as it stands: one
/// problem per changed, added or removed file or registry entry.
pub fn compare(year: i32, last: &Freeze, now: &Freeze) -> Problems {
    let mut problems = Problems::default();
    let since = format!("since the year was frozen on {}", last.date);
    let hint = format!(
        "a published year must not change; if this is a real correction, record it in content/{year}/year.yaml under corrections: and run `rapor freeze {year}` again, otherwise undo the change"
    );
    for (path, old) in &last.files {
        let message = match now.files.get(path) {
            None => format!("was removed {since}"),
            Some(new) if new == old => continue,
            Some(_) => match district_changes(path, last, now) {
                Some(changes) if !changes.is_empty() => {
                    format!("changed {since}: {}", changes.join(", "))
                }
                _ => format!("changed {since}"),
            },
        };
        problems.push(Problem::new(path, message).hint(hint.clone()));
    }
    for path in now.files.keys().filter(|p| !last.files.contains_key(*p)) {
        problems.push(Problem::new(path, format!("was added {since}")).hint(hint.clone()));
    }
    let registry = Path::new("content").join("districts.yaml");
    for (slug, old) in &last.registry {
        let message = match now.registry.get(slug) {
            None => format!("the entry of `{slug}` was removed {since}"),
            Some(new) if new == old => continue,
            Some(_) => format!("the entry of `{slug}` changed {since}"),
        };
        problems.push(Problem::new(&registry, message).hint(hint.clone()));
    }
    problems
}

/// For `content/<year>/districts/<slug>.yaml`, the values that changed:
/// `indicators."2.3": B → A`. `None` for other files.
fn district_changes(path: &str, last: &Freeze, now: &Freeze) -> Option<Vec<String>> {
    let slug = path.strip_suffix(".yaml")?.rsplit_once("/districts/")?.1;
    let (old, new) = (last.districts.get(slug)?, now.districts.get(slug)?);
    let mut changes = Vec::new();
    let mut values =
        |what: &str, old: &IndexMap<String, String>, new: &IndexMap<String, String>| {
            for (k, o) in old {
                match new.get(k) {
                    Some(n) if n == o => {}
                    Some(n) => changes.push(format!("{what}.\"{k}\": {o} → {n}")),
                    None => changes.push(format!("{what}.\"{k}\": {o} → (none)")),
                }
            }
            for (k, n) in new.iter().filter(|(k, _)| !old.contains_key(*k)) {
                changes.push(format!("{what}.\"{k}\": (none) → {n}"));
            }
        };
    values("indicators", &old.indicators, &new.indicators);
    let texts = |m: &IndexMap<String, f64>| -> IndexMap<String, String> {
        m.iter().map(|(k, v)| (k.clone(), v.to_string())).collect()
    };
    values(
        "components",
        &texts(&old.components),
        &texts(&new.components),
    );
    Some(changes)
}

/// Reads an input file for a fingerprint. Media may be larger than text files.
pub fn read_input(root: &Path, rel: &Path) -> Result<Vec<u8>, Problem> {
    std::fs::read(root.join(rel)).map_err(|e| Problem::new(rel, format!("cannot be read: {e}")))
}

/// Every frozen year of a loaded site checked against its last freeze.
/// A year never frozen costs nothing here (its published.yaml was looked for
/// by the loader: one `lstat`).
pub fn check_site(site: &Site, results: &[YearResults]) -> Result<(), Problems> {
    let mut problems = Problems::default();
    for (year, results) in site.years.iter().zip(results) {
        let Some(last) = year.published.as_ref().and_then(|p| p.freezes.last()) else {
            continue;
        };
        match fingerprint(site, year, results, &last.date, |rel| {
            read_input(&site.root, rel)
        }) {
            Ok(now) => problems.extend(compare(year.year, last, &now)),
            Err(p) => problems.extend(p),
        }
    }
    problems.into_result(())
}

/// What `rapor freeze` did.
#[derive(Debug)]
pub enum FreezeOutcome {
    /// The first freeze of the year.
    Frozen { files: usize, districts: usize },
    /// A new freeze after a correction; the earlier ones are kept.
    Corrected { freezes: usize, previous: String },
    /// Nothing changed since the last freeze, of that date: nothing written.
    Unchanged { date: String },
}

/// Freezes `year` of the site under `root` on `date` (`YYYY-MM-DD`, checked
/// by the caller): writes or extends its published.yaml.
pub fn freeze(root: &Path, year: i32, date: &str) -> Result<FreezeOutcome, Problems> {
    let site = crate::content::load(root)?;
    let results = crate::score::score_site(&site);
    let Some(index) = site.year_id(year) else {
        return Err(Problem::new(
            Path::new("content").join(year.to_string()),
            "is not a year folder of this site",
        )
        .hint("give the performance year of a folder under content/")
        .into());
    };
    let y = site.year(index);
    let now = fingerprint(&site, y, &results[index.0], date, |rel| {
        read_input(root, rel)
    })?;
    let previous = y.published.clone();
    let (published, outcome) = match previous {
        None => {
            let outcome = FreezeOutcome::Frozen {
                files: now.files.len(),
                districts: now.districts.len(),
            };
            (Published { freezes: vec![now] }, outcome)
        }
        Some(mut published) => {
            let Some(last) = published.freezes.last() else {
                return Err(Problem::new(published_path(year), "holds no freeze").into());
            };
            if last.same_inputs(&now) {
                return Ok(FreezeOutcome::Unchanged {
                    date: last.date.clone(),
                });
            }
            accept_change(year, y, last, &now)?;
            let outcome = FreezeOutcome::Corrected {
                freezes: published.freezes.len() + 1,
                previous: last.date.clone(),
            };
            published.freezes.push(now);
            (published, outcome)
        }
    };
    write_published(root, year, &published)?;
    Ok(outcome)
}

/// A frozen year's inputs may change only with a correction dated on or
/// after the last freeze and new since it.
fn accept_change(year: i32, y: &Year, last: &Freeze, now: &Freeze) -> Result<(), Problems> {
    let year_file = Path::new("content")
        .join(year.to_string())
        .join("year.yaml");
    if now.date < last.date {
        return Err(Problem::new(
            published_path(year),
            format!(
                "the year was last frozen on {}, after {}",
                last.date, now.date
            ),
        )
        .hint("give --date on or after the last freeze, or leave it out for today")
        .into());
    }
    let new_correction =
        y.meta.corrections.iter().any(|c| {
            c.date.to_string() >= last.date && !last.corrections.contains(&correction_id(c))
        });
    if new_correction {
        return Ok(());
    }
    let mut problems = compare(year, last, now);
    problems.push(
        Problem::new(
            &year_file,
            format!(
                "{year} was frozen on {} and its files changed since, but no new correction dated on or after {} is recorded",
                last.date, last.date
            ),
        )
        .field("corrections")
        .hint(format!(
            "add an entry under corrections: with date, districts and reason, then run `rapor freeze {year}` again; or undo the change"
        )),
    );
    Err(problems.sorted())
}

/// Writes published.yaml through a temporary file, so a reader never sees half of it.
fn write_published(root: &Path, year: i32, published: &Published) -> Result<(), Problems> {
    let rel = published_path(year);
    let path = root.join(&rel);
    let tmp = path.with_extension("yaml.tmp");
    std::fs::write(&tmp, to_yaml(year, published))
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Problems::from(Problem::new(&rel, format!("cannot be written: {e}")))
        })
}

/// A district's published numbers in one freeze.
#[derive(Debug, Clone, PartialEq)]
pub struct Numbers {
    pub final_score: f64,
    pub category: String,
    pub rank: u32,
}

/// One district's numbers before and after a correction (`None`: not assessed then).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub slug: String,
    pub old: Option<Numbers>,
    pub new: Option<Numbers>,
}

/// A correction as the pages show it: as recorded, with what changed,
/// computed from the freeze that accepted it and the one before.
#[derive(Debug, Clone)]
pub struct Ralat<'a> {
    pub correction: &'a Correction,
    /// Empty when no earlier freeze tells the old numbers.
    pub changes: Vec<Change>,
}

fn numbers(freeze: &Freeze, slug: &str) -> Option<Numbers> {
    freeze.districts.get(slug).map(|d| Numbers {
        final_score: d.final_score,
        category: d.category.clone(),
        rank: d.rank,
    })
}

/// The corrections of a year, in year.yaml's order, each with its changes:
/// for the districts it names, then every other district whose numbers
/// differ between the freeze that accepted it and the one before.
/// A year never frozen shows none.
pub fn ralat(year: &Year) -> Vec<Ralat<'_>> {
    let Some(published) = &year.published else {
        return Vec::new();
    };
    year.meta
        .corrections
        .iter()
        .map(|correction| {
            let id = correction_id(correction);
            let accepted = published
                .freezes
                .windows(2)
                .find(|w| w[1].corrections.contains(&id) && !w[0].corrections.contains(&id));
            let changes = match accepted {
                None => Vec::new(),
                Some([before, after]) => {
                    // The districts it names, then any other whose numbers
                    // moved (a corrected score can shift others' ranks).
                    let mut slugs = correction.districts.clone();
                    let mut moved: Vec<&String> = before
                        .districts
                        .keys()
                        .chain(after.districts.keys())
                        .collect();
                    moved.sort();
                    moved.dedup();
                    slugs.extend(
                        moved
                            .into_iter()
                            .filter(|s| numbers(before, s) != numbers(after, s))
                            .filter(|s| !correction.districts.contains(s))
                            .cloned(),
                    );
                    slugs
                        .into_iter()
                        .map(|slug| Change {
                            old: numbers(before, &slug),
                            new: numbers(after, &slug),
                            slug,
                        })
                        .collect()
                }
                Some(_) => Vec::new(),
            };
            Ralat {
                correction,
                changes,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(score: f64, rank: u32, grade: &str) -> DistrictRecord {
        DistrictRecord {
            final_score: score,
            category: "Madya".into(),
            rank,
            indicators: [("2.3".to_string(), grade.to_string())]
                .into_iter()
                .collect(),
            components: IndexMap::new(),
        }
    }

    fn freeze(date: &str, files: &[(&str, &str)], districts: &[(&str, DistrictRecord)]) -> Freeze {
        Freeze {
            date: date.into(),
            corrections: Vec::new(),
            files: files
                .iter()
                .map(|(p, h)| (p.to_string(), h.to_string()))
                .collect(),
            registry: [("bima".to_string(), "r".to_string())]
                .into_iter()
                .collect(),
            districts: districts
                .iter()
                .map(|(s, r)| (s.to_string(), r.clone()))
                .collect(),
        }
    }

    #[test]
    fn compare_names_changed_added_and_removed_files() {
        let d = "content/2023/districts/bima.yaml";
        let old = freeze(
            "2024-06-01",
            &[(d, "1"), ("content/2023/province.md", "2")],
            &[("bima", record(70.0, 1, "B"))],
        );
        let mut now = freeze(
            "2024-06-01",
            &[(d, "9"), ("content/2023/media/a.png", "3")],
            &[("bima", record(75.0, 1, "A"))],
        );
        now.registry.clear();
        let shown: Vec<String> = compare(2023, &old, &now)
            .sorted()
            .to_string()
            .lines()
            .map(|l| l.split(" (").next().unwrap_or_default().to_string())
            .collect();
        assert_eq!(
            shown,
            [
                "content/2023/districts/bima.yaml: changed since the year was frozen on 2024-06-01: indicators.\"2.3\": B → A",
                "content/2023/media/a.png: was added since the year was frozen on 2024-06-01",
                "content/2023/province.md: was removed since the year was frozen on 2024-06-01",
                "content/districts.yaml: the entry of `bima` was removed since the year was frozen on 2024-06-01",
            ]
        );
        assert!(compare(2023, &old, &old).is_empty());
    }

    #[test]
    fn a_correction_shows_the_districts_it_names_and_every_rank_it_moved() {
        let c = Correction {
            date: jiff::civil::date(2024, 7, 1),
            districts: vec!["bima".into()],
            reason: "Salah ketik.".into(),
        };
        let first = freeze(
            "2024-06-01",
            &[],
            &[
                ("bima", record(70.0, 2, "B")),
                ("dompu", record(72.0, 1, "A")),
            ],
        );
        let mut second = freeze(
            "2024-07-01",
            &[],
            &[
                ("bima", record(75.0, 1, "A")),
                ("dompu", record(72.0, 2, "A")),
            ],
        );
        second.corrections.push(correction_id(&c));
        let year = Year {
            year: 2023,
            rubric: crate::content::parse_rubric(
                "title: T\ncomponents: [{key: k, name: K, weight: 100, from: actions}]\nactions: [{number: 1, name: A, weight: 100, indicators: [{key: \"1.1\", text: x, max: 1}]}]\ncategories: [{min: 0, label: L}]\n",
            )
            .unwrap(),
            meta: crate::content::YearMeta {
                corrections: vec![c],
                ..Default::default()
            },
            narrative: None,
            entries: Vec::new(),
            media: Vec::new(),
            published: Some(Published {
                freezes: vec![first, second],
            }),
        };
        let shown = ralat(&year);
        assert_eq!(shown.len(), 1);
        let slugs: Vec<&str> = shown[0].changes.iter().map(|c| c.slug.as_str()).collect();
        assert_eq!(slugs, ["bima", "dompu"]);
        let bima = &shown[0].changes[0];
        assert_eq!(
            bima.old.as_ref().map(|n| (n.final_score, n.rank)),
            Some((70.0, 2))
        );
        assert_eq!(
            bima.new.as_ref().map(|n| (n.final_score, n.rank)),
            Some((75.0, 1))
        );
    }
}
