//! The round's procedure: its stages (PROC-GUIDE → PROC-REVIEW → PROC-NOTICE →
//! PROC-APPROVE → payment), when an objection is admissible (PROC-OBJECT), and when the
//! list may go to the district government.

use crate::calendar::{Calendar, CalendarError, NoticePeriod};
use crate::decision::{Effect, Reason};
use crate::params::Parameters;
use crate::rule::RuleId::*;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// The stages of a round, in their only order. No step is skipped or undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// PROC-GUIDE: the guide is published and applications are accepted.
    Open,
    /// PROC-LATE: the window has closed.
    Closed,
    /// PROC-REVIEW, PROC-CREDIT: review and departmental opinions.
    UnderReview,
    /// BUDGET: the proposed list is computed.
    Allocated,
    /// PROC-NOTICE, PROC-OBJECT: the list is on public notice.
    InNotice,
    /// PROC-APPROVE: the district government approved the list.
    Approved,
    /// PROC-APPROVE, DISCLOSE: the money is paid.
    Paid,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Open,
        Stage::Closed,
        Stage::UnderReview,
        Stage::Allocated,
        Stage::InNotice,
        Stage::Approved,
        Stage::Paid,
    ];

    /// The one stage that may follow this one.
    pub fn next(self) -> Option<Stage> {
        let i = Stage::ALL.iter().position(|s| *s == self)?;
        Stage::ALL.get(i + 1).copied()
    }

    pub fn zh(self) -> &'static str {
        match self {
            Stage::Open => "申报中",
            Stage::Closed => "申报截止",
            Stage::UnderReview => "评审中",
            Stage::Allocated => "已形成拟补助名单",
            Stage::InNotice => "公示中",
            Stage::Approved => "区政府已审议通过",
            Stage::Paid => "已拨付",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Stage::Open => "open for applications",
            Stage::Closed => "closed",
            Stage::UnderReview => "under review",
            Stage::Allocated => "proposed list computed",
            Stage::InNotice => "on public notice",
            Stage::Approved => "approved by the district government",
            Stage::Paid => "paid",
        }
    }
}

/// What a stage change needs to know about the world.
#[derive(Debug, Clone, Default)]
pub struct StageContext {
    /// Now (the officer's request time).
    pub now: Option<DateTime<FixedOffset>>,
    /// The round's window closing moment (Closed needs it passed).
    pub window_closes_at: Option<DateTime<FixedOffset>>,
    /// The notice period, once the list is published (Approved needs it over).
    pub notice: Option<NoticePeriod>,
}

/// Checks a stage change, citing the rule that forbids it.
pub fn check_transition(from: Stage, to: Stage, ctx: &StageContext) -> Result<(), Reason> {
    if from.next() != Some(to) {
        return Err(Reason::new(
            ProcGuide,
            Effect::Refuse,
            format!(
                "申报年度不能从“{}”变为“{}”：各阶段须依次进行，不可跳过或回退。",
                from.zh(),
                to.zh()
            ),
            format!(
                "A round cannot go from \"{}\" to \"{}\": stages follow in order, none skipped or undone.",
                from.en(),
                to.en()
            ),
        ));
    }
    match to {
        Stage::Closed => match (ctx.now, ctx.window_closes_at) {
            (Some(now), Some(closes)) if now <= closes => Err(Reason::new(
                ProcLate,
                Effect::Refuse,
                format!("申报期至 {closes} 才截止，不能提前结束申报。"),
                format!("The window closes at {closes}; it cannot be closed early."),
            )),
            _ => Ok(()),
        },
        Stage::Approved => match (ctx.now, &ctx.notice) {
            (Some(now), Some(n)) if now >= n.ends_at => Ok(()),
            (_, Some(n)) => Err(Reason::new(
                ProcApprove,
                Effect::Refuse,
                format!(
                    "公示期至 {} 结束，公示期结束后方可报请区政府审议。",
                    n.ends_at
                ),
                format!(
                    "The notice runs until {}; the list goes to the district government only after it.",
                    n.ends_at
                ),
            )),
            (_, None) => Err(Reason::new(
                ProcNotice,
                Effect::Refuse,
                "拟补助名单尚未公示。",
                "The proposed list has not been on public notice.",
            )),
        },
        _ => Ok(()),
    }
}

/// PROC-NOTICE: the notice period of a list published at `published_at` (reading 7).
pub fn notice_period(
    calendar: &Calendar,
    params: &Parameters,
    published_at: DateTime<FixedOffset>,
) -> Result<NoticePeriod, CalendarError> {
    calendar.notice_period(published_at, params.notice_working_days)
}

/// PROC-OBJECT: an objection is admissible only inside the notice period.
pub fn check_objection(period: &NoticePeriod, at: DateTime<FixedOffset>) -> Result<Reason, Reason> {
    let (zh_p, en_p) = (
        format!(
            "公示期为 {} 至 {}（{}个工作日，至 {} 前）",
            period.first_day, period.last_day, period.working_days, period.ends_at
        ),
        format!(
            "the notice period runs from {} to {} ({} working days, until {})",
            period.first_day, period.last_day, period.working_days, period.ends_at
        ),
    );
    if period.contains(at) {
        Ok(Reason::new(
            ProcObject,
            Effect::Pass,
            format!("异议在公示期内提出，{zh_p}。"),
            format!("Objection made inside the notice period: {en_p}."),
        ))
    } else if at < period.published_at {
        Err(Reason::new(
            ProcObject,
            Effect::Refuse,
            format!("公示尚未开始，{zh_p}。"),
            format!("The notice has not started: {en_p}."),
        ))
    } else {
        Err(Reason::new(
            ProcObject,
            Effect::Refuse,
            format!("公示期已结束，异议不予受理；{zh_p}。"),
            format!("The notice period is over, so the objection is not admissible: {en_p}."),
        ))
    }
}
