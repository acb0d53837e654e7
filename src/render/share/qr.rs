//! A QR code as inline SVG, for the printed page to lead back to its address.
//!
//! Every code uses one mask (the checkerboard, pattern 0): the standard
//! lets an encoder choose any, and scoring all eight to pick the best, as
//! `QrCode::new` does, took a sixth of a 5,000-page build's CPU time.

use std::fmt::Write;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};

/// The modules of the QR code for `text` (row by row) and its width.
fn modules(text: &str) -> Option<(Vec<Color>, usize)> {
    let bits = qrcode::bits::encode_auto(text.as_bytes(), EcLevel::M).ok()?;
    let version = bits.version();
    let (data, ec) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    Some((canvas.into_colors(), usize::try_from(version.width()).ok()?))
}

/// The quiet zone around the code, in modules (the standard asks for 4).
const QUIET: usize = 4;

/// An SVG of the QR code for `text` titled `label`, each row's dark runs as
/// one path; `None` if the text is too long for a QR code.
pub fn svg(text: &str, label: &str) -> Option<String> {
    let (colors, width) = modules(text)?;
    let mut path = String::with_capacity(width * width);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Light {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] == Color::Dark {
                x += 1;
            }
            let run = x - start;
            let _ = write!(path, "M{} {}h{run}v1h-{run}z", start + QUIET, y + QUIET);
        }
    }
    let side = width + 2 * QUIET;
    Some(format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
         role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
        crate::render::charts::escape(label)
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_code_is_an_svg_of_runs() {
        let svg = super::svg("https://example.go.id/2023/badung/", "QR").unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("viewBox=\"0 0 37 37\"") || svg.contains("viewBox=\"0 0 41 41\""));
        assert!(super::svg(&"x".repeat(5000), "QR").is_none());
    }
}
