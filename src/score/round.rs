//! The rounding rule of SPEC §4: every score is shown and compared at 2
//! decimals, half away from zero, so two districts equal to 2 decimals tie.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(cents(84.125), 8413);
        assert_eq!(cents(84.12499), 8412);
        assert_eq!(cents(1.005), 101);
        assert_eq!(cents(-1.005), -101);
        assert_eq!(cents(200.0 / 3.0), 6667);
        assert_eq!(round2(84.1251), 84.13);
    }
}
