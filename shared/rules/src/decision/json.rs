//! The decision's JSON, written directly (issue 17): byte for byte what serde_json writes
//! for the derived `Serialize` (`tests/answer_json.rs` compares them), at several times
//! its speed. Of a pre-check's time, serde_json spent nearly half of the answer's
//! serialisation escaping its texts a byte at a time; [`push_str`] looks at eight bytes
//! at once and copies runs that need no escape.

use super::{CapApplied, Decision, Effect, LoanDecision, Outcome, Reason};
use crate::money::{Money, Rate};
use crate::rule::RuleId;

impl Decision {
    /// The decision as JSON, as `serde_json::to_string` writes it.
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(4096);
        self.write_json(&mut out);
        // Only whole UTF-8 strings and ASCII punctuation were written.
        String::from_utf8(out).unwrap_or_default()
    }

    /// Appends the decision's JSON to `out`.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"outcome\":");
        push_str(out, outcome(self.outcome));
        out.extend_from_slice(b",\"provisional\":");
        push_bool(out, self.provisional);
        out.extend_from_slice(b",\"year\":");
        out.extend_from_slice(self.year.to_string().as_bytes());
        out.extend_from_slice(b",\"loans\":");
        push_list(out, &self.loans, write_loan);
        out.extend_from_slice(b",\"ceiling_total\":");
        push_money(out, self.ceiling_total);
        out.extend_from_slice(b",\"caps\":");
        push_list(out, &self.caps, write_cap);
        out.extend_from_slice(b",\"amount\":");
        push_money(out, self.amount);
        out.extend_from_slice(b",\"refused_by\":");
        push_list(out, &self.refused_by, |out, r| push_str(out, r.code()));
        out.extend_from_slice(b",\"reasons\":");
        push_list(out, &self.reasons, write_reason);
        out.extend_from_slice(b",\"readings\":");
        // A few short names: serde's own writer is quick enough here.
        if serde_json::to_writer(&mut *out, &self.readings).is_err() {
            out.extend_from_slice(b"null");
        }
        out.push(b'}');
    }
}

fn write_loan(out: &mut Vec<u8>, l: &LoanDecision) {
    out.extend_from_slice(b"{\"contract_number\":");
    push_str(out, &l.contract_number);
    out.extend_from_slice(b",\"eligible\":");
    push_bool(out, l.eligible);
    out.extend_from_slice(b",\"rate\":");
    match l.rate {
        Some(rate) => push_rate(out, rate),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"rate_rule\":");
    match l.rate_rule {
        Some(rule) => push_str(out, rule.code()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"interest_counted\":");
    push_money(out, l.interest_counted);
    out.extend_from_slice(b",\"ceiling_amount\":");
    push_money(out, l.ceiling_amount);
    out.extend_from_slice(b",\"refused_by\":");
    push_list(out, &l.refused_by, |out, r: &RuleId| {
        push_str(out, r.code())
    });
    out.push(b'}');
}

fn write_cap(out: &mut Vec<u8>, c: &CapApplied) {
    out.extend_from_slice(b"{\"rule\":");
    push_str(out, c.rule.code());
    out.extend_from_slice(b",\"before\":");
    push_money(out, c.before);
    out.extend_from_slice(b",\"after\":");
    push_money(out, c.after);
    out.push(b'}');
}

fn write_reason(out: &mut Vec<u8>, r: &Reason) {
    out.extend_from_slice(b"{\"rule\":");
    push_str(out, r.rule.code());
    out.extend_from_slice(b",\"effect\":");
    push_str(out, effect(r.effect));
    if let Some(loan) = &r.loan {
        out.extend_from_slice(b",\"loan\":");
        push_str(out, loan);
    }
    out.extend_from_slice(b",\"zh\":");
    push_str(out, &r.zh);
    out.extend_from_slice(b",\"en\":");
    push_str(out, &r.en);
    out.push(b'}');
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

fn push_list<T>(out: &mut Vec<u8>, items: &[T], mut write: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item);
    }
    out.push(b']');
}

fn push_bool(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

fn push_money(out: &mut Vec<u8>, m: Money) {
    out.push(b'"');
    out.extend_from_slice(m.text().as_str().as_bytes());
    out.push(b'"');
}

fn push_rate(out: &mut Vec<u8>, r: Rate) {
    push_str(out, &rust_decimal::Decimal::from(r).to_string());
}

/// `s` as a JSON string, escaped as serde_json escapes: `"` and `\`, and the control
/// characters below U+0020 (`\b \t \n \f \r` by name, the rest as `\u00XX`); nothing else.
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        // Eight bytes at a time while none needs escaping.
        if let Some(chunk) = b.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            if !any_to_escape(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        let c = b[i];
        if c < 0x20 || c == b'"' || c == b'\\' {
            out.extend_from_slice(&b[copied..i]);
            escape(out, c);
            copied = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(&b[copied..]);
    out.push(b'"');
}

/// Whether any byte of `w` is below 0x20, `"` or `\` (never a false "no").
fn any_to_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let zero = |x: u64| below(x, 1);
    (below(w, 0x20) | zero(w ^ (ONES * u64::from(b'"'))) | zero(w ^ (ONES * u64::from(b'\\')))) != 0
}

fn escape(out: &mut Vec<u8>, c: u8) {
    let named = match c {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(c >> 4)],
                HEX[usize::from(c & 0xf)],
            ]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', named]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn written(s: &str) -> String {
        let mut out = Vec::new();
        push_str(&mut out, s);
        String::from_utf8(out).unwrap()
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
}
