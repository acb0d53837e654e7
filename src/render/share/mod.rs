//! Sharing a page: the link-preview tags and pictures (`og.png`), the
//! share row of a district page, the QR code and address printed on paper,
//! and the list that finds a district on the home and 404 pages.

mod canvas;
mod encode;
mod image;
mod qr;

use serde::Serialize;

use super::charts;
use super::pages::Ctx;
use super::OutputFile;
use crate::content::{DistrictId, Year, YearId};
use crate::score::{latest_assessed, previous_assessed};

/// The name of a share picture in a page's folder.
const IMAGE: &str = "og.png";

/// Whether the output file at `path` is a share picture: published for
/// link previews, left out of the year archives (nobody previews a link
/// from a USB stick).
pub fn is_image(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let year = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y, name] => year(y) && *name == IMAGE,
        // `media` is a reserved slug: a narrative's image may be called og.png.
        [y, slug, name] => year(y) && *slug != "media" && *name == IMAGE,
        _ => false,
    }
}

/// What is worked out once per build for every share picture and head.
pub struct Share {
    /// Per year, the picture's fixed parts; empty when `share.images` is off.
    bases: Vec<image::Base>,
    /// The picture of a year: fixed parts without the year's heading.
    year_base: Option<image::Base>,
    /// Per year, the date the data is as of (ISO), for the printed page.
    data_dates: Vec<Option<String>>,
    /// Whether the pictures are drawn, or only named in the head tags
    /// (see [`super::RenderOptions::pictures`]).
    draw: bool,
}

/// The head tags and share parts of one page (`share` in templates).
#[derive(Serialize)]
pub struct Head {
    pub description: String,
    pub og_type: &'static str,
    pub locale: &'static str,
    pub image: Option<ImageTag>,
    /// The share row, on district pages.
    pub button: Option<Button>,
    /// What the printed district page adds.
    pub print: Option<Print>,
    /// The districts to find, on the home and 404 pages.
    pub finder: Vec<Found>,
}

#[derive(Serialize)]
pub struct ImageTag {
    pub url: String,
    pub alt: String,
    pub width: usize,
    pub height: usize,
}

#[derive(Serialize)]
pub struct Button {
    pub whatsapp: String,
    pub email: String,
    /// The page's full address.
    pub url: String,
}

#[derive(Serialize)]
pub struct Print {
    pub qr: Option<String>,
    pub url: String,
    /// "Data per 12 Juni 2024".
    pub date: Option<String>,
}

/// A district in the finding list: its latest page and its history.
#[derive(Serialize)]
pub struct Found {
    pub name: String,
    pub code: String,
    pub latest: String,
    pub history: String,
}

impl Share {
    pub fn new(cx: &Ctx, draw: bool) -> Share {
        let config = &cx.site.config;
        let host = host_and_path(&cx.urls.absolute);
        let images = config.share.images;
        let labels = [cx.tr("final_score"), cx.tr("share_actions")];
        let bases = cx
            .site
            .years
            .iter()
            .filter(|_| images)
            .map(|year| {
                let kicker = format!("{} · {}", config.province.name, cx.heading(year));
                let labels = [labels[0].as_str(), labels[1].as_str()];
                image::Base::for_districts(&kicker, &config.title, &host, labels)
            })
            .collect();
        let year_base =
            images.then(|| image::Base::new(&config.province.name, &config.title, &host));
        let epoch = source_date_epoch();
        let data_dates = cx
            .site
            .years
            .iter()
            .map(|year| {
                let plenary = year.meta.plenary.as_ref().and_then(|p| p.date);
                plenary
                    .map(|d| d.to_string())
                    .or_else(|| epoch.clone())
                    .or_else(|| super::year_date(year))
            })
            .collect();
        Share {
            bases,
            year_base,
            data_dates,
            draw,
        }
    }

    /// The picture of the page at the address `page`.
    fn image_tag(&self, cx: &Ctx, page: &str, alt: String) -> Option<ImageTag> {
        (!self.bases.is_empty()).then(|| ImageTag {
            url: cx.urls.absolute(&cx.urls.share_image(page)),
            alt,
            width: canvas::W,
            height: canvas::H,
        })
    }

    /// The picture of `year`'s page.
    fn year_image_tag(&self, cx: &Ctx, year: &Year) -> Option<ImageTag> {
        let alt = format!("{} · {}", cx.site.config.province.name, cx.heading(year));
        self.image_tag(cx, &cx.urls.year(year.year), alt)
    }

    /// A page without a picture of its own: the latest year's picture.
    pub fn plain_head(&self, cx: &Ctx, description: String) -> Head {
        let image = cx
            .site
            .years
            .last()
            .and_then(|year| self.year_image_tag(cx, year));
        website(cx, description, image)
    }

    /// The home page: the latest year in one sentence.
    pub fn home_head(&self, cx: &Ctx) -> Head {
        let description = match cx.site.year_ids().last() {
            Some(y) => year_sentence(cx, y, "meta_home"),
            None => cx.site.config.title.clone(),
        };
        self.finding_head(cx, description)
    }

