//! Hidden characters in request bodies (issue 14): no text field of any endpoint may hold
//! a control character (other than tab and line breaks) or an invisible character that
//! hides or reorders text (`rules::text::is_hidden`: zero-width, bidirectional overrides
//! and isolates, …), written raw or as a JSON `\u` escape. A body holding one is refused
//! whole, naming the field, before it is parsed for the endpoint.

use rules::text::{is_hidden, plain_ascii_run, shown};
use serde_json::Value;

use crate::error::ApiError;

/// The first hidden character in JSON text, raw or escaped (`\u202e`), if any. Exact and
/// cheap: the text is scanned once, plain ASCII eight bytes at a time (most of a body:
/// keys, numbers, codes), the rest a byte or a character at a time (decoding every
/// character was 3 % of a pre-check's time in its component, issue 17); a broken escape
/// never panics (the parser refuses it).
pub fn first_hidden(json: &str) -> Option<char> {
    let bytes = json.as_bytes();
    let mut i = 0;
    loop {
        i = plain_ascii_run(bytes, i);
        let &b = bytes.get(i)?;
        if !b.is_ascii() {
            let c = json[i..].chars().next()?;
            if is_hidden(c) {
                return Some(c);
            }
            i += c.len_utf8();
            continue;
        }
        i += 1;
        if b != b'\\' {
            // Of ASCII, only controls can be hidden (`ascii_that_hides_is_control`).
            if (b < 0x20 || b == 0x7f) && is_hidden(char::from(b)) {
                return Some(char::from(b));
            }
            continue;
        }
        // An escape: `\uXXXX` names a character; any other escaped character is skipped
        // (a broken escape is the parser's to refuse, never a panic here).
        match bytes.get(i) {
            None => return None,
            Some(b'u') => {
                i += 1;
                if let Some(c) = escaped_char(bytes.get(i..i + 4)) {
                    if is_hidden(c) {
                        return Some(c);
                    }
                    i += 4;
                }
            }
            Some(_) => i += json[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
}

/// The character four hex digits name (none for a surrogate or anything but four digits).
fn escaped_char(hex: Option<&[u8]>) -> Option<char> {
    let hex = hex.filter(|h| h.iter().all(u8::is_ascii_hexdigit))?;
    let code = hex.iter().fold(0u32, |n, h| {
        n * 16 + char::from(*h).to_digit(16).unwrap_or(0)
    });
    char::from_u32(code)
}

/// Refuses a JSON body holding a hidden character in any string (key or value): a 400
/// naming the field (`loans[0].contract_number`) and the character (`U+200B`).
pub fn refuse_hidden(json: &str) -> Result<(), ApiError> {
    let Some(c) = first_hidden(json) else {
        return Ok(());
    };
    // Rare: find where it is (a body that does not parse is left to the parser's error).
    // `from_slice`, the reader every other body and stored value is read with: no second
    // copy of serde_json's parser for `&str`.
    let path = serde_json::from_slice::<Value>(json.as_bytes())
        .ok()
        .and_then(|v| path_of(&v, ""))
        .unwrap_or_default();
    Err(refused(&path, c))
}

/// Refuses a text value (a query parameter, a header) holding a hidden character.
pub fn check_text(field: &str, value: &str) -> Result<(), ApiError> {
    match value.chars().find(|c| is_hidden(*c)) {
        Some(c) => Err(refused(field, c)),
        None => Ok(()),
    }
}

/// The 400 for hidden character `c` in `field` (the whole body when empty).
fn refused(field: &str, c: char) -> ApiError {
    let c = shown(c);
    let e = ApiError::invalid(
        field,
        format!(
            "含有不可见字符或控制字符 {c}（这类字符会隐藏或颠倒文字的显示），请删除后重新提交。"
        ),
        format!(
            "holds the hidden or control character {c} (such characters hide or reorder text); remove it and send again."
        ),
    );
    if field.is_empty() {
        ApiError { field: None, ..e }
    } else {
        e
    }
}

/// The path of the first string (key or value) under `v` holding a hidden character.
fn path_of(v: &Value, at: &str) -> Option<String> {
    let holds = |s: &str| s.chars().any(is_hidden);
    match v {
        Value::String(s) if holds(s) => Some(at.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| path_of(item, &format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, item)| {
            let here = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            if holds(k) {
                Some(here)
            } else {
                path_of(item, &here)
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The scan as it was first written (a character at a time): the byte scan must find
    /// exactly what it found.
    fn first_hidden_by_chars(json: &str) -> Option<char> {
        let mut chars = json.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                if is_hidden(c) {
                    return Some(c);
                }
                continue;
            }
            if chars.next() == Some('u') {
                let hex: String = chars.clone().take(4).collect();
                let escaped = (hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()))
                    .then(|| u32::from_str_radix(&hex, 16).ok())
                    .flatten()
                    .and_then(char::from_u32);
                if let Some(c) = escaped {
                    if is_hidden(c) {
                        return Some(c);
                    }
                    chars.nth(3);
                }
            }
        }
        None
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Random text made of the pieces that matter (escapes, hex digits, ASCII,
        /// Chinese, hidden characters raw) reads the same by bytes as by characters.
        #[test]
        fn the_byte_scan_finds_what_the_character_scan_finds(
            pieces in proptest::collection::vec(prop_oneof![
                Just("\\".to_owned()), Just("\\u".to_owned()), Just("u".to_owned()),
                "[0-9a-fA-F]{1,4}", "[ -~]{0,3}", "[ -~]{5,17}", Just("中文".to_owned()), Just("Ж".to_owned()),
                Just("\u{200B}".to_owned()), Just("\u{7}".to_owned()), Just("\u{7F}".to_owned()), Just("\n\t".to_owned()),
                Just("\\u202e".to_owned()), Just("\\ud800".to_owned()), Just("\\u0041".to_owned()),
                any::<char>().prop_map(String::from),
            ], 0..24)
        ) {
            let text = pieces.concat();
            prop_assert_eq!(first_hidden(&text), first_hidden_by_chars(&text), "{:?}", text);
        }
    }

    #[test]
    fn hidden_characters_are_found_raw_and_escaped() {
        assert_eq!(first_hidden(r#"{"a":"中文 – 全角－"}"#), None);
        assert_eq!(first_hidden("{\"a\":\"x\u{200B}\"}"), Some('\u{200B}'));
        assert_eq!(
            first_hidden(r#"{"a":"invoice\u202efdp.exe"}"#),
            Some('\u{202E}')
        );
        assert_eq!(first_hidden(r#"{"a":"bell\u0007"}"#), Some('\u{7}'));
        // Escaped line breaks and an escaped backslash before a `u` are ordinary text.
        assert_eq!(
            first_hidden(r#"{"a":"line\nnext\ttab","b":"C:\\u202e"}"#),
            None
        );
        // A broken escape before a multi-byte character (found by the fuzzer: it panicked
        // on a byte index inside `Ж`) is left to the parser.
        assert_eq!(first_hidden("jions?\\u000Жound=2=026"), None);
        assert_eq!(first_hidden("\\Ж\\u20"), None);
        assert_eq!(first_hidden("\\u200"), None);
        // Raw line breaks between tokens are JSON white space.
        assert_eq!(first_hidden("{\n\t\"a\": 1\r\n}"), None);
    }

    #[test]
    fn a_hidden_character_is_refused_naming_the_field() {
        let body =
            r#"{"loans":[{"contract_number":"JK-0900"},{"contract_number":"JK-0900\u200b"}]}"#;
        let e = refuse_hidden(body).unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (400, "invalid_field"));
        assert_eq!(e.field.as_deref(), Some("loans[1].contract_number"));
        assert!(e.message_zh.contains("U+200B"), "{}", e.message_zh);
        assert!(e.message_en.contains("U+200B"), "{}", e.message_en);

        let key = "{\"evidence\":[{\"file\u{202E}name\":\"x\"}]}";
        assert_eq!(
            refuse_hidden(key).unwrap_err().field.as_deref(),
            Some("evidence[0].file\u{202E}name")
        );
        assert!(refuse_hidden(r#"{"a":"中文"}"#).is_ok());
        assert_eq!(
            check_text("q", "a\u{2066}b").unwrap_err().field.as_deref(),
            Some("q")
        );
        assert!(check_text("q", "门头沟 2026").is_ok());
        // Broken JSON with a hidden character: refused, without a field.
        assert_eq!(refuse_hidden("{\"a\":\"\u{200B}").unwrap_err().field, None);
    }
}
