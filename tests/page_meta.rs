//! Every page has a description and the theme's favicon; an English build
//! marks the Indonesian content (names, indicator texts, narratives) lang="id".

mod common;
use common::{read, walk, Fixture};

#[test]
fn every_page_has_a_description_and_the_favicon() {
    let site = Fixture::new().and_built();
    let out = site.path("output");
    assert!(out.join("favicon.svg").is_file(), "no favicon.svg");
    for page in walk(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = read(&page);
        assert_eq!(
            html.matches("<meta name=\"description\" content=\"")
                .count(),
            1,
            "{}",
            page.display()
        );
        assert!(
            html.contains("<link rel=\"icon\" href=\""),
            "{}",
            page.display()
        );
    }
    let alpha = read(&site.path("output/2031/alpha/index.html"));
    let at = alpha.find("<meta name=\"description\" content=\"").unwrap();
    let description = &alpha[at..at + alpha[at..].find('>').unwrap()];
    for needed in [
        "Provinsi",
        "Kabupaten Alpha",
        "89,80",
        "Unggul",
        "peringkat 1 dari 3",
    ] {
        assert!(
            description.contains(needed),
            "{needed} not in {description}"
        );
    }
}

#[test]
fn an_english_build_marks_indonesian_content() {
    let site = Fixture::new();
    site.edit("content/site.yaml", "language: id", "language: en");
    let run = site.rapor(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.show());
    let html = read(&site.path("output/2030/alpha/index.html"));
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    assert!(
        html.contains("<h1 lang=\"id\">Kabupaten Alpha</h1>"),
        "name not marked"
    );
    assert!(
        html.contains("<div lang=\"id\"><p>Alpha memimpin"),
        "narrative not marked"
    );
    let id = Fixture::new().and_built();
    let html = read(&id.path("output/2030/alpha/index.html"));
    assert_eq!(
        html.matches("lang=\"id\"").count(),
        1,
        "an Indonesian build marks only <html>"
    );
}
