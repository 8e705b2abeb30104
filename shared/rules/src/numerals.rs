//! Amounts in Chinese capital numerals (大写金额) for official notices (PROC-NOTICE,
//! DISCLOSE), following the People's Bank of China 《支付结算办法》 (附件一《正确填写
//! 票据和结算凭证的基本规定》):
//!
//! - 整 follows 元 when there is no 角 or 分; after 角 it is omitted (the rules allow
//!   either; we choose none), and never after 分.
//! - One 零 for any run of inner zeros (1001 → 壹仟零壹元, 100010 → 壹拾万零壹拾元,
//!   100001000 → 壹亿零壹仟元: a whole zero 万 group is inner zeros).
//! - When the 万 or 元 digit is 0 but the next digit (仟 or 角) is not, the rules allow
//!   one 零 or none; we write none before 仟 (107000 → 壹拾万柒仟元, 10001000 →
//!   壹仟万壹仟元) unless a whole 万 group is zero (above), and one before 角
//!   (1680.32 → 壹仟陆佰捌拾元零叁角贰分).
//! - When 角 is 0 and 分 is not, 零 follows 元 (325.04 → 叁佰贰拾伍元零肆分).
//! - A leading ten is 壹拾 (100000 → 壹拾万元整), so nothing can be inserted before it.
//! - Below one yuan there is no 元 part (0.50 → 伍角, 0.05 → 伍分); zero is 零元整.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

/// An error converting an amount, with a machine code and messages in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumeralError {
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

impl fmt::Display for NumeralError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

impl std::error::Error for NumeralError {}

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
/// Units of the four places of a group, highest first.
const PLACES: [&str; 4] = ["仟", "佰", "拾", ""];
/// One thousand billion yuan (1万亿): the first amount that needs a 万亿 group.
const LIMIT_YUAN: u64 = 1_000_000_000_000;

fn digit(d: u64) -> char {
    // `d` is always `n % 10`; the fallback is unreachable but keeps this panic-free.
    DIGITS.get(d as usize).copied().unwrap_or('零')
}

