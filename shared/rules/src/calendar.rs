//! The working-day calendar of the State Council holiday arrangements, and the notice
//! period of PROC-NOTICE / PROC-OBJECT counted on it (RULES.md, reading 7).
//!
//! The data is `data/calendar.json`, one entry per calendar year; adding 2027 once the
//! State Council publishes it is a data-only change. A date in a year that is not loaded
//! is an error (`year_not_loaded`), never a guess.
//!
//! Days are filed under the calendar year they fall in. A notice for year Y has at times
//! moved days of late December of Y − 1 (the 2019 notice did); such days go into the
//! entry of Y − 1.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Weekday};
use serde::{Deserialize, Serialize};

/// The official arrangements, checked by the tests below so that [`Calendar::official`]
/// cannot fail at runtime.
const OFFICIAL_JSON: &str = include_str!("../data/calendar.json");

/// China Standard Time, UTC+08:00 (evaluated at compile time, so it cannot panic).
const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+08:00 is a valid offset"),
};

/// The time zone of the district government (Asia/Shanghai) as a fixed offset.
///
/// A fixed UTC+08:00 is exact for every date this crate handles: the whole of China
/// keeps one time zone, and daylight saving time was last observed in 1991 (IANA
/// `Asia/Shanghai` has been +08:00 without transitions since 1991-09-15). Dates before
/// that are never loaded in the calendar, so they end in `year_not_loaded` anyway.
pub fn shanghai() -> FixedOffset {
    SHANGHAI
}

/// A date as chrono's `%Y-%m-%d` writes it (`%Y`: four digits, with a sign outside
/// 0–9999), by hand: chrono's strftime machinery costs kilobytes in every component that
/// formats with it.
pub fn ymd(d: &impl Datelike) -> String {
    let y = d.year();
    if (0..10_000).contains(&y) {
        format!("{y:04}-{:02}-{:02}", d.month(), d.day())
    } else {
        format!("{y:+05}-{:02}-{:02}", d.month(), d.day())
    }
}

/// An error of the calendar, with a machine code and messages in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarError {
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

impl std::error::Error for CalendarError {}

fn error(code: &'static str, zh: String, en: String) -> CalendarError {
    CalendarError { code, zh, en }
}

/// One official holiday: an inclusive range of days off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub zh: String,
    pub en: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Holiday {
    /// Whether `date` is one of the days off of this holiday.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }
}

/// The State Council arrangement of one calendar year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearArrangement {
    pub year: i32,
    /// The notice the data was taken from, so it can be checked.
    pub source: String,
    pub holidays: Vec<Holiday>,
    /// Weekend days that are working days (调休).
    pub adjusted_working_days: Vec<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    years: Vec<YearArrangement>,
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

