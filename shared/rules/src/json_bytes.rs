//! JSON strings eight bytes at a time (issue 17): whether any of eight bytes is one a
//! JSON string cannot hold as it is (`"`, `\` or a control character below U+0020). The
//! request reader skips such runs while looking for a string's end; the answer writer
//! copies them without escaping. Both are most of their texts.

/// The first `8 × n` bytes of `b` from `at` that hold no byte [`special`] would flag,
/// in whole words: where a byte-by-byte look must take over.
pub fn plain_run(b: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = b.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if any_special(u64::from_le_bytes(word)) {
            break;
        }
        at += 8;
    }
    at
}

/// Whether `c` must be escaped in a JSON string.
pub fn special(c: u8) -> bool {
    c < 0x20 || c == b'"' || c == b'\\'
}

/// Whether any byte of `w` is [`special`] (never a false "no"; a "yes" is checked byte
/// by byte).
fn any_special(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let zero = |x: u64| below(x, 1);
    (below(w, 0x20) | zero(w ^ (ONES * u64::from(b'"'))) | zero(w ^ (ONES * u64::from(b'\\')))) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every position of a word of plain bytes.
    #[test]
    fn a_run_stops_at_the_word_holding_a_special_byte() {
        for c in 0..=255u8 {
            for pos in 0..16 {
                let mut b = vec![b'a'; 24];
                b[pos] = c;
                let run = plain_run(&b, 0);
                if special(c) {
                    assert_eq!(run, pos / 8 * 8, "{c:#x} at {pos}");
                } else {
                    assert_eq!(run, 24, "{c:#x} at {pos}");
                }
            }
        }
    }
}
