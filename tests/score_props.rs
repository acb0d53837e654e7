//! Properties of scoring over random rubrics and districts: every score stays
//! within 0..100, ranks follow the ordering and tie rules, categories follow
//! the score as shown, and the same site always builds to the same bytes.

mod common;

use common::{walk, Fixture};
use proptest::prelude::*;
use rapor::content::{parse_district, parse_rubric};
use rapor::score::cents;
use rapor::score::score_year;

/// Integer weights summing to 100, one per part.
fn weights(parts: usize) -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(1u32..50, parts).prop_map(|raw| {
        let total: u32 = raw.iter().sum();
        let mut w: Vec<u32> = raw.iter().map(|r| r * 100 / total).collect();
        let missing = 100 - w.iter().sum::<u32>();
        w[0] += missing;
        w
    })
}

#[derive(Debug, Clone)]
enum Kind {
    Scored(u32),
    /// Grade values, best first.
    Graded(Vec<u32>),
}

#[derive(Debug, Clone)]
struct Case {
    component_weights: Vec<u32>,
    action_weights: Vec<u32>,
    indicators: Vec<Vec<Kind>>,
    category_mins: Vec<u32>,
    tie_break: Vec<usize>,
    /// Per district: a fraction per indicator and per direct component.
    districts: Vec<(Vec<u32>, Vec<u32>)>,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        (1u32..6).prop_map(Kind::Scored),
        prop::collection::vec(0u32..5, 2..5).prop_map(|mut v| {
            v.sort_unstable_by(|a, b| b.cmp(a));
            v[0] = v[0].max(1);
            Kind::Graded(v)
        }),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..4, 1usize..6)
        .prop_flat_map(|(components, actions)| {
            (
                weights(components),
                weights(actions),
                prop::collection::vec(prop::collection::vec(kind(), 1..4), actions),
                prop::collection::btree_set(1u32..100, 0..4),
                prop::collection::vec(0..components, 0..3),
                prop::collection::vec(
                    (
                        prop::collection::vec(0u32..=100, 12),
                        prop::collection::vec(0u32..=400, components),
                    ),
                    1..12,
                ),
            )
        })
        .prop_map(
            |(component_weights, action_weights, indicators, mins, tie_break, districts)| {
                let mut category_mins: Vec<u32> = mins.into_iter().rev().collect();
                category_mins.push(0);
                Case {
                    component_weights,
                    action_weights,
                    indicators,
                    category_mins,
                    tie_break,
                    districts,
                }
            },
        )
}

fn rubric_yaml(c: &Case) -> String {
    let mut y = String::from("title: Uji\ncomponents:\n");
    for (i, w) in c.component_weights.iter().enumerate() {
        let from = if i == 0 { ", from: actions" } else { "" };
        y.push_str(&format!(
            "  - {{ key: k{i}, name: K{i}, weight: {w}{from} }}\n"
        ));
    }
    y.push_str("actions:\n");
    for (a, (w, inds)) in c.action_weights.iter().zip(&c.indicators).enumerate() {
        y.push_str(&format!(
            "  - number: {}\n    name: A{a}\n    weight: {w}\n    indicators:\n",
            a + 1
        ));
        for (i, kind) in inds.iter().enumerate() {
            match kind {
                Kind::Scored(max) => y.push_str(&format!(
                    "      - {{ key: \"{}.{}\", text: t, max: {max} }}\n",
                    a + 1,
                    i + 1
                )),
                Kind::Graded(values) => {
                    y.push_str(&format!(
                        "      - key: \"{}.{}\"\n        text: t\n        grades:\n",
                        a + 1,
                        i + 1
                    ));
                    for (g, v) in values.iter().enumerate() {
                        y.push_str(&format!(
                            "          - {{ grade: G{g}, value: {v}, text: g }}\n"
                        ));
                    }
                }
            }
        }
    }
    y.push_str("categories:\n");
    for (i, m) in c.category_mins.iter().enumerate() {
        y.push_str(&format!("  - {{ min: {m}, label: C{i} }}\n"));
    }
    let keys: Vec<String> = c.tie_break.iter().map(|k| format!("k{k}")).collect();
    y.push_str(&format!("tie_break: [{}]\n", keys.join(", ")));
    y
}

