//! Peer-learning highlights of one year: `/<year>/praktik-baik/`.

use serde::Serialize;

use super::district::{innovation_view, InnovationView};
use super::{Ctx, Layout, Link};
use crate::content::YearId;

#[derive(Serialize)]
pub struct PracticePage {
    pub layout: Layout,
    pub year: i32,
    pub heading: String,
    pub actions: Vec<PracticeAction>,
}

#[derive(Serialize)]
pub struct PracticeAction {
    pub number: u32,
    pub name: String,
    pub median: String,
    pub leaders: Vec<Leader>,
}

#[derive(Serialize)]
pub struct Leader {
    pub position: usize,
    pub district: Link,
    pub score: String,
    pub strengths: Vec<String>,
    pub innovations: Vec<InnovationView>,
}

pub fn practice_page(cx: &Ctx, y: YearId) -> PracticePage {
    let year = cx.site.year(y);
    let r = cx.year_results(y);
    let y = year.year;
    let actions = year
        .rubric
        .actions
        .iter()
        .enumerate()
        .map(|(a, action)| PracticeAction {
            number: action.number,
            name: action.name.clone(),
            median: r.province.actions[a].map_or_else(|| cx.tr("no_data"), |s| cx.score(s.median)),
            leaders: r
                .leaders(a)
                .enumerate()
                .filter_map(|(pos, d)| {
                    let entry = year.entry(d)?;
                    let score = r.score(d)?.actions[a];
                    Some(Leader {
                        position: pos + 1,
                        district: Link {
                            href: format!(
                                "{}#aksi-{}",
                                cx.urls.district(y, &cx.site.district(d).slug),
                                action.number
                            ),
                            label: cx.site.district(d).name.clone(),
                        },
                        score: cx.score(score),
                        strengths: entry.feedback[a].strengths.clone(),
                        innovations: entry
                            .innovations
                            .iter()
                            .filter(|i| i.actions.contains(&action.number))
                            .map(|i| innovation_view(cx, y, i, None, 5))
                            .collect(),
                    })
                })
                .collect(),
        })
        .collect();
    let mut crumbs = cx.year_crumbs(y);
    crumbs.push(Link {
        href: cx.urls.practice(y),
        label: cx.tr("best_practice"),
    });
    PracticePage {
        layout: cx.layout(
            format!("{} — {}", cx.tr("best_practice"), cx.heading(year)),
            cx.urls.practice(y),
            crumbs,
        ),
        year: y,
        heading: cx.heading(year),
        actions,
    }
}
