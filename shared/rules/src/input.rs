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
            if e.field.is_empty() {
                f.write_str(&e.en)?;
            } else {
                write!(f, "{}: {}", e.field, e.en)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

impl InputError {
    /// The errors as JSON, as serde_json writes them (`{"errors":[…]}`), without a
    /// serialiser (the browser bundle's answers).
    pub fn to_json(&self) -> String {
        use crate::json_write::{push_list, push_strings_object};
        let mut out = String::with_capacity(256);
        out.push_str("{\"errors\":");
        push_list(&mut out, &self.errors, |out, e| {
            push_strings_object(
                out,
                &[
                    ("field", &e.field),
                    ("code", &e.code),
                    ("zh", &e.zh),
                    ("en", &e.en),
                ],
            )
        });
        out.push('}');
        out
    }
}

/// Parses JSON strictly into `T`, naming the failing field.
pub fn parse_json<T: DeserializeOwned>(json: &str) -> Result<T, InputError> {
    if deeper_than(json, MAX_JSON_DEPTH) {
        return Err(too_deep());
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
            let (code, zh, en) = explain(&e);
            InputError::single(&field, code, zh, en)
        })
}

/// A serde_json error in words a person understands, in both languages: what is wrong,
/// never where the parser stood (the field is named beside it; "at line 1 column 267" is
/// dropped) and never one language glued to the other (a value's own `中文 / English`
/// message is split).
pub fn explain(e: &serde_json::Error) -> (&'static str, String, String) {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Io => explain_syntax(e.line(), e.column()),
        Category::Eof => explain_eof(),
        Category::Data => {
            let full = e.to_string();
            let msg = full
                .rsplit_once(" at line ")
                .map_or(full.as_str(), |(m, _)| m)
                .trim();
            explain_data(msg)
        }
    }
}

/// A body that is not JSON, the fault near `line` and `column`.
pub(crate) fn explain_syntax(line: usize, column: usize) -> (&'static str, String, String) {
    (
        "json_malformed",
        format!("请求内容不是合法的 JSON（第 {line} 行第 {column} 列附近）。"),
        format!("The body is not valid JSON (near line {line}, column {column})."),
    )
}

/// A body that ends before its JSON does.
pub(crate) fn explain_eof() -> (&'static str, String, String) {
    (
        "json_malformed",
        "请求内容不完整，JSON 在结尾处中断。".to_owned(),
        "The body is cut short: the JSON ends too early.".to_owned(),
    )
}

/// A well-formed value the type refuses, from serde's message for it (`msg`, without
/// the position): the request reader ([`crate::reader`]) words its refusals as serde
/// does, so both give the same code and words.
pub(crate) fn explain_data(msg: &str) -> (&'static str, String, String) {
    let quoted = |prefix: &str| {
        msg.strip_prefix(prefix)
            .and_then(|r| r.split('`').next())
            .map(str::to_owned)
    };
    let listed = |m: &str| {
        m.split_once("expected one of ")
            .or_else(|| m.split_once("expected "))
            .map(|(_, k)| k.replace('`', ""))
            .unwrap_or_default()
    };
    if let Some(f) = quoted("unknown field `") {
        let known = listed(msg);
        let (zh_known, en_known) = if known.is_empty() {
            (String::new(), String::new())
        } else {
            (
                format!("（可用字段：{}）", known.replace(", ", "、")),
                format!(" (fields: {known})"),
            )
        };
        return (
            "unknown_field",
            format!("不认识的字段 {f}{zh_known}。"),
            format!("Unknown field {f}{en_known}."),
        );
    }
    if let Some(f) = quoted("missing field `") {
        return (
            "missing_field",
            format!("缺少必填字段 {f}。"),
            format!("The field {f} is required."),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (got, wanted) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            "wrong_type",
            format!("类型不对：应为{}，实为{}。", kind_zh(wanted), kind_zh(got)),
            format!("Wrong kind of value: expected {wanted}, found {got}."),
        );
    }
    if let Some(v) = quoted("unknown variant `") {
        let allowed = listed(msg);
        return (
            "invalid_value",
            format!(
                "取值 {v} 不在可选范围内（可选：{}）。",
                allowed.replace(", ", "、")
            ),
            format!("{v} is not one of the allowed values ({allowed})."),
        );
    }
    // A value's own message (an amount, a date, a code): often "中文 / English".
    match msg.split_once(" / ") {
        Some((zh, en)) if !zh.is_ascii() && en.is_ascii() => (
            "invalid_value",
            format!("{}。", zh.trim_end_matches('。')),
            format!("{}.", en.trim_end_matches('.')),
        ),
        _ => (
            "invalid_value",
            format!("取值无效：{msg}。"),
            format!("Invalid value: {msg}."),
        ),
    }
}

/// serde's name of a kind of value, in Chinese (a name it does not know is kept).
fn kind_zh(serde_kind: &str) -> String {
    let k = serde_kind.trim();
    let k = k
        .strip_prefix("a ")
        .or_else(|| k.strip_prefix("an "))
        .unwrap_or(k);
    let word = k.split([' ', '`']).next().unwrap_or(k);
    let zh = match word {
        "string" => "文本",
        "boolean" => "是/否（true 或 false）",
        "sequence" => "列表",
        "map" | "struct" => "对象",
        "null" | "unit" => "空值",
        "floating" => "小数",
        "integer" | "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" => "整数",
        "internally" => "对象",
        _ => return k.to_owned(),
    };
    zh.to_owned()
}

