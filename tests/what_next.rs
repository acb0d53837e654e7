//! A district page says what to do next: the points to the next category,
//! the indicator moves that gain most, whom to learn from, a contents list and
//! the follow-up in one line. On the small fixture (3 categories, 3 actions,
//! graded and scored indicators): nothing here knows the sample.

mod common;
use common::{read, Fixture};

#[test]
fn the_summary_says_the_points_to_the_next_category_and_the_follow_up() {
    let site = Fixture::new().and_built();
    let beta = read(&site.path("output/2031/beta/index.html"));
    assert!(
        beta.contains("poin lagi menuju Unggul"),
        "no points to the next category"
    );
    let alpha = read(&site.path("output/2031/alpha/index.html"));
    assert!(alpha.contains("Sudah di kategori tertinggi"));
    assert!(
        alpha.contains(
            "<a href=\"#follow-up\">Tindak lanjut hasil penilaian 2030: 0 dari 1 selesai</a>"
        ),
        "no follow-up line in the summary"
    );
    let summary = alpha.find("class=\"summary\"").unwrap();
    let contents = alpha.find("class=\"contents\"").expect("no contents list");
    let improve = alpha.find("id=\"improve\"").unwrap();
    assert!(
        summary < contents && contents < improve,
        "contents not between summary and improvements"
    );
    for target in [
        "#improve",
        "#components",
        "#actions",
        "#follow-up",
        "#history",
    ] {
        assert!(
            alpha[contents..improve].contains(target),
            "contents lacks {target}"
        );
    }
}

#[test]
fn improvements_are_listed_by_points_gained_and_the_two_lowest_actions_name_a_teacher() {
    let site = Fixture::new().and_built();
    let html = read(&site.path("output/2031/beta/index.html"));
    let list = &html[html.find("class=\"gains\"").expect("no gains list")..];
    let list = &list[..list.find("</ol>").unwrap()];
    let gains: Vec<f64> = list
        .split("<li>")
        .skip(1)
        .map(|li| {
            let at = li.find(": +").unwrap() + 3;
            li[at..at + li[at..].find(' ').unwrap()]
                .replace(',', ".")
                .parse::<f64>()
                .unwrap()
        })
        .collect();
    assert!(!gains.is_empty());
    // Ordered by the gain to full marks; the first figure is one step, which
    // is never more than full, so check the full (or only) figure per item.
    let full: Vec<f64> = list
        .split("<li>")
        .skip(1)
        .map(|li| {
            let at = li.rfind("+").unwrap() + 1;
            li[at..at + li[at..].find(' ').unwrap()]
                .replace(',', ".")
                .parse::<f64>()
                .unwrap()
        })
        .collect();
    assert!(
        full.windows(2).all(|w| w[0] >= w[1]),
        "not ordered: {full:?}"
    );
    // Beta is not first in any action: its two lowest actions name whom to learn from.
    let improve = &html[html.find("class=\"improve\"").unwrap()..];
    let improve = &improve[..improve.find("</ol>").unwrap()];
    assert!(
        improve.matches("Belajar dari").count() >= 2,
        "fewer than two actions say whom to learn from\n{improve}"
    );
}
