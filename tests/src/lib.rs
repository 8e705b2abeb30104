//! Support for the end-to-end tests: building the components, starting the local host
//! in-process on a free port, and a minimal HTTP/1.1 client (real sockets, no mocks).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub mod app;
pub mod fixtures;
pub mod host_process;
pub mod load;
pub mod seeded;
pub mod spin;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// The app's components, as spin.toml declares them (`openapi::the_tests_know_every_component_of_the_manifest`).
pub const COMPONENTS: &[&str] = &[
    "intake",
    "review",
    "calculation",
    "notices",
    "objections",
    "accounts",
    "assets",
];

/// The app's components with a database (every one but assets).
pub fn with_database() -> impl Iterator<Item = &'static str> {
    COMPONENTS.iter().copied().filter(|c| *c != "assets")
}

/// Components the tests load beside the app's (hello-world for the benchmarks).
const FIXTURES: &[&str] = &["probe"];

/// The built `.wasm` of a component.
pub fn wasm(name: &str) -> PathBuf {
    root().join(format!("target/wasm32-wasip2/wasm/{name}.wasm"))
}

static BUILT: Mutex<bool> = Mutex::new(false);

/// Makes sure the components are built from the sources as they are. `cargo xtask test`
/// (and `cargo xtask build`) build them before the tests run; a bare `cargo test` builds
/// them here, once, when a `.wasm` is missing or older than any file under `functions/`,
/// `shared/` or the probe's folder (or the workspace's manifests), so a test never runs
/// yesterday's component. Set `E2E_REBUILD=1` to rebuild them from here anyway.
pub fn ensure_built() {
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    if *built {
        return;
    }
    let oldest_wasm = COMPONENTS
        .iter()
        .chain(FIXTURES)
        .map(|c| std::fs::metadata(wasm(c)).and_then(|m| m.modified()).ok())
        .collect::<Option<Vec<_>>>()
        .and_then(|times| times.into_iter().min());
    let stale = match oldest_wasm {
        None => true,
        Some(built_at) => newest_source().is_some_and(|changed| changed > built_at),
    };
    if stale || std::env::var_os("E2E_REBUILD").is_some() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = std::process::Command::new(cargo);
        cmd.current_dir(root()).args([
            "build",
            "--quiet",
            "--profile",
            "wasm",
            "--target",
            "wasm32-wasip2",
        ]);
        for c in COMPONENTS.iter().chain(FIXTURES) {
            cmd.args(["-p", c]);
        }
        let status = cmd.status().expect("cargo runs");
        assert!(status.success(), "building the components failed");
    }
    *built = true;
}

/// When the components' sources last changed: the newest file under `functions/`,
/// `shared/` and `tests/fixtures/probe/`, and the workspace's `Cargo.toml` and `Cargo.lock`.
fn newest_source() -> Option<std::time::SystemTime> {
    fn walk(dir: &Path, newest: &mut Option<std::time::SystemTime>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            if hidden || e.file_name() == "target" {
                continue;
            }
            if path.is_dir() {
                walk(&path, newest);
            } else if let Ok(t) = e.metadata().and_then(|m| m.modified()) {
                *newest = (*newest).max(Some(t));
            }
        }
    }
    let root = root();
    let mut newest = None;
    walk(&root.join("functions"), &mut newest);
    walk(&root.join("shared"), &mut newest);
    walk(&root.join("tests/fixtures/probe"), &mut newest);
    for f in ["Cargo.toml", "Cargo.lock"] {
        if let Ok(t) = std::fs::metadata(root.join(f)).and_then(|m| m.modified()) {
            newest = newest.max(Some(t));
        }
    }
    newest
}

