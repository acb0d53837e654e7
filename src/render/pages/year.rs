//! The province results of one year: `/<year>/`.

use serde::Serialize;

use super::charts::{self as page_charts, ChartBlock};
use super::{top_three, Ctx, Layout, Link, TopEntry};
use crate::content::YearId;
use crate::render::charts;
use crate::score::Stats;

#[derive(Serialize)]
pub struct YearPage {
    pub layout: Layout,
    pub year: i32,
    pub heading: String,
    pub rubric_title: String,
    pub plenary_date: Option<String>,
    pub decree: Option<String>,
    pub assessed: usize,
    pub total: usize,
    pub components: Vec<ComponentHead>,
    pub ranking: Vec<RankRow>,
    pub not_assessed: Vec<Link>,
    pub top: Vec<TopEntry>,
    pub awards: Vec<AwardEntry>,
    pub map_final: Option<super::map::MapBlock>,
    pub map_prevalence: Option<super::map::MapBlock>,
    pub chart_final: ChartBlock,
    pub chart_heat: ChartBlock,
    pub chart_prevalence: Option<ChartBlock>,
    pub chart_trend: ChartBlock,
    pub stats: Vec<StatRow>,
    pub categories: Vec<CategoryCount>,
    pub narrative_html: Option<String>,
    pub practice_url: String,
    pub data_json: String,
    pub data_csv: String,
    /// Ralat of a frozen year; empty otherwise.
    pub corrections: Vec<super::RalatView>,
    /// The year's offline archive; set by the renderer once it is made, and
    /// never on the copy inside the archive.
    pub archive: Option<ArchiveLink>,
}

/// `arsip/<province>-<year>.zip` and its size for people.
#[derive(Serialize)]
pub struct ArchiveLink {
    pub href: String,
    pub size: String,
}

#[derive(Serialize)]
pub struct ComponentHead {
    pub key: String,
    pub name: String,
    pub weight: String,
}

#[derive(Serialize)]
pub struct RankRow {
    pub rank: u32,
    pub district: Link,
    pub final_score: String,
    pub category: String,
    pub category_index: usize,
    pub components: Vec<ScoreRank>,
}

#[derive(Serialize)]
pub struct ScoreRank {
    pub score: String,
    pub rank: String,
}

#[derive(Serialize)]
pub struct AwardEntry {
    pub title: String,
    pub district: Link,
    pub reason_html: Option<String>,
}

#[derive(Serialize)]
pub struct StatRow {
    pub label: String,
    pub mean: String,
    pub median: String,
    pub min: String,
    pub max: String,
}

#[derive(Serialize)]
pub struct CategoryCount {
    pub label: String,
    pub min: String,
    pub count: usize,
    pub color: String,
}

pub fn stat_row(cx: &Ctx, label: String, stats: &Option<Stats>) -> StatRow {
    let f = |g: fn(&Stats) -> f64| {
        stats
            .as_ref()
            .map_or_else(|| cx.tr("no_data"), |s| cx.score(g(s)))
    };
    StatRow {
        label,
        mean: f(|s| s.mean),
        median: f(|s| s.median),
        min: f(|s| s.min),
        max: f(|s| s.max),
    }
}

