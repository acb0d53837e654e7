//! The maps of the pages: the year's choropleths and a district's locator,
//! each with its legend, its key of numbered districts and its source.

use serde::Serialize;

use super::{Ctx, Link};
use crate::content::GeoMap;
use crate::content::{DistrictId, YearId};
use crate::render::charts::{self, map as draw, map::Fill, map::Region, short_label};

/// The file, at the site's root, of the province drawn under every locator.
pub const LOCATOR_BASE: &str = "peta-lokasi.svg";

/// The map's geometry drawn at the two sizes the pages use, made once per build.
pub struct Maps {
    pub large: draw::Shapes,
    pub small: draw::Shapes,
    /// Every district in grey at the small size, the file [`LOCATOR_BASE`]
    /// under every locator.
    pub small_base: String,
    /// Districts without a feature.
    pub not_on_map: Vec<DistrictId>,
    pub source: Option<String>,
    pub licence: Option<String>,
}

impl Maps {
    pub fn new(map: &GeoMap) -> Self {
        let small = draw::prepare(map, 240.0, 240.0, 4.0, 1.0);
        Maps {
            large: draw::prepare(map, 640.0, 560.0, 8.0, 0.7),
            small_base: draw::locator_base(&small),
            small,
            not_on_map: map
                .regions
                .iter()
                .enumerate()
                .filter(|(_, r)| r.is_none())
                .map(|(d, _)| DistrictId(d))
                .collect(),
            source: map.source.clone(),
            licence: map.licence.clone(),
        }
    }
}

/// A map as a page shows it.
#[derive(Serialize)]
pub struct MapBlock {
    /// The `<svg>` element, safe to inline.
    pub svg: String,
    pub caption: String,
    pub legend: Vec<LegendItem>,
    /// Districts numbered on the map where their name did not fit.
    pub key: Vec<KeyItem>,
    pub not_on_map: Vec<Link>,
    /// "Boundaries: … Licence: …".
    pub credit: Option<String>,
    pub small: bool,
}

#[derive(Serialize)]
pub struct LegendItem {
    pub label: String,
    /// `#RRGGBB`; empty for the hatching.
    pub color: String,
    pub hatched: bool,
}

#[derive(Serialize)]
pub struct KeyItem {
    pub number: usize,
    pub district: Link,
}

