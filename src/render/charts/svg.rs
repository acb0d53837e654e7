//! A compact SVG backend for plotters. plotters' own SVG backend builds a
//! vector of formatted attributes for every element (about 9,000 instructions
//! a text), which made charts the largest cost of a 5,000-page build; this
//! one writes each element straight into the string, without attributes a
//! browser does not need (the font family and sizes come from the page's CSS
//! class per size).

use std::fmt::Write as _;

use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle,
};

/// Draws into `out`; `finish` closes the document.
pub struct Svg<'a> {
    out: &'a mut String,
    size: (u32, u32),
}

#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cannot happen")
    }
}

impl std::error::Error for Never {}

impl<'a> Svg<'a> {
    pub fn new(out: &'a mut String, size: (u32, u32)) -> Self {
        let _ = write!(
            out,
            r#"<svg width="{}" height="{}" viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg">"#,
            size.0, size.1, size.0, size.1
        );
        Svg { out, size }
    }
}

fn color(out: &mut String, c: BackendColor) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('#');
    for byte in [c.rgb.0, c.rgb.1, c.rgb.2] {
        out.push(HEX[usize::from(byte >> 4)] as char);
        out.push(HEX[usize::from(byte & 15)] as char);
    }
    out.push('"');
    if c.alpha < 1.0 {
        let _ = write!(
            out,
            " fill-opacity=\"{:.2}\" stroke-opacity=\"{:.2}\"",
            c.alpha, c.alpha
        );
    }
}

/// Appends a whole number; charts write tens of thousands of them.
fn num(out: &mut String, v: i64) {
    out.push_str(itoa::Buffer::new().format(v));
}

/// `name="value" ` for a whole number.
fn attr(out: &mut String, name: &str, v: i64) {
    out.push_str(name);
    out.push_str("=\"");
    num(out, v);
    out.push_str("\" ");
}

/// Text as XML character data or an attribute value. Characters XML 1.0
/// does not allow at all (control characters, U+FFFE, U+FFFF) would make the
/// whole chart unreadable; content checks refuse them, and should one get
/// through anyway it is shown as U+FFFD.
pub fn escape_into(out: &mut String, text: &str) {
    // Runs of plain characters are copied whole: most labels have none to escape.
    let mut plain_from = 0;
    for (i, ch) in text.char_indices() {
        let replacement = match ch {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            c if is_xml_char(c) => continue,
            _ => "\u{FFFD}",
        };
        out.push_str(&text[plain_from..i]);
        out.push_str(replacement);
        plain_from = i + ch.len_utf8();
    }
    out.push_str(&text[plain_from..]);
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

impl DrawingBackend for Svg<'_> {
    type ErrorType = Never;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        c: BackendColor,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.draw_rect(point, (point.0 + 1, point.1 + 1), &c, true)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.draw_path([from, to], style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Never>> {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        self.out.push_str("<rect ");
        attr(self.out, "x", x0.into());
        attr(self.out, "y", y0.into());
        attr(self.out, "width", (x1 - x0).into());
        attr(self.out, "height", (y1 - y0).into());
        paint(self.out, style, fill);
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.out.push_str("<polyline ");
        points(self.out, path);
        paint(self.out, style, false);
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.out.push_str("<circle ");
        attr(self.out, "cx", center.0.into());
        attr(self.out, "cy", center.1.into());
        attr(self.out, "r", radius.into());
        paint(self.out, style, fill);
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.out.push_str("<polygon ");
        points(self.out, vert);
        paint(self.out, style, true);
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Never>> {
        let anchor = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Center => "middle",
            HPos::Right => "end",
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => "0.76em",
            VPos::Center => "0.5ex",
            VPos::Bottom => "-0.5ex",
        };
        self.out.push_str("<text ");
        attr(self.out, "x", pos.0.into());
        attr(self.out, "y", pos.1.into());
        // plotters sizes text in its own points; whole pixels are enough here.
        attr(self.out, "font-size", (style.size() / 1.24).round() as i64);
        self.out.push_str("dy=\"");
        self.out.push_str(dy);
        self.out.push_str("\" text-anchor=\"");
        self.out.push_str(anchor);
        self.out.push_str("\" ");
        if let FontStyle::Bold = style.style() {
            self.out.push_str("font-weight=\"bold\" ");
        }
        self.out.push_str("fill=\"");
        color(self.out, style.color());
        self.out.push('>');
        escape_into(self.out, text);
        self.out.push_str("</text>");
        Ok(())
    }
}

/// `points="x,y x,y"` of a polyline or polygon.
fn points(out: &mut String, path: impl IntoIterator<Item = BackendCoord>) {
    out.push_str("points=\"");
    for (i, (x, y)) in path.into_iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        num(out, x.into());
        out.push(',');
        num(out, y.into());
    }
    out.push_str("\" ");
}

/// The fill, or the stroke of an outline, and the end of the element.
fn paint<S: BackendStyle>(out: &mut String, style: &S, fill: bool) {
    if fill {
        out.push_str("fill=\"");
    } else {
        out.push_str("fill=\"none\" ");
        attr(out, "stroke-width", style.stroke_width().into());
        out.push_str("stroke=\"");
    }
    color(out, style.color());
    out.push_str("/>");
}

impl Drop for Svg<'_> {
    fn drop(&mut self) {
        self.out.push_str("</svg>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character class that matters, and then every character: the
    /// escaped text always parses as XML and reads back as given, less the
    /// characters XML cannot hold.
    #[test]
    fn escaped_text_is_always_well_formed_xml() {
        let mut samples: Vec<String> = [
            "Kabupaten Alpha",
            "a & b < c > d \" e ' f",
            "bell \u{7} nul \u{0} esc \u{1b} del \u{7f} c1 \u{85}\u{9f}",
            "bidi \u{202E}reversed\u{202C} \u{2066}iso\u{2069} \u{200E}\u{200F}",
            "not chars \u{FFFE}\u{FFFF} ok \u{FFFD} \u{1F600} \u{10FFFF}",
            "tab\tline\nreturn\r",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        samples.push((0..=0x10FFFF).filter_map(char::from_u32).collect());
        for text in &samples {
            let mut doc = String::from("<svg><text a=\"");
            escape_into(&mut doc, text);
            doc.push_str("\">");
            escape_into(&mut doc, text);
            doc.push_str("</text></svg>");
            let parsed = roxmltree::Document::parse(&doc)
                .unwrap_or_else(|e| panic!("{text:?} escaped is not XML: {e}"));
            let node = parsed.root_element().first_child().unwrap();
            let expected: String = text
                .chars()
                .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
                // XML reads a carriage return as a line break.
                .collect::<String>()
                .replace("\r\n", "\n")
                .replace('\r', "\n");
            assert_eq!(node.text(), Some(expected.as_str()));
            assert!(!doc.chars().any(|c| !is_xml_char(c)));
        }
    }
}
