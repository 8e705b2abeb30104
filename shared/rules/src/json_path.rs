//! Which field a `serde_json` error is about, read back from the error's line and column.
//!
//! Bodies are deserialised by plain serde_json (one deserialiser per type in a component).
//! When that fails, the text up to the error's position is scanned again, tracking object
//! keys and list indices, and the error is named by the path of the value read there:
//! `application.loans[0].interest_paid`, `records[2]`, `guide` — the format
//! serde_path_to_error wrote (the differential test `tests/json_path.rs` compares them).
//!
//! - a wrong type or value: the value's path (serde_json reports a position at or just
//!   after the value);
//! - `unknown field` (`deny_unknown_fields`): the path of the key;
//! - `missing field` and `duplicate field`: the object's path, `loans[0]` (reported just
//!   after the object's `}`, or at the repeated key), as serde_path_to_error named them;
//! - serde_json gives a position to an error its own parser did not raise only when the
//!   list or object around the value ends (just after its `}` or `]`) or, in a list, when
//!   it has read the `,` after the value: so an error raised after a value was read (a
//!   `try_from` conversion: a rate, a credit code) or inside an object read whole before
//!   its type is chosen (an internally tagged enum: a pledged right) names that value —
//!   the last one of the list or object that just ended, or the element before the `,`
//!   (for a pledged right, the right; and an unknown field inside it, as anywhere else);
//! - a body that is not JSON (a syntax error, cut short) names no field: the empty path,
//!   as for an error about the whole body — except serde_json's "expected value" at the
//!   `[` or `{` of a well-formed value, which is how its enum deserialiser refuses a list
//!   or an object given for a string: that names the value.

use serde_json::error::Category;

/// The JSON path of the field `e` is about, or empty for the whole body or a body that is
/// not JSON. `json` is the text `e` came from (`serde_json::Deserializer::from_slice` or
/// `from_str`: the line and column are counted in bytes).
pub fn error_field(json: &[u8], e: &serde_json::Error) -> String {
    if e.line() > 0 && refused_container(json, e) {
        // Valid JSON, a type error in disguise: serde_json says "expected value" when an
        // enum (a string) is given a list or an object. Name the value it was given.
        let at = offset(json, e.line(), e.column()).saturating_sub(1);
        return Scan::run(&json[..at]).path();
    }
    if e.classify() != Category::Data || e.line() == 0 {
        return String::new();
    }
    let end = offset(json, e.line(), e.column());
    let mut scan = Scan::run(&json[..end]);
    let msg = e.to_string();
    let next = json[end..]
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .copied();
    let top = scan.stack.last_mut();
    // The member at the path's end to name, and the keys of the object an unknown field
    // is looked for in.
    let mut member = None;
    let mut object = None;
    if let Some(closed) = scan.closed.take() {
        // Just after a `}` or `]`: the container's own error (a missing field, a list's
        // length) or one about its last value.
        let last_keys = closed.last.as_ref().and_then(|(_, keys)| keys.as_deref());
        let lacks = |keys: &[String], f: &str| !keys.iter().any(|k| k == f);
        match closed.keys {
            // A list's own error is its length.
            None if msg.starts_with("invalid length ") => {}
            None => (object, member) = last_member(closed.last),
            // An object's own: a field missing from it, or repeated.
            Some(keys) => match missing_field(&msg) {
                Some(f) if lacks(&keys, f) => {}
                Some(f) if last_keys.is_some_and(|k| lacks(k, f)) => {
                    (_, member) = last_member(closed.last)
                }
                Some(_) => {}
                None if unknown_field(&msg, last_keys).is_some() => {
                    (object, member) = last_member(closed.last)
                }
                None if unknown_field(&msg, Some(&keys)).is_some() => object = Some(keys),
                None if msg.starts_with("duplicate field `") => {}
                None => (_, member) = last_member(closed.last),
            },
        }
    } else if let Some(Frame {
        array: true,
        index,
        before_comma: Some(before),
        ..
    }) = top
    {
        // Just after a `,` in a list: the element before it, unless the next one is
        // refused for its first byte (serde_json reports that before the byte).
        let new_element = before.is_none()
            && ((msg.starts_with("invalid type: map") && next == Some(b'{'))
                || (msg.starts_with("invalid type: sequence") && next == Some(b'[')));
        if !new_element {
            *index -= 1;
            object = before.take();
        }
    } else if msg.starts_with("unknown variant `") || msg.starts_with("duplicate field `") {
        // At a key: `{"variant": …}` names an enum's variant, not a field; a repeated
        // field is the object's error.
        if let Some(Frame {
            array: false,
            key,
            in_value: false,
            ..
        }) = top
        {
            *key = None;
        }
    }
    let mut path = scan.path();
    if let Some(m) = member {
        m.push_to(&mut path);
    }
    if let Some(k) = unknown_field(&msg, object.as_deref()) {
        push_key(&mut path, k);
    }
    path
}

