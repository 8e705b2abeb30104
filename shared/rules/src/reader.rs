//! The request reader: JSON read straight into the pre-check's types in one pass, with
//! the field path of any refusal (issue 17).
//!
//! serde_json and the derived deserialisers were 38 % of the browser bundle and 42 % of
//! a native pre-check; this reader took the bundle from 136.5 to 98.3 KB gzipped and
//! reads the example request in 2.3 µs where serde took 3.5 (docs/BENCHMARKS.md). It
//! accepts what serde_json and the derived `Deserialize` impls accept, to the same value,
//! and refuses with serde's field, code and words (`tests/reader.rs`, differential over
//! a corpus and random edits, and the fuzz target `requests` hold it to them);
//! `input::explain_*` words both alike. Dates and moments are read by the grammar chrono's
//! `FromStr` runs for serde (`dates`), without chrono's general format interpreter.
//!
//! Where it answers differently, on purpose:
//! - a list given for a struct is refused (serde reads the struct's fields from it by
//!   position);
//! - a refused value inside a pledged right is named by its own path
//!   (`…pledged_rights[0].application_number`); serde names the right, whose content it
//!   reads whole before it knows its kind;
//! - a number the type refuses is quoted as written (`2026.0`), not as serde prints it.

mod dates;
mod request;

use crate::input::{FieldError, InputError, MAX_JSON_DEPTH};
use crate::json_path::{push_index, push_key};
use std::borrow::Cow;

/// A type the reader reads.
pub trait ReadJson: Sized {
    fn read(r: &mut Reader<'_>) -> Result<Self, Stop>;
}

/// The reader stopped at a refusal; the refusal is kept in the reader.
#[derive(Debug)]
pub struct Stop;

/// Reads `json` as one `T` (white space around it only), or says why not.
pub fn read<T: ReadJson>(json: &str) -> Result<T, InputError> {
    let mut r = Reader::new(json);
    let value = T::read(&mut r).and_then(|v| r.end().map(|()| v));
    // A body nested more than MAX_JSON_DEPTH deep is refused as that, before anything in
    // it (as `input::parse_json` does). A body read whole was visited whole, no deeper
    // than the types or `skip`'s limit, so only a refused one needs the scan.
    if value.is_err() && crate::input::deeper_than(json, MAX_JSON_DEPTH) {
        return Err(crate::input::too_deep());
    }
    value.map_err(|Stop| InputError {
        errors: vec![r.error.take().unwrap_or_else(|| {
            FieldError::new(
                "",
                "internal",
                "内部错误".to_owned(),
                "internal error".to_owned(),
            )
        })],
    })
}

/// A position in a JSON text and the path to the value there.
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    path: Vec<Step<'a>>,
    error: Option<FieldError>,
    /// Reading a pledged right's members, which serde reads from its buffered copy of the
    /// right: an enum may be given there as a map whose value is `null` or `{}`.
    buffered: bool,
}

enum Step<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

/// A number as serde_json reads it: an integer when it fits, else a float.
enum Number<'a> {
    Unsigned(u64),
    Signed(i64),
    Float(&'a str),
}

