//! The browser pre-check: the rules crate behind a JSON-in, JSON-out wasm-bindgen API.
//!
//! Nothing leaves the browser: every function is a pure computation over its arguments.
//! Each answer is a JSON string, either the result or `{"errors":[…]}` naming the field
//! and the reason in Chinese and English (the same shape as the server's 4xx bodies).

use rules::{Calendar, InputError, Parameters};
use serde::Serialize;
use std::sync::OnceLock;
use wasm_bindgen::prelude::*;

fn params() -> &'static Parameters {
    static P: OnceLock<Parameters> = OnceLock::new();
    P.get_or_init(Parameters::default)
}

fn calendar() -> &'static Calendar {
    static C: OnceLock<Calendar> = OnceLock::new();
    C.get_or_init(Calendar::official)
}

fn answer<T: Serialize>(r: Result<T, InputError>) -> String {
    match r {
        Ok(v) => serde_json::to_string(&v),
        Err(e) => serde_json::to_string(&e),
    }
    .unwrap_or_else(|_| {
        r#"{"errors":[{"field":"","code":"internal","zh":"内部错误","en":"internal error"}]}"#
            .into()
    })
}

fn field_error(field: &str, code: &str, zh: String, en: String) -> InputError {
    InputError::single(field, code, zh, en)
}

/// Decides a pre-check request (`rules::PrecheckRequest` as JSON) under the shipped
/// parameters; returns a `rules::Decision` or errors.
#[wasm_bindgen]
pub fn precheck(request_json: &str) -> String {
    decision(rules::precheck_json(request_json, params()))
}

/// The same, under the given parameters (e.g. fetched from the server for this round).
///
/// Not exported to the browser: the pages use the shipped parameters, and leaving it out
/// (with [`notice_period`]) keeps the bundle under its 100 KB gzipped. Native callers keep it.
pub fn precheck_with(request_json: &str, parameters_json: &str) -> String {
    decision(
        Parameters::from_json(parameters_json).and_then(|p| rules::precheck_json(request_json, &p)),
    )
}

/// A decision's JSON, written directly (`Decision::to_json`), or the errors.
fn decision(r: Result<rules::Decision, InputError>) -> String {
    match r {
        Ok(d) => d.to_json(),
        Err(e) => answer(Err::<(), _>(e)),
    }
}

/// The shipped parameters (rates, caps, key industries, readings): their file as shipped,
/// which `Parameters::default()` is made from (smaller in the bundle than writing them).
#[wasm_bindgen]
pub fn default_parameters() -> String {
    rules::params::DEFAULT_PARAMETERS.to_owned()
}

/// The rule catalogue: IDs, Q&A sources and texts in Chinese and English.
#[wasm_bindgen]
pub fn rule_catalogue() -> String {
    answer(Ok::<_, InputError>(rules::rule::catalogue()))
}

/// Checks a Unified Social Credit Code as typed: `{"ok":true,"mentougou":bool,...}` or errors.
#[wasm_bindgen]
pub fn check_credit_code(code: &str) -> String {
    #[derive(Serialize)]
    struct Valid<'a> {
        ok: bool,
        code: &'a str,
        division_code: &'a str,
        mentougou: bool,
        enterprise: bool,
    }
    // Serialised as the typed answer itself (not through `serde_json::Value`, whose
    // serialiser would otherwise be in the bundle for this alone).
    match rules::uscc::CreditCode::parse(code) {
        Ok(c) => answer(Ok::<_, InputError>(Valid {
            ok: true,
            code: c.as_str(),
            division_code: c.division_code(),
            mentougou: c.is_mentougou(),
            enterprise: c.registration_class().is_enterprise(),
        })),
        Err(e) => answer(Err::<(), _>(field_error(
            "credit_code",
            e.code,
            e.zh.clone(),
            e.en.clone(),
        ))),
    }
}

