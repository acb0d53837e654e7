//! The charts of the pages, each with the same numbers as a table.

use serde::Serialize;

use super::Ctx;
use crate::content::Component;
use crate::content::{DistrictId, YearId};
use crate::render::charts::{self, Bar, Chart, HeatRow, Panel, Point, Segment, Series, PALETTE};
use crate::score::cents;
use crate::score::previous_assessed;

/// A chart and its text alternative as a table.
#[derive(Serialize)]
pub struct ChartBlock {
    pub chart: Chart,
    pub table: Table,
    /// What the chart leaves out, said under it ("Tanpa angka prevalensi: …").
    pub note: Option<String>,
}

/// A table whose first cell in each row is the row's header.
#[derive(Serialize)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn block(chart: Chart, head: Vec<String>, rows: Vec<Vec<String>>) -> ChartBlock {
    ChartBlock {
        chart,
        table: Table { head, rows },
        note: None,
    }
}

/// Final score per district, in rank order, coloured by category.
pub fn final_ranked(cx: &Ctx, y: YearId) -> ChartBlock {
    let year = cx.site.year(y);
    let r = cx.year_results(y);
    let rubric = &year.rubric;
    let rows: Vec<(u32, DistrictId, f64, usize)> = r
        .ranked()
        .filter_map(|d| {
            Some((
                r.rank_of(d)?,
                d,
                r.score(d)?.final_score,
                r.score(d)?.category,
            ))
        })
        .collect();
    let bars: Vec<Bar> = rows
        .iter()
        .map(|&(_, d, f, c)| Bar {
            label: cx.site.district(d).name.clone(),
            value: f,
            value_text: cx.score(f),
            color: charts::category_rgb(&rubric.categories, c),
        })
        .collect();
    let legend: Vec<_> = rubric
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.label.clone(), charts::category_rgb(&rubric.categories, i)))
        .collect();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|&(rank, d, f, c)| {
            vec![
                cx.site.district(d).name.clone(),
                rank.to_string(),
                cx.score(f),
                rubric.categories[c].label.clone(),
            ]
        })
        .collect();
    let desc = table
        .iter()
        .map(|t| format!("{}. {}: {} ({})", t[1], t[0], t[2], t[3]))
        .collect::<Vec<_>>()
        .join("; ");
    let mean = r.province.final_score.map(|s| s.mean);
    let chart = charts::bars(
        &format!("final-{}", year.year),
        &format!("{} {}", cx.tr("chart_final_title"), year.year),
        &desc,
        &bars,
        mean.map(|m| (m, format!("{} {}", cx.tr("mean"), cx.score(m)))),
        &legend,
    );
    block(
        chart,
        vec![
            cx.tr("district"),
            cx.tr("rank"),
            cx.tr("final_score"),
            cx.tr("category"),
        ],
        table,
    )
}

/// Districts × actions, the score in each cell.
pub fn action_heatmap(cx: &Ctx, y: YearId) -> ChartBlock {
    let year = cx.site.year(y);
    let r = cx.year_results(y);
    let columns: Vec<String> = year
        .rubric
        .actions
        .iter()
        .map(|a| format!("{} {}", cx.tr("action"), a.number))
        .collect();
    let mut rows = Vec::new();
    let mut table = Vec::new();
    for d in r.ranked() {
        let Some(s) = r.score(d) else {
            continue;
        };
        let name = cx.site.district(d).name.clone();
        let values: Vec<Option<(f64, String)>> =
            s.actions.iter().map(|&v| Some((v, cx.score(v)))).collect();
        let mut row = vec![name.clone()];
        row.extend(values.iter().flatten().map(|(_, t)| t.clone()));
        table.push(row);
        rows.push(HeatRow {
            label: name,
            values,
        });
    }
    let desc = table
        .iter()
        .map(|row| format!("{}: {}", row[0], row[1..].join(", ")))
        .collect::<Vec<_>>()
        .join("; ");
    let chart = charts::heatmap(
        &format!("heat-{}", year.year),
        &format!("{} {}", cx.tr("chart_heat_title"), year.year),
        &desc,
        &columns,
        &rows,
    );
    let mut head = vec![cx.tr("district")];
    head.extend(columns);
    block(chart, head, table)
}

