//! Calculation: the pre-check, allocation, approval, payments and exports.
//!
//! Routes (see spin.toml): `/api/precheck`, `/api/rounds/:year/allocation/...`,
//! `/api/health/calculation`. The endpoints call the pure policy crate with the next
//! issue; at this stage they enforce their limits and answer `not_implemented`.

use service::body::{JSON_LIMIT, read_limited};
use service::route::{only, request_segments};
use service::{ApiError, Reply};
use spin_sdk::http::{Method, Request};
use spin_sdk::http_service;

const COMPONENT: &str = "calculation";

#[http_service]
async fn handle(req: Request) -> Reply {
    service::error::finish(route(req).await)
}

async fn route(req: Request) -> Result<Reply, ApiError> {
    let segs = request_segments(&req);
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    match segs.as_slice() {
        ["api", "health", "calculation"] => {
            only(&req, &[Method::GET])?;
            Ok(service::route::health(COMPONENT, true).await)
        }
        ["api", "precheck"] => {
            only(&req, &[Method::POST])?;
            read_limited(req, JSON_LIMIT).await?;
            Err(ApiError::not_implemented())
        }
        ["api", "rounds", _year, "allocation", ..] => {
            read_limited(req, JSON_LIMIT).await?;
            Err(ApiError::not_implemented())
        }
        _ => Err(ApiError::not_found()),
    }
}
