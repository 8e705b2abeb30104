//! Chinese patent application numbers (专利申请号), which carry the patent type that
//! decides whether a pledge can reach the 60% rate (SUB-KEY).
//!
//! Two forms, each followed by a check character after a dot:
//! - since 1 October 2003: year (4) · type (1) · serial (7), e.g. `202310123456.7`;
//!   weights 2,3,4,5,6,7,8,9,2,3,4,5;
//! - before: year (2) · type (1) · serial (5), e.g. `98123456.X`; weights 2..9.
//!
//! In both, Σ digit × weight mod 11 indexes `0123456789X`.

use std::fmt;

use serde::{Deserialize, Serialize};

const CHECK_CHARS: [char; 11] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'];
const WEIGHTS_12: [u32; 12] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
const WEIGHTS_8: [u32; 8] = [2, 3, 4, 5, 6, 7, 8, 9];

/// An invalid or mismatching patent number, with a machine code and messages in
/// Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatentError {
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

impl fmt::Display for PatentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

impl std::error::Error for PatentError {}

fn error(code: &'static str, zh: String, en: String) -> PatentError {
    PatentError { code, zh, en }
}

/// The type of a patent, from the type digit of its application number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatentType {
    /// 1: invention (发明).
    Invention,
    /// 2: utility model (实用新型).
    UtilityModel,
    /// 3: design (外观设计).
    Design,
    /// 8: PCT application for an invention entering the Chinese national phase.
    PctInvention,
    /// 9: PCT application for a utility model entering the Chinese national phase.
    PctUtilityModel,
}

crate::json_write::json_names! {
    PatentType {
        Invention => "invention",
        UtilityModel => "utility_model",
        Design => "design",
        PctInvention => "pct_invention",
        PctUtilityModel => "pct_utility_model",
    }
}

impl PatentType {
    pub fn from_digit(digit: char) -> Option<PatentType> {
        match digit {
            '1' => Some(PatentType::Invention),
            '2' => Some(PatentType::UtilityModel),
            '3' => Some(PatentType::Design),
            '8' => Some(PatentType::PctInvention),
            '9' => Some(PatentType::PctUtilityModel),
            _ => None,
        }
    }

    pub fn digit(self) -> char {
        match self {
            PatentType::Invention => '1',
            PatentType::UtilityModel => '2',
            PatentType::Design => '3',
            PatentType::PctInvention => '8',
            PatentType::PctUtilityModel => '9',
        }
    }

    /// SUB-KEY: only invention patents and PCT (invention) patents can reach 60%;
    /// designs and utility models, PCT ones included, never do.
    pub fn qualifies_for_key_rate(self) -> bool {
        matches!(self, PatentType::Invention | PatentType::PctInvention)
    }

    pub fn zh(self) -> &'static str {
        match self {
            PatentType::Invention => "发明专利",
            PatentType::UtilityModel => "实用新型专利",
            PatentType::Design => "外观设计专利",
            PatentType::PctInvention => "进入中国国家阶段的PCT发明专利",
            PatentType::PctUtilityModel => "进入中国国家阶段的PCT实用新型专利",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            PatentType::Invention => "invention patent",
            PatentType::UtilityModel => "utility model patent",
            PatentType::Design => "design patent",
            PatentType::PctInvention => "PCT invention patent (Chinese national phase)",
            PatentType::PctUtilityModel => "PCT utility model patent (Chinese national phase)",
        }
    }
}

/// A valid patent application number, kept in the canonical form `202310123456.7`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PatentNumber {
    canonical: String,
    patent_type: PatentType,
}

fn check_char(digits: &[u32], weights: &[u32]) -> char {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    CHECK_CHARS.get((sum % 11) as usize).copied().unwrap_or('0')
}

