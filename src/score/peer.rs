//! Peer learning: the best districts per action, and whom each district can learn from.

use super::cents;
use super::{DistrictScores, Stats};
use crate::content::DistrictId;

/// Per action, up to three districts with the highest action score (ties:
/// higher final score first, then registry order).
pub fn best_practice(actions: usize, scores: &[Option<DistrictScores>]) -> Vec<Vec<DistrictId>> {
    (0..actions)
        .map(|a| {
            let mut ds: Vec<(usize, &DistrictScores)> = scores
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.as_ref().map(|s| (i, s)))
                .collect();
            ds.sort_by(|(_, x), (_, y)| {
                (cents(y.actions[a]), cents(y.final_score))
                    .cmp(&(cents(x.actions[a]), cents(x.final_score)))
            });
            ds.into_iter().take(3).map(|(i, _)| DistrictId(i)).collect()
        })
        .collect()
}

/// For an action where a district is below the province median: the district
/// with the highest score on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LearnFrom {
    pub action: usize,
    pub district: DistrictId,
}

pub fn learn_from(
    scores: &[Option<DistrictScores>],
    action_stats: &[Option<Stats>],
    best: &[Vec<DistrictId>],
) -> Vec<Vec<LearnFrom>> {
    scores
        .iter()
        .enumerate()
        .map(|(d, s)| {
            let Some(s) = s else { return Vec::new() };
            action_stats
                .iter()
                .enumerate()
                .filter_map(|(a, stats)| {
                    let median = stats.as_ref()?.median;
                    if cents(s.actions[a]) >= cents(median) {
                        return None;
                    }
                    let teacher = best[a].iter().copied().find(|&t| t != DistrictId(d))?;
                    Some(LearnFrom {
                        action: a,
                        district: teacher,
                    })
                })
                .collect()
        })
        .collect()
}
