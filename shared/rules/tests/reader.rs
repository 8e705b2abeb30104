//! `rules::reader` reads requests as serde_json and the derived deserialisers do
//! (`rules::input::parse_json`, which names the field by `json_path`): for the corpus of
//! broken requests made from the documented example and for random edits, the same
//! value when both accept, else the same field and code. The differences are the
//! reader's, on purpose (`rules::reader`'s documentation):
//! - a list given for a struct is refused (serde reads its fields by position);
//! - a value refused inside a pledged right is named by its own path below the right.

use proptest::prelude::*;
use rules::input::{InputError, parse_json};
use rules::reader::{ReadJson, read};
use rules::{Application, PrecheckRequest, Round};
use serde::de::DeserializeOwned;
use std::fmt::Debug;

mod common;
use common::corpus::{duplicates, edited, mutations, rich_request, texts};

/// How the reader's answer differs from serde's, if it does.
fn differs<T: ReadJson + DeserializeOwned + PartialEq + Debug>(json: &str) -> Option<String> {
    let serde = parse_json::<T>(json);
    let ours = read::<T>(json);
    let first = |e: &InputError| e.errors[0].clone();
    let list_for_struct = |e: &InputError| {
        let e = first(e);
        e.code == "wrong_type"
            && e.en.contains("found sequence")
            && (e.en.contains("expected struct") || e.en.contains("expected internally tagged"))
    };
    let same = match (&serde, &ours) {
        // A list for a struct: serde reads it by position, the reader refuses it.
        (_, Err(b)) if list_for_struct(b) => true,
        (Ok(a), Ok(b)) => a == b,
        (Err(a), Err(b)) => {
            let (a, b) = (first(a), first(b));
            a.code == b.code
                && (a.field == b.field
                    || a.field.ends_with(']')
                        && a.field.contains("pledged_rights[")
                        && b.field.starts_with(&format!("{}.", a.field)))
        }
        (Ok(_), Err(_)) | (Err(_), Ok(_)) => false,
    };
    (!same).then(|| {
        let short: String = json.chars().take(300).collect();
        format!("{short}…\n  serde: {serde:?}\n  ours:  {ours:?}")
    })
}

fn check_all<T: ReadJson + DeserializeOwned + PartialEq + Debug>(
    valid: &serde_json::Value,
    failures: &mut Vec<String>,
) -> usize {
    let text = serde_json::to_string(valid).unwrap();
    assert!(read::<T>(&text).is_ok(), "{:?}", read::<T>(&text).err());
    let mut docs: Vec<String> = mutations(valid).iter().flat_map(texts).collect();
    docs.extend(duplicates(&text));
    for cut in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
        docs.push(text[..cut].to_owned());
        docs.push(format!("{}}}{}", &text[..cut], &text[cut..]));
    }
    let n = docs.len();
    failures.extend(docs.iter().filter_map(|d| differs::<T>(d)));
    n
}

