//! What the enterprise does with its receipt token while the window is open: withdraw the
//! application or correct it (its documents are [`crate::documents`]).

use crate::COMPONENT;
use crate::applications::Viewer;
use crate::applications::load_authorised;
use round::case::{Stored, load};
use rules::procedure::Stage;
use serde::Serialize;
use service::code::Code;
use service::db::Db;
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;
use store::applications::Status;

/// The enterprise itself (its receipt token); officers may read but not act for it.
pub(crate) async fn load_as_owner(req: &Request, db: &Db, id: &str) -> Result<Stored, ApiError> {
    match load_authorised(req, db, id).await? {
        (app, Viewer::Owner) => Ok(app),
        (_, Viewer::Officer) => Err(ApiError::forbidden()),
    }
}

/// PROC-LATE: the enterprise acts on its application only while the window is open.
pub(crate) fn while_open(
    round: &round::view::RoundView,
    now: chrono::DateTime<chrono::FixedOffset>,
    act_zh: &str,
    act_en: &str,
) -> Result<(), ApiError> {
    if round.stage != Stage::Open || now > round.round.window.closes_at {
        return Err(ApiError::new(
            409,
            Code::Rule(rules::RuleId::ProcLate),
            format!("申报期已结束，不能{act_zh}（PROC-LATE）。"),
            format!(
                "The window has closed; the application can no longer be {act_en} (PROC-LATE)."
            ),
        ));
    }
    Ok(())
}

/// The answer to a withdrawal.
#[derive(Serialize)]
struct Withdrawn<'a> {
    id: &'a str,
    /// Always `withdrawn`.
    status: Status,
}

/// The enterprise withdraws its application while the window is open.
pub async fn withdraw(req: Request, id: &str) -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let app = load_as_owner(&req, &db, id).await?;
    let now = service::clock::now().await;
    let round = round::view::load(&db, app.round_year).await?;
    while_open(&round, now, "撤回", "withdrawn")?;
    let not_withdrawable = |status: Status| {
        ApiError::conflict(
            format!("该申报当前状态为 {status}，不能撤回。"),
            format!("The application is {status}; it cannot be withdrawn."),
        )
    };
    if app.status != Status::Submitted {
        return Err(not_withdrawable(app.status));
    }
    let at = service::clock::format(now);
    let year = app.round_year;
    db.transaction(|| async {
        // The guards again inside the transaction: a window closed or a change made
        // meanwhile wins, not this withdrawal.
        while_open(
            &round::view::load(&db, year).await?,
            now,
            "撤回",
            "withdrawn",
        )?;
        if !store::applications::withdraw(db.store(), id, &at).await? {
            let now = load(&db, id).await?;
            return Err(not_withdrawable(now.status));
        }
        db.audit(
            "enterprise",
            COMPONENT,
            "application.withdraw",
            Some(id),
            "{}",
        )
        .await
    })
    .await?;
    Ok(json(
        200,
        &Withdrawn {
            id,
            status: Status::Withdrawn,
        },
    ))
}
