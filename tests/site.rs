//! Builds the sample province and checks what a reader sees.

mod common;
use common::{read, snapshot, walk, Fixture};
use snapbox::str;

/// Text of the page with tags removed and whitespace collapsed, as read.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_sample_builds_every_page_of_the_spec() {
    let site = Fixture::sample();
    let out = site.build();
    for page in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "style.css",
        "2023/index.html",
        "2023/buleleng/index.html",
        "2023/praktik-baik/index.html",
        "2022/jembrana/index.html",
        "wilayah/denpasar/index.html",
        "data/2021.json",
        "data/2023.csv",
        "2023/media/pararem-stunting.svg",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.go.id/stunting/2023/buleleng/</loc>"));
    assert_eq!(sitemap.matches("<loc>").count(), 1 + 3 * (2 + 9) + 9);
}

#[test]
fn pages_show_the_numbers_of_the_data_files() {
    let site = Fixture::sample();
    let out = site.build();
    let data: serde_json::Value = serde_json::from_str(&read(&out.join("data/2023.json"))).unwrap();
    assert_eq!(data["year"], 2023);
    let year_page = text(&read(&out.join("2023/index.html")));
    for d in data["districts"].as_array().unwrap() {
        let slug = d["slug"].as_str().unwrap();
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "slug",
                "code",
                "name",
                "assessed",
                "final",
                "rank",
                "category",
                "components",
                "actions",
                "prevalence"
            ]
        );
        let shown = format!("{:.2}", d["final"].as_f64().unwrap()).replace('.', ",");
        let page = text(&read(&out.join(format!("2023/{slug}/index.html"))));
        assert!(
            page.contains(&format!("Nilai akhir {shown}")),
            "{slug}: {shown} not on its page"
        );
        assert!(
            page.contains(&format!("Peringkat {} dari 9", d["rank"])),
            "{slug}: rank"
        );
        assert!(page.contains(d["category"].as_str().unwrap()));
        assert!(
            year_page.contains(&shown),
            "{slug}: {shown} not on the year page"
        );
        for (number, score) in d["actions"].as_object().unwrap() {
            let shown = format!("{:.2}", score.as_f64().unwrap()).replace('.', ",");
            assert!(
                page.contains(&format!("Aksi {number}.")) && page.contains(&shown),
                "{slug}: action {number}"
            );
        }
    }
}

#[test]
fn tabanan_2023_worked_out_by_hand_from_its_file() {
    // content/2023/districts/tabanan.yaml against content/2023/rubric.yaml
    // (every indicator graded A/B/C/D = 3/2/1/0). Per action: points / max.
    let site = Fixture::sample();
    let out = site.build();
    let rubric = read(&site.path("content/2023/rubric.yaml"));
    let file = read(&site.path("content/2023/districts/tabanan.yaml"));
    // Read the action weights and the indicator keys of each action from the rubric.
    let mut actions: Vec<(f64, Vec<String>)> = Vec::new();
    for line in rubric.lines() {
        let l = line.trim();
        if let Some(w) = l.strip_prefix("weight: ") {
            if line.starts_with("    weight") {
                actions.push((w.parse().unwrap(), Vec::new()));
            }
        }
        if let Some(k) = l.strip_prefix("- key: ") {
            actions
                .last_mut()
                .unwrap()
                .1
                .push(k.trim_matches('"').to_string());
        }
    }
    assert_eq!(actions.len(), 8);
    let grade = |key: &str| -> f64 {
        let line = file
            .lines()
            .find(|l| l.trim().starts_with(&format!("\"{key}\":")))
            .unwrap();
        match line.split(':').nth(1).unwrap().trim() {
            "A" => 3.0,
            "B" => 2.0,
            "C" => 1.0,
            "D" => 0.0,
            other => panic!("grade {other}"),
        }
    };
    let document: f64 = actions
        .iter()
        .map(|(w, keys)| {
            w * (100.0 * keys.iter().map(|k| grade(k)).sum::<f64>() / (3.0 * keys.len() as f64))
                / 100.0
        })
        .sum();
    let component = |name: &str| -> f64 {
        file.lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{name}: ")))
            .unwrap()
            .parse()
            .unwrap()
    };
    let final_score = 0.6 * document + 0.2 * component("paparan") + 0.2 * component("lapangan");
    assert!((final_score - 72.5).abs() < 1e-9, "{final_score}");
    let data: serde_json::Value = serde_json::from_str(&read(&out.join("data/2023.json"))).unwrap();
    let tabanan = &data["districts"][1];
    assert_eq!(tabanan["slug"], "tabanan");
    assert_eq!(tabanan["final"], 72.5);
    assert_eq!(
        tabanan["components"]["dokumen"],
        (document * 100.0).round() / 100.0
    );
    // Klungkung has the same final and document score but a lower paparan.
    let klungkung = &data["districts"][4];
    assert_eq!(klungkung["final"], 72.5);
    assert_eq!(
        (tabanan["rank"].as_u64(), klungkung["rank"].as_u64()),
        (Some(5), Some(6))
    );
}

