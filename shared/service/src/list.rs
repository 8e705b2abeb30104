//! The round's stage and its proposed list (拟补助名单), shared by the components that
//! change them: calculation (allocation, approval, payment), notices (publication) and
//! objections (re-review conclusions, PROC-OBJECT).
//!
//! None of these functions opens a transaction: the caller runs them inside its own
//! [`Db::transaction`], together with its other writes.

use crate::code::Code;
use crate::db::Db;
use crate::error::ApiError;
use rules::allocation::Allocation;
use rules::decision::Reason;
use rules::procedure::{Stage, StageContext};

pub use store::rounds::{parse_stage, stage_name};

/// 404: no round for that year.
pub fn no_round(year: i64) -> ApiError {
    ApiError::new(
        404,
        Code::RoundNotFound,
        format!("没有{year}年度的申报。"),
        format!("There is no round for {year}."),
    )
    .field("year")
}

/// A round's year as the store keeps it (`i32`); a year out of that range has no round.
pub fn store_year(year: i64) -> Result<i32, ApiError> {
    i32::try_from(year).map_err(|_| no_round(year))
}

/// The current stage of a round.
pub async fn stage(db: &Db, year: i64) -> Result<Stage, ApiError> {
    let y = store_year(year)?;
    store::rounds::stage(db.store(), y)
        .await?
        .ok_or_else(|| no_round(year))
}

/// An error answer from a rule's refusal (409: the request is understood, the state of
/// the round forbids it).
pub fn refusal(reason: &Reason) -> ApiError {
    ApiError::new(
        409,
        Code::Rule(reason.rule),
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
    let y = store_year(year)?;
    store::rounds::set_stage(db.store(), y, from, to, at).await?;
    Ok(())
}

/// The newest version of a round's list and its allocation, if computed.
pub async fn latest(db: &Db, year: i64) -> Result<Option<(i64, Allocation)>, ApiError> {
    let y = store_year(year)?;
    Ok(store::allocations::latest(db.store(), y)
        .await?
        .map(|v| (v.number, v.allocation)))
}

pub use rules::re_review::Conclusion as ReReview;

/// PROC-OBJECT: applies a re-review conclusion to the round's list — the rules compute the
/// new list ([`rules::re_review::apply`]), the store adds it as a new version (the old one
/// stays) with the application's new status. Dismissed changes nothing.
pub async fn record_re_review(
    db: &Db,
    year: i64,
    application_id: &str,
    outcome: ReReview,
    at: &str,
) -> Result<(), ApiError> {
    let Some((version, allocation)) = latest(db, year).await? else {
        return Err(ApiError::conflict(
            "该年度尚未形成拟补助名单。",
            "The round has no proposed list yet.",
        ));
    };
    let next = match rules::re_review::apply(&allocation, application_id, outcome) {
        Ok(None) => return Ok(()),
        Ok(Some(next)) => next,
        Err(rules::re_review::Refusal::NotOnList) => {
            return Err(ApiError::new(
                404,
                Code::NotOnList,
                "该申请不在拟补助名单中。",
                "The application is not on the proposed list.",
            ));
        }
        Err(rules::re_review::Refusal::AboveProposed { proposed }) => {
            return Err(ApiError::invalid(
                "new_amount",
                format!("重审后的金额不能高于原拟补助金额 {proposed} 元。"),
                format!("The amount after re-review cannot exceed the proposed {proposed} CNY."),
            ));
        }
    };
    let status = match outcome {
        ReReview::Upheld => store::applications::Status::Removed,
        _ => store::applications::Status::Proposed,
    };
    let y = store_year(year)?;
    store::allocations::record_re_review(db.store(), y, version, &next, application_id, status, at)
        .await?;
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