impl PatentNumber {
    /// Parses an application number: accepts a `CN` or `ZL` prefix, spaces and an
    /// optional dot before the check character (`ZL 2023 1 0123456.7`), in either form.
    pub fn parse(s: &str) -> Result<PatentNumber, PatentError> {
        let input = s.trim();
        let mut text: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if text.is_empty() {
            return Err(error(
                "patent_empty",
                "专利申请号为空".to_owned(),
                "the patent application number is empty".to_owned(),
            ));
        }
        for prefix in ["CN", "ZL"] {
            if let Some(rest) = text.strip_prefix(prefix) {
                text = rest.to_owned();
                break;
            }
        }
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        // The dot may only stand right before the check character.
        if let Some(i) = chars.iter().position(|&c| c == '.') {
            let dots = chars.iter().filter(|&&c| c == '.').count();
            if dots > 1 || i + 2 != n {
                return Err(error(
                    "patent_misplaced_dot",
                    format!(
                        "专利申请号 {input:?} 中的小数点只能有一个，且紧挨在最后一位校验位之前"
                    ),
                    format!(
                        "patent application number {input:?}: a single dot may only stand right before the final check character"
                    ),
                ));
            }
        }
        let body: Vec<char> = chars.into_iter().filter(|&c| c != '.').collect();
        let last = body.len().saturating_sub(1);
        for (i, &c) in body.iter().enumerate() {
            if !(c.is_ascii_digit() || (c == 'X' && i == last)) {
                return Err(error(
                    "patent_invalid_character",
                    format!(
                        "专利申请号 {input:?} 第 {} 位的字符 {c:?} 无效：只能是数字，最后的校验位还可以是 X",
                        i + 1
                    ),
                    format!(
                        "patent application number {input:?}: character {} ({c:?}) is not allowed; only digits, and X as the final check character",
                        i + 1
                    ),
                ));
            }
        }
        let (digits, found) = match body.split_last() {
            Some((&found, digits)) => (digits, found),
            None => (&[][..], ' '),
        };
        let weights: &[u32] = match digits.len() {
            12 => &WEIGHTS_12,
            8 => &WEIGHTS_8,
            len => {
                return Err(error(
                    "patent_wrong_length",
                    format!(
                        "专利申请号 {input:?} 应为 12 位数字加 1 位校验位（2003 年 10 月起）或 8 位数字加 1 位校验位，实为 {} 位加校验位",
                        len
                    ),
                    format!(
                        "patent application number {input:?} must have 12 digits plus a check character (since October 2003) or 8 digits plus one, found {len} plus one"
                    ),
                ));
            }
        };
        let values: Vec<u32> = digits.iter().filter_map(|c| c.to_digit(10)).collect();
        let number: String = digits.iter().collect();
        let expected = check_char(&values, weights);
        if expected != found {
            return Err(error(
                "patent_check_mismatch",
                format!("专利申请号 {number} 的校验位应为 {expected}，实为 {found}"),
                format!(
                    "the check character of patent application number {number} should be {expected}, found {found}"
                ),
            ));
        }
        // Type digit: 5th of the 12-digit form, 3rd of the 8-digit form.
        let type_index = if digits.len() == 12 { 4 } else { 2 };
        let type_digit = digits.get(type_index).copied().unwrap_or(' ');
        let patent_type = PatentType::from_digit(type_digit).ok_or_else(|| {
            error(
                "patent_unknown_type",
                format!(
                    "专利申请号 {number} 第 {} 位的类型码应为 1、2、3、8 或 9，实为 {type_digit}",
                    type_index + 1
                ),
                format!(
                    "the type digit (position {}) of patent application number {number} must be 1, 2, 3, 8 or 9, found {type_digit}",
                    type_index + 1
                ),
            )
        })?;
        let year = application_year(&values);
        let year_ok = if digits.len() == 12 {
            year >= 2003
        } else {
            (1985..=2003).contains(&year)
        };
        if !year_ok {
            let range = if digits.len() == 12 {
                "2003 年及以后"
            } else {
                "1985–2003 年"
            };
            let range_en = if digits.len() == 12 {
                "2003 or later"
            } else {
                "1985–2003"
            };
            return Err(error(
                "patent_year_out_of_range",
                format!("专利申请号 {number} 的申请年份 {year} 不在该格式的使用期（{range}）内"),
                format!(
                    "patent application number {number}: the year {year} is outside the years of its format ({range_en})"
                ),
            ));
        }
        Ok(PatentNumber {
            canonical: format!("{number}.{found}"),
            patent_type,
        })
    }

    /// The canonical form, e.g. `202310123456.7`.
    pub fn as_str(&self) -> &str {
        &self.canonical
    }

    pub fn patent_type(&self) -> PatentType {
        self.patent_type
    }

    /// The year of application (two-digit years of the old form are 1985–2003).
    pub fn application_year(&self) -> i32 {
        let values: Vec<u32> = self
            .canonical
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        application_year(&values)
    }

    /// SUB-KEY: whether the declared type matches the number's type digit.
    pub fn check_declared_type(&self, declared: PatentType) -> Result<(), PatentError> {
        if declared == self.patent_type {
            return Ok(());
        }
        Err(error(
            "patent_type_mismatch",
            format!(
                "申报的专利类型为{}，但申请号 {} 的类型码 {} 表示{}",
                declared.zh(),
                self.canonical,
                self.patent_type.digit(),
                self.patent_type.zh()
            ),
            format!(
                "declared as {}, but the type digit {} of application number {} means {}",
                declared.en(),
                self.patent_type.digit(),
                self.canonical,
                self.patent_type.en()
            ),
        ))
    }
}

