//! Open data of a year (`/data/<year>.json`, `.csv`) and the sitemap.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{json, Value};

use super::urls::Urls;
use crate::content::YearId;
use crate::content::{Rubric, Site};
use crate::score::round2;
use crate::score::YearResults;

fn number(x: f64) -> Value {
    json!(round2(x))
}

/// One district's row of a year's open data (SPEC §5): an item of
/// `districts` in `/data/<year>.json`, and a line of `/data/<year>.csv`
/// (see [`columns`]). Scores are rounded to 2 decimals; a district not
/// assessed has `assessed: false` and no scores.
#[derive(Debug, Serialize)]
struct DistrictRow {
    slug: String,
    code: String,
    name: String,
    assessed: bool,
    #[serde(rename = "final")]
    final_score: Option<f64>,
    rank: Option<u32>,
    category: Option<String>,
    /// Component key → score, in rubric order.
    components: Option<IndexMap<String, f64>>,
    /// Action number → score, in rubric order.
    actions: Option<IndexMap<String, f64>>,
    prevalence: Option<f64>,
    /// The CSV's [`CORRECTION_COLUMNS`] (see [`correction_cells`]); not in the JSON.
    #[serde(skip)]
    before_correction: [String; 4],
}

/// A year's open data: `/data/<year>.json` and `/data/<year>.csv`, from
/// one set of rows.
pub fn year_data(site: &Site, y: YearId, r: &YearResults) -> (Value, String) {
    let year = site.year(y);
    // Only a frozen year carries corrections: a year never frozen keeps its bytes.
    let corrections = year.published.is_some().then(|| corrections_json(year));
    let listed = corrections.as_deref().unwrap_or_default();
    let rows = rows(site, y, r, listed);
    let csv = year_csv(&year.rubric, &rows, !listed.is_empty());
    let mut json = json!({ "year": year.year, "rubric": year.rubric.title, "districts": rows });
    if let Some(corrections) = corrections {
        json["corrections"] = Value::Array(corrections);
    }
    (json, csv)
}

/// The districts' rows in registry order, not-assessed ones with
/// `assessed: false` and no scores; `corrections` fill the CSV's
/// correction cells.
fn rows(site: &Site, y: YearId, r: &YearResults, corrections: &[Value]) -> Vec<DistrictRow> {
    let year = site.year(y);
    let rubric = &year.rubric;
    site.districts
        .iter()
        .zip(site.district_ids())
        .map(|(district, d)| {
            let entry = year.entry(d);
            let s = r.score(d);
            let keyed = |keys: Vec<String>, values: &[f64]| {
                keys.into_iter()
                    .zip(values.iter().map(|v| round2(*v)))
                    .collect()
            };
            DistrictRow {
                slug: district.slug.clone(),
                code: district.code.clone(),
                name: district.name.clone(),
                assessed: entry.is_some(),
                final_score: s.map(|s| round2(s.final_score)),
                rank: r.rank_of(d),
                category: s.map(|s| rubric.categories[s.category].label.clone()),
                components: s.map(|s| {
                    let keys = rubric.components.iter().map(|c| c.key.clone());
                    keyed(keys.collect(), &s.components)
                }),
                actions: s.map(|s| {
                    let keys = rubric.actions.iter().map(|a| a.number.to_string());
                    keyed(keys.collect(), &s.actions)
                }),
                prevalence: entry
                    .and_then(|e| e.prevalence.as_ref())
                    .map(|p| round2(p.value)),
                before_correction: if corrections.is_empty() {
                    Default::default()
                } else {
                    correction_cells(corrections, &district.slug)
                },
            }
        })
        .collect()
}

/// The corrections of a frozen year, with the old and new numbers rapor
/// computed from its freezes.
fn corrections_json(year: &crate::content::Year) -> Vec<Value> {
    let shown = |n: &Option<crate::freeze::Numbers>| {
        n.as_ref().map(
            |n| json!({ "final": number(n.final_score), "category": n.category, "rank": n.rank }),
        )
    };
    crate::freeze::ralat(year)
        .iter()
        .map(|r| {
            let changes: Vec<Value> = r
                .changes
                .iter()
                .map(|c| json!({ "slug": c.slug, "old": shown(&c.old), "new": shown(&c.new) }))
                .collect();
            json!({
                "date": r.correction.date.to_string(),
                "districts": r.correction.districts,
                "reason": r.correction.reason,
                "changes": changes,
            })
        })
        .collect()
}

