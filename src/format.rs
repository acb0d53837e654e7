//! Number and date texts: Indonesian (`84,12`) or English (`84.12`)
//! separators, month names. A leaf: numbers arrive already rounded to
//! hundredths (the rounding rule is scoring's, see `score::cents`).

/// The decimal mark and the thousands separator of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Separators {
    pub decimal: char,
    pub group: char,
}

impl Separators {
    /// `1.234,50`
    pub const INDONESIAN: Separators = Separators {
        decimal: ',',
        group: '.',
    };
    /// `1,234.50`
    pub const ENGLISH: Separators = Separators {
        decimal: '.',
        group: ',',
    };
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

/// A score of `c` hundredths with exactly 2 decimals: `84,12`, `85,00`, `-3,50`.
pub fn score(c: i64, seps: Separators) -> String {
    fixed(c, 2, seps)
}

/// `c` hundredths with `decimals` decimals (0..=2), rounded half away from zero.
/// Pages show thousands of numbers, so this builds the text by hand.
pub fn fixed(c: i64, decimals: usize, seps: Separators) -> String {
    let Separators {
        decimal: dec,
        group,
    } = seps;
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

/// `c` hundredths without trailing zeros: `10,9`, `92`.
pub fn short(c: i64, seps: Separators) -> String {
    let s = score(c, seps);
    let s = s.trim_end_matches('0');
    s.trim_end_matches(seps.decimal).to_string()
}

/// A signed change of `c` hundredths: `+2,15`, `-0,40`, `0,00`.
pub fn signed(c: i64, seps: Separators) -> String {
    let s = score(c, seps);
    if c > 0 {
        format!("+{s}")
    } else {
        s
    }
}

/// Whole rupiah with thousands separators: `Rp12.500.000.000`.
pub fn rupiah(amount: u64, seps: Separators) -> String {
    format!(
        "Rp{}",
        group_thousands(itoa::Buffer::new().format(amount), seps.group)
    )
}

/// Indonesian month names.
pub const MONTHS_ID: [&str; 12] = [
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
pub fn date(iso: &str, months: &[&str; 12]) -> String {
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
    const ID: Separators = Separators::INDONESIAN;
    const EN: Separators = Separators::ENGLISH;

    #[test]
    fn indonesian_and_english() {
        assert_eq!(score(8412, ID), "84,12");
        assert_eq!(score(8500, ID), "85,00");
        assert_eq!(score(123_450, ID), "1.234,50");
        assert_eq!(score(123_450, EN), "1,234.50");
        assert_eq!(score(-40, ID), "-0,40");
        assert_eq!(short(1090, ID), "10,9");
        assert_eq!(short(9200, ID), "92");
        assert_eq!(signed(215, ID), "+2,15");
        assert_eq!(signed(0, ID), "0,00");
        assert_eq!(fixed(6667, 1, ID), "66,7");
        assert_eq!(fixed(6650, 0, ID), "67");
        assert_eq!(rupiah(12_500_000_000, ID), "Rp12.500.000.000");
        assert_eq!(trim_number(90.0), "90");
        assert_eq!(trim_number(12.5), "12.5");
        assert_eq!(date("2024-05-06", &MONTHS_ID), "6 Mei 2024");
        assert_eq!(date("2024-12", &MONTHS_EN), "December 2024");
        assert_eq!(date("soon", &MONTHS_ID), "soon");
    }
}