/// The refusal of a body nested more than [`MAX_JSON_DEPTH`] deep.
pub(crate) fn too_deep() -> InputError {
    InputError::single(
        "",
        "json_too_deep",
        format!("JSON 嵌套层数超过 {MAX_JSON_DEPTH}"),
        format!("JSON is nested more than {MAX_JSON_DEPTH} levels deep"),
    )
}

/// Whether `json` nests `{` and `[` (outside strings) more than `max` deep.
pub(crate) fn deeper_than(json: &str, max: usize) -> bool {
    // The depth never passes the number of `{` and `[` bytes, and counting them is one
    // pass without state; the scan below, a byte at a time, was a quarter of the parse of
    // a pre-check (issue 17), whose body holds a dozen.
    let opening = json.bytes().filter(|b| matches!(b, b'{' | b'[')).count();
    opening > max && nesting_depth(json) > max
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

    /// The hand-written errors are serde's, byte for byte, escapes and all.
    #[test]
    fn errors_json_is_serdes() {
        let e = InputError {
            errors: vec![
                FieldError::new(
                    "a.b[0]",
                    "code",
                    "中文\"引号\"".into(),
                    "line\nbreak \\".into(),
                ),
                FieldError::new("", "whole", String::new(), "\u{1}".into()),
            ],
        };
        assert_eq!(e.to_json(), serde_json::to_string(&e).unwrap());
        assert_eq!(
            InputError { errors: vec![] }.to_json(),
            serde_json::to_string(&InputError { errors: vec![] }).unwrap()
        );
    }

    /// Messages people can read: no parser position, no language glued to the other.
    #[test]
    fn explained_errors_speak_plainly_in_each_language() {
        let example = include_str!("../data/example-precheck-request.json");
        let v: serde_json::Value = serde_json::from_str(example).unwrap();
        let changed = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut w = v.clone();
            edit(&mut w["application"]);
            w
        };
        let cases: Vec<(serde_json::Value, &str, &str, &str)> = vec![
            (
                changed(&|a| a["loans"][0]["principal"] = "12.3.4".into()),
                "invalid_value",
                "金额",
                "amount",
            ),
            (
                changed(&|a| a["loans"][0]["overdue"] = "no".into()),
                "wrong_type",
                "应为是/否（true 或 false），实为",
                "expected a boolean",
            ),
            (
                changed(&|a| a["enterprise"]["colour"] = "red".into()),
                "unknown_field",
                "不认识的字段 colour（可用字段：",
                "Unknown field colour (fields: ",
            ),
            (
                changed(&|a| {
                    a["loans"][0]
                        .as_object_mut()
                        .unwrap()
                        .remove("interest_paid");
                }),
                "missing_field",
                "缺少必填字段 interest_paid",
                "The field interest_paid is required",
            ),
            (
                changed(&|a| a["loans"][0]["lender_kind"] = "pawnshop".into()),
                "invalid_value",
                "取值 pawnshop 不在可选范围内（可选：bank、",
                "pawnshop is not one of the allowed values (bank, ",
            ),
        ];
        for (body, code, zh, en) in cases {
            let e = parse_json::<crate::PrecheckRequest>(&body.to_string()).unwrap_err();
            let f = &e.errors[0];
            assert_eq!(f.code, code, "{f:?}");
            assert!(f.zh.contains(zh) && f.en.contains(en), "{f:?}");
            assert!(
                !f.zh.contains(" at line ") && !f.en.contains(" at line "),
                "{f:?}"
            );
            assert!(f.en.is_ascii(), "English only in English: {f:?}");
        }
        let cut = &example[..example.len() / 2];
        let f = &parse_json::<crate::PrecheckRequest>(cut)
            .unwrap_err()
            .errors[0];
        assert_eq!((f.code.as_str(), f.field.as_str()), ("json_malformed", ""));
        assert!(f.zh.contains("不完整"), "{f:?}");
    }
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

    #[test]
    fn deep_json_is_refused_before_parsing() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = parse_json::<serde_json::Value>(&deep).unwrap_err();
        assert_eq!(e.errors[0].code, "json_too_deep");
        // Brackets inside strings do not count.
        let s = format!("\"{}\"", "[".repeat(100));
        assert!(parse_json::<String>(&s).is_ok());
        // Exactly at the limit, and one past it, with brackets to spare elsewhere.
        let nested = |n: usize| "[".repeat(n) + &"]".repeat(n) + ",[]".repeat(40).as_str();
        for n in [1, 31, 32, 33, 40] {
            let json = format!("[{}]", nested(n - 1));
            assert_eq!(
                deeper_than(&json, MAX_JSON_DEPTH),
                n > MAX_JSON_DEPTH,
                "{n}"
            );
            assert_eq!(
                deeper_than(&json, MAX_JSON_DEPTH),
                nesting_depth(&json) > 32
            );
        }
        assert!(!deeper_than(&"[]".repeat(100), MAX_JSON_DEPTH));
    }
}
