//! The decision's JSON, written directly (issue 17): byte for byte what serde_json writes
//! for the derived `Serialize` (`tests/answer_json.rs` compares them), at several times
//! its speed. Of a pre-check's time, serde_json spent nearly half of the answer's
//! serialisation escaping its texts a byte at a time; [`push_str`] looks at eight bytes
//! at once and copies runs that need no escape. (The request reader looks a byte at a
//! time: its strings are short, and in the browser's engine the wider look cost more
//! than it saved.)

use super::{CapApplied, Decision, Effect, LoanDecision, Outcome, Reason};
use crate::money::{Money, Rate};
use crate::rule::RuleId;

impl Decision {
    /// The decision as JSON, as `serde_json::to_string` writes it.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(4096);
        self.write_json(&mut out);
        out
    }

    /// Appends the decision's JSON to `out`.
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"outcome\":");
        push_str(out, outcome(self.outcome));
        out.push_str(",\"provisional\":");
        push_bool(out, self.provisional);
        out.push_str(",\"year\":");
        out.push_str(&self.year.to_string());
        out.push_str(",\"loans\":");
        push_list(out, &self.loans, write_loan);
        out.push_str(",\"ceiling_total\":");
        push_money(out, self.ceiling_total);
        out.push_str(",\"caps\":");
        push_list(out, &self.caps, write_cap);
        out.push_str(",\"amount\":");
        push_money(out, self.amount);
        out.push_str(",\"refused_by\":");
        push_list(out, &self.refused_by, |out, r| push_str(out, r.code()));
        out.push_str(",\"reasons\":");
        push_list(out, &self.reasons, write_reason);
        out.push_str(",\"readings\":");
        // A few short names: serde's own writer is quick enough here.
        match serde_json::to_string(&self.readings) {
            Ok(json) => out.push_str(&json),
            Err(_) => out.push_str("null"),
        }
        out.push('}');
    }
}

fn write_loan(out: &mut String, l: &LoanDecision) {
    out.push_str("{\"contract_number\":");
    push_str(out, &l.contract_number);
    out.push_str(",\"eligible\":");
    push_bool(out, l.eligible);
    out.push_str(",\"rate\":");
    match l.rate {
        Some(rate) => push_rate(out, rate),
        None => out.push_str("null"),
    }
    out.push_str(",\"rate_rule\":");
    match l.rate_rule {
        Some(rule) => push_str(out, rule.code()),
        None => out.push_str("null"),
    }
    out.push_str(",\"interest_counted\":");
    push_money(out, l.interest_counted);
    out.push_str(",\"ceiling_amount\":");
    push_money(out, l.ceiling_amount);
    out.push_str(",\"refused_by\":");
    push_list(out, &l.refused_by, |out, r: &RuleId| {
        push_str(out, r.code())
    });
    out.push('}');
}

fn write_cap(out: &mut String, c: &CapApplied) {
    out.push_str("{\"rule\":");
    push_str(out, c.rule.code());
    out.push_str(",\"before\":");
    push_money(out, c.before);
    out.push_str(",\"after\":");
    push_money(out, c.after);
    out.push('}');
}

fn write_reason(out: &mut String, r: &Reason) {
    out.push_str("{\"rule\":");
    push_str(out, r.rule.code());
    out.push_str(",\"effect\":");
    push_str(out, effect(r.effect));
    if let Some(loan) = &r.loan {
        out.push_str(",\"loan\":");
        push_str(out, loan);
    }
    out.push_str(",\"zh\":");
    push_str(out, &r.zh);
    out.push_str(",\"en\":");
    push_str(out, &r.en);
    out.push('}');
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Eligible => "eligible",
        Outcome::Refused => "refused",
    }
}

fn effect(e: Effect) -> &'static str {
    match e {
        Effect::Pass => "pass",
        Effect::Refuse => "refuse",
        Effect::Limit => "limit",
        Effect::Note => "note",
    }
}

fn push_list<T>(out: &mut String, items: &[T], mut write: impl FnMut(&mut String, &T)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(out, item);
    }
    out.push(']');
}

fn push_bool(out: &mut String, b: bool) {
    out.push_str(if b { "true" } else { "false" });
}

fn push_money(out: &mut String, m: Money) {
    out.push('"');
    out.push_str(m.text().as_str());
    out.push('"');
}

fn push_rate(out: &mut String, r: Rate) {
    push_str(out, &rust_decimal::Decimal::from(r).to_string());
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
fn plain_run(b: &[u8], mut at: usize) -> usize {
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
fn special(c: u8) -> bool {
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
    use proptest::prelude::*;

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