/// What a refused value is, in serde's words.
enum Found<'a> {
    Str(Cow<'a, str>),
    Number(Number<'a>),
    Bool(bool),
    Null,
    List,
    Object,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            pos: 0,
            path: Vec::with_capacity(8),
            error: None,
            buffered: false,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// Skips white space and gives the next byte, if any.
    fn peek(&mut self) -> Option<u8> {
        let b = self.bytes();
        while let Some(&c) = b.get(self.pos) {
            if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(c);
            }
            self.pos += 1;
        }
        None
    }

    /// Nothing but white space after the value.
    fn end(&mut self) -> Result<(), Stop> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.syntax(self.pos)),
        }
    }

    // --- refusals -------------------------------------------------------------------

    fn fail(&mut self, field: String, (code, zh, en): (&'static str, String, String)) -> Stop {
        self.error = Some(FieldError {
            field,
            code: code.to_owned(),
            zh,
            en,
        });
        Stop
    }

    /// Not JSON at byte `at` (the body as a whole: no field).
    fn syntax(&mut self, at: usize) -> Stop {
        let before = &self.bytes()[..at.min(self.text.len())];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = at
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        self.fail(String::new(), crate::input::explain_syntax(line, column))
    }

    /// Not JSON: the body ends inside a value.
    fn eof(&mut self) -> Stop {
        self.fail(String::new(), crate::input::explain_eof())
    }

    /// A well-formed value refused, serde's message `msg`, named by the current path
    /// (and `key` below it).
    fn refuse(&mut self, key: Option<&str>, msg: &str) -> Stop {
        let mut field = self.path_text();
        if let Some(k) = key {
            push_key(&mut field, k);
        }
        self.fail(field, crate::input::explain_data(msg))
    }

    fn path_text(&self) -> String {
        let mut s = String::new();
        for step in &self.path {
            match step {
                Step::Key(k) => push_key(&mut s, k),
                Step::Index(i) => push_index(&mut s, *i),
            }
        }
        s
    }

    /// serde's "invalid type: …, expected …".
    fn invalid_type(&mut self, found: Found<'_>, expected: &str) -> Stop {
        let found = match found {
            Found::Str(s) => format!("string {s:?}"),
            Found::Number(Number::Unsigned(n)) => format!("integer `{n}`"),
            Found::Number(Number::Signed(n)) => format!("integer `{n}`"),
            Found::Number(Number::Float(text)) => format!("floating point `{text}`"),
            Found::Bool(b) => format!("boolean `{b}`"),
            Found::Null => "null".to_owned(),
            Found::List => "sequence".to_owned(),
            Found::Object => "map".to_owned(),
        };
        self.refuse(None, &format!("invalid type: {found}, expected {expected}"))
    }

    /// The value here refused by its type (`expected`), described as serde_json does:
    /// read far enough to say what it is.
    fn wrong_type(&mut self, expected: &str) -> Stop {
        let found = match self.peek() {
            None => return self.eof(),
            Some(b'"') => match self.string() {
                Ok(s) => Found::Str(s),
                Err(stop) => return stop,
            },
            Some(b'-' | b'0'..=b'9') => match self.number() {
                Ok(n) => Found::Number(n),
                Err(stop) => return stop,
            },
            Some(b't') => match self.literal(b"true") {
                Ok(()) => Found::Bool(true),
                Err(stop) => return stop,
            },
            Some(b'f') => match self.literal(b"false") {
                Ok(()) => Found::Bool(false),
                Err(stop) => return stop,
            },
            Some(b'n') => match self.literal(b"null") {
                Ok(()) => Found::Null,
                Err(stop) => return stop,
            },
            Some(b'[') => Found::List,
            Some(b'{') => Found::Object,
            Some(_) => return self.syntax(self.pos),
        };
        self.invalid_type(found, expected)
    }

    // --- tokens -----------------------------------------------------------------------

    /// `true`, `false` or `null`, starting here.
    fn literal(&mut self, word: &[u8]) -> Result<(), Stop> {
        for &w in word {
            match self.bytes().get(self.pos) {
                None => return Err(self.eof()),
                Some(&b) if b == w => self.pos += 1,
                Some(_) => return Err(self.syntax(self.pos)),
            }
        }
        Ok(())
    }

    /// A string starting at its `"`, unescaped (borrowed when it holds no escape).
    fn string(&mut self) -> Result<Cow<'a, str>, Stop> {
        let b = self.bytes();
        self.pos += 1;
        // The run since the last escape; the text unescaped so far, once there is one.
        let mut run = self.pos;
        let mut unescaped: Option<String> = None;
        loop {
            match b.get(self.pos) {
                None => return Err(self.eof()),
                Some(b'"') => {
                    let tail = &self.text[run..self.pos];
                    self.pos += 1;
                    return Ok(match unescaped {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                Some(b'\\') => {
                    let s = unescaped.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..self.pos]);
                    let Some(&e) = b.get(self.pos + 1) else {
                        return Err(self.eof());
                    };
                    self.pos += 2;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.syntax(self.pos - 1)),
                    };
                    s.push(c);
                    run = self.pos;
                }
                Some(&c) if c < 0x20 => return Err(self.syntax(self.pos)),
                // Plain bytes: past whole words of them at once, then one.
                Some(_) => self.pos = crate::json_write::plain_run(b, self.pos + 1),
            }
        }
    }

    /// The rest of a `\u` escape (a surrogate pair when it is one), as serde_json reads
    /// it into a string: a lone surrogate is refused.
    fn unicode_escape(&mut self) -> Result<char, Stop> {
        let n = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            return Err(self.syntax(self.pos));
        }
        if !(0xD800..=0xDBFF).contains(&n) {
            return char::from_u32(n).ok_or_else(|| self.syntax(self.pos));
        }
        for expected in [b'\\', b'u'] {
            match self.bytes().get(self.pos) {
                None => return Err(self.eof()),
                Some(&c) if c == expected => self.pos += 1,
                Some(_) => return Err(self.syntax(self.pos)),
            }
        }
        let low = self.hex4()?;
        if !(0xDC00..=0xDFFF).contains(&low) {
            return Err(self.syntax(self.pos));
        }
        let c = 0x1_0000 + ((n - 0xD800) << 10) + (low - 0xDC00);
        char::from_u32(c).ok_or_else(|| self.syntax(self.pos))
    }

    fn hex4(&mut self) -> Result<u32, Stop> {
        let mut n = 0;
        for _ in 0..4 {
            let Some(&c) = self.bytes().get(self.pos) else {
                return Err(self.eof());
            };
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return Err(self.syntax(self.pos)),
            };
            n = n * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(n)
    }

    /// A number starting here (`-` or a digit), as serde_json reads one: an integer that
    /// fits `u64` (or, negative, `i64`) is one; any other is a float, refused when it
    /// would be infinite.
    fn number(&mut self) -> Result<Number<'a>, Stop> {
        let b = self.bytes();
        let start = self.pos;
        let positive = b[self.pos] != b'-';
        if !positive {
            self.pos += 1;
        }
        let digit = |i: usize| b.get(i).filter(|c| c.is_ascii_digit()).map(|c| c - b'0');
        let mut significand: u64 = match b.get(self.pos) {
            None => return Err(self.eof()),
            Some(b'0') => {
                self.pos += 1;
                if digit(self.pos).is_some() {
                    return Err(self.syntax(self.pos));
                }
                0
            }
            Some(c @ b'1'..=b'9') => {
                self.pos += 1;
                u64::from(c - b'0')
            }
            Some(_) => return Err(self.syntax(self.pos)),
        };
        // serde_json keeps the first digits that fit a u64 and counts the rest as a
        // power of ten.
        let mut exponent: i32 = 0;
        let mut overflowed = false;
        while let Some(d) = digit(self.pos) {
            self.pos += 1;
            match significand
                .checked_mul(10)
                .and_then(|s| s.checked_add(u64::from(d)))
            {
                Some(s) if !overflowed => significand = s,
                _ => {
                    overflowed = true;
                    exponent += 1;
                }
            }
        }
        let mut float = overflowed;
        if b.get(self.pos) == Some(&b'.') {
            float = true;
            self.pos += 1;
            let mut any = false;
            // Digits after the point join the significand while it fits, as serde_json
            // has it (even after the integer part overflowed), the rest are dropped.
            let mut full = false;
            while let Some(d) = digit(self.pos) {
                self.pos += 1;
                any = true;
                if full {
                    continue;
                }
                match significand
                    .checked_mul(10)
                    .and_then(|s| s.checked_add(u64::from(d)))
                {
                    Some(s) => {
                        significand = s;
                        exponent -= 1;
                    }
                    None => full = true,
                }
            }
            if !any {
                return Err(match b.get(self.pos) {
                    None => self.eof(),
                    Some(_) => self.syntax(self.pos),
                });
            }
        }
        if matches!(b.get(self.pos), Some(b'e' | b'E')) {
            float = true;
            self.pos += 1;
            let positive_exp = match b.get(self.pos) {
                Some(b'+') => {
                    self.pos += 1;
                    true
                }
                Some(b'-') => {
                    self.pos += 1;
                    false
                }
                _ => true,
            };
            let mut exp: i32 = match b.get(self.pos) {
                None => return Err(self.eof()),
                Some(c @ b'0'..=b'9') => i32::from(c - b'0'),
                Some(_) => return Err(self.syntax(self.pos)),
            };
            self.pos += 1;
            let mut huge = false;
            while let Some(d) = digit(self.pos) {
                self.pos += 1;
                match exp
                    .checked_mul(10)
                    .and_then(|e| e.checked_add(i32::from(d)))
                {
                    Some(e) if !huge => exp = e,
                    _ => huge = true,
                }
            }
            if huge {
                if significand != 0 && positive_exp {
                    return Err(self.syntax(self.pos));
                }
                return Ok(Number::Float(&self.text[start..self.pos]));
            }
            exponent = if positive_exp {
                exponent.saturating_add(exp)
            } else {
                exponent.saturating_sub(exp)
            };
        }
        if float {
            if is_infinite(significand, exponent) {
                return Err(self.syntax(self.pos));
            }
            return Ok(Number::Float(&self.text[start..self.pos]));
        }
        if positive {
            return Ok(Number::Unsigned(significand));
        }
        // `-0` is the float -0.0 to serde_json, as is a negative beyond i64.
        match (significand as i64).wrapping_neg() {
            n if n >= 0 => Ok(Number::Float(&self.text[start..self.pos])),
            n => Ok(Number::Signed(n)),
        }
    }

    /// Any JSON value, checked and passed over (a pledged right's members on the first
    /// of its two readings), at most [`MAX_JSON_DEPTH`] deep (deeper, [`read`] refuses
    /// the body as too deep).
    fn skip(&mut self) -> Result<(), Stop> {
        self.skip_nested(0)
    }

    fn skip_nested(&mut self, depth: usize) -> Result<(), Stop> {
        if depth > MAX_JSON_DEPTH {
            return Err(self.syntax(self.pos));
        }
        match self.peek() {
            None => Err(self.eof()),
            Some(b'"') => self.string().map(drop),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'[') => {
                self.pos += 1;
                let mut first = true;
                while self.next_element(&mut first)? {
                    self.skip_nested(depth + 1)?;
                }
                Ok(())
            }
            Some(b'{') => {
                self.pos += 1;
                let mut first = true;
                while self.next_key(&mut first)?.is_some() {
                    self.colon()?;
                    self.skip_nested(depth + 1)?;
                }
                Ok(())
            }
            Some(_) => Err(self.syntax(self.pos)),
        }
    }

    // --- lists and objects -----------------------------------------------------------

    /// After a list's `[` or one of its elements: whether another element follows
    /// (positioned at it), or the list ended (its `]` passed).
    fn next_element(&mut self, first: &mut bool) -> Result<bool, Stop> {
        match self.peek() {
            Some(b']') => {
                self.pos += 1;
                return Ok(false);
            }
            Some(b',') if !*first => {
                self.pos += 1;
                match self.peek() {
                    Some(b']') => return Err(self.syntax(self.pos)),
                    Some(_) => {}
                    None => return Err(self.eof()),
                }
            }
            Some(_) if *first => {}
            Some(_) => return Err(self.syntax(self.pos)),
            None => return Err(self.eof()),
        }
        *first = false;
        Ok(true)
    }

    /// After an object's `{` or one of its members: the next key (positioned after it),
    /// or `None` when the object ended (its `}` passed).
    fn next_key(&mut self, first: &mut bool) -> Result<Option<Cow<'a, str>>, Stop> {
        match self.peek() {
            Some(b'}') => {
                self.pos += 1;
                return Ok(None);
            }
            Some(b',') if !*first => {
                self.pos += 1;
                match self.peek() {
                    Some(b'"') => {}
                    Some(_) => return Err(self.syntax(self.pos)),
                    None => return Err(self.eof()),
                }
            }
            Some(b'"') if *first => {}
            Some(_) => return Err(self.syntax(self.pos)),
            None => return Err(self.eof()),
        }
        *first = false;
        self.string().map(Some)
    }

    fn colon(&mut self) -> Result<(), Stop> {
        match self.peek() {
            Some(b':') => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(self.syntax(self.pos)),
            None => Err(self.eof()),
        }
    }

    /// A list of `T`s.
    fn list<T: ReadJson>(&mut self) -> Result<Vec<T>, Stop> {
        match self.peek() {
            None => return Err(self.eof()),
            Some(b'[') => self.pos += 1,
            Some(_) => return Err(self.wrong_type("a sequence")),
        }
        let mut out = Vec::new();
        let mut first = true;
        while self.next_element(&mut first)? {
            self.path.push(Step::Index(out.len()));
            out.push(T::read(self)?);
            self.path.pop();
        }
        Ok(out)
    }

    /// An object read into a struct as serde's derived `deserialize` reads it: `name` is
    /// serde's ("struct Loan"), `fields` the members in declaration order, `required`
    /// those without a default (bit `i` for `fields[i]`); `member(r, i)` reads the value
    /// of `fields[i]`. Members named `skip` are passed over (a right's `kind`). Unknown
    /// and repeated members are refused, then the first required one missing.
    fn object(
        &mut self,
        name: &str,
        fields: &[&str],
        required: u32,
        skip: Option<&str>,
        member: &mut dyn FnMut(&mut Self, usize) -> Result<(), Stop>,
    ) -> Result<(), Stop> {
        match self.peek() {
            None => return Err(self.eof()),
            Some(b'{') => self.pos += 1,
            Some(b'[') => return Err(self.invalid_type(Found::List, name)),
            Some(_) => return Err(self.wrong_type(name)),
        }
        let mut seen = 0u32;
        let mut first = true;
        // Members usually come in the order declared: the search starts after the last
        // one read, so it mostly hits at once (names are unique, so the order of the
        // search changes nothing else).
        let mut after = 0;
        while let Some(key) = self.next_key(&mut first)? {
            if skip == Some(&*key) {
                self.colon()?;
                self.skip()?;
                continue;
            }
            let (tail, head) = fields.split_at(after);
            let found = head.iter().position(|f| *f == key).map(|i| i + after);
            let Some(i) = found.or_else(|| tail.iter().position(|f| *f == key)) else {
                let msg = unknown("field", &key, fields);
                return Err(self.refuse(Some(&key), &msg));
            };
            if seen & (1 << i) != 0 {
                return Err(self.refuse(None, &format!("duplicate field `{}`", fields[i])));
            }
            seen |= 1 << i;
            after = i + 1;
            self.colon()?;
            self.path.push(Step::Key(key));
            member(self, i)?;
            self.path.pop();
        }
        if let Some(f) = (0..fields.len()).find(|&i| required & !seen & (1 << i) != 0) {
            return Err(self.refuse(None, &format!("missing field `{}`", fields[f])));
        }
        Ok(())
    }

    /// A string value, refused as serde does for a type expecting `expected`.
    fn str_value(&mut self, expected: &str) -> Result<Cow<'a, str>, Stop> {
        match self.peek() {
            None => Err(self.eof()),
            Some(b'"') => self.string(),
            Some(_) => Err(self.wrong_type(expected)),
        }
    }

    /// A unit variant of an enum whose names are `variants`: `"name"`, or `{"name":
    /// null}` as serde_json also reads one (any other value is not JSON to it; a list
    /// given is named).
    fn variant(&mut self, variants: &[&str]) -> Result<usize, Stop> {
        if self.buffered {
            return self.buffered_variant(variants);
        }
        match self.peek() {
            None => Err(self.eof()),
            Some(b'"') => {
                let name = self.string()?;
                self.variant_named(&name, variants)
            }
            Some(b'{') => {
                self.pos += 1;
                let name = match self.peek() {
                    None => return Err(self.eof()),
                    Some(b'"') => self.string()?,
                    Some(_) => return Err(self.syntax(self.pos)),
                };
                let i = self.variant_named(&name, variants)?;
                self.colon()?;
                // serde_json names the unit value by the variant, as a member.
                self.path.push(Step::Key(name));
                match self.peek() {
                    Some(b'n') => self.literal(b"null")?,
                    _ => return Err(self.wrong_type("unit")),
                }
                self.path.pop();
                match self.peek() {
                    Some(b'}') => {
                        self.pos += 1;
                        Ok(i)
                    }
                    Some(_) => Err(self.syntax(self.pos)),
                    None => Err(self.eof()),
                }
            }
            Some(b'[') => {
                let at = self.pos + 1;
                let field = self.path_text();
                let stop = self.syntax(at);
                if let Some(e) = &mut self.error {
                    e.field = field;
                }
                Err(stop)
            }
            Some(_) => Err(self.syntax(self.pos + 1)),
        }
    }

    /// An enum read from serde's buffered copy (inside a pledged right): a string, or a
    /// map of one member whose value is `null` or `{}`.
    fn buffered_variant(&mut self, variants: &[&str]) -> Result<usize, Stop> {
        match self.peek() {
            Some(b'"') => {
                let name = self.string()?;
                self.variant_named(&name, variants)
            }
            Some(b'{') => {
                self.pos += 1;
                let mut first = true;
                let Some(name) = self.next_key(&mut first)? else {
                    return Err(
                        self.refuse(None, "invalid value: map, expected map with a single key")
                    );
                };
                self.colon()?;
                let value = self.pos;
                self.skip()?;
                if self.next_key(&mut first)?.is_some() {
                    return Err(
                        self.refuse(None, "invalid value: map, expected map with a single key")
                    );
                }
                let end = self.pos;
                let i = self.variant_named(&name, variants)?;
                // serde reads a unit from its buffered copy as `null` or as an empty map.
                self.pos = value;
                let unit = match self.peek() {
                    Some(b'n') => true,
                    Some(b'{') => {
                        self.pos += 1;
                        self.peek() == Some(b'}')
                    }
                    _ => false,
                };
                if !unit {
                    self.pos = value;
                    return Err(self.wrong_type("unit"));
                }
                self.pos = end;
                Ok(i)
            }
            _ => Err(self.wrong_type("string or map")),
        }
    }

    fn variant_named(&mut self, name: &str, variants: &[&str]) -> Result<usize, Stop> {
        match variants.iter().position(|v| *v == name) {
            Some(i) => Ok(i),
            None => {
                let msg = unknown("variant", name, variants);
                Err(self.refuse(None, &msg))
            }
        }
    }
}