/// Final score against stunting prevalence, for districts that give it.
pub fn final_vs_prevalence(cx: &Ctx, y: YearId) -> Option<ChartBlock> {
    let year = cx.site.year(y);
    let r = cx.year_results(y);
    let mut points = Vec::new();
    let mut table = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    for d in r.ranked() {
        let (Some(s), Some(p)) = (
            r.score(d),
            year.entry(d).and_then(|e| e.prevalence.as_ref()),
        ) else {
            left_out.push(cx.site.district(d).name.clone());
            continue;
        };
        let name = cx.site.district(d).name.clone();
        if let Some(src) = &p.source {
            if !sources.contains(src) {
                sources.push(src.clone());
            }
        }
        table.push(vec![
            name.clone(),
            format!("{}%", cx.short(p.value)),
            cx.score(s.final_score),
        ]);
        points.push(Point {
            label: name,
            x: p.value,
            y: s.final_score,
            color: charts::category_rgb(&year.rubric.categories, s.category),
        });
    }
    if points.is_empty() {
        return None;
    }
    let source = if sources.is_empty() {
        String::new()
    } else {
        format!(" ({}: {})", cx.tr("source"), sources.join(", "))
    };
    let note = (!left_out.is_empty())
        .then(|| cx.trf("chart_left_out", &[("districts", &left_out.join(", "))]));
    let desc = format!(
        "{}{source}{}",
        table
            .iter()
            .map(|t| format!(
                "{}: {} {}, {} {}",
                t[0],
                cx.tr("prevalence").to_lowercase(),
                t[1],
                cx.tr("final_score").to_lowercase(),
                t[2]
            ))
            .collect::<Vec<_>>()
            .join("; "),
        note.as_ref().map_or_else(String::new, |n| format!(". {n}"))
    );
    let chart = charts::scatter(
        &format!("prev-{}", year.year),
        &format!("{} {}{source}", cx.tr("chart_prevalence_title"), year.year),
        &desc,
        &format!("{} (%){source}", cx.tr("prevalence")),
        &cx.tr("final_score"),
        &points,
    );
    let mut block = block(
        chart,
        vec![cx.tr("district"), cx.tr("prevalence"), cx.tr("final_score")],
        table,
    );
    block.note = note;
    Some(block)
}

