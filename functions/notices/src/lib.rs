//! Notices: the proposed list on public notice (PROC-NOTICE), its updates (re-review
//! conclusions, PROC-OBJECT; corrections) and the payments made (DISCLOSE), as JSON, HTML
//! pages and feeds (Atom, JSON Feed 1.1).
//!
//! Routes (see spin.toml and docs/ROUTES.md):
//! - `POST /api/notices` (officer or administrator): publish a round's proposed list
//!   (`{"kind":"proposed_list","round_year":2026}`) or its payments not yet disclosed
//!   (`{"kind":"payments","round_year":2026}`);
//! - `POST /api/notices/:id/corrections` (officer or administrator): a correction, an
//!   update with its own time (the notice itself is never edited);
//! - public, cross-origin, conditional (ETag, Last-Modified, 304): `GET /api/notices`,
//!   `GET /api/notices/:id`, `GET /notices`, `GET /notices/:id`,
//!   `GET /feeds/notices.atom[?page=N]`, `GET /feeds/notices.json[?page=N]`.
//!
//! The clock is `service::clock::now` (the `clock_override` Spin variable, for tests only).

mod correction;
mod publishing;
mod reading;

use reading::Feed;
use service::route::{only, request_segments};
use service::{ApiError, Reply};
use spin_sdk::http::{Method, Request};
use spin_sdk::http_service;

const COMPONENT: &str = "notices";

#[http_service]
async fn handle(req: Request) -> Reply {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    service::error::finish(&method, &path, route(req).await)
}

async fn route(req: Request) -> Result<Reply, ApiError> {
    let segs = request_segments(&req);
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let public = matches!(
        segs.as_slice(),
        ["api", "notices", ..] | ["notices", ..] | ["feeds", ..]
    );
    if req.method() == Method::OPTIONS && public {
        return Ok(service::conditional::preflight());
    }
    let post = req.method() == Method::POST;
    match segs.as_slice() {
        ["api", "health", "notices"] => {
            only(&req, &[Method::GET])?;
            Ok(service::route::health_with_db(COMPONENT).await)
        }
        ["api", "notices"] if post => publishing::publish(req).await,
        ["api", "notices"] => {
            only(&req, &[Method::GET, Method::POST])?;
            reading::list_json(&req).await
        }
        ["api", "notices", id] => {
            only(&req, &[Method::GET])?;
            reading::one_json(&req, id).await
        }
        ["api", "notices", id, "corrections"] => {
            only(&req, &[Method::POST])?;
            let id = (*id).to_owned();
            correction::correct(req, &id).await
        }
        ["notices"] => {
            only(&req, &[Method::GET])?;
            reading::list_page(&req).await
        }
        ["notices", id] => {
            only(&req, &[Method::GET])?;
            reading::one_page(&req, id).await
        }
        ["feeds", file] => {
            let feed = Feed::named(file).ok_or_else(ApiError::not_found)?;
            only(&req, &[Method::GET])?;
            reading::feed(&req, feed).await
        }
        _ => Err(ApiError::not_found()),
    }
}
