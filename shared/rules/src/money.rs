//! Money: exact decimal CNY with at most two places (reading 6). Never a float.
//!
//! On the wire an amount is a decimal **string** (`"200000.00"`), so no JSON number ever
//! passes through a binary float.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// The largest amount the system accepts anywhere: one hundred billion CNY. A larger
/// figure in a subsidy application is a typing error, not a loan.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(1_215_752_192, 23, 0, false, 0); // 10^11

/// A non-negative amount of CNY with at most two decimals, at most [`MAX_AMOUNT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

impl Default for Money {
    fn default() -> Money {
        Money::ZERO
    }
}

/// Why a string is not an amount of money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyError {
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

impl std::error::Error for MoneyError {}

/// The refusal of an amount finer than the fen.
fn too_precise(shown: impl fmt::Display) -> MoneyError {
    MoneyError {
        code: "money_too_precise",
        zh: format!("金额最多两位小数（精确到分）：{shown}"),
        en: format!("amount has more than two decimals (fen): {shown}"),
    }
}

impl Money {
    /// Zero, written `0.00` like every other amount.
    pub const ZERO: Money = Money(Decimal::from_parts(0, 0, 0, false, 2));

    /// Checks a decimal: non-negative, at most two places, at most [`MAX_AMOUNT`].
    pub fn new(value: Decimal) -> Result<Money, MoneyError> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(MoneyError {
                code: "money_negative",
                zh: format!("金额不能为负数：{value}"),
                en: format!("amount must not be negative: {value}"),
            });
        }
        if value.normalize().scale() > 2 {
            return Err(too_precise(value));
        }
        if value > MAX_AMOUNT {
            return Err(MoneyError {
                code: "money_too_large",
                zh: format!("金额超过上限 {MAX_AMOUNT} 元：{value}"),
                en: format!("amount exceeds the maximum of {MAX_AMOUNT} CNY: {value}"),
            });
        }
        let mut v = value.abs();
        v.rescale(2);
        Ok(Money(v))
    }

    /// Parses a decimal string such as `"120000.50"`.
    pub fn parse(s: &str) -> Result<Money, MoneyError> {
        let t = s.trim();
        let well_formed = !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
            && t.len() <= 40;
        // A decimal holds 28–29 digits and rounds the rest away (up, too): an amount's
        // places beyond the fen are refused from the text, and the rest parsed exactly.
        let (whole, given) = t.split_once('.').unwrap_or((t, ""));
        let places = given.trim_end_matches('0');
        if well_formed && places.len() > 2 {
            return Err(too_precise(t));
        }
        let exact: Cow<'_, str> = if places.len() == given.len() {
            Cow::Borrowed(t)
        } else if places.is_empty() {
            Cow::Borrowed(whole)
        } else {
            Cow::Owned(format!("{whole}.{places}"))
        };
        let value = well_formed
            .then(|| Decimal::from_str_exact(&exact).ok())
            .flatten()
            .ok_or_else(|| MoneyError {
                code: "money_malformed",
                zh: format!("金额格式不正确，应为十进制数字字符串，如 \"1200.50\"：{s:?}"),
                en: format!("amount is not a decimal string such as \"1200.50\": {s:?}"),
            })?;
        Money::new(value)
    }

    /// An amount computed from money, rounded **down** to the fen (reading 6), so that no
    /// ceiling is ever passed. Negative results clamp to zero.
    pub fn floor_fen(value: Decimal) -> Money {
        let v = value
            .round_dp_with_strategy(2, RoundingStrategy::ToZero)
            .max(Decimal::ZERO)
            .min(MAX_AMOUNT);
        Money::new(v).unwrap_or(Money::ZERO)
    }

    /// Whole yuan (for tests and data generators).
    pub fn yuan(y: u64) -> Money {
        Money::floor_fen(Decimal::from(y))
    }

    /// An amount in whole fen, clamped to `0..=MAX_AMOUNT`.
    pub fn from_fen(fen: i128) -> Money {
        const MAX_FEN: i128 = 10_000_000_000_000;
        Money(Decimal::from_i128_with_scale(fen.clamp(0, MAX_FEN), 2))
    }

    /// The amount in fen, exact (amounts never exceed 10^13 fen).
    pub fn fen(self) -> i128 {
        // Every constructor leaves two places; `rescale` is only the safety net.
        if self.0.scale() == 2 {
            return self.0.mantissa();
        }
        let mut v = self.0;
        v.rescale(2);
        v.mantissa()
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    // In fen, exact; `from_fen` clamps to `0..=MAX_AMOUNT` as `floor_fen` would.
    pub fn saturating_sub(self, other: Money) -> Money {
        Money::from_fen(self.fen() - other.fen())
    }

    pub fn saturating_add(self, other: Money) -> Money {
        Money::from_fen(self.fen() + other.fen())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text().as_str())
    }
}

