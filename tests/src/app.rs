//! The app itself on the local host, for a test: the project's manifest and migrations,
//! Spin variables (tokens, `clock_override`), JSON calls with a bearer token, and the
//! checks every error answer must pass.

use crate::spin::{SpinConfig, SpinProcess};
use crate::{Answer, TempDir, app_manifest, config, ensure_built, migrations, request};
use serde_json::Value;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Which runtime serves the app in a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// The project's local host (`xtask/host`), in this process.
    Local,
    /// The real Spin 4.1 (`spin up`), as its own process.
    Spin,
}

/// The app (or a fixture) served by one of the runtimes.
pub struct AppHost {
    pub addr: SocketAddr,
    pub runtime: Runtime,
    served: Served,
}

enum Served {
    Local(localspin::Running),
    Spin(SpinProcess),
}

impl AppHost {
    pub fn local(running: localspin::Running) -> Self {
        AppHost {
            addr: running.addr,
            runtime: Runtime::Local,
            served: Served::Local(running),
        }
    }

    pub fn spin(process: SpinProcess) -> Self {
        AppHost {
            addr: process.addr,
            runtime: Runtime::Spin,
            served: Served::Spin(process),
        }
    }

    /// Stops serving (the local host finishes its accept loop; Spin is killed).
    pub async fn stop(self) {
        match self.served {
            Served::Local(r) => r.stop().await,
            Served::Spin(p) => drop(p),
        }
    }
}

/// The administrator's bearer token every test app is started with.
pub const ADMIN: &str = "admin-token-for-the-tests-0123";
/// The reviewing officer's bearer token every test app is started with.
pub const OFFICER: &str = "officer-token-for-the-tests-0123";

/// The deployment's first administrator every test app is started with (the Spin
/// variables `first_admin_username` / `first_admin_password`): before any account exists,
/// signing in with these creates it.
pub const FIRST_ADMIN: &str = "admin";
pub const FIRST_ADMIN_PASSWORD: &str = "first-admin-password-for-tests";

/// A signed-in person: the session cookie's secret and the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl Session {
    /// Signs in (`POST /api/session`); panics unless it succeeds.
    pub async fn sign_in(addr: SocketAddr, username: &str, password: &str) -> Session {
        let body = serde_json::json!({"username": username, "password": password});
        let r = call(addr, "POST", "/api/session", None, &body).await;
        assert_eq!(r.status, 200, "sign in as {username}: {}", r.text());
        Session::from_answer(&r)
    }

    /// The session a sign-in's answer set up.
    pub fn from_answer(r: &Answer) -> Session {
        let set = r.header("set-cookie").expect("a session cookie");
        let cookie = set
            .split(';')
            .next()
            .and_then(|c| c.strip_prefix("mtg_session="))
            .expect("mtg_session=…")
            .to_owned();
        let csrf = r.json()["csrf_token"]
            .as_str()
            .expect("csrf_token")
            .to_owned();
        Session { cookie, csrf }
    }

    /// A JSON request with this session's cookie and, unless `csrf` is false, its token.
    pub async fn call_with(
        &self,
        addr: SocketAddr,
        method: &str,
        path: &str,
        body: &Value,
        csrf: bool,
    ) -> Answer {
        let cookie = format!("mtg_session={}", self.cookie);
        let mut headers = vec![
            ("content-type", "application/json"),
            ("cookie", cookie.as_str()),
        ];
        if csrf {
            headers.push(("x-csrf-token", self.csrf.as_str()));
        }
        let bytes = if body.is_null() {
            Vec::new()
        } else {
            body.to_string().into_bytes()
        };
        request(addr, method, path, &headers, &bytes)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// A JSON request with this session (cookie and CSRF token).
    pub async fn call(&self, addr: SocketAddr, method: &str, path: &str, body: &Value) -> Answer {
        self.call_with(addr, method, path, body, true).await
    }
}

