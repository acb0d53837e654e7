//! A 1200×630 picture held as 4-bit palette indices (two pixels a byte,
//! exactly the rows an indexed PNG stores), text drawn from the embedded
//! font, encoded as an indexed PNG.
//!
//! Why not plotters' `BitMapBackend`: it draws RGB, and an RGB picture
//! then has to be quantised to a palette to be small; an earlier attempt
//! at this feature measured that at +95 % of a 5,000-district-page build's
//! CPU time. Here every pixel is a palette index from the start, each
//! glyph is rasterised once per (font, glyph, size) with `ab_glyph` (the
//! rasteriser plotters' `ab_glyph` feature uses) and its coverage kept
//! packed like the picture's rows, so drawing text is combining bytes, and
//! the PNG encoder ([`super::encode`]) gets the rows as they are. Measured
//! cost now: see the README's Performance section.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont};

pub const W: usize = 1200;
pub const H: usize = 630;
const ROW: usize = W / 2;

/// Palette indices 0..=`INK` are a ramp from the background (white) to
/// the ink, so anti-aliased text needs no blending.
pub const WHITE: u8 = 0;
pub const INK: u8 = 5;
/// A light grey for rules and the empty part of bars.
pub const TRACK: u8 = 6;
/// The accent colour (band, bars).
pub const ACCENT: u8 = 7;
/// The first index free for a picture's own colours (a category's), up to 15.
pub const FREE: u8 = 8;

/// The fixed part of every picture's palette, indices 0..`FREE`.
pub const BASE_PALETTE: [[u8; 3]; FREE as usize] = [
    [0xff, 0xff, 0xff],
    [0xd9, 0xdb, 0xdd],
    [0xb3, 0xb6, 0xba],
    [0x8c, 0x91, 0x97],
    [0x5f, 0x66, 0x6d],
    [0x1f, 0x29, 0x33],
    [0xe4, 0xe7, 0xea],
    [0x0b, 0x4f, 0x8a],
];

const REGULAR_TTF: &[u8] = include_bytes!("../../../themes/default/fonts/NotoSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../themes/default/fonts/NotoSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

/// Full ink, or grey (the ramp's darkest level `MUTED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Ink,
    Muted,
}

const MUTED: u8 = 4;

fn font(weight: Weight) -> &'static FontRef<'static> {
    static FONTS: OnceLock<[FontRef<'static>; 2]> = OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        // Both files are part of this binary and were checked when added:
        // a failure here is a broken build, not a user's input.
        let load = |bytes| FontRef::try_from_slice(bytes).expect("the embedded font is valid");
        [load(REGULAR_TTF), load(BOLD_TTF)]
    });
    &fonts[weight as usize]
}

/// What drawing a pixel of ramp level `level` (1..=`INK`) over `current`
/// leaves: on the ramp the darker wins; over a colour only a pixel mostly
/// covered is drawn. A level of 0 leaves the pixel as it is.
const fn over(current: u8, level: u8) -> u8 {
    if level == 0 {
        current
    } else if (current <= INK && level > current) || (current > INK && level * 2 > INK) {
        level
    } else {
        current
    }
}

/// [`over`] for the two pixels of a byte at once: `OVER[current][glyph]`.
static OVER: [[u8; 256]; 256] = {
    let mut table = [[0u8; 256]; 256];
    let mut current = 0;
    while current < 256 {
        let mut glyph = 0;
        while glyph < 256 {
            let (c, g) = (current as u8, glyph as u8);
            table[current][glyph] = over(c >> 4, g >> 4) << 4 | over(c & 0x0f, g & 0x0f);
            glyph += 1;
        }
        current += 1;
    }
    table
};

/// A glyph's coverage as ramp levels, packed two pixels a byte like the
/// picture's rows, for a glyph starting on an even and on an odd column,
/// in ink and in grey; and where it sits from its origin.
struct Glyph {
    left: i32,
    top: i32,
    width: usize,
    height: usize,
    /// `packed[tone][column parity]`: `height` rows of `stride` bytes.
    packed: [[Vec<u8>; 2]; 2],
    stride: usize,
}

impl Glyph {
    /// The ramp level of the glyph's pixel (`col`, `row`) in `tone`.
    fn level(&self, tone: Tone, col: usize, row: usize) -> u8 {
        nibble(
            self.packed[tone as usize][0][row * self.stride + col / 2],
            col,
        )
    }
}

/// The pixel of column `x` in `byte`, which holds columns `x` and `x ^ 1`
/// (the even one in the high four bits).
fn nibble(byte: u8, x: usize) -> u8 {
    if x.is_multiple_of(2) {
        byte >> 4
    } else {
        byte & 0x0f
    }
}