/// Whether `e` is serde_json's "expected value" at the `[` or `{` of a well-formed value
/// (how its enum deserialiser refuses a list or an object), not a syntax error.
pub fn refused_container(json: &[u8], e: &serde_json::Error) -> bool {
    e.classify() == Category::Syntax
        && e.to_string().starts_with("expected value")
        && matches!(
            json.get(offset(json, e.line(), e.column()).wrapping_sub(1)),
            Some(b'[' | b'{')
        )
}

/// `x` of "missing field `x`".
fn missing_field(msg: &str) -> Option<&str> {
    msg.strip_prefix("missing field `")?.split('`').next()
}

/// The key among `keys` that "unknown field `x`…" names (the longest that fits, as `a`
/// is a prefix of `a``b`).
fn unknown_field<'k>(msg: &str, keys: Option<&'k [String]>) -> Option<&'k str> {
    let rest = msg.strip_prefix("unknown field `")?;
    keys?
        .iter()
        .filter(|k| {
            rest.strip_prefix(k.as_str())
                .is_some_and(|r| r.starts_with('`'))
        })
        .max_by_key(|k| k.len())
        .map(String::as_str)
}

/// The last member, and its keys when it is an object.
fn last_member(
    last: Option<(Segment, Option<Vec<String>>)>,
) -> (Option<Vec<String>>, Option<Segment>) {
    match last {
        Some((m, keys)) => (keys, Some(m)),
        None => (None, None),
    }
}

/// The byte offset just after the byte serde_json's `line` (1-based) and `column` point
/// at: a column counts the bytes of its line up to and including that byte.
fn offset(json: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match json[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => return json.len(),
        }
    }
    (start + column).min(json.len())
}

/// Appends a key to a path: `application.loans` (also the request reader's paths).
pub(crate) fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// Appends a list index to a path: `loans[0]`.
pub(crate) fn push_index(path: &mut String, index: usize) {
    path.push('[');
    path.push_str(&index.to_string());
    path.push(']');
}

/// A step of a path: an object's key or a list's index.
enum Segment {
    Key(String),
    Index(usize),
}

impl Segment {
    fn push_to(&self, path: &mut String) {
        match self {
            Segment::Key(k) => push_key(path, k),
            Segment::Index(i) => push_index(path, *i),
        }
    }
}

/// One open object or list.
#[derive(Default)]
struct Frame {
    array: bool,
    /// An object's key being read, or whose value is being read.
    key: Option<String>,
    /// An object's: after the key's `:`.
    in_value: bool,
    /// An object's keys so far.
    keys: Vec<String>,
    /// A list's element being read (or the next one, after a `,`).
    index: usize,
    /// The member being read (the key's value, element `index`), once begun, with its
    /// keys once it is an object that has ended.
    value: Option<Option<Vec<String>>>,
    /// A list's element before the `,` just read.
    before_comma: Option<Option<Vec<String>>>,
}

/// The object or list the last token ended.
struct Closed {
    /// Its keys; `None` for a list.
    keys: Option<Vec<String>>,
    /// Its last member, and that member's keys when it is an object.
    last: Option<(Segment, Option<Vec<String>>)>,
}

/// The objects and lists open at the end of a prefix of a JSON text.
struct Scan {
    stack: Vec<Frame>,
    /// Set when the last token is a `}` or `]`.
    closed: Option<Closed>,
}

impl Scan {
    fn run(s: &[u8]) -> Scan {
        let mut scan = Scan {
            stack: Vec::new(),
            closed: None,
        };
        let mut i = 0;
        while i < s.len() {
            let b = s[i];
            i += 1;
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                continue;
            }
            scan.closed = None;
            match b {
                b'"' => {
                    let (text, end) = string(s, i);
                    i = end;
                    match scan.stack.last_mut() {
                        Some(f) if !f.array && !f.in_value => {
                            f.keys.push(text.clone());
                            f.key = Some(text);
                        }
                        _ => scan.begin_value(),
                    }
                }
                b'{' | b'[' => {
                    scan.begin_value();
                    scan.stack.push(Frame {
                        array: b == b'[',
                        ..Frame::default()
                    });
                }
                b'}' | b']' => {
                    if let Some(f) = scan.stack.pop() {
                        let last = match (f.array, f.key, f.value) {
                            (true, _, Some(v)) => Some((Segment::Index(f.index), v)),
                            (false, Some(k), Some(v)) => Some((Segment::Key(k), v)),
                            _ => None,
                        };
                        let keys = (!f.array).then_some(f.keys);
                        if let (Some(parent), Some(keys)) = (scan.stack.last_mut(), &keys) {
                            parent.value = Some(Some(keys.clone()));
                        }
                        scan.closed = Some(Closed { keys, last });
                    }
                }
                b':' => {
                    if let Some(f) = scan.stack.last_mut() {
                        f.in_value = true;
                    }
                }
                b',' => {
                    if let Some(f) = scan.stack.last_mut() {
                        if f.array {
                            f.index += 1;
                            f.before_comma = f.value.take();
                        } else {
                            f.key = None;
                            f.in_value = false;
                            f.value = None;
                        }
                    }
                }
                _ => scan.begin_value(),
            }
        }
        scan
    }

    /// A value begins in the innermost object or list.
    fn begin_value(&mut self) {
        if let Some(f) = self.stack.last_mut() {
            if f.value.is_none() {
                f.value = Some(None);
            }
            f.before_comma = None;
        }
    }

    /// `a.b[2].c`: each object's current key, each list's current element.
    fn path(&self) -> String {
        let mut path = String::new();
        for f in &self.stack {
            if f.array {
                Segment::Index(f.index).push_to(&mut path);
            } else if let Some(k) = &f.key {
                push_key(&mut path, k);
            }
        }
        path
    }
}

