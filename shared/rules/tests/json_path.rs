//! `rules::json_path` names the field of a failed parse as `serde_path_to_error` (a
//! dev-dependency only, kept for this comparison) did when it tracked every request:
//! for a corpus of broken requests generated from the documented example (every value
//! replaced by values of other types, every field removed, an unknown field in every
//! object, a key repeated, lists lengthened), pretty and compact, and for random edits.
//!
//! The differences, each on purpose (see `expected`):
//! - a body that is not JSON (syntax error, cut short) names no field: serde_path_to_error
//!   named where its parser stopped (`items[0].amount`, `items[0].?`), or `?`;
//! - an unknown field of an internally tagged enum (a pledged right) is named inside the
//!   right's object, as unknown fields are everywhere else; serde_path_to_error named the
//!   right (its content is buffered);
//! - a body that is not JSON just after a pledged right refused by its type names the
//!   right's last member: serde_json reports the same position for a struct's last value
//!   (see `last_key_before_garbage`).

use proptest::prelude::*;
use rules::allocation::AllocationRequest;
use rules::json_path::error_field;
use rules::params::Parameters;
use rules::{Application, PrecheckRequest, Round};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

mod common;
use common::corpus::{duplicates, edited, mutations, rich_request, texts};

/// The path serde_path_to_error gives, and the error. A path naming no field (the
/// whole body, or only where its parser stopped) is `None`: its text (`.`, `?`) is also
/// how a key spelled `.` or `?` prints.
fn tracked<T: DeserializeOwned>(json: &str) -> Option<(Option<String>, serde_json::Error)> {
    use serde_path_to_error::Segment;
    let de = &mut serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(_) => None,
        Err(e) => {
            let names_a_field = e.path().iter().any(|s| !matches!(s, Segment::Unknown));
            let path = names_a_field.then(|| e.path().to_string());
            Some((path, e.into_inner()))
        }
    }
}

/// What `error_field` must answer where serde_path_to_error answered `path`.
fn expected(json: &str, path: Option<&str>, e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    if rules::json_path::refused_container(json.as_bytes(), e) {
        // an enum given a list or an object: named as before
        return path.unwrap_or_default().to_owned();
    }
    if e.classify() != Category::Data {
        return String::new(); // not JSON
    }
    let Some(path) = path else {
        return String::new(); // the whole body
    };
    let msg = e.to_string();
    let join = |field: &str| format!("{path}.{field}");
    if path.ends_with(']')
        && path.contains("pledged_rights[")
        && let Some(key) = last_key_before_garbage(json, e)
    {
        return join(&key);
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        // Inside a pledged right, whose content is buffered: serde_path_to_error stopped
        // at the right's object.
        let key = rest.rsplit_once("`, expected").map_or(rest, |(k, _)| k);
        if path.ends_with(']') && path.contains("pledged_rights[") {
            return join(key);
        }
    }
    path.to_owned()
}

/// A body that is not JSON, refused by its type just after an object's `}` with no `,`
/// or `]` after it: serde_json gives this position both for a struct's last value and
/// for a pledged right's content (buffered, refused as a whole), so the last member is
/// named, where serde_path_to_error named the right. Returns that member's key.
fn last_key_before_garbage(json: &str, e: &serde_json::Error) -> Option<String> {
    let line_start: usize = json
        .split_inclusive('\n')
        .take(e.line() - 1)
        .map(str::len)
        .sum();
    let at = (line_start + e.column()).min(json.len());
    let before = json[..at].trim_end();
    let after = json[at..].trim_start();
    if !before.ends_with('}') || after.starts_with([',', ']']) || after.is_empty() {
        return None;
    }
    // The object's own errors name the object, in both.
    let msg = e.to_string();
    let own = ["missing field `", "unknown field `", "duplicate field `"];
    if own.iter().any(|p| msg.starts_with(p)) {
        return None;
    }
    // The object's `{`: the nearest one before whose text reads as one object.
    before
        .match_indices('{')
        .rev()
        .find_map(|(open, _)| serde_json::from_str::<LastKey>(&before[open..]).ok()?.0)
}

/// The last key of a JSON object, in the order written.
struct LastKey(Option<String>);

impl<'de> serde::Deserialize<'de> for LastKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = LastKey;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<LastKey, A::Error> {
                let mut last = None;
                while let Some((k, serde::de::IgnoredAny)) = m.next_entry::<String, _>()? {
                    last = Some(k);
                }
                Ok(LastKey(last))
            }
        }
        d.deserialize_map(Keys)
    }
}

/// Checks one document against type `T`; returns a description of the difference.
fn differs<T: DeserializeOwned>(json: &str) -> Option<String> {
    let (path, e) = tracked::<T>(json)?;
    let ours_e = serde_json::from_str::<T>(json).err();
    // parse_json does not read past the value: serde_json::from_str also refuses
    // trailing characters, which serde_path_to_error::deserialize never looked at.
    let ours_e = ours_e.expect("serde_json refuses what serde_path_to_error refuses");
    assert_eq!(ours_e.to_string(), e.to_string(), "{json}");
    let ours = error_field(json.as_bytes(), &ours_e);
    let want = expected(json, path.as_deref(), &e);
    let short: String = json
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(120)
        .collect();
    (ours != want).then(|| {
        let spte = path.as_deref().unwrap_or("(no field)");
        format!("{short}…\n  error: {e}\n  spte:  {spte}\n  want:  {want}\n  ours:  {ours}")
    })
}

