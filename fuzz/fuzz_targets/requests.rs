//! What the routes make of a request before any policy runs: the JSON bodies the
//! components read (an application, a round; any JSON through `service::body`), the path
//! segments and the year in them, the static file a path names, stage names, and the
//! bearer token of `Authorization`.
//! The same input is given to each. None may panic; every refusal must still be a
//! well-formed JSON error; what is accepted must keep the properties the routes rely on.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rules::input::parse_json;
use rules::model::{Application, Round};
use service::auth::{bearer_token, check, secrets_equal, tokens};
use service::error::input_error;
use service::route::{parse_year, segments};

/// A configured access token (at least 16 characters, as `check` demands).
const TOKEN: &str = "0123456789abcdef-fuzz";

fuzz_target!(|data: &[u8]| {
    any_json_body(data);
    halves_compare(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    rules_body::<Application>(text);
    rules_body::<Round>(text);
    reader_agrees::<Application>(text);
    reader_agrees::<Round>(text);
    reader_agrees::<rules::PrecheckRequest>(text);
    path(text);
    static_file(text);
    authorization(text);
});

/// `service::static_path::resolve`: whatever the URL path, a file it names stays inside
/// the mount, is no dotfile, no `precheck/` source, and has no separator smuggled in.
fn static_file(text: &str) {
    let Some(rel) = service::static_path::resolve(text) else {
        return;
    };
    assert!(
        !rel.starts_with('/') && !rel.is_empty(),
        "{text:?} -> {rel:?}"
    );
    assert!(!rel.contains(['\\', '\0']), "{text:?} -> {rel:?}");
    let segs: Vec<&str> = rel.split('/').collect();
    assert!(
        segs.iter().all(|s| !s.is_empty() && !s.starts_with('.')),
        "{text:?} -> {rel:?}"
    );
    assert_ne!(segs[0], "precheck", "{text:?} -> {rel:?}");
    assert!(
        segs.last().is_some_and(|f| f.contains('.')),
        "{text:?} -> {rel:?}"
    );
}

/// `service::body::parse_json`: the bodies of the notices and objections components.
fn any_json_body(data: &[u8]) {
    if let Err(e) = service::body::parse_json::<serde_json::Value>(data) {
        assert_eq!(e.status, 400);
        error_is_json(&e);
    }
}

/// `read_rules_json`: strict parsing of a rules type (intake's application, a round);
/// what parses survives a round trip, and a refusal names its field in valid JSON.
fn rules_body<T>(text: &str)
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    match parse_json::<T>(text) {
        Ok(value) => {
            let json = serde_json::to_string(&value).expect("serialises");
            let again: T = parse_json(&json).expect("a serialised body parses");
            assert_eq!(again, value, "round trip of {json}");
        }
        Err(e) => {
            assert!(!e.errors.is_empty());
            let api = input_error(e);
            assert_eq!(api.status, 400);
            error_is_json(&api);
        }
    }
}

/// `rules::reader` (the pre-check, applications and rounds the components read) accepts
/// what serde accepts, to the same value, and refuses what it refuses, but for a list
/// given for a struct (serde reads its fields by position; the reader refuses it).
fn reader_agrees<T>(text: &str)
where
    T: rules::reader::ReadJson + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    match (parse_json::<T>(text), rules::reader::read::<T>(text)) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
        (Err(_), Err(_)) => {}
        (Err(e), Ok(v)) => panic!("the reader accepts {text:?} as {v:?}; serde: {e:?}"),
        (Ok(_), Err(e)) => {
            let e = &e.errors[0];
            assert!(
                e.code == "wrong_type" && e.en.contains("found sequence"),
                "the reader refuses {text:?}: {e:?}"
            );
        }
    }
}

fn error_is_json(e: &service::ApiError) {
    let json = e.to_json();
    let v: serde_json::Value = serde_json::from_str(&json).expect("an error reply is JSON");
    assert!(v.is_object(), "{json}");
}

/// The path as the components split it, and the year some of its segments hold.
fn path(text: &str) {
    let path = text.split_once('?').map_or(text, |(p, _)| p);
    let segs = segments(path);
    for s in &segs {
        assert!(!s.is_empty() && !s.contains('/'), "{s:?}");
    }
    assert_eq!(segs.concat().len(), path.replace('/', "").len());
    for s in segs.iter().copied().chain(std::iter::once(text)) {
        match parse_year(s) {
            Ok(y) => assert!((2000..=2100).contains(&y), "{s:?} → {y}"),
            Err(e) => {
                assert_eq!(e.status, 400);
                error_is_json(&e);
            }
        }
        if let Some(stage) = store::rounds::parse_stage(s) {
            assert_eq!(
                store::rounds::parse_stage(store::rounds::stage_name(stage)),
                Some(stage)
            );
        }
    }
}

/// `Authorization: Bearer <token>` against one configured token, and the token list of
/// a Spin variable.
fn authorization(header: &str) {
    // The expected reading, written here from RFC 6750 rather than taken from the parser
    // under test: the scheme `Bearer` in any case, a space, then the token (white space
    // around it ignored); anything else presents no token.
    let expected = {
        let h = header.trim();
        let scheme = h.get(..7).map(str::to_ascii_lowercase);
        match (scheme.as_deref(), h.get(7..).map(str::trim)) {
            (Some("bearer "), Some(t)) if !t.is_empty() => Some(t),
            _ => None,
        }
    };
    assert_eq!(bearer_token(Some(header)), expected, "{header:?}");
    match check(Some(header), &[TOKEN]) {
        Ok(()) => assert_eq!(expected, Some(TOKEN), "{header:?}"),
        Err(e) => {
            assert_ne!(expected, Some(TOKEN), "{header:?}");
            assert_eq!(e.status, if expected.is_some() { 403 } else { 401 });
        }
    }
    for t in tokens(header) {
        assert!(!t.is_empty() && !t.contains(',') && !t.contains(char::is_whitespace));
    }
    let digest = service::token::sha256_hex(header.trim().as_bytes());
    assert!(service::token::matches(header, &digest));
}

/// The constant-time comparison is equality.
fn halves_compare(data: &[u8]) {
    let (a, b) = data.split_at(data.len() / 2);
    assert_eq!(secrets_equal(a, b), a == b);
    assert!(secrets_equal(a, a));
}