fn credit(cx: &Ctx, maps: &Maps) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(s) = &maps.source {
        parts.push(format!("{}: {s}.", cx.tr("map_source")));
    }
    if let Some(l) = &maps.licence {
        parts.push(format!("{}: {l}.", cx.tr("map_licence")));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn finish(
    cx: &Ctx,
    maps: &Maps,
    year: i32,
    svg: String,
    caption: String,
    legend: Vec<LegendItem>,
    numbered: Vec<(usize, usize)>,
) -> MapBlock {
    MapBlock {
        svg,
        caption,
        legend,
        key: numbered
            .into_iter()
            .map(|(number, d)| KeyItem {
                number,
                district: cx.district_link(year, DistrictId(d)),
            })
            .collect(),
        not_on_map: maps
            .not_on_map
            .iter()
            .map(|&d| cx.district_link(year, d))
            .collect(),
        credit: credit(cx, maps),
        small: false,
    }
}

fn hatched(label: String) -> LegendItem {
    LegendItem {
        label,
        color: String::new(),
        hatched: true,
    }
}

/// "Kategori Sangat Baik: Denpasar, Badung; …": a map in words.
fn groups_in_words(groups: &[(String, Vec<String>)]) -> String {
    groups
        .iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(label, names)| format!("{label}: {}", names.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The year's final scores by category; `id` is unique on the page.
pub fn final_map(cx: &Ctx, y: YearId, id: &str) -> Option<MapBlock> {
    let maps = cx.maps?;
    let year = cx.site.year(y);
    let r = cx.year_results(y);
    let categories = &year.rubric.categories;
    let mut groups: Vec<(String, Vec<String>)> = categories
        .iter()
        .map(|c| {
            (
                cx.trf("map_category", &[("category", &c.label)]),
                Vec::new(),
            )
        })
        .collect();
    let mut not_assessed = Vec::new();
    let regions: Vec<Option<Region>> = cx
        .site
        .district_ids()
        .map(|d| {
            let district = cx.site.district(d);
            let href = cx.district_link(year.year, d).href;
            let label = short_label(&district.name);
            let region = match (r.score(d), r.rank_of(d)) {
                (Some(s), Some(rank)) => {
                    if let Some(g) = groups.get_mut(s.category) {
                        g.1.push(label.clone());
                    }
                    Region {
                        fill: Fill::Color(charts::category_color(s.category)),
                        href,
                        title: cx.trf(
                            "map_region",
                            &[
                                ("name", &district.name),
                                ("score", &cx.score(s.final_score)),
                                ("category", &categories[s.category].label),
                                ("rank", &rank.to_string()),
                                ("of", &r.province.assessed.to_string()),
                            ],
                        ),
                        label,
                    }
                }
                _ => {
                    not_assessed.push(label.clone());
                    Region {
                        fill: Fill::Hatched,
                        href,
                        title: format!("{}: {}", district.name, cx.tr("not_assessed")),
                        label,
                    }
                }
            };
            Some(region)
        })
        .collect();
    groups.push((cx.tr("not_assessed"), not_assessed.clone()));
    let title = format!("{} {}", cx.tr("map_final_title"), year.year);
    let (svg, numbered) =
        draw::choropleth(id, &title, &groups_in_words(&groups), &maps.large, &regions);
    let mut legend: Vec<LegendItem> = categories
        .iter()
        .enumerate()
        .map(|(i, c)| LegendItem {
            label: format!("{} (≥ {})", c.label, cx.short(c.min)),
            color: charts::hex(charts::category_color(i)),
            hatched: false,
        })
        .collect();
    if !not_assessed.is_empty() {
        legend.push(hatched(cx.tr("not_assessed")));
    }
    Some(finish(cx, maps, year.year, svg, title, legend, numbered))
}

/// A sequential scale, light (low prevalence) to dark (high), that keeps
/// its order for colour-blind readers: ColorBrewer YlOrBr.
pub const SEQUENTIAL: [(u8, u8, u8); 5] = [
    (0xFF, 0xFF, 0xD4),
    (0xFE, 0xD9, 0x8E),
    (0xFE, 0x99, 0x29),
    (0xD9, 0x5F, 0x0E),
    (0x99, 0x34, 0x04),
];

/// Class breaks for `values`: equal round steps, at most five classes.
pub fn classes(values: &[f64]) -> (f64, f64, usize) {
    let lo = values.iter().copied().fold(f64::MAX, f64::min);
    let hi = values.iter().copied().fold(f64::MIN, f64::max);
    let mut step = charts::nice_step(((hi - lo) / 5.0).max(0.1));
    loop {
        let start = (lo / step).floor() * step;
        let n = (((hi - start) / step).floor() as usize + 1).max(1);
        if n <= SEQUENTIAL.len() {
            return (start, step, n);
        }
        step = charts::nice_step(step * 1.5);
    }
}

/// Stunting prevalence in the year, when districts give it.
pub fn prevalence_map(cx: &Ctx, y: YearId, id: &str) -> Option<MapBlock> {
    let maps = cx.maps?;
    let year = cx.site.year(y);
    let values: Vec<Option<f64>> = year
        .entries
        .iter()
        .map(|e| e.as_ref()?.prevalence.as_ref().map(|p| p.value))
        .collect();
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    if present.is_empty() {
        return None;
    }
    let (start, step, n) = classes(&present);
    let class_of = |v: f64| (((v - start) / step).floor().max(0.0) as usize).min(n - 1);
    let range = |c: usize| {
        format!(
            "{}–{}%",
            cx.short(start + step * c as f64),
            cx.short(start + step * (c + 1) as f64)
        )
    };
    let mut groups: Vec<(String, Vec<String>)> = (0..n).map(|c| (range(c), Vec::new())).collect();
    let mut no_data = Vec::new();
    let regions: Vec<Option<Region>> = cx
        .site
        .district_ids()
        .map(|d| {
            let district = cx.site.district(d);
            let href = cx.district_link(year.year, d).href;
            let label = short_label(&district.name);
            Some(match values[d.0] {
                Some(v) => {
                    let c = class_of(v);
                    groups[c].1.push(format!("{label} {}%", cx.short(v)));
                    let (r, g, b) = SEQUENTIAL[c];
                    Region {
                        fill: Fill::Color(plotters::style::RGBColor(r, g, b)),
                        href,
                        title: format!(
                            "{}: {} {}%",
                            district.name,
                            cx.tr("prevalence").to_lowercase(),
                            cx.short(v)
                        ),
                        label,
                    }
                }
                None => {
                    no_data.push(label.clone());
                    Region {
                        fill: Fill::Hatched,
                        href,
                        title: format!("{}: {}", district.name, cx.tr("map_no_data")),
                        label,
                    }
                }
            })
        })
        .collect();
    groups.push((cx.tr("map_no_data"), no_data.clone()));
    let title = format!("{} {}", cx.tr("map_prevalence_title"), year.year);
    let (svg, numbered) =
        draw::choropleth(id, &title, &groups_in_words(&groups), &maps.large, &regions);
    let mut legend: Vec<LegendItem> = (0..n)
        .map(|c| {
            let (r, g, b) = SEQUENTIAL[c];
            LegendItem {
                label: range(c),
                color: charts::hex(plotters::style::RGBColor(r, g, b)),
                hatched: false,
            }
        })
        .collect();
    if !no_data.is_empty() {
        legend.push(hatched(cx.tr("map_no_data")));
    }
    Some(finish(cx, maps, year.year, svg, title, legend, numbered))
}

/// Where district `d` lies in the province.
pub fn locator_map(cx: &Ctx, y: YearId, d: DistrictId) -> Option<MapBlock> {
    let maps = cx.maps?;
    if maps.not_on_map.contains(&d) {
        return None;
    }
    let district = cx.site.district(d);
    let province = &cx.site.config.province.name;
    let args = [
        ("name", district.name.as_str()),
        ("province", province.as_str()),
    ];
    let title = cx.trf("map_locator_title", &args);
    let svg = draw::locator(
        "locator",
        &title,
        &cx.trf("map_locator_desc", &args),
        &maps.small,
        &cx.urls.asset(LOCATOR_BASE),
        d.0,
    );
    let mut block = finish(cx, maps, cx.site.year(y).year, svg, title, vec![], vec![]);
    block.not_on_map.clear();
    block.small = true;
    Some(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `#RRGGBB` as a deuteranope sees it (Machado, Oliveira and Fernandes
    /// 2009, severity 1), in CIELAB.
    fn deuteranope_lab(c: plotters::style::RGBColor) -> [f64; 3] {
        const M: [[f64; 3]; 3] = [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ];
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let rgb = [lin(c.0), lin(c.1), lin(c.2)];
        let s: Vec<f64> = M
            .iter()
            .map(|row| (0..3).map(|j| row[j] * rgb[j]).sum::<f64>().clamp(0.0, 1.0))
            .collect();
        let x = 0.4124 * s[0] + 0.3576 * s[1] + 0.1805 * s[2];
        let y = 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2];
        let z = 0.0193 * s[0] + 0.1192 * s[1] + 0.9505 * s[2];
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        let (fx, fy, fz) = (f(x / 0.95047), f(y), f(z / 1.08883));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    fn delta_e(a: [f64; 3], b: [f64; 3]) -> f64 {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    #[test]
    fn category_colours_stay_apart_for_deuteranopes() {
        // Up to six categories, and the hatching's grey and white.
        let mut colours: Vec<_> = (0..6).map(charts::category_color).collect();
        colours.push(plotters::style::RGBColor(0x50, 0x5A, 0x5F));
        colours.push(plotters::style::RGBColor(0xFF, 0xFF, 0xFF));
        for (i, a) in colours.iter().enumerate() {
            for b in &colours[i + 1..] {
                let d = delta_e(deuteranope_lab(*a), deuteranope_lab(*b));
                assert!(
                    d >= 15.0,
                    "{} and {} are {d:.1} apart",
                    charts::hex(*a),
                    charts::hex(*b)
                );
            }
        }
    }

    #[test]
    fn the_sequential_scale_darkens_in_order_for_deuteranopes() {
        let lightness: Vec<f64> = SEQUENTIAL
            .iter()
            .map(|&(r, g, b)| deuteranope_lab(plotters::style::RGBColor(r, g, b))[0])
            .collect();
        for w in lightness.windows(2) {
            assert!(w[0] - w[1] >= 8.0, "{lightness:?}");
        }
    }

    #[test]
    fn classes_are_round_and_cover_the_values() {
        assert_eq!(classes(&[4.9, 6.4]), (4.5, 0.5, 4));
        let (start, step, n) = classes(&[5.1, 22.9]);
        assert!(n <= 5 && start <= 5.1 && start + step * n as f64 > 22.9);
        assert_eq!(classes(&[7.0]).2, 1);
    }
}
