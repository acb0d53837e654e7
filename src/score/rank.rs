//! Competition ranking ("1, 2, 2, 4") on keys compared to 2 decimals.

/// Hundredths, most significant first: the final score, then tie-break components.
pub type RankKey = Vec<i64>;

/// Ranks `(district, key)` pairs, highest key first. Equal keys share a rank
/// and the next rank is skipped. Returns `(district, rank)` in rank order,
/// equal ranks in the order given (registry order), so output is stable.
pub fn competition_ranks(keys: &[(usize, RankKey)]) -> Vec<(usize, u32)> {
    let mut sorted: Vec<&(usize, RankKey)> = keys.iter().collect();
    // Stable sort keeps registry order among equals.
    sorted.sort_by(|a, b| b.1.cmp(&a.1));
    let mut out = Vec::with_capacity(sorted.len());
    let mut rank = 0u32;
    for (pos, (d, key)) in sorted.iter().enumerate() {
        if pos == 0 || sorted[pos - 1].1 != *key {
            rank = pos as u32 + 1;
        }
        out.push((*d, rank));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_rank_and_skip_the_next() {
        let keys = vec![
            (0, vec![8000]),
            (1, vec![9000]),
            (2, vec![8000]),
            (3, vec![7000]),
        ];
        assert_eq!(
            competition_ranks(&keys),
            vec![(1, 1), (0, 2), (2, 2), (3, 4)]
        );
    }

    #[test]
    fn tie_break_keys_order_equal_finals() {
        let keys = vec![
            (0, vec![8000, 50]),
            (1, vec![8000, 70]),
            (2, vec![8000, 70]),
        ];
        assert_eq!(competition_ranks(&keys), vec![(1, 1), (2, 1), (0, 3)]);
    }

    #[test]
    fn nothing_to_rank() {
        assert!(competition_ranks(&[]).is_empty());
    }
}
