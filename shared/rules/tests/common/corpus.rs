//! Broken documents made from valid ones: every value replaced by values of other
//! types, every member removed, an unknown member in every object, a member repeated,
//! lists lengthened; each pretty, compact and with its members reversed.
#![allow(dead_code)]

use serde_json::{Value, json};

/// A request with every list filled, so each nesting is exercised.
pub fn rich_request() -> Value {
    let mut v: Value =
        serde_json::from_str(include_str!("../../data/example-precheck-request.json")).unwrap();
    v["round"]["extra_key_industries"] =
        json!([{"code": "culture_tourism", "zh": "文旅", "en": "Culture and tourism"}]);
    v["round"]["guide"] = json!({
        "title": "2026年度门头沟区知识产权质押融资贴息申报指南",
        "url": "https://example.gov.cn/guide",
        "materials": ["申请表", "营业执照"],
        "approval": {"approved_on": "2026-03-20", "reference": "区政府会议纪要〔2026〕3号"}
    });
    let app = &mut v["application"];
    app["enterprise"]["credit_findings"] = json!([{
        "kind": "tax_non_compliance", "date": "2023-05-01", "source": "区税务局",
        "resolved_on": "2023-06-01"
    }]);
    app["enterprise"]["fraud_findings"] = json!([{
        "kind": "false_documents", "determined_on": "2019-01-01", "reference": "门知罚〔2019〕1号"
    }]);
    let mut second = app["loans"][0].clone();
    second["contract_number"] = "BJ-2025-0002".into();
    second["verified_interest_paid"] = "1000.00".into();
    second["pledged_rights"] = json!([
        {"kind": "trademark", "registration_number": "12345678", "well_known": true,
         "owner": "北京京西智算科技有限公司"},
        {"kind": "copyright", "registration_number": "国作登字-2024-1", "owner": "北京京西智算科技有限公司"},
        {"kind": "other", "description": "数据资产", "owner": "北京京西智算科技有限公司"}
    ]);
    app["loans"].as_array_mut().unwrap().push(second);
    app["history"] = json!([
        {"year": 2024, "amount": "1000.00", "recovered": false, "reference": "PAY-1"},
        {"year": 2025, "amount": "2000.00", "recovered": true, "reference": "PAY-2"}
    ]);
    app["review"] = json!({
        "opinions": [
            {"department": "tax", "name": "区税务局", "answered_on": "2026-04-20",
             "objects": false, "note": ""},
            {"department": "town_street", "name": "王平镇", "objects": true, "note": "异议"}
        ],
        "credit_report": {"source": "credit_china", "checked_on": "2026-04-20",
                          "reference": "XY-1", "public_credit_rating": "A"}
    });
    v
}

/// Every JSON pointer of `v` (not the root).
pub fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        Value::Array(list) => {
            for (i, x) in list.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        _ => {}
    }
}

pub fn split(ptr: &str) -> (&str, String) {
    let (parent, key) = ptr.rsplit_once('/').unwrap();
    (parent, key.replace("~1", "/").replace("~0", "~"))
}

/// Values of every JSON type, and wrong values of the right type.
pub fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(""),
        json!("x"),
        json!("1.001"),
        json!("2026-02-30"),
        json!([]),
        json!([1]),
        json!({}),
        json!({"a": 1}),
    ]
}

/// Broken copies of a valid document.
pub fn mutations(valid: &Value) -> Vec<Value> {
    let mut ptrs = Vec::new();
    pointers(valid, String::new(), &mut ptrs);
    let mut out = Vec::new();
    let mut objects = vec![String::new()];
    for ptr in &ptrs {
        let (parent, key) = split(ptr);
        for r in replacements() {
            let mut v = valid.clone();
            *v.pointer_mut(ptr).unwrap() = r;
            out.push(v);
        }
        let mut v = valid.clone();
        match v.pointer_mut(parent).unwrap() {
            Value::Object(m) => {
                m.remove(&key);
            }
            Value::Array(list) => {
                list.remove(key.parse::<usize>().unwrap());
            }
            _ => unreachable!(),
        }
        out.push(v);
        match valid.pointer(ptr).unwrap() {
            Value::Object(_) => objects.push(ptr.clone()),
            Value::Array(list) => {
                // One more element, a wrong one.
                for extra in [json!(7), json!({"x": 1})] {
                    let mut v = valid.clone();
                    let list2 = v.pointer_mut(ptr).unwrap().as_array_mut().unwrap();
                    list2.push(extra);
                    out.push(v);
                }
                if let Some(first) = list.first() {
                    let mut v = valid.clone();
                    let list2 = v.pointer_mut(ptr).unwrap().as_array_mut().unwrap();
                    list2.insert(0, first.clone());
                    out.push(v);
                }
            }
            _ => {}
        }
    }
    for obj in objects {
        for (k, val) in [
            ("unknown", json!(1)),
            ("x.y[0]", json!({"a": [1]})),
            ("", json!(null)),
        ] {
            let mut v = valid.clone();
            v.pointer_mut(&obj)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .insert(k.to_owned(), val);
            out.push(v);
        }
    }
    out
}

/// Texts of `v`: pretty (many lines), compact, and with each object's members in
/// reverse order (another member last: serde_json positions some errors at the `}`).
pub fn texts(v: &Value) -> Vec<String> {
    let mut reversed = String::new();
    reverse(v, &mut reversed);
    vec![
        serde_json::to_string_pretty(v).unwrap(),
        serde_json::to_string(v).unwrap(),
        reversed,
    ]
}

pub fn reverse(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().rev().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push_str(": ");
                reverse(x, out);
            }
            out.push('}');
        }
        Value::Array(list) => {
            out.push('[');
            for (i, x) in list.iter().enumerate() {
                if i > 0 {
                    out.push_str(" ,");
                }
                reverse(x, out);
            }
            out.push(']');
        }
        _ => out.push_str(&v.to_string()),
    }
}

/// Each object's first member repeated at its start (`{"a":1,"a":1,…}`), one object at a
/// time.
pub fn duplicates(compact: &str) -> Vec<String> {
    let mut out = Vec::new();
    let v: Value = serde_json::from_str(compact).unwrap();
    let mut ptrs = vec![String::new()];
    pointers(&v, String::new(), &mut ptrs);
    for ptr in ptrs {
        let Some(Value::Object(m)) = v.pointer(&ptr) else {
            continue;
        };
        let Some((k, x)) = m.iter().next() else {
            continue;
        };
        let member = format!("{}:{},", Value::from(k.as_str()), x);
        let mut doc = v.clone();
        *doc.pointer_mut(&ptr).unwrap() = json!("\u{1}MARK\u{1}");
        let mut text = serde_json::to_string(&doc).unwrap();
        let whole = serde_json::to_string(&Value::Object(m.clone())).unwrap();
        let dup = format!("{{{member}{}", &whole[1..]);
        text = text.replace("\"\\u0001MARK\\u0001\"", &dup);
        out.push(text);
    }
    out
}

/// One of the rich request's `texts` (`which`) with `cut` bytes at `at` replaced by
/// `insert`, when that is still UTF-8.
pub fn edited(which: usize, at: usize, cut: usize, insert: &[u8]) -> Option<String> {
    let texts = texts(&rich_request());
    let text = texts[which].as_bytes();
    let at = at.min(text.len());
    let mut doc = text[..at].to_vec();
    doc.extend_from_slice(insert);
    doc.extend_from_slice(&text[(at + cut).min(text.len())..]);
    String::from_utf8(doc).ok()
}
