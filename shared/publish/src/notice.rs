//! The public notice (公示) as data: what was published, and every later update with its
//! own time. A published notice is never edited: its current state is derived by applying
//! the updates (PROC-NOTICE, PROC-OBJECT, DISCLOSE).

use chrono::{DateTime, FixedOffset};
use rules::calendar::NoticePeriod;
use rules::{Money, RuleId};
use serde::{Deserialize, Serialize};

/// What a notice announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// PROC-NOTICE: the proposed list (拟补助名单), open to objections for 5 working days.
    ProposedList,
    /// DISCLOSE: the payments made (资金拨付情况).
    Payments,
}

impl NoticeKind {
    pub fn rule(self) -> RuleId {
        match self {
            NoticeKind::ProposedList => RuleId::ProcNotice,
            NoticeKind::Payments => RuleId::Disclose,
        }
    }
}

/// The office to contact (and to object to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub office_zh: String,
    pub office_en: String,
    pub phone: String,
    pub email: String,
    pub address_zh: String,
    pub address_en: String,
}

impl Default for Contact {
    /// The office the measures name, and no way to reach it: the policy gives no phone,
    /// email or address, and none is made up (the deployment sets them: the notices
    /// component's `office_*` variables). An empty one is left out of the notice.
    fn default() -> Contact {
        Contact {
            office_zh: "北京市门头沟区知识产权局".into(),
            office_en: "Mentougou District Intellectual Property Office, Beijing".into(),
            phone: String::new(),
            email: String::new(),
            address_zh: String::new(),
            address_en: String::new(),
        }
    }
}

/// One line of the list as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeEntry {
    /// 序号, from 1; objections name it.
    pub number: u32,
    pub enterprise_name: String,
    /// The kind of pledged rights, e.g. `发明专利` / `invention patent`.
    pub rights_zh: String,
    pub rights_en: String,
    pub amount: Money,
}

/// What an update does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateKind {
    /// PROC-OBJECT re-review, objection upheld: the entry is removed, or, with a new
    /// amount, the amount becomes it (an enterprise's objection that its own amount was too
    /// low, or one that it was too high).
    ReReviewUpheld,
    /// PROC-OBJECT re-review, partly upheld: the amount changes.
    ReReviewPartlyUpheld,
    /// PROC-OBJECT re-review, dismissed: the entry stands.
    ReReviewDismissed,
    /// A correction by the office (an amount, or only a text).
    Correction,
}

impl UpdateKind {
    pub fn zh(self) -> &'static str {
        match self {
            UpdateKind::ReReviewUpheld => "重审结论：异议成立，取消补助",
            UpdateKind::ReReviewPartlyUpheld => "重审结论：异议部分成立，调整补助金额",
            UpdateKind::ReReviewDismissed => "重审结论：异议不成立，维持原名单",
            UpdateKind::Correction => "更正",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            UpdateKind::ReReviewUpheld => "Re-review: objection upheld, entry removed",
            UpdateKind::ReReviewPartlyUpheld => {
                "Re-review: objection partly upheld, amount changed"
            }
            UpdateKind::ReReviewDismissed => "Re-review: objection dismissed, entry stands",
            UpdateKind::Correction => "Correction",
        }
    }
}

/// An update to a published notice, with its own time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeUpdate {
    /// 1, 2, … in order of publication.
    pub seq: u32,
    pub at: DateTime<FixedOffset>,
    pub kind: UpdateKind,
    /// The entry concerned, by number.
    #[serde(default)]
    pub entry: Option<u32>,
    /// The new amount (upheld or partly upheld about the amount, or a correction of an
    /// amount).
    #[serde(default)]
    pub new_amount: Option<Money>,
    pub text_zh: String,
    pub text_en: String,
}

impl NoticeUpdate {
    /// What the update does, as its heading says it.
    pub fn heading_zh(&self) -> &'static str {
        match (self.kind, self.new_amount) {
            (UpdateKind::ReReviewUpheld, Some(_)) => "重审结论：异议成立，调整补助金额",
            (kind, _) => kind.zh(),
        }
    }
    pub fn heading_en(&self) -> &'static str {
        match (self.kind, self.new_amount) {
            (UpdateKind::ReReviewUpheld, Some(_)) => "Re-review: objection upheld, amount changed",
            (kind, _) => kind.en(),
        }
    }
}

/// A notice as published, with its updates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub id: String,
    pub round_year: i32,
    pub kind: NoticeKind,
    pub title_zh: String,
    pub title_en: String,
    pub published_at: DateTime<FixedOffset>,
    /// PROC-NOTICE: the period (proposed lists only).
    #[serde(default)]
    pub period: Option<NoticePeriod>,
    pub entries: Vec<NoticeEntry>,
    #[serde(default)]
    pub updates: Vec<NoticeUpdate>,
    pub contact: Contact,
}

/// The state of an entry once the updates are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// On a proposed list: proposed, open to objection while the period runs.
    Listed,
    Amended,
    Removed,
    /// On a payments notice (DISCLOSE): the money was paid.
    Paid,
}

