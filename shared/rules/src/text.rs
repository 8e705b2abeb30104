//! Text fields: names as registered (enterprises, banks, rights holders), and prose
//! (references, notes, opinions) that may hold any printable text but never control
//! characters. Lengths count characters of the trimmed text.

use crate::input::FieldError;

/// The longest registered name accepted (names on the business licence are far shorter).
pub const NAME_MAX: usize = 100;

/// The punctuation a registered name may hold besides letters (CJK included), digits and
/// spaces: brackets of either width, the middle dot, hyphen, ampersand, full stop and 、.
pub const NAME_PUNCTUATION: [char; 10] = ['(', ')', '（', '）', '·', '-', '&', '.', '、', ' '];

/// A registered name (企业名称, a bank or branch, a rights holder): 1 to [`NAME_MAX`]
/// characters of letters, digits, spaces and [`NAME_PUNCTUATION`], with at least one
/// letter. Quotes, semicolons, angle brackets, backslashes and control characters are
/// refused, naming the first offending character.
pub fn check_name(field: &str, value: &str) -> Result<(), FieldError> {
    check_length(field, value, 1, NAME_MAX)?;
    let v = value.trim();
    if let Some(c) = v
        .chars()
        .find(|&c| !is_letter_or_digit(c) && !NAME_PUNCTUATION.contains(&c))
    {
        let shown = shown(c);
        return Err(FieldError::new(
            field,
            "name_character",
            format!(
                "名称含有不允许的字符 {shown}：名称只能由汉字、字母、数字、空格、括号及 · - & . 、 组成"
            ),
            format!(
                "the name holds the character {shown}, which a registered name cannot: only letters (CJK included), digits, spaces, brackets and · - & . 、 are allowed"
            ),
        ));
    }
    if !v.chars().any(is_letter) {
        return Err(FieldError::new(
            field,
            "name_without_letters",
            "名称须含有汉字或字母".into(),
            "a name must hold letters (CJK or Latin)".into(),
        ));
    }
    Ok(())
}

/// The CJK Unified Ideographs (U+4E00–U+9FFF): every one is a letter, and they are nearly
/// every character of a Chinese name.
const CJK_UNIFIED: std::ops::RangeInclusive<char> = '\u{4E00}'..='\u{9FFF}';

/// [`char::is_alphabetic`], answering ASCII and [`CJK_UNIFIED`] without Unicode's tables
/// (a search the pre-check otherwise makes for every character of every name).
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || CJK_UNIFIED.contains(&c) || c.is_alphabetic()
}

/// [`char::is_alphanumeric`], answered as [`is_letter`] answers.
fn is_letter_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric() || CJK_UNIFIED.contains(&c) || c.is_alphanumeric()
}

/// A machine code (an industry such as `artificial_intelligence`): 1 to 64 lower-case
/// ASCII letters, digits, `_` or `-`, beginning with a letter.
pub fn check_code(field: &str, value: &str) -> Result<(), FieldError> {
    let ok = value.len() <= 64
        && value.starts_with(|c: char| c.is_ascii_lowercase())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "code_invalid",
            format!("代码须为1至64个小写英文字母、数字、_ 或 -，以字母开头：{value:?}"),
            format!(
                "a code is 1 to 64 lower-case letters, digits, _ or -, beginning with a letter: {value:?}"
            ),
        ))
    }
}