fn allocation_request() -> Value {
    json!({
        "year": 2026,
        "budget": "100000.00",
        "applications": [
            {"id": "A-1", "enterprise": "91110109MA01C3KP2P",
             "submitted_at": "2026-04-02T09:00:00+08:00", "ceiling_amount": "1000.00"},
            {"id": "A-2", "enterprise": "91110109MA01C3KP2P",
             "submitted_at": "2026-04-03T09:00:00+08:00", "ceiling_amount": "2000.00"}
        ],
        "history": {
            "91110109MA01C3KP2P": [
                {"year": 2024, "amount": "1000.00", "recovered": false, "reference": "PAY-1"}
            ]
        }
    })
}

fn check_all<T: DeserializeOwned>(valid: &Value, failures: &mut Vec<String>) -> usize {
    let text = serde_json::to_string(valid).unwrap();
    assert!(
        serde_json::from_str::<T>(&text).is_ok(),
        "the corpus starts valid: {:?}",
        serde_json::from_str::<T>(&text).err()
    );
    let mut n = 0;
    let mut docs: Vec<String> = mutations(valid).iter().flat_map(texts).collect();
    docs.extend(duplicates(&text));
    // Cut short everywhere, and broken by a stray byte.
    for cut in (0..text.len())
        .filter(|&i| text.is_char_boundary(i))
        .step_by(7)
    {
        docs.push(text[..cut].to_owned());
        docs.push(format!("{}}}{}", &text[..cut], &text[cut..]));
    }
    for doc in docs {
        if tracked::<T>(&doc).is_some() {
            n += 1;
        }
        failures.extend(differs::<T>(&doc));
    }
    n
}

#[test]
fn field_paths_are_serde_path_to_errors() {
    let mut failures = Vec::new();
    let mut n = 0;
    let rich = rich_request();
    n += check_all::<PrecheckRequest>(&rich, &mut failures);
    n += check_all::<Round>(&rich["round"], &mut failures);
    n += check_all::<Application>(&rich["application"], &mut failures);
    n += check_all::<AllocationRequest>(&allocation_request(), &mut failures);
    let params: Value = serde_json::from_str(include_str!("../data/parameters.json")).unwrap();
    n += check_all::<Parameters>(&params, &mut failures);
    assert!(n > 5_000, "{n} broken documents");
    assert!(
        failures.is_empty(),
        "{} of {n} differ:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Random bytes written over, inserted into or cut from the example request.
    #[test]
    fn random_edits_name_the_same_field(
        which in 0usize..3,
        at in 0usize..3000,
        cut in 0usize..8,
        insert in proptest::collection::vec(
            prop::sample::select(
                &br#"{}[]:,"0123456789.-+eE truefalsnul\x"#[..]
            ),
            0..6,
        ),
    ) {
        if let Some(doc) = edited(which, at, cut, &insert) {
            let d = differs::<PrecheckRequest>(&doc);
            prop_assert!(d.is_none(), "{}", d.unwrap_or_default());
        }
    }
}

/// Found by CI (stop 25): an unknown key spelled `.` at the top prints, in
/// serde_path_to_error, as the whole body does; it is a field all the same.
#[test]
fn a_key_spelled_like_a_path_is_named_as_a_field() {
    let text = serde_json::to_string(&rich_request()).unwrap();
    for key in [".", "?", "a.b", "[0]"] {
        let doc = format!("{{{}:1,{}", Value::from(key), &text[1..]);
        let e = serde_json::from_str::<PrecheckRequest>(&doc).unwrap_err();
        assert_eq!(error_field(doc.as_bytes(), &e), key, "{e}");
        assert_eq!(differs::<PrecheckRequest>(&doc), None);
    }
}

/// Found by CI: a pledged right refused as a whole, with stray bytes after its `}`.
#[test]
fn a_right_followed_by_stray_bytes_names_its_last_member() {
    let text = serde_json::to_string(&rich_request()).unwrap();
    let right = r#"{"kind":"copyright","owner":"北京京西智算科技有限公司","registration_number":"国作登字-2024-1"}"#;
    assert!(text.contains(right));
    for (bad, field) in [
        (r#"{"kind":"copyright","owner":0}x"#, "owner"),
        (
            r#"{"kind":"copyright","registration_number":"国作登字-2024-1","owner":0}}"#,
            "owner",
        ),
    ] {
        let doc = text.replace(right, bad);
        let e = serde_json::from_str::<PrecheckRequest>(&doc).unwrap_err();
        let want = format!("application.loans[1].pledged_rights[1].{field}");
        assert_eq!(error_field(doc.as_bytes(), &e), want, "{e}");
        assert_eq!(differs::<PrecheckRequest>(&doc), None);
    }
}