    /// A page with the list that finds a district (home, 404).
    pub fn finding_head(&self, cx: &Ctx, description: String) -> Head {
        let mut head = self.plain_head(cx, description);
        head.finder = finder(cx);
        head
    }

    pub fn year_head(&self, cx: &Ctx, y: YearId) -> Head {
        let image = self.year_image_tag(cx, cx.site.year(y));
        website(cx, year_sentence(cx, y, "meta_year"), image)
    }

    /// A district's page in a year, described by `description`.
    pub fn district_head(&self, cx: &Ctx, y: YearId, d: DistrictId, description: String) -> Head {
        let year = cx.site.year(y);
        let district = cx.site.district(d);
        let url = cx
            .urls
            .absolute(&cx.urls.district(year.year, &district.slug));
        let alt = cx.trf(
            "share_image_alt",
            &[("name", &district.name), ("heading", &cx.heading(year))],
        );
        let message = format!("{} {url}", share_text(cx, y, d));
        let title = format!("{} — {}", district.name, cx.heading(year));
        Head {
            description,
            og_type: "article",
            locale: locale(cx),
            image: self.image_tag(cx, &cx.urls.district(year.year, &district.slug), alt),
            button: Some(Button {
                whatsapp: format!("https://wa.me/?text={}", percent(&message)),
                email: format!(
                    "mailto:?subject={}&body={}",
                    percent(&title),
                    percent(&message)
                ),
                url: url.clone(),
            }),
            print: Some(Print {
                qr: qr::svg(&url, &format!("QR: {url}")),
                date: self.data_dates[y.0]
                    .as_ref()
                    .map(|iso| cx.trf("print_data_date", &[("date", &cx.date(iso))])),
                url,
            }),
            finder: Vec::new(),
        }
    }

    /// The share picture of year `y`: its top three and the province's mean.
    pub fn year_image(&self, cx: &Ctx, y: YearId) -> Option<OutputFile> {
        let base = self.year_base.as_ref().filter(|_| self.draw)?;
        let year = cx.site.year(y);
        let r = cx.year_results(y);
        let top = super::pages::top_three(cx, y)
            .into_iter()
            .zip(r.ranked())
            .map(|(e, d)| {
                let category = r.score(d).map_or(0, |s| s.category);
                let rgb = charts::category_rgb(&year.rubric.categories, category);
                (
                    e.title,
                    e.district.label,
                    e.final_score,
                    [rgb.0, rgb.1, rgb.2],
                )
            })
            .collect();
        let summary = mean_line(cx, y);
        let card = image::YearCard {
            heading: &cx.heading(year),
            top,
            summary: &summary,
        };
        let path = cx.urls.file(&cx.urls.share_image(&cx.urls.year(year.year)));
        let bytes = image::year(base, &card);
        Some(OutputFile { path, bytes })
    }

    /// The share picture of district `d` in year `y`.
    pub fn district_image(&self, cx: &Ctx, y: YearId, d: DistrictId) -> Option<OutputFile> {
        let base = self.bases.get(y.0).filter(|_| self.draw)?;
        let year = cx.site.year(y);
        let district = cx.site.district(d);
        let page = cx.urls.district(year.year, &district.slug);
        let path = cx.urls.file(&cx.urls.share_image(&page));
        let r = cx.year_results(y);
        let (Some(s), Some(rank)) = (r.score(d), r.rank_of(d)) else {
            let text = cx.not_assessed_text(year, district);
            let status = cx.tr("not_assessed");
            let bytes = image::not_assessed(base, &district.name, &status, &text);
            return Some(OutputFile { path, bytes });
        };
        let rgb = charts::category_rgb(&year.rubric.categories, s.category);
        let mut rank_text = format!(
            "{} {rank} {} {}",
            cx.tr("rank"),
            cx.tr("out_of"),
            r.province.assessed
        );
        if let Some(title) = cx.top_title(rank) {
            rank_text = format!("{rank_text} · {title}");
        }
        let card = image::DistrictCard {
            name: &district.name,
            final_score: &cx.score(s.final_score),
            category: &year.rubric.categories[s.category].label,
            category_rgb: [rgb.0, rgb.1, rgb.2],
            rank: &rank_text,
            change: &change_line(cx, y, d, s.final_score),
            actions: year
                .rubric
                .actions
                .iter()
                .zip(&s.actions)
                .map(|(a, &v)| (a.number.to_string(), v))
                .collect(),
        };
        let bytes = image::district(base, &card);
        Some(OutputFile { path, bytes })
    }
}