/// A chart's table in words, for screen readers: per row, its first cell,
/// then each other cell after its column's name (translation key) in lower
/// case: `2024: mean 71.5, prevalence 10%`.
fn table_in_words(cx: &Ctx, table: &[Vec<String>], columns: &[&str]) -> String {
    table
        .iter()
        .map(|row| {
            let cells: Vec<String> = columns
                .iter()
                .zip(&row[1..])
                .map(|(key, cell)| format!("{} {cell}", cx.tr(key).to_lowercase()))
                .collect();
            format!("{}: {}", row[0], cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The province over the years up to `y`: mean final score and prevalence.
pub fn province_trend(cx: &Ctx, y: YearId) -> ChartBlock {
    let years = &cx.site.years[..=y.0];
    let labels: Vec<String> = years.iter().map(|y| y.year.to_string()).collect();
    let means: Vec<Option<(f64, String)>> = cx.results[..=y.0]
        .iter()
        .map(|r| r.province.final_score.map(|s| (s.mean, cx.score(s.mean))))
        .collect();
    let prevalence: Vec<Option<(f64, String)>> = years
        .iter()
        .map(|y| {
            y.meta
                .prevalence
                .as_ref()
                .map(|p| (p.value, format!("{}%", cx.short(p.value))))
        })
        .collect();
    let mut panels = vec![score_panel(
        format!(
            "{} ({})",
            cx.tr("final_score"),
            cx.tr("mean").to_lowercase()
        ),
        &means,
    )];
    panels.extend(prevalence_panel(
        format!("{} (%)", cx.tr("province_prevalence")),
        &prevalence,
    ));
    let table: Vec<Vec<String>> = labels
        .iter()
        .zip(means.iter().zip(&prevalence))
        .zip(years)
        .map(|((label, (m, p)), y)| {
            let source = y
                .meta
                .prevalence
                .as_ref()
                .and_then(|p| p.source.clone())
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            vec![
                label.clone(),
                m.as_ref()
                    .map_or_else(|| cx.tr("no_data"), |(_, t)| t.clone()),
                p.as_ref()
                    .map_or_else(|| cx.tr("no_data"), |(_, t)| format!("{t}{source}")),
            ]
        })
        .collect();
    let desc = table_in_words(cx, &table, &["mean", "prevalence"]);
    let chart = charts::line_panels(
        &format!("trend-{}", cx.site.year(y).year),
        &cx.tr("chart_trend_title"),
        &desc,
        &labels,
        &panels,
    );
    block(
        chart,
        vec![
            cx.tr("year"),
            format!(
                "{} ({})",
                cx.tr("final_score"),
                cx.tr("mean").to_lowercase()
            ),
            cx.tr("province_prevalence"),
        ],
        table,
    )
}

/// Every year from the district's first assessment to `y`, those
/// not assessed included: the lines break there and the year is marked.
fn history_years(cx: &Ctx, y: YearId, d: DistrictId) -> Vec<YearId> {
    let mut first = Some(y).filter(|&y| cx.site.year(y).entry(d).is_some());
    while let Some(y) = first.and_then(|y| previous_assessed(cx.site, y, d)) {
        first = Some(y);
    }
    first.map_or_else(Vec::new, |f| (f.0..=y.0).map(YearId).collect())
}

/// A point of a line, with its text; `None` where there is none.
type Labelled = Option<(f64, String)>;

/// The district's final score, rank and prevalence in each of `years`.
fn history_points(cx: &Ctx, years: &[YearId], d: DistrictId) -> [Vec<Labelled>; 3] {
    let finals = years
        .iter()
        .map(|&y| {
            cx.year_results(y)
                .score(d)
                .map(|s| (s.final_score, cx.score(s.final_score)))
        })
        .collect();
    let ranks = years
        .iter()
        .map(|&y| {
            cx.year_results(y).rank_of(d).map(|r| {
                (
                    f64::from(r),
                    format!("{r}/{}", cx.year_results(y).province.assessed),
                )
            })
        })
        .collect();
    let prevalence = years
        .iter()
        .map(|&y| {
            cx.site
                .year(y)
                .entry(d)?
                .prevalence
                .as_ref()
                .map(|p| (p.value, format!("{}%", cx.short(p.value))))
        })
        .collect();
    [finals, ranks, prevalence]
}

/// One district over the years it was assessed, up to `y`: final score, rank, prevalence.
pub fn district_history(cx: &Ctx, y: YearId, d: DistrictId) -> ChartBlock {
    let district = cx.site.district(d);
    let years = history_years(cx, y, d);
    let labels: Vec<String> = years
        .iter()
        .map(|&y| {
            let year = cx.site.year(y).year.to_string();
            if cx.site.year(y).entry(d).is_some() {
                year
            } else {
                format!("{year}\n{}", cx.tr("not_assessed"))
            }
        })
        .collect();
    let [finals, ranks, prevalence] = history_points(cx, &years, d);
    let most = years
        .iter()
        .map(|&y| cx.year_results(y).province.assessed)
        .max()
        .unwrap_or(1)
        .max(2);
    let mut panels = vec![
        score_panel(cx.tr("final_score"), &finals),
        Panel {
            title: cx.tr("rank"),
            lo: 1.0,
            hi: most as f64,
            inverted: true,
            series: vec![Series {
                color: PALETTE[4],
                points: ranks.clone(),
            }],
        },
    ];
    panels.extend(prevalence_panel(
        format!("{} (%)", cx.tr("prevalence")),
        &prevalence,
    ));
    let show = |v: &Option<(f64, String)>| {
        v.as_ref()
            .map_or_else(|| cx.tr("no_data"), |(_, t)| t.clone())
    };
    let table: Vec<Vec<String>> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                l.clone(),
                show(&finals[i]),
                show(&ranks[i]),
                show(&prevalence[i]),
            ]
        })
        .collect();
    let desc = table_in_words(cx, &table, &["final_score", "rank", "prevalence"]);
    let chart = charts::line_panels(
        &format!("history-{}-{}", cx.site.year(y).year, district.slug),
        &format!("{}: {}", district.name, cx.tr("chart_history_title")),
        &desc,
        &labels,
        &panels,
    );
    block(
        chart,
        vec![
            cx.tr("year"),
            cx.tr("final_score"),
            cx.tr("rank"),
            cx.tr("prevalence"),
        ],
        table,
    )
}

/// Each component as a segment of the final score: its weight, its score.
fn component_segments(components: &[Component], scores: &[f64]) -> Vec<Segment> {
    components
        .iter()
        .zip(scores)
        .enumerate()
        .map(|(i, (c, &v))| Segment {
            label: c.name.clone(),
            weight: c.weight,
            score: v,
            color: PALETTE[[0, 1, 2, 4, 5, 6, 3, 7][i % 8]],
        })
        .collect()
}

/// How each component adds to the final score.
pub fn component_breakdown(cx: &Ctx, y: YearId, d: DistrictId) -> Option<ChartBlock> {
    let year = cx.site.year(y);
    let s = cx.year_results(y).score(d)?;
    let rubric = &year.rubric;
    let segments = component_segments(&rubric.components, &s.components);
    let of = cx.tr("out_of");
    let legend: Vec<String> = rubric
        .components
        .iter()
        .zip(&s.components)
        .map(|(c, &v)| {
            format!(
                "{} {of} {} ({} {})",
                cx.score(c.weight * v / 100.0),
                cx.short(c.weight),
                cx.tr("score").to_lowercase(),
                cx.score(v)
            )
        })
        .collect();
    let table: Vec<Vec<String>> = rubric
        .components
        .iter()
        .zip(&s.components)
        .map(|(c, &v)| {
            vec![
                c.name.clone(),
                cx.short(c.weight),
                cx.score(v),
                cx.score(c.weight * v / 100.0),
            ]
        })
        .collect();
    let desc = format!(
        "{} {}: {}",
        cx.tr("final_score"),
        cx.score(s.final_score),
        rubric
            .components
            .iter()
            .zip(&legend)
            .map(|(c, l)| format!("{} {l}", c.name))
            .collect::<Vec<_>>()
            .join("; ")
    );
    debug_assert_eq!(
        cents(s.final_score),
        cents(
            rubric
                .components
                .iter()
                .zip(&s.components)
                .map(|(c, v)| c.weight * v / 100.0)
                .sum::<f64>()
        )
    );
    let chart = charts::breakdown(
        &format!("components-{}-{}", year.year, cx.site.district(d).slug),
        &cx.tr("chart_components_title"),
        &desc,
        &segments,
        &legend,
    );
    Some(block(
        chart,
        vec![
            cx.tr("component"),
            cx.tr("weight"),
            cx.tr("score"),
            cx.tr("contribution"),
        ],
        table,
    ))
}

/// A panel of scores over the years, from a round value below the lowest to 100.
fn score_panel(title: String, points: &[Option<(f64, String)>]) -> Panel {
    let lowest = points
        .iter()
        .flatten()
        .map(|(v, _)| *v)
        .fold(100.0, f64::min);
    Panel {
        title,
        lo: floor10(lowest - 5.0),
        hi: 100.0,
        inverted: false,
        series: vec![Series {
            color: PALETTE[0],
            points: points.to_vec(),
        }],
    }
}

/// A panel of prevalence over the years, when any year gives it.
fn prevalence_panel(title: String, points: &[Option<(f64, String)>]) -> Option<Panel> {
    let highest = points.iter().flatten().map(|(v, _)| *v).fold(0.0, f64::max);
    points.iter().any(Option::is_some).then(|| Panel {
        title,
        lo: 0.0,
        hi: ceil5(highest + 2.0),
        inverted: false,
        series: vec![Series {
            color: PALETTE[3],
            points: points.to_vec(),
        }],
    })
}

fn floor10(x: f64) -> f64 {
    ((x / 10.0).floor() * 10.0).clamp(0.0, 90.0)
}

fn ceil5(x: f64) -> f64 {
    ((x / 5.0).ceil() * 5.0).max(5.0)
}
