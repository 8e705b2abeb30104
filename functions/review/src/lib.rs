//! Review: the office's acts on applications and enterprises — closing the window and
//! starting the review (the round's stage), the review record (PROC-REVIEW, PROC-CREDIT), the credit register, each enterprise's history (CAP-YEAR,
//! CAP-TIMES), fraud and the clawback (FRAUD), voiding an application filed in another's
//! name, the documents the review reads, and the re-review of objections (PROC-OBJECT:
//! the conclusion and the evidence).
//!
//! Officers and administrators only: the public's routes (applying, a receipt's own
//! application, withdrawal, uploads; filing and following an objection) are intake's and
//! objections', so the code the public reaches does not carry the office's. Each handler reads top to bottom: parse → authorise → load → call the
//! rules → store (one transaction) → answer. Routes: see `docs/ROUTES.md` and
//! `/api/openapi.json`.

mod credit;
mod documents;
mod enterprises;
mod objections;
mod oversight;
mod stage;
mod voiding;

use service::route::{only, request_segments};
use service::{ApiError, Reply};
use spin_sdk::http::{Method, Request};
use spin_sdk::http_service;

const COMPONENT: &str = "review";

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
        ["api", "health", "review"] => {
            only(&req, &[Method::GET])?;
            Ok(service::route::health_with_db(COMPONENT).await)
        }
        ["api", "rounds", year, "stage"] => {
            only(&req, &[Method::POST])?;
            let year = service::route::parse_year(year)?;
            stage::advance(req, year).await
        }
        ["api", "applications", id, "void"] => {
            only(&req, &[Method::POST])?;
            let id = (*id).to_owned();
            voiding::void(req, &id).await
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
        ["api", "objections", id, "conclusion"] => {
            only(&req, &[Method::POST])?;
            let id = (*id).to_owned();
            objections::conclude(req, &id).await
        }
        ["api", "objections", id, "evidence", n] => {
            only(&req, &[Method::GET])?;
            let (id, n) = ((*id).to_owned(), (*n).to_owned());
            objections::evidence(req, &id, &n).await
        }
        _ => Err(ApiError::not_found()),
    }
}

pub(crate) use service::body::read_rules_json;
pub(crate) use service::error::input_error;

pub(crate) use service::to_json;