impl EntryStatus {
    pub fn zh(self) -> &'static str {
        match self {
            EntryStatus::Listed => "拟补助",
            EntryStatus::Amended => "已调整",
            EntryStatus::Removed => "已取消",
            EntryStatus::Paid => "已拨付",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            EntryStatus::Listed => "listed",
            EntryStatus::Amended => "amended",
            EntryStatus::Removed => "removed",
            EntryStatus::Paid => "paid",
        }
    }
}

/// An entry as it stands now: the original amount stays readable beside the current one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryView {
    pub number: u32,
    pub enterprise_name: String,
    pub rights_zh: String,
    pub rights_en: String,
    pub original_amount: Money,
    pub amount: Money,
    /// The current amount in capital numerals (大写).
    pub amount_capitals: String,
    pub status: EntryStatus,
}

impl Notice {
    /// The entries with every update applied in order.
    pub fn current_entries(&self) -> Vec<EntryView> {
        let mut views: Vec<EntryView> = self
            .entries
            .iter()
            .map(|e| EntryView {
                number: e.number,
                enterprise_name: e.enterprise_name.clone(),
                rights_zh: e.rights_zh.clone(),
                rights_en: e.rights_en.clone(),
                original_amount: e.amount,
                amount: e.amount,
                amount_capitals: String::new(),
                status: match self.kind {
                    NoticeKind::ProposedList => EntryStatus::Listed,
                    NoticeKind::Payments => EntryStatus::Paid,
                },
            })
            .collect();
        let mut updates: Vec<&NoticeUpdate> = self.updates.iter().collect();
        updates.sort_by_key(|u| u.seq);
        for u in updates {
            let Some(view) = views.iter_mut().find(|v| Some(v.number) == u.entry) else {
                continue;
            };
            match (u.kind, u.new_amount) {
                (UpdateKind::ReReviewUpheld, None) => {
                    view.status = EntryStatus::Removed;
                    view.amount = Money::ZERO;
                }
                (
                    UpdateKind::ReReviewUpheld
                    | UpdateKind::ReReviewPartlyUpheld
                    | UpdateKind::Correction,
                    Some(a),
                ) => {
                    view.status = EntryStatus::Amended;
                    view.amount = a;
                }
                _ => {}
            }
        }
        for v in &mut views {
            v.amount_capitals = capitals(v.amount);
        }
        views
    }

    /// The total of the current list.
    pub fn current_total(&self) -> Money {
        self.current_entries().iter().map(|e| e.amount).sum()
    }

    /// The last change: publication or the latest update (feeds' `updated`, HTTP
    /// `Last-Modified`).
    pub fn last_modified(&self) -> DateTime<FixedOffset> {
        self.updates
            .iter()
            .map(|u| u.at)
            .fold(self.published_at, |a, b| a.max(b))
    }

    /// Whether objections are open at `now` (PROC-OBJECT).
    pub fn objections_open(&self, now: DateTime<FixedOffset>) -> bool {
        self.kind == NoticeKind::ProposedList
            && self.period.as_ref().is_some_and(|p| p.contains(now))
    }

    /// The next moment after `now` when what is said of this notice changes by the clock
    /// alone: its period starting or ending (objections open or closed, the period over).
    pub fn next_change_after(&self, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
        let p = self.period.as_ref()?;
        [p.published_at, p.ends_at]
            .into_iter()
            .filter(|t| *t > now)
            .min()
    }
}

/// An amount in 大写; amounts come from [`Money`], so always in range.
pub fn capitals(amount: Money) -> String {
    rules::numerals::amount_in_capitals(amount.decimal()).unwrap_or_default()
}

/// A deadline as people say it, in Beijing time: a period ending at midnight ends at 24时
/// of the day before (`2026年9月23日24时`), otherwise the minute it ends
/// (`2026年9月23日17:00`).
pub fn deadline_zh(t: chrono::DateTime<chrono::FixedOffset>) -> String {
    use chrono::{Datelike, Timelike};
    let t = t.with_timezone(&rules::calendar::shanghai());
    if t.hour() == 0 && t.minute() == 0 {
        let d = t.date_naive().pred_opt().unwrap_or(t.date_naive());
        format!("{}年{}月{}日24时", d.year(), d.month(), d.day())
    } else {
        format!(
            "{}年{}月{}日{:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute()
        )
    }
}

/// [`deadline_zh`] in English: `the end of 23 September 2026`, or `17:00 on 23 September
/// 2026` (Beijing time).
pub fn deadline_en(t: chrono::DateTime<chrono::FixedOffset>) -> String {
    use chrono::{Datelike, Timelike};
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let t = t.with_timezone(&rules::calendar::shanghai());
    let day =
        |d: chrono::NaiveDate| format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year());
    if t.hour() == 0 && t.minute() == 0 {
        let d = t.date_naive().pred_opt().unwrap_or(t.date_naive());
        format!("the end of {} (Beijing time)", day(d))
    } else {
        format!(
            "{:02}:{:02} on {} (Beijing time)",
            t.hour(),
            t.minute(),
            day(t.date_naive())
        )
    }
}
