//! Charts: valid SVG with a text alternative, the numbers of the data files,
//! and sensible output at the edges (one district, one year, no prevalence,
//! all scores equal).

mod common;
use common::{read, Fixture};

use std::path::{Path, PathBuf};

/// Every inline `<svg>` of a page, parsed as XML: (id, texts, title, desc).
struct Svg {
    id: String,
    texts: Vec<String>,
    title: String,
    desc: String,
}

fn svgs(html: &str, page: &str) -> Vec<Svg> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg ") {
        let end = rest[start..].find("</svg>").expect("closed svg") + start + "</svg>".len();
        let source = &rest[start..end];
        let doc = roxmltree::Document::parse(source)
            .unwrap_or_else(|e| panic!("{page}: SVG is not XML: {e}"));
        let root = doc.root_element();
        rest = &rest[end..];
        // Maps are checked in tests/maps.rs, the printed QR code in
        // tests/browser.rs.
        if root
            .attribute("class")
            .is_some_and(|c| c.split(' ').any(|c| c == "map" || c == "qr"))
        {
            continue;
        }
        assert!(root.attribute("viewBox").is_some(), "{page}: no viewBox");
        // width/height are the drawn size, which a phone shows (scrolling
        // sideways, text >= 11 px); the stylesheet makes the chart fluid above.
        let view_width = root.attribute("viewBox").unwrap().split(' ').nth(2);
        assert_eq!(
            root.attribute("width"),
            view_width,
            "{page}: width is not the drawn width"
        );
        assert_eq!(root.attribute("role"), Some("img"));
        let child_text = |name: &str| {
            root.children()
                .find(|n| n.has_tag_name(name))
                .and_then(|n| n.text())
                .map(str::to_string)
                .unwrap_or_default()
        };
        let title = child_text("title");
        let desc = child_text("desc");
        assert!(
            !title.is_empty() && !desc.is_empty(),
            "{page}: chart without title or desc"
        );
        let texts = root
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .map(|t| t.trim().to_string())
            .collect();
        let id = root
            .attribute("aria-labelledby")
            .unwrap_or("")
            .split('-')
            .next()
            .unwrap_or("")
            .to_string();
        out.push(Svg {
            id,
            texts,
            title,
            desc,
        });
    }
    out
}

fn html_pages(dir: &Path) -> Vec<PathBuf> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            pages.extend(html_pages(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            pages.push(path);
        }
    }
    pages.sort();
    pages
}

fn id_number(x: f64) -> String {
    format!("{:.2}", x).replace('.', ",")
}

#[test]
fn every_chart_of_the_sample_is_valid_svg_with_the_data_files_numbers() {
    let site = Fixture::sample();
    let out = site.build();
    let mut charts = 0;
    for page in html_pages(&out) {
        charts += svgs(&read(&page), &page.display().to_string()).len();
    }
    assert!(charts >= 3 * 4 + 23 * 3, "only {charts} charts");

    for year in [2021, 2022, 2023] {
        let data: serde_json::Value =
            serde_json::from_str(&read(&out.join(format!("data/{year}.json")))).unwrap();
        let year_page = read(&out.join(format!("{year}/index.html")));
        let charts = svgs(&year_page, "year");
        let ids: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["final", "heat", "prev", "trend"], "{year}");
        for d in data["districts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["assessed"] == true)
        {
            let name = d["name"].as_str().unwrap();
            let final_text = id_number(d["final"].as_f64().unwrap());
            assert!(
                charts[0].texts.contains(&final_text),
                "{year} {name}: {final_text} not on the ranked chart"
            );
            assert!(
                charts[0].desc.contains(&format!("{name}: {final_text}")),
                "{year} {name}: desc"
            );
            for score in d["actions"].as_object().unwrap().values() {
                assert!(
                    charts[1]
                        .texts
                        .contains(&id_number(score.as_f64().unwrap())),
                    "{year} {name}: heat map"
                );
            }
            let slug = d["slug"].as_str().unwrap();
            let page = read(&out.join(format!("{year}/{slug}/index.html")));
            let district_charts = svgs(&page, slug);
            let actions = district_charts
                .iter()
                .find(|c| c.id == "actions")
                .expect("action chart");
            for score in d["actions"].as_object().unwrap().values() {
                assert!(
                    actions.texts.contains(&id_number(score.as_f64().unwrap())),
                    "{year} {slug}: action chart"
                );
            }
            let history = district_charts
                .iter()
                .find(|c| c.id == "history")
                .expect("history chart");
            assert!(
                history.texts.contains(&final_text),
                "{year} {slug}: history chart"
            );
            let assessed = data["districts"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["assessed"] == true)
                .count();
            assert!(
                history.texts.contains(&format!("{}/{assessed}", d["rank"])),
                "{year} {slug}: rank in history"
            );
            if let Some(p) = d["prevalence"].as_f64() {
                let shown = format!("{p}").replace('.', ",");
                assert!(
                    charts[2].desc.contains(&format!("{shown}%")),
                    "{year} {slug}: prevalence {shown} in scatter"
                );
            }
        }
    }
    // The scatter names its source.
    let page = read(&out.join("2023/index.html"));
    assert!(svgs(&page, "2023")[2].title.contains("SKI 2023"));
}

/// A site of `n` districts in one year with the same scores, no prevalence,
/// one component and one action.
fn tiny_site(n: usize) -> Fixture {
    Fixture::generated(n, n, |_| 1)
}

#[test]
fn one_district_one_year_no_prevalence() {
    let site = tiny_site(1);
    let out = site.build();
    let year = read(&out.join("2040/index.html"));
    let charts = svgs(&year, "year");
    let ids: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        ["final", "heat", "trend"],
        "no prevalence chart without prevalence"
    );
    assert!(charts[0].texts.contains(&"50,00".to_string()));
    let district = svgs(&read(&out.join("2040/d-0/index.html")), "district");
    assert!(district
        .iter()
        .any(|c| c.id == "history" && c.texts.contains(&"1/1".to_string())));
    assert!(district.iter().any(|c| c.id == "components"));
}

#[test]
fn all_scores_equal() {
    let site = tiny_site(4);
    let out = site.build();
    let data: serde_json::Value = serde_json::from_str(&read(&out.join("data/2040.json"))).unwrap();
    for d in data["districts"].as_array().unwrap() {
        assert_eq!(d["rank"], 1, "equal scores share rank 1");
    }
    let year = read(&out.join("2040/index.html"));
    let charts = svgs(&year, "year");
    assert_eq!(charts[0].texts.iter().filter(|t| *t == "50,00").count(), 4);
    let page = read(&out.join("2040/d-2/index.html"));
    assert!(
        !page.contains("Aksi dengan nilai terendah: "),
        "no weakest action when all are equal"
    );
}
