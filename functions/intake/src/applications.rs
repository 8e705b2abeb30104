//! Applications as stored and read: the enterprise's records that complete them, the
//! decision the rules make, who may open one (its receipt token or an officer), one
//! application with its documents and its progress to the payment, and the officers' list. Submission, withdrawal and
//! documents are their own modules.

use crate::rounds;
use round::case::{Stored, load};
use rules::model::Application;
use rules::{Decision, Money};
use serde::Serialize;
use service::auth::Role;
use service::db::Db;
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;

/// Who opened an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Officer,
    Owner,
}

/// Officers (their tokens) or the enterprise (its receipt token, whose digest is
/// `receipt_hash`) only; a receipt token opens its own application and nothing else. A
/// number that does not exist is judged against a digest no token has, the same work.
async fn authorise(req: &Request, receipt_hash: Option<&str>) -> Result<Viewer, ApiError> {
    const NO_TOKEN_HAS_IT: &str =
        "0000000000000000000000000000000000000000000000000000000000000000";
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    if let Some(token) = service::auth::bearer_token(header)
        && service::token::matches(token, receipt_hash.unwrap_or(NO_TOKEN_HAS_IT))
    {
        return Ok(Viewer::Owner);
    }
    // Otherwise an officer: by token, or signed in (the session cookie); no credential
    // at all is 401, another one 403.
    service::auth::require(req, Role::Officer).await?;
    Ok(Viewer::Officer)
}

/// Loads an application for whoever presents its receipt token or an officer's token.
/// Anyone else learns nothing, not even whether the number exists: without a token 401,
/// with another token 403, and only officers see a 404. The caller is judged on the
/// receipt's digest alone, before the application is read (issue 14: reading it first
/// made a 403 for an existing number measurably slower than for a missing one).
pub async fn load_authorised(
    req: &Request,
    db: &Db,
    id: &str,
) -> Result<(Stored, Viewer), ApiError> {
    let receipt = store::applications::receipt_hash(db.store(), id).await?;
    let viewer = authorise(req, receipt.as_deref()).await?;
    Ok((load(db, id).await?, viewer))
}

#[derive(Serialize)]
struct DocumentView {
    id: String,
    kind: String,
    content_type: String,
    size_bytes: i64,
    sha256: String,
    uploaded_at: String,
}

/// One application (`GET /api/applications/:id`), for its enterprise or an officer.
#[derive(Serialize)]
struct ApplicationView<'a> {
    id: &'a str,
    round_year: i32,
    credit_code: &'a str,
    status: store::applications::Status,
    /// As stored (the moment as it was recorded).
    submitted_at: &'a str,
    /// Applying costs nothing: always `"0.00"`.
    fee_cny: &'static str,
    /// As submitted, and as the review completed it.
    application: &'a Application,
    decision: &'a Decision,
    /// The officers' review record; `null` until reviewed.
    review: Option<&'a serde_json::Value>,
    documents: Vec<DocumentView>,
    /// When the office voided the application (it is then `withdrawn`): why, by whom.
    #[serde(skip_serializing_if = "Option::is_none")]
    voided: Option<store::applications::Voided>,
    /// Its way after the review, as far as it has gone: the list and the notice, the
    /// notice's updates about it, open objections, the government's decision, the payment.
    progress: store::progress::Progress,
    /// Officers only: what the review should look at twice — a right this application
    /// pledges that another enterprise's application of the round pledges too.
    #[serde(skip_serializing_if = "Option::is_none")]
    flags: Option<Vec<rules::flags::SharedRight>>,
}

