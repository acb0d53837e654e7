//! Scatter: final score against stunting prevalence, each point labelled.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::{finish, nice_step, style, Chart, INK, MUTED, RULE, SMALL, TEXT, WIDTH};

pub struct Point {
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub color: RGBColor,
}

const HEIGHT: u32 = 380;
const LEFT: i32 = 56;
const RIGHT: i32 = 110;
const TOP: i32 = 16;
const BOTTOM: i32 = 52;

/// Points on x (from 0) and y (from a round value below the lowest, to 100).
pub fn scatter(
    id: &str,
    title: &str,
    desc: &str,
    x_label: &str,
    y_label: &str,
    points: &[Point],
) -> Chart {
    let x_max_data = points.iter().map(|p| p.x).fold(0.0_f64, f64::max);
    let x_step = nice_step(x_max_data.max(1.0) / 5.0);
    let x_hi = ((x_max_data / x_step).floor() + 1.0) * x_step;
    let y_min_data = points.iter().map(|p| p.y).fold(100.0_f64, f64::min);
    let y_lo = (((y_min_data - 5.0) / 10.0).floor() * 10.0).clamp(0.0, 90.0);
    let (x0, x1) = (LEFT, WIDTH as i32 - RIGHT);
    let (y0, y1) = (HEIGHT as i32 - BOTTOM, TOP);
    let px = |x: f64| x0 + ((x / x_hi) * f64::from(x1 - x0)).round() as i32;
    let py = |y: f64| y0 - (((y - y_lo) / (100.0 - y_lo)) * f64::from(y0 - y1)).round() as i32;
    let mut svg = String::new();
    {
        let area = super::svg::Svg::new(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let mut t = 0.0;
        while t <= x_hi + 1e-9 {
            let x = px(t);
            let _ = area.draw(&PathElement::new(
                vec![(x, y1), (x, y0)],
                RULE.stroke_width(1),
            ));
            let _ = area.draw(&Text::new(
                crate::format::trim_number(t).replace('.', ","),
                (x, y0 + 12),
                style(TEXT * SMALL, &MUTED, HPos::Center),
            ));
            t += x_step;
        }
        let mut t = y_lo;
        while t <= 100.0 + 1e-9 {
            let y = py(t);
            let _ = area.draw(&PathElement::new(
                vec![(x0, y), (x1, y)],
                RULE.stroke_width(1),
            ));
            let _ = area.draw(&Text::new(
                format!("{t}"),
                (x0 - 6, y),
                style(TEXT * SMALL, &MUTED, HPos::Right),
            ));
            t += 10.0;
        }
        let _ = area.draw(&Text::new(
            x_label.to_string(),
            ((x0 + x1) / 2, HEIGHT as i32 - 14),
            style(TEXT * 0.9, &INK, HPos::Center),
        ));
        let _ = area.draw(&Text::new(
            y_label.to_string(),
            (4, 8),
            style(TEXT * 0.9, &INK, HPos::Left),
        ));
        for p in points {
            let (x, y) = (px(p.x), py(p.y));
            let _ = area.draw(&Circle::new((x, y), 5, p.color.filled()));
            let _ = area.draw(&Circle::new((x, y), 5, INK.stroke_width(1)));
            let _ = area.draw(&Text::new(
                super::short_label(&p.label),
                (x + 8, y),
                style(TEXT * SMALL, &INK, HPos::Left),
            ));
        }
        let _ = area.present();
    }
    finish(id, title, desc, svg, HEIGHT)
}