/// A fresh temporary state folder (removed when dropped).
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let p = std::env::temp_dir().join(format!(
            "localspin-e2e-{tag}-{}-{n}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A host config for a manifest, on a free port, with its own state folder and an
/// empty environment (so the developer's SPIN_VARIABLE_* do not leak in).
pub fn config(manifest: &Path, state: &Path) -> localspin::Config {
    let mut c = localspin::Config::new(manifest);
    c.listen = SocketAddr::from(([127, 0, 0, 1], 0));
    c.state_dir = Some(state.to_path_buf());
    c.env = Some(BTreeMap::new());
    c.compile_cache = Some(compile_cache());
    c
}

/// Where the tests keep compiled components between host starts (each start would
/// otherwise compile every component again).
pub fn compile_cache() -> PathBuf {
    root().join("target/wasmtime-cache")
}

/// The fixture manifest (probe components).
pub fn fixture_manifest() -> PathBuf {
    root().join("tests/fixtures/spin.toml")
}

/// The app's manifest.
pub fn app_manifest() -> PathBuf {
    root().join("spin.toml")
}

/// The project's migration files, in the order they apply.
pub fn migration_files() -> Vec<PathBuf> {
    let dir = root().join("shared/store/migrations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
}

/// The project's migrations, in order (as `cargo xtask up` applies them).
pub fn migrations() -> Vec<String> {
    migration_files()
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

/// A test run on both runtimes: `$name::local_host` on the local host and
/// `$name::real_spin` on the real Spin 4.1, the latter ignored (and listed as such) when
/// no Spin binary was found at build time (`tests/build.rs`). The body gets the runtime
/// as `$rt` ([`app::Runtime`]).
#[macro_export]
macro_rules! on_both_hosts {
    ($(#[doc = $doc:literal])* async fn $name:ident($rt:ident) $body:block) => {
        $(#[doc = $doc])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($rt: $crate::app::Runtime) $body

            #[tokio::test(flavor = "multi_thread")]
            async fn local_host() {
                run($crate::app::Runtime::Local).await
            }

            #[tokio::test(flavor = "multi_thread")]
            #[cfg_attr(
                not(has_spin),
                ignore = "no Spin binary (SPIN_BIN, ../shared/tools/spin/spin or spin on PATH)"
            )]
            async fn real_spin() {
                run($crate::app::Runtime::Spin).await
            }
        }
    };
}

/// An HTTP answer. Its headers are kept as sent, in order, a repeated one repeated (names
/// lowercased), so a header sent twice can be seen.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The one value of header `name`, if sent. A header sent more than once (two
    /// `access-control-allow-origin`, say) fails the test here: no reader should have to
    /// guess which one counts. [`Answer::headers_named`] reads a header allowed to repeat.
    #[track_caller]
    pub fn header(&self, name: &str) -> Option<&str> {
        let values = self.headers_named(name);
        assert!(
            values.len() <= 1,
            "the header {name} was sent {} times: {values:?}",
            values.len()
        );
        values.first().copied()
    }

    /// Every value of header `name`, in the order sent.
    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Sends one request on a new connection (`Connection: close`) and reads the answer.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Answer> {
    let mut s = TcpStream::connect(addr).await?;
    s.set_nodelay(true)?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" || method == "PUT" {
        head.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await?;
    s.write_all(body).await?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await?;
    parse(&buf)
}

fn parse(buf: &[u8]) -> std::io::Result<Answer> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_owned());
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of headers"))?;
    let head = std::str::from_utf8(&buf[..end]).map_err(|_| bad("headers not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().ok_or_else(|| bad("no status line"))?;
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let mut headers = Vec::new();
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let mut body = buf[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body).ok_or_else(|| bad("bad chunked body"))?;
    }
    Ok(Answer {
        status,
        headers,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let nl = b.windows(2).position(|w| w == b"\r\n")?;
        let size = usize::from_str_radix(std::str::from_utf8(&b[..nl]).ok()?.trim(), 16).ok()?;
        b = &b[nl + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size + 2..)?;
    }
}

/// `GET path`, panicking on I/O errors.
pub async fn get(addr: SocketAddr, path: &str) -> Answer {
    request(addr, "GET", path, &[], &[])
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

/// A generous overall limit for one test's HTTP exchanges.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A keep-alive HTTP/1.1 connection for sequential requests (the benchmark uses it so
/// that TCP connection set-up is not part of the per-request figure).
pub struct Conn {
    stream: TcpStream,
    addr: SocketAddr,
    buf: Vec<u8>,
}

impl Conn {
    pub async fn open(addr: SocketAddr) -> std::io::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            addr,
            buf: Vec::new(),
        })
    }

    /// `GET path`; answers the status and body. The server must send `content-length`.
    pub async fn get(&mut self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        let a = self.send("GET", path, &[], &[]).await?;
        Ok((a.status, a.body))
    }

    /// Any request on this connection. The server must send `content-length`.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> std::io::Result<Answer> {
        let mut req = format!("{method} {path} HTTP/1.1\r\nhost: {}\r\n", self.addr);
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            req.push_str(&format!("content-length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(body);
        self.stream.write_all(&bytes).await?;
        let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_owned());
        loop {
            if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buf[..end]).into_owned();
                let status: u16 = head
                    .split(' ')
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| bad("bad status line"))?;
                let len: usize = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse().ok())?
                    })
                    .ok_or_else(|| bad("no content-length"))?;
                while self.buf.len() < end + 4 + len {
                    let mut chunk = [0u8; 8192];
                    let n = self.stream.read(&mut chunk).await?;
                    if n == 0 {
                        return Err(bad("closed mid-body"));
                    }
                    self.buf.extend_from_slice(&chunk[..n]);
                }
                let body = self.buf[end + 4..end + 4 + len].to_vec();
                self.buf.drain(..end + 4 + len);
                let headers = head
                    .split("\r\n")
                    .skip(1)
                    .filter_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        Some((k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                    })
                    .collect();
                return Ok(Answer {
                    status,
                    headers,
                    body,
                });
            }
            let mut chunk = [0u8; 8192];
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                return Err(bad("closed"));
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}