/// The year from the leading digits: 4 in the 12-digit form, else 2 (85–99 → 19xx).
fn application_year(values: &[u32]) -> i32 {
    let digit = |i: usize| values.get(i).copied().unwrap_or(0) as i32;
    if values.len() >= 12 {
        digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
    } else {
        let yy = digit(0) * 10 + digit(1);
        if yy >= 85 { 1900 + yy } else { 2000 + yy }
    }
}

impl TryFrom<String> for PatentNumber {
    type Error = PatentError;
    fn try_from(s: String) -> Result<PatentNumber, PatentError> {
        PatentNumber::parse(&s)
    }
}

impl From<PatentNumber> for String {
    fn from(number: PatentNumber) -> String {
        number.canonical
    }
}

impl fmt::Display for PatentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> PatentNumber {
        PatentNumber::parse(s).unwrap()
    }

    fn err(s: &str) -> PatentError {
        PatentNumber::parse(s).unwrap_err()
    }

    /// Completes 12 or 8 digits with their check character, computed here as CNIPA
    /// publishes it (not with the code under test): the digits times 2, 3, 4, … 9, 2, 3, …
    /// summed, modulo 11, 10 written X.
    fn with_check(digits: &str) -> String {
        let sum: u32 = digits
            .chars()
            .zip([2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5])
            .map(|(c, w)| c.to_digit(10).unwrap() * w)
            .sum();
        let check = match sum % 11 {
            10 => 'X',
            n => char::from_digit(n, 10).unwrap(),
        };
        format!("{digits}.{check}")
    }

    /// Numbers published with their check characters (CNIPA's explanations of the number,
    /// quoted widely): both forms, and an X. Each is accepted and any other check refused.
    #[test]
    fn sub_key_published_numbers_and_their_checks() {
        for (published, ty, year) in [
            ("201710601862.3", PatentType::Invention, 2017),
            ("201080063196.9", PatentType::PctInvention, 2010),
            ("97101765.4", PatentType::Invention, 1997),
            ("95115608.X", PatentType::Invention, 1995),
        ] {
            let p = parse(&format!("ZL{published}"));
            assert_eq!(p.as_str(), published);
            assert_eq!(
                (p.patent_type(), p.application_year()),
                (ty, year),
                "{published}"
            );
            let (body, check) = published.split_at(published.len() - 1);
            for other in "0123456789X".chars().filter(|c| c.to_string() != check) {
                let e = err(&format!("{body}{other}"));
                assert_eq!(e.code, "patent_check_mismatch", "{body}{other}");
            }
        }
    }

    #[test]
    fn sub_key_rules_md_check_example() {
        let p = parse("201080063196.9");
        assert_eq!(p.as_str(), "201080063196.9");
        assert_eq!(p.patent_type(), PatentType::PctInvention);
        assert_eq!(p.application_year(), 2010);
        assert_eq!(err("201080063196.8").code, "patent_check_mismatch");
    }

    #[test]
    fn sub_key_accepted_spellings() {
        let canonical = with_check("202310123456");
        let check = canonical.chars().last().unwrap();
        for s in [
            canonical.clone(),
            format!("2023 1 0123456.{check}"),
            format!("CN202310123456.{check}"),
            format!("ZL202310123456.{check}"),
            format!("zl 2023 1 0123456 . {check}"),
            format!("  cn 202310123456{check}  "),
            format!("ZL　202310123456.{check}"), // ideographic space
        ] {
            assert_eq!(parse(&s).as_str(), canonical, "{s}");
        }
        assert_eq!(parse(&canonical).patent_type(), PatentType::Invention);
    }

    #[test]
    fn sub_key_check_mismatch_names_expected_and_found() {
        let good = with_check("202310123456");
        let check = good.chars().last().unwrap();
        let wrong = if check == '0' { '1' } else { '0' };
        let e = err(&format!("202310123456.{wrong}"));
        assert_eq!(e.code, "patent_check_mismatch");
        assert!(
            e.en.contains(&format!("should be {check}, found {wrong}")),
            "{}",
            e.en
        );
        assert!(e.zh.contains(&format!("应为 {check}，实为 {wrong}")));
        // Every single-digit substitution is caught (weights are all non-zero mod 11).
        let digits: Vec<char> = "202310123456".chars().collect();
        for i in 0..12 {
            for d in '0'..='9' {
                if d != digits[i] {
                    let mut v = digits.clone();
                    v[i] = d;
                    let s: String = v.iter().collect();
                    assert!(PatentNumber::parse(&format!("{s}.{check}")).is_err(), "{s}");
                }
            }
        }
    }

    #[test]
    fn sub_key_x_check_character() {
        // Find a 12-digit number whose check is X and round-trip it.
        let x = (0..1000u32)
            .map(|n| with_check(&format!("202310{n:06}")))
            .find(|s| s.ends_with('X'))
            .unwrap();
        assert_eq!(parse(&x.to_lowercase()).as_str(), x);
        assert_eq!(err("2023X0123456.1").code, "patent_invalid_character");
    }

    #[test]
    fn sub_key_old_eight_digit_form() {
        let s = with_check("98123456");
        let p = parse(&s);
        assert_eq!(p.patent_type(), PatentType::Invention);
        assert_eq!(p.application_year(), 1998);
        let p = parse(&format!("ZL{}", with_check("03212345")));
        assert_eq!(p.patent_type(), PatentType::UtilityModel);
        assert_eq!(p.application_year(), 2003);
        assert_eq!(
            parse(&with_check("01312345")).patent_type(),
            PatentType::Design
        );
        assert_eq!(
            parse(&with_check("99812345")).patent_type(),
            PatentType::PctInvention
        );
        let check = s.chars().last().unwrap();
        let wrong = if check == '0' { '1' } else { '0' };
        let e = err(&format!("98123456.{wrong}"));
        assert_eq!(e.code, "patent_check_mismatch");
        assert!(e.en.contains(&format!("should be {check}, found {wrong}")));
    }

    #[test]
    fn sub_key_type_digit_and_key_rate() {
        let cases = [
            ('1', PatentType::Invention, true),
            ('2', PatentType::UtilityModel, false),
            ('3', PatentType::Design, false),
            ('8', PatentType::PctInvention, true),
            ('9', PatentType::PctUtilityModel, false),
        ];
        for (digit, ty, key) in cases {
            let p = parse(&with_check(&format!("2024{digit}0000001")));
            assert_eq!(p.patent_type(), ty);
            assert_eq!(ty.qualifies_for_key_rate(), key, "{ty:?}");
            assert_eq!(ty.digit(), digit);
            assert!(!ty.zh().is_empty() && !ty.en().is_empty());
        }
        let e = err(&with_check("202450000001"));
        assert_eq!(e.code, "patent_unknown_type");
        assert!(
            e.en.contains("position 5") && e.en.contains("found 5"),
            "{}",
            e.en
        );
    }

    #[test]
    fn sub_key_declared_type_mismatch() {
        let p = parse(&with_check("202320000001"));
        assert_eq!(p.check_declared_type(PatentType::UtilityModel), Ok(()));
        let e = p.check_declared_type(PatentType::Invention).unwrap_err();
        assert_eq!(e.code, "patent_type_mismatch");
        assert!(
            e.zh.contains("发明专利") && e.zh.contains("实用新型专利"),
            "{}",
            e.zh
        );
        assert!(e.en.contains("invention patent") && e.en.contains("utility model patent"));
    }

    #[test]
    fn sub_key_malformed_numbers() {
        assert_eq!(err("").code, "patent_empty");
        assert_eq!(err("   ").code, "patent_empty");
        assert_eq!(err("CN").code, "patent_wrong_length");
        assert_eq!(err("20231012345.6").code, "patent_wrong_length");
        assert!(err("20231012345.6").en.contains("found 11"));
        assert_eq!(err("2023101234567.8").code, "patent_wrong_length");
        assert_eq!(err("2023.10123456.7").code, "patent_misplaced_dot");
        assert_eq!(err("20231012345.67").code, "patent_misplaced_dot");
        assert_eq!(err("202310123456..7").code, "patent_misplaced_dot");
        assert_eq!(err(".").code, "patent_misplaced_dot");
        let e = err("2023-10123456.7");
        assert_eq!(e.code, "patent_invalid_character");
        assert!(e.en.contains("character 5 ('-')"), "{}", e.en);
        assert_eq!(err("CN102345678A").code, "patent_invalid_character");
        assert_eq!(err("２０２３10123456.7").code, "patent_invalid_character");
        // Years outside the form's period.
        assert_eq!(
            err(&with_check("200210123456")).code,
            "patent_year_out_of_range"
        );
        assert_eq!(
            err(&with_check("84123456")).code,
            "patent_year_out_of_range"
        );
        assert_eq!(
            err(&with_check("05123456")).code,
            "patent_year_out_of_range"
        );
    }

    #[test]
    fn sub_key_serde() {
        let canonical = with_check("202310123456");
        let p: PatentNumber = serde_json::from_str(&format!("\"ZL {canonical}\"")).unwrap();
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            format!("\"{canonical}\"")
        );
        let e = serde_json::from_str::<PatentNumber>("\"202310123456.X1\"").unwrap_err();
        assert!(e.to_string().contains("patent application number"), "{e}");
        assert_eq!(
            serde_json::to_string(&PatentType::PctUtilityModel).unwrap(),
            "\"pct_utility_model\""
        );
        assert_eq!(
            serde_json::from_str::<PatentType>("\"pct_invention\"").unwrap(),
            PatentType::PctInvention
        );
    }
}