/// The ranking table: every assessed district, best first.
fn ranking(cx: &Ctx, y: YearId) -> Vec<RankRow> {
    let (r, rubric, number) = (
        cx.year_results(y),
        &cx.site.year(y).rubric,
        cx.site.year(y).year,
    );
    r.ranked()
        .filter_map(|d| {
            let s = r.score(d)?;
            Some(RankRow {
                rank: r.rank_of(d)?,
                district: cx.district_link(number, d),
                final_score: cx.score(s.final_score),
                category: rubric.categories[s.category].label.clone(),
                category_index: s.category,
                components: s
                    .components
                    .iter()
                    .zip(r.component_ranks_of(d))
                    .map(|(v, rank)| ScoreRank {
                        score: cx.score(*v),
                        rank: rank.map_or_else(String::new, |r| r.to_string()),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The province's statistics: the final score, each component, each action.
fn stats(cx: &Ctx, y: YearId) -> Vec<StatRow> {
    let (r, rubric) = (cx.year_results(y), &cx.site.year(y).rubric);
    let mut stats = vec![stat_row(cx, cx.tr("final_score"), &r.province.final_score)];
    stats.extend(
        rubric
            .components
            .iter()
            .zip(&r.province.components)
            .map(|(c, s)| stat_row(cx, c.name.clone(), s)),
    );
    stats.extend(
        rubric
            .actions
            .iter()
            .zip(&r.province.actions)
            .map(|(a, s)| {
                stat_row(
                    cx,
                    format!("{} {}. {}", cx.tr("action"), a.number, a.name),
                    s,
                )
            }),
    );
    stats
}

/// How many districts fall in each category.
fn category_counts(cx: &Ctx, y: YearId) -> Vec<CategoryCount> {
    let (r, rubric) = (cx.year_results(y), &cx.site.year(y).rubric);
    rubric
        .categories
        .iter()
        .zip(&r.province.categories)
        .enumerate()
        .map(|(i, (c, n))| CategoryCount {
            label: c.label.clone(),
            min: cx.short(c.min),
            count: *n,
            color: charts::hex(charts::category_rgb(&rubric.categories, i)),
        })
        .collect()
}

/// The year's awards, each with its district and reason.
fn awards(cx: &Ctx, y: YearId) -> Vec<AwardEntry> {
    let year = cx.site.year(y);
    let year_url = cx.urls.year(year.year);
    year.meta
        .awards
        .iter()
        .map(|a| AwardEntry {
            title: a.title.clone(),
            district: cx.district_link(year.year, a.district),
            reason_html: a
                .reason
                .as_deref()
                .map(|m| crate::markdown::render_inline(m, &year_url, &cx.urls.root)),
        })
        .collect()
}

pub fn year_page(cx: &Ctx, y: YearId) -> YearPage {
    let year = cx.site.year(y);
    let r = cx.year_results(y);
    let rubric = &year.rubric;
    let number = year.year;
    let year_url = cx.urls.year(number);
    YearPage {
        layout: cx.layout(cx.heading(year), year_url.clone(), cx.year_crumbs(number)),
        year: number,
        heading: cx.heading(year),
        rubric_title: rubric.title.clone(),
        plenary_date: year
            .meta
            .plenary
            .as_ref()
            .and_then(|p| p.date)
            .map(|d| cx.date(d)),
        decree: year.meta.plenary.as_ref().and_then(|p| p.decree.clone()),
        assessed: r.province.assessed,
        total: cx.site.districts.len(),
        components: rubric
            .components
            .iter()
            .map(|c| ComponentHead {
                key: c.key.clone(),
                name: c.name.clone(),
                weight: cx.short(c.weight),
            })
            .collect(),
        ranking: ranking(cx, y),
        not_assessed: cx
            .site
            .district_ids()
            .filter(|&d| year.entry(d).is_none())
            .map(|d| cx.district_link(number, d))
            .collect(),
        top: top_three(cx, y),
        awards: awards(cx, y),
        map_final: super::map::final_map(cx, y, "map-final"),
        map_prevalence: super::map::prevalence_map(cx, y, "map-prev"),
        chart_final: page_charts::final_ranked(cx, y),
        chart_heat: page_charts::action_heatmap(cx, y),
        chart_prevalence: page_charts::final_vs_prevalence(cx, y),
        chart_trend: page_charts::province_trend(cx, y),
        stats: stats(cx, y),
        categories: category_counts(cx, y),
        narrative_html: year
            .narrative
            .as_deref()
            .map(|m| crate::markdown::render_under(m, &year_url, &cx.urls.root, 3)),
        practice_url: cx.urls.practice(number),
        data_json: cx.urls.data(number, "json"),
        data_csv: cx.urls.data(number, "csv"),
        corrections: super::ralat_views(cx, y, None),
        archive: None,
    }
}