/// serde's "unknown field `x`, expected one of `a`, `b`" (or variant).
fn unknown(what: &str, name: &str, known: &[&str]) -> String {
    let mut msg = format!("unknown {what} `{name}`, ");
    match known {
        [] => msg.push_str(&format!("there are no {what}s")),
        [a] => msg.push_str(&format!("expected `{a}`")),
        [a, b] => msg.push_str(&format!("expected `{a}` or `{b}`")),
        all => {
            msg.push_str("expected one of ");
            for (i, k) in all.iter().enumerate() {
                if i > 0 {
                    msg.push_str(", ");
                }
                msg.push('`');
                msg.push_str(k);
                msg.push('`');
            }
        }
    }
    msg
}

/// Whether serde_json finds `significand × 10^exponent` too large for an `f64` (it
/// refuses such a number as not JSON): its own arithmetic, so the answer is its answer.
/// It multiplies by the power of ten from its table; below 10^289 even `u64::MAX` times
/// it is finite, above 10^308 anything but zero is too large, and a negative exponent
/// divides.
fn is_infinite(significand: u64, exponent: i32) -> bool {
    match exponent {
        ..289 => false,
        309.. => significand != 0,
        e => (significand as f64 * POW10_TOP[(e - 289) as usize]).is_infinite(),
    }
}

/// 10^289 to 10^308, as serde_json's table has them.
#[rustfmt::skip]
const POW10_TOP: [f64; 20] = [
    1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298,
    1e299, 1e300, 1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
];
