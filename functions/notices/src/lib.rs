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

use chrono::{DateTime, FixedOffset, Utc};
use publish::{Contact, Notice, NoticeEntry, NoticeKind, NoticeUpdate, UpdateKind};
use rules::Parameters;
use rules::calendar::Calendar;
use rules::procedure::{Stage, StageContext};
use serde::Deserialize;
use serde_json::json;
use service::body::{JSON_LIMIT, read_json};
use service::code::Code;
use service::db::Db;
use service::error::bytes_reply;
use service::route::{only, request_segments};
use service::{ApiError, Reply, clock, json, list};
use spin_sdk::http::{HeaderValue, Method, Request};
use spin_sdk::http_service;

mod conditional;
mod correction;
mod publishing;
mod reading;

use conditional::*;
use correction::*;
use publishing::*;
use reading::*;

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
    let read = [Method::GET, Method::HEAD];
    let public = matches!(
        segs.as_slice(),
        ["api", "notices", ..] | ["notices", ..] | ["feeds", ..]
    );
    if req.method() == Method::OPTIONS && public {
        return Ok(preflight());
    }
    match segs.as_slice() {
        ["api", "health", "notices"] => {
            only(&req, &[Method::GET])?;
            Ok(service::route::health(COMPONENT, true).await)
        }
        ["api", "notices"] if req.method() == Method::POST => publish_notice(req).await,
        ["api", "notices"] => {
            only(&req, &[Method::GET, Method::HEAD, Method::POST])?;
            no_query(&req)?;
            let (notices, now) = load_public().await?;
            let base = base_url().await?;
            let list: Vec<serde_json::Value> =
                notices.iter().map(|n| summary(n, now, &base)).collect();
            let body = serde_json::to_vec(&json!({ "notices": list }))
                .map_err(|e| ApiError::internal(&e.to_string()))?;
            Ok(conditional(
                &req,
                body,
                "application/json; charset=utf-8",
                newest(&notices, now),
            ))
        }
        ["api", "notices", id] => {
            only(&req, &read)?;
            no_query(&req)?;
            let db = Db::open().await?;
            let n = load_one(&db, id).await?;
            let now = clock::now().await;
            let base = base_url().await?;
            let body = serde_json::to_vec(&detail(&n, now, &base))
                .map_err(|e| ApiError::internal(&e.to_string()))?;
            Ok(conditional(
                &req,
                body,
                "application/json; charset=utf-8",
                Some(effective_modified(&n, now)),
            ))
        }
        ["api", "notices", id, "corrections"] => {
            only(&req, &[Method::POST])?;
            let id = (*id).to_owned();
            correction(req, &id).await
        }
        ["notices"] => {
            only(&req, &read)?;
            no_query(&req)?;
            let (notices, now) = load_public().await?;
            let body = publish::html::list_page(&notices, now).into_bytes();
            Ok(conditional(
                &req,
                body,
                "text/html; charset=utf-8",
                newest(&notices, now),
            ))
        }
        ["notices", id] => {
            only(&req, &read)?;
            no_query(&req)?;
            let db = Db::open().await?;
            let n = load_one(&db, id).await?;
            let now = clock::now().await;
            let body = publish::html::notice_page(&n, now).into_bytes();
            Ok(conditional(
                &req,
                body,
                "text/html; charset=utf-8",
                Some(effective_modified(&n, now)),
            ))
        }
        ["feeds", feed @ ("notices.atom" | "notices.json")] => {
            only(&req, &read)?;
            let page = page_param(&req)?;
            let (notices, now) = load_public().await?;
            let base = base_url().await?;
            let count = publish::feed::items(&notices, &base).len();
            if page > 1 && (page - 1) * publish::feed::PAGE_SIZE >= count {
                return Err(ApiError::new(
                    404,
                    Code::NotFound,
                    format!("订阅源没有第 {page} 页。"),
                    format!("The feed has no page {page}."),
                )
                .field("page"));
            }
            let (body, ty) = if *feed == "notices.atom" {
                (
                    publish::feed::atom(&notices, &base, page),
                    "application/atom+xml; charset=utf-8",
                )
            } else {
                (
                    publish::feed::json_feed(&notices, &base, page),
                    "application/feed+json; charset=utf-8",
                )
            };
            Ok(conditional(
                &req,
                body.into_bytes(),
                ty,
                newest(&notices, now),
            ))
        }
        _ => Err(ApiError::not_found()),
    }
}
