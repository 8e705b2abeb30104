//! The snapshot of a round that the workflow guards judge (`rules::guards`), read inside
//! the action's transaction, and the guard asked over it.

use chrono::{DateTime, FixedOffset};
use rules::Parameters;
use rules::RuleId;
use rules::calendar::Calendar;
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
    let stage = stage::current(db, year).await?;
    let notice = match store::notices::proposed_list_published_at(db.store(), year).await? {
        Some(published) => Some(
            rules::procedure::notice_period(
                &Calendar::official(),
                &Parameters::default(),
                published,
            )
            .map_err(|e| ApiError::internal(&e.en))?,
        ),
        None => None,
    };
    Ok(RoundSnapshot {
        year,
        stage,
        now,
        notice,
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