/// A text cell that a spreadsheet would run as a formula (it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe,
/// as OWASP recommends against CSV injection: a name such as
/// `=HYPERLINK(..)` then shows as text when the file is opened in Excel.
fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Numbers as they are (a negative number stays a number); text neutralised.
fn csv_value(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => csv_text(s),
        other => other.to_string(),
    }
}

/// A score as the JSON writes it (`75.0`, `56.32`); empty when there is none.
fn csv_number(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| Value::from(x).to_string())
}

/// What the corrections of a frozen year say about one district, for its
/// CSV row: the dates of the corrections that named it or changed its
/// numbers (ISO, oldest first, `;`-separated) and its numbers as published
/// before the first of them changed it.
fn correction_cells(corrections: &[Value], slug: &str) -> [String; 4] {
    let mut concerning: Vec<&Value> = corrections
        .iter()
        .filter(|c| {
            let named = c["districts"]
                .as_array()
                .is_some_and(|ds| ds.iter().any(|d| d == slug));
            named || change_of(c, slug).is_some()
        })
        .collect();
    // Stable: corrections of one day stay in year.yaml's order.
    concerning.sort_by(|a, b| a["date"].as_str().cmp(&b["date"].as_str()));
    let mut dates: Vec<&str> = concerning
        .iter()
        .filter_map(|c| c["date"].as_str())
        .collect();
    dates.dedup();
    let old = concerning
        .iter()
        .filter_map(|c| change_of(c, slug))
        .map(|ch| &ch["old"])
        .find(|old| !old.is_null());
    let cell = |k: &str| old.map_or_else(String::new, |o| csv_value(&o[k]));
    [
        csv_text(&dates.join(";")),
        cell("final"),
        cell("category"),
        cell("rank"),
    ]
}

fn change_of<'a>(correction: &'a Value, slug: &str) -> Option<&'a Value> {
    correction["changes"]
        .as_array()?
        .iter()
        .find(|ch| ch["slug"] == slug)
}

/// The columns a year with corrections adds at the end of its CSV.
const CORRECTION_COLUMNS: [&str; 4] = [
    "corrected_on",
    "final_before_correction",
    "category_before_correction",
    "rank_before_correction",
];

/// A column of the CSV: its header and how a district's row fills it.
struct Column<'a> {
    name: String,
    cell: Box<dyn Fn(&DistrictRow) -> String + 'a>,
}

fn column<'a>(name: impl Into<String>, cell: impl Fn(&DistrictRow) -> String + 'a) -> Column<'a> {
    Column {
        name: name.into(),
        cell: Box::new(cell),
    }
}

/// The columns of a year's CSV, in order: the row's fields, one per
/// component and per action of the rubric, and for a frozen year with at
/// least one correction (`corrected`) [`CORRECTION_COLUMNS`] (see
/// [`correction_cells`]).
fn columns(rubric: &Rubric, corrected: bool) -> Vec<Column<'_>> {
    let mut columns = vec![
        column("slug", |r| csv_text(&r.slug)),
        column("code", |r| csv_text(&r.code)),
        column("name", |r| csv_text(&r.name)),
        column("assessed", |r| r.assessed.to_string()),
        column("final", |r| csv_number(r.final_score)),
        column("rank", |r| {
            r.rank
                .map_or_else(String::new, |n| itoa::Buffer::new().format(n).to_string())
        }),
        column("category", |r| {
            r.category.as_deref().map_or_else(String::new, csv_text)
        }),
    ];
    let scored = |map: fn(&DistrictRow) -> &Option<IndexMap<String, f64>>, key: String| {
        move |r: &DistrictRow| csv_number(map(r).as_ref().and_then(|m| m.get(&key)).copied())
    };
    for c in &rubric.components {
        let cell = scored(|r| &r.components, c.key.clone());
        columns.push(column(format!("component_{}", c.key), cell));
    }
    for a in &rubric.actions {
        let cell = scored(|r| &r.actions, a.number.to_string());
        columns.push(column(format!("action_{}", a.number), cell));
    }
    columns.push(column("prevalence", |r| csv_number(r.prevalence)));
    if corrected {
        for (i, name) in CORRECTION_COLUMNS.into_iter().enumerate() {
            columns.push(column(name, move |r| r.before_correction[i].clone()));
        }
    }
    columns
}

