//! `localspin`: a local host that serves a Spin 4.1 manifest on wasmtime 48.
//!
//! Spin itself is not on any package registry, so the project carries this host for
//! `cargo xtask up` and the end-to-end tests. It implements what the app's components
//! use, the way Spin 4.1 does: HTTP triggers and routing with Spin's request headers,
//! `wasi:http@0.3.0` services (spin-sdk 7), WASI 0.2 and 0.3, `spin:sqlite@3.1.0`,
//! `spin:variables@3.0.0`, read-only `files` mounts and per-component logs. Each
//! component is compiled once; every request gets a fresh instance from a
//! pre-instantiated form (pooling allocator). A trap answers 500, a request running
//! past the timeout 504; the host stays up either way. Outbound HTTP is denied.

pub mod cli;
pub mod manifest;
pub mod router;
pub mod sqlite;
pub mod variables;

mod host_impl;

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Config as EngineConfig, Engine, PoolingAllocationConfig, Store, UpdateDeadline};
use wasmtime_wasi::cli::OutputFile;
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
use wasmtime_wasi_http::p3::bindings::ServicePre;
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks, WasiHttpView};

pub(crate) mod bindings {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "localspin:host/host",
        with: {
            "spin:sqlite/sqlite.connection": crate::sqlite::Connection,
        },
    });
}

/// How to run the host.
#[derive(Debug, Clone)]
pub struct Config {
    /// The manifest (`spin.toml`).
    pub manifest: PathBuf,
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Where `sqlite_db.db` and `logs/` go; `.spin/` beside the manifest by default.
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
    /// Most requests executing at once (more wait their turn).
    pub max_concurrency: usize,
    /// Add a `server-timing` header (instantiation and handling, in ms) to every answer
    /// a component gives: for benchmarks and profiling, not part of Spin.
    pub server_timing: bool,
    /// Write `/tmp/perf-<pid>.map` so `perf` names the compiled Wasm functions.
    pub perf_map: bool,
    /// A folder where wasmtime keeps compiled components, so that a restart does not
    /// compile them again (seconds per start; see docs/BENCHMARKS.md). `None`: no cache.
    pub compile_cache: Option<PathBuf>,
    /// Writers wait in SQLite's busy handler instead of the host's queue (for comparing
    /// the two in benchmarks; see `sqlite::Connection::writing`).
    pub sqlite_busy_wait: bool,
}

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
            max_concurrency: 256,
            server_timing: false,
            perf_map: false,
            compile_cache: None,
            sqlite_busy_wait: false,
        }
    }
}

/// The state of one instance (one request).
pub struct Ctx {
    table: ResourceTable,
    wasi: WasiCtx,
    http: WasiHttpCtx,
    hooks: DenyOutbound,
    component: Arc<ComponentRt>,
    dbs: Arc<sqlite::Databases>,
    /// Where this request's time went, for `server-timing`.
    sqlite_time: SqliteTime,
}

/// Time a request spent on SQLite statements and waiting for its turn to write.
#[derive(Default)]
pub(crate) struct SqliteTime {
    pub statements: u32,
    pub running: Duration,
    pub queued: Duration,
}

impl WasiView for Ctx {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for Ctx {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// Outbound HTTP is not allowed (no component declares `allowed_outbound_hosts`).
struct DenyOutbound;

impl WasiHttpHooks for DenyOutbound {
    fn send_request(
        &mut self,
        _request: http::Request<wasmtime_wasi_http::WasiBody>,
        _options: Option<wasmtime_wasi_http::RequestOptions>,
        _fut: Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>,
    ) -> Box<
        dyn Future<
                Output = Result<
                    (
                        http::Response<wasmtime_wasi_http::WasiBody>,
                        Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>,
                    ),
                    wasmtime_wasi_http::Error,
                >,
            > + Send,
    > {
        Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) })
    }
}

/// One component, ready to instantiate.
pub struct ComponentRt {
    pub id: String,
    pre: ServicePre<Ctx>,
    pub variables: BTreeMap<String, String>,
    pub sqlite_databases: Vec<String>,
    mounts: Vec<(PathBuf, String)>,
    environment: Vec<(String, String)>,
    stdout: OutputFile,
    stderr: OutputFile,
}

/// The loaded app.
pub struct App {
    engine: Engine,
    router: router::Router,
    components: Vec<Arc<ComponentRt>>,
    dbs: Arc<sqlite::Databases>,
    timeout: Duration,
    max_body: usize,
    permits: Semaphore,
    server_timing: bool,
    pub state_dir: PathBuf,
}

