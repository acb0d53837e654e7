//! A district's feedback page for one year: `/<year>/<slug>/`.

use serde::Serialize;

use super::charts::{self as page_charts, ChartBlock, Table};
use super::{Ctx, Layout, Link};
use crate::content::{
    Answer, CoverageKind, District, DistrictKind, DistrictYear, FollowUp, Indicator, IndicatorKind,
    Innovation, Rubric, Year,
};
use crate::content::{DistrictId, YearId};
use crate::format;
use crate::render::charts::{self, Group, PALETTE};
use crate::score::{
    cents, gains, indicator_points, next_grade, previous_assessed, to_next_category,
    DistrictScores, YearResults,
};

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
    /// The difference without its sign, for sentences ("naik 2,10 poin").
    #[serde(skip)]
    pub points: String,
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

/// What every part of a district's page looks at: the year, the district,
/// its entry and its scores.
struct Subject<'a> {
    cx: &'a Ctx<'a>,
    y: YearId,
    d: DistrictId,
    year: &'a Year,
    results: &'a YearResults,
    entry: &'a DistrictYear,
    scores: &'a DistrictScores,
    district: &'a District,
}

impl<'a> Subject<'a> {
    fn new(cx: &'a Ctx<'a>, y: YearId, d: DistrictId) -> Option<Subject<'a>> {
        let year = cx.site.year(y);
        let results = cx.year_results(y);
        Some(Subject {
            cx,
            y,
            d,
            year,
            results,
            entry: year.entry(d)?,
            scores: results.score(d)?,
            district: cx.site.district(d),
        })
    }

    fn rubric(&self) -> &'a Rubric {
        &self.year.rubric
    }

    fn median(&self, a: usize) -> f64 {
        self.results.province.actions[a].map_or(0.0, |st| st.median)
    }

    fn best(&self, a: usize) -> f64 {
        self.results.province.actions[a].map_or(0.0, |st| st.max)
    }

    fn category(&self) -> &'a str {
        &self.rubric().categories[self.scores.category].label
    }
}

pub fn district_page(cx: &Ctx, y: YearId, d: DistrictId) -> Option<DistrictPage> {
    let p = Subject::new(cx, y, d)?;
    let (year, entry, s, district) = (p.year, p.entry, p.scores, p.district);
    let rubric = p.rubric();
    let number = year.year;
    let change = change(&p);
    let actions = action_views(&p);
    let improve_first = improve_first(&p, &actions);
    let chart_actions = actions_chart(&p, &actions);
    let follow_up_prev = previous_follow_up(&p);
    let follow_up_plan = follow_up_rows(cx, rubric, &entry.follow_up);
    let year_url = cx.urls.year(number);
    Some(DistrictPage {
        description: description(&p, change.as_ref())?,
        summary: summary(&p, change.as_ref())?,
        follow_up_line: follow_up_line(cx, follow_up_prev.as_ref(), &follow_up_plan),
        locator: super::map::locator_map(cx, y, d),
        layout: layout(cx, p.year, p.district),
        year: number,
        heading: cx.heading(year),
        name: district.name.clone(),
        code: district.code.clone(),
        kind: cx.tr(match district.kind {
            DistrictKind::Kabupaten => "kabupaten",
            DistrictKind::Kota => "kota",
        }),
        assessed_on: entry.assessed_on.map(|d| cx.date(d)),
        final_score: cx.score(s.final_score),
        category: p.category().to_string(),
        category_color: charts::hex(charts::category_rgb(&rubric.categories, s.category)),
        rank: p.results.rank_of(d)?,
        rank_of: p.results.province.assessed,
        top_title: p.results.rank_of(d).and_then(|rk| cx.top_title(rk)),
        next_category: next_category(&p),
        gains: gain_views(&p),
        change,
        components: component_rows(&p),
        below_median: !p.results.learn_from_of(d).is_empty(),
        improve_first,
        chart_actions,
        chart_history: page_charts::district_history(cx, y, d),
        chart_components: page_charts::component_breakdown(cx, y, d),
        actions,
        innovations: entry
            .innovations
            .iter()
            .map(|i| innovation_view(cx, number, i, None, 4))
            .collect(),
        follow_up_prev,
        follow_up_plan,
        prevalence: entry.prevalence.as_ref().map(|p| Measure {
            value: format!("{}%", cx.short(p.value)),
            source: p.source.clone(),
        }),
        coverage: coverage_rows(&p),
        budget: entry.budget.as_ref().map(|b| Measure {
            value: format::rupiah(b.amount, cx.separators()),
            source: b.source.clone(),
        }),
        narrative_html: entry
            .narrative
            .as_deref()
            .map(|m| crate::markdown::render_under(m, &year_url, &cx.urls.root, 3)),
        region_url: cx.urls.region(&district.slug),
        practice_url: cx.urls.practice(number),
        year_url,
        corrections: super::ralat_views(cx, y, Some(d)),
    })
}