impl YearArrangement {
    /// Checks the data of one year: dates inside the year, ranges in order, holidays not
    /// overlapping one another nor an adjusted day, adjusted days on weekends only.
    fn validate(&self) -> Result<(), CalendarError> {
        let year = self.year;
        let outside = |what_zh: &str, what_en: &str, date: NaiveDate| {
            error(
                "calendar_date_outside_year",
                format!("{year} 年安排中的{what_zh} {date} 不在 {year} 年内"),
                format!("{what_en} {date} in the arrangement for {year} is not in {year}"),
            )
        };
        for h in &self.holidays {
            if h.zh.trim().is_empty() || h.en.trim().is_empty() {
                return Err(error(
                    "calendar_missing_name",
                    format!("{year} 年从 {} 开始的假日缺少中文或英文名称", h.first),
                    format!(
                        "the holiday starting {} in {year} lacks a Chinese or English name",
                        h.first
                    ),
                ));
            }
            for date in [h.first, h.last] {
                if date.year() != year {
                    return Err(outside(
                        &format!("“{}”的日期", h.zh),
                        &format!("holiday date of \"{}\"", h.en),
                        date,
                    ));
                }
            }
            if h.first > h.last {
                return Err(error(
                    "calendar_holiday_reversed",
                    format!(
                        "假日“{}”的开始日期 {} 晚于结束日期 {}",
                        h.zh, h.first, h.last
                    ),
                    format!(
                        "holiday \"{}\" starts on {} after it ends on {}",
                        h.en, h.first, h.last
                    ),
                ));
            }
        }
        let mut sorted: Vec<&Holiday> = self.holidays.iter().collect();
        sorted.sort_by_key(|h| h.first);
        for pair in sorted.windows(2) {
            if let [a, b] = pair
                && b.first <= a.last
            {
                return Err(error(
                    "calendar_overlapping_holidays",
                    format!("假日“{}”与“{}”在 {} 重叠", a.zh, b.zh, b.first),
                    format!(
                        "holidays \"{}\" and \"{}\" overlap on {}",
                        a.en, b.en, b.first
                    ),
                ));
            }
        }
        for (i, &date) in self.adjusted_working_days.iter().enumerate() {
            if date.year() != year {
                return Err(outside("调休上班日", "adjusted working day", date));
            }
            if !is_weekend(date) {
                return Err(error(
                    "calendar_adjusted_not_weekend",
                    format!(
                        "调休上班日 {date} 应为星期六或星期日，实为{}",
                        weekday_zh(date)
                    ),
                    format!(
                        "adjusted working day {date} must be a Saturday or Sunday, but is a {:?}",
                        date.weekday()
                    ),
                ));
            }
            if self
                .adjusted_working_days
                .get(..i)
                .is_some_and(|before| before.contains(&date))
            {
                return Err(error(
                    "calendar_duplicate_adjusted_day",
                    format!("调休上班日 {date} 重复列出"),
                    format!("adjusted working day {date} is listed twice"),
                ));
            }
            if let Some(h) = self.holidays.iter().find(|h| h.contains(date)) {
                return Err(error(
                    "calendar_holiday_on_adjusted_day",
                    format!("{date} 既是假日“{}”又是调休上班日", h.zh),
                    format!(
                        "{date} is both in holiday \"{}\" and an adjusted working day",
                        h.en
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn weekday_zh(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

/// Working days per the State Council arrangements (reading 7): official holidays are
/// days off, adjusted weekend days (调休) are working days, other weekends are days off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, YearArrangement>,
}

impl Calendar {
    /// The embedded official calendar (`data/calendar.json`).
    pub fn official() -> Calendar {
        // The embedded file is parsed and validated by `official_calendar_parses`.
        Calendar::from_json(OFFICIAL_JSON).expect("embedded data/calendar.json is valid")
    }

    /// Parses and validates a calendar in the format of `data/calendar.json`.
    pub fn from_json(json: &str) -> Result<Calendar, CalendarError> {
        let file: CalendarFile = serde_json::from_slice(json.as_bytes()).map_err(|e| {
            error(
                "calendar_malformed",
                format!("节假日安排数据格式不正确：{e}"),
                format!("holiday arrangement data is malformed: {e}"),
            )
        })?;
        if file.years.is_empty() {
            return Err(error(
                "calendar_empty",
                "节假日安排数据中没有任何年份".to_owned(),
                "holiday arrangement data holds no year".to_owned(),
            ));
        }
        let mut years = BTreeMap::new();
        for arrangement in file.years {
            arrangement.validate()?;
            let year = arrangement.year;
            if years.insert(year, arrangement).is_some() {
                return Err(error(
                    "calendar_duplicate_year",
                    format!("{year} 年的节假日安排出现了两次"),
                    format!("the holiday arrangement for {year} appears twice"),
                ));
            }
        }
        Ok(Calendar { years })
    }

    /// The years whose arrangement is loaded, in order.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// The arrangement of one year, if loaded.
    pub fn arrangement(&self, year: i32) -> Option<&YearArrangement> {
        self.years.get(&year)
    }

    fn loaded(&self, date: NaiveDate) -> Result<&YearArrangement, CalendarError> {
        let year = date.year();
        self.years.get(&year).ok_or_else(|| {
            let loaded: Vec<String> = self.years.keys().map(i32::to_string).collect();
            error(
                "year_not_loaded",
                format!(
                    "尚未载入 {year} 年的国务院节假日安排，无法判断 {date} 是否为工作日（已载入：{}）",
                    loaded.join("、")
                ),
                format!(
                    "the State Council holiday arrangement for {year} is not loaded, so whether {date} is a working day cannot be decided (loaded: {})",
                    loaded.join(", ")
                ),
            )
        })
    }

    /// The official holiday `date` falls in, if any. Reading 7.
    pub fn holiday_on(&self, date: NaiveDate) -> Result<Option<&Holiday>, CalendarError> {
        Ok(self
            .loaded(date)?
            .holidays
            .iter()
            .find(|h| h.contains(date)))
    }

    /// Whether `date` is a working day. Reading 7; `year_not_loaded` when the year's
    /// arrangement is missing.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let arrangement = self.loaded(date)?;
        if arrangement.holidays.iter().any(|h| h.contains(date)) {
            return Ok(false);
        }
        if arrangement.adjusted_working_days.contains(&date) {
            return Ok(true);
        }
        Ok(!is_weekend(date))
    }

    /// The `n`-th working day counting from `start`: day 1 is `start` itself when it is
    /// a working day, else the next working day (PROC-NOTICE, reading 7). `n` ≥ 1.
    pub fn nth_working_day_from(
        &self,
        start: NaiveDate,
        n: u32,
    ) -> Result<NaiveDate, CalendarError> {
        if n == 0 {
            return Err(zero_days());
        }
        let mut date = start;
        let mut count = 0u32;
        // Terminates: every step moves one day on, and the loaded years are finite.
        loop {
            if self.is_working_day(date)? {
                count += 1;
                if count == n {
                    return Ok(date);
                }
            }
            date = date.succ_opt().ok_or_else(|| out_of_range(date))?;
        }
    }

    /// The working day `n` working days after `date`, not counting `date` itself
    /// (the usual "T + n"); `n = 0` gives `date` unchanged. For PROC-NOTICE use
    /// [`Calendar::nth_working_day_from`] or [`Calendar::notice_period`], which count
    /// the day of publication.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        if n == 0 {
            return Ok(date);
        }
        let next = date.succ_opt().ok_or_else(|| out_of_range(date))?;
        self.nth_working_day_from(next, n)
    }

    /// The notice period of a list published at `published_at` (any offset), lasting
    /// `working_days` working days. PROC-NOTICE, reading 7: counted in Asia/Shanghai, the
    /// day of publication is day 1 when it is a working day, whatever the hour.
    pub fn notice_period(
        &self,
        published_at: DateTime<FixedOffset>,
        working_days: u32,
    ) -> Result<NoticePeriod, CalendarError> {
        if working_days == 0 {
            return Err(zero_days());
        }
        // Checked, because `date_naive` panics at the very end of chrono's range.
        let local = published_at
            .naive_utc()
            .checked_add_offset(SHANGHAI)
            .ok_or_else(|| {
                error(
                    "date_out_of_range",
                    format!("发布时间 {} 超出可处理的日期范围", published_at.naive_utc()),
                    format!(
                        "publication time {} (UTC) is out of the supported range",
                        published_at.naive_utc()
                    ),
                )
            })?;
        let day = local.date();
        let first_day = self.nth_working_day_from(day, 1)?;
        let last_day = self.nth_working_day_from(day, working_days)?;
        let next = last_day.succ_opt().ok_or_else(|| out_of_range(last_day))?;
        let ends_at = SHANGHAI
            .from_local_datetime(&next.and_time(NaiveTime::MIN))
            .single()
            .ok_or_else(|| out_of_range(next))?;
        Ok(NoticePeriod {
            published_at: published_at.with_timezone(&SHANGHAI),
            first_day,
            last_day,
            ends_at,
            working_days,
        })
    }
}

fn zero_days() -> CalendarError {
    error(
        "zero_working_days",
        "工作日数应至少为 1，实为 0".to_owned(),
        "the number of working days must be at least 1, found 0".to_owned(),
    )
}

fn out_of_range(date: NaiveDate) -> CalendarError {
    error(
        "date_out_of_range",
        format!("{date} 之后的日期超出可处理的范围"),
        format!("the date after {date} is out of the supported range"),
    )
}

/// The notice period (公示期) of a proposed list. PROC-NOTICE, reading 7.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticePeriod {
    /// The moment of publication, in Asia/Shanghai.
    pub published_at: DateTime<FixedOffset>,
    /// Working day 1: the day of publication if it is a working day, else the next one.
    pub first_day: NaiveDate,
    /// The last working day of the period.
    pub last_day: NaiveDate,
    /// Exclusive end: 00:00 Asia/Shanghai of the day after `last_day`.
    pub ends_at: DateTime<FixedOffset>,
    pub working_days: u32,
}

/// Where a moment stands relative to the objection window. PROC-OBJECT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionWindow {
    /// Before publication: there is nothing to object to yet.
    Before,
    /// Within the notice period: objections are admissible.
    Open,
    /// After the notice period: objections are not admissible.
    Closed,
}

impl NoticePeriod {
    /// Whether `moment` (any offset) is inside the period: `published_at <= moment < ends_at`,
    /// so 23:59:59 of the last day is inside and 00:00:00 of the next day is not.
    /// PROC-NOTICE.
    pub fn contains(&self, moment: DateTime<FixedOffset>) -> bool {
        // DateTime comparisons are on the instant, whatever the offsets.
        self.published_at <= moment && moment < self.ends_at
    }

    /// Whether an objection made at `moment` is admissible. PROC-OBJECT.
    pub fn objection_window_state(&self, moment: DateTime<FixedOffset>) -> ObjectionWindow {
        if moment < self.published_at {
            ObjectionWindow::Before
        } else if moment < self.ends_at {
            ObjectionWindow::Open
        } else {
            ObjectionWindow::Closed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ymd_is_chronos_strftime() {
        for (y, m, d) in [
            (2026, 9, 18),
            (1, 1, 1),
            (0, 12, 31),
            (-1, 2, 3),
            (-12345, 6, 7),
            (9999, 12, 31),
            (10_000, 1, 1),
            (262_142, 1, 1),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(ymd(&date), date.format("%Y-%m-%d").to_string());
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn cal() -> Calendar {
        Calendar::official()
    }

    /// Every holiday and adjusted day of RULES.md's table, as (first, last) and days.
    type Ymd = (i32, u32, u32);
    const TABLE_HOLIDAYS: &[(Ymd, Ymd)] = &[
        ((2025, 1, 1), (2025, 1, 1)),
        ((2025, 1, 28), (2025, 2, 4)),
        ((2025, 4, 4), (2025, 4, 6)),
        ((2025, 5, 1), (2025, 5, 5)),
        ((2025, 5, 31), (2025, 6, 2)),
        ((2025, 10, 1), (2025, 10, 8)),
        ((2026, 1, 1), (2026, 1, 3)),
        ((2026, 2, 15), (2026, 2, 23)),
        ((2026, 4, 4), (2026, 4, 6)),
        ((2026, 5, 1), (2026, 5, 5)),
        ((2026, 6, 19), (2026, 6, 21)),
        ((2026, 9, 25), (2026, 9, 27)),
        ((2026, 10, 1), (2026, 10, 7)),
    ];
    const TABLE_ADJUSTED: &[Ymd] = &[
        (2025, 1, 26),
        (2025, 2, 8),
        (2025, 4, 27),
        (2025, 9, 28),
        (2025, 10, 11),
        (2026, 1, 4),
        (2026, 2, 14),
        (2026, 2, 28),
        (2026, 5, 9),
        (2026, 9, 20),
        (2026, 10, 10),
    ];

    #[test]
    fn official_calendar_parses() {
        let c = Calendar::from_json(OFFICIAL_JSON).unwrap();
        assert_eq!(c.years().collect::<Vec<_>>(), vec![2025, 2026]);
        // Facts of the State Council notices, not the file read again: the National Day
        // holiday of 2025 runs 1–8 October, and Sunday 28 September is worked.
        let national_day = c.holiday_on(d(2025, 10, 1)).unwrap().unwrap();
        assert!(national_day.zh.contains("国庆"), "{}", national_day.zh);
        assert_eq!(
            (national_day.first, national_day.last),
            (d(2025, 10, 1), d(2025, 10, 8))
        );
        assert_eq!(c.is_working_day(d(2025, 9, 28)), Ok(true));
        assert_eq!(c.is_working_day(d(2025, 10, 9)), Ok(true));
        // Every holiday day and adjusted day of RULES.md's table is checked below.
    }

    #[test]
    fn proc_notice_every_table_date_checked() {
        let c = cal();
        let mut holiday_days = 0;
        for &((y1, m1, d1), (y2, m2, d2)) in TABLE_HOLIDAYS {
            let mut day = d(y1, m1, d1);
            while day <= d(y2, m2, d2) {
                assert_eq!(c.is_working_day(day), Ok(false), "{day} is a holiday");
                assert!(c.holiday_on(day).unwrap().is_some());
                holiday_days += 1;
                day = day.succ_opt().unwrap();
            }
        }
        // 1 + 8 + 3 + 5 + 3 + 8 in 2025; 3 + 9 + 3 + 5 + 3 + 3 + 7 in 2026.
        assert_eq!(holiday_days, 28 + 33);
        for &(y, m, day) in TABLE_ADJUSTED {
            let date = d(y, m, day);
            assert!(is_weekend(date), "{date} is a weekend");
            assert_eq!(c.is_working_day(date), Ok(true), "{date} is adjusted");
        }
        // And nothing else: every other day follows the weekday rule.
        let mut day = d(2025, 1, 1);
        while day <= d(2026, 12, 31) {
            let in_table = TABLE_HOLIDAYS
                .iter()
                .any(|&(a, b)| d(a.0, a.1, a.2) <= day && day <= d(b.0, b.1, b.2))
                || TABLE_ADJUSTED.iter().any(|&(y, m, dd)| d(y, m, dd) == day);
            if !in_table {
                assert_eq!(c.is_working_day(day), Ok(!is_weekend(day)), "{day}");
            }
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn proc_notice_ordinary_days() {
        let c = cal();
        assert_eq!(c.is_working_day(d(2025, 3, 3)), Ok(true)); // Monday
        assert_eq!(c.is_working_day(d(2025, 3, 8)), Ok(false)); // Saturday
        assert_eq!(c.is_working_day(d(2025, 3, 9)), Ok(false)); // Sunday
    }

    #[test]
    fn proc_notice_year_not_loaded() {
        let c = cal();
        for date in [d(2024, 12, 31), d(2027, 1, 4)] {
            let e = c.is_working_day(date).unwrap_err();
            assert_eq!(e.code, "year_not_loaded");
            assert!(e.en.contains(&date.year().to_string()) && e.en.contains("2025, 2026"));
        }
    }

    #[test]
    fn proc_notice_friday_before_national_day_2025() {
        let p = cal()
            .notice_period(at("2025-09-26T10:00:00+08:00"), 5)
            .unwrap();
        // Fri 26, Sun 28 (adjusted), Mon 29, Tue 30, then Oct 1–8 off, Thu Oct 9.
        assert_eq!(p.first_day, d(2025, 9, 26));
        assert_eq!(p.last_day, d(2025, 10, 9));
        assert_eq!(p.ends_at, at("2025-10-10T00:00:00+08:00"));
        assert_eq!(p.working_days, 5);
    }

    #[test]
    fn proc_notice_friday_before_mid_autumn_2026() {
        let p = cal()
            .notice_period(at("2026-09-18T09:00:00+08:00"), 5)
            .unwrap();
        // Fri 18, Sun 20 (adjusted), Mon 21, Tue 22, Wed 23.
        assert_eq!(p.last_day, d(2026, 9, 23));
    }

    #[test]
    fn proc_notice_published_on_holiday_starts_next_working_day() {
        let c = cal();
        let p = c.notice_period(at("2025-10-03T09:00:00+08:00"), 5).unwrap();
        assert_eq!(p.first_day, d(2025, 10, 9));
        // Thu 9, Fri 10, Sat 11 (adjusted), Mon 13, Tue 14.
        assert_eq!(p.last_day, d(2025, 10, 14));
        // An ordinary weekend.
        let p = c.notice_period(at("2025-03-08T09:00:00+08:00"), 5).unwrap();
        assert_eq!((p.first_day, p.last_day), (d(2025, 3, 10), d(2025, 3, 14)));
    }

    #[test]
    fn proc_notice_published_late_evening_counts_the_day() {
        let p = cal()
            .notice_period(at("2025-03-10T23:30:00+08:00"), 5)
            .unwrap();
        assert_eq!((p.first_day, p.last_day), (d(2025, 3, 10), d(2025, 3, 14)));
    }

    #[test]
    fn proc_notice_other_offsets_are_converted_to_shanghai() {
        let c = cal();
        // 16:30 UTC on Monday is 00:30 on Tuesday in Beijing.
        let p = c.notice_period(at("2025-03-10T16:30:00Z"), 5).unwrap();
        assert_eq!(p.first_day, d(2025, 3, 11));
        assert_eq!(p.published_at.offset(), &shanghai());
        assert_eq!(p.published_at.to_rfc3339(), "2025-03-11T00:30:00+08:00");
        assert_eq!(shanghai().local_minus_utc(), 8 * 3600);
    }

    #[test]
    fn proc_notice_crossing_into_unloaded_2027_is_an_error() {
        let e = cal()
            .notice_period(at("2026-12-29T10:00:00+08:00"), 5)
            .unwrap_err();
        assert_eq!(e.code, "year_not_loaded");
        assert!(e.zh.contains("2027"));
    }

    #[test]
    fn proc_notice_zero_working_days_is_an_error() {
        let c = cal();
        assert_eq!(
            c.notice_period(at("2025-03-10T10:00:00+08:00"), 0)
                .unwrap_err()
                .code,
            "zero_working_days"
        );
        assert_eq!(
            c.nth_working_day_from(d(2025, 3, 10), 0).unwrap_err().code,
            "zero_working_days"
        );
    }

    #[test]
    fn proc_notice_last_second_inside_next_outside() {
        let p = cal()
            .notice_period(at("2025-09-26T10:00:00+08:00"), 5)
            .unwrap();
        assert!(p.contains(at("2025-09-26T10:00:00+08:00")));
        assert!(p.contains(at("2025-10-09T23:59:59+08:00")));
        assert!(!p.contains(at("2025-10-10T00:00:00+08:00")));
        assert!(!p.contains(at("2025-09-26T09:59:59+08:00")));
        // The same instants in UTC.
        assert!(p.contains(at("2025-10-09T15:59:59Z")));
        assert!(!p.contains(at("2025-10-09T16:00:00Z")));
    }

    #[test]
    fn proc_object_window_state() {
        let p = cal()
            .notice_period(at("2025-09-26T10:00:00+08:00"), 5)
            .unwrap();
        assert_eq!(
            p.objection_window_state(at("2025-09-26T09:00:00+08:00")),
            ObjectionWindow::Before
        );
        assert_eq!(
            p.objection_window_state(at("2025-09-26T10:00:00+08:00")),
            ObjectionWindow::Open
        );
        assert_eq!(
            p.objection_window_state(at("2025-10-05T12:00:00+08:00")),
            ObjectionWindow::Open
        );
        assert_eq!(
            p.objection_window_state(at("2025-10-09T23:59:59+08:00")),
            ObjectionWindow::Open
        );
        assert_eq!(
            p.objection_window_state(at("2025-10-10T00:00:00+08:00")),
            ObjectionWindow::Closed
        );
        assert_eq!(
            serde_json::to_string(&ObjectionWindow::Closed).unwrap(),
            "\"closed\""
        );
    }

    #[test]
    fn proc_notice_period_serde_round_trip() {
        let p = cal()
            .notice_period(at("2025-09-26T10:00:00+08:00"), 5)
            .unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            json,
            r#"{"published_at":"2025-09-26T10:00:00+08:00","first_day":"2025-09-26","last_day":"2025-10-09","ends_at":"2025-10-10T00:00:00+08:00","working_days":5}"#
        );
        assert_eq!(serde_json::from_str::<NoticePeriod>(&json).unwrap(), p);
        let extra = json.replace("}", r#","x":1}"#);
        assert!(serde_json::from_str::<NoticePeriod>(&extra).is_err());
    }

    #[test]
    fn proc_notice_nth_and_add_working_days() {
        let c = cal();
        // Sunday 2025-09-28 is adjusted, so it is day 1 itself.
        assert_eq!(
            c.nth_working_day_from(d(2025, 9, 28), 1),
            Ok(d(2025, 9, 28))
        );
        assert_eq!(
            c.nth_working_day_from(d(2025, 9, 27), 1),
            Ok(d(2025, 9, 28))
        );
        assert_eq!(c.add_working_days(d(2025, 9, 26), 0), Ok(d(2025, 9, 26)));
        assert_eq!(c.add_working_days(d(2025, 9, 26), 1), Ok(d(2025, 9, 28)));
        assert_eq!(c.add_working_days(d(2025, 9, 30), 1), Ok(d(2025, 10, 9)));
        // Across the year boundary: Wed 2025-12-31 → Sun 2026-01-04 (adjusted).
        assert_eq!(c.add_working_days(d(2025, 12, 31), 1), Ok(d(2026, 1, 4)));
        assert_eq!(
            c.add_working_days(d(2026, 12, 31), 1).unwrap_err().code,
            "year_not_loaded"
        );
        // Huge counts end in year_not_loaded instead of looping forever.
        assert_eq!(
            c.nth_working_day_from(d(2025, 1, 1), u32::MAX)
                .unwrap_err()
                .code,
            "year_not_loaded"
        );
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        let c = cal();
        assert_eq!(
            c.is_working_day(NaiveDate::MAX).unwrap_err().code,
            "year_not_loaded"
        );
        let max = DateTime::<chrono::Utc>::MAX_UTC.fixed_offset();
        assert!(c.notice_period(max, 5).is_err());
        let min = DateTime::<chrono::Utc>::MIN_UTC.fixed_offset();
        assert!(c.notice_period(min, 5).is_err());
    }

    fn year_json(body: &str) -> String {
        format!(r#"{{"years":[{{"year":2025,"source":"test",{body}}}]}}"#)
    }

    #[test]
    fn from_json_validation_errors() {
        let cases = [
            ("not json", "calendar_malformed".to_owned()),
            (r#"{"years":[]}"#, "calendar_empty".to_owned()),
            (r#"{"years":[],"extra":1}"#, "calendar_malformed".to_owned()),
        ];
        for (json, code) in cases {
            assert_eq!(Calendar::from_json(json).unwrap_err().code, code, "{json}");
        }
        let h = |first: &str, last: &str| {
            format!(r#"{{"zh":"假","en":"Holiday","first":"{first}","last":"{last}"}}"#)
        };
        let cases = [
            (format!(r#""holidays":[{}],"adjusted_working_days":[]"#, h("2024-12-31", "2025-01-01")), "calendar_date_outside_year"),
            (format!(r#""holidays":[{}],"adjusted_working_days":[]"#, h("2025-01-03", "2025-01-01")), "calendar_holiday_reversed"),
            (
                format!(r#""holidays":[{},{}],"adjusted_working_days":[]"#, h("2025-01-01", "2025-01-03"), h("2025-01-03", "2025-01-04")),
                "calendar_overlapping_holidays",
            ),
            (r#""holidays":[],"adjusted_working_days":["2025-01-06"]"#.to_owned(), "calendar_adjusted_not_weekend"),
            (r#""holidays":[],"adjusted_working_days":["2026-01-04"]"#.to_owned(), "calendar_date_outside_year"),
            (r#""holidays":[],"adjusted_working_days":["2025-01-05","2025-01-05"]"#.to_owned(), "calendar_duplicate_adjusted_day"),
            (format!(r#""holidays":[{}],"adjusted_working_days":["2025-01-05"]"#, h("2025-01-04", "2025-01-05")), "calendar_holiday_on_adjusted_day"),
            (r#""holidays":[{"zh":"","en":"X","first":"2025-01-01","last":"2025-01-01"}],"adjusted_working_days":[]"#.to_owned(), "calendar_missing_name"),
            (r#""holidays":[],"adjusted_working_days":[],"extra":true"#.to_owned(), "calendar_malformed"),
            (r#""holidays":[],"adjusted_working_days":["2025-02-30"]"#.to_owned(), "calendar_malformed"),
        ];
        for (body, code) in cases {
            let json = year_json(&body);
            let e = Calendar::from_json(&json).unwrap_err();
            assert_eq!(e.code, code, "{json}");
            assert!(!e.zh.is_empty() && !e.en.is_empty());
        }
        let e = Calendar::from_json(r#"{"years":[{"year":2025,"source":"a","holidays":[],"adjusted_working_days":[]},{"year":2025,"source":"b","holidays":[],"adjusted_working_days":[]}]}"#).unwrap_err();
        assert_eq!(e.code, "calendar_duplicate_year");
        let e = Calendar::from_json(&year_json(
            r#""holidays":[],"adjusted_working_days":["2025-01-06"]"#,
        ))
        .unwrap_err();
        assert!(e.en.contains("Monday") || e.en.contains("Mon"), "{}", e.en);
        assert!(e.zh.contains("星期一"));
    }

    #[test]
    fn proc_notice_adding_2027_is_data_only() {
        // A made-up 2027 with no holidays: the notice crossing the year now succeeds.
        let json = OFFICIAL_JSON.replacen(
            r#""years": ["#,
            r#""years": [{"year":2027,"source":"test","holidays":[{"zh":"元旦","en":"New Year's Day","first":"2027-01-01","last":"2027-01-01"}],"adjusted_working_days":[]},"#,
            1,
        );
        let c = Calendar::from_json(&json).unwrap();
        let p = c.notice_period(at("2026-12-29T10:00:00+08:00"), 5).unwrap();
        // Tue 29, Wed 30, Thu 31, (Fri Jan 1 off), Mon 4, Tue 5.
        assert_eq!(p.last_day, d(2027, 1, 5));
    }
}