fn district_yaml(c: &Case, fractions: &[u32], components: &[u32]) -> String {
    let mut y = String::from("indicators:\n");
    let mut f = fractions.iter().cycle();
    for (a, inds) in c.indicators.iter().enumerate() {
        for (i, kind) in inds.iter().enumerate() {
            let pick = *f.next().unwrap();
            match kind {
                Kind::Scored(max) => y.push_str(&format!(
                    "  \"{}.{}\": {}\n",
                    a + 1,
                    i + 1,
                    pick * max / 100
                )),
                Kind::Graded(values) => y.push_str(&format!(
                    "  \"{}.{}\": G{}\n",
                    a + 1,
                    i + 1,
                    pick as usize * (values.len() - 1) / 100
                )),
            }
        }
    }
    if c.component_weights.len() > 1 {
        y.push_str("components:\n");
        for (i, v) in components.iter().enumerate().skip(1) {
            // Quarter points: 0..100 in steps of 0.25, so ties happen.
            y.push_str(&format!("  k{i}: {}\n", f64::from(*v) / 4.0));
        }
    }
    y
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn scores_ranks_and_categories_hold(c in case()) {
        let rubric = parse_rubric(&rubric_yaml(&c)).expect("generated rubric is valid");
        let entries: Vec<_> = c
            .districts
            .iter()
            .map(|(f, comp)| Some(parse_district(&rubric, &district_yaml(&c, f, comp)).expect("generated district is valid")))
            .collect();
        let year = score_year(&rubric, &entries);
        let scores: Vec<_> = year.scores.iter().map(|s| s.as_ref().unwrap()).collect();
        for s in &scores {
            for v in s.actions.iter().chain(&s.components).chain([&s.final_score]) {
                prop_assert!(v.is_finite() && (0.0..=100.0 + 1e-9).contains(v), "score {v} out of range");
            }
            // The first category whose min the score as shown reaches.
            let shown = cents(s.final_score);
            prop_assert!(shown >= cents(rubric.categories[s.category].min));
            prop_assert!(rubric.categories[..s.category].iter().all(|cat| shown < cents(cat.min)));
        }
        let key = |i: usize| {
            let mut k = vec![cents(scores[i].final_score)];
            k.extend(rubric.tie_break.iter().map(|&t| cents(scores[i].components[t])));
            k
        };
        for i in 0..scores.len() {
            let rank = year.rank[i].unwrap();
            let better = (0..scores.len()).filter(|&j| key(j) > key(i)).count();
            prop_assert_eq!(rank as usize, better + 1, "competition rank");
            for j in 0..scores.len() {
                if key(i) == key(j) {
                    prop_assert_eq!(year.rank[i], year.rank[j]);
                }
            }
        }
        // The order lists every district by rank.
        let ranks: Vec<u32> = year.ranked().map(|d| year.rank_of(d).unwrap()).collect();
        prop_assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
        prop_assert_eq!(year.order.len(), scores.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn the_same_site_builds_to_the_same_bytes(c in case()) {
        let site = Fixture::empty();
        let root = site.root.as_path();
        let write = |rel: &str, text: &str| site.write(rel, text);
        write("content/site.yaml", "title: Uji\nprovince: { name: Uji, code: \"97\" }\nbase_url: https://uji.example/a/\n");
        let mut registry = String::new();
        for (i, (f, comp)) in c.districts.iter().enumerate() {
            registry.push_str(&format!("- {{ code: \"97.{i:02}\", name: Kabupaten Uji {i}, slug: uji-{i}, kind: kabupaten }}\n"));
            write(&format!("content/2030/districts/uji-{i}.yaml"), &district_yaml(&c, f, comp));
        }
        write("content/districts.yaml", &registry);
        write("content/2030/rubric.yaml", &rubric_yaml(&c));
        let build = |out: &str| site.rapor(&["build", "--output", out]).success();
        build("one");
        build("two");
        for entry in walk(&root.join("one")) {
            let rel = entry.strip_prefix(root.join("one")).unwrap();
            prop_assert_eq!(std::fs::read(&entry).unwrap(), std::fs::read(root.join("two").join(rel)).unwrap(), "{}", rel.display());
        }
    }
}