/// `coverage` (0..=1, `width` a row) as levels up to `top`, packed from
/// column `shift` (0 or 1) of rows `stride` bytes long.
fn pack(coverage: &[f32], width: usize, stride: usize, top: u8, shift: usize) -> Vec<u8> {
    let rows = coverage.len() / width.max(1);
    let mut packed = vec![0u8; rows * stride];
    for (i, c) in coverage.iter().enumerate() {
        let (row, col) = (i / width, i % width + shift);
        let level = (c * f32::from(top)).round() as u8;
        packed[row * stride + col / 2] |= if col % 2 == 0 { level << 4 } else { level };
    }
    packed
}

thread_local! {
    /// Rasterised glyphs by (weight, glyph, size): each is drawn once per thread.
    static GLYPHS: RefCell<HashMap<(Weight, GlyphId, u16), Rc<Glyph>>> = RefCell::new(HashMap::new());
}

fn glyph(weight: Weight, id: GlyphId, size: u16) -> Rc<Glyph> {
    GLYPHS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let made = cache.entry((weight, id, size)).or_insert_with(|| {
            let g = id.with_scale_and_position(f32::from(size), ab_glyph::point(0.0, 0.0));
            let (left, top, width, height, coverage) = match font(weight).outline_glyph(g) {
                Some(outline) => {
                    let bounds = outline.px_bounds();
                    let width = bounds.width() as usize;
                    let height = bounds.height() as usize;
                    let mut coverage = vec![0f32; width * height];
                    outline.draw(|x, y, c| {
                        if let Some(v) = coverage.get_mut(y as usize * width + x as usize) {
                            *v = c.clamp(0.0, 1.0);
                        }
                    });
                    let (left, top) = (bounds.min.x as i32, bounds.min.y as i32);
                    (left, top, width, height, coverage)
                }
                None => (0, 0, 0, 0, Vec::new()),
            };
            let stride = width / 2 + 1;
            let tone = |top| [0, 1].map(|shift| pack(&coverage, width, stride, top, shift));
            Rc::new(Glyph {
                left,
                top,
                width,
                height,
                packed: [tone(INK), tone(MUTED)],
                stride,
            })
        });
        Rc::clone(made)
    })
}

/// The glyphs of `text` with their x offsets from the start, and the width.
fn layout(weight: Weight, size: u16, text: &str) -> (Vec<(GlyphId, f32)>, f32) {
    let scaled = font(weight).as_scaled(PxScale::from(f32::from(size)));
    let mut x = 0.0;
    let mut previous: Option<GlyphId> = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            x += scaled.kern(p, id);
        }
        glyphs.push((id, x));
        x += scaled.h_advance(id);
        previous = Some(id);
    }
    (glyphs, x)
}

/// The width in pixels of `text` drawn at `size`.
pub fn text_width(weight: Weight, size: u16, text: &str) -> i32 {
    layout(weight, size, text).1.ceil() as i32
}

pub struct Canvas {
    px: Vec<u8>,
    /// Which canvas this is (unique in the process) and how many times it
    /// has been drawn on: together they name its pixels.
    id: u64,
    version: u64,
    /// The rows drawn on since the canvas was made, or filled by
    /// [`Canvas::with_copy`]: one bit a row.
    touched: [u64; H.div_ceil(64)],
}

/// The last canvas id given.
static IDS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// One picture's pixels per thread, reused, and the id and version of
    /// the canvas they were last copied from: a fresh 378 KB buffer for
    /// every picture is mapped and faulted in page by page, and copying
    /// all of it for every picture is needless when a picture draws on
    /// half of its rows.
    static SCRATCH: RefCell<(Canvas, Option<(u64, u64)>)> = RefCell::new((Canvas::new(), None));
}

impl Clone for Canvas {
    fn clone(&self) -> Canvas {
        let mut copy = Canvas::new();
        copy.px.copy_from_slice(&self.px);
        copy
    }
}

impl Canvas {
    /// Runs `draw` on a copy of `self` (in this thread's scratch picture).
    /// When the scratch was last a copy of `self` as it is now, only the
    /// rows drawn on since are copied back.
    pub fn with_copy<T>(&self, draw: impl FnOnce(&mut Canvas) -> T) -> T {
        SCRATCH.with(|scratch| {
            let (copy, source) = &mut *scratch.borrow_mut();
            if *source == Some((self.id, self.version)) {
                for (word, bits) in copy.touched.iter().enumerate() {
                    let mut bits = *bits;
                    while bits != 0 {
                        let y = word * 64 + bits.trailing_zeros() as usize;
                        let row = y * ROW..(y + 1) * ROW;
                        copy.px[row.clone()].copy_from_slice(&self.px[row]);
                        bits &= bits - 1;
                    }
                }
            } else {
                copy.px.copy_from_slice(&self.px);
                *source = Some((self.id, self.version));
            }
            copy.touched = [0; H.div_ceil(64)];
            draw(copy)
        })
    }

