//! The office voids an application (issue 14): one filed in an enterprise's name by someone
//! else blocks the enterprise's own loan (SUB-LOAN counts a loan once per round) until an
//! officer voids it, with a reason. The application leaves the round as `withdrawn`, its
//! loans free again; the reason and the officer are kept and audited. Only before the list:
//! once an application is on it, the notice, the re-review and the approval decide.

use crate::COMPONENT;
use round::case::load;
use serde::{Deserialize, Serialize};
use service::auth::Role;
use service::body::{JSON_LIMIT, read_json};
use service::db::Db;
use service::error::prose;
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;
use store::applications::{Status, Voided};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VoidRequest {
    reason: String,
}

/// The answer to a void (200).
#[derive(Serialize)]
struct VoidAnswer<'a> {
    id: &'a str,
    /// Always `withdrawn`.
    status: Status,
    voided: &'a Voided,
}

/// Voids `id` (officers), before the list.
pub async fn void(req: Request, id: &str) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Officer).await?;
    let body: VoidRequest = read_json(req, JSON_LIMIT).await?;
    prose("reason", &body.reason, 4, 1000, true)?;
    let db = Db::open().await?;
    let now = service::clock::now().await;
    let voided = Voided {
        reason: body.reason.trim().to_owned(),
        actor: actor.clone(),
        voided_at: service::clock::format(now),
    };
    db.transaction(|| async {
        // Judged inside the transaction: a concurrent review or list wins, not this.
        let app = load(&db, id).await?;
        if !matches!(
            app.status,
            Status::Submitted | Status::Eligible | Status::Refused
        ) || !store::applications::void(db.store(), id, app.status, &voided).await?
        {
            return Err(ApiError::conflict(
                format!("该申报当前状态为 {}，不能作废（已列入名单的，由公示、重审和审议决定）。", app.status),
                format!(
                    "The application is {}; it cannot be voided (once listed, the notice, the re-review and the approval decide).",
                    app.status
                ),
            ));
        }
        db.audit(
            &actor,
            COMPONENT,
            "application.void",
            Some(id),
            &service::to_json(&voided)?,
        )
        .await
    })
    .await?;
    Ok(json(
        200,
        &VoidAnswer {
            id,
            status: Status::Withdrawn,
            voided: &voided,
        },
    ))
}
