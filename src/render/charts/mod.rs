//! Charts as inline SVG, drawn with plotters' SVG backend on pixel
//! coordinates. Every chart carries a `<title>` and `<desc>`; pages also give
//! its numbers in a table. Colours come from the Okabe–Ito palette, which
//! colour-blind readers can tell apart.

mod breakdown;
mod heatmap;
mod lines;
pub mod map;
mod scatter;
mod svg;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub use breakdown::{breakdown, Segment};
pub use heatmap::{heatmap, HeatRow};
pub use lines::{line_panels, Panel, Series};
pub use scatter::{scatter, Point};

/// Okabe–Ito: blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, grey.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x99, 0x99, 0x99),
];

/// Category colours, best category first: strong blue through to vermillion.
const CATEGORY_ORDER: [usize; 8] = [0, 2, 1, 3, 4, 5, 6, 7];

pub fn category_color(index: usize) -> RGBColor {
    PALETTE[CATEGORY_ORDER[index % CATEGORY_ORDER.len()]]
}

/// The colour of category `index` of a rubric: its `color:`, else the
/// default palette's for its place, best first.
pub fn category_rgb(categories: &[crate::content::Category], index: usize) -> RGBColor {
    match categories.get(index).and_then(|c| c.color) {
        Some([r, g, b]) => RGBColor(r, g, b),
        None => category_color(index),
    }
}

/// WCAG 2 relative luminance of an sRGB colour.
pub fn luminance(c: RGBColor) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
}

/// WCAG 2 contrast ratio between two colours, 1.0 ..= 21.0.
pub fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

pub fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The page's stylesheet sets the real font stack on `svg.chart text`; a
/// short family keeps every `<text>` small.
pub(crate) const FONT: &str = "sans-serif";
/// plotters writes font-size as size / 1.24; this gives 13 px text.
pub(crate) const TEXT: f64 = 16.0;
/// The smallest text, axis figures and cell values: 11.3 px at the chart's own
/// width, the size a phone shows it at (it scrolls sideways there).
pub(crate) const SMALL: f64 = 0.875;
pub(crate) const WIDTH: u32 = 640;
pub(crate) const LABEL_WIDTH: i32 = 196;
const RIGHT_PAD: i32 = 56;
const ROW: i32 = 26;

pub(crate) const INK: RGBColor = RGBColor(0x0B, 0x0C, 0x0C);
pub(crate) const MUTED: RGBColor = RGBColor(0x50, 0x5A, 0x5F);
pub(crate) const RULE: RGBColor = RGBColor(0xB1, 0xB4, 0xB6);

/// A drawn chart with its text alternative.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub desc: String,
    /// The `<svg>` element, safe to inline.
    pub svg: String,
}

/// One bar of a ranked chart.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub value_text: String,
    pub color: RGBColor,
}

/// A bar of a grouped chart: one group per row, one bar per series.
pub struct Group {
    pub label: String,
    pub values: Vec<(f64, String)>,
}

pub(crate) fn style(size: f64, color: &'static RGBColor, h: HPos) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font())
        .color(color)
        .pos(Pos::new(h, VPos::Center))
}

fn x_of(value: f64, plot_width: i32) -> i32 {
    LABEL_WIDTH + ((value.clamp(0.0, 100.0) / 100.0) * f64::from(plot_width)).round() as i32
}

/// Shortens a label to fit the label column.
pub fn short_label(name: &str) -> String {
    let name = name.strip_prefix("Kabupaten ").unwrap_or(name);
    if name.chars().count() > 24 {
        let cut: String = name.chars().take(23).collect();
        format!("{cut}…")
    } else {
        name.to_string()
    }
}

/// Draws a scale 0..100 with gridlines every 20, at the bottom of the plot.
fn draw_scale<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    top: i32,
    bottom: i32,
    plot_width: i32,
) {
    for tick in (0..=100).step_by(20) {
        let x = x_of(f64::from(tick), plot_width);
        let _ = area.draw(&PathElement::new(
            vec![(x, top), (x, bottom)],
            RULE.stroke_width(1),
        ));
        let _ = area.draw(&Text::new(
            tick.to_string(),
            (x, bottom + 12),
            style(TEXT * SMALL, &MUTED, HPos::Center),
        ));
    }
}

pub(crate) fn finish(id: &str, title: &str, desc: &str, svg: String, height: u32) -> Chart {
    finish_sized(id, title, desc, svg, WIDTH, height)
}

/// Makes the SVG responsive (a viewBox, no fixed size) and gives it its text alternative.
pub(crate) fn finish_sized(
    id: &str,
    title: &str,
    desc: &str,
    mut svg: String,
    width: u32,
    height: u32,
) -> Chart {
    let open = format!(
        r#"<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">"#
    );
    let replacement = format!(
        r#"<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-t {id}-d" class="chart"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(desc)
    );
    if svg.starts_with(&open) {
        svg.replace_range(..open.len(), &replacement);
    }
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        desc: desc.to_string(),
        svg,
    }
}

