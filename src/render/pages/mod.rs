//! View models: small structs made for each page, with every number already
//! computed and formatted. Templates only lay them out.

mod charts;
mod district;
mod home;
pub mod map;
mod practice;
mod region;
mod year;

use std::collections::BTreeMap;

use serde::Serialize;

pub use district::{district_page, not_assessed_page};
pub use home::home_page;
pub use practice::practice_page;
pub use region::region_page;
pub use year::{year_page, ArchiveLink};

use super::urls::Urls;
use crate::content::{District, DistrictId, Language, Site, Status, Year, YearId};
use crate::format::{self, Separators};
use crate::score::{cents, YearResults};

/// What every page builder reads.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub results: &'a [YearResults],
    pub urls: &'a Urls,
    pub t: &'a BTreeMap<String, String>,
    /// Per year, from [`corrected_dates`].
    pub corrected: &'a [BTreeMap<String, Vec<jiff::civil::Date>>],
    /// The province's map, when the site has one.
    pub maps: Option<&'a map::Maps>,
}

impl Ctx<'_> {
    /// The scores and ranks of year `y`.
    pub fn year_results(&self, y: YearId) -> &YearResults {
        &self.results[y.0]
    }

    pub fn lang(&self) -> Language {
        self.site.config.language
    }

    /// A translated string; a missing key shows as itself so it is noticed.
    pub fn tr(&self, key: &str) -> String {
        self.t.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    /// A translated string with `{name}` placeholders filled.
    pub fn trf(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.tr(key);
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// The decimal and thousands separators of the site's language.
    pub fn separators(&self) -> Separators {
        separators(self.lang())
    }

    /// A score, 2 decimals: `84,12`.
    pub fn score(&self, x: f64) -> String {
        format::score(cents(x), self.separators())
    }

    /// A value without trailing zeros: `10,9`.
    pub fn short(&self, x: f64) -> String {
        format::short(cents(x), self.separators())
    }

    /// A change with its sign: `+2,15`.
    pub fn signed(&self, x: f64) -> String {
        format::signed(cents(x), self.separators())
    }

    /// "Penilaian 2024 atas kinerja 2023".
    pub fn heading(&self, year: &Year) -> String {
        self.trf(
            "assessment_of",
            &[
                ("assessed", &year.assessed_in().to_string()),
                ("year", &year.year.to_string()),
            ],
        )
    }

    pub fn status_label(&self, status: Status) -> String {
        self.tr(&format!("status_{}", status.key()))
    }

    /// A day or month (any `YYYY-MM-DD` or `YYYY-MM` display) as readers write it.
    pub fn date(&self, date: impl std::fmt::Display) -> String {
        let months = match self.lang() {
            Language::Id => &format::MONTHS_ID,
            Language::En => &format::MONTHS_EN,
        };
        format::date(&date.to_string(), months)
    }

    pub fn layout(&self, title: String, path: String, crumbs: Vec<Link>) -> Layout {
        Layout {
            title,
            canonical: self.urls.absolute(&path),
            crumbs,
        }
    }

    pub fn district_link(&self, year: i32, d: DistrictId) -> Link {
        let district = &self.site.district(d);
        Link {
            href: self.urls.district(year, &district.slug),
            label: district.name.clone(),
        }
    }

    pub fn year_crumbs(&self, year: i32) -> Vec<Link> {
        vec![
            Link {
                href: self.urls.home(),
                label: self.tr("home"),
            },
            Link {
                href: self.urls.year(year),
                label: year.to_string(),
            },
        ]
    }

    /// "Kabupaten A tidak dinilai pada penilaian kinerja tahun 2023."
    pub fn not_assessed_text(&self, year: &Year, district: &District) -> String {
        self.trf(
            "not_assessed_text",
            &[("name", &district.name), ("year", &year.year.to_string())],
        )
    }

    /// "Terbaik I" … for ranks 1-3.
    pub fn top_title(&self, rank: u32) -> Option<String> {
        (1..=3)
            .contains(&rank)
            .then(|| self.tr(&format!("top_{rank}")))
    }
}

/// The part of every page that differs from page to page (the rest is global).
#[derive(Serialize)]
pub struct Layout {
    pub title: String,
    pub canonical: String,
    pub crumbs: Vec<Link>,
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub href: String,
    pub label: String,
}

/// A district's place in the top three of a year.
#[derive(Serialize)]
pub struct TopEntry {
    pub title: String,
    pub district: Link,
    pub final_score: String,
    pub category: String,
}

pub fn top_three(cx: &Ctx, y: YearId) -> Vec<TopEntry> {
    let year = cx.site.year(y);
    let r = cx.year_results(y);
    r.ranked()
        .filter_map(|d| {
            let title = cx.top_title(r.rank_of(d)?)?;
            let s = r.score(d)?;
            Some(TopEntry {
                title,
                district: cx.district_link(year.year, d),
                final_score: cx.score(s.final_score),
                category: year.rubric.categories[s.category].label.clone(),
            })
        })
        .collect()
}

/// A correction (ralat) of a frozen year as a page shows it.
#[derive(Serialize)]
pub struct RalatView {
    pub date: String,
    pub reason_html: String,
    pub changes: Vec<RalatChange>,
}

/// One district's published numbers before and after a correction ("—": not assessed).
#[derive(Serialize)]
pub struct RalatChange {
    pub district: Link,
    pub old_score: String,
    pub new_score: String,
    pub old_category: String,
    pub new_category: String,
    pub old_rank: String,
    pub new_rank: String,
}

/// Whether a correction concerns a district: it names it or changed its numbers.
pub fn concerns(r: &crate::freeze::Ralat, slug: &str) -> bool {
    r.correction.districts.iter().any(|s| s == slug) || r.changes.iter().any(|c| c.slug == slug)
}

/// Per year, each district concerned by a correction → the dates (ISO,
/// oldest first) of the corrections concerning it. Worked out once per
/// build, not per page; empty for a year never frozen.
pub fn corrected_dates(site: &Site) -> Vec<BTreeMap<String, Vec<jiff::civil::Date>>> {
    site.years
        .iter()
        .map(|year| {
            let mut by_slug: BTreeMap<String, Vec<jiff::civil::Date>> = BTreeMap::new();
            for r in crate::freeze::ralat(year) {
                let slugs = r
                    .correction
                    .districts
                    .iter()
                    .chain(r.changes.iter().map(|c| &c.slug));
                for slug in slugs {
                    by_slug
                        .entry(slug.clone())
                        .or_default()
                        .push(r.correction.date);
                }
            }
            for dates in by_slug.values_mut() {
                dates.sort_unstable();
                dates.dedup();
            }
            by_slug
        })
        .collect()
}

/// The corrections of a year (for one district's page: those concerning
/// it, with its own change only), numbers computed from the freezes.
pub fn ralat_views(cx: &Ctx, y: YearId, only: Option<DistrictId>) -> Vec<RalatView> {
    let year = cx.site.year(y);
    let year_url = cx.urls.year(year.year);
    let slug_of = |d: DistrictId| cx.site.district(d).slug.as_str();
    // Most districts have no correction: skip working the year's out again
    // for each of their pages (it costs as much as the year has districts).
    if only.is_some_and(|d| !cx.corrected[y.0].contains_key(slug_of(d))) {
        return Vec::new();
    }
    let dash = || "—".to_string();
    crate::freeze::ralat(year)
        .into_iter()
        .filter(|r| only.is_none_or(|d| concerns(r, slug_of(d))))
        .map(|r| RalatView {
            date: cx.date(r.correction.date),
            reason_html: crate::markdown::render_under(
                &r.correction.reason,
                &year_url,
                &cx.urls.root,
                3,
            ),
            changes: r
                .changes
                .iter()
                .filter(|c| only.is_none_or(|d| c.slug == slug_of(d)))
                .filter_map(|c| {
                    let d = cx.site.district_by_slug(&c.slug)?;
                    let (old, new) = (c.old.as_ref(), c.new.as_ref());
                    Some(RalatChange {
                        district: cx.district_link(year.year, d),
                        old_score: old.map_or_else(dash, |n| cx.score(n.final_score)),
                        new_score: new.map_or_else(dash, |n| cx.score(n.final_score)),
                        old_category: old.map_or_else(dash, |n| n.category.clone()),
                        new_category: new.map_or_else(dash, |n| n.category.clone()),
                        old_rank: old.map_or_else(dash, |n| n.rank.to_string()),
                        new_rank: new.map_or_else(dash, |n| n.rank.to_string()),
                    })
                })
                .collect(),
        })
        .collect()
}

/// The separators numbers are written with in `lang`.
pub fn separators(lang: Language) -> Separators {
    match lang {
        Language::Id => Separators::INDONESIAN,
        Language::En => Separators::ENGLISH,
    }
}
