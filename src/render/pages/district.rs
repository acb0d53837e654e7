//! A district's feedback page for one year: `/<year>/<slug>/`.

use serde::Serialize;

use super::charts::{self as page_charts, ChartBlock, Table};
use super::{Ctx, Layout, Link};
use crate::content::{Answer, DistrictYear, FollowUp, IndicatorKind, Innovation};
use crate::format;
use crate::render::charts::{self, Group, PALETTE};
use crate::score::{gains, indicator_points, next_grade, previous_assessed, to_next_category};

/// How many indicator moves the district page lists, most points first.
const GAINS_SHOWN: usize = 5;

#[derive(Serialize)]
pub struct DistrictPage {
    pub layout: Layout,
    /// Where the district lies, when the site has a map.
    pub locator: Option<super::map::MapBlock>,
    pub year: i32,
    pub heading: String,
    pub name: String,
    pub code: String,
    pub kind: String,
    pub assessed_on: Option<String>,
    pub final_score: String,
    pub category: String,
    pub category_color: String,
    pub rank: u32,
    pub rank_of: usize,
    pub top_title: Option<String>,
    /// "3,77 poin lagi menuju Sangat Baik", or that it is the top category.
    pub next_category: String,
    /// Indicator moves, most final-score points first.
    pub gains: Vec<GainView>,
    /// The page in one sentence, for `meta name="description"`.
    pub description: String,
    /// "Tindak lanjut hasil penilaian 2022: 2 dari 3 selesai", when there is a plan.
    pub follow_up_line: Option<String>,
    pub change: Option<Change>,
    /// The headline in plain words, then the change and the weakest actions.
    pub summary: Vec<String>,
    pub components: Vec<ComponentRow>,
    /// Whether `improve_first` lists actions below the province median.
    pub below_median: bool,
    pub improve_first: Vec<Improve>,
    pub actions: Vec<ActionView>,
    pub chart_actions: ChartBlock,
    pub chart_history: ChartBlock,
    pub chart_components: Option<ChartBlock>,
    pub innovations: Vec<InnovationView>,
    pub follow_up_prev: Option<FollowUpBlock>,
    pub follow_up_plan: Vec<FollowUpRow>,
    pub prevalence: Option<Measure>,
    pub coverage: Vec<CoverageRow>,
    pub budget: Option<Measure>,
    pub narrative_html: Option<String>,
    pub year_url: String,
    pub region_url: String,
    pub practice_url: String,
    /// Ralat concerning this district; empty when none.
    pub corrections: Vec<super::RalatView>,
}

#[derive(Serialize)]
pub struct Change {
    pub since: String,
    pub previous_year: i32,
    pub previous_url: String,
    pub final_previous: String,
    pub final_delta: String,
    /// "up", "down" or "same", for styling and words.
    pub direction: &'static str,
    pub rank_previous: u32,
    pub rank_text: String,
    pub prevalence_previous: Option<String>,
    pub prevalence_delta: Option<String>,
}

#[derive(Serialize)]
pub struct ComponentRow {
    pub name: String,
    pub weight: String,
    pub score: String,
    pub rank: String,
    pub median: String,
}

#[derive(Serialize)]
pub struct Improve {
    pub number: u32,
    pub name: String,
    pub score: String,
    pub median: String,
    pub teacher: Option<Link>,
    pub teacher_score: Option<String>,
    pub practice_url: String,
    pub next_steps: Vec<String>,
}

#[derive(Serialize)]
pub struct GainView {
    pub number: u32,
    pub key: String,
    pub text: String,
    /// "naik satu tingkat (B): +0,75" and, when different, "nilai penuh: +1,50".
    pub step: String,
    pub full: Option<String>,
}

#[derive(Serialize)]
pub struct ActionView {
    pub number: u32,
    pub name: String,
    pub weight: String,
    pub score: String,
    pub median: String,
    pub best: String,
    pub below_median: bool,
    pub indicators: Vec<IndicatorView>,
    pub strengths: Vec<String>,
    pub improvements: Vec<String>,
}

