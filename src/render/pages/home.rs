//! The home page: the latest year at a glance, every year (the list that
//! finds a district is the share module's).

use serde::Serialize;

use super::{top_three, Ctx, Layout, Link, TopEntry};

#[derive(Serialize)]
pub struct HomePage {
    pub layout: Layout,
    pub latest: Option<Latest>,
    pub years: Vec<YearEntry>,
}

#[derive(Serialize)]
pub struct Latest {
    pub year: i32,
    pub heading: String,
    pub href: String,
    pub practice_url: String,
    pub assessed: usize,
    pub mean: Option<String>,
    pub top: Vec<TopEntry>,
    pub ranking: Vec<ShortRow>,
    pub map: Option<super::map::MapBlock>,
}

#[derive(Serialize)]
pub struct ShortRow {
    pub rank: u32,
    pub district: Link,
    pub final_score: String,
    pub category: String,
}

#[derive(Serialize)]
pub struct YearEntry {
    pub year: i32,
    pub heading: String,
    pub href: String,
    pub assessed: usize,
    pub mean: Option<String>,
}

pub fn home_page(cx: &Ctx) -> HomePage {
    let latest = cx.site.year_ids().last().map(|y| {
        let year = cx.site.year(y);
        let r = cx.year_results(y);
        Latest {
            year: year.year,
            heading: cx.heading(year),
            href: cx.urls.year(year.year),
            practice_url: cx.urls.practice(year.year),
            assessed: r.province.assessed,
            mean: r.province.final_score.map(|s| cx.score(s.mean)),
            top: top_three(cx, y),
            map: super::map::final_map(cx, y, "map-home"),
            ranking: r
                .ranked()
                .filter_map(|d| {
                    let s = r.score(d)?;
                    Some(ShortRow {
                        rank: r.rank_of(d)?,
                        district: cx.district_link(year.year, d),
                        final_score: cx.score(s.final_score),
                        category: year.rubric.categories[s.category].label.clone(),
                    })
                })
                .collect(),
        }
    });
    HomePage {
        layout: cx.layout(cx.site.config.title.clone(), cx.urls.home(), Vec::new()),
        latest,
        years: cx
            .site
            .years
            .iter()
            .zip(cx.results)
            .rev()
            .map(|(year, r)| YearEntry {
                year: year.year,
                heading: cx.heading(year),
                href: cx.urls.year(year.year),
                assessed: r.province.assessed,
                mean: r.province.final_score.map(|s| cx.score(s.mean)),
            })
            .collect(),
    }
}
