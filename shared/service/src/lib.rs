//! What every Spin component of the app shares.
//!
//! - [`error`]: the one JSON error shape (HTTP status, machine code, field, Chinese and
//!   English message) and the reply helpers;
//! - [`body`]: request-body limits and JSON parsing with the failing field named;
//! - [`auth`]: bearer tokens checked in constant time against Spin variables;
//! - [`schema`]: the SQLite schema, as migrations owned by one component each;
//! - [`db`]: helpers over `spin_sdk::sqlite` that always drain rows and await the result;
//! - [`route`]: the little routing every component does after Spin picked it.
//!
//! Nothing here holds policy: the rules live in `shared/rules`.

pub mod auth;
pub mod body;
pub mod db;
pub mod error;
pub mod route;
pub mod schema;

pub use error::{ApiError, Reply, json};

/// The version every component reports on its health route.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
