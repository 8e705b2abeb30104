//! A JSON Schema validator for the subset of JSON Schema 2020-12 the OpenAPI document
//! uses, so the contract test can check every answer against its documented schema.
//!
//! A keyword it does not know is an error, never ignored: a schema can only promise what
//! this validator checks.

use regex::Regex;
use serde_json::Value;

/// Keywords that only describe (documentation, examples), checked by nothing.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "contentMediaType",
    "contentEncoding",
    "deprecated",
];

/// Checks `value` against `schema`; `$ref`s resolve inside `doc`. The error names the
/// place in the value (`$.loans[0].rate`) and what is wrong there.
pub fn validate(doc: &Value, schema: &Value, value: &Value) -> Result<(), String> {
    check(doc, schema, value, "$")
}

fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let Some(s) = schema.as_object() else {
        return match schema {
            Value::Bool(true) => Ok(()),
            Value::Bool(false) => Err(format!("{at}: nothing is allowed here, found {value}")),
            _ => Err(format!("{at}: the schema is not an object: {schema}")),
        };
    };
    for (keyword, arg) in s {
        match keyword.as_str() {
            "$ref" => {
                let target = resolve(doc, arg.as_str().unwrap_or_default())?;
                check(doc, target, value, at)?;
            }
            "type" => {
                let allowed: Vec<&str> = match arg {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => return Err(format!("{at}: bad type keyword {arg}")),
                };
                if !allowed.iter().any(|t| is_type(value, t)) {
                    return Err(format!("{at}: expected {allowed:?}, found {value}"));
                }
            }
            "enum" => {
                let options = arg.as_array().ok_or(format!("{at}: bad enum"))?;
                if !options.contains(value) {
                    return Err(format!("{at}: {value} is not one of {arg}"));
                }
            }
            "const" => {
                if value != arg {
                    return Err(format!("{at}: expected {arg}, found {value}"));
                }
            }
            "properties" => {
                if let (Some(props), Some(obj)) = (arg.as_object(), value.as_object()) {
                    for (name, sub) in props {
                        if let Some(v) = obj.get(name) {
                            check(doc, sub, v, &format!("{at}.{name}"))?;
                        }
                    }
                }
            }
            "required" => {
                if let Some(obj) = value.as_object() {
                    for name in arg.as_array().into_iter().flatten() {
                        let name = name.as_str().unwrap_or_default();
                        if !obj.contains_key(name) {
                            return Err(format!("{at}: the field {name} is missing in {value}"));
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(obj) = value.as_object() {
                    let known = s.get("properties").and_then(Value::as_object);
                    for (name, v) in obj {
                        if known.is_some_and(|k| k.contains_key(name)) {
                            continue;
                        }
                        check(doc, arg, v, &format!("{at}.{name}")).map_err(|e| {
                            format!("{e} (the field {name} is not documented at {at})")
                        })?;
                    }
                }
            }
            "items" => {
                for (i, v) in value.as_array().into_iter().flatten().enumerate() {
                    check(doc, arg, v, &format!("{at}[{i}]"))?;
                }
            }
            "oneOf" | "anyOf" => {
                let options = arg.as_array().ok_or(format!("{at}: bad {keyword}"))?;
                let results: Vec<Result<(), String>> =
                    options.iter().map(|o| check(doc, o, value, at)).collect();
                let passed = results.iter().filter(|r| r.is_ok()).count();
                let fine = if keyword == "oneOf" {
                    passed == 1
                } else {
                    passed >= 1
                };
                if !fine {
                    let why: Vec<String> = results.into_iter().filter_map(Result::err).collect();
                    return Err(format!(
                        "{at}: {passed} of the {keyword} options match ({})",
                        why.join("; ")
                    ));
                }
            }
            "minimum" | "maximum" => {
                if let (Some(n), Some(bound)) = (value.as_f64(), arg.as_f64()) {
                    let fine = if keyword == "minimum" {
                        n >= bound
                    } else {
                        n <= bound
                    };
                    if !fine {
                        return Err(format!("{at}: {n} is outside the {keyword} {bound}"));
                    }
                }
            }
            "minLength" | "maxLength" => {
                if let (Some(t), Some(bound)) = (value.as_str(), arg.as_u64()) {
                    let n = t.chars().count() as u64;
                    if (keyword == "minLength" && n < bound)
                        || (keyword == "maxLength" && n > bound)
                    {
                        return Err(format!("{at}: length {n} is outside the {keyword} {bound}"));
                    }
                }
            }
            "minItems" | "maxItems" => {
                if let (Some(a), Some(bound)) = (value.as_array(), arg.as_u64()) {
                    let n = a.len() as u64;
                    if (keyword == "minItems" && n < bound) || (keyword == "maxItems" && n > bound)
                    {
                        return Err(format!("{at}: {n} items, outside the {keyword} {bound}"));
                    }
                }
            }
            "pattern" => {
                if let Some(t) = value.as_str() {
                    let re = Regex::new(arg.as_str().unwrap_or_default())
                        .map_err(|e| format!("{at}: bad pattern {arg}: {e}"))?;
                    if !re.is_match(t) {
                        return Err(format!("{at}: {t:?} does not match {arg}"));
                    }
                }
            }
            "format" => {
                if let Some(t) = value.as_str() {
                    format(arg.as_str().unwrap_or_default(), t)
                        .map_err(|e| format!("{at}: {t:?} {e}"))?;
                }
            }
            k if ANNOTATIONS.contains(&k) => {}
            other => return Err(format!("{at}: the validator does not know {other:?}")),
        }
    }
    Ok(())
}

fn is_type(value: &Value, t: &str) -> bool {
    match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        _ => false,
    }
}

fn format(name: &str, t: &str) -> Result<(), String> {
    let pattern = match name {
        "date" => r"^\d{4}-\d{2}-\d{2}$",
        "date-time" => r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
        "uri" => r"^[a-z][a-z0-9+.-]*:[^\s]+$",
        "binary" => return Ok(()),
        other => return Err(format!("has an unknown format {other}")),
    };
    if Regex::new(pattern).unwrap().is_match(t) {
        Ok(())
    } else {
        Err(format!("is not a {name}"))
    }
}

/// A local reference (`#/components/schemas/Money`).
fn resolve<'a>(doc: &'a Value, reference: &str) -> Result<&'a Value, String> {
    let pointer = reference
        .strip_prefix('#')
        .ok_or(format!("only local references: {reference}"))?;
    doc.pointer(pointer)
        .ok_or(format!("{reference} is not in the document"))
}

