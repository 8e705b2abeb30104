//! JSON written by hand, byte for byte as serde_json writes it (issue 17): the pieces the
//! decision's answer ([`crate::decision`]), the input errors, the rule catalogue and the
//! browser bundle's answers are written with, so the bundle carries no serialiser. Of a
//! pre-check's time, serde_json spent nearly half of the answer's serialisation escaping
//! its texts a byte at a time; [`push_str`] looks at eight bytes at once and copies runs
//! that need no escape. The request reader skips plain bytes in a string with the same
//! look (`plain_run`): at opt-level `z` it cost 2.7 µs a pre-check in the browser's
//! engine, at 3 (the bundle's since issue 17's last change) it saves a little there and
//! 1.5 % of the native read.

/// A JSON list of `items`, each written by `write`.
pub fn push_list<T>(out: &mut String, items: &[T], mut write: impl FnMut(&mut String, &T)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(out, item);
    }
    out.push(']');
}

pub fn push_bool(out: &mut String, b: bool) {
    out.push_str(if b { "true" } else { "false" });
}

/// An object whose members are all strings, in the order given (`key`s need no escape).
pub fn push_strings_object(out: &mut String, members: &[(&str, &str)]) {
    for (i, (key, value)) in members.iter().enumerate() {
        out.push_str(if i == 0 { "{\"" } else { ",\"" });
        out.push_str(key);
        out.push_str("\":");
        push_str(out, value);
    }
    out.push('}');
}

/// `s` as a JSON string, escaped as serde_json escapes: `"` and `\`, and the control
/// characters below U+0020 (`\b \t \n \f \r` by name, the rest as `\u00XX`); nothing else.
pub fn push_str(out: &mut String, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push('"');
    let mut copied = 0;
    let mut i = plain_run(b, 0);
    while i < b.len() {
        if special(b[i]) {
            // An ASCII byte: both ends of the run copied are character boundaries.
            out.push_str(&s[copied..i]);
            escape(out, b[i]);
            copied = i + 1;
            i = plain_run(b, i + 1);
        } else {
            i += 1;
        }
    }
    out.push_str(&s[copied..]);
    out.push('"');
}

fn escape(out: &mut String, c: u8) {
    let named = match c {
        b'"' => '"',
        b'\\' => '\\',
        0x08 => 'b',
        0x0c => 'f',
        b'\n' => 'n',
        b'\r' => 'r',
        b'\t' => 't',
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(c >> 4)]));
            out.push(char::from(HEX[usize::from(c & 0xf)]));
            return;
        }
    };
    out.push('\\');
    out.push(named);
}

/// The first `8 × n` bytes of `b` from `at` that hold no byte [`special`] would flag,
/// in whole words: where a byte-by-byte look must take over.
pub(crate) fn plain_run(b: &[u8], at: usize) -> usize {
    word_run(b, at, any_special)
}

/// From `at`, past whole words of eight bytes while `stops` says no to each: where a
/// byte-by-byte look must take over (the scans that skip plain text a word at a time).
pub(crate) fn word_run(b: &[u8], mut at: usize, stops: impl Fn(u64) -> bool) -> usize {
    while let Some(chunk) = b.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if stops(u64::from_le_bytes(word)) {
            break;
        }
        at += 8;
    }
    at
}

/// Whether `c` must be escaped in a JSON string.
fn special(c: u8) -> bool {
    c < 0x20 || c == b'"' || c == b'\\'
}

/// Whether any byte of `w` is [`special`] (never a false "no"; a "yes" is checked byte
/// by byte).
fn any_special(w: u64) -> bool {
    (below(w, 0x20) | equal(w, b'"') | equal(w, b'\\')) != 0
}

const ONES: u64 = 0x0101_0101_0101_0101;
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit set in each byte of `w` below `n`, for `n` ≤ 0x80 (never missed; a byte
/// beside a flagged one may be flagged too, which the byte-by-byte look settles).
pub(crate) fn below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH
}

/// The high bit set in each byte of `w` equal to `c` (never missed; as [`below`]).
pub(crate) fn equal(w: u64, c: u8) -> u64 {
    below(w ^ (ONES * u64::from(c)), 1)
}

/// Gives unit enums `json_name()`, the name serde writes for each variant (listed once
/// here, held to serde by a test through the `NAMED` list the macro also makes).
macro_rules! json_names {
    ($($ty:ident { $($variant:ident => $name:literal),+ $(,)? })+) => {$(
        impl $ty {
            /// The name serde writes for it.
            pub fn json_name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }

            /// Every variant, for the test that holds the names to serde's.
            #[cfg(test)]
            pub(crate) const NAMED: &'static [$ty] = &[$($ty::$variant),+];
        }
    )+};
}
pub(crate) use json_names;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Each name `json_names!` gives is the one serde writes.
    fn names_are_serdes<T: serde::Serialize + Copy + std::fmt::Debug>(
        all: &[T],
        name: fn(T) -> &'static str,
    ) {
        for &v in all {
            let serde = serde_json::to_string(&v).unwrap();
            assert_eq!(serde, format!("\"{}\"", name(v)), "{v:?}");
        }
    }

    #[test]
    fn json_names_are_serdes() {
        use crate::params::*;
        names_are_serdes(KeyRateReading::NAMED, KeyRateReading::json_name);
        names_are_serdes(CeilingReading::NAMED, CeilingReading::json_name);
        names_are_serdes(CapYearBasis::NAMED, CapYearBasis::json_name);
        names_are_serdes(TimesReading::NAMED, TimesReading::json_name);
        names_are_serdes(BudgetReading::NAMED, BudgetReading::json_name);
        names_are_serdes(RoundingReading::NAMED, RoundingReading::json_name);
        names_are_serdes(NoticeDayOne::NAMED, NoticeDayOne::json_name);
        names_are_serdes(BanReading::NAMED, BanReading::json_name);
        names_are_serdes(CoveredLoans::NAMED, CoveredLoans::json_name);
        names_are_serdes(ValidityReading::NAMED, ValidityReading::json_name);
        names_are_serdes(CreditWindow::NAMED, CreditWindow::json_name);
        use crate::patent::PatentType;
        names_are_serdes(PatentType::NAMED, PatentType::json_name);
    }

    fn written(s: &str) -> String {
        let mut out = String::new();
        push_str(&mut out, s);
        out
    }

    #[test]
    fn every_character_below_u0080_is_escaped_as_serde_json_does() {
        for c in (0u8..0x80).map(char::from) {
            for s in [
                c.to_string(),
                format!("abcdefgh{c}ijklmnop"),
                format!("{c}{c}"),
            ] {
                assert_eq!(written(&s), serde_json::to_string(&s).unwrap(), "{c:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]

        #[test]
        fn strings_are_written_as_serde_json_writes_them(s in "(\\PC|[\\x00-\\x1f\"\\\\])*") {
            prop_assert_eq!(written(&s), serde_json::to_string(&s).unwrap());
        }
    }

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