#[test]
fn not_assessed_districts_are_said_so_and_have_null_scores() {
    let site = Fixture::sample();
    let out = site.build();
    let page = text(&read(&out.join("2022/jembrana/index.html")));
    assert!(page.contains("Tidak dinilai"), "{page}");
    let data: serde_json::Value = serde_json::from_str(&read(&out.join("data/2022.json"))).unwrap();
    let jembrana = &data["districts"][0];
    assert_eq!(jembrana["assessed"], false);
    assert!(
        jembrana["final"].is_null() && jembrana["rank"].is_null() && jembrana["actions"].is_null()
    );
    let csv = read(&out.join("data/2022.csv"));
    assert!(csv
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("jembrana,51.01,Kabupaten Jembrana,false,,,"));
    let history = text(&read(&out.join("wilayah/jembrana/index.html")));
    assert!(history.contains("Tidak dinilai"));
}

#[test]
fn links_honour_the_sub_path_and_nothing_loads_from_another_host() {
    let site = Fixture::sample();
    let out = site.build();
    for file in walk(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = read(&file);
        for attr in ["href=\"", "src=\""] {
            for (i, _) in html.match_indices(attr) {
                let url = &html[i + attr.len()..];
                let url = &url[..url.find('"').unwrap()];
                let ok = url.starts_with("/stunting/")
                    || url.starts_with('#')
                    || (attr == "href=\"" && url.starts_with("https://"))
                    || (attr == "href=\"" && url.starts_with("mailto:?"));
                assert!(ok, "{}: {attr}{url}", file.display());
                if attr == "src=\"" {
                    assert!(!url.contains("://"), "{}: loads {url}", file.display());
                }
            }
        }
        assert!(
            !html.contains("<link rel=\"stylesheet\" href=\"http"),
            "{}",
            file.display()
        );
    }
}

#[test]
fn the_base_url_can_be_overridden() {
    let site = Fixture::sample();
    site.rapor(&["build", "--base-url", "https://bappeda.example/"])
        .success();
    let html = read(&site.path("output/2023/index.html"));
    assert!(html.contains("href=\"/2023/buleleng/\""));
    assert!(html.contains("<link rel=\"canonical\" href=\"https://bappeda.example/2023/\">"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let site = Fixture::sample();
    let first = snapshot(&site.build());
    let second = snapshot(&site.build());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs");
    }
}

#[test]
fn narratives_cannot_inject_scripts() {
    let site = Fixture::sample();
    let md = site.path("content/2023/districts/buleleng.md");
    let mut narrative = read(&md);
    narrative.push_str("\n\n<script>alert('x')</script>\n\n<img src=\"media/pararem-stunting.svg\" onerror=\"alert(1)\">\n\n[klik](javascript:alert(2))\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n<a href=\"#\" onclick=\"alert(3)\">tautan</a> Teks aman.\n");
    std::fs::write(&md, narrative).unwrap();
    let out = site.build();
    let html = read(&out.join("2023/buleleng/index.html"));
    for bad in [
        "<script>alert",
        "onerror",
        "javascript:",
        "<iframe",
        "onclick",
        "evil.example",
    ] {
        assert!(!html.contains(bad), "{bad} reached the page");
    }
    assert!(html.contains("Teks aman."));
}

#[test]
fn a_district_page_is_light() {
    let site = Fixture::sample();
    let out = site.build();
    for file in walk(&out).into_iter().filter(|p| p.ends_with("index.html")) {
        let size = std::fs::metadata(&file).unwrap().len();
        assert!(size < 150_000, "{} weighs {size} bytes", file.display());
    }
}

#[test]
fn an_english_site_speaks_english() {
    let site = Fixture::sample();
    let config = site.path("content/site.yaml");
    let text_yaml = read(&config).replace("language: id", "language: en");
    assert!(text_yaml.contains("language: en"));
    std::fs::write(&config, text_yaml).unwrap();
    let out = site.build();
    let page = text(&read(&out.join("2023/buleleng/index.html")));
    assert!(
        page.contains("2024 assessment of 2023 performance"),
        "{page}"
    );
    assert!(page.contains("Final score 81.23"), "{page}");
}

#[test]
fn a_site_theme_overrides_one_template_and_keeps_the_rest() {
    let site = Fixture::sample();
    let dir = site.path("themes/default/templates");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Hilang</h1>{% endblock content %}",
    )
    .unwrap();
    let out = site.build();
    assert!(read(&out.join("404.html")).contains("<h1>Hilang</h1>"));
    assert!(read(&out.join("index.html")).contains("Cari kabupaten/kota"));
}

#[test]
fn a_broken_template_is_reported_and_nothing_is_published() {
    let site = Fixture::sample();
    let run = site.refuses_build(|site| {
        site.write(
            "themes/default/templates/wilayah.html",
            "{% extends \"base.html\" %}{% block content %}{{ no_such_thing }}{% endblock content %}",
        )
    });
    run.stderr_is(str![[r#"
themes/default/templates/wilayah.html:1:48: Variable `no_such_thing` is not defined. Available variables: body_end, chart_history, code, layout, name, rows, share, site, t (fix the template; see the Tera 2 documentation)
error: 1 problem found; nothing was published

"#]]);
}
