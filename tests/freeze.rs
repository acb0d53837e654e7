//! Frozen years and corrections, end to end through the `rapor` binary, on
//! copies of `tests/fixtures/minimal` (years 2030 and 2031).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

const RAPOR: &str = env!("CARGO_BIN_EXE_rapor");

fn site() -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal/content"),
        &tmp.path().join("content"),
    );
    tmp
}

fn rapor(root: &Path, args: &[&str]) -> Output {
    Command::new(RAPOR)
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        stdout(out),
        stderr(out)
    );
}

fn fails(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "stdout: {}", stdout(out));
    stderr(out)
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    common::walk(dir)
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} holds no {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn append(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let mut all = fs::read_to_string(&path).unwrap();
    all.push_str(text);
    fs::write(&path, all).unwrap();
}

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
    let tmp = site();
    let root = tmp.path();
    ok(&rapor(root, &["build"]));
    ok(&rapor(root, &["freeze", "2030", "--date", "2031-06-02"]));
    // Freezing writes into content only: a build after it is as before.
    ok(&rapor(root, &["build"]));
    let before = snapshot(&root.join("output"));

    edit(root, BETA, "\"1.2\": B", "\"1.2\": A");
    let err = fails(&rapor(root, &["build"]));
    assert!(
        err.contains(
            "content/2030/districts/beta.yaml: changed since the year was frozen on 2031-06-02: indicators.\"1.2\": B → A"
        ),
        "{err}"
    );
    assert!(
        err.contains("record it in content/2030/year.yaml under corrections:"),
        "{err}"
    );
    assert!(err.contains("nothing was published"), "{err}");
    assert_eq!(snapshot(&root.join("output")), before);
    let err = fails(&rapor(root, &["check"]));
    assert!(err.contains("indicators.\"1.2\": B → A"), "{err}");

    // A component, an added and a removed file are each named.
    edit(root, BETA, "wawancara: 64", "wawancara: 70");
    fs::remove_file(root.join("content/2030/districts/alpha.md")).unwrap();
    fs::write(root.join("content/2030/province.md"), "Ringkasan.\n").unwrap();
    let err = fails(&rapor(root, &["check"]));
    assert!(
        err.contains("indicators.\"1.2\": B → A, components.\"wawancara\": 64 → 70"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/2030/districts/alpha.md: was removed since the year was frozen on 2031-06-02"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/2030/province.md: was added since the year was frozen on 2031-06-02"),
        "{err}"
    );
}

#[test]
fn a_new_correction_lets_the_year_be_frozen_again() {
    let tmp = site();
    let root = tmp.path();
    ok(&rapor(root, &["freeze", "2030", "--date", "2031-06-02"]));
    edit(root, BETA, "\"1.2\": B", "\"1.2\": A");

    // Without a correction, freeze refuses and writes nothing.
    let first = fs::read(root.join(PUBLISHED)).unwrap();
    let err = fails(&rapor(root, &["freeze", "2030", "--date", "2031-07-01"]));
    assert!(
        err.contains("no new correction dated on or after 2031-06-02 is recorded"),
        "{err}"
    );
    assert!(err.contains("indicators.\"1.2\": B → A"), "{err}");
    assert_eq!(fs::read(root.join(PUBLISHED)).unwrap(), first);

    // A correction dated before the freeze is not one of this change.
    append(
        root,
        YEAR,
        "corrections:\n  - date: 2031-06-01\n    districts: [beta]\n    reason: Terlalu awal.\n",
    );
    let err = fails(&rapor(root, &["freeze", "2030", "--date", "2031-07-01"]));
    assert!(err.contains("no new correction"), "{err}");

    edit(
        root,
        YEAR,
        "  - date: 2031-06-01\n    districts: [beta]\n    reason: Terlalu awal.\n",
        "",
    );
    append(root, YEAR, &CORRECTION.replacen("corrections:\n", "", 1));
    let out = rapor(root, &["freeze", "2030", "--date", "2031-07-01"]);
    ok(&out);
    assert!(
        stdout(&out).contains("again after a correction"),
        "{}",
        stdout(&out)
    );
    ok(&rapor(root, &["build"]));
    ok(&rapor(root, &["check"]));
    let published = common::read(&root.join(PUBLISHED));
    assert_eq!(published.matches("- date: ").count(), 2, "{published}");
    assert!(published.contains("- date: 2031-06-02"), "{published}");
    assert!(published.contains("- date: 2031-07-01"), "{published}");

    // The same correction does not cover a further change.
    edit(root, BETA, "\"4.2\": 1", "\"4.2\": 2");
    let err = fails(&rapor(root, &["freeze", "2030", "--date", "2031-07-02"]));
    assert!(
        err.contains("no new correction dated on or after 2031-07-01"),
        "{err}"
    );
    // Nor a freeze dated before the last one.
    append(
        root,
        YEAR,
        "  - date: 2031-07-02\n    districts: [beta]\n    reason: Indikator 4.2.\n",
    );
    let err = fails(&rapor(root, &["freeze", "2030", "--date", "2031-06-30"]));
    assert!(err.contains("last frozen on 2031-07-01"), "{err}");
    ok(&rapor(root, &["freeze", "2030", "--date", "2031-07-02"]));
    ok(&rapor(root, &["check"]));
}

