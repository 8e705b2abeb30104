//! How to run the host: the options the command line sets (`cli`) and the tests set.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The default deadline for a request body: the largest body (10 MiB) over a 2 Mbit/s
/// link takes 42 s; twice that, rounded up, leaves room for a slow start and a bad link.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(90);

/// How to run the host.
#[derive(Debug, Clone)]
pub struct Config {
    /// The manifest (`spin.toml`).
    pub manifest: PathBuf,
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Where `sqlite_db.db`, `sqlite_key_value.db` and `logs/` go; `.spin/` beside the
    /// manifest by default.
    pub state_dir: Option<PathBuf>,
    /// SQL run against `default` at start-up, in order (files already read).
    pub sqlite_statements: Vec<String>,
    /// `--variable name=value` pairs.
    pub variables: Vec<(String, String)>,
    /// Environment lookup for `SPIN_VARIABLE_<NAME>` (the process environment by default).
    pub env: Option<BTreeMap<String, String>>,
    /// Longest a request may run before the host answers 504.
    pub request_timeout: Duration,
    /// Largest request body the host forwards (413 beyond).
    pub max_body_bytes: usize,
    /// Longest a request body may take to arrive (408 beyond). It is read before the
    /// request takes an execution slot, and `request_timeout` starts after it.
    pub body_timeout: Duration,
    /// Most connections open at once (more wait to be accepted).
    pub max_connections: usize,
    /// Most requests executing at once (more wait their turn).
    pub max_concurrency: usize,
    /// Add a `server-timing` header (instantiation, handling, SQLite and key-value calls,
    /// in ms) to every answer a component gives: for benchmarks and profiling, not part of
    /// Spin.
    pub server_timing: bool,
    /// Write `/tmp/perf-<pid>.map` so `perf` names the compiled Wasm functions.
    pub perf_map: bool,
    /// A folder where wasmtime keeps compiled components, so that a restart does not
    /// compile them again (seconds per start; see docs/BENCHMARKS.md). `None`: no cache.
    pub compile_cache: Option<PathBuf>,
    /// Writers wait in SQLite's busy handler instead of the host's queue (for comparing
    /// the two in benchmarks; see `sqlite::Connection::writing`).
    pub sqlite_busy_wait: bool,
    /// Most requests one instance of a component serves, one after another, before it is
    /// dropped (Spin 4.1's `--max-instance-reuse-count`, 128 for a WASIp3 component as
    /// every component of this app is). 1: a fresh instance for every request.
    pub max_instance_reuse_count: u32,
    /// How long an idle instance is held for the next request (Spin's
    /// `--idle-instance-timeout`, 1 s).
    pub idle_instance_timeout: Duration,
}

/// Spin 4.1's default reuse of a WASIp3 instance: up to 128 requests, each within 1 s of
/// the last.
pub const MAX_INSTANCE_REUSE_COUNT: u32 = 128;
pub const IDLE_INSTANCE_TIMEOUT: Duration = Duration::from_secs(1);

impl Config {
    pub fn new(manifest: impl Into<PathBuf>) -> Self {
        Config {
            manifest: manifest.into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            state_dir: None,
            sqlite_statements: Vec::new(),
            variables: Vec::new(),
            env: None,
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 10 * 1024 * 1024,
            body_timeout: BODY_TIMEOUT,
            max_connections: 1024,
            max_concurrency: 256,
            server_timing: false,
            perf_map: false,
            compile_cache: None,
            sqlite_busy_wait: false,
            max_instance_reuse_count: MAX_INSTANCE_REUSE_COUNT,
            idle_instance_timeout: IDLE_INSTANCE_TIMEOUT,
        }
    }
}
