//! The share pictures (`og.png`): what a district's or a year's link
//! preview shows, laid out on a [`Canvas`].

use super::canvas::{text_width, Canvas, Tone, Weight, ACCENT, FREE, TRACK, W, WHITE};

const LEFT: i32 = 60;
const RIGHT: i32 = W as i32 - 60;
/// Where the strip of action scores starts.
const ACTIONS_X: i32 = 660;
/// The rows of the labels a district's [`Base`] draws (baseline 265, 28 px).
const LABELS: (i32, i32) = (228, 282);

/// What every picture of a year has: drawn once, copied for each picture.
pub struct Base {
    canvas: Canvas,
}

impl Base {
    /// The band, the rule and the footer, with `kicker` ("Provinsi Bali ·
    /// Penilaian 2024 atas kinerja 2023") at the top and `footer` (the
    /// site's title) and `host` at the bottom.
    pub fn new(kicker: &str, footer: &str, host: &str) -> Base {
        Base::with_labels(kicker, footer, host, &[])
    }

    /// The same with the labels of a district's picture drawn in: "Nilai
    /// akhir" and "Skor per aksi" (`labels`, in that order).
    pub fn for_districts(kicker: &str, footer: &str, host: &str, labels: [&str; 2]) -> Base {
        Base::with_labels(kicker, footer, host, &labels)
    }

    fn with_labels(kicker: &str, footer: &str, host: &str, labels: &[&str]) -> Base {
        let mut c = Canvas::new();
        c.rect(0, 0, W as i32, 14, ACCENT);
        c.text(
            LEFT,
            72,
            Weight::Regular,
            28,
            Tone::Muted,
            &fit_line(kicker, Weight::Regular, 28, RIGHT - LEFT),
        );
        c.rect(LEFT, 568, RIGHT, 570, TRACK);
        let host_width = if host.is_empty() {
            0
        } else {
            text_width(Weight::Regular, 24, host) + 40
        };
        let footer = fit_line(footer, Weight::Regular, 24, RIGHT - LEFT - host_width);
        c.text(LEFT, 608, Weight::Regular, 24, Tone::Muted, &footer);
        if !host.is_empty() {
            c.text_right(RIGHT, 608, Weight::Regular, 24, Tone::Muted, host);
        }
        if let [final_label, actions_label] = labels {
            c.text(LEFT, 265, Weight::Regular, 28, Tone::Muted, final_label);
            c.text(
                ACTIONS_X,
                265,
                Weight::Regular,
                28,
                Tone::Muted,
                actions_label,
            );
        }
        Base { canvas: c }
    }
}

/// A district's result in a year, every text ready to draw.
/// (Its labels are in the [`Base`] made by [`Base::for_districts`].)
pub struct DistrictCard<'a> {
    pub name: &'a str,
    pub final_score: &'a str,
    pub category: &'a str,
    pub category_rgb: [u8; 3],
    /// "Peringkat 4 dari 9 · Terbaik I".
    pub rank: &'a str,
    /// "+2,10 poin sejak 2022", or that it is the first assessment.
    pub change: &'a str,
    /// Per action: its number and score (0..100).
    pub actions: Vec<(String, f64)>,
}

/// A year's result: the top three and the province's mean.
pub struct YearCard<'a> {
    pub heading: &'a str,
    /// Per district of the top three: title, name, score, category colour.
    pub top: Vec<(String, String, String, [u8; 3])>,
    pub summary: &'a str,
}

/// Draws the district's name from y = 95 to 215: on one line, or two, in
/// the largest size that fits.
fn name(c: &mut Canvas, name: &str) {
    let width = RIGHT - LEFT;
    for size in [64u16, 58, 52] {
        if text_width(Weight::Bold, size, name) <= width {
            c.text(LEFT, 170, Weight::Bold, size, Tone::Ink, name);
            return;
        }
    }
    let (first, second) = split_in_two(name);
    for size in [52u16, 46, 40, 34] {
        let fits = |s: &str| text_width(Weight::Bold, size, s) <= width;
        if fits(first) && fits(second) {
            c.text(LEFT, 145, Weight::Bold, size, Tone::Ink, first);
            c.text(
                LEFT,
                145 + i32::from(size) + 10,
                Weight::Bold,
                size,
                Tone::Ink,
                second,
            );
            return;
        }
    }
    let line = fit_line(name, Weight::Bold, 34, width);
    c.text(LEFT, 170, Weight::Bold, 34, Tone::Ink, &line);
}

/// `text` split at the space that makes its longer half shortest.
fn split_in_two(text: &str) -> (&str, &str) {
    let best = text
        .match_indices(' ')
        .map(|(i, _)| i)
        .min_by_key(|&i| i.max(text.len() - i));
    match best {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, ""),
    }
}

