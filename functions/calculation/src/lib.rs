//! Calculation: the public pre-check, the round's allocation (CAP-YEAR, CAP-TIMES,
//! BUDGET), the district government's approval (PROC-APPROVE), payments and their
//! disclosure (DISCLOSE), and the lists as CSV and XLSX.
//!
//! Routes: `/api/precheck`, `/api/rounds/:year/allocation/...`, `/api/disclosure`.

mod allocation;
mod approval;
mod export;
mod payment;
mod recovery;

use rules::{Parameters, PrecheckRequest};
use service::body::{JSON_LIMIT, read_rules_request};
use service::db::Db;
use service::route::{only, parse_year, request_segments};
use service::{ApiError, Reply, json};
use spin_sdk::http::{Method, Request};
use spin_sdk::http_service;

const COMPONENT: &str = "calculation";

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
        ["api", "health", "calculation"] => {
            only(&req, &[Method::GET])?;
            Ok(service::route::health_with_db(COMPONENT).await)
        }
        ["api", "precheck"] => {
            only(&req, &[Method::POST])?;
            precheck(req).await
        }
        ["api", "disclosure"] => {
            only(&req, &[Method::GET])?;
            disclosure().await
        }
        ["api", "rounds", year, "allocation", rest @ ..] => {
            let year = parse_year(year)?;
            match (rest, req.method().clone()) {
                ([], Method::POST) => allocation::compute(req, year).await,
                ([], _) => {
                    only(&req, &[Method::GET, Method::POST])?;
                    allocation::read(req, year).await
                }
                (["approval"], _) => {
                    only(&req, &[Method::POST])?;
                    approval::approve(req, year).await
                }
                (["payments"], _) => {
                    only(&req, &[Method::POST])?;
                    payment::pay(req, year).await
                }
                ([file], _) if file.starts_with("export.") => {
                    only(&req, &[Method::GET])?;
                    let file = (*file).to_owned();
                    export::export(req, year, &file).await
                }
                _ => Err(ApiError::not_found()),
            }
        }
        _ => Err(ApiError::not_found()),
    }
}

/// The public, stateless pre-check: the same answer as the browser's.
async fn precheck(req: Request) -> Result<Reply, ApiError> {
    let request: PrecheckRequest = read_rules_request(req, JSON_LIMIT).await?;
    rules::precheck::validate(&request).map_err(service::error::input_error)?;
    // Written directly (`Decision::to_json`), as the browser's answer is.
    let decision = rules::precheck(&request, &Parameters::default());
    Ok(service::error::bytes_reply(
        200,
        "application/json; charset=utf-8",
        decision.to_json().into_bytes().into(),
    ))
}

/// DISCLOSE: what was paid, per round and per enterprise, and beside it what is due back
/// under FRAUD and what was recovered (public).
async fn disclosure() -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let payments = store::payments::all(db.store()).await?;
    let claims = store::recovery::all(db.store()).await?;
    let view = Disclosure {
        paid: rules::oversight::disclosure(&payments),
        recoveries: recovery::Disclosed::of(&claims, &payments),
    };
    let mut reply = json(200, &view);
    reply.headers_mut().insert(
        "access-control-allow-origin",
        spin_sdk::http::HeaderValue::from_static("*"),
    );
    Ok(reply)
}

/// The public disclosure: payments' totals, and the clawback beside them.
#[derive(serde::Serialize)]
struct Disclosure<'a> {
    #[serde(flatten)]
    paid: rules::oversight::Disclosure,
    /// FRAUD: every subsidy due back, what was received (dates and amounts) and what is
    /// outstanding; the receipts' references stay with the office.
    recoveries: recovery::Disclosed<'a>,
}
