//! Objections: objections filed during the notice period, and re-review conclusions.
//!
//! Routes (see spin.toml): `/api/objections/...`, `/api/health/objections`. Reading
//! objections is for officers (bearer token `officer_token`); filing comes with the
//! next issue.

use service::body::{JSON_LIMIT, read_limited};
use service::db::Db;
use service::route::{only, request_segments};
use service::{ApiError, Reply, json};
use spin_sdk::http::{Method, Request};
use spin_sdk::http_service;

const COMPONENT: &str = "objections";

/// Objections carry free text; a little more room than the API default.
const OBJECTION_LIMIT: usize = 2 * JSON_LIMIT;

#[http_service]
async fn handle(req: Request) -> Reply {
    service::error::finish(route(req).await)
}

async fn route(req: Request) -> Result<Reply, ApiError> {
    let segs = request_segments(&req);
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    match segs.as_slice() {
        ["api", "health", "objections"] => {
            only(&req, &[Method::GET])?;
            Ok(service::route::health(COMPONENT, true).await)
        }
        ["api", "objections"] if req.method() == Method::GET => {
            service::auth::require(&req, "officer_token").await?;
            count().await
        }
        ["api", "objections", ..] => {
            only(&req, &[Method::GET, Method::POST])?;
            read_limited(req, OBJECTION_LIMIT).await?;
            Err(ApiError::not_implemented())
        }
        _ => Err(ApiError::not_found()),
    }
}

async fn count() -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let rows = db
        .query(
            "SELECT status, count(*) FROM objections GROUP BY status ORDER BY status",
            [],
        )
        .await?;
    let mut by_status = serde_json::Map::new();
    for r in &rows.rows {
        let status = r.get::<&str>(0).unwrap_or_default().to_owned();
        by_status.insert(status, r.get::<i64>(1).unwrap_or_default().into());
    }
    Ok(json(200, &serde_json::json!({ "by_status": by_status })))
}
