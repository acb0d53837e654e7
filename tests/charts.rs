//! Charts: valid SVG with a text alternative, the numbers of the data files,
//! and sensible output at the edges (one district, one year, no prevalence,
//! all scores equal).

mod common;
use common::{copy_dir, read};

use std::path::{Path, PathBuf};
use std::process::Command;

fn build(root: &Path) -> PathBuf {
    let out = Command::new(env!("CARGO_BIN_EXE_rapor"))
        .args(["build", "--root", root.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    root.join("output")
}

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
    let site = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &site.path().join("content"),
    );
    let out = build(site.path());
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

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A site of `n` districts in one year with the same scores, no prevalence,
/// one component and one action.
fn tiny_site(root: &Path, n: usize) {
    write(root, "content/site.yaml", "title: Uji\nprovince: { name: Provinsi Uji, code: \"98\" }\nbase_url: https://uji.example/\n");
    let mut registry = String::new();
    for i in 0..n {
        registry.push_str(&format!(
            "- {{ code: \"98.{i:02}\", name: Kota Uji {i}, slug: uji-{i}, kind: kota }}\n"
        ));
        write(
            root,
            &format!("content/2040/districts/uji-{i}.yaml"),
            "indicators:\n  \"1.1\": 1\n",
        );
    }
    write(root, "content/districts.yaml", &registry);
    write(
        root,
        "content/2040/rubric.yaml",
        "title: Rubrik uji\ncomponents:\n  - { key: berkas, name: Berkas, weight: 100, from: actions }\nactions:\n  - number: 1\n    name: Satu\n    weight: 100\n    indicators:\n      - { key: \"1.1\", text: Satu, max: 2 }\ncategories:\n  - { min: 0, label: Semua }\n",
    );
}

#[test]
fn one_district_one_year_no_prevalence() {
    let site = tempfile::tempdir().unwrap();
    tiny_site(site.path(), 1);
    let out = build(site.path());
    let year = read(&out.join("2040/index.html"));
    let charts = svgs(&year, "year");
    let ids: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        ["final", "heat", "trend"],
        "no prevalence chart without prevalence"
    );
    assert!(charts[0].texts.contains(&"50,00".to_string()));
    let district = svgs(&read(&out.join("2040/uji-0/index.html")), "district");
    assert!(district
        .iter()
        .any(|c| c.id == "history" && c.texts.contains(&"1/1".to_string())));
    assert!(district.iter().any(|c| c.id == "components"));
}

#[test]
fn all_scores_equal() {
    let site = tempfile::tempdir().unwrap();
    tiny_site(site.path(), 4);
    let out = build(site.path());
    let data: serde_json::Value = serde_json::from_str(&read(&out.join("data/2040.json"))).unwrap();
    for d in data["districts"].as_array().unwrap() {
        assert_eq!(d["rank"], 1, "equal scores share rank 1");
    }
    let year = read(&out.join("2040/index.html"));
    let charts = svgs(&year, "year");
    assert_eq!(charts[0].texts.iter().filter(|t| *t == "50,00").count(), 4);
    let page = read(&out.join("2040/uji-2/index.html"));
    assert!(
        !page.contains("Aksi dengan nilai terendah: "),
        "no weakest action when all are equal"
    );
}
