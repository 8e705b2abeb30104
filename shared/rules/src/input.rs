//! Strict JSON input: every error names the field (a JSON path such as
//! `application.loans[0].interest_paid`) and the reason, in Chinese and English.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The most deeply nested JSON the crate accepts; deeper input is refused before parsing,
/// so hostile input cannot exhaust the stack.
pub const MAX_JSON_DEPTH: usize = 32;

/// One problem with one field of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// JSON path of the field, e.g. `application.loans[0].start_date`; empty for the whole body.
    pub field: String,
    /// Machine-readable reason, e.g. `money_too_precise`.
    pub code: String,
    pub zh: String,
    pub en: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, zh: String, en: String) -> FieldError {
        FieldError {
            field: field.to_string(),
            code: code.to_string(),
            zh,
            en,
        }
    }
}

/// All the problems found in one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    pub errors: Vec<FieldError>,
}

impl InputError {
    pub fn single(field: &str, code: &str, zh: String, en: String) -> InputError {
        InputError {
            errors: vec![FieldError::new(field, code, zh, en)],
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.en)?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// Parses JSON strictly into `T`, naming the failing field.
pub fn parse_json<T: DeserializeOwned>(json: &str) -> Result<T, InputError> {
    if nesting_depth(json) > MAX_JSON_DEPTH {
        return Err(InputError::single(
            "",
            "json_too_deep",
            format!("JSON 嵌套层数超过 {MAX_JSON_DEPTH}"),
            format!("JSON is nested more than {MAX_JSON_DEPTH} levels deep"),
        ));
    }
    // `T::deserialize` on a slice deserialiser: the instantiation `serde_json::from_slice`
    // (and so [`from_str`] and the store's JSON columns) uses too, one copy per type.
    // A body is one value: anything after it (but white space) is refused.
    let de = &mut serde_json::Deserializer::from_slice(json.as_bytes());
    T::deserialize(&mut *de)
        .and_then(|value| de.end().map(|()| value))
        .map_err(|e| {
            // Empty for the whole body and for a body that is not JSON.
            let field = crate::json_path::error_field(json.as_bytes(), &e);
            let msg = e.to_string();
            let (code, zh) = classify(&e, &msg);
            InputError::single(&field, code, zh, msg)
        })
}

/// Reads JSON exactly as `serde_json::from_str` does (trailing characters refused, the
/// same errors), through the same instantiation as [`parse_json`] (a slice deserialiser):
/// one copy of each type's deserialiser in a component, not two.
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    serde_json::from_slice(json.as_bytes())
}

/// A machine code and a Chinese message for a serde_json error.
fn classify(e: &serde_json::Error, msg: &str) -> (&'static str, String) {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            ("json_malformed", format!("请求体不是合法的 JSON（{msg}）"))
        }
        Category::Data if msg.starts_with("unknown field") => {
            ("unknown_field", format!("不允许的字段（{msg}）"))
        }
        Category::Data if msg.starts_with("missing field") => {
            ("missing_field", format!("缺少必填字段（{msg}）"))
        }
        Category::Data if msg.starts_with("invalid type") => {
            ("wrong_type", format!("字段类型不正确（{msg}）"))
        }
        Category::Data => ("invalid_value", format!("字段值无效（{msg}）")),
    }
}

/// Maximum nesting of `{` and `[` outside strings (a cheap pre-scan).
fn nesting_depth(json: &str) -> usize {
    let (mut depth, mut max, mut in_str, mut escaped) = (0usize, 0usize, false, false);
    for b in json.bytes() {
        if in_str {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_path::tests::Outer;

    #[test]
    fn errors_name_the_field_path() {
        let e =
            parse_json::<Outer>(r#"{"items":[{"amount":"1"},{"amount":"1.001"}]}"#).unwrap_err();
        assert_eq!(e.errors[0].field, "items[1].amount");
        assert_eq!(e.errors[0].code, "invalid_value");
        assert!(e.errors[0].en.contains("more than two decimals"), "{e}");

        let e = parse_json::<Outer>(r#"{"items":[{"amount":"1","x":1}]}"#).unwrap_err();
        assert_eq!(e.errors[0].code, "unknown_field");
        assert_eq!(e.errors[0].field, "items[0].x");

        let e = parse_json::<Outer>(r#"{"items":[{"amount":5}]}"#).unwrap_err();
        assert_eq!(e.errors[0].code, "wrong_type");

        let e = parse_json::<Outer>(r#"{"items":"#).unwrap_err();
        assert_eq!(e.errors[0].code, "json_malformed");
        // A body that is not JSON names no field.
        for broken in ["{", "", "nul"] {
            let e = parse_json::<Outer>(broken).unwrap_err();
            assert_eq!(e.errors[0].code, "json_malformed", "{broken:?}");
            assert_eq!(e.errors[0].field, "", "{broken:?}");
        }

        let e = parse_json::<Outer>("{}").unwrap_err();
        assert_eq!(e.errors[0].code, "missing_field");
    }

    /// `from_str` answers exactly what `serde_json::from_str` answers: the same values, the
    /// same error messages (with their line and column), trailing characters refused.
    #[test]
    fn from_str_is_serde_json_from_str() {
        fn same<T: DeserializeOwned + fmt::Debug>(json: &str) {
            let ours = from_str::<T>(json).map_err(|e| e.to_string());
            let theirs = serde_json::from_str::<T>(json).map_err(|e| e.to_string());
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"), "{json}");
        }
        let request = include_str!("../data/example-precheck-request.json");
        let value: serde_json::Value = serde_json::from_str(request).unwrap();
        let round = value["round"].to_string();
        let application = value["application"].to_string();
        for json in [
            request.to_owned(),
            format!("{request} x"),
            format!("{request} "),
            request.replacen("5000000.00", "5000000.001", 1),
            request.replacen("\"bank\"", "\"pawnshop\"", 1),
            request.replacen("\"year\": 2026", "\"year\": \"2026\"", 1),
            request.replacen("\"guide_reference\"", "\"guide_ref\"", 1),
            request.replacen("2026-04-01T09:00:00+08:00", "2026-04-31T09:00:00+08:00", 1),
            request[..request.len() / 2].to_owned(),
            String::new(),
            "[]".to_owned(),
        ] {
            same::<crate::PrecheckRequest>(&json);
            same::<serde_json::Value>(&json);
        }
        for json in [
            round.clone(),
            round.replacen("2026", "-1", 1),
            format!("{round}}}"),
            round.replacen("\"window\"", "\"window\":{},\"w\"", 1),
        ] {
            same::<crate::Round>(&json);
        }
        for json in [
            application.clone(),
            application.replacen("true", "1", 1),
            application.replacen("\"loans\":[", "\"loans\":[1,", 1),
            format!("{application}\n\n,"),
        ] {
            same::<crate::Application>(&json);
        }
    }

    #[test]
    fn deep_json_is_refused_before_parsing() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = parse_json::<serde_json::Value>(&deep).unwrap_err();
        assert_eq!(e.errors[0].code, "json_too_deep");
        // Brackets inside strings do not count.
        let s = format!("\"{}\"", "[".repeat(100));
        assert!(parse_json::<String>(&s).is_ok());
    }
}