/// `s` as XML text or attribute value: the one escaper of pages, charts and the sitemap.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    svg::escape_into(&mut out, s);
    out
}

/// Horizontal bars on a 0..100 scale, in the order given, with an optional
/// reference line (for example the province mean) and a legend.
pub fn bars(
    id: &str,
    title: &str,
    desc: &str,
    rows: &[Bar],
    reference: Option<(f64, String)>,
    legend: &[(String, RGBColor)],
) -> Chart {
    // The legend's rows, then a row of its own for the reference label, so
    // the two never overlap whatever the number of categories.
    let (_, legend_rows) = legend_layout(legend);
    let top = 8 + legend_rows * 24 + if reference.is_some() { 18 } else { 0 };
    let height = (top + ROW * rows.len().max(1) as i32 + 28) as u32;
    let plot_width = WIDTH as i32 - LABEL_WIDTH - RIGHT_PAD;
    let mut svg = String::new();
    {
        let area = svg::Svg::new(&mut svg, (WIDTH, height)).into_drawing_area();
        draw_legend(&area, legend);
        let bottom = top + ROW * rows.len() as i32;
        draw_scale(&area, top, bottom, plot_width);
        for (i, row) in rows.iter().enumerate() {
            let y = top + ROW * i as i32;
            let mid = y + ROW / 2;
            let _ = area.draw(&Text::new(
                short_label(&row.label),
                (LABEL_WIDTH - 8, mid),
                style(TEXT, &INK, HPos::Right),
            ));
            let x1 = x_of(row.value, plot_width);
            let _ = area.draw(&Rectangle::new(
                [(LABEL_WIDTH, y + 4), (x1.max(LABEL_WIDTH + 1), y + ROW - 4)],
                row.color.filled(),
            ));
            let _ = area.draw(&Text::new(
                row.value_text.clone(),
                (x1 + 4, mid),
                style(TEXT, &INK, HPos::Left),
            ));
        }
        if let Some((value, label)) = reference {
            let x = x_of(value, plot_width);
            let _ = area.draw(&PathElement::new(
                vec![(x, top - 4), (x, bottom)],
                INK.stroke_width(2),
            ));
            let _ = area.draw(&Text::new(
                label,
                (x, top - 8),
                style(TEXT * SMALL, &INK, HPos::Center),
            ));
        }
        let _ = area.present();
    }
    finish(id, title, desc, svg, height)
}

/// Groups of thin bars on a 0..100 scale: one group per row, one colour per series.
pub fn grouped_bars(
    id: &str,
    title: &str,
    desc: &str,
    groups: &[Group],
    series: &[(String, RGBColor)],
) -> Chart {
    let per = series.len().max(1) as i32;
    let bar = 12;
    let group_height = per * bar + 10;
    let top = 10 + legend_layout(series).1 * 24;
    let height = (top + group_height * groups.len().max(1) as i32 + 28) as u32;
    let plot_width = WIDTH as i32 - LABEL_WIDTH - RIGHT_PAD;
    let mut svg = String::new();
    {
        let area = svg::Svg::new(&mut svg, (WIDTH, height)).into_drawing_area();
        draw_legend(&area, series);
        let bottom = top + group_height * groups.len() as i32;
        draw_scale(&area, top, bottom, plot_width);
        for (g, group) in groups.iter().enumerate() {
            let y0 = top + group_height * g as i32 + 5;
            let _ = area.draw(&Text::new(
                short_label(&group.label),
                (LABEL_WIDTH - 8, y0 + per * bar / 2),
                style(TEXT, &INK, HPos::Right),
            ));
            for (s, (value, text)) in group.values.iter().enumerate() {
                let y = y0 + bar * s as i32;
                let color = series.get(s).map_or(PALETTE[7], |(_, c)| *c);
                let x1 = x_of(*value, plot_width);
                let _ = area.draw(&Rectangle::new(
                    [(LABEL_WIDTH, y + 1), (x1.max(LABEL_WIDTH + 1), y + bar - 1)],
                    color.filled(),
                ));
                let _ = area.draw(&Text::new(
                    text.clone(),
                    (x1 + 4, y + bar / 2),
                    style(TEXT * SMALL, &INK, HPos::Left),
                ));
            }
        }
        let _ = area.present();
    }
    finish(id, title, desc, svg, height)
}