/// The string starting at `s[i]` (just after its opening quote), unescaped, and the offset
/// after its closing quote (or the end of `s` for a string cut short).
fn string(s: &[u8], mut i: usize) -> (String, usize) {
    let mut out = Vec::new();
    while i < s.len() {
        let b = s[i];
        i += 1;
        match b {
            b'"' => break,
            b'\\' if i < s.len() => {
                let c = s[i];
                i += 1;
                match c {
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'u' => {
                        let (c, next) = unicode_escape(s, i);
                        i = next;
                        let mut buf = [0; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                    other => out.push(other),
                }
            }
            _ => out.push(b),
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), i)
}

/// The character of a `\uXXXX` escape whose digits start at `s[i]` (a surrogate pair is
/// two escapes), and the offset after it.
fn unicode_escape(s: &[u8], i: usize) -> (char, usize) {
    let hex = |i: usize| {
        s.get(i..i + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    let Some(first) = hex(i) else {
        return (char::REPLACEMENT_CHARACTER, (i + 4).min(s.len()));
    };
    if (0xD800..0xDC00).contains(&first)
        && s.get(i + 4..i + 6) == Some(b"\\u")
        && let Some(second @ 0xDC00..0xE000) = hex(i + 6)
    {
        let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
        return (char::from_u32(c).unwrap_or_default(), i + 10);
    }
    (
        char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER),
        i + 4,
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde::Deserialize;

    /// Also the strict parser's test body (`input.rs`).
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(crate) struct Outer {
        items: Vec<Inner>,
        #[serde(default)]
        tagged: Vec<Tagged>,
    }
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        amount: crate::money::Money,
        #[serde(default)]
        note: Option<String>,
    }
    #[derive(Debug, Deserialize)]
    #[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
    #[allow(dead_code)]
    enum Tagged {
        One { a: u32, b: String },
    }

    fn field(json: &str) -> String {
        let e = serde_json::from_str::<Outer>(json).expect_err(json);
        error_field(json.as_bytes(), &e)
    }

    #[test]
    fn wrong_types_and_values_name_the_value() {
        assert_eq!(
            field(r#"{"items":[{"amount":"1"},{"amount":"x"}]}"#),
            "items[1].amount"
        );
        assert_eq!(
            field(r#"{"items":[{"amount":"1.001"}]}"#),
            "items[0].amount"
        );
        assert_eq!(
            field(r#"{"items":[{"amount":{"x":1}}]}"#),
            "items[0].amount"
        );
        assert_eq!(field(r#"{"items":[{"amount":[1]}]}"#), "items[0].amount");
        assert_eq!(field(r#"{"items":[1]}"#), "items[0]");
        assert_eq!(field(r#"{"items":{}}"#), "items");
        assert_eq!(field("[1]"), "[0]");
        assert_eq!(field("\"x\""), "");
        assert_eq!(
            field("{\n  \"items\": [\n    {\"amount\": \"1\", \"note\": 5}\n  ]\n}"),
            "items[0].note"
        );
    }

    #[test]
    fn unknown_fields_name_the_field_missing_and_repeated_ones_the_object() {
        assert_eq!(field(r#"{"items":[{"amount":"1","x":1}]}"#), "items[0].x");
        assert_eq!(field(r#"{"items":[{"amount":"1"}],"y":[]}"#), "y");
        assert_eq!(field(r#"{"items":[{}]}"#), "items[0]");
        assert_eq!(field(r#"{"items":[{"note":null} ] }"#), "items[0]");
        assert_eq!(field("{}"), "");
        assert_eq!(
            field(r#"{"items":[{"amount":"1","amount":"2"}]}"#),
            "items[0]"
        );
        assert_eq!(field(r#"{"items":[],"items":[]}"#), "");
    }

    #[test]
    fn keys_are_unescaped() {
        assert_eq!(
            field(r#"{"items":[{"amount":"1","a\"b":1}]}"#),
            "items[0].a\"b"
        );
        assert_eq!(
            field(r#"{"items":[{"amount":"1","\u00e9\ud83d\ude00":1}]}"#),
            "items[0].é😀"
        );
        assert_eq!(
            field(r#"{"i\u0074ems":[{"amount":true}]}"#),
            "items[0].amount"
        );
        assert_eq!(
            field(r#"{"items":[{"amount":"1","note":"a,]}\"{["},{"amount":"x"}]}"#),
            "items[1].amount"
        );
    }

    #[test]
    fn internally_tagged_enums_name_their_object() {
        // Read whole before its variant is chosen: an error inside is reported after the
        // object's `}` (or the list's `]` for the last one).
        for (before, at) in [
            ("", "tagged[0]"),
            (r#"{"kind":"one","a":1,"b":""},"#, "tagged[1]"),
        ] {
            for after in ["", r#", {"kind":"one","a":1,"b":""}"#] {
                let t = |right: &str| {
                    field(&format!(
                        r#"{{"tagged":[{before}{right}{after}],"items":[]}}"#
                    ))
                };
                assert_eq!(t(r#"{"kind":"one","a":"x","b":""}"#), at);
                assert_eq!(t(r#"{"kind":"one","a":1}"#), at);
                assert_eq!(t(r#"{"kind":"one","a":1,"b":"","c":2}"#), format!("{at}.c"));
                assert_eq!(t(r#"{"kind":"two"}"#), format!("{at}.kind"));
                assert_eq!(t(r#"{"a":1}"#), at);
            }
        }
    }

    /// Refused after it is read (`try_from`): serde_json positions the error only where
    /// the list or object around it ends, or after the `,` that follows it in a list.
    #[derive(Debug, Deserialize)]
    #[serde(try_from = "String")]
    struct Odd;
    impl TryFrom<String> for Odd {
        type Error = String;
        fn try_from(s: String) -> Result<Odd, String> {
            if s == "odd" {
                Ok(Odd)
            } else {
                Err(format!("{s} is not odd"))
            }
        }
    }
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Conversions {
        list: Vec<Odd>,
        one: Odd,
        #[serde(default)]
        nested: Vec<Vec<Odd>>,
    }

    #[test]
    fn conversions_after_reading_name_their_value() {
        for (json, path) in [
            (r#"{"list":["even"],"one":"odd"}"#, "list[0]"),
            (r#"{"list":["odd", "even" ,"odd"],"one":"odd"}"#, "list[1]"),
            (r#"{"list":["odd","even"],"one":"odd"}"#, "list[1]"),
            (r#"{"list":[],"one":"even"}"#, "one"),
            (r#"{"one":"even" , "list":[]}"#, "one"),
            (
                r#"{"list":[],"one":"odd","nested":[["odd"],["odd","x"]]}"#,
                "nested[1][1]",
            ),
            (
                r#"{"list":[],"one":"odd","nested":[["x"],[]]}"#,
                "nested[0][0]",
            ),
            (r#"{"list":[],"one":"odd","nested":[[],{}]}"#, "nested[1]"),
            (r#"{"list":["odd",{}],"one":"odd"}"#, "list[1]"),
            (r#"{"list":["odd",[]],"one":"odd"}"#, "list[1]"),
        ] {
            let e = serde_json::from_str::<Conversions>(json).expect_err(json);
            let tracked = serde_path_to_error::deserialize::<_, Conversions>(
                &mut serde_json::Deserializer::from_str(json),
            )
            .expect_err(json);
            assert_eq!(tracked.path().to_string(), path, "{json}");
            assert_eq!(error_field(json.as_bytes(), &e), path, "{json}: {e}");
        }
    }

    #[test]
    fn a_body_that_is_not_json_names_no_field() {
        for broken in [
            "",
            "{",
            "nul",
            r#"{"items" 1}"#,
            r#"{"items":[{"amount":"1",}]}"#,
            r#"{"items":[{"amount":"1"}"#,
            r#"{"items":[{"amount":"1}]}"#,
        ] {
            assert_eq!(field(broken), "", "{broken}");
        }
    }

    #[test]
    fn positions_are_bytes() {
        assert_eq!(offset(b"ab\ncd", 1, 2), 2);
        assert_eq!(offset(b"ab\ncd", 2, 1), 4);
        assert_eq!(offset(b"ab\ncd", 3, 1), 5);
        assert_eq!(offset("é\"x".as_bytes(), 1, 3), 3);
    }
}
