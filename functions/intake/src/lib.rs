//! Intake: the year's round (PROC-GUIDE), applications (PROC-LATE, PROC-FREE, TRUTH),
//! supporting documents, the review record (PROC-REVIEW, PROC-CREDIT), the credit register
//! and each enterprise's history (CAP-YEAR, CAP-TIMES, FRAUD) with the clawback (FRAUD).
//!
//! Each handler reads top to bottom: parse → authorise → load → call the rules → store
//! (one transaction) → answer. Routes: see `docs/ROUTES.md` and `/api/openapi.json`.

mod applications;
mod credit;
mod documents;
mod enterprises;
mod oversight;
mod owner;
mod rounds;
mod submission;
mod voiding;

use service::route::{only, request_segments};
use service::{ApiError, Reply};
use spin_sdk::http::{Method, Request};
use spin_sdk::http_service;

const COMPONENT: &str = "intake";

#[http_service]
async fn handle(req: Request) -> Reply {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    service::error::finish(&method, &path, route(req).await)
}

async fn route(req: Request) -> Result<Reply, ApiError> {
    let segs = request_segments(&req);
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let post = req.method() == Method::POST;
    match segs.as_slice() {
        ["api", "health", "intake"] => {
            only(&req, &[Method::GET])?;
            Ok(service::route::health_with_documents(COMPONENT).await)
        }
        ["api", "rounds"] if post => rounds::create(req).await,
        ["api", "rounds"] => {
            only(&req, &[Method::GET, Method::POST])?;
            rounds::list().await
        }
        ["api", "rounds", "current"] => {
            only(&req, &[Method::GET])?;
            rounds::current().await
        }
        ["api", "rounds", year] => {
            only(&req, &[Method::GET])?;
            rounds::get(rounds::parse_year(year)?).await
        }
        ["api", "rounds", year, "stage"] => {
            only(&req, &[Method::POST])?;
            let year = rounds::parse_year(year)?;
            rounds::advance(req, year).await
        }
        ["api", "applications"] if post => submission::submit(req).await,
        ["api", "applications"] => {
            only(&req, &[Method::GET, Method::POST])?;
            applications::list(req).await
        }
        ["api", "applications", id] => {
            only(&req, &[Method::GET])?;
            let id = (*id).to_owned();
            applications::read(req, &id).await
        }
        ["api", "applications", id, "withdraw"] => {
            only(&req, &[Method::POST])?;
            let id = (*id).to_owned();
            owner::withdraw(req, &id).await
        }
        ["api", "applications", id, "void"] => {
            only(&req, &[Method::POST])?;
            let id = (*id).to_owned();
            voiding::void(req, &id).await
        }
        ["api", "applications", id, "documents"] => {
            only(&req, &[Method::POST])?;
            let id = (*id).to_owned();
            documents::upload(req, &id).await
        }
        ["api", "applications", id, "documents", doc] => {
            only(&req, &[Method::GET])?;
            let (id, doc) = ((*id).to_owned(), (*doc).to_owned());
            documents::download(req, &id, &doc).await
        }
        ["api", "applications", id, "review"] => {
            only(&req, &[Method::POST])?;
            let id = (*id).to_owned();
            enterprises::review(req, &id).await
        }
        ["api", "enterprises", code] => {
            only(&req, &[Method::GET])?;
            let code = (*code).to_owned();
            enterprises::read(req, &code).await
        }
        ["api", "enterprises", code, "history"] => {
            only(&req, &[Method::POST])?;
            let code = (*code).to_owned();
            enterprises::import_history(req, &code).await
        }
        ["api", "enterprises", code, "credit-findings"] => {
            only(&req, &[Method::POST])?;
            let code = (*code).to_owned();
            credit::add(req, &code).await
        }
        ["api", "enterprises", code, "credit-findings", id] => {
            only(&req, &[Method::POST])?;
            let (code, id) = ((*code).to_owned(), (*id).to_owned());
            credit::change(req, &code, &id).await
        }
        ["api", "enterprises", code, "fraud"] => {
            only(&req, &[Method::POST])?;
            let code = (*code).to_owned();
            oversight::record_fraud(req, &code).await
        }
        ["api", "enterprises", code, "recoveries"] => {
            only(&req, &[Method::POST])?;
            let code = (*code).to_owned();
            oversight::record_recovery(req, &code).await
        }
        _ => Err(ApiError::not_found()),
    }
}

pub(crate) use service::body::read_rules_json;
pub(crate) use service::error::input_error;

pub(crate) use service::to_json;