fn engine(config: &Config) -> Result<Engine> {
    let mut cfg = EngineConfig::new();
    if config.perf_map {
        cfg.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    if let Some(dir) = &config.compile_cache {
        let mut cache = wasmtime::CacheConfig::new();
        cache.with_directory(dir);
        cfg.cache(Some(wasmtime::Cache::new(cache)?));
    }
    cfg.wasm_component_model_async(true);
    cfg.epoch_interruption(true);
    let mut pool = PoolingAllocationConfig::new();
    pool.total_component_instances(1000)
        .total_core_instances(4000)
        .total_memories(512)
        .total_tables(2000)
        .total_stacks(512)
        .max_memory_size(256 << 20);
    cfg.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pool));
    Ok(Engine::new(&cfg)?)
}

fn file_mounts(
    loaded: &manifest::Loaded,
    id: &str,
    files: &[manifest::FileMount],
) -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for f in files {
        let (src, dst) = match f {
            manifest::FileMount::Mapped {
                source,
                destination,
            } => (source.clone(), destination.clone()),
            manifest::FileMount::Plain(p) => {
                if p.contains(['*', '?', '[']) {
                    bail!(
                        "component `{id}`: glob file patterns (`{p}`) are not supported by the \
                         local host; map a folder with {{ source = …, destination = … }}"
                    );
                }
                (p.clone(), format!("/{}", p.trim_start_matches("./")))
            }
        };
        let host = loaded.resolve(&src);
        if !host.is_dir() {
            bail!(
                "component `{id}`: files source `{}` is not a folder",
                host.display()
            );
        }
        // As Spin: a component sees files of the application, nothing beside it.
        let (real, app_dir) = (host.canonicalize()?, loaded.dir.canonicalize()?);
        if !real.starts_with(&app_dir) {
            bail!(
                "component `{id}`: files source `{src}` lies outside the application directory \
                 `{}`; Spin refuses it too",
                app_dir.display()
            );
        }
        out.push((host, dst));
    }
    Ok(out)
}

fn open_log(dir: &Path, id: &str, stream: &str) -> Result<OutputFile> {
    let path = dir.join(format!("{id}_{stream}.txt"));
    let f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot open the log {}", path.display()))?;
    Ok(OutputFile::new(f))
}

impl App {
    /// Loads the manifest, compiles every component, resolves variables and opens the
    /// databases, then runs the start-up SQL.
    pub fn load(config: &Config) -> Result<App> {
        let loaded = manifest::load(&config.manifest)?;
        let m = &loaded.manifest;
        let state_dir = config
            .state_dir
            .clone()
            .unwrap_or_else(|| loaded.dir.join(".spin"));
        let process_env = |k: &str| match &config.env {
            Some(map) => map.get(k).cloned(),
            None => std::env::var(k).ok(),
        };
        let app_vars = variables::resolve_app(m, &config.variables, &process_env)?;

        let engine = engine(config)?;
        let mut linker: Linker<Ctx> = Linker::new(&engine);
        wt(
            wasmtime_wasi::p2::add_to_linker_async(&mut linker),
            "linking WASI 0.2",
        )?;
        wt(
            wasmtime_wasi::p3::add_to_linker(&mut linker),
            "linking WASI 0.3",
        )?;
        wt(
            wasmtime_wasi_http::p3::add_to_linker(&mut linker),
            "linking wasi:http 0.3",
        )?;
        wt(
            bindings::spin::sqlite::sqlite::add_to_linker::<Ctx, host_impl::SpinHost>(
                &mut linker,
                |c| c,
            ),
            "linking spin:sqlite",
        )?;
        wt(
            bindings::spin::variables::variables::add_to_linker::<Ctx, host_impl::SpinHost>(
                &mut linker,
                |c| c,
            ),
            "linking spin:variables",
        )?;

        let log_dir = state_dir.join("logs");
        std::fs::create_dir_all(&log_dir)
            .with_context(|| format!("cannot create {}", log_dir.display()))?;
        let dbs = Arc::new(sqlite::Databases::open_default(
            &state_dir,
            !config.sqlite_busy_wait,
        )?);

        // Only components some trigger uses are loaded, like Spin.
        let mut used: Vec<&String> = m.trigger.http.iter().map(|t| &t.component).collect();
        used.sort();
        used.dedup();
        let mut components = Vec::new();
        let mut index = BTreeMap::new();
        let mut compiled: BTreeMap<PathBuf, Component> = BTreeMap::new();
        for id in used {
            let c = &m.component[id];
            let path = loaded.resolve(&c.source);
            // The same file declared under several ids is compiled once.
            let component = match compiled.get(&path) {
                Some(c) => Component::clone(c),
                None => {
                    let c = wt(
                        Component::from_file(&engine, &path),
                        &format!(
                            "component `{id}`: cannot load {} (build it first: `cargo xtask build`)",
                            path.display()
                        ),
                    )?;
                    compiled.insert(path.clone(), c.clone());
                    c
                }
            };
            let pre = wt(
                linker.instantiate_pre(&component),
                &format!("component `{id}`: imports the host cannot provide"),
            )?;
            let pre = wt(
                ServicePre::new(pre),
                &format!("component `{id}` is not a wasi:http@0.3 service"),
            )?;
            for label in &c.sqlite_databases {
                if !dbs.contains(label) {
                    eprintln!(
                        "localspin: warning: component `{id}` declares database `{label}`, \
                         which the local host does not provide (opening it gives \
                         no-such-database)"
                    );
                }
            }
            let variables = variables::resolve_component(id, &c.variables, &app_vars, m)?;
            index.insert(id.clone(), components.len());
            components.push(Arc::new(ComponentRt {
                id: id.clone(),
                pre,
                variables,
                sqlite_databases: c.sqlite_databases.clone(),
                mounts: file_mounts(&loaded, id, &c.files)?,
                environment: c.environment.clone().into_iter().collect(),
                stdout: open_log(&log_dir, id, "stdout")?,
                stderr: open_log(&log_dir, id, "stderr")?,
            }));
        }

        let mut routes = Vec::new();
        for t in &m.trigger.http {
            match &t.route {
                manifest::RouteSpec::Path(p) => {
                    routes.push(router::Route::parse(p, index[&t.component])?)
                }
                manifest::RouteSpec::Private { .. } => {}
            }
        }
        let router = router::Router::new(routes)?;

        for sql in &config.sqlite_statements {
            dbs.execute_batch("default", sql)
                .with_context(|| format!("start-up SQL failed: {}", first_line(sql)))?;
        }

        Ok(App {
            engine,
            router,
            components,
            dbs,
            timeout: config.request_timeout,
            max_body: config.max_body_bytes,
            permits: Semaphore::new(config.max_concurrency.max(1)),
            server_timing: config.server_timing,
            state_dir,
        })
    }