/// An amount written out (`1234.50`) on the stack: what `Money`'s `Display` and JSON write.
#[derive(Clone, Copy)]
pub struct MoneyText {
    buf: [u8; 24],
    start: usize,
}

impl MoneyText {
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and a point were written.
        std::str::from_utf8(&self.buf[self.start..]).unwrap_or_default()
    }
}

impl Money {
    /// The amount as `Decimal` would write it. Every `Money` carries exactly two places
    /// (`new` rescales, `from_fen` builds them), so that is the fen with a point before the
    /// last two digits; written by hand because `Decimal`'s formatter dominated the time of
    /// an allocation's texts (issue 17).
    pub fn text(self) -> MoneyText {
        let mut fen = self.fen().clamp(0, u64::MAX as i128) as u64;
        let mut buf = [0u8; 24];
        let mut i = buf.len();
        for place in 0..3 {
            i -= 1;
            buf[i] = if place == 2 {
                b'.'
            } else {
                let d = (fen % 10) as u8;
                fen /= 10;
                b'0' + d
            };
        }
        loop {
            i -= 1;
            buf[i] = b'0' + (fen % 10) as u8;
            fen /= 10;
            if fen == 0 {
                break;
            }
        }
        MoneyText { buf, start: i }
    }
}

impl Money {
    /// The amount as people read it in a table, thousands grouped: `1,234,567.89`.
    pub fn grouped(self) -> String {
        // Money is never negative (`Money::parse`, the arithmetic saturates at zero).
        let plain = self.to_string();
        let (whole, fen) = plain.split_once('.').unwrap_or((plain.as_str(), "00"));
        let mut out = String::with_capacity(plain.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        format!("{out}.{fen}")
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Money::saturating_add)
    }
}

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.text().as_str())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount of CNY as a decimal string, e.g. \"1200.50\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
                Money::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}

/// A rate such as 0.50, a fraction between 0 and 1 (parameters only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Rate(Decimal);

