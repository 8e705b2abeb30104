//! What every Spin component of the app shares.
//!
//! - [`code`]: the machine codes of error answers, one per kind of refusal;
//! - [`conditional`]: ETags, `If-None-Match` / `If-Modified-Since`, 304, the public
//!   reads' CORS;
//! - [`error`]: the one JSON error shape (HTTP status, machine code, field, Chinese and
//!   English message) and the reply helpers;
//! - [`body`]: request-body limits and JSON parsing with the failing field named;
//! - [`hidden`]: control and invisible characters refused in every request's text;
//! - [`idempotency`]: the `Idempotency-Key` header;
//! - [`auth`]: bearer tokens checked in constant time against Spin variables;
//! - [`db`]: the component's connection to the store (`shared/store`) and its
//!   transactions;
//! - [`query`]: query strings, percent-decoded and checked against the names an address
//!   takes;
//! - [`route`]: the little routing every component does after Spin picked it;
//! - [`clock`]: the current moment (Asia/Shanghai), overridable for tests only;
//! - [`token`]: random private tokens and SHA-256 digests;
//! - [`published`]: public reads rendered once, kept in Spin's key-value store;
//! - [`memory`]: what an instance keeps from one request to the next (Spin reuses it);
//!
//! Nothing here holds policy: the rules live in `shared/rules`.

pub mod auth;
pub mod body;
pub mod clock;
pub mod code;
pub mod conditional;
pub mod db;
pub mod error;
pub mod hidden;
pub mod idempotency;
pub mod memory;
pub mod proof;
pub mod published;
pub mod query;
pub mod route;
pub mod static_path;
pub mod throttle;
pub mod token;
pub mod variable;

pub use error::{ApiError, Reply, json};

/// The version every component reports on its health route.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Serialises a value for storage (an `ApiError` 500 if it cannot be).
pub fn to_json<T: serde::Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|e| ApiError::internal(&e.to_string()))
}

/// Reads a value stored by [`to_json`] (an `ApiError` 500 if it cannot be).
pub fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, ApiError> {
    serde_json::from_slice(s.as_bytes())
        .map_err(|e| ApiError::internal(&format!("stored JSON unreadable: {e}")))
}