    /// The routes, as `(route, component)`, in manifest order.
    pub fn routes(&self) -> Vec<(String, String)> {
        self.router
            .routes()
            .iter()
            .map(|r| (r.raw.clone(), self.components[r.component].id.clone()))
            .collect()
    }

    fn new_store(&self, c: &Arc<ComponentRt>) -> Result<Store<Ctx>> {
        let mut wasi = WasiCtxBuilder::new();
        wasi.stdout(c.stdout.clone()).stderr(c.stderr.clone());
        wasi.envs(&c.environment);
        // The mounted files are small and local: reading them on this thread is quicker
        // than a hop to the blocking pool for every call (the static page's answer took
        // about twice as long that way; docs/BENCHMARKS.md). Set before the preopens.
        wasi.allow_blocking_current_thread(true);
        for (host, guest) in &c.mounts {
            wasi.preopened_dir(host, guest, FsPerms::ReadOnly)?;
        }
        let ctx = Ctx {
            table: ResourceTable::new(),
            wasi: wasi.build(),
            http: WasiHttpCtx::new(),
            hooks: DenyOutbound,
            component: c.clone(),
            dbs: self.dbs.clone(),
            sqlite_time: SqliteTime::default(),
        };
        let mut store = Store::new(&self.engine, ctx);
        // Wasm yields to the executor at every epoch tick, so a busy loop cannot hold a
        // thread and the request timeout can fire.
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(|_| Ok(UpdateDeadline::Yield(1)));
        Ok(store)
    }
}

/// A wasmtime error as an anyhow error with context.
fn wt<T>(r: wasmtime::Result<T>, what: &str) -> Result<T> {
    r.map_err(anyhow::Error::from).context(what.to_owned())
}

fn first_line(s: &str) -> &str {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
}

type HostBody = Full<Bytes>;

/// The JSON error shape of the app, for answers the host gives itself (Spin gives none of
/// these: docs/LOCAL_HOST.md says what it does instead).
fn host_error(status: u16, code: &str, zh: &str, en: &str) -> http::Response<HostBody> {
    let body = format!(
        "{{\"error\":{{\"status\":{status},\"code\":\"{code}\",\"field\":null,\"message_zh\":\"{zh}\",\"message_en\":\"{en}\"}}}}"
    );
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json; charset=utf-8")
        .header("x-content-type-options", "nosniff")
        .body(Full::new(Bytes::from(body)))
        .expect("a valid response")
}