#[cfg(test)]
mod own_tests {
    use super::validate;
    use serde_json::json;

    /// The validator refuses what it should, so a passing contract test means something.
    #[test]
    fn the_validator_refuses_wrong_answers() {
        let doc = json!({"components": {"schemas": {"Money": {"type": "string", "pattern": "^[0-9]+\\.[0-9]{2}$"}}}});
        let schema = json!({
            "type": "object", "required": ["amount", "on"], "additionalProperties": false,
            "properties": {
                "amount": {"$ref": "#/components/schemas/Money"},
                "on": {"type": "string", "format": "date"},
                "lines": {"type": "array", "items": {"type": "integer", "minimum": 1}},
                "kind": {"enum": ["a", "b"]},
                "who": {"oneOf": [{"type": "string"}, {"type": "null"}]}
            }
        });
        let good = json!({"amount": "1.00", "on": "2026-05-06", "lines": [1, 2], "kind": "a", "who": null});
        validate(&doc, &schema, &good).unwrap();
        for (bad, why) in [
            (json!({"amount": "1.00"}), "missing"),
            (json!({"amount": 1.0, "on": "2026-05-06"}), "expected"),
            (
                json!({"amount": "1.0", "on": "2026-05-06"}),
                "does not match",
            ),
            (
                json!({"amount": "1.00", "on": "06/05/2026"}),
                "is not a date",
            ),
            (
                json!({"amount": "1.00", "on": "2026-05-06", "extra": 1}),
                "not documented",
            ),
            (
                json!({"amount": "1.00", "on": "2026-05-06", "lines": [0]}),
                "minimum",
            ),
            (
                json!({"amount": "1.00", "on": "2026-05-06", "kind": "c"}),
                "not one of",
            ),
            (
                json!({"amount": "1.00", "on": "2026-05-06", "who": 3}),
                "0 of the oneOf",
            ),
        ] {
            let e = validate(&doc, &schema, &bad).expect_err(&bad.to_string());
            assert!(e.contains(why), "{bad}: {e}");
        }
        let unknown = json!({"type": "string", "multipleOf": 2});
        let e = validate(&doc, &unknown, &json!("x")).unwrap_err();
        assert!(e.contains("does not know"), "{e}");
    }
}