/// Checks a patent application number as typed: its canonical form and type, or errors.
#[wasm_bindgen]
pub fn check_patent_number(number: &str) -> String {
    #[derive(Serialize)]
    struct Checked<T: Serialize> {
        ok: bool,
        number: String,
        patent_type: T,
        qualifies_for_key_rate: bool,
    }
    match rules::patent::PatentNumber::parse(number) {
        Ok(p) => answer(Ok::<_, InputError>(Checked {
            ok: true,
            number: p.to_string(),
            patent_type: p.patent_type(),
            qualifies_for_key_rate: p.patent_type().qualifies_for_key_rate(),
        })),
        Err(e) => answer(Err::<(), _>(field_error(
            "application_number",
            e.code,
            e.zh.clone(),
            e.en.clone(),
        ))),
    }
}

/// PROC-NOTICE: the notice period for a publication moment (RFC 3339).
///
/// Not exported to the browser (the notices API gives each notice's period; the
/// calendar data and its parser cost some 36 KB of wasm). Native callers keep it.
pub fn notice_period(published_at: &str) -> String {
    answer(
        chrono::DateTime::parse_from_rfc3339(published_at)
            .map_err(|e| {
                field_error(
                    "published_at",
                    "invalid_moment",
                    format!("时间格式应为 RFC 3339：{e}"),
                    format!("expected an RFC 3339 moment: {e}"),
                )
            })
            .and_then(|at| {
                rules::procedure::notice_period(calendar(), params(), at)
                    .map_err(|e| field_error("published_at", e.code, e.zh.clone(), e.en.clone()))
            }),
    )
}

/// An amount in Chinese capital numerals (大写), e.g. `"120000.00"` → 壹拾贰万元整.
#[wasm_bindgen]
pub fn amount_in_capitals(amount: &str) -> String {
    answer(
        rules::Money::parse(amount)
            .map_err(|e| field_error("amount", e.code, e.zh.clone(), e.en.clone()))
            .and_then(|m| {
                rules::numerals::amount_in_capitals(m.decimal())
                    .map_err(|e| field_error("amount", e.code, e.zh.clone(), e.en.clone()))
            }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precheck_answers_json_decision_or_field_errors() {
        let req = include_str!("../../../shared/rules/data/example-precheck-request.json");
        let v: serde_json::Value = serde_json::from_str(&precheck(req)).unwrap();
        assert_eq!(v["outcome"], "eligible");
        assert_eq!(v["amount"], "120000.00");
        let v: serde_json::Value = serde_json::from_str(&precheck("{\"as_of\":1}")).unwrap();
        assert_eq!(v["errors"][0]["field"], "as_of");
    }

    #[test]
    fn helpers_for_the_form() {
        let v: serde_json::Value =
            serde_json::from_str(&check_credit_code("91110109MA01C3KP2P")).unwrap();
        assert_eq!(v["mentougou"], true);
        let v: serde_json::Value =
            serde_json::from_str(&check_credit_code("91110109MA01C3KP2Q")).unwrap();
        assert_eq!(v["errors"][0]["field"], "credit_code");
        let v: serde_json::Value =
            serde_json::from_str(&check_patent_number("2023 1 0123456.6")).unwrap();
        assert_eq!(v["patent_type"], "invention");
        let v: serde_json::Value =
            serde_json::from_str(&notice_period("2025-09-26T10:00:00+08:00")).unwrap();
        assert_eq!(v["last_day"], "2025-10-09");
        let v: serde_json::Value = serde_json::from_str(&amount_in_capitals("120000")).unwrap();
        assert_eq!(v, "壹拾贰万元整");
        let v: serde_json::Value = serde_json::from_str(&rule_catalogue()).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 22);
        // The shipped file is the parameters the pre-check decides under.
        let shipped: Parameters = serde_json::from_str(&default_parameters()).unwrap();
        assert_eq!(shipped, *params());
    }
}
