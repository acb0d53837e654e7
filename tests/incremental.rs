//! `rapor serve` renders only the pages a district change touches: after
//! each kind of change, the pages it renders again must make the site
//! byte-identical to a full build.

mod common;
use common::Fixture;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use rapor::content::{load, reload_district};
use rapor::render::{incremental::affected_jobs, RenderOptions, Renderer};
use rapor::score::{score_site, score_year};

type Files = BTreeMap<String, Vec<u8>>;

/// As `rapor build` renders, share pictures included (no archives).
fn with_pictures() -> RenderOptions {
    RenderOptions {
        pictures: true,
        ..RenderOptions::default()
    }
}

fn render_everything(root: &Path) -> Files {
    let site = load(root).unwrap();
    let results = score_site(&site);
    let files = Mutex::new(Files::new());
    Renderer::new(&site, &results, &with_pictures())
        .unwrap()
        .render_all(&|f| {
            files.lock().unwrap().insert(f.path, f.bytes);
        })
        .unwrap();
    files.into_inner().unwrap()
}

/// Applies `edit` to the files of (year, slug), renders only the affected
/// pages over the previous output and compares with a full build.
fn check(edit: impl FnOnce(&Path), year: i32, slug: &str) {
    let copy = Fixture::sample();
    let root = copy.root.as_path();
    let mut site = load(root).unwrap();
    let mut results = score_site(&site);
    let mut files = render_everything(root);

    edit(&copy.path(&format!("content/{year}/districts")));
    let y = site.year_id(year).unwrap();
    let d = site.district_by_slug(slug).unwrap();
    let entry = reload_district(&site, y, d).unwrap();
    let before = results.clone();
    *site.entry_mut(y, d) = entry;
    results[y.0] = score_year(&site.year(y).rubric, &site.year(y).entries);
    let jobs = affected_jobs(&site, &before, &results, &[(y, d)]);
    let rendered = Mutex::new(Files::new());
    Renderer::new(&site, &results, &with_pictures())
        .unwrap()
        .render_jobs(&jobs, &|f| {
            rendered.lock().unwrap().insert(f.path, f.bytes);
        })
        .unwrap();
    let rendered = rendered.into_inner().unwrap();
    let count = rendered.len();
    files.extend(rendered);

    let full = render_everything(root);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &full {
        assert!(
            &files[path] == bytes,
            "{path} is stale after an incremental rebuild ({} jobs)",
            jobs.len()
        );
    }
    assert!(
        count < full.len(),
        "rendered {count} of {} files: not incremental",
        full.len()
    );
}

fn replace(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_component_score_that_moves_ranks() {
    check(
        |dir| replace(dir, "jembrana.yaml", "paparan: 64", "paparan: 100"),
        2023,
        "jembrana",
    );
}

#[test]
fn a_grade_in_the_first_year_changes_later_years() {
    check(
        |dir| replace(dir, "badung.yaml", "\"5.1\": 3", "\"5.1\": 0"),
        2021,
        "badung",
    );
}

#[test]
fn a_narrative_only() {
    check(
        |dir| std::fs::write(dir.join("bangli.md"), "Catatan baru untuk **Bangli**.\n").unwrap(),
        2023,
        "bangli",
    );
}

#[test]
fn a_district_no_longer_assessed() {
    check(
        |dir| {
            std::fs::remove_file(dir.join("gianyar.yaml")).unwrap();
            std::fs::remove_file(dir.join("gianyar.md")).unwrap();
        },
        2022,
        "gianyar",
    );
}

#[test]
fn a_district_newly_assessed() {
    check(
        |dir| {
            std::fs::copy(dir.join("bangli.yaml"), dir.join("jembrana.yaml"))
                .map(|_| ())
                .unwrap()
        },
        2022,
        "jembrana",
    );
}
