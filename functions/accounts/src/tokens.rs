//! Personal API tokens (issue 15): automation acts as the person who made the token, and
//! the audit log names them. The token is shown once; only its SHA-256 is kept. Revoked by
//! its owner, and all of a person's at once when their account is disabled or their
//! password changed or reset.

use serde::{Deserialize, Serialize};
use service::auth::Role;
use service::auth::{PERSONAL_TOKEN_PREFIX, Person};
use service::body::{JSON_LIMIT, read_json};
use service::db::Db;
use service::error::prose;
use service::{ApiError, Reply, json};
use spin_sdk::http::{Method, Request};

use crate::COMPONENT;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewToken {
    label: String,
}

#[derive(Serialize)]
struct Created<'a> {
    id: i64,
    label: &'a str,
    /// Shown this once.
    token: &'a str,
    created_at: &'a str,
}

#[derive(Serialize)]
struct TokenList {
    tokens: Vec<store::accounts::ApiToken>,
}

/// The person behind the request; their tokens are their own business.
async fn person(req: &Request) -> Result<Person, ApiError> {
    service::auth::person(req)
        .await?
        .ok_or_else(ApiError::unauthorized)
}

/// `GET /api/session/tokens`: the person's tokens (never their secrets).
pub async fn list(req: Request) -> Result<Reply, ApiError> {
    let p = person(&req).await?;
    let db = Db::open().await?;
    let tokens = store::accounts::tokens_of(db.store(), &p.account.username).await?;
    Ok(json(200, &TokenList { tokens }))
}

/// `POST /api/session/tokens`: a new token, shown once; only from a signed-in browser (a
/// token does not make tokens). Auditors may make one: it reads only, as they do.
pub async fn create(req: Request) -> Result<Reply, ApiError> {
    let (p, _, _) = crate::session::signed_in(&req).await?;
    let body: NewToken = read_json(req, JSON_LIMIT).await?;
    prose("label", &body.label, 1, 100, false)?;
    let label = body.label.trim().to_owned();
    let token = format!("{PERSONAL_TOKEN_PREFIX}{}", service::token::new_token()?);
    let digest = service::token::sha256_hex(token.as_bytes());
    let at = service::clock::format(service::clock::now().await);
    let db = Db::open().await?;
    let id = db
        .transaction(|| async {
            // Still an active account (a disable that committed meanwhile wins).
            service::auth::still_allowed(&db, &p.actor(), Role::Officer, &Method::GET).await?;
            let id =
                store::accounts::add_token(db.store(), &digest, &p.account.username, &label, &at)
                    .await?;
            let detail = serde_json::json!({"token": id, "label": label});
            db.audit(
                &p.actor(),
                COMPONENT,
                "token.create",
                Some(&p.actor()),
                &detail.to_string(),
            )
            .await?;
            Ok(id)
        })
        .await?;
    Ok(json(
        201,
        &Created {
            id,
            label: &label,
            token: &token,
            created_at: &at,
        },
    ))
}

/// `DELETE /api/session/tokens/:id`: revokes one of the person's own tokens.
pub async fn revoke(req: Request, id: &str) -> Result<Reply, ApiError> {
    let p = person(&req).await?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    let at = service::clock::format(service::clock::now().await);
    let db = Db::open().await?;
    db.transaction(|| async {
        if !store::accounts::revoke_token(db.store(), id, &p.account.username, &at).await? {
            return Err(ApiError::not_found());
        }
        let detail = serde_json::json!({"token": id});
        db.audit(
            &p.actor(),
            COMPONENT,
            "token.revoke",
            Some(&p.actor()),
            &detail.to_string(),
        )
        .await
    })
    .await?;
    Ok(service::error::no_content())
}
