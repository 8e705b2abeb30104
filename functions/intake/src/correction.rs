//! The enterprise corrects its application while the window is open (issue 16): the same
//! checks as a submission — TRUTH, SUB-LOAN, the rules' decision — under the same number
//! and receipt token, so nothing it was told changes; only before the review, and only for
//! the same enterprise (another enterprise applies on its own).

use crate::owner::{load_as_owner, while_open};
use crate::submission::{APPLICATION_LIMIT, check_declared, decided, loans_free};
use crate::{COMPONENT, read_rules_request};
use rules::Decision;
use rules::model::Application;
use serde::Serialize;
use service::db::Db;
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;
use store::applications::Status;

/// The answer to a correction (200).
#[derive(Serialize)]
struct Corrected<'a> {
    id: &'a str,
    /// Always `submitted`.
    status: Status,
    corrected_at: &'a str,
    /// The decision on the corrected application.
    decision: &'a Decision,
}

/// 409: the application left `submitted` (withdrawn, or the review began).
fn not_correctable(status: Status) -> ApiError {
    ApiError::conflict(
        format!("该申报当前状态为 {status}，不能再更正。"),
        format!("The application is {status}; it can no longer be corrected."),
    )
}

/// Replaces what the enterprise declared in `id` (its receipt token) with the body.
pub async fn correct(req: Request, id: &str) -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let stored = load_as_owner(&req, &db, id).await?;
    let app: Application = read_rules_request(req, APPLICATION_LIMIT).await?;
    check_declared(&app)?;
    let uscc = stored.uscc.clone();
    if app.enterprise.credit_code.as_str() != uscc {
        return Err(ApiError::invalid(
            "enterprise.credit_code",
            "更正不能更换申报企业；其他企业请另行申报。",
            "A correction cannot change the enterprise; another enterprise applies on its own.",
        ));
    }
    let now = service::clock::now().await;
    let round = round::view::load(&db, stored.round_year).await?;
    while_open(&round, now, "更正", "corrected")?;
    if stored.status != Status::Submitted {
        return Err(not_correctable(stored.status));
    }
    // Decided as of the moment the application was made, as the review decides it again:
    // a correction changes what was declared, not when.
    let (app, decision) = decided(&db, app, &round, stored.submitted_at).await?;
    let at = service::clock::format(now);
    let year = stored.round_year;
    db.transaction(|| async {
        // PROC-LATE again inside the transaction: a window closed meanwhile wins.
        while_open(
            &round::view::load(&db, year).await?,
            now,
            "更正",
            "corrected",
        )?;
        loans_free(&db, year, &uscc, &app, Some(id)).await?;
        // The guard again inside the transaction: a concurrent change wins, not this one.
        if !store::applications::correct(db.store(), id, year, &app, &decision, &at).await? {
            let now = round::case::load(&db, id).await?;
            return Err(not_correctable(now.status));
        }
        db.audit(
            "enterprise",
            COMPONENT,
            "application.correct",
            Some(id),
            &format!(
                "{{\"amount\":\"{}\",\"was\":\"{}\"}}",
                decision.amount, stored.decision.amount
            ),
        )
        .await
    })
    .await?;
    Ok(json(
        200,
        &Corrected {
            id,
            status: Status::Submitted,
            corrected_at: &at,
            decision: &decision,
        },
    ))
}