/// `text`, cut with "…" if it is wider than `width` at `size`.
fn fit_line(text: &str, weight: Weight, size: u16, width: i32) -> String {
    if text_width(weight, size, text) <= width {
        return text.to_string();
    }
    let mut cut: String = text.to_string();
    while !cut.is_empty() {
        cut.pop();
        let candidate = format!("{}…", cut.trim_end());
        if text_width(weight, size, &candidate) <= width {
            return candidate;
        }
    }
    String::new()
}

pub fn district(base: &Base, card: &DistrictCard) -> Vec<u8> {
    base.canvas.with_copy(|c| draw_district(c, card))
}

fn draw_district(c: &mut Canvas, card: &DistrictCard) -> Vec<u8> {
    name(c, card.name);
    c.text(LEFT, 385, Weight::Bold, 120, Tone::Ink, card.final_score);
    c.rect(LEFT, 414, LEFT + 34, 448, FREE);
    let category = fit_line(card.category, Weight::Bold, 36, 520);
    c.text(LEFT + 50, 444, Weight::Bold, 36, Tone::Ink, &category);
    c.text(
        LEFT,
        495,
        Weight::Regular,
        32,
        Tone::Ink,
        &fit_line(card.rank, Weight::Regular, 32, 560),
    );
    c.text(
        LEFT,
        540,
        Weight::Regular,
        28,
        Tone::Muted,
        &fit_line(card.change, Weight::Regular, 28, 560),
    );
    actions(c, &card.actions);
    c.png(&[card.category_rgb])
}

/// A strip of bars, one per action, on the right half.
fn actions(c: &mut Canvas, actions: &[(String, f64)]) {
    const X0: i32 = ACTIONS_X;
    const BOTTOM: i32 = 500;
    const TALL: f64 = 190.0;
    if actions.is_empty() {
        return;
    }
    let slot = (RIGHT - X0) / actions.len() as i32;
    let bar = (slot * 7 / 10).clamp(2, 44);
    for (i, (number, score)) in actions.iter().enumerate() {
        let x = X0 + i as i32 * slot;
        let top = BOTTOM - (score.clamp(0.0, 100.0) / 100.0 * TALL).round() as i32;
        c.rect(x, BOTTOM - TALL as i32, x + bar, BOTTOM, TRACK);
        c.rect(x, top, x + bar, BOTTOM, ACCENT);
        if slot >= 22 {
            let w = text_width(Weight::Regular, 22, number);
            c.text(
                x + (bar - w) / 2,
                BOTTOM + 30,
                Weight::Regular,
                22,
                Tone::Ink,
                number,
            );
        }
    }
}

/// A district not assessed in the year: its name and that it was not.
pub fn not_assessed(base: &Base, name_text: &str, status: &str, text: &str) -> Vec<u8> {
    base.canvas.with_copy(|c| {
        // No score to label: the base's "Nilai akhir" and "Skor per aksi" go.
        c.rect(0, LABELS.0, W as i32, LABELS.1, WHITE);
        name(c, name_text);
        c.text(
            LEFT,
            360,
            Weight::Bold,
            72,
            Tone::Ink,
            &fit_line(status, Weight::Bold, 72, RIGHT - LEFT),
        );
        c.text(
            LEFT,
            440,
            Weight::Regular,
            30,
            Tone::Muted,
            &fit_line(text, Weight::Regular, 30, RIGHT - LEFT),
        );
        c.png(&[])
    })
}

pub fn year(base: &Base, card: &YearCard) -> Vec<u8> {
    base.canvas.with_copy(|c| draw_year(c, card))
}

