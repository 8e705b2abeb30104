//! The snapshot of a round that the workflow guards judge (`rules::guards`), read inside
//! the action's transaction, and the guard asked over it.

use chrono::{DateTime, FixedOffset};
use rules::Parameters;
use rules::RuleId;
use rules::guards::{Action, RoundSnapshot};
use service::ApiError;
use service::db::Db;

use crate::stage;

/// The round of `year` as the guards see it at `now`.
pub async fn snapshot(
    db: &Db,
    year: i32,
    now: DateTime<FixedOffset>,
) -> Result<RoundSnapshot, ApiError> {
    let row = store::rounds::find(db.store(), year)
        .await?
        .ok_or_else(|| stage::no_round(year))?;
    // The period as published: the one the public was told.
    let notice = store::notices::proposed_list_period(db.store(), year).await?;
    Ok(RoundSnapshot {
        year,
        stage: row.stage,
        now,
        notice,
        approved_on: row.approved_on,
        undecided: store::applications::undecided_in_round(db.store(), year).await?,
        open_objections: store::objections::open_in_round(db.store(), year).await?,
    })
}

/// Whether `action` may happen on the round now: the snapshot it was judged on and the
/// rules that allow it, or the 409 naming the rule and the items in the way. Call it
/// inside the action's transaction, before its writes.
pub async fn check(
    db: &Db,
    year: i32,
    now: DateTime<FixedOffset>,
    action: Action,
) -> Result<(RoundSnapshot, &'static [RuleId]), ApiError> {
    let round = snapshot(db, year, now).await?;
    let allowed = rules::guards::check(action, &round).map_err(ApiError::refusal)?;
    Ok((round, allowed))
}

/// Whether a line of the round's list may be paid to the enterprise `uscc` on `paid_on`
/// (PROC-APPROVE, FRAUD), judged on `round` and the enterprise's fraud findings as they
/// stand: the rules that allow it, or the 409. Call it inside the payment's transaction,
/// before its writes.
pub async fn payment(
    db: &Db,
    round: &RoundSnapshot,
    paid_on: chrono::NaiveDate,
    uscc: &str,
) -> Result<&'static [RuleId], ApiError> {
    let findings: Vec<rules::model::FraudFinding> = store::history::findings(db.store(), uscc)
        .await?
        .into_iter()
        .map(|f| f.finding)
        .collect();
    rules::guards::check_payment(round, paid_on, &findings, &Parameters::default())
        .map_err(ApiError::refusal)
}
