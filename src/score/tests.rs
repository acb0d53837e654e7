//! A district worked out by hand, and the edge cases of categories and ranks.

use super::*;
use crate::content::{Component, DistrictYear};

fn grades(values: &[(&str, f64)]) -> IndicatorKind {
    IndicatorKind::Graded {
        grades: values
            .iter()
            .map(|(g, v)| Grade {
                grade: g.to_string(),
                value: *v,
                text: format!("syarat {g}"),
            })
            .collect(),
    }
}

fn indicator(key: &str, kind: IndicatorKind) -> Indicator {
    Indicator {
        key: key.into(),
        text: key.into(),
        kind,
    }
}

/// Weights 60/25/15 and actions 1, 2, 5 weighted 40/35/25: nothing like the sample.
fn rubric() -> Rubric {
    let abcd = [("A", 3.0), ("B", 2.0), ("C", 1.0), ("D", 0.0)];
    Rubric {
        title: "uji".into(),
        components: vec![
            Component {
                key: "dokumen".into(),
                name: "D".into(),
                weight: 60.0,
            },
            Component {
                key: "paparan".into(),
                name: "P".into(),
                weight: 25.0,
            },
            Component {
                key: "lapangan".into(),
                name: "L".into(),
                weight: 15.0,
            },
        ],
        document: 0,
        actions: vec![
            Action {
                number: 1,
                name: "Satu".into(),
                weight: 40.0,
                indicators: vec![
                    indicator("1.1", IndicatorKind::Scored { max: 3 }),
                    indicator("1.2", grades(&abcd)),
                ],
            },
            Action {
                number: 2,
                name: "Dua".into(),
                weight: 35.0,
                indicators: vec![
                    indicator("2.1", IndicatorKind::Scored { max: 2 }),
                    indicator("2.2", IndicatorKind::Scored { max: 4 }),
                ],
            },
            Action {
                number: 5,
                name: "Lima".into(),
                weight: 25.0,
                indicators: vec![indicator(
                    "5.1",
                    grades(&[("A", 4.0), ("B", 2.0), ("C", 0.0)]),
                )],
            },
        ],
        categories: vec![
            Category {
                min: 85.0,
                label: "Sangat Baik".into(),
                color: None,
            },
            Category {
                min: 70.0,
                label: "Baik".into(),
                color: None,
            },
            Category {
                min: 0.0,
                label: "Kurang".into(),
                color: None,
            },
        ],
        tie_break: vec![1],
    }
}

fn district(answers: Vec<Vec<Answer>>, paparan: f64, lapangan: f64) -> DistrictYear {
    DistrictYear {
        assessed_on: None,
        answers,
        components: vec![None, Some(paparan), Some(lapangan)],
        prevalence: None,
        coverage: vec![],
        budget: None,
        feedback: vec![],
        innovations: vec![],
        follow_up: vec![],
        narrative: None,
    }
}

use Answer::{Grade as G, Score as S};

#[test]
fn a_district_worked_out_by_hand() {
    let r = rubric();
    // 1.1 = 2 of 3, 1.2 = B (2 of 3): action 1 = 100 × 4/6 = 66.667
    // 2.1 = 1 of 2, 2.2 = 4 of 4:     action 2 = 100 × 5/6 = 83.333
    // 5.1 = B (2 of 4):               action 5 = 100 × 2/4 = 50
    // dokumen = (40 × 66.667 + 35 × 83.333 + 25 × 50) / 100 = 68.333
    // final = (60 × 68.333 + 25 × 82.5 + 15 × 70) / 100 = 41 + 20.625 + 10.5 = 72.125
    let d = district(
        vec![vec![S(2), G(1)], vec![S(1), S(4)], vec![G(1)]],
        82.5,
        70.0,
    );
    let s = score_district(&r, &d);
    assert!((s.actions[0] - 200.0 / 3.0).abs() < 1e-9);
    assert!((s.actions[1] - 250.0 / 3.0).abs() < 1e-9);
    assert_eq!(s.actions[2], 50.0);
    assert!((s.components[0] - 68.333_333_333).abs() < 1e-6);
    assert_eq!(s.components[1], 82.5);
    assert!((s.final_score - 72.125).abs() < 1e-9);
    // Shown half away from zero: 72,13, category Baik.
    assert_eq!(
        crate::format::score(
            super::cents(s.final_score),
            crate::format::Separators::INDONESIAN
        ),
        "72,13"
    );
    assert_eq!(r.categories[s.category].label, "Baik");
}

#[test]
fn category_follows_the_score_as_shown() {
    let r = rubric();
    assert_eq!(
        category_of(&r.categories, 84.996),
        0,
        "84.996 shows as 85,00"
    );
    assert_eq!(category_of(&r.categories, 84.994), 1);
    assert_eq!(category_of(&r.categories, 0.0), 2);
}

#[test]
fn next_grade_is_one_step_up() {
    let r = rubric();
    let ind = &r.actions[0].indicators[1];
    assert_eq!(next_grade(ind, G(2)).unwrap().grade, "B");
    assert!(next_grade(ind, G(0)).is_none());
    assert!(next_grade(&r.actions[0].indicators[0], S(1)).is_none());
}

