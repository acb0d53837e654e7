//! Output that is safe to open: the open data CSV, the score sheet template
//! and import's messages never carry a live spreadsheet formula or a raw
//! terminal escape taken from the content or from a sheet.

mod common;

use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Data, Reader};
use snapbox::str;

use common::Fixture;

/// Text cells a spreadsheet would run as formulas (OWASP's CSV injection).
const FORMULAS: [&str; 4] = [
    "=HYPERLINK(\"http://evil\",\"x\")",
    "+1",
    "-1+2",
    "@SUM(A1)",
];

/// A copy of `tests/fixtures/minimal` whose four districts are named
/// [`FORMULAS`], in `districts.yaml` order.
fn site_with_formula_names() -> Fixture {
    let site = Fixture::new();
    let registry = site.path("content/districts.yaml");
    let mut text = common::read(&registry);
    for (old, new) in [
        "Kabupaten Alpha",
        "Kabupaten Beta",
        "Kabupaten Gamma",
        "Kota Delta",
    ]
    .into_iter()
    .zip(FORMULAS)
    {
        let yaml = format!("\"{}\"", new.replace('"', "\\\""));
        assert!(text.contains(&format!("name: {old}\n")));
        text = text.replace(&format!("name: {old}\n"), &format!("name: {yaml}\n"));
    }
    std::fs::write(&registry, text).unwrap();
    site
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// RFC 4180 records: fields split at commas outside quotes, `""` unescaped.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "unterminated csv"
    );
    rows
}

#[test]
fn formula_like_names_are_text_in_the_open_data_csv() {
    let site = site_with_formula_names();
    let root = site.root.as_path();
    site.rapor(&["build"]).success();
    for year in ["2030", "2031"] {
        let data = root.join(format!("output/data/{year}.csv"));
        let rows = parse_csv(&common::read(&data));
        let header = &rows[0];
        let name = header.iter().position(|h| h == "name").unwrap();
        let names: Vec<&str> = rows[1..].iter().map(|r| r[name].as_str()).collect();
        let expected: Vec<String> = FORMULAS.iter().map(|f| format!("'{f}")).collect();
        assert_eq!(names, expected, "{}", data.display());
        // Every text cell that starts like a formula is neutralised; the
        // numbers stay numbers.
        for row in &rows[1..] {
            for (h, cell) in header.iter().zip(row) {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{}: {h} = {cell:?}",
                    data.display()
                );
                if h.starts_with("component_") || h.starts_with("action_") || h == "final" {
                    assert!(
                        cell.is_empty() || cell.parse::<f64>().is_ok(),
                        "{h} = {cell:?}"
                    );
                }
            }
        }
        // The JSON is data, not a spreadsheet: the names as they are.
        let json: serde_json::Value = serde_json::from_str(&common::read(
            &root.join(format!("output/data/{year}.json")),
        ))
        .unwrap();
        let json_names: Vec<&str> = json["districts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap())
            .collect();
        assert_eq!(json_names, FORMULAS);
    }
}

/// Every cell of a sheet that holds a formula, by name.
fn formulas_in(file: &Path, sheet: &str) -> Vec<(u32, u32, String)> {
    let mut workbook = open_workbook_auto(file).unwrap();
    let range = workbook.worksheet_formula(sheet).unwrap();
    range
        .used_cells()
        .filter(|(_, _, f)| !f.is_empty())
        .map(|(r, c, f)| (r as u32, c as u32, f.clone()))
        .collect()
}

#[test]
fn the_template_writes_formula_like_names_as_text() {
    let site = site_with_formula_names();
    let root = site.root.as_path();
    let out = root.join("sheet.xlsx");
    site.rapor(&["template", "2030", "--out", s(&out)])
        .success();
    for sheet in ["Skor", "rapor"] {
        assert_eq!(formulas_in(&out, sheet), [], "{sheet}");
    }
    let mut workbook = open_workbook_auto(&out).unwrap();
    let range = workbook.worksheet_range("Skor").unwrap();
    let names: Vec<Data> = range.rows().skip(2).map(|r| r[2].clone()).collect();
    let expected: Vec<Data> = FORMULAS
        .iter()
        .map(|f| Data::String(f.to_string()))
        .collect();
    assert_eq!(names, expected);
}

/// The keys of row 1 of the 2030 template, for a csv of the same layout.
fn header_2030(site: &Fixture) -> Vec<String> {
    let out = site.path("sheet.xlsx");
    site.rapor(&["template", "2030", "--out", s(&out)])
        .success();
    let mut workbook = open_workbook_auto(&out).unwrap();
    let range = workbook.worksheet_range("Skor").unwrap();
    range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect()
}

fn write_csv(root: &Path, name: &str, rows: &[Vec<String>]) -> PathBuf {
    let text: String = rows.iter().map(|r| r.join(",") + "\n").collect();
    let path = root.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn import_messages_show_sheet_text_escaped_and_quoted() {
    let site = Fixture::new();
    let root = site.root.as_path();
    let header = header_2030(&site);
    let score = |key: &str| header.iter().position(|h| h == key).unwrap();
    // alpha: a terminal escape in indicator 1.1 (a score) and a formula in
    // 1.2 (a grade); an unknown district whose slug carries a bidi override.
    let mut alpha: Vec<String> = header.iter().map(|_| String::new()).collect();
    alpha[score("slug")] = "alpha".into();
    alpha[score("1.1")] = "\x1b[31mX".into();
    alpha[score("1.2")] = "\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"".into();
    alpha[score("4.1")] = "A".into();
    alpha[score("4.2")] = "1".into();
    alpha[score("9.1")] = "1".into();
    alpha[score("wawancara")] = "50".into();
    let mut other = alpha.clone();
    other[score("slug")] = "evil\u{202e}lpha".into();
    other[score("1.1")] = "1".into();
    other[score("1.2")] = "A".into();
    let file = write_csv(root, "hostile.csv", &[header.clone(), alpha, other]);

    let out = site.rapor(&["import", s(&file), "--year", "2030", "--force"]);
    assert_eq!(out.code, Some(1));
    let err = &out.stderr;
    assert!(
        !err.contains(|c: char| c.is_control() && c != '\n'),
        "raw control characters in: {err:?}"
    );
    assert!(!err.contains('\u{202e}'), "{err:?}");
    out.stderr_is(str![[r#"
[ROOT]/site/hostile.csv: hostile!D2: `\x1b[31mX` is not a number; indicator 1.1 takes a score (use a whole number from 0 to 4)
[ROOT]/site/hostile.csv: hostile!E2: `=HYPERLINK("http://evil","x")` is not a grade of indicator 1.2 (unknown grade) (use one of A, B, C)
[ROOT]/site/hostile.csv: hostile!B3: `evil\u{202e}lpha` is not a district in content/districts.yaml (unknown district) (use a slug of content/districts.yaml: alpha, beta, gamma, delta-kota)
error: nothing was written

"#]]);
}