#[derive(Serialize)]
pub struct IndicatorView {
    pub key: String,
    pub text: String,
    /// "2 / 3" or the grade letter.
    pub result: String,
    /// For a grade: its text.
    pub result_text: Option<String>,
    pub full: bool,
    /// The next grade up: "A: 100% lokasi prioritas ...".
    pub next: Option<String>,
}

#[derive(Serialize)]
pub struct InnovationView {
    pub title: String,
    pub actions: String,
    pub summary_html: String,
    pub image: Option<String>,
    pub district: Option<Link>,
}

#[derive(Serialize)]
pub struct FollowUpBlock {
    pub heading: String,
    pub items: Vec<FollowUpRow>,
}

#[derive(Serialize)]
pub struct FollowUpRow {
    pub action: String,
    pub plan: String,
    pub due: Option<String>,
    pub status: &'static str,
    pub status_label: String,
}

#[derive(Serialize)]
pub struct Measure {
    pub value: String,
    pub source: Option<String>,
}

#[derive(Serialize)]
pub struct CoverageRow {
    pub name: String,
    pub value: String,
    pub kind: Option<String>,
}

pub fn innovation_view(
    cx: &Ctx,
    year: i32,
    inn: &Innovation,
    district: Option<Link>,
    heading_level: u8,
) -> InnovationView {
    let year_url = cx.urls.year(year);
    InnovationView {
        title: inn.title.clone(),
        actions: inn
            .actions
            .iter()
            .map(|n| format!("{} {n}", cx.tr("action")))
            .collect::<Vec<_>>()
            .join(", "),
        summary_html: crate::markdown::render_under(
            &inn.summary,
            &year_url,
            &cx.urls.root,
            heading_level,
        ),
        image: inn.image.as_ref().map(|p| format!("{year_url}{p}")),
        district,
    }
}

fn follow_up_rows(
    cx: &Ctx,
    rubric: &crate::content::Rubric,
    items: &[FollowUp],
) -> Vec<FollowUpRow> {
    items
        .iter()
        .map(|f| FollowUpRow {
            action: match rubric.action_index(f.action) {
                Some(i) => format!(
                    "{} {}. {}",
                    cx.tr("action"),
                    f.action,
                    rubric.actions[i].name
                ),
                None => format!("{} {}", cx.tr("action"), f.action),
            },
            plan: f.plan.clone(),
            due: f.due.map(|d| cx.date(d)),
            status: f.status.key(),
            status_label: cx.status_label(f.status),
        })
        .collect()
}

/// The rank change with both denominators: "naik 2 peringkat (6 dari 9 → 4
/// dari 9)"; when the number assessed changed, only "peringkat 4 dari 5 → 4
/// dari 9", as places up or down among different fields mean little.
fn rank_words(cx: &Ctx, previous: (u32, usize), now: (u32, usize)) -> String {
    use std::cmp::Ordering::*;
    let from_to = cx.trf(
        "rank_from_to",
        &[
            ("previous", &previous.0.to_string()),
            ("previous_of", &previous.1.to_string()),
            ("now", &now.0.to_string()),
            ("now_of", &now.1.to_string()),
        ],
    );
    if previous.1 != now.1 {
        return from_to;
    }
    let words = match now.0.cmp(&previous.0) {
        Less => cx.trf(
            "rank_change_up",
            &[("n", &(previous.0 - now.0).to_string())],
        ),
        Greater => cx.trf(
            "rank_change_down",
            &[("n", &(now.0 - previous.0).to_string())],
        ),
        Equal => cx.tr("rank_change_same"),
    };
    format!(
        "{words} ({})",
        cx.trf(
            "rank_from_to_short",
            &[
                ("previous", &previous.0.to_string()),
                ("now", &now.0.to_string()),
                ("of", &now.1.to_string())
            ]
        )
    )
}