/// A group of four places (0 < `group` < 10000) with one 零 per run of inner zeros
/// and none for trailing zeros.
fn push_group(out: &mut String, group: u64) {
    let digits = [
        group / 1000 % 10,
        group / 100 % 10,
        group / 10 % 10,
        group % 10,
    ];
    let mut started = false;
    let mut pending_zero = false;
    for (d, place) in digits.into_iter().zip(PLACES) {
        if d == 0 {
            pending_zero = started;
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        out.push(digit(d));
        out.push_str(place);
        started = true;
    }
}

/// The yuan part (0 < `yuan` < 10^12) without 元.
fn push_yuan(out: &mut String, yuan: u64) {
    let groups = [
        (yuan / 100_000_000, "亿"),
        (yuan / 10_000 % 10_000, "万"),
        (yuan % 10_000, ""),
    ];
    let mut higher = false;
    let mut skipped = false;
    for (group, suffix) in groups {
        if group == 0 {
            // A whole zero group between two non-zero ones needs its 零 (1亿零1仟).
            skipped = higher;
            continue;
        }
        // 零 when the group starts with zeros (10万零10) or a group was skipped;
        // none when only the 万 digit is 0 and 仟 is not (10万7仟).
        if higher && (group < 1000 || skipped) {
            out.push('零');
        }
        push_group(out, group);
        out.push_str(suffix);
        higher = true;
        skipped = false;
    }
}

/// The amount in capital numerals, e.g. 120000 → `壹拾贰万元整`, 1680.32 →
/// `壹仟陆佰捌拾元零叁角贰分`. For 0 ≤ `amount` < 1 000 000 000 000 with at most two
/// decimals (trailing zeros are fine: 1409.50 → `壹仟肆佰零玖元伍角`).
pub fn amount_in_capitals(amount: Decimal) -> Result<String, NumeralError> {
    let value = amount.normalize();
    if value.is_sign_negative() && !value.is_zero() {
        return Err(NumeralError {
            code: "numeral_negative",
            zh: format!("大写金额不能为负数：{amount}"),
            en: format!("an amount in capitals cannot be negative: {amount}"),
        });
    }
    if value.scale() > 2 {
        return Err(NumeralError {
            code: "numeral_too_precise",
            zh: format!(
                "金额最多两位小数（精确到分），实有 {} 位：{amount}",
                value.scale()
            ),
            en: format!(
                "an amount has at most two decimals (fen), found {}: {amount}",
                value.scale()
            ),
        });
    }
    // With scale <= 2, mantissa × 10^(2 − scale) is the amount in fen.
    let fen = value.mantissa().unsigned_abs()
        * match value.scale() {
            0 => 100,
            1 => 10,
            _ => 1,
        };
    let yuan = fen / 100;
    if yuan >= u128::from(LIMIT_YUAN) {
        return Err(NumeralError {
            code: "numeral_too_large",
            zh: format!("金额应小于 1 000 000 000 000 元（壹万亿元），实为 {amount}"),
            en: format!("the amount must be below 1,000,000,000,000 CNY, found {amount}"),
        });
    }
    // Checked against LIMIT_YUAN above, so these fit.
    let yuan = yuan as u64;
    let jiao = (fen / 10 % 10) as u64;
    let fen = (fen % 10) as u64;

    let mut out = String::new();
    if yuan == 0 && jiao == 0 && fen == 0 {
        return Ok("零元整".to_owned());
    }
    if yuan > 0 {
        push_yuan(&mut out, yuan);
        out.push('元');
    }
    if jiao == 0 && fen == 0 {
        out.push('整');
        return Ok(out);
    }
    // 零 after 元 when 角 is 0, or when the 元 digit is 0 (our choice of the two styles).
    if yuan > 0 && (jiao == 0 || yuan.is_multiple_of(10)) {
        out.push('零');
    }
    if jiao > 0 {
        out.push(digit(jiao));
        out.push('角');
    }
    if fen > 0 {
        out.push(digit(fen));
        out.push('分');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn cap(s: &str) -> String {
        amount_in_capitals(Decimal::from_str(s).unwrap()).unwrap()
    }

    /// Test-only inverse: capitals back to the amount in fen, strict enough that a
    /// wrong digit, unit or missing part fails the round trip.
    fn parse_capitals(s: &str) -> Option<u128> {
        if s == "零元整" {
            return Some(0);
        }
        let value = |c: char| DIGITS.iter().position(|&d| d == c).map(|p| p as u128);
        let (int_part, rest) = match s.split_once('元') {
            Some((i, r)) => (i, r),
            None => ("", s),
        };
        let mut total: u128 = 0;
        let mut section: u128 = 0;
        let mut digit: u128 = 0;
        for c in int_part.chars() {
            match c {
                '拾' => {
                    section += digit * 10;
                    digit = 0;
                }
                '佰' => {
                    section += digit * 100;
                    digit = 0;
                }
                '仟' => {
                    section += digit * 1000;
                    digit = 0;
                }
                '万' => {
                    total += (section + digit) * 10_000;
                    section = 0;
                    digit = 0;
                }
                '亿' => {
                    total = (total + section + digit) * 100_000_000;
                    section = 0;
                    digit = 0;
                }
                c => digit = value(c)?,
            }
        }
        let yuan = total + section + digit;
        let mut fen = yuan * 100;
        let rest = rest.strip_prefix('零').unwrap_or(rest);
        if rest == "整" {
            return Some(fen);
        }
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            let v = value(c)?;
            match chars.next()? {
                '角' => fen += v * 10,
                '分' => fen += v,
                _ => return None,
            }
        }
        Some(fen)
    }

    #[test]
    fn pboc_examples() {
        let cases = [
            ("300000", "叁拾万元整"),
            ("120000", "壹拾贰万元整"),
            ("100000", "壹拾万元整"),
            ("0", "零元整"),
            ("0.00", "零元整"),
            ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
            ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
            ("107000.53", "壹拾万柒仟元零伍角叁分"),
            ("1409.50", "壹仟肆佰零玖元伍角"),
            ("325.04", "叁佰贰拾伍元零肆分"),
            ("100000000", "壹亿元整"),
            ("10000.01", "壹万元零壹分"),
            ("1001", "壹仟零壹元整"),
            ("1010", "壹仟零壹拾元整"),
            ("100010", "壹拾万零壹拾元整"),
        ];
        for (amount, expected) in cases {
            assert_eq!(cap(amount), expected, "{amount}");
        }
    }

    #[test]
    fn more_zero_rules() {
        let cases = [
            ("10", "壹拾元整"),
            ("15", "壹拾伍元整"),
            ("0.5", "伍角"),
            ("0.05", "伍分"),
            ("0.55", "伍角伍分"),
            ("1.00", "壹元整"),
            ("1.10", "壹元壹角"),
            ("20.05", "贰拾元零伍分"),
            ("100000001", "壹亿零壹元整"),
            ("100001000", "壹亿零壹仟元整"),
            ("110000000", "壹亿壹仟万元整"),
            ("100010000", "壹亿零壹万元整"),
            ("1000100", "壹佰万零壹佰元整"),
            ("10001000", "壹仟万壹仟元整"), // 万 digit 0, 仟 not: no 零, as 107000
            ("300000.00", "叁拾万元整"),
            (
                "999999999999.99",
                "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
            ),
            ("1.500", "壹元伍角"),
        ];
        for (amount, expected) in cases {
            assert_eq!(cap(amount), expected, "{amount}");
        }
    }

    #[test]
    fn out_of_range_amounts_are_errors() {
        let err = |s: &str| amount_in_capitals(Decimal::from_str(s).unwrap()).unwrap_err();
        assert_eq!(err("-0.01").code, "numeral_negative");
        assert_eq!(err("1.005").code, "numeral_too_precise");
        assert!(err("1.005").en.contains("found 3"));
        assert_eq!(err("1000000000000").code, "numeral_too_large");
        assert_eq!(
            err("79228162514264337593543950335").code,
            "numeral_too_large"
        );
        // Negative zero is zero.
        assert_eq!(cap("-0.00"), "零元整");
    }

    #[test]
    fn every_output_parses_back() {
        // A fixed LCG, plus amounts full of zeros, which is where the rules bite.
        let mut seed: u64 = 0x2025_0926;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed >> 11
        };
        let mut checked = 0;
        for i in 0..20_000u64 {
            let fen: u128 = match i % 4 {
                0 => u128::from(next() % 100_000_000_000_000),
                1 => u128::from(next() % 10_000_000_000),
                // Sparse: each digit is 0 with probability 3/4.
                _ => {
                    let mut n: u128 = 0;
                    for _ in 0..14 {
                        let d = next() % 40;
                        n = n * 10 + if d < 30 { 0 } else { u128::from(d - 30) };
                    }
                    n
                }
            };
            let amount = Decimal::from_i128_with_scale(fen as i128, 2);
            let text = amount_in_capitals(amount).unwrap();
            assert_eq!(parse_capitals(&text), Some(fen), "{amount} → {text}");
            assert!(!text.contains("零零"), "{text}");
            for unit in ["零元", "零万", "零亿", "零角", "零分", "零整"] {
                assert!(
                    text == "零元整" || !text.contains(unit),
                    "{amount} → {text}"
                );
            }
            assert!(
                !text.ends_with('零') && !text.starts_with('零') || text == "零元整",
                "{text}"
            );
            assert!(text.ends_with('整') == fen.is_multiple_of(100), "{text}");
            checked += 1;
        }
        assert_eq!(checked, 20_000);
    }
}