impl Rate {
    pub fn new(value: Decimal) -> Result<Rate, String> {
        if value < Decimal::ZERO || value > Decimal::ONE {
            return Err(format!("rate must lie between 0 and 1: {value}"));
        }
        Ok(Rate(value))
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// `rate × amount`, rounded down to the fen (reading 6).
    pub fn of(self, amount: Money) -> Money {
        Money::floor_fen(self.0 * amount.0)
    }

    /// The rate as a percentage for texts, e.g. `60%`.
    pub fn percent(self) -> String {
        format!("{}%", (self.0 * Decimal::ONE_HUNDRED).normalize())
    }
}

impl TryFrom<Decimal> for Rate {
    type Error = String;
    fn try_from(d: Decimal) -> Result<Rate, String> {
        Rate::new(d)
    }
}

impl From<Rate> for Decimal {
    fn from(r: Rate) -> Decimal {
        r.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_for_tables() {
        for (plain, grouped) in [
            ("0.00", "0.00"),
            ("999.99", "999.99"),
            ("1000.00", "1,000.00"),
            ("120000.00", "120,000.00"),
            ("1234567.89", "1,234,567.89"),
        ] {
            assert_eq!(Money::parse(plain).unwrap().grouped(), grouped);
        }
    }

    #[test]
    fn money_parses_decimal_strings_exactly() {
        assert_eq!(Money::parse("200000").unwrap().to_string(), "200000.00");
        assert_eq!(Money::parse("0.1").unwrap().fen(), 10);
        assert_eq!(Money::parse(" 1200.50 ").unwrap().fen(), 120050);
        assert_eq!(Money::parse("100000000000").unwrap().decimal(), MAX_AMOUNT);
    }

    #[test]
    fn money_rejects_negative_three_decimals_too_large_and_junk() {
        assert_eq!(Money::parse("-1").unwrap_err().code, "money_negative");
        assert_eq!(Money::parse("1.005").unwrap_err().code, "money_too_precise");
        assert_eq!(
            Money::parse("100000000000.01").unwrap_err().code,
            "money_too_large"
        );
        for bad in ["", "1e5", "1,000", "abc", "0x10", "１２"] {
            assert_eq!(
                Money::parse(bad).unwrap_err().code,
                "money_malformed",
                "{bad}"
            );
        }
        // Trailing zeros beyond the fen are still exact, so accepted.
        assert_eq!(Money::parse("1.500").unwrap().fen(), 150);
        assert_eq!(
            Money::parse("1.000000000000000000000000000000000")
                .unwrap()
                .fen(),
            100
        );
    }

    /// More digits than a decimal holds are refused, never rounded (up) into an amount.
    #[test]
    fn money_digits_past_a_decimals_precision_are_refused_not_rounded() {
        for bad in [
            "99999.99999999999999999999999999",
            "1.009999999999999999999999999999",
            "100000000000.0000000000000000001",
            "0.0000000000000000000000000000001",
        ] {
            assert_eq!(
                Money::parse(bad).unwrap_err().code,
                "money_too_precise",
                "{bad}"
            );
        }
    }

    #[test]
    fn money_json_is_a_string_never_a_number() {
        let m: Money = serde_json::from_str("\"12.3\"").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"12.30\"");
        assert!(serde_json::from_str::<Money>("12.3").is_err());
    }

    /// `Money`'s own writing is `Decimal`'s, for every amount that can exist.
    #[test]
    fn text_is_decimal_display() {
        let mut fens: Vec<i128> = (0..2_000).collect();
        fens.extend([9_999, 10_000, 99_999_999, 10_000_000_000_000]);
        let mut x: u64 = 1;
        for _ in 0..20_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            fens.push((x >> 20) as i128 % 10_000_000_000_001);
        }
        for fen in fens {
            let m = Money::from_fen(fen);
            assert_eq!(
                m.to_string(),
                Decimal::from_i128_with_scale(fen, 2).to_string()
            );
        }
        for s in [
            "0",
            "-0",
            "-0.00",
            "1.500",
            "0.1",
            "12",
            "100000000000",
            "007.10",
        ] {
            let m = Money::parse(s).unwrap();
            assert_eq!(m.to_string(), m.decimal().to_string(), "{s}");
        }
    }

    /// Reading 6: computed amounts round down to the fen.
    #[test]
    fn rate_of_rounds_down_to_the_fen() {
        let half = Rate::new(Decimal::new(5, 1)).unwrap();
        assert_eq!(half.of(Money::parse("0.03").unwrap()).fen(), 1);
        let sixty = Rate::new(Decimal::new(6, 1)).unwrap();
        assert_eq!(
            sixty.of(Money::parse("333.33").unwrap()).to_string(),
            "199.99"
        );
        assert_eq!(sixty.percent(), "60%");
        assert!(Rate::new(Decimal::new(11, 1)).is_err());
    }
}

#[cfg(test)]
mod zero_tests {
    use super::*;

    /// Every amount, zero included, is written with two places.
    #[test]
    fn zero_is_written_with_two_places() {
        assert_eq!(Money::ZERO.to_string(), "0.00");
        assert_eq!(Money::default().to_string(), "0.00");
        assert_eq!(Money::from_fen(0).to_string(), "0.00");
        assert_eq!(serde_json::to_string(&Money::ZERO).unwrap(), "\"0.00\"");
    }
}