fn draw_year(c: &mut Canvas, card: &YearCard) -> Vec<u8> {
    let heading = fit_line(card.heading, Weight::Bold, 52, RIGHT - LEFT);
    c.text(LEFT, 160, Weight::Bold, 52, Tone::Ink, &heading);
    let mut colours = Vec::new();
    for (i, (title, name, score, rgb)) in card.top.iter().take(3).enumerate() {
        let y = 260 + 85 * i as i32;
        let colour = FREE + i as u8;
        colours.push(*rgb);
        c.text(LEFT, y, Weight::Regular, 28, Tone::Muted, title);
        let score_width = text_width(Weight::Bold, 44, score);
        c.rect(
            RIGHT - score_width - 48,
            y - 30,
            RIGHT - score_width - 20,
            y - 2,
            colour,
        );
        c.text_right(RIGHT, y, Weight::Bold, 44, Tone::Ink, score);
        let room = RIGHT - score_width - 70 - (LEFT + 200);
        c.text(
            LEFT + 200,
            y,
            Weight::Bold,
            40,
            Tone::Ink,
            &fit_line(name, Weight::Bold, 40, room),
        );
    }
    let summary = fit_line(card.summary, Weight::Regular, 30, RIGHT - LEFT);
    c.text(LEFT, 530, Weight::Regular, 30, Tone::Ink, &summary);
    c.png(&colours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_split_where_the_halves_are_even() {
        assert_eq!(
            split_in_two("Kota Administrasi Jakarta Selatan"),
            ("Kota Administrasi", "Jakarta Selatan")
        );
        assert_eq!(split_in_two("Bangli"), ("Bangli", ""));
    }

    #[test]
    fn lines_too_wide_are_cut() {
        let line = fit_line(&"Kabupaten ".repeat(30), Weight::Regular, 30, 500);
        assert!(line.ends_with('…'));
        assert!(text_width(Weight::Regular, 30, &line) <= 500);
    }

    #[test]
    fn pictures_of_two_districts_differ() {
        let labels = ["Nilai akhir", "Skor per aksi"];
        let base = Base::for_districts(
            "Provinsi Contoh · 2023",
            "Penilaian",
            "example.go.id",
            labels,
        );
        let card = |name, score| DistrictCard {
            name,
            final_score: score,
            category: "Baik",
            category_rgb: [0, 0x72, 0xb2],
            rank: "Peringkat 1 dari 2",
            change: "penilaian pertama",
            actions: vec![("1".into(), 50.0), ("2".into(), 100.0)],
        };
        let a = district(&base, &card("Kabupaten A", "80,00"));
        let b = district(&base, &card("Kota B", "75,00"));
        assert_ne!(a, b);
        assert_eq!(a, district(&base, &card("Kabupaten A", "80,00")));
    }

    #[test]
    fn a_picture_of_a_district_not_assessed_has_no_score_labels() {
        let base = Base::for_districts(
            "Provinsi",
            "Penilaian",
            "",
            ["Nilai akhir", "Skor per aksi"],
        );
        let png = not_assessed(&base, "Kota B", "Tidak dinilai", "Kota B tidak dinilai.");
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut px = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut px).unwrap();
        let inked = |rows: std::ops::Range<i32>| {
            rows.map(|y| y as usize * info.line_size)
                .any(|at| px[at..at + info.line_size].iter().any(|&b| b != 0))
        };
        assert!(!inked(LABELS.0..LABELS.1), "a label is drawn");
        assert!(inked(300..380), "\"Tidak dinilai\" is missing");
        // The labels are in the base, where they were cleared from.
        assert!(base.canvas.with_copy(
            |c| (LABELS.0..LABELS.1).any(|y| (0..W).any(|x| c.get(x, y as usize) != WHITE))
        ));
    }
}

#[cfg(test)]
mod timing {
    use super::*;

    /// `cargo test --release --lib share::image::timing -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn time_pictures() {
        let labels = ["Nilai akhir", "Skor per aksi"];
        let base = Base::for_districts(
            "Provinsi Contoh · Penilaian 2024 atas kinerja 2023",
            "Penilaian Kinerja Aksi Konvergensi",
            "example.go.id/stunting",
            labels,
        );
        let names: Vec<String> = (0..1000)
            .map(|i| format!("Kabupaten Nomor {i} Barat"))
            .collect();
        let scores: Vec<String> = (0..1000)
            .map(|i| format!("{},{:02}", 50 + i % 50, i % 100))
            .collect();
        let card = |i: usize| DistrictCard {
            name: &names[i],
            final_score: &scores[i],
            category: "Sangat Baik",
            category_rgb: [0, 0x72, 0xb2],
            rank: "Peringkat 4 dari 500 · Terbaik I",
            change: "+2,10 poin sejak 2022",
            actions: (0..8)
                .map(|a| (a.to_string(), ((i * 7 + a * 13) % 100) as f64))
                .collect(),
        };
        let t = std::time::Instant::now();
        let mut bytes = 0;
        for i in 0..1000 {
            bytes += district(&base, &card(i)).len();
        }
        let all = t.elapsed();
        let t = std::time::Instant::now();
        for i in 0..1000 {
            base.canvas.with_copy(|c| {
                name(c, &names[i]);
                c.text(LEFT, 385, Weight::Bold, 120, Tone::Ink, &scores[i]);
            });
        }
        let draw = t.elapsed();
        let t = std::time::Instant::now();
        for _ in 0..1000 {
            base.canvas.png(&[[0, 0, 0]]);
        }
        let encode = t.elapsed();
        let mut full = base.canvas.clone();
        draw_district(&mut full, &card(7));
        let t = std::time::Instant::now();
        for _ in 0..1000 {
            full.png(&[[0, 0, 0]]);
        }
        let encode_full = t.elapsed();
        let t = std::time::Instant::now();
        for _ in 0..1000 {
            base.canvas.with_copy(|c| c.get(0, 0));
        }
        let copy = t.elapsed();
        println!("1000 pictures {all:?} ({} KB each); name+score drawing {draw:?}; encoding the base {encode:?}, a picture {encode_full:?}; copying the base {copy:?}", bytes / 1000 / 1024);
    }
}
