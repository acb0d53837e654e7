//! Frozen years and corrections, end to end through the `rapor` binary, on
//! copies of `tests/fixtures/minimal` (years 2030 and 2031).

mod common;

use std::fs;

use common::Fixture;
use snapbox::str;

const BETA: &str = "content/2030/districts/beta.yaml";
const YEAR: &str = "content/2030/year.yaml";
const PUBLISHED: &str = "content/2030/published.yaml";

const CORRECTION: &str = "corrections:
  - date: 2031-07-01
    districts: [beta]
    reason: Nilai indikator 1.2 salah ketik pada lembar penilaian.
";

#[test]
fn a_changed_indicator_fails_the_build_naming_file_and_change() {
    let site = Fixture::new();
    let root = site.root.as_path();
    site.rapor(&["build"]).success();
    site.rapor(&["freeze", "2030", "--date", "2031-06-02"])
        .success();
    // Freezing writes into content only: a build after it is as before.
    site.rapor(&["build"]).success();
    let before = site.output();

    site.edit(BETA, "\"1.2\": B", "\"1.2\": A");
    let err = site.rapor(&["build"]).failure();
    err.stderr_is(str![[r#"
content/2030/districts/beta.yaml: changed since the year was frozen on 2031-06-02: indicators."1.2": B → A (a published year must not change; if this is a real correction, record it in content/2030/year.yaml under corrections: and run `rapor freeze 2030` again, otherwise undo the change)
error: 1 problem found; nothing was published

"#]]);
    assert_eq!(site.output(), before);
    let err = site.rapor(&["check"]).failure();
    err.stderr_is(str![[r#"
content/2030/districts/beta.yaml: changed since the year was frozen on 2031-06-02: indicators."1.2": B → A (a published year must not change; if this is a real correction, record it in content/2030/year.yaml under corrections: and run `rapor freeze 2030` again, otherwise undo the change)
error: 1 problem found

"#]]);

    // A component, an added and a removed file are each named.
    site.edit(BETA, "wawancara: 64", "wawancara: 70");
    fs::remove_file(root.join("content/2030/districts/alpha.md")).unwrap();
    fs::write(root.join("content/2030/province.md"), "Ringkasan.\n").unwrap();
    let err = site.rapor(&["check"]).failure();
    err.stderr_is(str![[r#"
content/2030/districts/alpha.md: was removed since the year was frozen on 2031-06-02 (a published year must not change; if this is a real correction, record it in content/2030/year.yaml under corrections: and run `rapor freeze 2030` again, otherwise undo the change)
content/2030/districts/beta.yaml: changed since the year was frozen on 2031-06-02: indicators."1.2": B → A, components."wawancara": 64 → 70 (a published year must not change; if this is a real correction, record it in content/2030/year.yaml under corrections: and run `rapor freeze 2030` again, otherwise undo the change)
content/2030/province.md: was added since the year was frozen on 2031-06-02 (a published year must not change; if this is a real correction, record it in content/2030/year.yaml under corrections: and run `rapor freeze 2030` again, otherwise undo the change)
error: 3 problems found

"#]]);
}

#[test]
fn a_new_correction_lets_the_year_be_frozen_again() {
    let site = Fixture::new();
    let root = site.root.as_path();
    site.rapor(&["freeze", "2030", "--date", "2031-06-02"])
        .success();
    site.edit(BETA, "\"1.2\": B", "\"1.2\": A");

    // Without a correction, freeze refuses and writes nothing.
    let first = fs::read(root.join(PUBLISHED)).unwrap();
    let err = site
        .rapor(&["freeze", "2030", "--date", "2031-07-01"])
        .failure();
    err.stderr_is(str![[r#"
content/2030/districts/beta.yaml: changed since the year was frozen on 2031-06-02: indicators."1.2": B → A (a published year must not change; if this is a real correction, record it in content/2030/year.yaml under corrections: and run `rapor freeze 2030` again, otherwise undo the change)
content/2030/year.yaml: corrections: 2030 was frozen on 2031-06-02 and its files changed since, but no new correction dated on or after 2031-06-02 is recorded (add an entry under corrections: with date, districts and reason, then run `rapor freeze 2030` again; or undo the change)
error: 2 problems found; 2030 was not frozen

"#]]);
    assert_eq!(fs::read(root.join(PUBLISHED)).unwrap(), first);

    // A correction dated before the freeze is not one of this change.
    site.append(
        YEAR,
        "corrections:\n  - date: 2031-06-01\n    districts: [beta]\n    reason: Terlalu awal.\n",
    );
    let err = site
        .rapor(&["freeze", "2030", "--date", "2031-07-01"])
        .failure();
    err.stderr_is(str![[r#"
content/2030/districts/beta.yaml: changed since the year was frozen on 2031-06-02: indicators."1.2": B → A (a published year must not change; if this is a real correction, record it in content/2030/year.yaml under corrections: and run `rapor freeze 2030` again, otherwise undo the change)
content/2030/year.yaml: changed since the year was frozen on 2031-06-02 (a published year must not change; if this is a real correction, record it in content/2030/year.yaml under corrections: and run `rapor freeze 2030` again, otherwise undo the change)
content/2030/year.yaml: corrections: 2030 was frozen on 2031-06-02 and its files changed since, but no new correction dated on or after 2031-06-02 is recorded (add an entry under corrections: with date, districts and reason, then run `rapor freeze 2030` again; or undo the change)
error: 3 problems found; 2030 was not frozen

"#]]);

    site.edit(
        YEAR,
        "  - date: 2031-06-01\n    districts: [beta]\n    reason: Terlalu awal.\n",
        "",
    );
    site.append(YEAR, &CORRECTION.replacen("corrections:\n", "", 1));
    let out = site
        .rapor(&["freeze", "2030", "--date", "2031-07-01"])
        .success();
    assert!(
        out.stdout.contains("again after a correction"),
        "{}",
        out.stdout
    );
    site.rapor(&["build"]).success();
    site.rapor(&["check"]).success();
    let published = common::read(&root.join(PUBLISHED));
    assert_eq!(published.matches("- date: ").count(), 2, "{published}");
    assert!(published.contains("- date: 2031-06-02"), "{published}");
    assert!(published.contains("- date: 2031-07-01"), "{published}");

    // The same correction does not cover a further change.
    site.edit(BETA, "\"4.2\": 1", "\"4.2\": 2");
    let err = site
        .rapor(&["freeze", "2030", "--date", "2031-07-02"])
        .failure();
    err.stderr_is(str![[r#"
content/2030/districts/beta.yaml: changed since the year was frozen on 2031-07-01: indicators."4.2": 1 → 2 (a published year must not change; if this is a real correction, record it in content/2030/year.yaml under corrections: and run `rapor freeze 2030` again, otherwise undo the change)
content/2030/year.yaml: corrections: 2030 was frozen on 2031-07-01 and its files changed since, but no new correction dated on or after 2031-07-01 is recorded (add an entry under corrections: with date, districts and reason, then run `rapor freeze 2030` again; or undo the change)
error: 2 problems found; 2030 was not frozen

"#]]);
    // Nor a freeze dated before the last one.
    site.append(
        YEAR,
        "  - date: 2031-07-02\n    districts: [beta]\n    reason: Indikator 4.2.\n",
    );
    let err = site
        .rapor(&["freeze", "2030", "--date", "2031-06-30"])
        .failure();
    err.stderr_is(str![[r#"
content/2030/published.yaml: the year was last frozen on 2031-07-01, after 2031-06-30 (give --date on or after the last freeze, or leave it out for today)
error: 1 problem found; 2030 was not frozen

"#]]);
    site.rapor(&["freeze", "2030", "--date", "2031-07-02"])
        .success();
    site.rapor(&["check"]).success();
}

#[test]
fn a_year_never_frozen_is_unaffected() {
    let site = Fixture::new();
    site.rapor(&["freeze", "2030", "--date", "2031-06-02"])
        .success();
    site.edit(
        "content/2031/districts/beta.yaml",
        "\"1.2\": B",
        "\"1.2\": A",
    );
    site.rapor(&["build"]).success();
    // A district added to the registry for a later year leaves 2030 alone.
    site.append(
        "content/districts.yaml",
        "- code: \"99.04\"\n  name: Kabupaten Epsilon\n  slug: epsilon\n  kind: kabupaten\n",
    );
    site.rapor(&["check"]).success();
    // But renaming a district 2030 assessed is a change.
    site.edit(
        "content/districts.yaml",
        "Kabupaten Beta",
        "Kabupaten Beta Baru",
    );
    let err = site.rapor(&["check"]).failure();
    err.stderr_is(str![[r#"
content/districts.yaml: the entry of `beta` changed since the year was frozen on 2031-06-02 (a published year must not change; if this is a real correction, record it in content/2030/year.yaml under corrections: and run `rapor freeze 2030` again, otherwise undo the change)
error: 1 problem found

"#]]);
}

#[test]
fn published_yaml_is_deterministic_and_refreezing_is_a_no_op() {
    let (a, b) = (Fixture::new(), Fixture::new());
    a.rapor(&["freeze", "2030", "--date", "2031-06-02"])
        .success();
    b.rapor(&["freeze", "2030", "--date", "2031-06-02"])
        .success();
    let text = fs::read(a.path(PUBLISHED)).unwrap();
    assert_eq!(text, fs::read(b.path(PUBLISHED)).unwrap());
    let shown = String::from_utf8(text.clone()).unwrap();
    // Sorted paths, and not its own fingerprint.
    let paths: Vec<&str> = shown
        .lines()
        .filter_map(|l| l.trim().strip_prefix("content/"))
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(!shown.contains("published.yaml"), "{shown}");
    assert!(shown.contains("final_score: 53.5"), "{shown}");

    let out = a
        .rapor(&["freeze", "2030", "--date", "2031-08-01"])
        .success();
    assert!(out
        .stdout
        .contains("has not changed since it was frozen on 2031-06-02"));
    assert_eq!(fs::read(a.path(PUBLISHED)).unwrap(), text);
}

#[test]
fn a_malformed_published_yaml_is_a_problem_with_its_position() {
    let site = Fixture::new();
    let root = site.root.as_path();
    fs::write(
        root.join(PUBLISHED),
        "freezes:\n- date: 2031-06-02\n  files: {}\n  registry: {}\n  districts: {}\n  extra: 1\n",
    )
    .unwrap();
    let err = site.rapor(&["check"]).failure();
    err.stderr_is(str![[r#"
content/2030/published.yaml:6:3: unknown key `extra` (this file is written by `rapor freeze 2030`; restore it from version control)
error: 1 problem found

"#]]);
    fs::write(root.join(PUBLISHED), "freezes: [").unwrap();
    let err = site.rapor(&["build"]).failure();
    err.stderr_is(str![[r#"
content/2030/published.yaml:1:10: unclosed bracket '[' (this file is written by `rapor freeze 2030`; restore it from version control)
error: 1 problem found; nothing was published

"#]]);
}

#[test]
fn corrections_are_checked_like_other_fields() {
    let site = Fixture::new();
    let root = site.root.as_path();
    site.append(YEAR,
        "corrections:\n  - date: 2031-02-30\n    districts: [beta, zeta]\n    reason: Salah ketik.\n",
    );
    let err = site.rapor(&["check"]).failure();
    err.stderr_is(str![[r#"
content/2030/year.yaml:8:11: corrections[0].date: `2031-02-30` is not a day of the calendar: February 2031 has 28 days (check the day and the month)
content/2030/year.yaml:9:23: corrections[0].districts: `zeta` is not a district slug (use slugs from districts.yaml, or an empty list for a rubric or text fix)
error: 2 problems found

"#]]);
    // A freeze needs a site with no problems.
    let err = site.rapor(&["freeze", "2030"]).failure();
    err.stderr_is(str![[r#"
content/2030/year.yaml:8:11: corrections[0].date: `2031-02-30` is not a day of the calendar: February 2031 has 28 days (check the day and the month)
content/2030/year.yaml:9:23: corrections[0].districts: `zeta` is not a district slug (use slugs from districts.yaml, or an empty list for a rubric or text fix)
error: 2 problems found; 2030 was not frozen

"#]]);
    assert!(!root.join(PUBLISHED).exists());
    let err = site.rapor(&["freeze", "2040"]).failure();
    err.stderr_is(str![[r#"
content/2030/year.yaml:8:11: corrections[0].date: `2031-02-30` is not a day of the calendar: February 2031 has 28 days (check the day and the month)
content/2030/year.yaml:9:23: corrections[0].districts: `zeta` is not a district slug (use slugs from districts.yaml, or an empty list for a rubric or text fix)
error: 2 problems found; 2040 was not frozen

"#]]);
    let site = Fixture::new();
    let err = site.rapor(&["freeze", "2040"]).failure();
    err.stderr_is(str![[r#"
content/2040: is not a year folder of this site (give the performance year of a folder under content/)
error: 1 problem found; 2040 was not frozen

"#]]);
    let err = site
        .rapor(&["freeze", "2030", "--date", "2031-13-01"])
        .failure();
    err.stderr_is(str![[r#"
--date: `2031-13-01` has no month 13 (months run from 01 to 12)
error: 1 problem found; 2030 was not frozen

"#]]);
}

#[test]
fn the_ralat_box_shows_old_and_new_numbers_computed_by_rapor() {
    let site = Fixture::new();
    let root = site.root.as_path();
    site.rapor(&["freeze", "2030", "--date", "2031-06-02"])
        .success();
    site.rapor(&["build"]).success();
    let page = |rel: &str| common::read(&root.join("output").join(rel));
    // Frozen but never corrected: no box, and an empty list in the data.
    assert!(!page("2030/index.html").contains("class=\"ralat\""));
    let json: serde_json::Value = serde_json::from_str(&page("data/2030.json")).unwrap();
    assert_eq!(json["corrections"], serde_json::json!([]));
    let json: serde_json::Value = serde_json::from_str(&page("data/2031.json")).unwrap();
    assert!(
        json.get("corrections").is_none(),
        "a year never frozen keeps its schema"
    );

    site.edit(BETA, "\"1.2\": B", "\"1.2\": A");
    site.append(YEAR, CORRECTION);
    site.rapor(&["freeze", "2030", "--date", "2031-07-01"])
        .success();
    site.rapor(&["build"]).success();

    let year = page("2030/index.html");
    assert!(year.contains("<h2 id=\"ralat\">Ralat</h2>"), "{year}");
    assert!(year.contains("<strong>1 Juli 2031</strong>"), "{year}");
    assert!(year.contains("salah ketik pada lembar penilaian"), "{year}");
    assert!(
        year.contains("<td class=\"num\" data-label=\"Nilai akhir\">53,50 → <strong>59,33</strong></td><td data-label=\"Kategori\">Madya → <strong>Madya</strong></td><td class=\"num\" data-label=\"Peringkat\">3 → <strong>3</strong></td>"),
        "{year}"
    );
    let beta = page("2030/beta/index.html");
    assert!(beta.contains("53,50 → <strong>59,33</strong>"), "{beta}");
    // Districts the correction did not touch, and other years, show no box.
    assert!(!page("2030/alpha/index.html").contains("class=\"ralat\""));
    assert!(!page("2031/beta/index.html").contains("class=\"ralat\""));
    assert!(!page("2031/index.html").contains("class=\"ralat\""));

    let json: serde_json::Value = serde_json::from_str(&page("data/2030.json")).unwrap();
    assert_eq!(
        json["corrections"],
        serde_json::json!([{
            "date": "2031-07-01",
            "districts": ["beta"],
            "reason": "Nilai indikator 1.2 salah ketik pada lembar penilaian.",
            "changes": [{
                "slug": "beta",
                "old": { "final": 53.5, "category": "Madya", "rank": 3 },
                "new": { "final": 59.33, "category": "Madya", "rank": 3 }
            }]
        }])
    );
}

/// The header of `data/<year>.csv` for the fixture's rubric, as it has always been.
const CSV_HEADER: &str = "slug,code,name,assessed,final,rank,category,component_berkas,component_wawancara,action_1,action_4,action_9,prevalence";

#[test]
fn the_csv_and_the_history_page_carry_the_correction() {
    let site = Fixture::new();
    let root = site.root.as_path();
    let page = |rel: &str| common::read(&root.join("output").join(rel));
    let header = |rel: &str| page(rel).lines().next().unwrap_or_default().to_string();

    // Never frozen, then frozen but never corrected: the CSV and the history
    // page are as they always were.
    site.rapor(&["build"]).success();
    assert_eq!(header("data/2030.csv"), CSV_HEADER);
    let history = page("wilayah/beta/index.html");
    site.rapor(&["freeze", "2030", "--date", "2031-06-02"])
        .success();
    site.rapor(&["build"]).success();
    assert_eq!(header("data/2030.csv"), CSV_HEADER);
    assert_eq!(page("wilayah/beta/index.html"), history);

    site.edit(BETA, "\"1.2\": B", "\"1.2\": A");
    site.append(YEAR, CORRECTION);
    site.rapor(&["freeze", "2030", "--date", "2031-07-01"])
        .success();
    site.rapor(&["build"]).success();

    // Still one row per district; the corrected one says when and what it was.
    let csv = page("data/2030.csv");
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        rows[0],
        format!("{CSV_HEADER},corrected_on,final_before_correction,category_before_correction,rank_before_correction")
    );
    assert_eq!(rows.len(), 5, "{csv}");
    let beta = rows.iter().find(|r| r.starts_with("beta,")).unwrap();
    assert!(beta.contains(",59.33,3,Madya,"), "{beta}");
    assert!(beta.ends_with(",2031-07-01,53.5,Madya,3"), "{beta}");
    let alpha = rows.iter().find(|r| r.starts_with("alpha,")).unwrap();
    assert!(alpha.ends_with(",,,,"), "{alpha}");
    // A year never frozen keeps its header.
    assert_eq!(header("data/2031.csv"), CSV_HEADER);

    // The history page marks the corrected year, linking to its Ralat box.
    let history = page("wilayah/beta/index.html");
    assert!(
        history.contains(
            "<a class=\"ralat-mark\" href=\"/penilaian/2030/beta/#ralat\">Ralat 1 Juli 2031</a>"
        ),
        "{history}"
    );
    assert_eq!(history.matches("ralat-mark").count(), 1, "{history}");
    assert!(page("2030/beta/index.html").contains("<h2 id=\"ralat\">"));
    assert!(!page("wilayah/alpha/index.html").contains("ralat-mark"));
}
