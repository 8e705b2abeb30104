//! The browser pre-check: the rules crate behind a JSON-in, JSON-out wasm-bindgen API.
//!
//! Nothing leaves the browser: every function is a pure computation over its arguments.
//! Each answer is a JSON string, either the result or `{"errors":[…]}` naming the field
//! and the reason in Chinese and English (the same shape as the server's 4xx bodies).
//! The answers are written by hand (`rules::json_write`), byte for byte as serde_json
//! writes them (the tests compare), so the bundle carries no serialiser (issue 17).

use rules::json_write::{push_bool, push_str};
use rules::{Calendar, InputError, Parameters};
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

/// The answer `write` gives, or the errors.
fn answer<T>(r: Result<T, InputError>, write: impl FnOnce(&mut String, T)) -> String {
    match r {
        Ok(v) => {
            let mut out = String::with_capacity(128);
            write(&mut out, v);
            out
        }
        Err(e) => e.to_json(),
    }
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
        Err(e) => e.to_json(),
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
    rules::rule::catalogue_json()
}

/// Checks a Unified Social Credit Code as typed: `{"ok":true,"mentougou":bool,...}` or errors.
#[wasm_bindgen]
pub fn check_credit_code(code: &str) -> String {
    let checked = rules::uscc::CreditCode::parse(code)
        .map_err(|e| field_error("credit_code", e.code, e.zh.clone(), e.en.clone()));
    answer(checked, |out, c| {
        out.push_str("{\"ok\":true,\"code\":");
        push_str(out, c.as_str());
        out.push_str(",\"division_code\":");
        push_str(out, c.division_code());
        out.push_str(",\"mentougou\":");
        push_bool(out, c.is_mentougou());
        out.push_str(",\"enterprise\":");
        push_bool(out, c.registration_class().is_enterprise());
        out.push('}');
    })
}

/// Checks a patent application number as typed: its canonical form and type, or errors.
#[wasm_bindgen]
pub fn check_patent_number(number: &str) -> String {
    let checked = rules::patent::PatentNumber::parse(number)
        .map_err(|e| field_error("application_number", e.code, e.zh.clone(), e.en.clone()));
    answer(checked, |out, p| {
        out.push_str("{\"ok\":true,\"number\":");
        push_str(out, &p.to_string());
        out.push_str(",\"patent_type\":");
        push_str(out, p.patent_type().json_name());
        out.push_str(",\"qualifies_for_key_rate\":");
        push_bool(out, p.patent_type().qualifies_for_key_rate());
        out.push('}');
    })
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
        // Native only: serde's writer costs nothing in the bundle here.
        |out, period| out.push_str(&serde_json::to_string(&period).unwrap_or_default()),
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
        |out, capitals| push_str(out, &capitals),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    /// What serde_json wrote for each answer before they were written by hand.
    fn serdes<T: Serialize>(r: Result<T, InputError>) -> String {
        match r {
            Ok(v) => serde_json::to_string(&v).unwrap(),
            Err(e) => serde_json::to_string(&e).unwrap(),
        }
    }

    #[test]
    fn answers_are_written_as_serde_json_wrote_them() {
        #[derive(Serialize)]
        struct Valid {
            ok: bool,
            code: String,
            division_code: String,
            mentougou: bool,
            enterprise: bool,
        }
        #[derive(Serialize)]
        struct Checked {
            ok: bool,
            number: String,
            patent_type: rules::patent::PatentType,
            qualifies_for_key_rate: bool,
        }
        for code in [
            "91110109MA01C3KP2P",
            "91110109MA01C3KP2Q",
            "12110000400000000X",
            "",
            "x\"y",
        ] {
            let expected = serdes(
                rules::uscc::CreditCode::parse(code)
                    .map(|c| Valid {
                        ok: true,
                        code: c.as_str().to_owned(),
                        division_code: c.division_code().to_owned(),
                        mentougou: c.is_mentougou(),
                        enterprise: c.registration_class().is_enterprise(),
                    })
                    .map_err(|e| field_error("credit_code", e.code, e.zh.clone(), e.en.clone())),
            );
            assert_eq!(check_credit_code(code), expected, "{code}");
        }
        for number in [
            "2023 1 0123456.6",
            "202320123456.1",
            "ZL202330123456.X",
            "1",
            "",
        ] {
            let expected = serdes(
                rules::patent::PatentNumber::parse(number)
                    .map(|p| Checked {
                        ok: true,
                        number: p.to_string(),
                        patent_type: p.patent_type(),
                        qualifies_for_key_rate: p.patent_type().qualifies_for_key_rate(),
                    })
                    .map_err(|e| {
                        field_error("application_number", e.code, e.zh.clone(), e.en.clone())
                    }),
            );
            assert_eq!(check_patent_number(number), expected, "{number}");
        }
        for amount in ["120000", "0.01", "-1", "1.234", "x"] {
            let expected = serdes(
                rules::Money::parse(amount)
                    .map_err(|e| field_error("amount", e.code, e.zh.clone(), e.en.clone()))
                    .and_then(|m| {
                        rules::numerals::amount_in_capitals(m.decimal())
                            .map_err(|e| field_error("amount", e.code, e.zh.clone(), e.en.clone()))
                    }),
            );
            assert_eq!(amount_in_capitals(amount), expected, "{amount}");
        }
        assert_eq!(
            rule_catalogue(),
            serde_json::to_string(&rules::rule::catalogue()).unwrap()
        );
        let errors = precheck("{\"as_of\":1}");
        let e = rules::precheck_json("{\"as_of\":1}", params()).unwrap_err();
        assert_eq!(errors, serde_json::to_string(&e).unwrap());
    }

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
