//! Score sheets: `rapor template`, filling the sheet as a spreadsheet would,
//! `rapor import`, then `rapor build`; and every kind of bad cell.

mod common;

use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Data, Reader};
use rust_xlsxwriter::{Workbook, Worksheet};
use snapbox::str;

use common::{snapshot, Fixture, Run};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `rapor template <year>` into `penilaian-<year>.xlsx` in the site folder.
fn template(site: &Fixture, year: u32) -> PathBuf {
    let out = site.path(&format!("penilaian-{year}.xlsx"));
    site.rapor(&["template", &year.to_string(), "--out", s(&out)])
        .success();
    out
}

fn import(site: &Fixture, file: &Path, year: u32, force: bool) -> Run {
    let year = year.to_string();
    let mut args = vec!["import", s(file), "--year", &year];
    if force {
        args.push("--force");
    }
    site.rapor(&args)
}

/// A cell as a person types it.
#[derive(Clone, Copy)]
enum V<'a> {
    T(&'a str),
    N(f64),
    Blank,
}

/// A sheet read back: every cell, by row then column (0-based).
type Cells = Vec<Vec<Data>>;

fn read_sheet(file: &Path, name: &str) -> Cells {
    let mut workbook = open_workbook_auto(file).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    assert_eq!(range.start(), Some((0, 0)), "{name} starts at A1");
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(x) => x.to_string(),
        Data::Int(n) => n.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

/// The row of a district and the column of a key in a sheet.
fn find(cells: &Cells, slug: &str, key: &str) -> (usize, usize) {
    let col = cells[0]
        .iter()
        .position(|d| text(d) == key)
        .unwrap_or_else(|| panic!("no column {key}"));
    let slug_col = cells[0].iter().position(|d| text(d) == "slug").unwrap();
    let row = cells
        .iter()
        .position(|r| r.get(slug_col).map(text).as_deref() == Some(slug))
        .unwrap_or_else(|| panic!("no row {slug}"));
    (row, col)
}

/// Excel's name of a cell, 0-based.
fn cell_name(row: usize, col: usize) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        letters.push((b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

fn write_cells(sheet: &mut Worksheet, cells: &Cells) {
    for (r, row) in cells.iter().enumerate() {
        for (c, d) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match d {
                Data::String(s) => {
                    sheet.write_string(r, c, s).unwrap();
                }
                Data::Float(x) => {
                    sheet.write_number(r, c, *x).unwrap();
                }
                Data::Int(n) => {
                    sheet.write_number(r, c, *n as f64).unwrap();
                }
                Data::Empty => {}
                other => panic!("unexpected cell {other:?}"),
            }
        }
    }
}

/// Fills a template as a person would in Excel: reads it, changes cells,
/// saves a new workbook with the same sheets. Returns the names of the changed cells.
fn fill(template: &Path, out: &Path, edits: &[(&str, &str, V)]) -> Vec<String> {
    let mut cells = read_sheet(template, "Skor");
    let marker = read_sheet(template, "rapor");
    let mut names = Vec::new();
    for (slug, key, value) in edits {
        let (row, col) = find(&cells, slug, key);
        cells[row][col] = match value {
            V::T(t) => Data::String(t.to_string()),
            V::N(x) => Data::Float(*x),
            V::Blank => Data::Empty,
        };
        names.push(format!("Skor!{}", cell_name(row, col)));
    }
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Skor").unwrap();
    write_cells(sheet, &cells);
    let sheet = workbook.add_worksheet();
    sheet.set_name("rapor").unwrap();
    write_cells(sheet, &marker);
    sheet.set_hidden(true);
    workbook.save(out).unwrap();
    names
}

fn data_json(root: &Path, year: u32) -> serde_json::Value {
    let text = std::fs::read_to_string(root.join(format!("output/data/{year}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn district<'a>(data: &'a serde_json::Value, slug: &str) -> &'a serde_json::Value {
    data["districts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["slug"] == slug)
        .unwrap()
}

const INDICATORS_2023: [&str; 24] = [
    "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "4.1", "4.2", "5.1",
    "5.2", "5.3", "6.1", "6.2", "6.3", "6.4", "7.1", "7.2", "7.3", "8.1", "8.2",
];

#[test]
fn the_template_follows_the_rubric_and_the_registry() {
    let site = Fixture::sample();
    let root = site.root.as_path();
    let file = template(&site, 2023);
    let cells = read_sheet(&file, "Skor");
    let header: Vec<String> = cells[0].iter().map(text).collect();
    let mut expected = vec!["code", "slug", "name"];
    expected.extend(INDICATORS_2023);
    expected.extend(["paparan", "lapangan"]);
    assert_eq!(header, expected);
    // Row 2 describes the columns and is skipped on import.
    assert!(text(&cells[1][0]).starts_with('#'));
    assert!(text(&cells[1][3]).starts_with("Analisis situasi memakai data prevalensi"));
    // One row per district, in districts.yaml order.
    let slugs: Vec<String> = cells[2..].iter().map(|r| text(&r[1])).collect();
    assert_eq!(
        slugs,
        [
            "jembrana",
            "tabanan",
            "badung",
            "gianyar",
            "klungkung",
            "bangli",
            "karangasem",
            "buleleng",
            "denpasar"
        ]
    );
    assert_eq!(text(&cells[9][0]), "51.08");
    // Pre-filled from content/2023/districts/buleleng.yaml.
    let (row, col) = find(&cells, "buleleng", "1.2");
    assert_eq!(text(&cells[row][col]), "B");
    let (row, col) = find(&cells, "buleleng", "lapangan");
    assert_eq!(cells[row][col], Data::Float(82.0));
    // The year marker.
    let marker = read_sheet(&file, "rapor");
    assert_eq!(text(&marker[0][0]), "year");
    assert_eq!(marker[0][1], Data::Float(2023.0));

    // The same content gives the same file.
    let again = root.join("again.xlsx");
    site.rapor(&["template", "2023", "--out", s(&again)])
        .success();
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(&again).unwrap()
    );

    // A sheet already there may be a filled one: it is not overwritten.
    let out = site.rapor(&["template", "2023", "--out", s(&again)]);
    assert_eq!(out.code, Some(1));
    out.stderr_is(str![[r#"
[ROOT]/site/again.xlsx: already exists (a filled sheet may be in it: remove or rename it, or pass --out with another name)

"#]]);
    assert!(
        out.stderr.contains("again.xlsx: already exists"),
        "{}",
        out.stderr
    );

    // A year without a rubric is a problem, not a crash.
    let out = site.rapor(&["template", "2019", "--out", s(&again)]);
    assert_eq!(out.code, Some(1));
    out.stderr_is(str![[r#"
content/2019/rubric.yaml: is missing (create content/2019/ with the rubric used that year)

"#]]);
    assert!(
        out.stderr.contains("content/2019/rubric.yaml: is missing"),
        "{}",
        out.stderr
    );
}

#[test]
fn round_trip_template_fill_import_build() {
    let site = Fixture::sample();
    let root = site.root.as_path();
    // Jembrana has no 2023 file yet: the import creates it.
    let districts = root.join("content/2023/districts");
    std::fs::remove_file(districts.join("jembrana.yaml")).unwrap();
    std::fs::remove_file(districts.join("jembrana.md")).unwrap();
    let before = snapshot(&root.join("content"));

    let blank = template(&site, 2023);
    let filled = root.join("filled.xlsx");
    let mut edits: Vec<(&str, &str, V)> = INDICATORS_2023
        .iter()
        .map(|k| ("jembrana", *k, V::T("A")))
        .collect();
    edits[0].2 = V::T("B"); // 1.1
    edits.push(("jembrana", "paparan", V::N(80.0)));
    edits.push(("jembrana", "lapangan", V::N(70.5)));
    fill(&blank, &filled, &edits);

    let out = import(&site, &filled, 2023, false).success();
    let stdout = out.stdout.as_str();
    assert!(
        stdout.contains("content/2023/districts/jembrana.yaml"),
        "{stdout}"
    );
    assert!(stdout.contains("Imported 1 district files"), "{stdout}");

    // Only the new file: every other file is byte for byte as it was.
    let after = snapshot(&root.join("content"));
    assert_eq!(
        common::diff(&before, &after),
        ["added:   2023/districts/jembrana.yaml"]
    );
    let written = std::fs::read_to_string(districts.join("jembrana.yaml")).unwrap();
    assert!(
        written.contains("\n  \"1.1\": B\n  \"1.2\": A\n"),
        "{written}"
    );
    assert!(
        written.contains("components:\n  paparan: 80\n  lapangan: 70.5\n"),
        "{written}"
    );
    assert!(!written.contains("assessed_on"), "{written}");

    site.rapor(&["check"]).success();
    site.rapor(&["build"]).success();
    let data = data_json(root, 2023);
    let jembrana = district(&data, "jembrana");
    // By hand: action 1 is (2 + 3 + 3) / 9 = 88.89 %, the other actions 100 %;
    // dokumen = (15 × 88.889 + 85 × 100) / 100 = 98.333;
    // final = 0.6 × 98.333 + 0.2 × 80 + 0.2 × 70.5 = 59 + 16 + 14.1 = 89.10.
    assert_eq!(jembrana["assessed"], true);
    assert_eq!(jembrana["actions"]["1"], 88.89);
    assert_eq!(jembrana["actions"]["2"], 100.0);
    assert_eq!(jembrana["components"]["dokumen"], 98.33);
    assert_eq!(jembrana["components"]["lapangan"], 70.5);
    assert_eq!(jembrana["final"], 89.1);
    assert_eq!(jembrana["category"], "Sangat Baik");

    // Importing the same sheet again changes nothing.
    let before = snapshot(&root.join("content"));
    let out = import(&site, &filled, 2023, false).success();
    assert!(out.stdout.as_str().contains("Imported 0 district files"));
    assert_eq!(snapshot(&root.join("content")), before);
}

#[test]
fn changed_values_need_force_and_everything_else_stays() {
    let site = Fixture::sample();
    let root = site.root.as_path();
    let file = root.join("content/2023/districts/buleleng.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    let narrative = std::fs::read(root.join("content/2023/districts/buleleng.md")).unwrap();

    let blank = template(&site, 2023);
    let filled = root.join("changed.xlsx");
    let refs = fill(
        &blank,
        &filled,
        &[
            ("buleleng", "2.2", V::T("A")),
            ("buleleng", "paparan", V::N(85.5)),
        ],
    );

    // Without --force: each change is listed and nothing is written.
    let before = snapshot(&root.join("content"));
    let out = import(&site, &filled, 2023, false);
    assert_eq!(out.code, Some(1));
    out.stderr_is(str![[r#"
[ROOT]/site/changed.xlsx: Skor!H10: indicator 2.2 is B in content/2023/districts/buleleng.yaml; the sheet has A (pass --force to replace the values in the district files with the sheet's)
[ROOT]/site/changed.xlsx: Skor!AB10: component paparan is 80 in content/2023/districts/buleleng.yaml; the sheet has 85.5 (pass --force to replace the values in the district files with the sheet's)
error: nothing was written

"#]]);
    let err = out.stderr;
    assert!(
        err.contains(&format!(
            "{}: indicator 2.2 is B in content/2023/districts/buleleng.yaml; the sheet has A (pass --force",
            refs[0]
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}: component paparan is 80 in content/2023/districts/buleleng.yaml; the sheet has 85.5",
            refs[1]
        )),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(snapshot(&root.join("content")), before);

    // With --force: exactly those two values change; keys, comments, order
    // and the narrative stay as they were.
    let out = import(&site, &filled, 2023, true).success();
    assert!(out.stdout.as_str().contains("Imported 1 district files"));
    let updated = std::fs::read_to_string(&file).unwrap();
    let expected = original
        .replace("  \"2.2\": B\n", "  \"2.2\": A\n")
        .replace("  paparan: 80\n", "  paparan: 85.5\n");
    assert_ne!(expected, original);
    assert_eq!(updated, expected);
    assert_eq!(
        std::fs::read(root.join("content/2023/districts/buleleng.md")).unwrap(),
        narrative
    );
    site.rapor(&["build"]).success();
    let data = data_json(root, 2023);
    assert_eq!(district(&data, "buleleng")["components"]["paparan"], 85.5);
}

/// Writes a csv of the 2021 rubric (actions 5-8; 7.2 graded, the rest scored
/// 0..max) with one row per given district.
fn csv_2021(root: &Path, rows: &[&str]) -> PathBuf {
    let mut text = String::from(
        "code,slug,name,5.1,5.2,5.3,6.1,6.2,6.3,7.1,7.2,7.3,8.1,8.2,paparan\n# uraian,,,,,,,,,,,,,,\n",
    );
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    let path = root.join("skor-2021.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn every_bad_cell_is_reported_and_nothing_is_written() {
    let site = Fixture::sample();
    let root = site.root.as_path();
    let file = csv_2021(
        root,
        &[
            // Row 3: 5.1 above its maximum 3, 7.2 an unknown grade.
            "51.01,jembrana,Kabupaten Jembrana,5,2,2,1,3,2,2,E,2,2,2,70",
            // Row 4: an unknown district.
            "51.02,tabanann,Kabupaten Tabanan,3,2,2,1,3,2,2,B,2,2,2,70",
            // Row 5: a row with scores must have all of them (6.1 empty).
            "51.03,badung,Kabupaten Badung,3,2,2,,3,2,2,B,2,2,2,70",
            // Row 6: not a number, a fraction, a negative score, a component above 100.
            "51.04,gianyar,Kabupaten Gianyar,tiga,2.5,-1,1,3,2,2,B,2,2,2,100.5",
            // Row 7: no scores at all: not assessed, skipped.
            "51.05,klungkung,Kabupaten Klungkung,,,,,,,,,,,,",
            // Row 8: the code is another district's.
            "51.01,bangli,Kabupaten Bangli,3,2,2,1,3,2,2,B,2,2,2,70",
        ],
    );
    let before = snapshot(&root.join("content"));
    let out = import(&site, &file, 2021, true);
    assert_eq!(out.code, Some(1));
    // In row order; row 7 (klungkung, no scores) is not assessed, not an error.
    out.stderr_is(str![[r#"
[ROOT]/site/skor-2021.csv: 'skor-2021'!D3: 5 is above the maximum 3 of indicator 5.1 (use a whole number from 0 to 3)
[ROOT]/site/skor-2021.csv: 'skor-2021'!K3: `E` is not a grade of indicator 7.2 (unknown grade) (use one of A, B, C, D)
[ROOT]/site/skor-2021.csv: 'skor-2021'!B4: `tabanann` is not a district in content/districts.yaml (unknown district) (use a slug of content/districts.yaml: jembrana, tabanan, badung, gianyar, klungkung, bangli, karangasem, buleleng, denpasar)
[ROOT]/site/skor-2021.csv: 'skor-2021'!G5: indicator 6.1 is empty, but the row has other scores (fill every score of a district that was assessed, or empty its whole row if it was not)
[ROOT]/site/skor-2021.csv: 'skor-2021'!D6: `tiga` is not a number; indicator 5.1 takes a score (use a whole number from 0 to 3)
[ROOT]/site/skor-2021.csv: 'skor-2021'!E6: 2.5 is not a whole number; indicator 5.2 takes a score (use a whole number from 0 to 3)
[ROOT]/site/skor-2021.csv: 'skor-2021'!F6: -1 is below the minimum 0 of indicator 5.3 (use a whole number from 0 to 4)
[ROOT]/site/skor-2021.csv: 'skor-2021'!O6: 100.5 is above the maximum 100 of component paparan (use a number from 0 to 100)
[ROOT]/site/skor-2021.csv: 'skor-2021'!A8: code `51.01` is not the code of bangli (51.06) (check that the row is this district's; the codes are those of content/districts.yaml)
error: nothing was written

"#]]);
    assert_eq!(snapshot(&root.join("content")), before);
}

#[test]
fn a_bad_cell_in_an_xlsx_names_the_sheet_and_cell() {
    let site = Fixture::sample();
    let root = site.root.as_path();
    let blank = template(&site, 2021);
    let filled = root.join("bad.xlsx");
    let refs = fill(
        &blank,
        &filled,
        &[
            ("tabanan", "5.1", V::N(5.0)),
            ("tabanan", "7.2", V::T("b")), // lower case is the grade B
            ("tabanan", "6.1", V::Blank),
        ],
    );
    let before = snapshot(&root.join("content"));
    let out = import(&site, &filled, 2021, true);
    assert_eq!(out.code, Some(1));
    out.stderr_is(str![[r#"
[ROOT]/site/bad.xlsx: Skor!D4: 5 is above the maximum 3 of indicator 5.1 (use a whole number from 0 to 3)
[ROOT]/site/bad.xlsx: Skor!G4: indicator 6.1 is empty, but the row has other scores (fill every score of a district that was assessed, or empty its whole row if it was not)
error: nothing was written

"#]]);
    let err = out.stderr;
    assert!(
        err.contains(&format!(
            "bad.xlsx: {}: 5 is above the maximum 3 of indicator 5.1 (use a whole number from 0 to 3)",
            refs[0]
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}: indicator 6.1 is empty", refs[2])),
        "{err}"
    );
    assert_eq!(err.lines().count(), 3, "{err}");
    assert_eq!(snapshot(&root.join("content")), before);
}

#[test]
fn a_sheet_for_another_years_rubric_is_refused() {
    let site = Fixture::sample();
    let root = site.root.as_path();
    let before = snapshot(&root.join("content"));

    // The template's year marker.
    let sheet_2022 = template(&site, 2022);
    let out = import(&site, &sheet_2022, 2023, true);
    assert_eq!(out.code, Some(1));
    out.stderr_is(str![[r#"
[ROOT]/site/penilaian-2022.xlsx: rapor!B1: this sheet was made for the 2022 rubric, not for the 2023 rubric (wrong year's rubric) (import it with the year it was made for, or make the 2023 sheet with `rapor template 2023`)
error: nothing was written

"#]]);
    let err = out.stderr;
    assert!(
        err.contains("rapor!B1: this sheet was made for the 2022 rubric, not for the 2023 rubric (wrong year's rubric)"),
        "{err}"
    );

    // Without a marker (csv), the column keys tell.
    let csv = csv_2021(
        root,
        &["51.01,jembrana,Kabupaten Jembrana,3,2,2,1,3,2,2,B,2,2,2,70"],
    );
    let out = import(&site, &csv, 2023, true);
    assert_eq!(out.code, Some(1));
    out.stderr_is(str![[r#"
[ROOT]/site/skor-2021.csv: 'skor-2021'!1:1: no column for indicators 1.1, 1.2, 1.3, 2.1, 2.2, 2.3, 2.4, 3.1, 3.2, 3.3, 4.1, 4.2, 6.4 and component lapangan of the 2023 rubric (wrong year's rubric?) (is it a sheet for another year? make the 2023 sheet with `rapor template 2023`)
error: nothing was written

"#]]);
    let err = out.stderr;
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(
        err.contains("'skor-2021'!1:1: no column for indicators 1.1, 1.2, 1.3, 2.1, 2.2, 2.3, 2.4, 3.1, 3.2, 3.3, 4.1, 4.2, 6.4 and component lapangan of the 2023 rubric (wrong year's rubric?)"),
        "{err}"
    );

    // A key the year's rubric does not have.
    let csv = root.join("skor.csv");
    std::fs::write(&csv, "slug,5.1,1.1\njembrana,3,A\n").unwrap();
    let out = import(&site, &csv, 2021, true);
    assert_eq!(out.code, Some(1));
    out.stderr_is(str![[r#"
[ROOT]/site/skor.csv: skor!C1: `1.1` is not an indicator or directly scored component of the 2021 rubric (wrong year's rubric?) (is it a sheet for another year? make the 2021 sheet with `rapor template 2021`)
[ROOT]/site/skor.csv: skor!1:1: no column for indicators 5.2, 5.3, 6.1, 6.2, 6.3, 7.1, 7.2, 7.3, 8.1, 8.2 and component paparan of the 2021 rubric (wrong year's rubric?) (is it a sheet for another year? make the 2021 sheet with `rapor template 2021`)
error: nothing was written

"#]]);
    let err = out.stderr;
    assert!(
        err.contains("skor!C1: `1.1` is not an indicator or directly scored component of the 2021 rubric (wrong year's rubric?) (is it a sheet for another year? make the 2021 sheet with `rapor template 2021`)"),
        "{err}"
    );
    assert_eq!(snapshot(&root.join("content")), before);
}

#[test]
fn a_csv_import_writes_scores_and_keeps_comments() {
    let site = Fixture::sample();
    let root = site.root.as_path();
    let file = root.join("content/2021/districts/tabanan.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    // Semicolons and a decimal comma, as Excel writes csv in an Indonesian locale.
    let csv = root.join("tabanan.csv");
    std::fs::write(
        &csv,
        "slug;5.1;5.2;5.3;6.1;6.2;6.3;7.1;7.2;7.3;8.1;8.2;paparan;# catatan\r\n\
         tabanan;3;2;3;1;3;2;2;A;2;2;2;72,5;ditinjau ulang\r\n",
    )
    .unwrap();
    import(&site, &csv, 2021, true).success();
    let updated = std::fs::read_to_string(&file).unwrap();
    let expected = original
        .replace("  \"5.3\": 2\n", "  \"5.3\": 3\n")
        .replace("  \"7.2\": B\n", "  \"7.2\": A\n")
        .replace("  paparan: 70\n", "  paparan: 72.5\n");
    assert_eq!(updated, expected);
    assert!(updated.contains("  # Aksi 5: Pembinaan Kader Pembangunan Manusia (KPM)\n"));
    site.rapor(&["check"]).success();
}

#[test]
fn garbage_input_is_a_problem_not_a_crash() {
    let site = Fixture::sample();
    let root = site.root.as_path();
    let before = snapshot(&root.join("content"));
    let mut printed = String::new();
    for (name, bytes) in [
        ("zip.xlsx", b"PK\x03\x04garbage".to_vec()),
        ("empty.xlsx", Vec::new()),
        ("empty.csv", Vec::new()),
        ("latin1.csv", b"slug,1.1\nbuleleng,\xe9\n".to_vec()),
        ("quote.csv", b"slug,\"1.1\nbuleleng".to_vec()),
        ("scores.ods", b"whatever".to_vec()),
    ] {
        let path = root.join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = import(&site, &path, 2023, true);
        assert_eq!(out.code, Some(1), "{name}: {}", out.stderr);
        assert!(out.stderr.contains(name), "{name}: {}", out.stderr);
        printed += &out.redact(&out.stderr);
    }
    Run::text_is(
        &printed,
        str![[r#"
[ROOT]/site/zip.xlsx: could not be read as an xlsx workbook: invalid Zip archive: Could not find EOCD (open it in Excel or LibreOffice and save it again as .xlsx)
error: nothing was written
[ROOT]/site/empty.xlsx: could not be read as an xlsx workbook: invalid Zip archive: Could not find EOCD (open it in Excel or LibreOffice and save it again as .xlsx)
error: nothing was written
[ROOT]/site/empty.csv: empty!1:1: row 1 is empty; it must hold the column keys (start from the sheet `rapor template 2023` makes: code, slug, name, then one column per indicator and component)
error: nothing was written
[ROOT]/site/latin1.csv: is not UTF-8 text (byte 18) (save it from Excel as "CSV UTF-8 (comma delimited)")
error: nothing was written
[ROOT]/site/quote.csv: row 1: a quoted field is never closed (close the field with a double quote)
error: nothing was written
[ROOT]/site/scores.ods: is not an xlsx or csv file (save the sheet as .xlsx (Excel workbook) or .csv)
error: nothing was written

"#]],
    );
    assert_eq!(snapshot(&root.join("content")), before);
}

#[test]
fn a_far_away_cell_is_reported_without_filling_memory() {
    let site = Fixture::sample();
    let root = site.root.as_path();
    let path = root.join("far.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Skor").unwrap();
    sheet.write_string(0, 0, "slug").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    workbook.save(&path).unwrap();
    let out = import(&site, &path, 2021, true);
    assert_eq!(out.code, Some(1));
    out.stderr_is(str![[r#"
[ROOT]/site/far.xlsx: Skor!1:1: no column for indicators 5.1, 5.2, 5.3, 6.1, 6.2, 6.3, 7.1, 7.2, 7.3, 8.1, 8.2 and component paparan of the 2021 rubric (wrong year's rubric?) (is it a sheet for another year? make the 2021 sheet with `rapor template 2021`)
[ROOT]/site/far.xlsx: Skor!XFD1: column XFD has values (first in Skor!XFD1048576) but no key in row 1 (give it the key of an indicator or component, or empty the column)
error: nothing was written

"#]]);
    let err = out.stderr;
    assert!(
        err.contains("far.xlsx: Skor!XFD1: column XFD has values (first in Skor!XFD1048576) but no key in row 1"),
        "{err}"
    );
    assert!(
        err.contains("Skor!1:1: no column for indicators 5.1, 5.2"),
        "{err}"
    );
}

/// An xlsx-like zip whose sheet is `fill` bytes of `0` between valid XML,
/// written in 1 MB pieces (the test never holds the expanded sheet).
fn zip_bomb(path: &Path, fill: usize) {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let small = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Skor" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, text) in small {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#).unwrap();
    let piece = vec![b'0'; 1 << 20];
    let mut left = fill;
    while left > 0 {
        let n = left.min(piece.len());
        zip.write_all(&piece[..n]).unwrap();
        left -= n;
    }
    zip.write_all(b"</t></is></c></row></sheetData></worksheet>")
        .unwrap();
    zip.finish().unwrap();
}

/// Sets the uncompressed size that `path`'s zip declares for `entry`, in its
/// central directory and its local header, to `size`: a zip that lies.
fn declare_size(path: &Path, entry: &str, size: u32) {
    let mut bytes = std::fs::read(path).unwrap();
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap()) as usize;
    let eocd = bytes.len() - 22;
    assert_eq!(
        &bytes[eocd..eocd + 4],
        b"PK\x05\x06",
        "no comment after the zip"
    );
    let count = u16_at(&bytes, eocd + 10);
    let mut at = u32_at(&bytes, eocd + 16);
    let mut patched = false;
    for _ in 0..count {
        assert_eq!(&bytes[at..at + 4], b"PK\x01\x02");
        let name_len = u16_at(&bytes, at + 28);
        let extra_len = u16_at(&bytes, at + 30);
        let comment_len = u16_at(&bytes, at + 32);
        let local = u32_at(&bytes, at + 42);
        if &bytes[at + 46..at + 46 + name_len] == entry.as_bytes() {
            bytes[at + 24..at + 28].copy_from_slice(&size.to_le_bytes());
            assert_eq!(&bytes[local..local + 4], b"PK\x03\x04");
            bytes[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
            patched = true;
        }
        at += 46 + name_len + extra_len + comment_len;
    }
    assert!(patched, "no entry {entry}");
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_read() {
    let site = Fixture::new();
    let root = site.root.as_path();
    let before = snapshot(&root.join("content"));
    // 256 MB of sheet in about 250 KB of xlsx.
    let bomb = root.join("bomb.xlsx");
    zip_bomb(&bomb, 256 << 20);
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 << 20);
    let limit = std::time::Duration::from_secs(60);
    let out = site.rapor_within(&["import", s(&bomb), "--year", "2030"], limit);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    out.stderr_is(str![[r#"
[ROOT]/site/bomb.xlsx: expands to 257 MB, more than the 50 MB a score sheet may expand to (a "zip bomb"?) (copy the score sheet alone into a new workbook, save it as .xlsx and import that)
error: nothing was written

"#]]);
    let err = out.stderr;
    assert!(
        err.contains(
            "bomb.xlsx: expands to 257 MB, more than the 50 MB a score sheet may expand to"
        ),
        "{err}"
    );
    assert!(err.ends_with("error: nothing was written\n"), "{err}");
    assert!(
        out.took < std::time::Duration::from_secs(10),
        "{:?}",
        out.took
    );

    // The same bomb declaring a small size: the bytes that come out count.
    declare_size(&bomb, "xl/worksheets/sheet1.xml", 1000);
    let out = site.rapor_within(&["import", s(&bomb), "--year", "2030"], limit);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    out.stderr_is(str![[r#"
[ROOT]/site/bomb.xlsx: holds `xl/worksheets/sheet1.xml` that goes on past the 1000 bytes it declares: a "zip bomb", or a damaged file (open it in Excel or LibreOffice and save it again as .xlsx)
error: nothing was written

"#]]);
    let err = out.stderr;
    assert!(
        err.contains("bomb.xlsx: holds `xl/worksheets/sheet1.xml` that goes on past the 1000 bytes it declares: a \"zip bomb\", or a damaged file"),
        "{err}"
    );
    assert!(
        out.took < std::time::Duration::from_secs(30),
        "{:?}",
        out.took
    );
    assert_eq!(snapshot(&root.join("content")), before);
}

/// The template copied cell by cell into a new workbook (as Excel would save
/// it), with `edit` applied to the score sheet after the copy.
fn copy_template(template: &Path, out: &Path, edit: impl FnOnce(&mut Worksheet, &Cells)) {
    let cells = read_sheet(template, "Skor");
    let marker = read_sheet(template, "rapor");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Skor").unwrap();
    write_cells(sheet, &cells);
    edit(sheet, &cells);
    let sheet = workbook.add_worksheet();
    sheet.set_name("rapor").unwrap();
    write_cells(sheet, &marker);
    sheet.set_hidden(true);
    workbook.save(out).unwrap();
}

#[test]
fn a_formula_in_a_score_cell_is_refused_with_its_cell() {
    let site = Fixture::new();
    let root = site.root.as_path();
    let blank = template(&site, 2030);

    // The template as Excel saves it imports cleanly (its values are the files').
    let plain = root.join("plain.xlsx");
    copy_template(&blank, &plain, |_, _| {});
    let out = import(&site, &plain, 2030, true).success();
    assert!(out.stdout.as_str().contains("Imported 0 district files"));

    // The same value, but from a formula: its saved result is 3, what alpha
    // has, yet Excel may show something else once it recalculates.
    let formula = root.join("formula.xlsx");
    let mut at = String::new();
    copy_template(&blank, &formula, |sheet, cells| {
        let (row, col) = find(cells, "alpha", "4.2");
        assert_eq!(cells[row][col], Data::Float(3.0));
        sheet
            .write_formula(
                row as u32,
                col as u16,
                rust_xlsxwriter::Formula::new("=1+2").set_result("3"),
            )
            .unwrap();
        at = format!("Skor!{}", cell_name(row, col));
    });
    let before = snapshot(&root.join("content"));
    let out = import(&site, &formula, 2030, true);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    out.stderr_is(str![[r#"
[ROOT]/site/formula.xlsx: Skor!G3: indicator 4.2 is a formula; rapor reads only the result saved with it, which can differ from what Excel shows (type the value, not a formula: copy the cells and paste them as values)
error: nothing was written

"#]]);
    let err = out.stderr;
    assert!(
        err.contains(&format!(
            "formula.xlsx: {at}: indicator 4.2 is a formula; rapor reads only the result saved with it, which can differ from what Excel shows (type the value, not a formula"
        )),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(err.ends_with("error: nothing was written\n"), "{err}");
    assert_eq!(snapshot(&root.join("content")), before);
}

#[test]
fn an_import_that_fails_part_way_says_which_files_were_written() {
    let site = Fixture::new();
    let root = site.root.as_path();
    let districts = root.join("content/2030/districts");
    let blank = template(&site, 2030);
    // New values for alpha and beta: two files to write, alpha first.
    let changed = root.join("changed.xlsx");
    copy_template(&blank, &changed, |sheet, cells| {
        for slug in ["alpha", "beta"] {
            let (row, col) = find(cells, slug, "wawancara");
            sheet.write_number(row as u32, col as u16, 50.0).unwrap();
        }
    });
    let alpha = std::fs::read_to_string(districts.join("alpha.yaml")).unwrap();
    let beta = std::fs::read(districts.join("beta.yaml")).unwrap();
    // The second write fails: where its temporary file goes, a folder is in
    // the way (permissions would not stop root, who runs the tests in CI).
    let blocker = districts.join(".beta.yaml.rapor-import");
    std::fs::create_dir(&blocker).unwrap();
    std::fs::write(blocker.join("keep"), "x").unwrap();

    let out = import(&site, &changed, 2030, true);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    out.stderr_is(str![[r#"
content/2030/districts/beta.yaml: could not be written: File exists (os error 17)
error: the import stopped part-way; only this file was written: content/2030/districts/alpha.yaml (fix the problem and run the same import again)

"#]]);
    let err = out.stderr;
    assert!(
        err.starts_with("content/2030/districts/beta.yaml: could not be written: "),
        "{err}"
    );
    assert!(
        err.ends_with("error: the import stopped part-way; only this file was written: content/2030/districts/alpha.yaml (fix the problem and run the same import again)\n"),
        "{err}"
    );
    assert!(!err.contains("nothing was written"), "{err}");
    assert_eq!(err.lines().count(), 2, "{err}");
    // Exactly as said: alpha has the sheet's value, beta is as it was.
    assert_eq!(
        std::fs::read_to_string(districts.join("alpha.yaml")).unwrap(),
        alpha.replace("  wawancara: 85\n", "  wawancara: 50\n")
    );
    assert_eq!(std::fs::read(districts.join("beta.yaml")).unwrap(), beta);
    assert_eq!(std::fs::read(blocker.join("keep")).unwrap(), b"x");

    // Once the way is clear, importing again finishes the job.
    std::fs::remove_dir_all(&blocker).unwrap();
    let out = import(&site, &changed, 2030, true).success();
    let stdout = out.stdout.as_str();
    assert!(stdout.contains("Imported 1 district files"), "{stdout}");
    assert!(std::fs::read_to_string(districts.join("beta.yaml"))
        .unwrap()
        .contains("  wawancara: 50\n"));
}
