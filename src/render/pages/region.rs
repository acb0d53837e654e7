//! One district across all years: `/wilayah/<slug>/`.

use serde::Serialize;

use super::charts::{district_history, ChartBlock};
use super::{Ctx, Layout, Link};
use crate::content::DistrictId;
use crate::score::latest_assessed;

#[derive(Serialize)]
pub struct RegionPage {
    pub layout: Layout,
    pub name: String,
    pub code: String,
    pub rows: Vec<RegionRow>,
    pub chart_history: Option<ChartBlock>,
}

#[derive(Serialize)]
pub struct RegionRow {
    pub year: i32,
    pub heading: String,
    pub href: String,
    pub assessed: bool,
    pub final_score: Option<String>,
    pub rank: Option<u32>,
    pub rank_of: usize,
    pub category: Option<String>,
    pub prevalence: Option<String>,
    pub prevalence_source: Option<String>,
    /// The corrections of a frozen year that concern this district, oldest first.
    pub corrections: Vec<Link>,
}

pub fn region_page(cx: &Ctx, d: DistrictId) -> RegionPage {
    let district = cx.site.district(d);
    let rows = cx
        .site
        .years
        .iter()
        .zip(cx.results)
        .enumerate()
        .rev()
        .map(|(y, (year, r))| {
            let entry = year.entry(d);
            let s = r.score(d);
            let href = cx.urls.district(year.year, &district.slug);
            // Each correction concerning the district, dated, pointing at the
            // Ralat box of its page for that year.
            let corrections = cx.corrected[y]
                .get(&district.slug)
                .into_iter()
                .flatten()
                .map(|date| Link {
                    href: format!("{href}#ralat"),
                    label: format!("{} {}", cx.tr("ralat"), cx.date(date)),
                })
                .collect();
            RegionRow {
                year: year.year,
                heading: cx.heading(year),
                href,
                assessed: entry.is_some(),
                final_score: s.map(|s| cx.score(s.final_score)),
                rank: r.rank_of(d),
                rank_of: r.province.assessed,
                category: s.map(|s| year.rubric.categories[s.category].label.clone()),
                prevalence: entry
                    .and_then(|e| e.prevalence.as_ref())
                    .map(|p| format!("{}%", cx.short(p.value))),
                prevalence_source: entry
                    .and_then(|e| e.prevalence.as_ref())
                    .and_then(|p| p.source.clone()),
                corrections,
            }
        })
        .collect();
    let path = cx.urls.region(&district.slug);
    RegionPage {
        layout: cx.layout(
            format!("{} — {}", district.name, cx.tr("history")),
            path.clone(),
            vec![
                Link {
                    href: cx.urls.home(),
                    label: cx.tr("home"),
                },
                Link {
                    href: path,
                    label: district.name.clone(),
                },
            ],
        ),
        name: district.name.clone(),
        code: district.code.clone(),
        rows,
        chart_history: latest_assessed(cx.site, d).map(|y| district_history(cx, y, d)),
    }
}
