//! Maps (issue 13): the year's choropleth, the prevalence map, the locator,
//! and every bad map file, end to end through the `rapor` binary.

mod common;
use common::{read, walk, Fixture, Run};
use snapbox::str;

use std::collections::BTreeMap;
use std::path::Path;

/// Every `<svg class="map…">` of a page, whole.
fn map_svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg ") {
        let end = rest[i..].find("</svg>").map(|e| i + e + 6).unwrap();
        let svg = &rest[i..end];
        if svg[..svg.find('>').unwrap()].contains("class=\"map") {
            out.push(svg);
        }
        rest = &rest[end..];
    }
    out
}

/// The svg whose title id is `<id>-t`.
fn map_by_id<'a>(html: &'a str, id: &str) -> &'a str {
    map_svgs(html)
        .into_iter()
        .find(|s| s.contains(&format!("aria-labelledby=\"{id}-t ")))
        .unwrap_or_else(|| panic!("no map {id}"))
}

/// href → fill of each linked region.
fn regions(svg: &str) -> BTreeMap<String, String> {
    let doc = roxmltree::Document::parse(svg).expect("the map is well-formed XML");
    let root = doc.root_element();
    // Its regions are links: a group, since an image may hold nothing focusable (axe).
    assert_eq!(root.attribute("role"), Some("group"));
    let mut out = BTreeMap::new();
    for a in root.descendants().filter(|n| n.has_tag_name("a")) {
        let path = a
            .children()
            .find(|n| n.has_tag_name("path"))
            .expect("a region");
        let title = path.children().find(|n| n.has_tag_name("title"));
        assert!(title.and_then(|t| t.text()).is_some_and(|t| !t.is_empty()));
        out.insert(
            a.attribute("href").unwrap().to_string(),
            path.attribute("fill").unwrap().to_string(),
        );
    }
    out
}

/// The colour the page's legend gives each label (text before " (").
fn legend(html: &str) -> BTreeMap<String, String> {
    let start = html.find("<ul class=\"map-legend\"").unwrap();
    let list = &html[start..start + html[start..].find("</ul>").unwrap()];
    let mut out = BTreeMap::new();
    for item in list.split("<li>").skip(1) {
        let color = item
            .split("background:")
            .nth(1)
            .map_or("hatched", |c| &c[..7]);
        let label = item.rsplit("</span>").next().unwrap();
        let label = label.split(" (").next().unwrap().trim_end_matches("</li>");
        out.insert(label.trim().to_string(), color.to_string());
    }
    out
}

#[test]
fn the_sample_year_map_links_every_district_in_its_category_colour() {
    let site = Fixture::sample();
    let run = site.rapor(&["build"]).success();
    assert!(!run.stderr.contains("warning"), "{}", run.show());
    let out = site.path("output");
    let mut years: Vec<String> = walk(&out.join("data"))
        .iter()
        .filter_map(|p| {
            p.file_name()?
                .to_str()?
                .strip_suffix(".json")
                .map(String::from)
        })
        .collect();
    years.sort();
    assert!(!years.is_empty());
    let mut hatched_seen = false;
    for year in &years {
        let data: serde_json::Value =
            serde_json::from_str(&read(&out.join(format!("data/{year}.json")))).unwrap();
        let districts = data["districts"].as_array().unwrap();
        let html = read(&out.join(format!("{year}/index.html")));
        let svg = map_by_id(&html, "map-final");
        assert!(svg.len() < 40 * 1024, "{year}: {} bytes", svg.len());
        let fills = regions(svg);
        assert_eq!(
            fills.len(),
            districts.len(),
            "{year}: one linked region per district"
        );
        let colours = legend(&html[html.find("aria-labelledby=\"map-final-t").unwrap()..]);
        for d in districts {
            let slug = d["slug"].as_str().unwrap();
            let (href, fill) = fills
                .iter()
                .find(|(h, _)| h.trim_end_matches('/').ends_with(&format!("/{slug}")))
                .unwrap_or_else(|| panic!("{year}: no region for {slug}"));
            if d["assessed"].as_bool() == Some(true) {
                let category = d["category"].as_str().unwrap();
                assert_eq!(
                    fill, &colours[category],
                    "{year} {slug} ({category}) {href}"
                );
            } else {
                hatched_seen = true;
                assert_eq!(fill, "url(#map-final-h)", "{year} {slug} is hatched");
                assert!(svg.contains("<pattern id=\"map-final-h\""));
            }
        }
        // The map in words, and its source under it.
        assert!(svg.contains("<desc id=\"map-final-d\">Kategori "), "{year}");
        assert!(
            html.contains("<p class=\"map-credit\">Batas wilayah: "),
            "{year}"
        );
        for svg in map_svgs(&html) {
            roxmltree::Document::parse(svg).unwrap();
            assert!(svg.len() < 40 * 1024);
        }
    }
    assert!(
        hatched_seen,
        "the sample has a year with districts not assessed"
    );

    let home = read(&out.join("index.html"));
    let svg = map_by_id(&home, "map-home");
    assert!(svg.contains(&format!("{}</title>", years.last().unwrap())));
    for page in walk(&out).iter().filter(|p| p.ends_with("index.html")) {
        let html = read(page);
        let rel = page.strip_prefix(&out).unwrap();
        let parts: Vec<_> = rel.iter().collect();
        // A year's district page: <year>/<slug>/index.html.
        if parts.len() == 3
            && parts[1] != "praktik-baik"
            && years.iter().any(|y| parts[0] == y.as_str())
        {
            assert!(
                html.len() < 150 * 1024,
                "{}: {} bytes",
                rel.display(),
                html.len()
            );
            let svg = map_by_id(&html, "locator");
            roxmltree::Document::parse(svg).unwrap();
        }
    }
}

