//! What to do next: how far a final score is from the next category up, and
//! which indicator moves add the most to the final score, from the rubric's
//! weights alone (pure; no I/O).

use super::cents;
use super::indicator_points;
use crate::content::{Answer, Category, IndicatorKind, Rubric};

/// The nearest category above the one a final score reaches: its index and
/// the points still missing (in hundredths, as shown). `None` at the top.
pub fn to_next_category(categories: &[Category], final_score: f64) -> Option<(usize, i64)> {
    let shown = cents(final_score);
    categories
        .iter()
        .enumerate()
        .filter(|(_, c)| cents(c.min) > shown)
        .min_by_key(|(_, c)| cents(c.min))
        .map(|(i, c)| (i, cents(c.min) - shown))
}

/// One indicator a district has not maxed, and what moving it would add to
/// the final score.
#[derive(Debug, Clone, PartialEq)]
pub struct Gain {
    /// Rubric action index.
    pub action: usize,
    /// Indicator index within the action.
    pub indicator: usize,
    /// Final-score points from one grade up (graded) or one point more (scored).
    pub step: f64,
    /// Final-score points from reaching the indicator's maximum.
    pub full: f64,
    /// For a graded indicator: the index of the grade one step up.
    pub next_grade: Option<usize>,
}

/// Final-score points per indicator point of action `a`: the action's share
/// of the document component, times the component's share of the final score.
fn points_per_indicator_point(rubric: &Rubric, a: usize) -> f64 {
    let action = &rubric.actions[a];
    let max: f64 = action.indicators.iter().map(|i| i.max_points()).sum();
    let document = rubric
        .components
        .get(rubric.document)
        .map_or(0.0, |c| c.weight);
    if max > 0.0 {
        (100.0 / max) * (action.weight / 100.0) * (document / 100.0)
    } else {
        0.0
    }
}

/// Every indicator below its maximum, most final-score points (to full) first;
/// ties keep rubric order. `answers` is `[action][indicator]` as loaded.
pub fn gains(rubric: &Rubric, answers: &[Vec<Answer>]) -> Vec<Gain> {
    let mut out = Vec::new();
    for (a, action) in rubric.actions.iter().enumerate() {
        let per_point = points_per_indicator_point(rubric, a);
        let Some(row) = answers.get(a) else { continue };
        for (i, (ind, &answer)) in action.indicators.iter().zip(row).enumerate() {
            let (earned, max) = indicator_points(ind, answer);
            if earned >= max {
                continue;
            }
            let (step_points, next_grade) = match (&ind.kind, answer) {
                (IndicatorKind::Graded { grades }, Answer::Grade(g)) if g > 0 => {
                    // The nearest better grade worth more points.
                    let up = (0..g.min(grades.len()))
                        .rev()
                        .find(|&u| grades[u].value > earned)
                        .unwrap_or(0);
                    (grades[up].value - earned, Some(up))
                }
                (IndicatorKind::Scored { .. }, _) => ((max - earned).min(1.0), None),
                _ => (max - earned, None),
            };
            out.push(Gain {
                action: a,
                indicator: i,
                step: step_points * per_point,
                full: (max - earned) * per_point,
                next_grade,
            });
        }
    }
    // Stable: equal gains stay in rubric order.
    out.sort_by_key(|g| std::cmp::Reverse(cents(g.full)));
    out
}
