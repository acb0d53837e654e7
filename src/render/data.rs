//! Open data of a year (`/data/<year>.json`, `.csv`) and the sitemap.

use serde_json::{json, Map, Value};

use super::urls::Urls;
use crate::content::Site;
use crate::format::round2;
use crate::score::YearResults;

fn number(x: f64) -> Value {
    json!(round2(x))
}

/// `/data/<year>.json` in the schema of SPEC §5: districts in registry order,
/// not-assessed ones with `"assessed": false` and null scores.
pub fn year_json(site: &Site, yi: usize, r: &YearResults) -> Value {
    let year = &site.years[yi];
    let districts: Vec<Value> = site
        .districts
        .iter()
        .enumerate()
        .map(|(d, district)| {
            let entry = year.entries[d].as_ref();
            let s = r.scores[d].as_ref();
            let components = s.map(|s| {
                year.rubric
                    .components
                    .iter()
                    .zip(&s.components)
                    .map(|(c, v)| (c.key.clone(), number(*v)))
                    .collect::<Map<_, _>>()
            });
            let actions = s.map(|s| {
                year.rubric
                    .actions
                    .iter()
                    .zip(&s.actions)
                    .map(|(a, v)| (a.number.to_string(), number(*v)))
                    .collect::<Map<_, _>>()
            });
            json!({
                "slug": district.slug,
                "code": district.code,
                "name": district.name,
                "assessed": entry.is_some(),
                "final": s.map(|s| number(s.final_score)),
                "rank": r.rank[d],
                "category": s.map(|s| year.rubric.categories[s.category].label.clone()),
                "components": components,
                "actions": actions,
                "prevalence": entry.and_then(|e| e.prevalence.as_ref()).map(|p| number(p.value)),
            })
        })
        .collect();
    let mut out = json!({ "year": year.year, "rubric": year.rubric.title, "districts": districts });
    // Only a frozen year carries corrections: a year never frozen keeps its bytes.
    if year.published.is_some() {
        out["corrections"] = corrections_json(year);
    }
    out
}

/// The corrections of a frozen year, with the old and new numbers rapor
/// computed from its freezes.
fn corrections_json(year: &crate::content::Year) -> Value {
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

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A text cell that a spreadsheet would run as a formula (it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe,
/// as OWASP recommends against CSV injection: a name such as
/// `=HYPERLINK(..)` then shows as text when the file is opened in Excel.
fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        csv_field(&format!("'{s}"))
    } else {
        csv_field(s)
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

/// `/data/<year>.csv`: the JSON flattened, one row per district. A frozen
/// year with at least one correction gets [`CORRECTION_COLUMNS`] at the end
/// (see [`correction_cells`]); any other year keeps its columns and bytes.
pub fn year_csv(site: &Site, yi: usize, json: &Value) -> String {
    let corrections = json["corrections"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let rubric = &site.years[yi].rubric;
    let mut header: Vec<String> = [
        "slug", "code", "name", "assessed", "final", "rank", "category",
    ]
    .map(String::from)
    .to_vec();
    header.extend(
        rubric
            .components
            .iter()
            .map(|c| format!("component_{}", c.key)),
    );
    header.extend(
        rubric
            .actions
            .iter()
            .map(|a| format!("action_{}", a.number)),
    );
    header.push("prevalence".into());
    if !corrections.is_empty() {
        header.extend(CORRECTION_COLUMNS.map(String::from));
    }
    let mut out = header
        .iter()
        .map(|h| csv_field(h))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    for row in json["districts"].as_array().into_iter().flatten() {
        let mut cells: Vec<String> = [
            "slug", "code", "name", "assessed", "final", "rank", "category",
        ]
        .iter()
        .map(|k| csv_value(&row[*k]))
        .collect();
        cells.extend(
            rubric
                .components
                .iter()
                .map(|c| csv_value(&row["components"][&c.key])),
        );
        cells.extend(
            rubric
                .actions
                .iter()
                .map(|a| csv_value(&row["actions"][a.number.to_string()])),
        );
        cells.push(csv_value(&row["prevalence"]));
        if !corrections.is_empty() {
            let slug = row["slug"].as_str().unwrap_or_default();
            cells.extend(correction_cells(corrections, slug));
        }
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `/sitemap.xml`: every HTML page, by absolute address.
pub fn sitemap(urls: &Urls, pages: &[String]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for page in pages {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&urls.absolute(page))
        ));
    }
    out.push_str("</urlset>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_when_needed() {
        assert_eq!(csv_field("Kota Denpasar"), "Kota Denpasar");
        assert_eq!(csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(csv_value(&json!(75.0)), "75.0");
        assert_eq!(csv_value(&Value::Null), "");
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
            assert_eq!(csv_value(&json!(text)), cell, "{text:?}");
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
