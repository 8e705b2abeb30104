//! The round's stage and its proposed list (拟补助名单), shared by the components that
//! change them: calculation (allocation, approval, payment), notices (publication) and
//! objections (re-review conclusions, PROC-OBJECT).
//!
//! None of these functions opens a transaction: the caller runs them inside its own
//! [`Db::transaction`], together with its other writes.

use crate::db::Db;
use crate::error::ApiError;
use rules::allocation::Allocation;
use rules::decision::{Effect, Reason};
use rules::procedure::{Stage, StageContext};
use rules::{Money, RuleId};

pub use store::rounds::{parse_stage, stage_name};

/// 404: no round for that year.
pub fn no_round(year: i64) -> ApiError {
    ApiError::new(
        404,
        "round_not_found",
        format!("没有{year}年度的申报。"),
        format!("There is no round for {year}."),
    )
    .field("year")
}

/// The current stage of a round.
pub async fn stage(db: &Db, year: i64) -> Result<Stage, ApiError> {
    let y = i32::try_from(year).map_err(|_| no_round(year))?;
    store::rounds::stage(db.store(), y)
        .await?
        .ok_or_else(|| no_round(year))
}

/// An error answer from a rule's refusal (409: the request is understood, the state of
/// the round forbids it).
pub fn refusal(reason: &Reason) -> ApiError {
    ApiError::new(
        409,
        &format!(
            "rule_{}",
            reason.rule.code().to_lowercase().replace('-', "_")
        ),
        format!("{}（{}）", reason.zh, reason.rule.code()),
        format!("{} ({})", reason.en, reason.rule.code()),
    )
}

/// Moves a round to its next stage after checking the transition against the rules
/// (no step skipped or undone; PROC-LATE, PROC-APPROVE conditions).
pub async fn advance_stage(
    db: &Db,
    year: i64,
    to: Stage,
    ctx: &StageContext,
    at: &str,
) -> Result<(), ApiError> {
    let from = stage(db, year).await?;
    rules::procedure::check_transition(from, to, ctx).map_err(|r| refusal(&r))?;
    let y = i32::try_from(year).map_err(|_| no_round(year))?;
    store::rounds::set_stage(db.store(), y, from, to, at).await?;
    Ok(())
}

/// The newest version of a round's list and its allocation, if computed.
pub async fn latest(db: &Db, year: i64) -> Result<Option<(i64, Allocation)>, ApiError> {
    let y = i32::try_from(year).map_err(|_| no_round(year))?;
    Ok(store::allocations::latest(db.store(), y)
        .await?
        .map(|v| (v.number, v.allocation)))
}

/// A re-review conclusion (PROC-OBJECT).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReReview {
    /// The objection holds: the entry leaves the list.
    Upheld,
    /// It holds in part: the amount becomes this (never more than before).
    PartlyUpheld(Money),
    /// It does not hold: the list stands.
    Dismissed,
}

/// Applies a re-review conclusion to the round's list: a new version of the list (the
/// old one stays), and the application's status. Dismissed changes nothing.
pub async fn record_re_review(
    db: &Db,
    year: i64,
    application_id: &str,
    outcome: ReReview,
    at: &str,
) -> Result<(), ApiError> {
    let (new_amount, status, reason) = match outcome {
        ReReview::Dismissed => return Ok(()),
        ReReview::Upheld => (
            Money::ZERO,
            store::applications::Status::Removed,
            Reason::new(
                RuleId::ProcObject,
                Effect::Refuse,
                "公示期异议经重审成立，取消补助。",
                "An objection in the notice period was upheld on re-review: entry removed.",
            ),
        ),
        ReReview::PartlyUpheld(m) => (
            m,
            store::applications::Status::Proposed,
            Reason::new(
                RuleId::ProcObject,
                Effect::Limit,
                format!("公示期异议经重审部分成立，补助调整为 {m} 元。"),
                format!("An objection was partly upheld on re-review: the amount becomes {m} CNY."),
            ),
        ),
    };
    let Some((version, mut allocation)) = latest(db, year).await? else {
        return Err(ApiError::conflict(
            "该年度尚未形成拟补助名单。",
            "The round has no proposed list yet.",
        ));
    };
    let Some(line) = allocation.lines.iter_mut().find(|l| l.id == application_id) else {
        return Err(ApiError::new(
            404,
            "not_on_list",
            "该申请不在拟补助名单中。",
            "The application is not on the proposed list.",
        ));
    };
    if new_amount > line.granted {
        return Err(ApiError::invalid(
            "new_amount",
            format!("重审后的金额不能高于原拟补助金额 {} 元。", line.granted),
            format!(
                "The amount after re-review cannot exceed the proposed {} CNY.",
                line.granted
            ),
        ));
    }
    line.granted = new_amount;
    line.reasons.push(reason);
    let granted: Money = allocation.lines.iter().map(|l| l.granted).sum();
    allocation.granted_total = granted;
    allocation.unallocated = allocation.budget.saturating_sub(granted);
    let y = i32::try_from(year).map_err(|_| no_round(year))?;
    store::allocations::add_re_review_version(
        db.store(),
        y,
        version,
        &allocation,
        application_id,
        new_amount,
        at,
    )
    .await?;
    store::applications::set_status(db.store(), application_id, status, at).await?;
    Ok(())
}

/// CAP-YEAR, CAP-TIMES, FRAUD: an enterprise's recorded subsidies (imported and paid), in
/// year order. Intake decides applications with them; calculation allocates with them.
pub async fn subsidy_history(
    db: &Db,
    uscc: &str,
) -> Result<Vec<rules::model::SubsidyRecord>, ApiError> {
    Ok(store::history::subsidies(db.store(), uscc).await?)
}