pub fn district_page(cx: &Ctx, yi: usize, d: usize) -> Option<DistrictPage> {
    let year = &cx.site.years[yi];
    let r = &cx.results[yi];
    let entry: &DistrictYear = year.entries[d].as_ref()?;
    let s = r.scores[d].as_ref()?;
    let rubric = &year.rubric;
    let district = &cx.site.districts[d];
    let y = year.year;
    let lang = cx.lang();
    let path = cx.urls.district(y, &district.slug);

    let change = previous_assessed(cx.site, yi, d).and_then(|py| {
        let prev_year = &cx.site.years[py];
        let ps = cx.results[py].scores[d].as_ref()?;
        let prev_rank = cx.results[py].rank[d]?;
        let delta = s.final_score - ps.final_score;
        let prev_prev = prev_year.entries[d]
            .as_ref()
            .and_then(|e| e.prevalence.as_ref());
        Some(Change {
            since: cx.trf("since", &[("year", &prev_year.year.to_string())]),
            previous_year: prev_year.year,
            previous_url: cx.urls.district(prev_year.year, &district.slug),
            final_previous: cx.score(ps.final_score),
            final_delta: format::signed(delta, lang),
            direction: match format::cents(delta) {
                c if c > 0 => "up",
                c if c < 0 => "down",
                _ => "same",
            },
            rank_previous: prev_rank,
            rank_text: rank_words(
                cx,
                (prev_rank, cx.results[py].province.assessed),
                (r.rank[d]?, r.province.assessed),
            ),
            prevalence_previous: prev_prev.map(|p| cx.short(p.value)),
            prevalence_delta: match (prev_prev, &entry.prevalence) {
                (Some(a), Some(b)) => Some(format::signed(b.value - a.value, lang)),
                _ => None,
            },
        })
    });

    let median = |a: usize| r.province.actions[a].map_or(0.0, |st| st.median);
    let best = |a: usize| r.province.actions[a].map_or(0.0, |st| st.max);

    let actions: Vec<ActionView> = rubric
        .actions
        .iter()
        .enumerate()
        .map(|(a, action)| ActionView {
            number: action.number,
            name: action.name.clone(),
            weight: cx.short(action.weight),
            score: cx.score(s.actions[a]),
            median: cx.score(median(a)),
            best: cx.score(best(a)),
            below_median: r.learn_from[d].iter().any(|l| l.action == a),
            indicators: action
                .indicators
                .iter()
                .zip(&entry.answers[a])
                .map(|(ind, &answer)| {
                    let (earned, max) = indicator_points(ind, answer);
                    let (result, result_text) = match (&ind.kind, answer) {
                        (IndicatorKind::Graded { grades }, Answer::Grade(g)) => {
                            (grades[g].grade.clone(), Some(grades[g].text.clone()))
                        }
                        _ => (format!("{} / {}", cx.short(earned), cx.short(max)), None),
                    };
                    IndicatorView {
                        key: ind.key.clone(),
                        text: ind.text.clone(),
                        result,
                        result_text,
                        full: earned >= max,
                        next: next_grade(ind, answer).map(|g| format!("{}: {}", g.grade, g.text)),
                    }
                })
                .collect(),
            strengths: entry
                .feedback
                .get(a)
                .map(|f| f.strengths.clone())
                .unwrap_or_default(),
            improvements: entry
                .feedback
                .get(a)
                .map(|f| f.improvements.clone())
                .unwrap_or_default(),
        })
        .collect();

    // Actions below the province median, and always the district's two lowest
    // actions short of full marks; each with whom to learn from: the
    // province's best district on it, when that one scores higher.
    let mut targets: Vec<(usize, Option<usize>)> = r.learn_from[d]
        .iter()
        .map(|l| (l.action, Some(l.district)))
        .collect();
    let mut open: Vec<usize> = (0..rubric.actions.len())
        .filter(|&a| format::cents(s.actions[a]) < 10_000)
        .collect();
    open.sort_by(|&a, &b| s.actions[a].total_cmp(&s.actions[b]));
    for a in open.into_iter().take(2) {
        if !targets.iter().any(|t| t.0 == a) {
            targets.push((a, None));
        }
    }
    for (a, teacher) in &mut targets {
        if teacher.is_none() {
            *teacher = r.best_practice[*a].iter().copied().find(|&t| {
                t != d
                    && r.scores[t].as_ref().is_some_and(|ts| {
                        format::cents(ts.actions[*a]) > format::cents(s.actions[*a])
                    })
            });
        }
    }
    targets.sort_by(|a, b| s.actions[a.0].total_cmp(&s.actions[b.0]));
    let improve_first: Vec<Improve> = targets
        .into_iter()
        .map(|(a, teacher)| {
            let action = &rubric.actions[a];
            let view = &actions[a];
            let mut next_steps: Vec<String> = view.improvements.clone();
            next_steps.extend(view.indicators.iter().filter_map(|i| {
                i.next
                    .as_ref()
                    .map(|n| format!("{} {}: {n}", i.key, i.text))
            }));
            Improve {
                number: action.number,
                name: action.name.clone(),
                score: cx.score(s.actions[a]),
                median: cx.score(median(a)),
                teacher: teacher.map(|t| Link {
                    href: format!(
                        "{}#aksi-{}",
                        cx.urls.district(y, &cx.site.districts[t].slug),
                        action.number
                    ),
                    label: cx.site.districts[t].name.clone(),
                }),
                teacher_score: teacher
                    .and_then(|t| r.scores[t].as_ref())
                    .map(|t| cx.score(t.actions[a])),
                practice_url: cx.urls.practice_action(y, action.number),
                next_steps,
            }
        })
        .collect();

    let series = vec![
        (district.name.clone(), PALETTE[0]),
        (cx.tr("province_median"), PALETTE[1]),
        (cx.tr("province_best"), PALETTE[2]),
    ];
    let groups: Vec<Group> = rubric
        .actions
        .iter()
        .enumerate()
        .map(|(a, action)| Group {
            label: format!("{}. {}", action.number, action.name),
            values: vec![
                (s.actions[a], cx.score(s.actions[a])),
                (median(a), cx.score(median(a))),
                (best(a), cx.score(best(a))),
            ],
        })
        .collect();
    let desc = actions
        .iter()
        .map(|a| {
            format!(
                "{} {}: {} ({} {}, {} {})",
                cx.tr("action"),
                a.number,
                a.score,
                cx.tr("median").to_lowercase(),
                a.median,
                cx.tr("max").to_lowercase(),
                a.best
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let chart_actions = charts::grouped_bars(
        &format!("actions-{y}-{}", district.slug),
        &cx.tr("chart_actions_title"),
        &desc,
        &groups,
        &series,
    );

    let prev_follow_up = previous_assessed(cx.site, yi, d).and_then(|py| {
        let prev = cx.site.years[py].entries[d].as_ref()?;
        (!prev.follow_up.is_empty()).then(|| FollowUpBlock {
            heading: cx.trf(
                "follow_up_prev",
                &[("year", &cx.site.years[py].year.to_string())],
            ),
            items: follow_up_rows(cx, &cx.site.years[py].rubric, &prev.follow_up),
        })
    });

    let mut summary = vec![cx.trf(
        "summary_sentence",
        &[
            ("name", &district.name),
            ("final", &cx.score(s.final_score)),
            ("category", &rubric.categories[s.category].label),
            ("rank", &r.rank[d]?.to_string()),
            ("of", &r.province.assessed.to_string()),
        ],
    )];
    if let Some(c) = &change {
        let delta = format::score(
            (s.final_score
                - cx.results[previous_assessed(cx.site, yi, d)?].scores[d]
                    .as_ref()?
                    .final_score)
                .abs(),
            lang,
        );
        let key = format!("change_{}", c.direction);
        summary.push(cx.trf(
            &key,
            &[
                ("delta", &delta),
                ("year", &c.previous_year.to_string()),
                ("previous", &c.final_previous),
                ("rank_text", &c.rank_text),
            ],
        ));
    }
    let mut weakest: Vec<(f64, String)> = rubric
        .actions
        .iter()
        .zip(&s.actions)
        .map(|(a, &v)| {
            (
                v,
                format!(
                    "{} {}. {} ({})",
                    cx.tr("action"),
                    a.number,
                    a.name,
                    cx.score(v)
                ),
            )
        })
        .collect();
    weakest.sort_by(|a, b| a.0.total_cmp(&b.0));
    let lowest = weakest.first().map(|w| format::cents(w.0));
    let weakest: Vec<String> = weakest
        .into_iter()
        .take_while(|w| Some(format::cents(w.0)) == lowest)
        .map(|w| w.1)
        .take(3)
        .collect();
    let spread = s.actions.iter().any(|&v| Some(format::cents(v)) != lowest);
    if spread && !weakest.is_empty() {
        summary.push(cx.trf("weakest_sentence", &[("actions", &weakest.join(", "))]));
    }

    // The summary's one line on the follow-up: the previous plan's progress,
    // or this year's plan when there is no earlier one.
    let follow_up_plan = follow_up_rows(cx, rubric, &entry.follow_up);
    let (fu_heading, fu_items) = match &prev_follow_up {
        Some(b) => (b.heading.clone(), &b.items),
        None => (cx.tr("follow_up_plan"), &follow_up_plan),
    };
    let follow_up_line = (!fu_items.is_empty()).then(|| {
        let done = fu_items.iter().filter(|f| f.status == "done").count();
        cx.trf(
            "follow_up_line",
            &[
                ("heading", &fu_heading),
                ("done", &done.to_string()),
                ("total", &fu_items.len().to_string()),
            ],
        )
    });

    let description = cx.trf(
        "meta_district",
        &[
            ("province", &cx.site.config.province.name),
            ("name", &district.name),
            ("final", &cx.score(s.final_score)),
            ("category", &rubric.categories[s.category].label),
            ("rank", &r.rank[d]?.to_string()),
            ("of", &r.province.assessed.to_string()),
            (
                "change",
                &match &change {
                    Some(c) => cx.trf(
                        &format!("meta_change_{}", c.direction),
                        &[
                            ("delta", c.final_delta.trim_start_matches(['+', '-', '−'])),
                            ("year", &c.previous_year.to_string()),
                        ],
                    ),
                    None => cx.tr("meta_first"),
                },
            ),
        ],
    );

    let year_url = cx.urls.year(y);
    Some(DistrictPage {
        description,
        locator: super::map::locator_map(cx, yi, d),
        layout: cx.layout(
            format!("{} — {}", district.name, cx.heading(year)),
            path,
            {
                let mut c = cx.year_crumbs(y);
                c.push(Link {
                    href: cx.urls.district(y, &district.slug),
                    label: district.name.clone(),
                });
                c
            },
        ),
        year: y,
        heading: cx.heading(year),
        name: district.name.clone(),
        code: district.code.clone(),
        kind: cx.tr(match district.kind {
            crate::content::DistrictKind::Kabupaten => "kabupaten",
            crate::content::DistrictKind::Kota => "kota",
        }),
        assessed_on: entry.assessed_on.map(|d| cx.date(d)),
        final_score: cx.score(s.final_score),
        category: rubric.categories[s.category].label.clone(),
        category_color: charts::hex(charts::category_rgb(&rubric.categories, s.category)),
        rank: r.rank[d]?,
        rank_of: r.province.assessed,
        top_title: r.rank[d].and_then(|rk| cx.top_title(rk)),
        next_category: match to_next_category(&rubric.categories, s.final_score) {
            Some((c, missing)) => cx.trf(
                "to_next_category",
                &[
                    ("points", &cx.score(missing as f64 / 100.0)),
                    ("category", &rubric.categories[c].label),
                ],
            ),
            None => cx.tr("top_category"),
        },
        gains: gains(rubric, &entry.answers)
            .into_iter()
            .take(GAINS_SHOWN)
            .map(|g| {
                let action = &rubric.actions[g.action];
                let ind = &action.indicators[g.indicator];
                let plus = |x: f64| format!("+{} {}", cx.score(x), cx.tr("points"));
                let step_label = match (&ind.kind, g.next_grade) {
                    (IndicatorKind::Graded { grades }, Some(up)) => {
                        format!("{} ({})", cx.tr("gain_step"), grades[up].grade)
                    }
                    _ => cx.tr("gain_step"),
                };
                GainView {
                    number: action.number,
                    key: ind.key.clone(),
                    text: ind.text.clone(),
                    step: format!("{step_label}: {}", plus(g.step)),
                    full: (format::cents(g.full) != format::cents(g.step))
                        .then(|| format!("{}: {}", cx.tr("gain_full"), plus(g.full))),
                }
            })
            .collect(),
        change,
        summary,
        components: rubric
            .components
            .iter()
            .enumerate()
            .map(|(c, comp)| ComponentRow {
                name: comp.name.clone(),
                weight: cx.short(comp.weight),
                score: cx.score(s.components[c]),
                rank: r.component_ranks[d][c].map_or_else(String::new, |x| x.to_string()),
                median: r.province.components[c].map_or_else(String::new, |st| cx.score(st.median)),
            })
            .collect(),
        below_median: !r.learn_from[d].is_empty(),
        improve_first,
        chart_actions: ChartBlock {
            chart: chart_actions,
            table: Table {
                head: vec![
                    cx.tr("action"),
                    district.name.clone(),
                    cx.tr("province_median"),
                    cx.tr("province_best"),
                ],
                rows: actions
                    .iter()
                    .map(|a| {
                        vec![
                            format!("{}. {}", a.number, a.name),
                            a.score.clone(),
                            a.median.clone(),
                            a.best.clone(),
                        ]
                    })
                    .collect(),
            },
            note: None,
        },
        chart_history: page_charts::district_history(cx, yi, d),
        chart_components: page_charts::component_breakdown(cx, yi, d),
        actions,
        innovations: entry
            .innovations
            .iter()
            .map(|i| innovation_view(cx, y, i, None, 4))
            .collect(),
        follow_up_line,
        follow_up_prev: prev_follow_up,
        follow_up_plan,
        prevalence: entry.prevalence.as_ref().map(|p| Measure {
            value: format!("{}%", cx.short(p.value)),
            source: p.source.clone(),
        }),
        coverage: entry
            .coverage
            .iter()
            .map(|c| CoverageRow {
                name: c.name.clone(),
                value: format!("{}%", cx.short(c.value)),
                kind: c.kind.map(|k| {
                    cx.tr(match k {
                        crate::content::CoverageKind::Spesifik => "coverage_spesifik",
                        crate::content::CoverageKind::Sensitif => "coverage_sensitif",
                    })
                }),
            })
            .collect(),
        budget: entry.budget.as_ref().map(|b| Measure {
            value: format::rupiah(b.amount, lang),
            source: b.source.clone(),
        }),
        narrative_html: entry
            .narrative
            .as_deref()
            .map(|m| crate::markdown::render_under(m, &year_url, &cx.urls.root, 3)),
        region_url: cx.urls.region(&district.slug),
        practice_url: cx.urls.practice(y),
        year_url,
        corrections: super::ralat_views(cx, yi, Some(d)),
    })
}

/// The page at a district's address in a year it was not assessed, so
/// addresses stay valid and say why there is nothing.
#[derive(Serialize)]
pub struct NotAssessedPage {
    pub layout: Layout,
    pub locator: Option<super::map::MapBlock>,
    pub heading: String,
    pub name: String,
    pub text: String,
    pub year_url: String,
    pub region_url: String,
}

pub fn not_assessed_page(cx: &Ctx, yi: usize, d: usize) -> NotAssessedPage {
    let year = &cx.site.years[yi];
    let district = &cx.site.districts[d];
    let mut crumbs = cx.year_crumbs(year.year);
    crumbs.push(Link {
        href: cx.urls.district(year.year, &district.slug),
        label: district.name.clone(),
    });
    NotAssessedPage {
        locator: super::map::locator_map(cx, yi, d),
        layout: cx.layout(
            format!("{} — {}", district.name, cx.heading(year)),
            cx.urls.district(year.year, &district.slug),
            crumbs,
        ),
        heading: cx.heading(year),
        name: district.name.clone(),
        text: cx.trf(
            "not_assessed_text",
            &[("name", &district.name), ("year", &year.year.to_string())],
        ),
        year_url: cx.urls.year(year.year),
        region_url: cx.urls.region(&district.slug),
    }
}
