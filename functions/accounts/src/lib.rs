//! Accounts: the office's people (issue 15) — signing in and out, the session the console
//! runs on, passwords (Argon2id), personal API tokens, the accounts administrators keep,
//! and the audit log read back with the people named.
//!
//! The only component that hashes passwords (Argon2id is deliberately slow and large); the
//! others only look a session or token up by its digest (`service::auth`). Routes: see
//! `docs/ROUTES.md` and `/api/openapi.json`.

mod audit;
mod password;
mod people;
mod session;
mod tokens;

use service::route::{only, request_segments};
use service::{ApiError, Reply};
use spin_sdk::http::{Method, Request};
use spin_sdk::http_service;

const COMPONENT: &str = "accounts";

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
        ["api", "health", "accounts"] => {
            only(&req, &[Method::GET])?;
            Ok(service::route::health_with_db(COMPONENT).await)
        }
        ["api", "session"] => {
            only(&req, &[Method::GET, Method::POST, Method::DELETE])?;
            if *req.method() == Method::POST {
                session::sign_in(req).await
            } else if *req.method() == Method::DELETE {
                session::sign_out(req).await
            } else {
                session::current(req).await
            }
        }
        ["api", "session", "password"] => {
            only(&req, &[Method::POST])?;
            session::change_password(req).await
        }
        ["api", "session", "tokens"] => {
            only(&req, &[Method::GET, Method::POST])?;
            if *req.method() == Method::POST {
                tokens::create(req).await
            } else {
                tokens::list(req).await
            }
        }
        ["api", "session", "tokens", id] => {
            only(&req, &[Method::DELETE])?;
            let id = (*id).to_owned();
            tokens::revoke(req, &id).await
        }
        ["api", "accounts"] => {
            only(&req, &[Method::GET, Method::POST])?;
            if *req.method() == Method::POST {
                people::create(req).await
            } else {
                people::list(req).await
            }
        }
        ["api", "accounts", username] => {
            only(&req, &[Method::POST])?;
            let username = (*username).to_owned();
            people::change(req, &username).await
        }
        ["api", "audit"] => {
            only(&req, &[Method::GET])?;
            audit::read(req).await
        }
        _ => Err(ApiError::not_found()),
    }
}
