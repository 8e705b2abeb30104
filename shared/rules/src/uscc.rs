//! The Unified Social Credit Code (统一社会信用代码, GB 32100-2015) that identifies an
//! applicant (SCOPE-ENT).
//!
//! Layout of the 18 characters: 1 registration department, 2 organisation class,
//! 3–8 administrative division of registration, 9–17 organisation code, 18 check.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The 31 characters of the code, by value 0–30 (I, O, S, V, Z are never used).
const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of characters 1–17 (3^(i) mod 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// Mentougou District, Beijing.
pub const MENTOUGOU_DIVISION: &str = "110109";

/// An invalid code, with a machine code and messages in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeError {
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

impl std::error::Error for CodeError {}

/// Each ASCII character's value in [`ALPHABET`], `NONE` when it is not there: a look-up
/// instead of a search of the alphabet for each of a code's 18 characters.
const VALUES: [u8; 128] = {
    let mut values = [NONE; 128];
    let alphabet = ALPHABET.as_bytes();
    let mut i = 0;
    while i < alphabet.len() {
        values[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    values
};
const NONE: u8 = u8::MAX;

fn value(c: char) -> Option<u32> {
    VALUES
        .get(c as usize)
        .filter(|&&v| v != NONE)
        .map(|&v| u32::from(v))
}

fn check_char(first17: &[char]) -> Option<char> {
    let mut sum = 0u32;
    for (&c, w) in first17.iter().zip(WEIGHTS) {
        sum += value(c)? * w;
    }
    let at = ((31 - sum % 31) % 31) as usize;
    ALPHABET.as_bytes().get(at).map(|&b| char::from(b))
}

/// Trims, uppercases and checks length and alphabet; returns the characters.
/// `what_zh` / `what_en` name the text being checked in the length error.
fn normalise(s: &str, len: usize, what_zh: &str, what_en: &str) -> Result<Vec<char>, CodeError> {
    let chars: Vec<char> = s.trim().chars().map(|c| c.to_ascii_uppercase()).collect();
    if chars.len() != len {
        return Err(CodeError {
            code: "uscc_wrong_length",
            zh: format!(
                "{what_zh}应为 {len} 位，实为 {} 位：{:?}",
                chars.len(),
                s.trim()
            ),
            en: format!(
                "{what_en} must have {len} characters, found {}: {:?}",
                chars.len(),
                s.trim()
            ),
        });
    }
    for (i, &c) in chars.iter().enumerate() {
        if value(c).is_none() {
            let why_zh = if "IOSVZ".contains(c) {
                "（代码中不使用 I、O、S、V、Z）"
            } else {
                ""
            };
            let why_en = if "IOSVZ".contains(c) {
                " (I, O, S, V and Z are never used)"
            } else {
                ""
            };
            return Err(CodeError {
                code: "uscc_invalid_character",
                zh: format!(
                    "统一社会信用代码第 {} 位的字符 {c:?} 无效{why_zh}，只能是数字或 {}",
                    i + 1,
                    "ABCDEFGHJKLMNPQRTUWXY"
                ),
                en: format!(
                    "character {} of the unified social credit code, {c:?}, is not allowed{why_en}; only digits and ABCDEFGHJKLMNPQRTUWXY are",
                    i + 1
                ),
            });
        }
    }
    Ok(chars)
}

/// A valid Unified Social Credit Code, normalised to upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

impl CreditCode {
    /// Parses a code: trims, uppercases, then checks length (18), alphabet, the check
    /// character (GB 32100-2015) and that characters 3–8 are a six-digit division code.
    pub fn parse(s: &str) -> Result<CreditCode, CodeError> {
        let chars = normalise(s, 18, "统一社会信用代码", "a unified social credit code")?;
        let (first17, last) = chars.split_at(17);
        let expected = check_char(first17);
        let found = last.first().copied();
        if let (Some(expected), Some(found)) = (expected, found)
            && expected != found
        {
            let code: String = chars.iter().collect();
            return Err(CodeError {
                code: "uscc_check_mismatch",
                zh: format!(
                    "统一社会信用代码 {code} 的校验码（第 18 位）应为 {expected}，实为 {found}"
                ),
                en: format!(
                    "check character (18th) of unified social credit code {code} should be {expected}, found {found}"
                ),
            });
        }
        Self::from_checked(chars)
    }

    /// Completes the first 17 characters with their check character: for test data and
    /// for tools that generate codes.
    pub fn with_check_char(first17: &str) -> Result<CreditCode, CodeError> {
        let mut chars = normalise(
            first17,
            17,
            "统一社会信用代码的前 17 位（不含校验码）",
            "a unified social credit code without its check character",
        )?;
        // Every character is in the alphabet here, so the check character exists.
        let check = check_char(&chars).ok_or_else(|| CodeError {
            code: "uscc_invalid_character",
            zh: "统一社会信用代码含无效字符".to_owned(),
            en: "the unified social credit code holds an invalid character".to_owned(),
        })?;
        chars.push(check);
        Self::from_checked(chars)
    }

    fn from_checked(chars: Vec<char>) -> Result<CreditCode, CodeError> {
        let code: String = chars.iter().collect();
        if let Some((i, &c)) = chars
            .iter()
            .enumerate()
            .skip(2)
            .take(6)
            .find(|(_, c)| !c.is_ascii_digit())
        {
            return Err(CodeError {
                code: "uscc_invalid_division_code",
                zh: format!(
                    "统一社会信用代码 {code} 的第 3–8 位应为六位数字的行政区划码，第 {} 位却是 {c:?}",
                    i + 1
                ),
                en: format!(
                    "characters 3–8 of unified social credit code {code} must be a six-digit division code, but character {} is {c:?}",
                    i + 1
                ),
            });
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Characters 3–8: the administrative division where the entity was registered.
    pub fn division_code(&self) -> &str {
        self.0.get(2..8).unwrap_or("")
    }

    /// Characters 9–17: the organisation code (组织机构代码).
    pub fn organisation_code(&self) -> &str {
        self.0.get(8..17).unwrap_or("")
    }

    /// Whether the entity was registered in Mentougou District (110109). A hint for
    /// SCOPE-ENT, not proof: the code keeps its division when an enterprise moves, and
    /// the rule also needs the enterprise to pay tax in the district.
    pub fn is_mentougou(&self) -> bool {
        self.division_code() == MENTOUGOU_DIVISION
    }

    /// Characters 1–2: registration department and organisation class.
    pub fn registration_class(&self) -> RegistrationClass {
        let mut chars = self.0.chars();
        let department = chars.next().unwrap_or('0');
        let class = chars.next().unwrap_or('0');
        RegistrationClass::from_chars(department, class)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CodeError;
    fn try_from(s: String) -> Result<CreditCode, CodeError> {
        CreditCode::parse(&s)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> String {
        code.0
    }
}

impl AsRef<str> for CreditCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Registration department and organisation class, characters 1–2 (GB 32100-2015,
/// annex: 登记管理部门代码 and 机构类别代码).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationClass {
    /// 91: enterprise registered by market regulation (企业).
    Enterprise,
    /// 92: individual business (个体工商户).
    IndividualBusiness,
    /// 93: farmers' specialised cooperative (农民专业合作社).
    FarmersCooperative,
    /// 11: state organ (机关).
    StateOrgan,
    /// 12: public institution (事业单位).
    PublicInstitution,
    /// 13, 19: other bodies under the establishment authorities (群众团体等).
    OtherEstablishment,
    /// 51: social organisation (社会团体).
    SocialOrganisation,
    /// 52: private non-enterprise unit / social service organisation (民办非企业单位).
    PrivateNonEnterprise,
    /// 53: foundation (基金会).
    Foundation,
    /// 59: other bodies registered by civil affairs.
    OtherCivilAffairs,
    /// Any other department or class (law firms, religious venues, trade unions,
    /// rural collectives, …), with the two characters.
    Other { department: char, class: char },
}

impl RegistrationClass {
    fn from_chars(department: char, class: char) -> RegistrationClass {
        use RegistrationClass::*;
        match (department, class) {
            ('9', '1') => Enterprise,
            ('9', '2') => IndividualBusiness,
            ('9', '3') => FarmersCooperative,
            ('1', '1') => StateOrgan,
            ('1', '2') => PublicInstitution,
            ('1', '3' | '9') => OtherEstablishment,
            ('5', '1') => SocialOrganisation,
            ('5', '2') => PrivateNonEnterprise,
            ('5', '3') => Foundation,
            ('5', '9') => OtherCivilAffairs,
            (department, class) => Other { department, class },
        }
    }

    /// Whether this is an enterprise (企业) in the sense of SCOPE-ENT. Individual
    /// businesses and farmers' cooperatives are distinct kinds of market entity in
    /// Chinese law, not enterprises.
    pub fn is_enterprise(&self) -> bool {
        matches!(self, RegistrationClass::Enterprise)
    }

    pub fn zh(&self) -> &'static str {
        use RegistrationClass::*;
        match self {
            Enterprise => "企业",
            IndividualBusiness => "个体工商户",
            FarmersCooperative => "农民专业合作社",
            StateOrgan => "机关",
            PublicInstitution => "事业单位",
            OtherEstablishment => "机构编制部门登记的其他机构",
            SocialOrganisation => "社会团体",
            PrivateNonEnterprise => "民办非企业单位",
            Foundation => "基金会",
            OtherCivilAffairs => "民政部门登记的其他机构",
            Other { .. } => "其他机构",
        }
    }

    pub fn en(&self) -> &'static str {
        use RegistrationClass::*;
        match self {
            Enterprise => "Enterprise",
            IndividualBusiness => "Individual business",
            FarmersCooperative => "Farmers' specialised cooperative",
            StateOrgan => "State organ",
            PublicInstitution => "Public institution",
            OtherEstablishment => "Other body under the establishment authorities",
            SocialOrganisation => "Social organisation",
            PrivateNonEnterprise => "Private non-enterprise unit",
            Foundation => "Foundation",
            OtherCivilAffairs => "Other body registered by civil affairs",
            Other { .. } => "Other organisation",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(e: Result<CreditCode, CodeError>) -> &'static str {
        e.unwrap_err().code
    }

    /// A valid code of a Mentougou enterprise from a serial number (test data).
    fn mentougou_enterprise(serial: u64) -> CreditCode {
        let org: String = format!("{:09}", serial % 1_000_000_000);
        CreditCode::with_check_char(&format!("91{MENTOUGOU_DIVISION}{org}")).unwrap()
    }

    /// SCOPE-ENT: the look-up gives each character of the alphabet its place, and no other
    /// character (lower case, the five never used, beyond ASCII) a value.
    #[test]
    fn scope_ent_values_are_places_in_the_alphabet() {
        for c in ('\0'..='\u{2FF}').chain(['一', '０', 'Ａ', '\u{10FFFF}']) {
            let place = ALPHABET.chars().position(|a| a == c).map(|p| p as u32);
            assert_eq!(value(c), place, "{c:?}");
        }
        assert_eq!(value('Y'), Some(30));
        assert_eq!(value('I'), None);
    }

    #[test]
    fn scope_ent_known_valid_codes() {
        let a = CreditCode::parse("91350200776049653A").unwrap();
        assert_eq!(a.division_code(), "350200");
        assert_eq!(a.organisation_code(), "776049653");
        assert_eq!(a.registration_class(), RegistrationClass::Enterprise);
        assert!(!a.is_mentougou());
        let b = CreditCode::parse("91440101MA5CJQ4N59").unwrap();
        assert_eq!(b.division_code(), "440101");
        assert_eq!(b.as_str(), "91440101MA5CJQ4N59");
    }

    #[test]
    fn scope_ent_trims_and_uppercases() {
        let c = CreditCode::parse("  91440101ma5cjq4n59\n").unwrap();
        assert_eq!(c.to_string(), "91440101MA5CJQ4N59");
    }

    #[test]
    fn scope_ent_wrong_length() {
        let e = CreditCode::parse("91350200776049653").unwrap_err();
        assert_eq!(e.code, "uscc_wrong_length");
        assert!(e.en.contains("found 17") && e.zh.contains("实为 17 位"));
        assert_eq!(code(CreditCode::parse("")), "uscc_wrong_length");
        assert_eq!(
            code(CreditCode::parse("91350200776049653AA")),
            "uscc_wrong_length"
        );
        // Counted in characters, not bytes.
        assert_eq!(
            code(CreditCode::parse("9135020077604965３A")),
            "uscc_invalid_character"
        );
    }

    #[test]
    fn scope_ent_invalid_character_names_position() {
        let e = CreditCode::parse("91350200776O49653A").unwrap_err();
        assert_eq!(e.code, "uscc_invalid_character");
        assert!(
            e.en.contains("character 12") && e.en.contains("'O'") && e.en.contains("never used")
        );
        assert!(e.zh.contains("第 12 位"));
        for bad in ['I', 'S', 'V', 'Z', '-', '中'] {
            let s: String = format!("9135020077604965{bad}A");
            assert_eq!(code(CreditCode::parse(&s)), "uscc_invalid_character", "{s}");
        }
    }

    #[test]
    fn scope_ent_check_mismatch_says_expected_and_found() {
        let e = CreditCode::parse("913502007760496538").unwrap_err();
        assert_eq!(e.code, "uscc_check_mismatch");
        assert!(e.en.contains("should be A, found 8"), "{}", e.en);
        assert!(e.zh.contains("应为 A，实为 8"));
        // Any single substitution is caught.
        let valid: Vec<char> = "91440101MA5CJQ4N59".chars().collect();
        for i in 0..17 {
            for c in ALPHABET.chars().filter(|&c| c != valid[i]) {
                let mut v = valid.clone();
                v[i] = c;
                let s: String = v.iter().collect();
                assert!(CreditCode::parse(&s).is_err(), "{s}");
            }
        }
    }

    #[test]
    fn scope_ent_division_code_must_be_digits() {
        let c = CreditCode::with_check_char("91A10109000000001");
        let e = c.unwrap_err();
        assert_eq!(e.code, "uscc_invalid_division_code");
        assert!(e.en.contains("character 3 is 'A'"), "{}", e.en);
        // The same through parse, with a correct check character.
        let first17 = "9111010X000000001";
        let check = check_char(&first17.chars().collect::<Vec<_>>()).unwrap();
        let e = CreditCode::parse(&format!("{first17}{check}")).unwrap_err();
        assert_eq!(e.code, "uscc_invalid_division_code");
        assert!(e.zh.contains("第 8 位"));
    }

    #[test]
    fn scope_ent_mentougou_generator() {
        for serial in [0, 1, 42, 123_456_789, 999_999_999, 31 * 31 * 7] {
            let c = mentougou_enterprise(serial);
            assert!(c.is_mentougou());
            assert!(c.registration_class().is_enterprise());
            assert_eq!(CreditCode::parse(c.as_str()), Ok(c.clone()));
        }
        assert_eq!(
            code(CreditCode::with_check_char("9111010900000000")),
            "uscc_wrong_length"
        );
        assert!(
            CreditCode::with_check_char("9111010900000000")
                .unwrap_err()
                .en
                .contains("without its check character")
        );
        assert_eq!(
            code(CreditCode::with_check_char("91110109I00000000")),
            "uscc_invalid_character"
        );
    }

    #[test]
    fn scope_ent_registration_classes() {
        let class = |prefix: &str| {
            CreditCode::with_check_char(&format!("{prefix}110109000000001"))
                .unwrap()
                .registration_class()
        };
        assert_eq!(class("91"), RegistrationClass::Enterprise);
        assert_eq!(class("92"), RegistrationClass::IndividualBusiness);
        assert_eq!(class("93"), RegistrationClass::FarmersCooperative);
        assert_eq!(class("11"), RegistrationClass::StateOrgan);
        assert_eq!(class("12"), RegistrationClass::PublicInstitution);
        assert_eq!(class("19"), RegistrationClass::OtherEstablishment);
        assert_eq!(class("51"), RegistrationClass::SocialOrganisation);
        assert_eq!(class("52"), RegistrationClass::PrivateNonEnterprise);
        assert_eq!(class("53"), RegistrationClass::Foundation);
        assert_eq!(class("59"), RegistrationClass::OtherCivilAffairs);
        assert_eq!(
            class("N2"),
            RegistrationClass::Other {
                department: 'N',
                class: '2'
            }
        );
        for p in ["92", "93", "11", "12", "51", "52", "53", "31", "N2", "Y1"] {
            assert!(!class(p).is_enterprise(), "{p}");
            assert!(!class(p).zh().is_empty() && !class(p).en().is_empty());
        }
    }

    #[test]
    fn scope_ent_serde() {
        let c: CreditCode = serde_json::from_str("\"91440101ma5cjq4n59\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"91440101MA5CJQ4N59\"");
        let e = serde_json::from_str::<CreditCode>("\"913502007760496538\"").unwrap_err();
        assert!(e.to_string().contains("should be A, found 8"), "{e}");
        assert!(serde_json::from_str::<CreditCode>("12").is_err());
        assert_eq!(
            serde_json::to_string(&RegistrationClass::IndividualBusiness).unwrap(),
            "\"individual_business\""
        );
    }
}