/// What a shared message about district `d` in year `y` says before its address.
fn share_text(cx: &Ctx, y: YearId, d: DistrictId) -> String {
    let year = cx.site.year(y);
    let district = cx.site.district(d);
    let r = cx.year_results(y);
    match (r.score(d), r.rank_of(d)) {
        (Some(s), Some(rank)) => cx.trf(
            "share_text",
            &[
                ("name", &district.name),
                ("heading", &cx.heading(year)),
                ("final", &cx.score(s.final_score)),
                ("category", &year.rubric.categories[s.category].label),
                ("rank", &rank.to_string()),
                ("of", &r.province.assessed.to_string()),
            ],
        ),
        _ => cx.not_assessed_text(year, district),
    }
}

/// "+2,10 poin sejak 2022", or that it is the first assessment.
fn change_line(cx: &Ctx, y: YearId, d: DistrictId, final_score: f64) -> String {
    let previous = previous_assessed(cx.site, y, d).and_then(|py| {
        let ps = cx.year_results(py).score(d)?;
        Some((cx.site.year(py).year, ps.final_score))
    });
    match previous {
        Some((year, score)) => cx.trf(
            "share_change",
            &[
                ("delta", &cx.signed(final_score - score)),
                ("year", &year.to_string()),
            ],
        ),
        None => cx.tr("meta_first"),
    }
}

/// "Rata-rata nilai akhir 78,40 · 9 kabupaten/kota dinilai".
fn mean_line(cx: &Ctx, y: YearId) -> String {
    let r = cx.year_results(y);
    let assessed = format!("{} {}", r.province.assessed, cx.tr("districts_assessed"));
    match r.province.final_score {
        Some(st) => format!(
            "{} {} {} · {assessed}",
            cx.tr("mean"),
            cx.tr("final_score").to_lowercase(),
            cx.score(st.mean)
        ),
        None => assessed,
    }
}

/// The year `y` in one sentence, from the translation `key`.
fn year_sentence(cx: &Ctx, y: YearId, key: &str) -> String {
    let year = cx.site.year(y);
    let r = cx.year_results(y);
    let top: Vec<String> = super::pages::top_three(cx, y)
        .into_iter()
        .map(|e| format!("{} ({})", e.district.label, e.final_score))
        .collect();
    cx.trf(
        key,
        &[
            ("province", &cx.site.config.province.name),
            ("heading", &cx.heading(year)),
            ("assessed", &r.province.assessed.to_string()),
            (
                "mean",
                &r.province
                    .final_score
                    .map_or("—".into(), |s| cx.score(s.mean)),
            ),
            ("top", &top.join(", ")),
        ],
    )
}

/// The head of a page that is not a district's, described by `description`.
fn website(cx: &Ctx, description: String, image: Option<ImageTag>) -> Head {
    Head {
        description,
        og_type: "website",
        locale: locale(cx),
        image,
        button: None,
        print: None,
        finder: Vec::new(),
    }
}

fn locale(cx: &Ctx) -> &'static str {
    match cx.lang() {
        crate::content::Language::Id => "id_ID",
        crate::content::Language::En => "en_US",
    }
}

/// The districts in registry order with their latest page and history.
fn finder(cx: &Ctx) -> Vec<Found> {
    cx.site
        .districts
        .iter()
        .zip(cx.site.district_ids())
        .map(|(district, d)| {
            let history = cx.urls.region(&district.slug);
            let latest = latest_assessed(cx.site, d).or(cx.site.year_ids().last());
            Found {
                name: district.name.clone(),
                code: district.code.clone(),
                latest: latest.map_or_else(
                    || history.clone(),
                    |y| cx.urls.district(cx.site.year(y).year, &district.slug),
                ),
                history,
            }
        })
        .collect()
}

/// `example.go.id/stunting` from a base URL, for the foot of a picture.
fn host_and_path(absolute: &str) -> String {
    let rest = absolute.split_once("://").map_or("", |(_, rest)| rest);
    rest.trim_end_matches('/').to_string()
}

/// The date of `SOURCE_DATE_EPOCH` (seconds since 1970, UTC), when set.
fn source_date_epoch() -> Option<String> {
    let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let time = jiff::Timestamp::from_second(seconds).ok()?;
    Some(time.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
}

/// `text` percent-encoded for a URL's query (RFC 3986 unreserved kept).
pub fn percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_percent_encoded() {
        assert_eq!(
            percent("Kota Ä: https://x.id/a?b=c&d"),
            "Kota%20%C3%84%3A%20https%3A%2F%2Fx.id%2Fa%3Fb%3Dc%26d"
        );
    }

    #[test]
    fn only_share_pictures_are_images() {
        assert!(is_image("2023/badung/og.png"));
        assert!(is_image("2023/og.png"));
        assert!(!is_image("2023/media/og.png"));
        assert!(!is_image("2023/media/x/og.png"));
        assert!(!is_image("2023/badung/index.html"));
    }

    #[test]
    fn the_foot_shows_host_and_path() {
        assert_eq!(
            host_and_path("https://example.go.id/stunting/"),
            "example.go.id/stunting"
        );
        assert_eq!(host_and_path("/stunting/"), "");
    }
}