#[test]
fn a_year_never_frozen_is_unaffected() {
    let tmp = site();
    let root = tmp.path();
    ok(&rapor(root, &["freeze", "2030", "--date", "2031-06-02"]));
    edit(
        root,
        "content/2031/districts/beta.yaml",
        "\"1.2\": B",
        "\"1.2\": A",
    );
    ok(&rapor(root, &["build"]));
    // A district added to the registry for a later year leaves 2030 alone.
    append(
        root,
        "content/districts.yaml",
        "- code: \"99.04\"\n  name: Kabupaten Epsilon\n  slug: epsilon\n  kind: kabupaten\n",
    );
    ok(&rapor(root, &["check"]));
    // But renaming a district 2030 assessed is a change.
    edit(
        root,
        "content/districts.yaml",
        "Kabupaten Beta",
        "Kabupaten Beta Baru",
    );
    let err = fails(&rapor(root, &["check"]));
    assert!(
        err.contains("content/districts.yaml: the entry of `beta` changed since the year was frozen on 2031-06-02"),
        "{err}"
    );
}

#[test]
fn published_yaml_is_deterministic_and_refreezing_is_a_no_op() {
    let (a, b) = (site(), site());
    ok(&rapor(
        a.path(),
        &["freeze", "2030", "--date", "2031-06-02"],
    ));
    ok(&rapor(
        b.path(),
        &["freeze", "2030", "--date", "2031-06-02"],
    ));
    let text = fs::read(a.path().join(PUBLISHED)).unwrap();
    assert_eq!(text, fs::read(b.path().join(PUBLISHED)).unwrap());
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

    let out = rapor(a.path(), &["freeze", "2030", "--date", "2031-08-01"]);
    ok(&out);
    assert!(stdout(&out).contains("has not changed since it was frozen on 2031-06-02"));
    assert_eq!(fs::read(a.path().join(PUBLISHED)).unwrap(), text);
}

#[test]
fn a_malformed_published_yaml_is_a_problem_with_its_position() {
    let tmp = site();
    let root = tmp.path();
    fs::write(
        root.join(PUBLISHED),
        "freezes:\n- date: 2031-06-02\n  files: {}\n  registry: {}\n  districts: {}\n  extra: 1\n",
    )
    .unwrap();
    let err = fails(&rapor(root, &["check"]));
    assert!(err.contains("content/2030/published.yaml:6:3: "), "{err}");
    fs::write(root.join(PUBLISHED), "freezes: [").unwrap();
    let err = fails(&rapor(root, &["build"]));
    assert!(err.contains("content/2030/published.yaml:"), "{err}");
}

#[test]
fn corrections_are_checked_like_other_fields() {
    let tmp = site();
    let root = tmp.path();
    append(
        root,
        YEAR,
        "corrections:\n  - date: 2031-02-30\n    districts: [beta, zeta]\n    reason: Salah ketik.\n",
    );
    let err = fails(&rapor(root, &["check"]));
    assert!(
        err.contains("content/2030/year.yaml:8:11: corrections[0].date: `2031-02-30`"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/2030/year.yaml:9:23: corrections[0].districts: `zeta` is not a district slug"
        ),
        "{err}"
    );
    // A freeze needs a site with no problems.
    let err = fails(&rapor(root, &["freeze", "2030"]));
    assert!(err.contains("2030 was not frozen"), "{err}");
    assert!(!root.join(PUBLISHED).exists());
    let err = fails(&rapor(root, &["freeze", "2040"]));
    assert!(err.contains("year.yaml"), "{err}");
    let tmp = site();
    let err = fails(&rapor(tmp.path(), &["freeze", "2040"]));
    assert!(
        err.contains("content/2040: is not a year folder of this site"),
        "{err}"
    );
    let err = fails(&rapor(
        tmp.path(),
        &["freeze", "2030", "--date", "2031-13-01"],
    ));
    assert!(err.contains("--date: "), "{err}");
}

#[test]
fn the_ralat_box_shows_old_and_new_numbers_computed_by_rapor() {
    let tmp = site();
    let root = tmp.path();
    ok(&rapor(root, &["freeze", "2030", "--date", "2031-06-02"]));
    ok(&rapor(root, &["build"]));
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

    edit(root, BETA, "\"1.2\": B", "\"1.2\": A");
    append(root, YEAR, CORRECTION);
    ok(&rapor(root, &["freeze", "2030", "--date", "2031-07-01"]));
    ok(&rapor(root, &["build"]));

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
    let tmp = site();
    let root = tmp.path();
    let page = |rel: &str| common::read(&root.join("output").join(rel));
    let header = |rel: &str| page(rel).lines().next().unwrap_or_default().to_string();

    // Never frozen, then frozen but never corrected: the CSV and the history
    // page are as they always were.
    ok(&rapor(root, &["build"]));
    assert_eq!(header("data/2030.csv"), CSV_HEADER);
    let history = page("wilayah/beta/index.html");
    ok(&rapor(root, &["freeze", "2030", "--date", "2031-06-02"]));
    ok(&rapor(root, &["build"]));
    assert_eq!(header("data/2030.csv"), CSV_HEADER);
    assert_eq!(page("wilayah/beta/index.html"), history);

    edit(root, BETA, "\"1.2\": B", "\"1.2\": A");
    append(root, YEAR, CORRECTION);
    ok(&rapor(root, &["freeze", "2030", "--date", "2031-07-01"]));
    ok(&rapor(root, &["build"]));

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
