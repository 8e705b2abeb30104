//! Dates and moments read as chrono's `FromStr` reads them, which is what serde's
//! `Deserialize` for `NaiveDate` and `DateTime<FixedOffset>` calls: the same spellings
//! accepted, to the same value, and the same refusal in chrono's words. Written out for
//! the two grammars chrono's general format interpreter runs for them (its
//! `parse_rfc3339_relaxed` and `NaiveDate`'s items), which cost the browser bundle more
//! than 8 KB gzipped (issue 17). Property tests hold it to chrono (below).
//!
//! The relaxed grammar, as chrono 0.4 reads it ("space" is any Unicode white space):
//! - a date: space, a year (four digits at most, or any number after a `+` or `-`), space,
//!   `-`, space, a month (one or two digits), space, `-`, space, a day (one or two);
//! - a moment: the date, then `T`, `t` or one space, then the hour, `:`, the minute, `:`, the
//!   second (each one or two digits after optional space; a second of 60 is a leap second),
//!   an optional fraction (`.` and digits, the first nine counted), space, then `Z`, `z`,
//!   `UTC` in any case, or a sign (`+`, `-` or U+2212) with two digits of hours, any colons
//!   and spaces, and two of minutes;
//! - nothing but space after either.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use std::fmt;
use std::ops::RangeInclusive;

/// Why a text is not a date or a moment: chrono's `ParseErrorKind`s that these two
/// grammars can give, each printed as chrono prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    OutOfRange,
    Impossible,
    Invalid,
    TooShort,
    TooLong,
}

use Refusal::*;

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OutOfRange => "input is out of range",
            Impossible => "no possible date and time matching input",
            Invalid => "input contains invalid characters",
            TooShort => "premature end of input",
            TooLong => "trailing input",
        })
    }
}

/// What is left of the text, and what was read from its start.
type Read<'a, T> = Result<(&'a str, T), Refusal>;

/// A date (`NaiveDate`'s `FromStr`).
pub(crate) fn date(s: &str) -> Result<NaiveDate, Refusal> {
    let (rest, ymd) = date_fields(s)?;
    if !space(rest).is_empty() {
        return Err(TooLong);
    }
    to_date(ymd)
}

/// A moment with its offset (`DateTime<FixedOffset>`'s `FromStr`).
pub(crate) fn moment(s: &str) -> Result<DateTime<FixedOffset>, Refusal> {
    let (s, ymd) = date_fields(s)?;
    let s = match s.as_bytes().first() {
        Some(b'T' | b't' | b' ') => &s[1..],
        Some(_) => return Err(Invalid),
        None => return Err(TooShort),
    };
    let (s, [hour, minute, second]) = time_fields(s)?;
    let (s, nano) = match s.strip_prefix('.') {
        Some(digits) => fraction(digits)?,
        None => (s, 0),
    };
    let s = space(s);
    let (s, offset) = match s.as_bytes() {
        [u, t, c, ..] if [*u, *t, *c].eq_ignore_ascii_case(b"UTC") => (&s[3..], 0),
        _ => offset(s)?,
    };
    if !space(s).is_empty() {
        return Err(TooLong);
    }
    // As chrono's `Parsed::to_datetime`: the date's refusal first, then the time's.
    let date = to_date(ymd);
    // A leap second is second 59 with a second's worth of nanoseconds more.
    let (second, nano) = if second == 60 {
        (59, nano + 1_000_000_000)
    } else {
        (second, nano)
    };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nano).ok_or(OutOfRange);
    let local = date?.and_time(time?);
    let offset = FixedOffset::east_opt(offset).ok_or(OutOfRange)?;
    local.and_local_timezone(offset).single().ok_or(Impossible)
}

/// Year, month and day, with the space chrono allows between them.
fn date_fields(s: &str) -> Read<'_, (i32, u32, u32)> {
    // The usual spelling, `YYYY-MM-DD`, read at once: what the general reading below
    // makes of it, the month's bounds checked before the day's.
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1, ..] = *s.as_bytes()
        && let Some([year, month, day]) = digit_pairs([[y0, y1], [y2, y3], [m0, m1], [d0, d1]])
            .map(|[y, r, m, d]| [y * 100 + r, m, d])
    {
        let month = within(month, 1..=12)?;
        let day = within(day, 1..=31)?;
        return Ok((&s[10..], (year as i32, month, day)));
    }
    let (s, year) = year(s)?;
    let s = literal(space(s), b'-')?;
    let (s, month) = field(s, 1..=12)?;
    let s = literal(space(s), b'-')?;
    let (s, day) = field(s, 1..=31)?;
    Ok((s, (year, month, day)))
}