    /// A white picture.
    pub fn new() -> Canvas {
        Canvas {
            px: vec![WHITE << 4 | WHITE; ROW * H],
            id: IDS.fetch_add(1, Ordering::Relaxed) + 1,
            version: 0,
            touched: [0; H.div_ceil(64)],
        }
    }

    /// Notes that `rows` are about to be drawn on.
    fn touch(&mut self, rows: Range<usize>) {
        self.version += 1;
        for y in rows {
            self.touched[y / 64] |= 1 << (y % 64);
        }
    }

    /// The palette index of the pixel at `x`, `y`.
    pub fn get(&self, x: usize, y: usize) -> u8 {
        nibble(self.px[y * ROW + x / 2], x)
    }

    fn set(&mut self, x: usize, y: usize, c: u8) {
        let b = &mut self.px[y * ROW + x / 2];
        *b = if x.is_multiple_of(2) {
            (*b & 0x0f) | (c << 4)
        } else {
            (*b & 0xf0) | c
        };
    }

    /// Fills the rectangle from (x0, y0) to (x1, y1), ends excluded, clipped.
    pub fn rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, c: u8) {
        let clip = |v: i32, max: usize| v.clamp(0, max as i32) as usize;
        let (x0, x1, y0, y1) = (clip(x0, W), clip(x1, W), clip(y0, H), clip(y1, H));
        if x0 >= x1 {
            return;
        }
        self.touch(y0..y1);
        for y in y0..y1 {
            let (mut a, mut b) = (x0, x1);
            if a % 2 == 1 {
                self.set(a, y, c);
                a += 1;
            }
            if b % 2 == 1 && b > a {
                self.set(b - 1, y, c);
                b -= 1;
            }
            if a < b {
                self.px[y * ROW + a / 2..y * ROW + b / 2].fill(c << 4 | c);
            }
        }
    }

    /// Draws `text` with its baseline at `y`, from `x`; returns where it ends.
    pub fn text(
        &mut self,
        x: i32,
        y: i32,
        weight: Weight,
        size: u16,
        tone: Tone,
        text: &str,
    ) -> i32 {
        let (glyphs, width) = layout(weight, size, text);
        for (id, dx) in glyphs {
            let g = glyph(weight, id, size);
            self.glyph(&g, tone, x + dx.round() as i32 + g.left, y + g.top);
        }
        x + width.ceil() as i32
    }

    /// Draws glyph `g` with its top left corner at (`gx`, `gy`).
    fn glyph(&mut self, g: &Glyph, tone: Tone, gx: i32, gy: i32) {
        // The glyph's rows inside the picture.
        let rows = (-gy).max(0) as usize..(H as i32 - gy).clamp(0, g.height as i32) as usize;
        self.touch((gy + rows.start as i32) as usize..(gy + rows.end as i32) as usize);
        if gx < 0 || gx as usize + g.width > W {
            // Cut at a side.
            self.glyph_by_pixel(g, tone, gx, gy, rows);
            return;
        }
        // Inside: a byte (two pixels) at a time.
        let gx = gx as usize;
        let packed = &g.packed[tone as usize][gx % 2];
        let bytes = (gx % 2 + g.width).div_ceil(2);
        for row in rows {
            let at = (gy as usize + row) * ROW + gx / 2;
            let line = &packed[row * g.stride..row * g.stride + bytes];
            // Without a branch on each byte: glyph edges are too irregular
            // to predict, and a 0 in the glyph leaves the byte as it is.
            for (dst, &src) in self.px[at..at + bytes].iter_mut().zip(line) {
                *dst = OVER[*dst as usize][src as usize];
            }
        }
    }

    /// [`Canvas::glyph`] a pixel at a time, for the `rows` of the glyph
    /// and its columns inside the picture.
    fn glyph_by_pixel(&mut self, g: &Glyph, tone: Tone, gx: i32, gy: i32, rows: Range<usize>) {
        let cols = (-gx).max(0) as usize..(W as i32 - gx).clamp(0, g.width as i32) as usize;
        for row in rows {
            let py = (gy + row as i32) as usize;
            for col in cols.clone() {
                let px = (gx + col as i32) as usize;
                self.set(px, py, over(self.get(px, py), g.level(tone, col, row)));
            }
        }
    }

    /// Draws `text` so that it ends at `right`.
    pub fn text_right(
        &mut self,
        right: i32,
        y: i32,
        weight: Weight,
        size: u16,
        tone: Tone,
        text: &str,
    ) {
        let width = text_width(weight, size, text);
        self.text(right - width, y, weight, size, tone, text);
    }

    /// The picture as an indexed PNG with `extra` colours from index `FREE`
    /// on: the same bytes for the same picture.
    pub fn png(&self, extra: &[[u8; 3]]) -> Vec<u8> {
        let palette: Vec<[u8; 3]> = BASE_PALETTE
            .iter()
            .chain(extra.iter().take(16 - FREE as usize))
            .copied()
            .collect();
        super::encode::png(&self.px, W, H, &palette)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rectangles_fill_odd_and_even_edges() {
        let mut c = Canvas::new();
        c.rect(3, 1, 8, 2, ACCENT);
        let row: Vec<u8> = (0..10).map(|x| c.get(x, 1)).collect();
        assert_eq!(row, [0, 0, 0, 7, 7, 7, 7, 7, 0, 0]);
        assert_eq!(c.get(4, 0), WHITE);
    }

    #[test]
    fn text_is_drawn_in_ink_and_measured() {
        let mut c = Canvas::new();
        let end = c.text(10, 50, Weight::Bold, 40, Tone::Ink, "Kota");
        assert_eq!(end - 10, text_width(Weight::Bold, 40, "Kota"));
        assert!(end - 10 > 60, "{end}");
        let inked = (0..W).flat_map(|x| (0..H).map(move |y| (x, y)));
        let inked: Vec<u8> = inked.map(|(x, y)| c.get(x, y)).collect();
        assert!(inked.contains(&INK));
        assert!(inked.iter().all(|&v| v <= INK));
    }

    #[test]
    fn glyphs_drawn_a_byte_at_a_time_equal_those_drawn_a_pixel_at_a_time() {
        // Over white, the ink ramp and a colour, from even and odd columns.
        let mut background = Canvas::new();
        background.rect(0, 0, 40, 20, ACCENT);
        background.rect(0, 20, 40, 40, 3);
        for weight in [Weight::Regular, Weight::Bold] {
            for tone in [Tone::Ink, Tone::Muted] {
                for gx in [1, 2] {
                    let id = font(weight).glyph_id('@');
                    let g = glyph(weight, id, 30);
                    let (mut bytes, mut pixels) = (background.clone(), background.clone());
                    bytes.glyph(&g, tone, gx, 10);
                    pixels.glyph_by_pixel(&g, tone, gx, 10, 0..g.height);
                    assert!(bytes.px == pixels.px, "{weight:?} {tone:?} at {gx}");
                    assert!(bytes.px != background.px);
                }
            }
        }
    }

    #[test]
    fn a_copy_is_its_source_whatever_the_copy_before_drew() {
        let mut base = Canvas::new();
        base.rect(0, 0, W as i32, 14, ACCENT);
        base.text(60, 72, Weight::Regular, 28, Tone::Muted, "Provinsi");
        let fresh = |draw: &dyn Fn(&mut Canvas)| {
            let mut c = base.clone();
            draw(&mut c);
            c.px
        };
        let name = |c: &mut Canvas| {
            c.text(60, 170, Weight::Bold, 64, Tone::Ink, "Kabupaten Badung");
        };
        let bar = |c: &mut Canvas| c.rect(700, 300, 744, 500, ACCENT);
        assert!(
            base.with_copy(|c| {
                name(c);
                c.px.clone()
            }) == fresh(&name)
        );
        // The scratch held the name: the bar's copy must not show it.
        assert!(
            base.with_copy(|c| {
                bar(c);
                c.px.clone()
            }) == fresh(&bar)
        );
        assert!(base.with_copy(|c| c.px.clone()) == base.px);
        // The source drawn on since: all of it is copied again.
        base.rect(0, 600, W as i32, 630, TRACK);
        assert!(base.with_copy(|c| c.px.clone()) == base.px);
        // Another source with the same pixels is another canvas.
        let other = base.clone();
        other.with_copy(|c| c.rect(0, 0, 10, 10, INK));
        let mut changed = other.clone();
        changed.rect(0, 100, 10, 110, INK);
        assert!(changed.with_copy(|c| c.px.clone()) == changed.px);
    }

    #[test]
    fn png_decodes_to_the_size() {
        let bytes = Canvas::new().png(&[[1, 2, 3]]);
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (1200, 630));
    }
}
