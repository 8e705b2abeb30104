//! FRAUD: a determination stops every line of the enterprise not yet paid — proposed (the
//! list on notice) or approved (全额追回 means nothing more is paid) — and a round whose
//! last unpaid lines were stopped is done (`paid`): a stopped line never keeps a round open.

use rules::procedure::{Stage, StageContext};
use service::ApiError;
use service::db::Db;
use store::applications::Status;

use crate::stage;

/// FRAUD: stops the proposed and approved lines of `uscc` (they become `removed`; the
/// approval passes a stopped line over) and closes each round left with nothing to pay;
/// answers the lines stopped, by number.
pub async fn stop_unpaid(db: &Db, uscc: &str, at: &str) -> Result<Vec<String>, ApiError> {
    let mut lines = Vec::new();
    for status in [Status::Proposed, Status::Approved] {
        for (id, year) in
            store::applications::of_enterprise_with_status(db.store(), uscc, status).await?
        {
            lines.push((id, year, status));
        }
    }
    let mut stopped = Vec::with_capacity(lines.len());
    let mut years: Vec<i32> = Vec::new();
    for (id, year, status) in lines {
        if store::applications::move_status(db.store(), &id, status, Status::Removed, at).await? {
            stopped.push(id);
            if !years.contains(&year) {
                years.push(year);
            }
        }
    }
    for year in years {
        let unpaid =
            store::applications::count_with_status(db.store(), year, Status::Approved).await?;
        if unpaid == 0 && stage::current(db, year).await? == Stage::Approved {
            stage::advance(db, year, Stage::Paid, &StageContext::default(), at).await?;
        }
    }
    Ok(stopped)
}