#[test]
fn ranks_ties_component_ranks_stats_and_peers() {
    let r = rubric();
    let full = vec![vec![S(3), G(0)], vec![S(2), S(4)], vec![G(0)]]; // all 100
    let half = vec![vec![S(0), G(3)], vec![S(0), S(0)], vec![G(2)]]; // all 0
    let entries = vec![
        Some(district(full.clone(), 80.0, 90.0)), // final 60 + 20 + 13.5 = 93.5
        Some(district(full.clone(), 90.0, 30.0)), // 60 + 22.5 + 4.5 = 87
        None,                                     // not assessed
        Some(district(full.clone(), 70.0, 50.0)), // 60 + 17.5 + 7.5 = 85; paparan 70
        Some(district(full, 60.0, 52.0)),         // 60 + 15 + 7.8 = 82.8
        Some(district(half, 100.0, 100.0)),       // 0 + 25 + 15 = 40
    ];
    let y = score_year(&r, &entries);
    assert_eq!(
        y.rank,
        vec![Some(1), Some(2), None, Some(3), Some(4), Some(5)]
    );
    assert_eq!(y.order, [0, 1, 3, 4, 5].map(DistrictId));
    assert_eq!(y.province.assessed, 5);
    assert_eq!(y.province.categories, vec![3, 1, 1]);
    let f = y.province.final_score.unwrap();
    assert_eq!((f.min, f.max, f.median), (40.0, 93.5, 85.0));
    assert!((f.mean - (93.5 + 87.0 + 85.0 + 82.8 + 40.0) / 5.0).abs() < 1e-9);
    // Paparan alone: 100 (d5), 90 (d1), 80 (d0), 70 (d3), 60 (d4).
    let paparan: Vec<_> = y.component_ranks.iter().map(|c| c[1]).collect();
    assert_eq!(
        paparan,
        vec![Some(3), Some(2), None, Some(4), Some(5), Some(1)]
    );
    // Documents: four districts tie at 100 and share rank 1; the fifth is 5th.
    let dokumen: Vec<_> = y.component_ranks.iter().map(|c| c[0]).collect();
    assert_eq!(
        dokumen,
        vec![Some(1), Some(1), None, Some(1), Some(1), Some(5)]
    );
    // Best practice on action 1: ties at 100 broken by higher final.
    assert_eq!(y.best_practice[0], [0, 1, 3].map(DistrictId));
    // Only d5 is below the median (100) on each action; it learns from d0.
    assert!(y.learn_from[0].is_empty());
    assert_eq!(y.learn_from[5].len(), 3);
    assert_eq!(
        y.learn_from[5][2],
        LearnFrom {
            action: 2,
            district: crate::content::DistrictId(0)
        }
    );
}

#[test]
fn equal_finals_fall_to_the_tie_break_then_share() {
    let r = rubric();
    let full = vec![vec![S(3), G(0)], vec![S(2), S(4)], vec![G(0)]];
    // Equal finals (60 + 25×p/100 + 15×l/100 = 85) with different paparan.
    let entries = vec![
        Some(district(full.clone(), 70.0, 50.0)),
        Some(district(full.clone(), 76.0, 40.0)),
        Some(district(full, 76.0, 40.0)),
    ];
    let y = score_year(&r, &entries);
    assert_eq!(y.rank, vec![Some(3), Some(1), Some(1)]);
}

#[test]
fn points_to_the_next_category_up() {
    let r = rubric();
    // 72.125 shows as 72,13: 12,87 to Sangat Baik (85).
    assert_eq!(to_next_category(&r.categories, 72.125), Some((0, 1287)));
    // Below Baik: the nearest category up, not the top one.
    assert_eq!(to_next_category(&r.categories, 41.5), Some((1, 2850)));
    // 84.996 shows as 85,00 and is already Sangat Baik: nothing above.
    assert_eq!(to_next_category(&r.categories, 84.996), None);
    assert_eq!(to_next_category(&r.categories, 100.0), None);
}

#[test]
fn gains_are_final_score_points_from_the_weights_most_first() {
    let r = rubric();
    // 5.1 answered C (0 of 4): one grade up is B (+2 points), full is A (+4).
    let answers = vec![vec![S(2), G(1)], vec![S(1), S(4)], vec![G(2)]];
    let d = district(answers.clone(), 82.5, 70.0);
    let base = score_district(&r, &d).final_score;
    let g = gains(&r, &answers);
    // Per indicator point: action 1 = 100/6 × 40% × 60% = 4; action 2 = 3.5;
    // action 5 = 100/4 × 25% × 60% = 3.75.
    let got: Vec<(usize, usize, i64, i64, Option<usize>)> = g
        .iter()
        .map(|x| {
            (
                x.action,
                x.indicator,
                cents(x.step),
                cents(x.full),
                x.next_grade,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (2, 0, 750, 1500, Some(1)),
            (0, 0, 400, 400, None),
            (0, 1, 400, 400, Some(0)),
            (1, 0, 350, 350, None),
        ],
        "2.2 is at its maximum and left out; ties keep rubric order"
    );
    // Each gain is what re-scoring with the move gives.
    for x in &g {
        let mut full = answers.clone();
        full[x.action][x.indicator] = match &r.actions[x.action].indicators[x.indicator].kind {
            IndicatorKind::Scored { max } => S(*max),
            IndicatorKind::Graded { .. } => G(0),
        };
        let after = score_district(&r, &district(full, 82.5, 70.0)).final_score;
        assert!((after - base - x.full).abs() < 1e-9, "{x:?}");
        let mut step = answers.clone();
        step[x.action][x.indicator] = match (answers[x.action][x.indicator], x.next_grade) {
            (S(n), _) => S(n + 1),
            (_, Some(up)) => G(up),
            (other, None) => other,
        };
        let after = score_district(&r, &district(step, 82.5, 70.0)).final_score;
        assert!((after - base - x.step).abs() < 1e-9, "{x:?}");
    }
}