/// Where each legend entry goes: (x, row), wrapping to a new row of 24 px
/// before the chart's right edge, and how many rows that takes.
fn legend_layout(legend: &[(String, RGBColor)]) -> (Vec<(i32, i32)>, i32) {
    let mut at = Vec::with_capacity(legend.len());
    let (mut x, mut row) = (8, 0);
    for (label, _) in legend {
        // Rough width: plotters has no font metrics here; 7 px a character
        // is generous at 11 px.
        let w = 40 + 7 * label.chars().count() as i32;
        if x > 8 && x + w > WIDTH as i32 - 8 {
            x = 8;
            row += 1;
        }
        at.push((x, row));
        x += w;
    }
    (at, if legend.is_empty() { 0 } else { row + 1 })
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    legend: &[(String, RGBColor)],
) {
    let (at, _) = legend_layout(legend);
    for ((label, color), (x, row)) in legend.iter().zip(at) {
        let y = 8 + 24 * row;
        let _ = area.draw(&Rectangle::new([(x, y), (x + 14, y + 14)], color.filled()));
        let _ = area.draw(&Text::new(
            label.clone(),
            (x + 20, y + 7),
            style(TEXT * SMALL, &INK, HPos::Left),
        ));
    }
}

/// A round step (1, 2 or 5 times a power of ten) near `raw`.
pub(crate) fn nice_step(raw: f64) -> f64 {
    let raw = if raw.is_finite() && raw > 0.0 {
        raw
    } else {
        1.0
    };
    let power = 10f64.powf(raw.log10().floor());
    let m = raw / power;
    let nice = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Chart {
        let rows = vec![
            Bar {
                label: "Kabupaten Buleleng".into(),
                value: 84.12,
                value_text: "84,12".into(),
                color: category_color(0),
            },
            Bar {
                label: "Kota <Denpasar> & co".into(),
                value: 0.0,
                value_text: "0,00".into(),
                color: category_color(1),
            },
        ];
        bars(
            "c1",
            "Nilai & akhir",
            "desc",
            &rows,
            Some((50.0, "Rata-rata 50,00".into())),
            &[("Baik".into(), category_color(0))],
        )
    }

    #[test]
    fn the_legend_wraps_and_the_reference_label_has_its_own_row() {
        let legend: Vec<(String, RGBColor)> = (0..5)
            .map(|i| (format!("Kategori nomor {i} panjang"), category_color(i)))
            .collect();
        let (at, rows) = legend_layout(&legend);
        assert!(rows >= 2, "five long entries do not fit one row");
        for (i, (x, _)) in at.iter().enumerate() {
            let w = 40 + 7 * legend[i].0.chars().count() as i32;
            assert!(
                x + w <= WIDTH as i32 - 8 || *x == 8,
                "entry {i} runs off the chart"
            );
        }
        let rows_data = [Bar {
            label: "A".into(),
            value: 50.0,
            value_text: "50".into(),
            color: category_color(0),
        }];
        let c = bars(
            "c",
            "t",
            "d",
            &rows_data,
            Some((50.0, "Rata-rata".into())),
            &legend,
        );
        // The y of the text element holding `needle`.
        let y_of = |needle: &str| -> f64 {
            let end = c.svg.find(&format!(">{needle}<")).unwrap();
            let open = c.svg[..end].rfind("<text").unwrap();
            let tag = &c.svg[open..end];
            let at = tag.find(" y=\"").unwrap() + 4;
            tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
        };
        let lowest_legend = (0..5)
            .map(|i| y_of(&format!("Kategori nomor {i} panjang")))
            .fold(0.0, f64::max);
        assert!(
            y_of("Rata-rata") >= lowest_legend + 14.0,
            "the reference label overlaps the legend"
        );
    }

    #[test]
    fn charts_are_accessible_responsive_and_deterministic() {
        let c = sample();
        assert!(
            c.svg.starts_with(r#"<svg width="640" height="#),
            "{}",
            &c.svg[..200]
        );
        // The drawn size (shown as is on a phone); the stylesheet makes it fluid.
        assert!(c.svg.contains(r#" viewBox="0 0 640 "#));
        assert!(c
            .svg
            .contains("<title id=\"c1-t\">Nilai &amp; akhir</title>"));
        assert!(c.svg.contains("84,12"));
        assert!(!c.svg.contains("opacity=\"1\""));
        assert!(c.svg.contains("font-size=\"13\""), "{}", c.svg);
        assert!(c.svg.contains("&lt;Denpasar&gt;"));
        assert!(!c.svg.contains("Kabupaten Buleleng"), "prefix is shortened");
        assert_eq!(c.svg, sample().svg);
    }

    #[test]
    fn empty_charts_still_draw() {
        let c = grouped_bars("g", "t", "d", &[], &[]);
        assert!(c.svg.ends_with("</svg>\n") || c.svg.ends_with("</svg>"));
    }
}