#[test]
fn reads_the_corpus_as_serde_does() {
    let mut failures = Vec::new();
    let rich = rich_request();
    let mut n = check_all::<PrecheckRequest>(&rich, &mut failures);
    n += check_all::<Round>(&rich["round"], &mut failures);
    n += check_all::<Application>(&rich["application"], &mut failures);
    assert!(n > 10_000, "{n} documents");
    assert!(
        failures.is_empty(),
        "{} of {n} differ:\n{}",
        failures.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The documented example, and the rich request, read to the same values.
#[test]
fn reads_valid_requests_as_serde_does() {
    let example = include_str!("../data/example-precheck-request.json");
    assert_eq!(
        read::<PrecheckRequest>(example).unwrap(),
        parse_json::<PrecheckRequest>(example).unwrap()
    );
    for text in texts(&rich_request()) {
        assert_eq!(
            read::<PrecheckRequest>(&text).unwrap(),
            parse_json::<PrecheckRequest>(&text).unwrap()
        );
    }
}

/// Escapes, numbers at serde_json's limits, enums written as maps: read alike.
#[test]
fn edge_values_are_read_as_serde_does() {
    let base = serde_json::to_string(&rich_request()).unwrap();
    let year = "\"year\":2026";
    assert!(base.contains(year));
    let mut failures = Vec::new();
    for number in [
        "2026",
        "-0",
        "0",
        "2026.0",
        "2e3",
        "2E+3",
        "1e-400",
        "1e309",
        "1.7976931348623157e308",
        "1.8e308",
        "-1.8e308",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "2147483648",
        "-2147483649",
        "1e2147483648",
        "0e2147483648",
        "1e-2147483648",
        "01",
        "-",
        "1.",
        "1.e3",
        "1e",
        "1e+",
        "184467440737095516150.5e290",
        "99999999999999999999e288",
    ] {
        let doc = base.replacen(year, &format!("\"year\":{number}"), 1);
        failures.extend(differs::<PrecheckRequest>(&doc));
    }
    for name in [
        r#""\u5317\u4eac""#,
        r#""\ud83d\ude00""#,
        r#""\ud83d""#,
        r#""\ude00""#,
        r#""\ud83dx""#,
        r#""\u00""#,
        r#""\q""#,
        r#""a\/b\b\f\n\r\t\"\\""#,
        "\"tab\there\"",
    ] {
        let doc = base.replacen(
            "\"name\":\"北京京西智算科技有限公司\"",
            &format!("\"name\":{name}"),
            1,
        );
        failures.extend(differs::<PrecheckRequest>(&doc));
    }
    for kind in [
        r#"{"bank":null}"#,
        r#"{"bank":1}"#,
        r#"{"bankx":null}"#,
        r#"{"bank":null,"x":1}"#,
        r#"{}"#,
        r#"{1:2}"#,
        r#"["bank"]"#,
        "1",
        "null",
        "true",
        r#""b\u0061nk""#,
    ] {
        let doc = base.replacen(
            "\"lender_kind\":\"bank\"",
            &format!("\"lender_kind\":{kind}"),
            1,
        );
        failures.extend(differs::<PrecheckRequest>(&doc));
    }
    for patent_type in [
        r#"{"invention":null}"#,
        r#"{"invention":1}"#,
        // serde reads a unit from its buffered copy as `null` or an empty map.
        r#"{"invention":{}}"#,
        r#"{"invention":{ }}"#,
        r#"{"invention":{"a":1}}"#,
        r#"{"invention":[]}"#,
        r#"{}"#,
        "1",
        "null",
    ] {
        let doc = base.replacen(
            "\"patent_type\":\"invention\"",
            &format!("\"patent_type\":{patent_type}"),
            1,
        );
        failures.extend(differs::<PrecheckRequest>(&doc));
    }
    for key in [r#""k\u0069nd""#, r#""kind","kind":"patent""#] {
        let doc = base.replacen("\"kind\":\"patent\"", &format!("{key}:\"patent\""), 1);
        failures.extend(differs::<PrecheckRequest>(&doc));
    }
    // Too deep, inside a right (read whole by both) and after an early fault.
    let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
    let doc = base.replacen(
        "\"kind\":\"patent\"",
        &format!("\"x\":{deep},\"kind\":\"patent\""),
        1,
    );
    failures.extend(differs::<PrecheckRequest>(&doc));
    assert_eq!(
        read::<PrecheckRequest>(&doc).unwrap_err().errors[0].code,
        "json_too_deep"
    );
    failures.extend(differs::<PrecheckRequest>(&format!("{{\"as_of\":x,{deep}")));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Random bytes written over, inserted into or cut from the rich request.
    #[test]
    fn random_edits_are_read_as_serde_does(
        which in 0usize..3,
        at in 0usize..4000,
        cut in 0usize..8,
        insert in proptest::collection::vec(
            prop::sample::select(&br#"{}[]:,"0123456789.-+eE truefalsnul\xu"#[..]),
            0..6,
        ),
    ) {
        if let Some(doc) = edited(which, at, cut, &insert) {
            let d = differs::<PrecheckRequest>(&doc);
            prop_assert!(d.is_none(), "{}", d.unwrap_or_default());
        }
    }
}

/// Inside a pledged right (which serde reads from its buffered copy), a refusal says what
/// serde_json says, in both languages: `null` is "null" and a unit is "unit".
#[test]
fn refusals_inside_a_right_say_what_serde_says() {
    let base = serde_json::to_string(&rich_request()).unwrap();
    let right = "\"patent_type\":\"invention\"";
    let owner = "\"owner\":\"北京京西智算科技有限公司\"";
    assert!(base.contains(right) && base.contains(owner));
    for (from, to) in [
        (right, "\"patent_type\":{\"invention\":1}"),
        (right, "\"patent_type\":{\"invention\":{\"a\":1}}"),
        (right, "\"patent_type\":null"),
        (owner, "\"owner\":null"),
    ] {
        let doc = base.replacen(from, to, 1);
        let serde = parse_json::<PrecheckRequest>(&doc).unwrap_err().errors[0].clone();
        let ours = read::<PrecheckRequest>(&doc).unwrap_err().errors[0].clone();
        assert_eq!((&ours.en, &ours.zh), (&serde.en, &serde.zh), "{to}");
    }
}