/// Prose of `min` to `max` characters: any printable text; line breaks and tabs only where
/// `multiline`; never another control character (NUL included).
pub fn check_prose(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<(), FieldError> {
    check_length(field, value, min, max)?;
    if let Some(c) = value
        .chars()
        .find(|c| is_forbidden_control(*c) && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        let shown = shown(c);
        return Err(FieldError::new(
            field,
            "control_character",
            format!("含有不可见控制字符 {shown}"),
            format!("contains the control character {shown}"),
        ));
    }
    Ok(())
}

/// Control characters (C0, DEL, C1) and the invisible characters that hide or reorder text.
fn is_forbidden_control(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// The invisible characters that hide or reorder text, refused in every text field: zero-
/// width spaces, joiners and marks (U+200B–U+200F), bidirectional embeddings and overrides
/// (U+202A–U+202E) and isolates (U+2066–U+2069), the word joiner and invisible operators
/// (U+2060–U+2064), the Arabic letter mark (U+061C), the Mongolian vowel separator
/// (U+180E) and the byte-order mark (U+FEFF). `invoice` + U+202E + `fdp.exe` shows as `invoiceexe.pdf`.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{061C}'
        | '\u{180E}'
        | '\u{FEFF}')
}

/// Where the plain ASCII starting at `at` ends, in whole words of eight bytes: bytes that
/// can hide nothing (no control character, no DEL, no backslash that may start a `\u`
/// escape, nothing beyond ASCII). A scan for hidden characters skips them so; most of a
/// request body is such bytes (issue 17: a pre-check's body took 8–20 µs a character at
/// a time in its component).
pub fn plain_ascii_run(b: &[u8], at: usize) -> usize {
    use crate::json_write::{HIGH, below, equal, word_run};
    word_run(b, at, |w| {
        ((w & HIGH) | below(w, 0x20) | equal(w, 0x7f) | equal(w, b'\\')) != 0
    })
}

/// A character no text field of any request may hold: a control character other than tab
/// and line breaks (prose decides where those go), or an invisible one ([`is_invisible`]).
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_invisible(c)
}

fn check_length(field: &str, value: &str, min: usize, max: usize) -> Result<(), FieldError> {
    let n = value.trim().chars().count();
    if n == 0 && min > 0 {
        Err(FieldError::new(
            field,
            "empty",
            "此项不能为空".into(),
            "this field must not be empty".into(),
        ))
    } else if n < min {
        Err(FieldError::new(
            field,
            "too_short",
            format!("至少{min}个字符（现为{n}）"),
            format!("at least {min} characters ({n} given)"),
        ))
    } else if n > max {
        Err(FieldError::new(
            field,
            "too_long",
            format!("不超过{max}个字符（现为{n}）"),
            format!("at most {max} characters ({n} given)"),
        ))
    } else {
        Ok(())
    }
}

