//! Objections to an entry of a proposed list during its notice period (PROC-OBJECT): filed
//! by anyone, followed by the objector, listed for officers.
//!
//! Routes (see spin.toml and docs/ROUTES.md):
//! - `POST /api/objections` (anyone): file an objection; only inside the notice period.
//!   Answers a tracking number and a private token (shown once; only its SHA-256 is kept).
//! - `GET /api/objections/:id` with `Authorization: Bearer <private token>`: the objector
//!   follows the status and the conclusion; with an officer token: the whole record.
//! - `GET /api/objections` (officer): counts by status; `?notice=<id>`: the objections to
//!   one notice, with the objectors' data (never public).
//!
//! The re-review (an evidence file, the conclusion) is the review component's: the code the
//! public reaches does not carry the office's.
//!
//! Floods (objections accepted per objector and per client address per hour) and
//! identical repeated objections are refused politely; the limits live in SQLite
//! (`write_rate`, `service::throttle`), and each objection carries a proof of work spent
//! once (`challenge`, `spent_challenges`).

use base64::Engine;
use publish::NoticeKind;
use serde::{Deserialize, Serialize};
use serde_json::json;
use service::auth::{Role, bearer_token};
use service::body::{JSON_LIMIT, read_json};
use service::db::Db;
use service::query::none as no_query;
use service::route::{only, request_segments};
use service::throttle::Limit;
use service::token::{matches, new_token, sha256_hex};
use service::{ApiError, Reply, clock, json};
use spin_sdk::http::{HeaderValue, Method, Request};
use spin_sdk::http_service;

mod filing;
mod views;

mod challenge;
use filing::file;
use views::{officer_list, show};

const COMPONENT: &str = "objections";

/// Evidence files: at most this many per objection …
pub const MAX_FILES: usize = 3;
/// … of at most this many bytes each (decoded).
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// The body carries the files in base64 (4/3), plus the text.
pub const OBJECTION_LIMIT: usize = MAX_FILES * MAX_FILE_BYTES * 4 / 3 + 2 * JSON_LIMIT;
/// Grounds: at least this many characters …
pub const GROUNDS_MIN: usize = 10;
/// … and at most this many.
pub const GROUNDS_MAX: usize = 3000;
/// Objections accepted from one objector (by contact, case and spacing aside) in one clock
/// hour: what identifies the objector, not where it connects from.
pub const BY_CONTACT: Limit = Limit {
    name: "objection-contact",
    per_hour: 5,
    who_zh: "您（按联系方式）",
    who_en: "You (by your contact)",
    what_zh: "件异议",
    what_en: "objections",
};
/// Objections accepted from one client address (an IPv6 client by its /64) in one clock
/// hour: a coarse guard only — behind an ingress the whole public may share an address.
pub const BY_ADDRESS: Limit = Limit {
    name: "objection-address",
    per_hour: 30,
    who_zh: "您所在的网络地址",
    who_en: "Your network address",
    what_zh: "件异议",
    what_en: "objections",
};

#[http_service]
async fn handle(req: Request) -> Reply {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    service::error::finish(&method, &path, route(req).await)
}

async fn route(req: Request) -> Result<Reply, ApiError> {
    let segs = request_segments(&req);
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    match segs.as_slice() {
        ["api", "health", "objections"] => {
            only(&req, &[Method::GET])?;
            Ok(service::route::health_with_db(COMPONENT).await)
        }
        ["api", "objections"] => {
            only(&req, &[Method::GET, Method::POST])?;
            if req.method() == Method::POST {
                file(req).await
            } else {
                service::auth::require(&req, Role::Officer).await?;
                officer_list(&req).await
            }
        }
        ["api", "objections", "challenge"] => {
            only(&req, &[Method::GET])?;
            no_query(&req)?;
            challenge::issue().await
        }
        ["api", "objections", id] => {
            only(&req, &[Method::GET])?;
            no_query(&req)?;
            show(&req, id).await
        }
        _ => Err(ApiError::not_found()),
    }
}

/// A notice as published, without its later updates (enough to check an objection against
/// its kind, period and entries); a 404 naming `field` when there is none.
pub(crate) async fn load_notice(
    db: &Db,
    id: &str,
    field: &str,
) -> Result<publish::Notice, ApiError> {
    store::notices::find_as_published(db.store(), id)
        .await?
        .ok_or_else(|| ApiError::notice_not_found(id).field(field))
}