/// A CSV writer into memory: `,`-separated, CRLF line ends (RFC 4180),
/// a field quoted when it holds a `,`, a `"` or a line end.
fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// `/data/<year>.csv`: the `rows`, one line per district in the
/// [`columns`] of the year's `rubric` (CRLF line ends, fields quoted when
/// needed).
fn year_csv(rubric: &Rubric, rows: &[DistrictRow], corrected: bool) -> String {
    let columns = columns(rubric, corrected);
    let mut out = csv_writer();
    // Writing into memory cannot fail.
    let _ = out.write_record(columns.iter().map(|c| &c.name));
    for row in rows.iter() {
        let _ = out.write_record(columns.iter().map(|c| (c.cell)(row)));
    }
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// `/sitemap.xml`: every HTML page, by absolute address.
pub fn sitemap(urls: &Urls, pages: &[String]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for page in pages {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            super::charts::escape(&urls.absolute(page))
        ));
    }
    out.push_str("</urlset>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cell` as the CSV writes it in a line of two fields.
    fn written(cell: &str) -> String {
        let mut w = csv_writer();
        w.write_record([cell, "x"]).unwrap();
        let line = String::from_utf8(w.into_inner().unwrap()).unwrap();
        line.strip_suffix(",x\r\n").unwrap().to_string()
    }

    #[test]
    fn csv_quotes_when_needed() {
        assert_eq!(written("Kota Denpasar"), "Kota Denpasar");
        assert_eq!(written("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(written(""), "");
        assert_eq!(csv_value(&json!(75.0)), "75.0");
        assert_eq!(csv_value(&Value::Null), "");
        assert_eq!(csv_number(Some(56.32)), "56.32");
        assert_eq!(csv_number(Some(70.0)), "70.0");
        assert_eq!(csv_number(None), "");
    }

    #[test]
    fn csv_text_never_runs_as_a_formula() {
        for (text, cell) in [
            (
                "=HYPERLINK(\"http://evil\",\"x\")",
                "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"",
            ),
            ("+1", "'+1"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\r=1", "\"'\r=1\""),
            ("Kota Denpasar", "Kota Denpasar"),
            ("51.08", "51.08"),
        ] {
            assert_eq!(written(&csv_value(&json!(text))), cell, "{text:?}");
        }
        // Numbers are numbers, negative ones too.
        assert_eq!(csv_value(&json!(-1.5)), "-1.5");
        assert_eq!(csv_value(&json!(-3)), "-3");
    }

    #[test]
    fn a_district_row_tells_every_correction_and_the_numbers_first_published() {
        let n = |f: f64, c: &str, r: u32| json!({ "final": f, "category": c, "rank": r });
        // Out of date order in year.yaml: a later fix of beta, a first one
        // that named beta and moved gamma's rank, and a text fix naming no one.
        let corrections = [
            json!({ "date": "2031-08-02", "districts": ["beta"], "changes": [
                { "slug": "beta", "old": n(59.33, "Madya", 3), "new": n(61.0, "Madya", 2) },
            ]}),
            json!({ "date": "2031-07-01", "districts": ["beta"], "changes": [
                { "slug": "beta", "old": n(53.5, "Madya", 4), "new": n(59.33, "Madya", 3) },
                { "slug": "gamma", "old": n(55.0, "=Madya", 3), "new": n(55.0, "=Madya", 4) },
            ]}),
            json!({ "date": "2031-07-01", "districts": [], "changes": [] }),
        ];
        assert_eq!(
            correction_cells(&corrections, "beta"),
            ["2031-07-01;2031-08-02", "53.5", "Madya", "4"]
        );
        // Moved by a correction that did not name it; text still neutralised.
        assert_eq!(
            correction_cells(&corrections, "gamma"),
            ["2031-07-01", "55.0", "'=Madya", "3"]
        );
        assert_eq!(correction_cells(&corrections, "alpha"), ["", "", "", ""]);
        // Assessed only after the correction: a date, no old numbers.
        let added = [
            json!({ "date": "2031-07-01", "districts": ["delta"], "changes": [
                { "slug": "delta", "old": null, "new": n(70.0, "Madya", 1) },
            ]}),
        ];
        assert_eq!(
            correction_cells(&added, "delta"),
            ["2031-07-01", "", "", ""]
        );
    }
}