#[test]
fn a_site_without_a_map_builds_as_before() {
    let site = Fixture::new();
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert_eq!(run.stderr, "", "no warning without a map");
    for page in walk(&site.path("output")) {
        if page.extension().is_some_and(|e| e == "html") {
            let html = read(&page);
            assert!(!html.contains("class=\"map"), "{}", page.display());
            assert!(!html.contains("map-figure"), "{}", page.display());
        }
    }
}

/// The fixture with `tests/fixtures/maps/tall.geojson`: a tall province,
/// an island district, a small city, codes under `kode`, 3 categories.
fn tall_province() -> Fixture {
    let site = Fixture::new();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/maps/tall.geojson"),
        site.path("content/map.geojson"),
    )
    .unwrap();
    let config = read(&site.path("content/site.yaml"));
    site.write(
        "content/site.yaml",
        &format!(
            "{config}map: {{ code_property: kode, source: Rough test shapes, licence: CC0 }}\n"
        ),
    );
    site
}

#[test]
fn a_tall_province_with_islands_renders_sensibly() {
    let site = tall_province();
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    assert!(!run.stderr.contains("warning"), "{}", run.show());
    let html = read(&site.path("output/2031/index.html"));
    let svg = map_by_id(&html, "map-final");
    let doc = roxmltree::Document::parse(svg).unwrap();
    let view: Vec<f64> = doc
        .root_element()
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(
        view[3] >= 500.0 && view[2] < view[3] / 2.0,
        "tall: {view:?}"
    );
    let fills = regions(svg);
    assert_eq!(fills.len(), 4);
    // Gamma is not assessed in 2031: hatched. Its three islands are drawn.
    let gamma = doc
        .descendants()
        .find(|n| n.has_tag_name("a") && n.attribute("href").unwrap().contains("/gamma"))
        .unwrap();
    let path = gamma.first_child().unwrap();
    assert_eq!(path.attribute("fill"), Some("url(#map-final-h)"));
    assert_eq!(path.attribute("d").unwrap().matches('M').count(), 3);
    // Three categories and the hatching in the legend; the small city is numbered.
    let colours = legend(&html[html.find("aria-labelledby=\"map-final-t").unwrap()..]);
    assert_eq!(colours.len(), 4, "{colours:?}");
    assert!(
        html.contains("class=\"map-key\""),
        "the city's name does not fit"
    );
    assert!(html.contains("Rough test shapes"));
    // Every district is named on the map or in its key.
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(texts.len(), 4, "{texts:?}");
    if let Some(dir) = std::env::var_os("RAPOR_SCREENSHOTS") {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(Path::new(&dir).join("tall-2031.svg"), svg);
    }
}

// ------------------------------------------------------------ bad map files

/// Builds the fixture with `map.geojson` holding `text`: the site is built
/// (exit 0, a warning never stops it) and `check` warns the same way.
/// Returns the site and the build's run, whose warnings the caller checks.
#[track_caller]
fn warns(text: &str) -> (Fixture, Run) {
    let site = Fixture::built();
    site.write("content/map.geojson", text);
    let run = site.rapor(&["build"]);
    assert_eq!(
        run.code,
        Some(0),
        "a map problem never stops the build\n{}",
        run.show()
    );
    assert!(site.path("output/2031/index.html").exists());
    let check = site.rapor(&["check"]);
    assert_eq!(check.code, Some(0), "{}", check.show());
    let first = run.stderr.lines().next().unwrap_or_default();
    assert!(check.stderr.contains(first), "{}", check.show());
    (site, run)
}