/// Hour, minute and second, with the space chrono allows between them.
fn time_fields(s: &str) -> Read<'_, [u32; 3]> {
    // The usual spelling, `HH:MM:SS`, read at once as below.
    if let [h0, h1, b':', m0, m1, b':', s0, s1, ..] = *s.as_bytes()
        && let Some([hour, minute, second]) = digit_pairs([[h0, h1], [m0, m1], [s0, s1]])
    {
        let hms = [
            within(hour, 0..=23)?,
            within(minute, 0..=59)?,
            within(second, 0..=60)?,
        ];
        return Ok((&s[8..], hms));
    }
    let (s, hour) = field(s, 0..=23)?;
    let s = literal(space(s), b':')?;
    let (s, minute) = field(s, 0..=59)?;
    let s = literal(space(s), b':')?;
    let (s, second) = field(s, 0..=60)?;
    Ok((s, [hour, minute, second]))
}

/// Each pair of ASCII digits as a number below 100, if all are digits.
fn digit_pairs<const N: usize>(pairs: [[u8; 2]; N]) -> Option<[u32; N]> {
    let mut out = [0; N];
    for (n, [a, b]) in out.iter_mut().zip(pairs) {
        if !(a.is_ascii_digit() && b.is_ascii_digit()) {
            return None;
        }
        *n = u32::from(a - b'0') * 10 + u32::from(b - b'0');
    }
    Some(out)
}

/// `n` when within `range` (chrono's check as it sets a field).
fn within(n: u32, range: RangeInclusive<u32>) -> Result<u32, Refusal> {
    if range.contains(&n) {
        Ok(n)
    } else {
        Err(OutOfRange)
    }
}

fn to_date((year, month, day): (i32, u32, u32)) -> Result<NaiveDate, Refusal> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or(OutOfRange)
}

/// A year: four digits at most, unless signed.
fn year(s: &str) -> Read<'_, i32> {
    let s = space(s);
    let (s, year) = if let Some(digits) = s.strip_prefix('-') {
        let (s, n) = number(digits, usize::MAX)?;
        (s, -n)
    } else if let Some(digits) = s.strip_prefix('+') {
        number(digits, usize::MAX)?
    } else {
        number(s, 4)?
    };
    Ok((s, i32::try_from(year).map_err(|_| OutOfRange)?))
}

/// A field of one or two digits after optional space, within `range` (checked as it is
/// read, before what follows, as chrono does).
fn field(s: &str, range: RangeInclusive<i64>) -> Read<'_, u32> {
    let (s, n) = number(space(s), 2)?;
    if !range.contains(&n) {
        return Err(OutOfRange);
    }
    Ok((s, n as u32))
}

/// At least one and at most `most` ASCII digits (chrono's `scan::number`).
fn number(s: &str, most: usize) -> Read<'_, i64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return Err(TooShort);
    }
    let mut n = 0i64;
    for (i, &c) in b.iter().take(most).enumerate() {
        if !c.is_ascii_digit() {
            return if i == 0 {
                Err(Invalid)
            } else {
                Ok((&s[i..], n))
            };
        }
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(i64::from(c - b'0')))
            .ok_or(OutOfRange)?;
    }
    Ok((&s[most.min(b.len())..], n))
}

/// The digits after a second's `.`, as nanoseconds: the first nine count, the rest are
/// passed over.
fn fraction(s: &str) -> Read<'_, u32> {
    const SCALE: [u32; 10] = [
        0,
        100_000_000,
        10_000_000,
        1_000_000,
        100_000,
        10_000,
        1_000,
        100,
        10,
        1,
    ];
    let (rest, n) = number(s, 9)?;
    // Below 10^k for k digits, times 10^(9-k): below 10^9.
    let nano = n as u32 * SCALE[s.len() - rest.len()];
    Ok((rest.trim_start_matches(|c: char| c.is_ascii_digit()), nano))
}

/// `s` without the white space it starts with (`str::trim_start`, Unicode's white space),
/// at once when it starts with a visible ASCII character, as it nearly always does.
fn space(s: &str) -> &str {
    match s.as_bytes().first() {
        Some(&b) if b > b' ' && b < 0x80 => s,
        _ => s.trim_start(),
    }
}

/// An exact byte.
fn literal(s: &str, byte: u8) -> Result<&str, Refusal> {
    match s.as_bytes().first() {
        None => Err(TooShort),
        Some(&b) if b == byte => Ok(&s[1..]),
        Some(_) => Err(Invalid),
    }
}