pub async fn read(req: Request, id: &str) -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let (app, viewer) = load_authorised(&req, &db, id).await?;
    let flags = match viewer {
        Viewer::Officer => Some(flags(&db, &app).await?),
        Viewer::Owner => None,
    };
    let documents: Vec<DocumentView> = store::documents::of_application(db.store(), id)
        .await?
        .into_iter()
        .map(|d| DocumentView {
            id: d.id,
            kind: d.kind,
            content_type: d.content_type,
            size_bytes: d.size_bytes,
            sha256: d.sha256,
            uploaded_at: d.uploaded_at,
        })
        .collect();
    Ok(json(
        200,
        &ApplicationView {
            id: &app.id,
            round_year: app.round_year,
            credit_code: &app.uscc,
            status: app.status,
            submitted_at: &app.submitted_at_text,
            fee_cny: "0.00",
            application: &app.payload,
            decision: &app.decision,
            review: app.review.as_ref(),
            documents,
            voided: store::applications::voided(db.store(), id).await?,
            progress: store::progress::of(db.store(), id, app.round_year, app.status).await?,
            flags,
        },
    ))
}

/// The rights of `app` that another enterprise's application of the round also pledges.
async fn flags(db: &Db, app: &Stored) -> Result<Vec<rules::flags::SharedRight>, ApiError> {
    let round = store::applications::filed_in_round(db.store(), app.round_year).await?;
    let filed: Vec<rules::flags::Filed> = round
        .iter()
        .map(|f| rules::flags::Filed {
            id: &f.id,
            enterprise: &f.uscc,
            application: &f.payload,
        })
        .collect();
    let this = rules::flags::Filed {
        id: &app.id,
        enterprise: &app.uscc,
        application: &app.payload,
    };
    Ok(rules::flags::rights_pledged_elsewhere(this, &filed))
}

/// The officers' list of applications (`GET /api/applications`).
#[derive(Serialize)]
struct ApplicationList<'a> {
    applications: Vec<SummaryView<'a>>,
}

/// One line of the officers' list.
#[derive(Serialize)]
struct SummaryView<'a> {
    id: &'a str,
    round_year: i32,
    credit_code: &'a str,
    enterprise_name: &'a str,
    status: store::applications::Status,
    /// The decision's amount (before BUDGET).
    amount: Money,
    submitted_at: &'a str,
    /// What the review waits for before the application can be decided (submitted ones
    /// only): `documents`, `review` (no record yet), `opinions` (a department has not
    /// answered, PROC-REVIEW), `credit_report` (not recorded, PROC-CREDIT).
    waits_for: Vec<&'static str>,
    /// The kinds of document not uploaded yet.
    missing_documents: Vec<&'static str>,
}

/// What a submitted application still waits for, and the documents it lacks.
fn waiting(a: &store::applications::Summary) -> (Vec<&'static str>, Vec<&'static str>) {
    let missing: Vec<&'static str> = crate::documents::KINDS
        .into_iter()
        .filter(|k| !a.document_kinds.iter().any(|d| d == k))
        .collect();
    if a.status != store::applications::Status::Submitted {
        return (Vec::new(), missing);
    }
    let mut waits = Vec::new();
    if !missing.is_empty() {
        waits.push("documents");
    }
    if !a.reviewed {
        waits.push("review");
    } else {
        if a.opinions_awaited > 0 {
            waits.push("opinions");
        }
        if !a.credit_report {
            waits.push("credit_report");
        }
    }
    (waits, missing)
}

/// Officers list a round's applications.
pub async fn list(req: Request) -> Result<Reply, ApiError> {
    service::auth::require(&req, Role::Officer).await?;
    let year = service::query::query(&req, &["round"])?
        .get("round")
        .map(rounds::parse_year)
        .transpose()?;
    let db = Db::open().await?;
    let summaries = store::applications::summaries(db.store(), year).await?;
    let applications = summaries
        .iter()
        .map(|a| {
            let (waits_for, missing_documents) = waiting(a);
            SummaryView {
                id: &a.id,
                round_year: a.round_year,
                credit_code: &a.uscc,
                enterprise_name: &a.enterprise_name,
                status: a.status,
                amount: a.amount,
                submitted_at: &a.submitted_at,
                waits_for,
                missing_documents,
            }
        })
        .collect();
    Ok(json(200, &ApplicationList { applications }))
}
