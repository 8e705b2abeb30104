//! Intake: the year's round (PROC-GUIDE), applications (PROC-LATE, PROC-FREE, TRUTH) with
//! their correction, withdrawal and supporting documents, and the officers' list of them.
//! The office's acts on an application or an enterprise (the review record, the credit
//! register, history, fraud, recoveries, voiding, reading documents) are the review
//! component's: the code the public reaches does not carry them.
//!
//! Each handler reads top to bottom: parse → authorise → load → call the rules → store
//! (one transaction) → answer. Routes: see `docs/ROUTES.md` and `/api/openapi.json`.

mod applications;
mod correction;
mod documents;
mod owner;
mod rounds;
mod submission;

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
        ["api", "applications", id, "correction"] => {
            only(&req, &[Method::POST])?;
            let id = (*id).to_owned();
            correction::correct(req, &id).await
        }
        ["api", "applications", id, "documents"] => {
            only(&req, &[Method::POST])?;
            let id = (*id).to_owned();
            documents::upload(req, &id).await
        }
        _ => Err(ApiError::not_found()),
    }
}

pub(crate) use service::body::read_rules_request;

pub(crate) use service::to_json;
