//! The charts of the pages, each with the same numbers as a table.

use serde::Serialize;

use super::Ctx;
use crate::content::Component;
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
pub fn final_ranked(cx: &Ctx, yi: usize) -> ChartBlock {
    let year = &cx.site.years[yi];
    let r = &cx.results[yi];
    let rubric = &year.rubric;
    let rows: Vec<(u32, usize, f64, usize)> = r
        .order
        .iter()
        .filter_map(|&d| {
            Some((
                r.rank[d]?,
                d,
                r.scores[d].as_ref()?.final_score,
                r.scores[d].as_ref()?.category,
            ))
        })
        .collect();
    let bars: Vec<Bar> = rows
        .iter()
        .map(|&(_, d, f, c)| Bar {
            label: cx.site.districts[d].name.clone(),
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
                cx.site.districts[d].name.clone(),
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
pub fn action_heatmap(cx: &Ctx, yi: usize) -> ChartBlock {
    let year = &cx.site.years[yi];
    let r = &cx.results[yi];
    let columns: Vec<String> = year
        .rubric
        .actions
        .iter()
        .map(|a| format!("{} {}", cx.tr("action"), a.number))
        .collect();
    let mut rows = Vec::new();
    let mut table = Vec::new();
    for &d in &r.order {
        let Some(s) = r.scores[d].as_ref() else {
            continue;
        };
        let name = cx.site.districts[d].name.clone();
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
pub fn final_vs_prevalence(cx: &Ctx, yi: usize) -> Option<ChartBlock> {
    let year = &cx.site.years[yi];
    let r = &cx.results[yi];
    let mut points = Vec::new();
    let mut table = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    for &d in &r.order {
        let (Some(s), Some(p)) = (
            r.scores[d].as_ref(),
            year.entries[d].as_ref().and_then(|e| e.prevalence.as_ref()),
        ) else {
            left_out.push(cx.site.districts[d].name.clone());
            continue;
        };
        let name = cx.site.districts[d].name.clone();
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

/// The province over the years up to `yi`: mean final score and prevalence.
/// The trend table in words, for screen readers.
fn trend_description(cx: &Ctx, table: &[Vec<String>]) -> String {
    table
        .iter()
        .map(|t| {
            format!(
                "{}: {} {}, {} {}",
                t[0],
                cx.tr("mean").to_lowercase(),
                t[1],
                cx.tr("prevalence").to_lowercase(),
                t[2]
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn province_trend(cx: &Ctx, yi: usize) -> ChartBlock {
    let years = &cx.site.years[..=yi];
    let labels: Vec<String> = years.iter().map(|y| y.year.to_string()).collect();
    let means: Vec<Option<(f64, String)>> = cx.results[..=yi]
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
    let desc = trend_description(cx, &table);
    let chart = charts::line_panels(
        &format!("trend-{}", years[yi].year),
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

/// One district over the years it was assessed, up to `yi`: final score, rank, prevalence.
/// Every year (index) from the district's first assessment to `yi`, those
/// not assessed included: the lines break there and the year is marked.
fn history_years(cx: &Ctx, yi: usize, d: usize) -> Vec<usize> {
    let mut first = Some(yi).filter(|&y| cx.site.years[y].entries[d].is_some());
    while let Some(y) = first.and_then(|y| previous_assessed(cx.site, y, d)) {
        first = Some(y);
    }
    first.map_or_else(Vec::new, |f| (f..=yi).collect())
}

/// A point of a line, with its text; `None` where there is none.
type Labelled = Option<(f64, String)>;

/// The district's final score, rank and prevalence in each of `years`.
fn history_points(cx: &Ctx, years: &[usize], d: usize) -> [Vec<Labelled>; 3] {
    let finals = years
        .iter()
        .map(|&y| {
            cx.results[y].scores[d]
                .as_ref()
                .map(|s| (s.final_score, cx.score(s.final_score)))
        })
        .collect();
    let ranks = years
        .iter()
        .map(|&y| {
            cx.results[y].rank[d].map(|r| {
                (
                    f64::from(r),
                    format!("{r}/{}", cx.results[y].province.assessed),
                )
            })
        })
        .collect();
    let prevalence = years
        .iter()
        .map(|&y| {
            cx.site.years[y].entries[d]
                .as_ref()?
                .prevalence
                .as_ref()
                .map(|p| (p.value, format!("{}%", cx.short(p.value))))
        })
        .collect();
    [finals, ranks, prevalence]
}

/// The history table in words, for screen readers.
fn history_description(cx: &Ctx, table: &[Vec<String>]) -> String {
    table
        .iter()
        .map(|t| {
            format!(
                "{}: {} {}, {} {}, {} {}",
                t[0],
                cx.tr("final_score").to_lowercase(),
                t[1],
                cx.tr("rank").to_lowercase(),
                t[2],
                cx.tr("prevalence").to_lowercase(),
                t[3]
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn district_history(cx: &Ctx, yi: usize, d: usize) -> ChartBlock {
    let district = &cx.site.districts[d];
    let years = history_years(cx, yi, d);
    let labels: Vec<String> = years
        .iter()
        .map(|&y| {
            let year = cx.site.years[y].year.to_string();
            if cx.site.years[y].entries[d].is_some() {
                year
            } else {
                format!("{year}\n{}", cx.tr("not_assessed"))
            }
        })
        .collect();
    let [finals, ranks, prevalence] = history_points(cx, &years, d);
    let most = years
        .iter()
        .map(|&y| cx.results[y].province.assessed)
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
    let desc = history_description(cx, &table);
    let chart = charts::line_panels(
        &format!("history-{}-{}", cx.site.years[yi].year, district.slug),
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

/// How each component adds to the final score.
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

pub fn component_breakdown(cx: &Ctx, yi: usize, d: usize) -> Option<ChartBlock> {
    let year = &cx.site.years[yi];
    let s = cx.results[yi].scores[d].as_ref()?;
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
        &format!("components-{}-{}", year.year, cx.site.districts[d].slug),
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
