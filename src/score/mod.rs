//! Scoring (SPEC §4): pure functions over the loaded model. No I/O here.

mod next;
mod peer;
mod rank;
mod round;
mod stats;

pub use next::{gains, to_next_category, Gain};
pub use peer::{best_practice, learn_from, LearnFrom};
pub use rank::{competition_ranks, RankKey};
pub use round::{cents, round2};
pub use stats::Stats;

use rayon::prelude::*;

use crate::content::{
    Action, Answer, Category, DistrictId, DistrictYear, Grade, Indicator, IndicatorKind, Rubric,
    Site, YearId,
};

/// One district's scores in one year, unrounded.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DistrictScores {
    /// Per rubric action, 0..100.
    pub actions: Vec<f64>,
    /// Per rubric component, 0..100 (the document one computed).
    pub components: Vec<f64>,
    pub final_score: f64,
    /// Index into the rubric's categories.
    pub category: usize,
}

/// Points earned and possible on one indicator.
pub fn indicator_points(indicator: &Indicator, answer: Answer) -> (f64, f64) {
    let earned = match (&indicator.kind, answer) {
        (IndicatorKind::Scored { .. }, Answer::Score(n)) => f64::from(n),
        (IndicatorKind::Graded { grades }, Answer::Grade(i)) => {
            grades.get(i).map_or(0.0, |g| g.value)
        }
        // A loaded district always answers in the indicator's own kind.
        _ => 0.0,
    };
    (earned, indicator.max_points())
}

/// `100 × Σ points / Σ maximum points` over the action's indicators.
pub fn action_score(action: &Action, answers: &[Answer]) -> f64 {
    let (earned, max) = action
        .indicators
        .iter()
        .zip(answers)
        .map(|(ind, &a)| indicator_points(ind, a))
        .fold((0.0, 0.0), |(e, m), (pe, pm)| (e + pe, m + pm));
    if max > 0.0 {
        // A rubric's weights may sum to 100 within a rounding tolerance; the
        // clamp keeps scores in 0..100 whatever the floating point does.
        (100.0 * earned / max).clamp(0.0, 100.0)
    } else {
        0.0
    }
}

/// The first category, in file order, whose `min` the score as shown reaches.
pub fn category_of(categories: &[Category], final_score: f64) -> usize {
    let shown = cents(final_score);
    categories
        .iter()
        .position(|c| shown >= cents(c.min))
        .unwrap_or(categories.len().saturating_sub(1))
}

pub fn score_district(rubric: &Rubric, district: &DistrictYear) -> DistrictScores {
    let actions: Vec<f64> = rubric
        .actions
        .iter()
        .zip(&district.answers)
        .map(|(action, answers)| action_score(action, answers))
        .collect();
    let document: f64 = rubric
        .actions
        .iter()
        .zip(&actions)
        .map(|(a, score)| a.weight * score / 100.0)
        .sum::<f64>()
        .clamp(0.0, 100.0);
    let components: Vec<f64> = (0..rubric.components.len())
        .map(|i| {
            if i == rubric.document {
                document
            } else {
                district.components[i].unwrap_or(0.0)
            }
        })
        .collect();
    let final_score = rubric
        .components
        .iter()
        .zip(&components)
        .map(|(c, v)| c.weight * v / 100.0)
        .sum::<f64>()
        .clamp(0.0, 100.0);
    DistrictScores {
        category: category_of(&rubric.categories, final_score),
        actions,
        components,
        final_score,
    }
}

/// The grade one step above the one given, for "what it takes to rise".
pub fn next_grade(indicator: &Indicator, answer: Answer) -> Option<&Grade> {
    match (&indicator.kind, answer) {
        (IndicatorKind::Graded { grades }, Answer::Grade(i)) if i > 0 => grades.get(i - 1),
        _ => None,
    }
}

/// Everything computed for one year.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct YearResults {
    /// By district registry index; `None` when not assessed.
    pub scores: Vec<Option<DistrictScores>>,
    pub rank: Vec<Option<u32>>,
    /// `[district][component]`.
    pub component_ranks: Vec<Vec<Option<u32>>>,
    /// Assessed districts, by rank then registry order.
    pub order: Vec<DistrictId>,
    pub province: ProvinceStats,
    /// Per action: up to three districts, best first.
    pub best_practice: Vec<Vec<DistrictId>>,
    /// Per district: for each action below the province median, whom to learn from.
    pub learn_from: Vec<Vec<LearnFrom>>,
}