/// The host's own 413, worded as the components' (`service::error::ApiError::body_too_large`).
fn body_too_large(limit: usize) -> http::Response<HostBody> {
    host_error(
        413,
        "body_too_large",
        &format!("请求体过大（上限 {limit} 字节）。"),
        &format!("The request body is too large (limit {limit} bytes)."),
    )
}

fn body_error(e: Box<dyn std::error::Error + Send + Sync>) -> wasmtime_wasi_http::Error {
    if e.is::<http_body_util::LengthLimitError>() {
        wasmtime_wasi_http::Error::HttpRequestBodySize(None)
    } else {
        wasmtime_wasi_http::Error::InternalError(Some(e.to_string()))
    }
}

fn insert(headers: &mut http::HeaderMap, name: &str, value: &str) {
    if let (Ok(n), Ok(v)) = (
        http::HeaderName::from_bytes(name.as_bytes()),
        http::HeaderValue::from_str(value),
    ) {
        headers.insert(n, v);
    }
}

/// Adds a `spin-*` header as Spin does: after any value of that name the client sent,
/// which stays (a component must read the last value).
fn append(headers: &mut http::HeaderMap, name: &str, value: &str) {
    if let (Ok(n), Ok(v)) = (
        http::HeaderName::from_bytes(name.as_bytes()),
        http::HeaderValue::from_str(value),
    ) {
        headers.append(n, v);
    }
}

/// Serves one request.
pub async fn handle(
    app: Arc<App>,
    client: SocketAddr,
    req: http::Request<Incoming>,
) -> http::Response<HostBody> {
    // No check of a declared length here: as under Spin, the component answers first (a
    // wrong method is 405 whatever the size); the body stream itself stops at the limit.
    let path = req.uri().path().to_owned();
    let Some(m) = app.router.route(&path) else {
        return host_error(404, "not_found", "未找到该资源。", "No such resource.");
    };
    let component = app.components[m.route.component].clone();

    let (mut parts, body) = req.into_parts();
    let host = parts
        .headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost")
        .to_owned();
    let pq = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let full_url = format!("http://{host}{pq}");
    match full_url.parse::<http::Uri>() {
        Ok(u) => parts.uri = u,
        Err(_) => {
            return host_error(400, "bad_request", "请求地址无效。", "Invalid request URL.");
        }
    }
    let h = &mut parts.headers;
    append(h, "spin-full-url", &full_url);
    append(h, "spin-path-info", &m.path_info);
    append(h, "spin-matched-route", &m.route.raw);
    append(h, "spin-raw-component-route", &m.route.raw);
    append(h, "spin-component-route", &m.route.component_route);
    append(h, "spin-base-path", "/");
    append(h, "spin-client-addr", &client.to_string());
    for (name, value) in &m.params {
        append(h, &format!("spin-path-match-{name}"), value);
    }
    // Spin has no body limit; this host's `--max-body` stops the stream there, and then
    // the answer is the host's 413, whatever the component made of a body cut short.
    let over_limit = Arc::new(AtomicBool::new(false));
    let body = Limited::new(body, app.max_body).map_err({
        let over_limit = over_limit.clone();
        move |e| {
            let e = body_error(e);
            if matches!(e, wasmtime_wasi_http::Error::HttpRequestBodySize(_)) {
                over_limit.store(true, Ordering::SeqCst);
            }
            e
        }
    });
    let req = http::Request::from_parts(parts, body);

    let Ok(_permit) = app.permits.acquire().await else {
        return host_error(503, "unavailable", "服务暂不可用。", "Service unavailable.");
    };
    match tokio::time::timeout(app.timeout, run(&app, &component, req)).await {
        Ok(_) if over_limit.load(Ordering::SeqCst) => body_too_large(app.max_body),
        Ok(Ok(res)) => res,
        Ok(Err(e)) => {
            eprintln!("localspin: component `{}` failed: {e:?}", component.id);
            host_error(
                500,
                "component_failed",
                "组件执行失败。",
                "The component failed while handling the request.",
            )
        }
        Err(_) => {
            eprintln!(
                "localspin: component `{}` ran past {:?} on {path}",
                component.id, app.timeout
            );
            host_error(
                504,
                "timeout",
                "请求处理超时。",
                "The component did not answer in time.",
            )
        }
    }
}