/// A character as an error message shows it: printable ones quoted, others (controls,
/// spaces, invisible ones) as U+XXXX.
pub fn shown(c: char) -> String {
    if c.is_control() || c.is_whitespace() || is_invisible(c) {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("“{c}”")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn plain(b: u8) -> bool {
        (0x20..0x7f).contains(&b) && b != b'\\'
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// The run ends at a whole word holding a byte that is not plain ASCII, or where
        /// fewer than eight bytes are left: never early, never past such a byte.
        #[test]
        fn a_plain_ascii_run_ends_at_the_first_word_that_is_not(
            bytes in proptest::collection::vec(prop_oneof![
                6 => 0x20u8..0x7f, 1 => Just(b'\\'), 1 => Just(0x7fu8), 1 => 0u8..0x20, 1 => 0x80u8..=0xff,
            ], 0..64),
            at in 0usize..16,
        ) {
            let at = at.min(bytes.len());
            let end = plain_ascii_run(&bytes, at);
            prop_assert!(end >= at && (end - at).is_multiple_of(8) && end <= bytes.len());
            prop_assert!(bytes[at..end].iter().all(|&b| plain(b)), "{:?}", &bytes[at..end]);
            if let Some(word) = bytes.get(end..end + 8) {
                prop_assert!(!word.iter().all(|&b| plain(b)), "stopped before {:?}", word);
            }
        }
    }

    /// Of ASCII, only control characters can be hidden: a scan may look at nothing else.
    #[test]
    fn ascii_that_hides_is_control() {
        for b in 0u8..0x80 {
            if is_hidden(char::from(b)) {
                assert!(b < 0x20 || b == 0x7f, "{b:#x}");
            }
        }
        assert!(is_hidden('\u{7f}') && is_hidden('\u{0}') && !is_hidden('\t'));
    }

    #[test]
    fn registered_names_pass() {
        for name in [
            "北京京西智算科技有限公司",
            "京西（北京）科技有限公司",
            "京西(北京)科技有限公司",
            "中国银行股份有限公司北京门头沟支行",
            "北京A&B文化传媒有限公司",
            "Beijing Jingxi Co. Ltd",
            "阿卜杜·热合曼商贸有限公司",
            "北京三一重工-门头沟分公司",
            "北京、天津联合体",
            "  前后有空格的公司  ",
        ] {
            assert!(check_name("n", name).is_ok(), "{name}");
        }
    }

    #[test]
    fn hostile_names_are_refused_naming_the_character() {
        for (name, code) in [
            ("'; DROP TABLE applications;--", "name_character"),
            ("\" OR 1=1 --", "name_character"),
            ("北京\u{0}公司", "name_character"),
            ("北京%27公司", "name_character"),
            ("北京‘京西’公司", "name_character"),
            ("北京“京西”公司", "name_character"),
            ("<script>alert(1)</script>", "name_character"),
            ("北京\\京西", "name_character"),
            ("北京;公司", "name_character"),
            ("北京\n公司", "name_character"),
            ("=1+2", "name_character"),
            ("12345", "name_without_letters"),
            ("()", "name_without_letters"),
            ("", "empty"),
            ("   ", "empty"),
        ] {
            let e = check_name("enterprise.name", name).unwrap_err();
            assert_eq!(e.code, code, "{name:?}");
            assert_eq!(e.field, "enterprise.name");
            assert!(!e.zh.is_empty() && !e.en.is_empty());
        }
        let e = check_name("n", "北京\u{0}公司").unwrap_err();
        assert!(e.en.contains("U+0000"), "{}", e.en);
        let e = check_name("n", "北京;公司").unwrap_err();
        assert!(e.zh.contains("“;”"), "{}", e.zh);
        let long = "企".repeat(NAME_MAX + 1);
        assert_eq!(check_name("n", &long).unwrap_err().code, "too_long");
        assert!(check_name("n", &"企".repeat(NAME_MAX)).is_ok());
    }

    #[test]
    fn codes_are_lower_case_ascii() {
        for ok in ["other", "artificial_intelligence", "uhd-av2"] {
            assert!(check_code("industry", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "Other",
            "1abc",
            "a b",
            "a;b",
            "a'--",
            "制造",
            "a\u{0}",
            &"a".repeat(65),
        ] {
            let e = check_code("industry", bad).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code.as_str()),
                ("industry", "code_invalid")
            );
        }
    }

    #[test]
    fn invisible_and_reordering_characters_are_hidden_ones() {
        for c in [
            '\u{200B}', '\u{200D}', '\u{200F}', '\u{202A}', '\u{202E}', '\u{2060}', '\u{2066}',
            '\u{2069}', '\u{061C}', '\u{180E}', '\u{FEFF}', '\u{0}', '\u{7}', '\u{1B}', '\u{7F}',
            '\u{85}',
        ] {
            assert!(is_hidden(c), "{}", shown(c));
        }
        for c in [
            '\t', '\n', '\r', ' ', '\u{3000}', '－', '–', '中', 'a', '\u{00AD}',
        ] {
            assert!(!is_hidden(c), "{}", shown(c));
        }
        assert_eq!(shown('\u{202E}'), "U+202E");
        assert_eq!(shown('中'), "“中”");
        let e = check_prose("note", "invoice\u{200B}", 0, 100, true).unwrap_err();
        assert_eq!(e.code, "control_character");
        assert!(e.zh.contains("U+200B"), "{}", e.zh);
    }

    #[test]
    fn prose_keeps_printable_text_and_refuses_control_characters() {
        let sql = "'; DROP TABLE applications;-- \" OR 1=1 -- %27 ‘’“” <b>&amp;</b> \\";
        assert!(check_prose("note", sql, 0, 2000, false).is_ok());
        assert!(check_prose("note", "第一行\n第二行\t", 0, 100, true).is_ok());
        assert_eq!(
            check_prose("note", "第一行\n第二行", 0, 100, false)
                .unwrap_err()
                .code,
            "control_character"
        );
        for bad in ["a\u{0}b", "a\u{7}b", "a\u{7f}b", "a\u{85}b", "a\u{202E}b"] {
            let e = check_prose("note", bad, 0, 100, true).unwrap_err();
            assert_eq!(e.code, "control_character", "{bad:?}");
            assert_eq!(e.field, "note");
        }
        assert!(check_prose("note", "", 0, 10, false).is_ok());
        assert_eq!(
            check_prose("note", "", 1, 10, false).unwrap_err().code,
            "empty"
        );
        assert_eq!(
            check_prose("note", "ab", 3, 10, false).unwrap_err().code,
            "too_short"
        );
        assert_eq!(
            check_prose("note", &"x".repeat(11), 0, 10, false)
                .unwrap_err()
                .code,
            "too_long"
        );
    }
}

/// The identity of a written reference (a loan contract's number, a lender's name) once
/// the ways of writing it differently are taken away (SUB-LOAN: one loan counted once):
/// compatibility forms folded as NFKC folds them (full-width, circled, mathematical,
/// superscript letters and digits, ligatures, compatibility ideographs: [`crate::compat`]),
/// case folded, and everything that is neither a letter nor a digit dropped — dashes of
/// every kind, dots, white space, invisible and bidirectional control characters.
/// `JK－0900`, `jk-0900.`, `JK–0900`, `Ⓙ𝐊-⓪⑨⓪⓪` and `JK-0900` with a zero-width space are
/// one contract.
pub fn identity(s: &str) -> String {
    let mut folded = String::with_capacity(s.len());
    for c in s.chars() {
        match crate::compat::fold(c) {
            Some(crate::compat::Folded::One(one)) => folded.push(one),
            Some(crate::compat::Folded::Many(many)) => folded.push_str(many),
            None => folded.push(c),
        }
    }
    folded
        .chars()
        .filter(|&c| is_letter_or_digit(c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod identity_tests {
    use super::identity;

    /// The shortcut for Chinese names answers what Unicode's tables answer.
    #[test]
    fn every_cjk_unified_ideograph_is_a_letter_as_unicode_says() {
        for c in super::CJK_UNIFIED {
            assert!(c.is_alphabetic() && c.is_alphanumeric(), "{c:?}");
        }
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(super::is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(super::is_letter_or_digit(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn sub_loan_one_contract_however_it_is_written() {
        let forms = [
            "JK-0900",
            "jk-0900",
            "JK-0900.",
            "JK\u{FF0D}0900",
            "JK-0900\u{200B}",
            "JK\u{2013}0900",
            " JK 0900 ",
            "\u{FF2A}\u{FF2B}-\u{FF10}\u{FF19}\u{FF10}\u{FF10}",
            "JK\u{202E}-0900",
            // NFKC beyond full-width: circled, mathematical bold, superscript digits.
            "\u{24BF}\u{1D40A}-\u{24EA}\u{2468}\u{24EA}\u{24EA}",
            "JK-\u{2070}\u{2079}\u{2070}\u{2070}",
        ];
        for f in forms {
            assert_eq!(identity(f), "jk0900", "{f:?}");
        }
        assert_ne!(identity("JK-0901"), identity("JK-0900"));
        assert_eq!(
            identity("北京银行 门头沟支行"),
            identity("北京银行门头沟支行")
        );
        assert_ne!(identity("北京银行"), identity("工商银行"));
        // A compatibility ideograph (U+F963) is the character it duplicates.
        assert_eq!(identity("\u{F963}京银行"), identity("北京银行"));
        // Several characters for one: the ligature ﬁ, the circled ten.
        assert_eq!(identity("\u{FB01}n-\u{2469}"), identity("FIN-10"));
    }
}
