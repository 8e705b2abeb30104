//! The app itself on the local host, for a test: the project's manifest and migrations,
//! Spin variables (tokens, `clock_override`), JSON calls with a bearer token, and the
//! checks every error answer must pass.

use crate::{Answer, TempDir, app_manifest, config, ensure_built, migrations, request};
use serde_json::Value;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Starts the app on the state folder `state` with these Spin variables (for instance
/// `admin_token`, `officer_token`, `clock_override`).
pub async fn start_app(state: &TempDir, vars: &[(&str, &str)]) -> localspin::Running {
    ensure_built();
    let mut c = config(&app_manifest(), &state.0);
    for (k, v) in vars {
        c.variables.push(((*k).to_owned(), (*v).to_owned()));
    }
    c.sqlite_statements = migrations();
    localspin::start(c).await.expect("the app starts")
}

/// The SQLite file of the `default` database in a state folder.
pub fn database_file(state: &TempDir) -> PathBuf {
    state.0.join("sqlite_db.db")
}

/// A JSON request, with `Authorization: Bearer <token>` when given; `Value::Null` sends
/// no body. Panics on I/O errors.
pub async fn call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &Value,
) -> Answer {
    let bytes = if body.is_null() {
        Vec::new()
    } else {
        body.to_string().into_bytes()
    };
    call_raw(addr, method, path, token, "application/json", &bytes).await
}

/// Any body with its content type, and an optional bearer token. Panics on I/O errors.
pub async fn call_raw(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    content_type: &str,
    body: &[u8],
) -> Answer {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", content_type)];
    if let Some(h) = &auth {
        headers.push(("authorization", h.as_str()));
    }
    request(addr, method, path, &headers, body)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// Asserts the house error shape (`{"error": {status, code, field, message_zh,
/// message_en}}`) with this status and code; answers the error object.
#[track_caller]
pub fn assert_error(r: &Answer, status: u16, code: &str) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    assert!(
        r.header("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "an error is JSON: {:?}",
        r.headers
    );
    let v = r.json();
    let e = &v["error"];
    assert_eq!(e["status"], status, "{v}");
    assert_eq!(e["code"], code, "{v}");
    assert!(e.get("field").is_some(), "{v}");
    for m in ["message_zh", "message_en"] {
        assert!(!e[m].as_str().unwrap_or("").trim().is_empty(), "{m}: {v}");
    }
    e.clone()
}