async fn run<B>(
    app: &App,
    component: &Arc<ComponentRt>,
    req: http::Request<B>,
) -> Result<http::Response<HostBody>>
where
    B: http_body::Body<Data = Bytes, Error = wasmtime_wasi_http::Error> + Send + 'static,
{
    let start = Instant::now();
    let mut store = app.new_store(component)?;
    let service = component.pre.instantiate_async(&mut store).await?;
    let instantiated = start.elapsed();
    let (req, io) = wasmtime_wasi_http::p3::Request::from_http(&mut store.data_mut().hooks, req);
    let res = store
        .run_concurrent(async |store| {
            let (res, ()) = tokio::try_join!(
                async {
                    let res = match service.handle(store, req).await? {
                        Ok(res) => res,
                        Err(code) => {
                            return wasmtime::error::Ok(Err(format!("{code:?}")));
                        }
                    };
                    let res = store.with(|store| res.into_http(store, async { Ok(()) }))?;
                    let (parts, body) = res.into_parts();
                    let body = body
                        .collect()
                        .await
                        .map_err(|e| wasmtime::format_err!("response body: {e:?}"))?;
                    Ok(Ok(http::Response::from_parts(parts, body.to_bytes())))
                },
                async {
                    io.await
                        .map_err(|e| wasmtime::format_err!("request body: {e:?}"))
                }
            )?;
            wasmtime::error::Ok(res)
        })
        .await??;
    match res {
        Ok(mut res) => {
            if app.server_timing {
                let ms = |d: Duration| d.as_secs_f64() * 1e3;
                let sql = &store.data().sqlite_time;
                let timing = format!(
                    "instantiate;dur={:.3}, handle;dur={:.3}, sqlite;dur={:.3};desc=\"{}\", queue;dur={:.3}",
                    ms(instantiated),
                    ms(start.elapsed() - instantiated),
                    ms(sql.running),
                    sql.statements,
                    ms(sql.queued),
                );
                insert(res.headers_mut(), "server-timing", &timing);
            }
            Ok(res.map(Full::new))
        }
        Err(code) => {
            if code.contains("HttpRequestBodySize") {
                Ok(body_too_large(app.max_body))
            } else {
                bail!("the component answered an error code: {code}")
            }
        }
    }
}

/// A running host.
pub struct Running {
    pub addr: SocketAddr,
    pub app: Arc<App>,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
    ticking: Arc<AtomicBool>,
}

impl Running {
    /// Stops accepting, waits for the accept loop, stops the epoch ticker.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        let _ = (&mut self.task).await;
        self.ticking.store(false, Ordering::SeqCst);
    }

    /// Serves until the process is interrupted (Ctrl-C).
    pub async fn wait(self) -> Result<()> {
        tokio::signal::ctrl_c().await?;
        self.stop().await;
        Ok(())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.ticking.store(false, Ordering::SeqCst);
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// Loads the app and starts serving (returns once listening).
pub async fn start(config: Config) -> Result<Running> {
    let load_config = config.clone();
    let app = Arc::new(
        tokio::task::spawn_blocking(move || App::load(&load_config))
            .await
            .context("loading the app")??,
    );
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;

    let ticking = Arc::new(AtomicBool::new(true));
    {
        let engine = app.engine.clone();
        let ticking = ticking.clone();
        std::thread::spawn(move || {
            while ticking.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(5));
                engine.increment_epoch();
            }
        });
    }

    let (stop_tx, mut stop_rx) = oneshot::channel::<()>();
    let served = app.clone();
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = &mut stop_rx => break,
                accepted = listener.accept() => {
                    let Ok((stream, client)) = accepted else { continue };
                    let _ = stream.set_nodelay(true);
                    let app = served.clone();
                    let header_timeout = config.request_timeout;
                    tokio::spawn(async move {
                        let service = hyper::service::service_fn(move |req| {
                            let app = app.clone();
                            async move { Ok::<_, Infallible>(handle(app, client, req).await) }
                        });
                        // A client that half-closes after its request still gets the
                        // answer (a body cut short is answered 400 by the component); the
                        // request head must arrive within the request timeout (slow
                        // clients cannot hold connections open); hyper's own limits
                        // answer 431 past 100 headers or ~400 KiB of head, 414 past
                        // 64 KiB of URL.
                        let _ = hyper::server::conn::http1::Builder::new()
                            .keep_alive(true)
                            .half_close(true)
                            .timer(hyper_util::rt::TokioTimer::new())
                            .header_read_timeout(header_timeout)
                            .max_headers(100)
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            }
        }
    });
    Ok(Running {
        addr,
        app,
        stop: Some(stop_tx),
        task,
        ticking,
    })
}
