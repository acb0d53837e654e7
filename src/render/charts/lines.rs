//! Lines over the years in stacked panels: one panel per measure, each point labelled.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::{finish, style, Chart, INK, MUTED, RULE, SMALL, TEXT, WIDTH};

pub struct Series {
    pub color: RGBColor,
    /// Per x position: the value and its label, or nothing.
    pub points: Vec<Option<(f64, String)>>,
}

pub struct Panel {
    pub title: String,
    pub lo: f64,
    pub hi: f64,
    /// Draw the scale upside down (for ranks: 1 on top).
    pub inverted: bool,
    pub series: Vec<Series>,
}

const PANEL_HEIGHT: i32 = 150;
const LEFT: i32 = 48;
const RIGHT: i32 = 40;

pub fn line_panels(
    id: &str,
    title: &str,
    desc: &str,
    x_labels: &[String],
    panels: &[Panel],
) -> Chart {
    // A label's second line (after '\n') marks a year without data.
    let marked = x_labels.iter().any(|l| l.contains('\n'));
    let height =
        (PANEL_HEIGHT * panels.len().max(1) as i32 + 24 + if marked { 16 } else { 0 }) as u32;
    let n = x_labels.len().max(1);
    let (x0, x1) = (LEFT + 16, WIDTH as i32 - RIGHT);
    let px = |i: usize| {
        if n == 1 {
            (x0 + x1) / 2
        } else {
            x0 + ((x1 - x0) as f64 * i as f64 / (n - 1) as f64).round() as i32
        }
    };
    let mut svg = String::new();
    {
        let area = super::svg::Svg::new(&mut svg, (WIDTH, height)).into_drawing_area();
        for (k, panel) in panels.iter().enumerate() {
            let top = PANEL_HEIGHT * k as i32 + 24;
            let (y_top, y_bottom) = (top + 14, top + PANEL_HEIGHT - 30);
            let span = if panel.hi > panel.lo {
                panel.hi - panel.lo
            } else {
                1.0
            };
            let py = |v: f64| {
                let t = ((v - panel.lo) / span).clamp(0.0, 1.0);
                let t = if panel.inverted { 1.0 - t } else { t };
                y_bottom - (t * f64::from(y_bottom - y_top)).round() as i32
            };
            let _ = area.draw(&Text::new(
                panel.title.clone(),
                (4, top),
                style(TEXT * 0.9, &INK, HPos::Left),
            ));
            for v in [panel.lo, panel.hi] {
                let y = py(v);
                let _ = area.draw(&PathElement::new(
                    vec![(x0 - 8, y), (x1 + 8, y)],
                    RULE.stroke_width(1),
                ));
                let _ = area.draw(&Text::new(
                    crate::format::trim_number(v).replace('.', ","),
                    (x0 - 12, y),
                    style(TEXT * SMALL, &MUTED, HPos::Right),
                ));
            }
            // The years once, under the last panel.
            if k + 1 == panels.len() {
                for (i, label) in x_labels.iter().enumerate() {
                    for (l, line) in label.split('\n').enumerate() {
                        let _ = area.draw(&Text::new(
                            line.to_string(),
                            (px(i), y_bottom + 14 + 16 * l as i32),
                            style(TEXT * SMALL, &MUTED, HPos::Center),
                        ));
                    }
                }
            }
            for series in &panel.series {
                draw_series(&area, series, &px, &py);
            }
        }
        let _ = area.present();
    }
    finish(id, title, desc, svg, height)
}

/// One series of a panel: its points, labelled, joined along each run of
/// consecutive years (no line across a gap). `px`, `py` place a point.
fn draw_series<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    series: &Series,
    px: &impl Fn(usize) -> i32,
    py: &impl Fn(f64) -> i32,
) {
    let pts: Vec<(usize, f64, &String)> = series
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.as_ref().map(|(v, t)| (i, *v, t)))
        .collect();
    for run in pts.chunk_by(|a, b| b.0 == a.0 + 1) {
        if run.len() > 1 {
            let path: Vec<(i32, i32)> = run.iter().map(|(i, v, _)| (px(*i), py(*v))).collect();
            let _ = area.draw(&PathElement::new(path, series.color.stroke_width(2)));
        }
    }
    for (i, v, text) in pts {
        let (x, y) = (px(i), py(v));
        let _ = area.draw(&Circle::new((x, y), 4, series.color.filled()));
        let _ = area.draw(&Text::new(
            text.clone(),
            (x, y - 12),
            style(TEXT * SMALL, &INK, HPos::Center),
        ));
    }
}