impl YearResults {
    /// District `d`'s scores; `None` when not assessed.
    pub fn score(&self, d: DistrictId) -> Option<&DistrictScores> {
        self.scores[d.0].as_ref()
    }

    /// District `d`'s overall rank; `None` when not assessed.
    pub fn rank_of(&self, d: DistrictId) -> Option<u32> {
        self.rank[d.0]
    }

    /// District `d`'s rank on each component.
    pub fn component_ranks_of(&self, d: DistrictId) -> &[Option<u32>] {
        &self.component_ranks[d.0]
    }

    /// For district `d`: whom to learn from, per action below the median.
    pub fn learn_from_of(&self, d: DistrictId) -> &[LearnFrom] {
        &self.learn_from[d.0]
    }

    /// The best districts on action `a`, best first (up to three).
    pub fn leaders(&self, a: usize) -> impl Iterator<Item = DistrictId> + '_ {
        self.best_practice[a].iter().copied()
    }

    /// The assessed districts, by rank then registry order.
    pub fn ranked(&self) -> impl Iterator<Item = DistrictId> + '_ {
        self.order.iter().copied()
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProvinceStats {
    pub assessed: usize,
    pub final_score: Option<Stats>,
    pub components: Vec<Option<Stats>>,
    pub actions: Vec<Option<Stats>>,
    /// Count per rubric category.
    pub categories: Vec<usize>,
}

pub fn score_year(rubric: &Rubric, entries: &[Option<DistrictYear>]) -> YearResults {
    let scores: Vec<Option<DistrictScores>> = entries
        .iter()
        .map(|e| e.as_ref().map(|d| score_district(rubric, d)))
        .collect();
    let assessed: Vec<(usize, &DistrictScores)> = scores
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.as_ref().map(|s| (i, s)))
        .collect();

    // Overall rank: final score, then the tie-break components in turn.
    let keys: Vec<(usize, RankKey)> = assessed
        .iter()
        .map(|(i, s)| {
            let mut key = vec![cents(s.final_score)];
            key.extend(rubric.tie_break.iter().map(|&c| cents(s.components[c])));
            (*i, key)
        })
        .collect();
    let ranked = competition_ranks(&keys);
    let mut rank = vec![None; entries.len()];
    let order: Vec<DistrictId> = ranked
        .iter()
        .map(|&(i, r)| {
            rank[i] = Some(r);
            DistrictId(i)
        })
        .collect();

    let mut component_ranks = vec![vec![None; rubric.components.len()]; entries.len()];
    for (c, _) in rubric.components.iter().enumerate() {
        let keys: Vec<(usize, RankKey)> = assessed
            .iter()
            .map(|(i, s)| (*i, vec![cents(s.components[c])]))
            .collect();
        for (i, r) in competition_ranks(&keys) {
            component_ranks[i][c] = Some(r);
        }
    }

    let column = |f: &dyn Fn(&DistrictScores) -> f64| Stats::of(assessed.iter().map(|(_, s)| f(s)));
    let mut categories = vec![0; rubric.categories.len()];
    for (_, s) in &assessed {
        categories[s.category] += 1;
    }
    let province = ProvinceStats {
        assessed: assessed.len(),
        final_score: column(&|s| s.final_score),
        components: (0..rubric.components.len())
            .map(|c| column(&|s| s.components[c]))
            .collect(),
        actions: (0..rubric.actions.len())
            .map(|a| column(&|s| s.actions[a]))
            .collect(),
        categories,
    };
    let best_practice = best_practice(rubric.actions.len(), &scores);
    let learn_from = learn_from(&scores, &province.actions, &best_practice);
    YearResults {
        scores,
        rank,
        component_ranks,
        order,
        province,
        best_practice,
        learn_from,
    }
}

/// Scores every year of the site, in the site's year order.
pub fn score_site(site: &Site) -> Vec<YearResults> {
    site.years
        .par_iter()
        .map(|y| score_year(&y.rubric, &y.entries))
        .collect()
}

/// The most recent year before `y` in which district `d` was assessed.
pub fn previous_assessed(site: &Site, y: YearId, d: DistrictId) -> Option<YearId> {
    y.earlier().find(|&py| site.year(py).entry(d).is_some())
}

/// The most recent year in which district `d` was assessed.
pub fn latest_assessed(site: &Site, d: DistrictId) -> Option<YearId> {
    site.year_ids()
        .rev()
        .find(|&y| site.year(y).entry(d).is_some())
}

#[cfg(test)]
mod tests;
