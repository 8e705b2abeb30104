//! A round's stage (PROC-GUIDE, PROC-LATE, PROC-REVIEW, PROC-NOTICE, PROC-APPROVE): read,
//! and moved one step forward when the rules allow it.

use rules::procedure::{Stage, StageContext};
use service::ApiError;
use service::code::Code;
use service::db::Db;

/// 404: no round for that year.
pub fn no_round(year: i32) -> ApiError {
    ApiError::new(
        404,
        Code::RoundNotFound,
        format!("没有{year}年度的申报。"),
        format!("There is no round for {year}."),
    )
    .field("year")
}

/// The current stage of a round.
pub async fn current(db: &Db, year: i32) -> Result<Stage, ApiError> {
    store::rounds::stage(db.store(), year)
        .await?
        .ok_or_else(|| no_round(year))
}

/// Moves a round to its next stage after checking the transition against the rules
/// (no step skipped or undone; PROC-LATE, PROC-APPROVE conditions).
pub async fn advance(
    db: &Db,
    year: i32,
    to: Stage,
    ctx: &StageContext,
    at: &str,
) -> Result<(), ApiError> {
    let from = current(db, year).await?;
    rules::procedure::check_transition(from, to, ctx).map_err(|r| ApiError::refused(&r))?;
    store::rounds::set_stage(db.store(), year, from, to, at).await?;
    Ok(())
}
