//! `Decision::to_json` writes what serde_json writes for the derived `Serialize`, byte
//! for byte: for the decisions on every request the corpus's changes leave valid (a loan
//! refused, a cap applied, a review recorded, a round left out …) and at moments before,
//! inside and after the window and the measures' validity.

use rules::{Parameters, PrecheckRequest, precheck};
use serde_json::Value;

mod common;
use common::corpus::{mutations, rich_request};

#[test]
fn decisions_are_written_as_serde_json_writes_them() {
    let params = Parameters::default();
    let rich = rich_request();
    let mut requests: Vec<Value> = vec![
        serde_json::from_str(include_str!("../data/example-precheck-request.json")).unwrap(),
        rich.clone(),
    ];
    requests.extend(mutations(&rich));
    let mut outcomes = std::collections::BTreeSet::new();
    let mut n = 0;
    for mut v in requests {
        for as_of in [
            None,
            Some("2025-03-01T09:00:00+08:00"),
            Some("2026-05-02T09:00:00+08:00"),
            Some("2029-01-02T09:00:00+08:00"),
        ] {
            if let Some(t) = as_of {
                v["as_of"] = t.into();
            }
            let Ok(req) = serde_json::from_value::<PrecheckRequest>(v.clone()) else {
                continue;
            };
            let d = precheck(&req, &params);
            outcomes.insert(format!("{:?} {}", d.outcome, d.reasons.len()));
            assert_eq!(d.to_json(), serde_json::to_string(&d).unwrap(), "{v}");
            n += 1;
        }
    }
    assert!(
        n > 500 && outcomes.len() > 10,
        "{n} decisions, {outcomes:?}"
    );
}
