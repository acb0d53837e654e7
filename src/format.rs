//! Rounding and number formats: 2 decimals half away from zero, Indonesian
//! (`84,12`) or English (`84.12`) on pages, plain dot decimals in data files.

use crate::content::Language;

/// Hundredths, rounded half away from zero. Scores are ratios computed in
/// binary floating point, so 84.125 may arrive as 84.12499999999; we first
/// drop noise below 1e-7 of a hundredth so the decimal intent wins.
pub fn cents(x: f64) -> i64 {
    let scaled = x * 100.0;
    let denoised = (scaled * 1e7).round() / 1e7;
    denoised.round() as i64
}

/// `x` rounded to 2 decimals, half away from zero.
pub fn round2(x: f64) -> f64 {
    cents(x) as f64 / 100.0
}

fn separators(lang: Language) -> (char, char) {
    match lang {
        Language::Id => (',', '.'),
        Language::En => ('.', ','),
    }
}

fn group_thousands(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    push_grouped(&mut out, digits, sep);
    out
}

fn push_grouped(out: &mut String, digits: &str, sep: char) {
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
}

/// A score with exactly 2 decimals: `84,12`, `85,00`, `-3,50`.
pub fn score(x: f64, lang: Language) -> String {
    fixed(x, 2, lang)
}

/// A value with `decimals` decimals (0..=2), rounded as scores are.
/// Pages show thousands of numbers, so this builds the text by hand.
pub fn fixed(x: f64, decimals: usize, lang: Language) -> String {
    let c = cents(x);
    let (dec, group) = separators(lang);
    let mut out = String::with_capacity(12);
    if c < 0 {
        out.push('-');
    }
    let c = c.unsigned_abs();
    let mut buf = itoa::Buffer::new();
    match decimals {
        0 => push_grouped(&mut out, buf.format((c + 50) / 100), group),
        1 => {
            let tenths = (c + 5) / 10;
            push_grouped(&mut out, buf.format(tenths / 10), group);
            out.push(dec);
            out.push((b'0' + (tenths % 10) as u8) as char);
        }
        _ => {
            push_grouped(&mut out, buf.format(c / 100), group);
            out.push(dec);
            out.push((b'0' + (c % 100 / 10) as u8) as char);
            out.push((b'0' + (c % 10) as u8) as char);
        }
    }
    out
}

/// A value rounded to 2 decimals without trailing zeros: `10,9`, `92`.
pub fn short(x: f64, lang: Language) -> String {
    let s = score(x, lang);
    let (dec, _) = separators(lang);
    let s = s.trim_end_matches('0');
    s.trim_end_matches(dec).to_string()
}

/// A signed change: `+2,15`, `-0,40`, `0,00`.
pub fn signed(x: f64, lang: Language) -> String {
    let s = score(x, lang);
    if cents(x) > 0 {
        format!("+{s}")
    } else {
        s
    }
}

/// Whole rupiah with thousands separators: `Rp12.500.000.000`.
pub fn rupiah(amount: u64, lang: Language) -> String {
    let (_, group) = separators(lang);
    format!(
        "Rp{}",
        group_thousands(itoa::Buffer::new().format(amount), group)
    )
}

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
/// English month names, also used in messages about dates.
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2024-05-16` as `16 Mei 2024`, `2024-12` as `Desember 2024`; anything else as given.
pub fn date(iso: &str, lang: Language) -> String {
    let months = match lang {
        Language::Id => &MONTHS_ID,
        Language::En => &MONTHS_EN,
    };
    let parts: Vec<&str> = iso.split('-').collect();
    let month = parts
        .get(1)
        .and_then(|m| m.parse::<usize>().ok())
        .filter(|m| (1..=12).contains(m));
    match (parts.as_slice(), month) {
        ([y, _, d], Some(m)) => format!("{} {} {y}", d.trim_start_matches('0'), months[m - 1]),
        ([y, _], Some(m)) => format!("{} {y}", months[m - 1]),
        _ => iso.to_string(),
    }
}

/// For messages: a number without needless decimals (`90`, `12.5`).
pub fn trim_number(x: f64) -> String {
    let s = format!("{:.6}", x);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{En, Id};

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(cents(84.125), 8413);
        assert_eq!(cents(84.12499), 8412);
        assert_eq!(cents(1.005), 101);
        assert_eq!(cents(-1.005), -101);
        assert_eq!(cents(200.0 / 3.0), 6667);
        assert_eq!(round2(84.1251), 84.13);
    }

    #[test]
    fn indonesian_and_english() {
        assert_eq!(score(84.1234, Id), "84,12");
        assert_eq!(score(85.0, Id), "85,00");
        assert_eq!(score(1234.5, Id), "1.234,50");
        assert_eq!(score(1234.5, En), "1,234.50");
        assert_eq!(score(-0.4, Id), "-0,40");
        assert_eq!(short(10.9, Id), "10,9");
        assert_eq!(short(92.0, Id), "92");
        assert_eq!(signed(2.149, Id), "+2,15");
        assert_eq!(signed(-0.004, Id), "0,00");
        assert_eq!(fixed(66.666, 1, Id), "66,7");
        assert_eq!(fixed(66.5, 0, Id), "67");
        assert_eq!(rupiah(12_500_000_000, Id), "Rp12.500.000.000");
        assert_eq!(trim_number(90.0), "90");
        assert_eq!(trim_number(12.5), "12.5");
        assert_eq!(date("2024-05-06", Id), "6 Mei 2024");
        assert_eq!(date("2024-12", En), "December 2024");
        assert_eq!(date("soon", Id), "soon");
    }
}