/// The title, address and breadcrumbs of `district`'s page of `year`
/// (assessed or not).
fn layout(cx: &Ctx, year: &Year, district: &District) -> Layout {
    let path = cx.urls.district(year.year, &district.slug);
    let mut crumbs = cx.year_crumbs(year.year);
    crumbs.push(Link {
        href: path.clone(),
        label: district.name.clone(),
    });
    cx.layout(
        format!("{} — {}", district.name, cx.heading(year)),
        path,
        crumbs,
    )
}

/// The change since the district's previous assessed year, if any.
fn change(p: &Subject) -> Option<Change> {
    let (cx, d, r) = (p.cx, p.d, p.results);
    let py = previous_assessed(cx.site, p.y, d)?;
    let prev_year = cx.site.year(py);
    let ps = cx.year_results(py).score(d)?;
    let prev_rank = cx.year_results(py).rank_of(d)?;
    let delta = p.scores.final_score - ps.final_score;
    let prev_prev = prev_year.entry(d).and_then(|e| e.prevalence.as_ref());
    Some(Change {
        since: cx.trf("since", &[("year", &prev_year.year.to_string())]),
        previous_year: prev_year.year,
        previous_url: cx.urls.district(prev_year.year, &p.district.slug),
        final_previous: cx.score(ps.final_score),
        final_delta: cx.signed(delta),
        points: cx.score(delta.abs()),
        direction: match cents(delta) {
            c if c > 0 => "up",
            c if c < 0 => "down",
            _ => "same",
        },
        rank_previous: prev_rank,
        rank_text: rank_words(
            cx,
            (prev_rank, cx.year_results(py).province.assessed),
            (r.rank_of(d)?, r.province.assessed),
        ),
        prevalence_previous: prev_prev.map(|p| cx.short(p.value)),
        prevalence_delta: match (prev_prev, &p.entry.prevalence) {
            (Some(a), Some(b)) => Some(cx.signed(b.value - a.value)),
            _ => None,
        },
    })
}

