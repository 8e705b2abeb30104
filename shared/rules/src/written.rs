//! Dates and moments as the decision's texts write them: what chrono's `Display` writes
//! (`2026-04-30`, `2026-04-30 17:00:00 +08:00`), in one piece instead of a character
//! and a nested format at a time (issue 17: chrono's formatting was a tenth of a
//! decision's time). What the shortcut does not cover (years beyond 0–9999, fractions
//! and leap seconds, offsets with seconds) is chrono's own; property tests hold the
//! shortcut to chrono.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};
use std::fmt::{self, Display, Formatter};

/// A date written as chrono writes it: `{}` of `Date(d)` is `{}` of `d`.
#[derive(Debug, Clone, Copy)]
pub struct Date(pub NaiveDate);

/// A moment written as chrono writes it, in its own offset: `{}` of `Moment(m)` is `{}`
/// of `m`.
#[derive(Debug, Clone, Copy)]
pub struct Moment(pub DateTime<FixedOffset>);

impl Display for Date {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match date_text(self.0) {
            Some(text) => f.write_str(ascii(&text)),
            None => self.0.fmt(f),
        }
    }
}

impl Display for Moment {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let local = self.0.naive_local();
        let offset = self.0.offset().local_minus_utc();
        let date = date_text(local.date());
        let (Some(date), 0, 0) = (date, local.nanosecond(), offset % 60) else {
            return self.0.fmt(f);
        };
        // `YYYY-MM-DD HH:MM:SS +HH:MM`.
        let mut buf = *b"0000-00-00 00:00:00 +00:00";
        buf[..10].copy_from_slice(&date);
        put_two(&mut buf[11..13], local.hour());
        put_two(&mut buf[14..16], local.minute());
        put_two(&mut buf[17..19], local.second());
        if offset < 0 {
            buf[20] = b'-';
        }
        let minutes = offset.unsigned_abs() / 60;
        put_two(&mut buf[21..23], minutes / 60);
        put_two(&mut buf[24..26], minutes % 60);
        f.write_str(ascii(&buf))
    }
}

/// `YYYY-MM-DD`, for years 0 to 9999 (chrono signs the others).
fn date_text(d: NaiveDate) -> Option<[u8; 10]> {
    let year @ 0..=9999 = u32::try_from(d.year()).ok()? else {
        return None;
    };
    let mut text = *b"0000-00-00";
    put_two(&mut text[0..2], year / 100);
    put_two(&mut text[2..4], year % 100);
    put_two(&mut text[5..7], d.month());
    put_two(&mut text[8..10], d.day());
    Some(text)
}

/// Two digits of `n` (below 100).
fn put_two(at: &mut [u8], n: u32) {
    at[0] = b'0' + (n / 10 % 10) as u8;
    at[1] = b'0' + (n % 10) as u8;
}

fn ascii(buf: &[u8]) -> &str {
    // Only ASCII digits and separators were written.
    std::str::from_utf8(buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDateTime, TimeZone};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Every day chrono knows, written as chrono writes it.
        #[test]
        fn dates_are_written_as_chrono_writes_them(days in -100_000_000i64..100_000_000) {
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
            if let Some(d) = epoch.checked_add_signed(chrono::Duration::days(days)) {
                prop_assert_eq!(Date(d).to_string(), d.to_string());
            }
        }

        /// Moments of any offset (seconds too), fractions and leap seconds included.
        #[test]
        fn moments_are_written_as_chrono_writes_them(
            secs in -20_000_000_000i64..300_000_000_000,
            nanos in prop_oneof![Just(0u32), 0u32..2_000_000_000, Just(1_000_000_000)],
            offset in prop_oneof![
                Just(8 * 3600),
                (-86_399i32..86_400).prop_map(|s| s / 60 * 60),
                -86_399i32..86_400,
            ],
        ) {
            let offset = FixedOffset::east_opt(offset).unwrap();
            let Some(utc) = DateTime::from_timestamp(secs, nanos % 1_000_000_000) else {
                return Ok(());
            };
            let local: NaiveDateTime = utc.naive_utc();
            // A leap second where chrono allows one (second 59 of a minute).
            let local = if nanos >= 1_000_000_000 && local.second() == 59 {
                local.with_nanosecond(nanos).unwrap_or(local)
            } else {
                local
            };
            let m = offset.from_utc_datetime(&local);
            prop_assert_eq!(Moment(m).to_string(), m.to_string());
        }
    }

    #[test]
    fn the_windows_moment() {
        let m = DateTime::parse_from_rfc3339("2026-04-30T17:00:00+08:00").unwrap();
        assert_eq!(Moment(m).to_string(), "2026-04-30 17:00:00 +08:00");
        let m = DateTime::parse_from_rfc3339("0099-01-02T03:04:05-09:30").unwrap();
        assert_eq!(Moment(m).to_string(), m.to_string());
        assert_eq!(Date(m.date_naive()).to_string(), "0099-01-02");
    }
}
