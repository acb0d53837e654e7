//! Heat map: rows (districts) × columns (actions), the value printed in each cell.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::{
    contrast, finish_sized, short_label, style, Chart, INK, LABEL_WIDTH, SMALL, TEXT, WIDTH,
};

/// One row; `None` cells are drawn empty.
pub struct HeatRow {
    pub label: String,
    pub values: Vec<Option<(f64, String)>>,
}

const CELL_HEIGHT: i32 = 24;
const MIN_CELL_WIDTH: i32 = 52;
const LIGHT: (f64, f64, f64) = (0xEF as f64, 0xF3 as f64, 0xFF as f64);
const DARK: (f64, f64, f64) = (0x08 as f64, 0x45 as f64, 0x94 as f64);
const WHITE_INK: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
/// Pure black in cells: the page's near-black ink falls just short of 4.5:1 on mid blues.
const BLACK_INK: RGBColor = RGBColor(0x00, 0x00, 0x00);

/// A single-hue blue ramp: light is low, dark is high; readable without colour
/// vision because the value is printed in every cell.
pub fn shade(value: f64) -> RGBColor {
    let t = (value / 100.0).clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(
        mix(LIGHT.0, DARK.0),
        mix(LIGHT.1, DARK.1),
        mix(LIGHT.2, DARK.2),
    )
}

/// Black or white, whichever contrasts more with the cell: never below
/// 4.58:1, so 10 px figures pass WCAG AA on any shade.
fn ink_on(fill: RGBColor) -> &'static RGBColor {
    if contrast(fill, WHITE_INK) >= contrast(fill, BLACK_INK) {
        &WHITE_INK
    } else {
        &BLACK_INK
    }
}

pub fn heatmap(id: &str, title: &str, desc: &str, columns: &[String], rows: &[HeatRow]) -> Chart {
    let n = columns.len().max(1) as i32;
    let cell = ((WIDTH as i32 - LABEL_WIDTH - 8) / n).max(MIN_CELL_WIDTH);
    let width = (LABEL_WIDTH + cell * n + 8) as u32;
    let top = 28;
    let height = (top + CELL_HEIGHT * rows.len().max(1) as i32 + 8) as u32;
    let mut svg = String::new();
    {
        let area = super::svg::Svg::new(&mut svg, (width, height)).into_drawing_area();
        for (c, name) in columns.iter().enumerate() {
            let x = LABEL_WIDTH + cell * c as i32 + cell / 2;
            let _ = area.draw(&Text::new(
                name.clone(),
                (x, top / 2),
                style(TEXT * SMALL, &INK, HPos::Center),
            ));
        }
        for (r, row) in rows.iter().enumerate() {
            let y = top + CELL_HEIGHT * r as i32;
            let _ = area.draw(&Text::new(
                short_label(&row.label),
                (LABEL_WIDTH - 8, y + CELL_HEIGHT / 2),
                style(TEXT, &INK, HPos::Right),
            ));
            for (c, value) in row.values.iter().enumerate() {
                let x = LABEL_WIDTH + cell * c as i32;
                let Some((v, text)) = value else { continue };
                let _ = area.draw(&Rectangle::new(
                    [(x + 1, y + 1), (x + cell - 1, y + CELL_HEIGHT - 1)],
                    shade(*v).filled(),
                ));
                let ink = ink_on(shade(*v));
                let _ = area.draw(&Text::new(
                    text.clone(),
                    (x + cell / 2, y + CELL_HEIGHT / 2),
                    style(TEXT * SMALL, ink, HPos::Center),
                ));
            }
        }
        let _ = area.present();
    }
    finish_sized(id, title, desc, svg, width, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shade_gets_ink_at_wcag_aa_contrast() {
        for v in 0..=100 {
            let fill = shade(f64::from(v));
            let ratio = contrast(fill, *ink_on(fill));
            assert!(ratio >= 4.5, "value {v}: {ratio:.2}:1");
        }
    }
}