/// `Z`, `z`, or a signed offset in hours and minutes (chrono's `scan::timezone_offset`
/// with colons or spaces between, Zulu and U+2212 allowed, minutes required).
fn offset(s: &str) -> Read<'_, i32> {
    if let Some(b'Z' | b'z') = s.as_bytes().first() {
        return Ok((&s[1..], 0));
    }
    let (negative, s) = match s.chars().next() {
        Some('+') => (false, &s[1..]),
        Some('-') => (true, &s[1..]),
        Some('−') => (true, &s['−'.len_utf8()..]),
        Some(_) => return Err(Invalid),
        None => return Err(TooShort),
    };
    let two = |s: &str| match *s.as_bytes() {
        [a, b, ..] => Ok((a, b)),
        _ => Err(TooShort),
    };
    let hours = match two(s)? {
        (a @ b'0'..=b'9', b @ b'0'..=b'9') => i32::from((a - b'0') * 10 + (b - b'0')),
        _ => return Err(Invalid),
    };
    let s = match &s[2..] {
        s if s.starts_with(|c: char| c.is_ascii_digit()) => s,
        s => s.trim_start_matches(|c: char| c == ':' || c.is_whitespace()),
    };
    let minutes = match two(s)? {
        (a @ b'0'..=b'5', b @ b'0'..=b'9') => i32::from((a - b'0') * 10 + (b - b'0')),
        (b'6'..=b'9', b'0'..=b'9') => return Err(OutOfRange),
        _ => return Err(Invalid),
    };
    let seconds = hours * 3600 + minutes * 60;
    Ok((&s[2..], if negative { -seconds } else { seconds }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// chrono's answer, as the reader would carry it: the value, or the refusal's words.
    fn chronos<T: std::str::FromStr<Err = chrono::ParseError>>(s: &str) -> Result<T, String> {
        s.parse::<T>().map_err(|e| e.to_string())
    }

    fn ours<T>(r: Result<T, Refusal>) -> Result<T, String> {
        r.map_err(|e| e.to_string())
    }

    /// Pieces from which texts near the grammar are put together: digits of every length,
    /// every separator and sign chrono knows, white space of several kinds, and bytes it
    /// refuses.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{1,3}",
            "[0-9]{4,6}",
            "[0-9]{10,21}",
            prop::sample::select(
                &[
                    "-",
                    ":",
                    "T",
                    "t",
                    " ",
                    ".",
                    "+",
                    "−",
                    "Z",
                    "z",
                    "UTC",
                    "uTc",
                    "UT",
                    "\t",
                    "\u{3000}",
                    "\u{a0}",
                    "::",
                    ": ",
                    "/",
                    "x",
                    "é",
                    "年",
                    "",
                    "00",
                    "60",
                    "59",
                    "24",
                    "23",
                    "99",
                    "13",
                    "12",
                    "31",
                    "32",
                    "29",
                    "02",
                    "2026",
                    "+08:00",
                    "-05:30",
                    "+0800",
                    "+08",
                    "−08:00",
                    "+24:00",
                    "+99:59",
                    "+08:60",
                    "+08:5",
                    ".5",
                    ".123456789",
                    ".1234567891234",
                    "9999",
                    "-262144",
                    "+262143",
                ][..]
            )
            .prop_map(str::to_owned),
        ]
    }

    /// A text made of `piece`s.
    fn pieces(most: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..most).prop_map(|v| v.concat())
    }

    /// A plausible moment, each part replaced now and then by other pieces.
    fn near_moment() -> impl Strategy<Value = String> {
        let part = |normal: &'static str, other: BoxedStrategy<String>| {
            prop_oneof![4 => Just(normal.to_owned()), 1 => other].boxed()
        };
        let digits = |most: usize| {
            proptest::string::string_regex(&format!("[0-9]{{1,{most}}}"))
                .expect("a valid pattern")
                .boxed()
        };
        vec![
            part("2026", prop_oneof![digits(5), pieces(2)].boxed()),
            part("-", pieces(3).boxed()),
            part("04", digits(3)),
            part("-", pieces(3).boxed()),
            part("15", digits(3)),
            part("T", pieces(3).boxed()),
            part("10", digits(3)),
            part(":", pieces(3).boxed()),
            part("00", digits(3)),
            part(":", pieces(3).boxed()),
            part("00", digits(3)),
            part("", pieces(3).boxed()),
            part("+08:00", pieces(3).boxed()),
            part("", pieces(3).boxed()),
        ]
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(30_000))]

        /// Every day of years 0 to 9999 written plainly, and the impossible ones beside.
        #[test]
        fn plain_dates_are_chronos(y in 0u32..10_000, m in 0u32..14, d in 0u32..33) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            prop_assert_eq!(ours(date(&text)), chronos::<NaiveDate>(&text), "{}", text);
        }

        /// Plain moments: every hour, minute and second (leap ones too), fractions, offsets.
        #[test]
        fn plain_moments_are_chronos(
            day in "[0-9]{4}-[01][0-9]-[0-3][0-9]",
            h in 0u32..26, n in 0u32..62, s in 0u32..62,
            fraction in prop::sample::select(&["", ".0", ".5", ".123", ".123456789", ".1234567890123"][..]),
            offset in prop::sample::select(&[
                "Z", "z", "+08:00", "-05:30", "+00:00", "-00:00", "+23:59", "+24:00",
                "+08:60", "+0800", "+08", "", "UTC", "utc", " +08:00", "+08 : 00", "−08:00",
            ][..]),
            t in prop::sample::select(&["T", "t", " "][..]),
        ) {
            let text = format!("{day}{t}{h:02}:{n:02}:{s:02}{fraction}{offset}");
            prop_assert_eq!(ours(moment(&text)), chronos::<DateTime<FixedOffset>>(&text), "{}", text);
        }

        /// Texts near a moment, each part now and then replaced: the same value or the
        /// same refusal, for a date read from them as well.
        #[test]
        fn texts_near_moments_are_read_as_chrono_reads_them(text in near_moment()) {
            prop_assert_eq!(ours(moment(&text)), chronos::<DateTime<FixedOffset>>(&text), "{:?}", text);
            prop_assert_eq!(ours(date(&text)), chronos::<NaiveDate>(&text), "{:?}", text);
            if let Some((day, _)) = text.split_once(['T', 't']) {
                prop_assert_eq!(ours(date(day)), chronos::<NaiveDate>(day), "{:?}", day);
            }
        }

        /// Any text of the grammar's pieces.
        #[test]
        fn any_pieces_are_read_as_chrono_reads_them(text in pieces(12)) {
            prop_assert_eq!(ours(moment(&text)), chronos::<DateTime<FixedOffset>>(&text), "{:?}", text);
            prop_assert_eq!(ours(date(&text)), chronos::<NaiveDate>(&text), "{:?}", text);
        }

        /// Any text at all.
        #[test]
        fn any_text_is_read_as_chrono_reads_it(text in "\\PC{0,40}") {
            prop_assert_eq!(ours(moment(&text)), chronos::<DateTime<FixedOffset>>(&text), "{:?}", text);
            prop_assert_eq!(ours(date(&text)), chronos::<NaiveDate>(&text), "{:?}", text);
        }
    }

    /// Spellings chrono accepts that a hand-written RFC 3339 reader would not, each read.
    #[test]
    fn chronos_relaxed_spellings() {
        for text in [
            "2026-04-15T10:00:00+08:00",
            "2026-04-15t10:00:00z",
            "2026-04-15 10:00:00 UTC",
            " 2026 - 4 - 5T 9: 5: 7.5 +08 : 00 ",
            "+2026-04-15T10:00:00−08:00",
            "2016-12-31T23:59:60.25+00:00",
            "-0001-01-01T00:00:00+00:00",
            "2026-04-15T10:00:00.1234567891234+0800",
        ] {
            let chrono = text.parse::<DateTime<FixedOffset>>();
            assert!(chrono.is_ok(), "{text}");
            assert_eq!(moment(text).ok(), chrono.ok(), "{text}");
        }
        assert_eq!(
            date(" 2026-4-5 "),
            "2026-04-05".parse::<NaiveDate>().map_err(|_| Invalid)
        );
    }

    /// Each refusal, in chrono's words.
    #[test]
    fn refusals_in_chronos_words() {
        for (text, refusal) in [
            ("2026-02-30", OutOfRange),
            ("2026-13-01", OutOfRange),
            ("2026-04-15x", TooLong),
            ("2026-04", TooShort),
            ("20260415", Invalid),
        ] {
            assert_eq!(date(text), Err(refusal), "{text}");
            let chrono = text.parse::<NaiveDate>().unwrap_err().to_string();
            assert_eq!(refusal.to_string(), chrono, "{text}");
        }
        for (text, refusal) in [
            ("2026-04-15T10:00:00+24:00", OutOfRange),
            ("+262142-12-31T23:59:59-01:00", Impossible),
            ("2026-04-15T10:00:00", TooShort),
            ("2026-04-15T10:00:00 +08:00 x", TooLong),
        ] {
            assert_eq!(moment(text), Err(refusal), "{text}");
            let chrono = text
                .parse::<DateTime<FixedOffset>>()
                .unwrap_err()
                .to_string();
            assert_eq!(refusal.to_string(), chrono, "{text}");
        }
    }
}
