//! Notices: the proposed list (公示), results, disclosure, as JSON, HTML and feeds.
//!
//! Routes (see spin.toml): `/api/notices/...`, `/notices/...`, `/feeds/...`,
//! `/api/health/notices`. At this stage the JSON list reads the `notices` table; the
//! HTML pages and feeds come with the next issue.

use serde::Serialize;
use service::db::Db;
use service::route::{only, request_segments};
use service::{ApiError, Reply, json};
use spin_sdk::http::{Method, Request};
use spin_sdk::http_service;

const COMPONENT: &str = "notices";

#[http_service]
async fn handle(req: Request) -> Reply {
    service::error::finish(route(req).await)
}

#[derive(Serialize)]
struct NoticeSummary {
    id: String,
    round_year: i64,
    kind: String,
    title_zh: String,
    title_en: String,
    published_on: String,
    period_ends_on: Option<String>,
}

async fn route(req: Request) -> Result<Reply, ApiError> {
    let segs = request_segments(&req);
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    only(&req, &[Method::GET, Method::HEAD])?;
    match segs.as_slice() {
        ["api", "health", "notices"] => Ok(service::route::health(COMPONENT, true).await),
        ["api", "notices"] => list().await,
        ["api", "notices", ..] | ["notices", ..] | ["feeds", ..] => {
            Err(ApiError::not_implemented())
        }
        _ => Err(ApiError::not_found()),
    }
}

async fn list() -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let rows = db
        .query(
            "SELECT id, round_year, kind, title_zh, title_en, published_on, period_ends_on \
             FROM notices ORDER BY published_on DESC LIMIT 100",
            [],
        )
        .await?;
    let notices: Vec<NoticeSummary> = rows
        .rows
        .iter()
        .map(|r| NoticeSummary {
            id: r.get::<&str>(0).unwrap_or_default().to_owned(),
            round_year: r.get::<i64>(1).unwrap_or_default(),
            kind: r.get::<&str>(2).unwrap_or_default().to_owned(),
            title_zh: r.get::<&str>(3).unwrap_or_default().to_owned(),
            title_en: r.get::<&str>(4).unwrap_or_default().to_owned(),
            published_on: r.get::<&str>(5).unwrap_or_default().to_owned(),
            period_ends_on: r.get::<&str>(6).map(str::to_owned),
        })
        .collect();
    Ok(json(200, &serde_json::json!({ "notices": notices })))
}