fn feature(code: &str, coordinates: &str) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"code":"{code}"}},"geometry":{{"type":"Polygon","coordinates":{coordinates}}}}}"#
    )
}

fn square(x: f64) -> String {
    format!(
        "[[[{x},0],[{},0],[{},1],[{x},1],[{x},0]]]",
        x + 1.0,
        x + 1.0
    )
}

fn collection(features: &[String]) -> String {
    format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n",
        features.join(",\n")
    )
}

fn all_four() -> Vec<String> {
    ["99.01", "99.02", "99.03", "99.71"]
        .iter()
        .enumerate()
        .map(|(i, c)| feature(c, &square(i as f64)))
        .collect()
}

fn no_map_in(site: &Fixture) {
    let html = read(&site.path("output/2031/index.html"));
    assert!(map_svgs(&html).is_empty());
}

#[test]
fn a_map_that_is_not_json_is_left_out() {
    let (site, run) =
        warns("{\"type\": \"FeatureCollection\",\n \"features\": [ {\"type\": \"Feature\", }\n");
    run.stderr_is(str![[r#"
warning: content/map.geojson:2:36: is not JSON: key must be a string; the map is left out; the rest of the site is built (export the boundaries as GeoJSON, e.g. with QGIS or mapshaper)

"#]]);
    no_map_in(&site);
    // NaN is not JSON either.
    warns(&collection(&[feature(
        "99.01",
        "[[[NaN,0],[1,0],[1,1],[0,0]]]",
    )]))
    .1
    .stderr_is(str![[r#"
warning: content/map.geojson:2:95: is not JSON: expected value; the map is left out; the rest of the site is built (export the boundaries as GeoJSON, e.g. with QGIS or mapshaper)

"#]]);
}

#[test]
fn a_map_that_is_not_a_feature_collection_is_left_out() {
    let (site, run) = warns(&feature("99.01", &square(0.0)));
    run.stderr_is(str![[r#"
warning: content/map.geojson:1:1: is a GeoJSON `Feature`, not a FeatureCollection with features; the map is left out; the rest of the site is built (the file must be an object with "type": "FeatureCollection" and a list of "features", one per district)

"#]]);
    no_map_in(&site);
    warns("[1, 2]").1.stderr_is(str![[r#"
warning: content/map.geojson:1:2: is not a GeoJSON FeatureCollection; the map is left out; the rest of the site is built (the file must be an object with "type": "FeatureCollection" and a list of "features")

"#]]);
}

#[test]
fn a_feature_without_a_code_is_not_drawn() {
    let mut features = all_four();
    features[2] = features[2].replace("\"code\"", "\"name\"");
    let (site, run) = warns(&collection(&features));
    run.stderr_is(str![[r#"
warning: content/map.geojson: has no feature for Kabupaten Gamma (99.03); listed under the map as not on the map (add a feature with properties.code set to the district's code)
warning: content/map.geojson:4:1: features[2]: has no `code` property; it is not drawn (give each feature the district's code from districts.yaml in properties.code, or set map.code_property in site.yaml to the property that holds it)

"#]]);
    let html = read(&site.path("output/2031/index.html"));
    assert_eq!(regions(map_by_id(&html, "map-final")).len(), 3);
    assert!(html.contains("<p class=\"map-missing\">Tidak ada di peta: <a href="));
}

#[test]
fn a_code_not_in_the_registry_is_not_drawn() {
    let mut features = all_four();
    features.push(feature("52.01", &square(9.0)));
    let (site, run) = warns(&collection(&features));
    run.stderr_is(str![[r#"
warning: content/map.geojson:6:1: features[4]: code `52.01` is not in districts.yaml; it is not drawn (correct the code, or remove the feature if it is not a district of the province)

"#]]);
    let html = read(&site.path("output/2031/index.html"));
    assert_eq!(regions(map_by_id(&html, "map-final")).len(), 4);
}

#[test]
fn invalid_coordinates_are_not_drawn() {
    let mut printed = String::new();
    for coordinates in [
        "[[[0,0],[1,0],[1,95],[0,1],[0,0]]]",
        "[[[0,0],[200,0],[1,1],[0,1],[0,0]]]",
        "[[[0,0],[1,0],[0,0]]]",
        "[[[0,0],[1,0],[1,1],[0,1]]]",
    ] {
        let mut features = all_four();
        features[1] = feature("99.02", coordinates);
        let (site, run) = warns(&collection(&features));
        printed += &run.stderr;
        let html = read(&site.path("output/2031/index.html"));
        assert_eq!(regions(map_by_id(&html, "map-final")).len(), 3);
    }
    Run::text_is(
        &printed,
        str![[r#"
warning: content/map.geojson: has no feature for Kabupaten Beta (99.02); listed under the map as not on the map (add a feature with properties.code set to the district's code)
warning: content/map.geojson:3:60: features[1].geometry: Kabupaten Beta (99.02): latitude 95 is outside -90..90 (are longitude and latitude swapped, or is the file projected?); it is not drawn (coordinates are [longitude, latitude] in degrees (WGS84); each ring has at least 4 points and ends where it starts)
warning: content/map.geojson: has no feature for Kabupaten Beta (99.02); listed under the map as not on the map (add a feature with properties.code set to the district's code)
warning: content/map.geojson:3:60: features[1].geometry: Kabupaten Beta (99.02): longitude 200 is outside -180..180; it is not drawn (coordinates are [longitude, latitude] in degrees (WGS84); each ring has at least 4 points and ends where it starts)
warning: content/map.geojson: has no feature for Kabupaten Beta (99.02); listed under the map as not on the map (add a feature with properties.code set to the district's code)
warning: content/map.geojson:3:60: features[1].geometry: Kabupaten Beta (99.02): a ring has 3 points, fewer than the 4 a closed ring needs; it is not drawn (coordinates are [longitude, latitude] in degrees (WGS84); each ring has at least 4 points and ends where it starts)
warning: content/map.geojson: has no feature for Kabupaten Beta (99.02); listed under the map as not on the map (add a feature with properties.code set to the district's code)
warning: content/map.geojson:3:60: features[1].geometry: Kabupaten Beta (99.02): a ring does not end at the point where it starts; it is not drawn (coordinates are [longitude, latitude] in degrees (WGS84); each ring has at least 4 points and ends where it starts)

"#]],
    );
}

#[test]
fn a_map_over_20_mb_is_left_out() {
    let mut text = collection(&all_four());
    text.push_str(&" ".repeat(21 * 1024 * 1024));
    let (site, run) = warns(&text);
    run.stderr_is(str![[r#"
warning: content/map.geojson: is 21 MB, larger than the 20 MB a map may be; the map is left out; the rest of the site is built (a province's map need not exceed 20 MB: simplify it, e.g. with mapshaper)

"#]]);
    no_map_in(&site);
}

#[test]
fn a_configured_map_that_is_missing_or_outside_is_left_out() {
    let site = Fixture::built();
    site.edit(
        "content/site.yaml",
        "theme: default\n",
        "theme: default\nmap: { file: batas.geojson }\n",
    );
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    run.stderr_is(str![[r#"
warning: content/batas.geojson: is missing; the map is left out; the rest of the site is built (put the GeoJSON file there, or correct map.file in content/site.yaml)

"#]]);

    // A link leading outside the site is refused, as every file of content/ is.
    #[cfg(unix)]
    {
        let before = site.output();
        let elsewhere = site.outside("batas.geojson", &collection(&all_four()));
        std::os::unix::fs::symlink(
            elsewhere.join("batas.geojson"),
            site.path("content/batas.geojson"),
        )
        .unwrap();
        let run = site.rapor(&["build"]);
        assert_eq!(run.code, Some(1), "{}", run.show());
        run.stderr_is(str![[r#"
content/batas.geojson: is a link that leads outside the site (rapor reads only files inside the site folder; copy the file or folder here instead of linking to it)
error: 1 problem found; nothing was published

"#]]);
        assert_eq!(site.output(), before, "output/ is untouched");
    }
}

#[test]
fn a_map_file_outside_content_is_an_error_and_publishes_nothing() {
    let site = Fixture::built();
    let before = site.output();
    site.edit(
        "content/site.yaml",
        "theme: default\n",
        "theme: default\nmap:\n  file: ../../etc/passwd\n",
    );
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.show());
    run.stderr_is(str![[r#"
content/site.yaml:8:9: map.file: `../../etc/passwd` is not the name of a file in content/ (put the file in content/ and write its name only, e.g. map.geojson)
error: 1 problem found; nothing was published

"#]]);
    assert_eq!(site.output(), before, "output/ is untouched");
    let mut entries: Vec<_> = std::fs::read_dir(site.tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    entries.sort();
    assert_eq!(entries, ["site"], "nothing left beside the site");
}