/// Each action with its score, the province's median and best, its
/// indicators and the assessors' feedback.
fn action_views(p: &Subject) -> Vec<ActionView> {
    let cx = p.cx;
    let feedback = |a: usize| p.entry.feedback.get(a);
    p.rubric()
        .actions
        .iter()
        .enumerate()
        .map(|(a, action)| ActionView {
            number: action.number,
            name: action.name.clone(),
            weight: cx.short(action.weight),
            score: cx.score(p.scores.actions[a]),
            median: cx.score(p.median(a)),
            best: cx.score(p.best(a)),
            below_median: p.results.learn_from_of(p.d).iter().any(|l| l.action == a),
            indicators: action
                .indicators
                .iter()
                .zip(&p.entry.answers[a])
                .map(|(ind, &answer)| indicator_view(cx, ind, answer))
                .collect(),
            strengths: feedback(a).map(|f| f.strengths.clone()).unwrap_or_default(),
            improvements: feedback(a)
                .map(|f| f.improvements.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// One indicator's result and the next grade up.
fn indicator_view(cx: &Ctx, ind: &Indicator, answer: Answer) -> IndicatorView {
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
}

/// The actions to improve first (by action index, lowest score first),
/// each with whom to learn from: actions below the province median, and
/// always the district's two lowest actions short of full marks; the
/// teacher is the province's best district on it, when that one scores higher.
fn improvement_targets(p: &Subject) -> Vec<(usize, Option<DistrictId>)> {
    let (r, s, d) = (p.results, p.scores, p.d);
    let mut targets: Vec<(usize, Option<DistrictId>)> = r
        .learn_from_of(d)
        .iter()
        .map(|l| (l.action, Some(l.district)))
        .collect();
    let mut open: Vec<usize> = (0..p.rubric().actions.len())
        .filter(|&a| cents(s.actions[a]) < 10_000)
        .collect();
    open.sort_by(|&a, &b| s.actions[a].total_cmp(&s.actions[b]));
    for a in open.into_iter().take(2) {
        if !targets.iter().any(|t| t.0 == a) {
            targets.push((a, None));
        }
    }
    for (a, teacher) in &mut targets {
        if teacher.is_none() {
            *teacher = r.leaders(*a).find(|&t| {
                t != d
                    && r.score(t)
                        .is_some_and(|ts| cents(ts.actions[*a]) > cents(s.actions[*a]))
            });
        }
    }
    targets.sort_by(|a, b| s.actions[a.0].total_cmp(&s.actions[b.0]));
    targets
}

/// The "improve first" list: each target action with its next steps.
fn improve_first(p: &Subject, actions: &[ActionView]) -> Vec<Improve> {
    let (cx, y) = (p.cx, p.year.year);
    improvement_targets(p)
        .into_iter()
        .map(|(a, teacher)| {
            let action = &p.rubric().actions[a];
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
                score: cx.score(p.scores.actions[a]),
                median: cx.score(p.median(a)),
                teacher: teacher.map(|t| Link {
                    href: format!(
                        "{}#aksi-{}",
                        cx.urls.district(y, &cx.site.district(t).slug),
                        action.number
                    ),
                    label: cx.site.district(t).name.clone(),
                }),
                teacher_score: teacher
                    .and_then(|t| p.results.score(t))
                    .map(|t| cx.score(t.actions[a])),
                practice_url: cx.urls.practice_action(y, action.number),
                next_steps,
            }
        })
        .collect()
}

/// The district's action scores against the province's median and best,
/// as a chart and as a table.
fn actions_chart(p: &Subject, actions: &[ActionView]) -> ChartBlock {
    let cx = p.cx;
    let name = &p.district.name;
    let series = vec![
        (name.clone(), PALETTE[0]),
        (cx.tr("province_median"), PALETTE[1]),
        (cx.tr("province_best"), PALETTE[2]),
    ];
    let groups: Vec<Group> = p
        .rubric()
        .actions
        .iter()
        .enumerate()
        .map(|(a, action)| Group {
            label: format!("{}. {}", action.number, action.name),
            values: vec![
                (p.scores.actions[a], cx.score(p.scores.actions[a])),
                (p.median(a), cx.score(p.median(a))),
                (p.best(a), cx.score(p.best(a))),
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
    let chart = charts::grouped_bars(
        &format!("actions-{}-{}", p.year.year, p.district.slug),
        &cx.tr("chart_actions_title"),
        &desc,
        &groups,
        &series,
    );
    let rows = actions
        .iter()
        .map(|a| {
            let label = format!("{}. {}", a.number, a.name);
            vec![label, a.score.clone(), a.median.clone(), a.best.clone()]
        })
        .collect();
    let head = vec![
        cx.tr("action"),
        name.clone(),
        cx.tr("province_median"),
        cx.tr("province_best"),
    ];
    ChartBlock {
        chart,
        table: Table { head, rows },
        note: None,
    }
}

/// The follow-up planned in the district's previous assessed year, if any.
fn previous_follow_up(p: &Subject) -> Option<FollowUpBlock> {
    let cx = p.cx;
    let py = previous_assessed(cx.site, p.y, p.d)?;
    let prev = cx.site.year(py).entry(p.d)?;
    (!prev.follow_up.is_empty()).then(|| FollowUpBlock {
        heading: cx.trf(
            "follow_up_prev",
            &[("year", &cx.site.year(py).year.to_string())],
        ),
        items: follow_up_rows(cx, &cx.site.year(py).rubric, &prev.follow_up),
    })
}

/// The summary's sentences: the result, the change, the weakest actions.
fn summary(p: &Subject, change: Option<&Change>) -> Option<Vec<String>> {
    let (cx, s, r, d) = (p.cx, p.scores, p.results, p.d);
    let mut summary = vec![cx.trf(
        "summary_sentence",
        &[
            ("name", &p.district.name),
            ("final", &cx.score(s.final_score)),
            ("category", p.category()),
            ("rank", &r.rank_of(d)?.to_string()),
            ("of", &r.province.assessed.to_string()),
        ],
    )];
    if let Some(c) = change {
        let key = format!("change_{}", c.direction);
        summary.push(cx.trf(
            &key,
            &[
                ("delta", &c.points),
                ("year", &c.previous_year.to_string()),
                ("previous", &c.final_previous),
                ("rank_text", &c.rank_text),
            ],
        ));
    }
    summary.extend(weakest_sentence(p));
    Some(summary)
}

/// The (up to three) actions tied for the lowest score, unless every
/// action scores the same.
fn weakest_sentence(p: &Subject) -> Option<String> {
    let cx = p.cx;
    let s = p.scores;
    let mut weakest: Vec<(f64, String)> = p
        .rubric()
        .actions
        .iter()
        .zip(&s.actions)
        .map(|(a, &v)| {
            let label = format!(
                "{} {}. {} ({})",
                cx.tr("action"),
                a.number,
                a.name,
                cx.score(v)
            );
            (v, label)
        })
        .collect();
    weakest.sort_by(|a, b| a.0.total_cmp(&b.0));
    let lowest = weakest.first().map(|w| cents(w.0));
    let weakest: Vec<String> = weakest
        .into_iter()
        .take_while(|w| Some(cents(w.0)) == lowest)
        .map(|w| w.1)
        .take(3)
        .collect();
    let spread = s.actions.iter().any(|&v| Some(cents(v)) != lowest);
    (spread && !weakest.is_empty())
        .then(|| cx.trf("weakest_sentence", &[("actions", &weakest.join(", "))]))
}

/// The summary's one line on the follow-up: the previous plan's progress,
/// or this year's plan when there is no earlier one.
fn follow_up_line(
    cx: &Ctx,
    previous: Option<&FollowUpBlock>,
    plan: &[FollowUpRow],
) -> Option<String> {
    let (heading, items) = match previous {
        Some(b) => (b.heading.clone(), b.items.as_slice()),
        None => (cx.tr("follow_up_plan"), plan),
    };
    (!items.is_empty()).then(|| {
        let done = items.iter().filter(|f| f.status == "done").count();
        cx.trf(
            "follow_up_line",
            &[
                ("heading", &heading),
                ("done", &done.to_string()),
                ("total", &items.len().to_string()),
            ],
        )
    })
}

/// The page's description for search engines and link previews.
fn description(p: &Subject, change: Option<&Change>) -> Option<String> {
    let (cx, r, d) = (p.cx, p.results, p.d);
    let change = match change {
        Some(c) => cx.trf(
            &format!("meta_change_{}", c.direction),
            &[("delta", &c.points), ("year", &c.previous_year.to_string())],
        ),
        None => cx.tr("meta_first"),
    };
    Some(cx.trf(
        "meta_district",
        &[
            ("province", &cx.site.config.province.name),
            ("name", &p.district.name),
            ("final", &cx.score(p.scores.final_score)),
            ("category", p.category()),
            ("rank", &r.rank_of(d)?.to_string()),
            ("of", &r.province.assessed.to_string()),
            ("change", &change),
        ],
    ))
}

/// How many points to the next category, or that this is the top one.
fn next_category(p: &Subject) -> String {
    let (cx, rubric) = (p.cx, p.rubric());
    match to_next_category(&rubric.categories, p.scores.final_score) {
        Some((c, missing)) => cx.trf(
            "to_next_category",
            &[
                ("points", &cx.score(missing as f64 / 100.0)),
                ("category", &rubric.categories[c].label),
            ],
        ),
        None => cx.tr("top_category"),
    }
}

/// The indicator moves worth the most points, most first.
fn gain_views(p: &Subject) -> Vec<GainView> {
    let (cx, rubric) = (p.cx, p.rubric());
    let plus = |x: f64| format!("+{} {}", cx.score(x), cx.tr("points"));
    gains(rubric, &p.entry.answers)
        .into_iter()
        .take(GAINS_SHOWN)
        .map(|g| {
            let action = &rubric.actions[g.action];
            let ind = &action.indicators[g.indicator];
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
                full: (cents(g.full) != cents(g.step))
                    .then(|| format!("{}: {}", cx.tr("gain_full"), plus(g.full))),
            }
        })
        .collect()
}

/// Each component's score, rank and the province's median.
fn component_rows(p: &Subject) -> Vec<ComponentRow> {
    let (cx, r, d) = (p.cx, p.results, p.d);
    p.rubric()
        .components
        .iter()
        .enumerate()
        .map(|(c, comp)| ComponentRow {
            name: comp.name.clone(),
            weight: cx.short(comp.weight),
            score: cx.score(p.scores.components[c]),
            rank: r.component_ranks_of(d)[c].map_or_else(String::new, |x| x.to_string()),
            median: r.province.components[c].map_or_else(String::new, |st| cx.score(st.median)),
        })
        .collect()
}

/// The coverage of the district's services, as reported.
fn coverage_rows(p: &Subject) -> Vec<CoverageRow> {
    let cx = p.cx;
    p.entry
        .coverage
        .iter()
        .map(|c| CoverageRow {
            name: c.name.clone(),
            value: format!("{}%", cx.short(c.value)),
            kind: c.kind.map(|k| {
                cx.tr(match k {
                    CoverageKind::Spesifik => "coverage_spesifik",
                    CoverageKind::Sensitif => "coverage_sensitif",
                })
            }),
        })
        .collect()
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

pub fn not_assessed_page(cx: &Ctx, y: YearId, d: DistrictId) -> NotAssessedPage {
    let year = cx.site.year(y);
    let district = cx.site.district(d);
    NotAssessedPage {
        locator: super::map::locator_map(cx, y, d),
        layout: layout(cx, year, district),
        heading: cx.heading(year),
        name: district.name.clone(),
        text: cx.not_assessed_text(year, district),
        year_url: cx.urls.year(year.year),
        region_url: cx.urls.region(&district.slug),
    }
}
