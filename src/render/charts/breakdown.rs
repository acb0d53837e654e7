//! Component breakdown: one strip of 100 points, a box per component as wide
//! as its weight, filled as far as the district's score on it.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::{finish, style, Chart, INK, RULE, SMALL, TEXT, WIDTH};

pub struct Segment {
    pub label: String,
    pub weight: f64,
    pub score: f64,
    pub color: RGBColor,
}

const LEFT: i32 = 16;
const STRIP_TOP: i32 = 12;
const STRIP_HEIGHT: i32 = 36;
const LEGEND_ROW: i32 = 22;

pub fn breakdown(
    id: &str,
    title: &str,
    desc: &str,
    segments: &[Segment],
    legend: &[String],
) -> Chart {
    let height = (STRIP_TOP + STRIP_HEIGHT + 16 + LEGEND_ROW * segments.len() as i32 + 8) as u32;
    let width = f64::from(WIDTH as i32 - 2 * LEFT);
    let mut svg = String::new();
    {
        let area = super::svg::Svg::new(&mut svg, (WIDTH, height)).into_drawing_area();
        let mut start = 0.0;
        for s in segments {
            let x = |points: f64| LEFT + (points / 100.0 * width).round() as i32;
            let (a, b) = (x(start), x(start + s.weight));
            let filled = x(start + s.weight * s.score.clamp(0.0, 100.0) / 100.0);
            let _ = area.draw(&Rectangle::new(
                [(a, STRIP_TOP), (b, STRIP_TOP + STRIP_HEIGHT)],
                s.color.mix(0.18).filled(),
            ));
            if filled > a {
                let _ = area.draw(&Rectangle::new(
                    [(a, STRIP_TOP), (filled, STRIP_TOP + STRIP_HEIGHT)],
                    s.color.filled(),
                ));
            }
            let _ = area.draw(&Rectangle::new(
                [(a, STRIP_TOP), (b, STRIP_TOP + STRIP_HEIGHT)],
                RULE.stroke_width(1),
            ));
            start += s.weight;
        }
        for (i, (s, text)) in segments.iter().zip(legend).enumerate() {
            let y = STRIP_TOP + STRIP_HEIGHT + 16 + LEGEND_ROW * i as i32;
            let _ = area.draw(&Rectangle::new(
                [(LEFT, y), (LEFT + 14, y + 14)],
                s.color.filled(),
            ));
            let _ = area.draw(&Text::new(
                format!("{}: {text}", s.label),
                (LEFT + 22, y + 7),
                style(TEXT * SMALL, &INK, HPos::Left),
            ));
        }
        let _ = area.present();
    }
    finish(id, title, desc, svg, height)
}
