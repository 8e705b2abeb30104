//! The round's window closes and its review begins (PROC-LATE, PROC-REVIEW): the two stage
//! moves administrators make by hand (open → closed → under_review).

use crate::{COMPONENT, read_rules_json};
use round::view::load;
use rules::procedure::{Stage, StageContext};
use serde::Deserialize;
use service::auth::Role;
use service::body::JSON_LIMIT;
use service::db::Db;
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;
use store::rounds::stage_name;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageChange {
    to: Stage,
}

/// Administrators close the window and start the review; the later stages are set by
/// allocation, notice and approval.
pub async fn advance(req: Request, year: i32) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Admin).await?;
    let change: StageChange = read_rules_json(req, JSON_LIMIT).await?;
    if !matches!(change.to, Stage::Closed | Stage::UnderReview) {
        return Err(ApiError::invalid(
            "to",
            "此处只能将申报截止（closed）或进入评审（under_review）；其余阶段由分配、公示、审批各自完成。",
            "Only `closed` and `under_review` are set here; allocation, notice and approval set the later stages.",
        ));
    }
    let db = Db::open().await?;
    let now = service::clock::now().await;
    let at = service::clock::format(now);
    let round = load(&db, year).await?;
    let ctx = StageContext {
        now: Some(now),
        window_closes_at: Some(round.round.window.closes_at),
        notice: None,
    };
    db.transaction(|| async {
        round::stage::advance(&db, year, change.to, &ctx, &at).await?;
        db.audit(
            &actor,
            COMPONENT,
            "round.stage",
            Some(&format!("round:{year}")),
            &format!("{{\"to\":\"{}\"}}", stage_name(change.to)),
        )
        .await
    })
    .await?;
    Ok(json(200, &load(&db, year).await?.at(now)))
}