/// The one way the tests start the app: the project's manifest, its migrations applied to
/// `default`, the tests' [`ADMIN`] and [`OFFICER`] tokens, and whatever else is set here.
///
/// ```ignore
/// let host = App::on(rt).at("2026-04-15T10:00:00+08:00").start(&state).await;
/// ```
pub struct App<'a> {
    runtime: Runtime,
    vars: Vec<(&'a str, &'a str)>,
    server_timing: bool,
}

impl<'a> App<'a> {
    /// On the local host.
    pub fn local() -> Self {
        App::on(Runtime::Local)
    }

    /// On `runtime` (the local host or real Spin).
    pub fn on(runtime: Runtime) -> Self {
        App {
            runtime,
            // Objections without a proof of work: the tests that are about it ask for one
            // (`.var("objection_proof_bits", …)`), the rest file objections directly.
            vars: vec![
                ("admin_token", ADMIN),
                ("officer_token", OFFICER),
                ("objection_proof_bits", "0"),
                ("first_admin_username", FIRST_ADMIN),
                ("first_admin_password", FIRST_ADMIN_PASSWORD),
            ],
            server_timing: false,
        }
    }

    /// Answers carry the local host's `server-timing` (its calls to the host counted);
    /// Spin has none.
    pub fn timed(mut self) -> Self {
        self.server_timing = true;
        self
    }

    /// The service's clock stands at `now` (the `clock_override` variable, RFC 3339).
    pub fn at(self, now: &'a str) -> Self {
        self.var("clock_override", now)
    }

    /// Another Spin variable (e.g. `public_base_url`), or another value for one set here.
    pub fn var(mut self, name: &'a str, value: &'a str) -> Self {
        self.vars.retain(|(n, _)| *n != name);
        self.vars.push((name, value));
        self
    }

    /// Starts serving on a state folder of its own.
    pub async fn start(self, state: &TempDir) -> AppHost {
        start_app_on(self.runtime, state, &self.vars, self.server_timing).await
    }
}

/// Starts the app on `runtime`: the project's manifest, its migrations applied to
/// `default`, these variables.
async fn start_app_on(
    runtime: Runtime,
    state: &TempDir,
    vars: &[(&str, &str)],
    server_timing: bool,
) -> AppHost {
    ensure_built();
    forget_published(&state.0);
    match runtime {
        Runtime::Local => {
            let mut c = config(&app_manifest(), &state.0);
            for (k, v) in vars {
                c.variables.push(((*k).to_owned(), (*v).to_owned()));
            }
            c.sqlite_statements = migrations();
            c.server_timing = server_timing;
            AppHost::local(localspin::start(c).await.expect("the app starts"))
        }
        Runtime::Spin => {
            let manifest = app_manifest();
            let state = state.0.clone();
            let vars: Vec<(String, String)> = vars
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            let process = tokio::task::spawn_blocking(move || {
                let vars: Vec<(&str, &str)> =
                    vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                SpinProcess::start(&SpinConfig {
                    manifest: &manifest,
                    state: &state,
                    variables: &vars,
                    sqlite_files: crate::migration_files(),
                    runtime_config: None,
                })
            })
            .await
            .expect("spin up starts");
            AppHost::spin(process)
        }
    }
}

/// Forgets the public answers kept in a state folder's key-value store `default`
/// (`service::published`): tests write the database by hand between runs of the app,
/// which the app cannot see. Whoever edits a deployment's database by hand does the same
/// (README, "Kept public answers").
pub fn forget_published(state: &std::path::Path) {
    let file = state.join("sqlite_key_value.db");
    if !file.exists() {
        return;
    }
    let c = rusqlite::Connection::open(&file).expect("the key-value store's file");
    c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    let has_table: bool = c
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'spin_key_value'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n > 0)
        .expect("the key-value store's schema");
    if has_table {
        c.execute("DELETE FROM spin_key_value WHERE key LIKE 'public:%'", [])
            .expect("public answers forgotten");
    }
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
