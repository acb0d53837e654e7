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
    if v < 0 {
        out.push('-');
    }
    let mut n = v.unsigned_abs();
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"));
}

/// `name="value" ` for a whole number.
fn attr(out: &mut String, name: &str, v: i64) {
    out.push_str(name);
    out.push_str("=\"");
    num(out, v);
    out.push_str("\" ");
}

/// Text as XML character data.
fn escape_into(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
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
        let _ = write!(
            self.out,
            r#"<rect x="{x0}" y="{y0}" width="{}" height="{}" "#,
            x1 - x0,
            y1 - y0
        );
        if fill {
            self.out.push_str("fill=\"");
        } else {
            let _ = write!(
                self.out,
                "fill=\"none\" stroke-width=\"{}\" stroke=\"",
                style.stroke_width()
            );
        }
        color(self.out, style.color());
        self.out.push_str("/>");
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.out.push_str("<polyline fill=\"none\" points=\"");
        for (i, (x, y)) in path.into_iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            num(self.out, x.into());
            self.out.push(',');
            num(self.out, y.into());
        }
        let _ = write!(
            self.out,
            "\" stroke-width=\"{}\" stroke=\"",
            style.stroke_width()
        );
        color(self.out, style.color());
        self.out.push_str("/>");
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Never>> {
        let _ = write!(
            self.out,
            r#"<circle cx="{}" cy="{}" r="{radius}" "#,
            center.0, center.1
        );
        if fill {
            self.out.push_str("fill=\"");
        } else {
            let _ = write!(
                self.out,
                "fill=\"none\" stroke-width=\"{}\" stroke=\"",
                style.stroke_width()
            );
        }
        color(self.out, style.color());
        self.out.push_str("/>");
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.out.push_str("<polygon points=\"");
        for (i, (x, y)) in vert.into_iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            num(self.out, x.into());
            self.out.push(',');
            num(self.out, y.into());
        }
        self.out.push_str("\" fill=\"");
        color(self.out, style.color());
        self.out.push_str("/>");
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
        // Sizes are whole pixels: plotters' sizes are in points of its own.
        self.out.push_str("<text ");
        attr(self.out, "x", pos.0.into());
        attr(self.out, "y", pos.1.into());
        attr(self.out, "font-size", (style.size() / 1.24).round() as i64);
        self.out.push_str("dy=\"");
        self.out.push_str(dy);
        self.out.push_str("\" text-anchor=\"");
        self.out.push_str(anchor);
        self.out.push('"');
        if let FontStyle::Bold = style.style() {
            self.out.push_str(" font-weight=\"bold\"");
        }
        self.out.push_str(" fill=\"");
        color(self.out, style.color());
        self.out.push('>');
        escape_into(self.out, text);
        self.out.push_str("</text>");
        Ok(())
    }
}

impl Drop for Svg<'_> {
    fn drop(&mut self) {
        self.out.push_str("</svg>");
    }
}
