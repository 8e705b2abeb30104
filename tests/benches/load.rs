//! Load, cold start and sizes (issue 7). Not a timed test: run it with
//! `cargo bench -p e2e --bench load` and read the tables it prints (docs/BENCHMARKS.md).
//!
//! The local host runs as its own process (the `e2e-host` binary, release build) on the
//! app's `spin.toml` plus the hello-world `probe` at `/bench/...`; this process is the load
//! generator (`e2e::load`, closed loop over keep-alive connections). Each route is measured
//! beside hello-world in the same run, and its cost is given as a ratio to hello-world.
//!
//! Settings (environment): `LOAD_SECONDS` per measurement (default 5), `LOAD_CONNECTIONS`
//! for the throughput runs (default 16), `LOAD_ONLY` = a route label to measure only it
//! (for profiling), `LOAD_PERF_MAP=1` to start the host with `--perf-map`.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use e2e::fixtures::{application, invention};
use e2e::host_process::HostProcess;
use e2e::load::{Report, Request, Reuse, app_with_hello_world, run, run_with};
use e2e::seeded::{ADMIN, OFFICER, call, seed, start};
use e2e::{TempDir, ensure_built, request, root};
use serde_json::Value;

/// The local host's binary (this package's `e2e-host`).
fn host_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_e2e-host"))
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Route {
    label: &'static str,
    make: Arc<dyn Fn(u64) -> Request + Send + Sync>,
    expect: &'static [u16],
}

fn routes() -> Vec<Route> {
    let precheck: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("shared/rules/data/example-precheck-request.json"))
            .expect("the documented example request"),
    )
    .expect("JSON");
    let precheck = Request::post_json("/api/precheck", &precheck);
    vec![
        Route {
            label: "hello-world `GET /bench/hello`",
            make: Arc::new(|_| Request::get("/bench/hello")),
            expect: &[200],
        },
        Route {
            label: "static page `GET /index.html`",
            make: Arc::new(|_| Request::get("/index.html")),
            expect: &[200],
        },
        Route {
            label: "rounds `GET /api/rounds`",
            make: Arc::new(|_| Request::get("/api/rounds")),
            expect: &[200],
        },
        Route {
            label: "notices `GET /api/notices`",
            make: Arc::new(|_| Request::get("/api/notices")),
            expect: &[200],
        },
        Route {
            label: "pre-check `POST /api/precheck`",
            make: Arc::new(move |_| precheck.clone()),
            expect: &[200],
        },
        Route {
            label: "Atom feed `GET /feeds/notices.atom`",
            make: Arc::new(|_| Request::get("/feeds/notices.atom")),
            expect: &[200],
        },
        Route {
            label: "submission `POST /api/applications`",
            // A new enterprise and contract each time (across runs): every request stores
            // an application.
            make: Arc::new(|_| {
                static NEXT: AtomicU32 = AtomicU32::new(100_000);
                let n = NEXT.fetch_add(1, Ordering::Relaxed);
                let body = application(
                    2026,
                    n,
                    &format!("JK-{n}"),
                    "manufacturing",
                    invention(),
                    "120000.00",
                );
                Request::post_json("/api/applications", &body)
            }),
            expect: &[201],
        },
    ]
}

fn row(label: &str, r: &Report, hello: Option<&Report>) -> String {
    let inst = r.mean_timing_us("instantiate");
    let handle = r.mean_timing_us("handle");
    let sqlite = r.mean_timing_us("sqlite");
    let queue = r.mean_timing_us("queue");
    let statements = r.mean_statements();
    let ratio = |f: f64, h: f64| format!("{:.1}×", f / h);
    let (p50_ratio, tput_ratio) = match hello {
        Some(h) => (
            ratio(r.percentile_us(0.5), h.percentile_us(0.5)),
            ratio(h.throughput(), r.throughput()),
        ),
        None => ("1×".into(), "1×".into()),
    };
    format!(
        "| {label} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {p50_ratio} | {tput_ratio} | {inst:.0} | {handle:.0} | {sqlite:.0} ({statements:.0}) | {queue:.0} |",
        r.connections,
        r.requests(),
        r.throughput(),
        r.percentile_us(0.5),
        r.percentile_us(0.9),
        r.percentile_us(0.99),
    )
}

async fn first_answers(h: &HostProcess) {
    println!("| component | first request ms | second request ms |");
    println!("|---|---|---|");
    for (component, path) in [
        ("hello-world (probe)", "/bench/hello"),
        ("intake", "/api/health/intake"),
        ("calculation", "/api/health/calculation"),
        ("notices", "/api/health/notices"),
        ("objections", "/api/health/objections"),
        ("assets", "/api/health/assets"),
    ] {
        let mut t = Vec::new();
        for _ in 0..2 {
            let at = Instant::now();
            let r = request(h.addr, "GET", path, &[], &[]).await.expect(path);
            assert_eq!(r.status, 200, "{path}: {}", r.text());
            t.push(at.elapsed().as_secs_f64() * 1e3);
        }
        println!("| {component} | {:.2} | {:.2} |", t[0], t[1]);
    }
}

fn sizes() {
    println!("| component | `.wasm` bytes |");
    println!("|---|---|");
    for c in [
        "intake",
        "calculation",
        "notices",
        "objections",
        "assets",
        "probe",
    ] {
        let len = std::fs::metadata(e2e::wasm(c))
            .map(|m| m.len())
            .unwrap_or(0);
        println!("| {c} | {len} |");
    }
}

/// Measures each route (or only those whose label contains `only`) beside hello-world,
/// with each number of connections, and prints the table.
/// Each route's p50 in µs, by label, with hello-world's first: one column of the summary.
type Column = Vec<(&'static str, f64)>;

/// Prints the local host's table; answers the one-connection p50s.
async fn table(
    addr: std::net::SocketAddr,
    conns: &[usize],
    only: Option<&str>,
    duration: Duration,
) -> Column {
    let mut column = Column::new();
    println!(
        "| route | connections | requests | req/s | p50 µs | p90 µs | p99 µs | p50 / hello | hello req/s / route req/s | instantiate µs | handle µs | SQLite µs (statements) | write queue µs |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let warmup = Duration::from_millis(500);
    for &c in conns {
        let mut hello: Option<Report> = None;
        for route in routes() {
            let is_hello = route.label.starts_with("hello");
            if only.is_some_and(|o| !route.label.contains(o)) && !is_hello {
                continue;
            }
            let r = run(addr, c, warmup, duration, route.expect, route.make).await;
            assert_eq!(r.errors, 0, "{}: connection errors", route.label);
            println!("{}", row(route.label, &r, hello.as_ref()));
            if c == 1 {
                column.push((route.label, r.percentile_us(0.5)));
            }
            if is_hello {
                hello = Some(r);
            }
        }
    }
    column
}

/// Whether a route is in issue 17's table: hello-world and the routes users read.
fn summarised(label: &str) -> bool {
    [
        "hello",
        "static page",
        "rounds",
        "notices",
        "Atom feed",
        "pre-check",
    ]
    .iter()
    .any(|r| label.starts_with(r))
}

/// Issue 17's routes alone, one connection as `reuse` says: their p50s.
async fn column(addr: std::net::SocketAddr, reuse: Reuse, duration: Duration) -> Column {
    let mut column = Column::new();
    for route in routes().into_iter().filter(|r| summarised(r.label)) {
        let r = run_with(
            addr,
            1,
            reuse,
            Duration::from_millis(500),
            duration,
            route.expect,
            route.make,
        )
        .await;
        assert_eq!(r.errors, 0, "{}: connection errors", route.label);
        column.push((route.label, r.percentile_us(0.5)));
    }
    column
}

/// Issue 17's table: the routes users read, each ÷ hello-world on the same host in the
/// same run (p50, one connection).
fn summary(columns: &[(String, Column)]) {
    print!("| route |");
    for (name, _) in columns {
        print!(" {name} |");
    }
    println!("\n|---|{}", "---|".repeat(columns.len()));
    for label in routes().iter().map(|r| r.label).filter(|l| summarised(l)) {
        print!("| {label} |");
        for (_, col) in columns {
            let hello = col.first().map(|(_, p)| *p);
            match (col.iter().find(|(l, _)| *l == label), hello) {
                (Some((_, p)), Some(h)) => print!(" {p:.0} µs, {:.2}× |", p / h),
                _ => print!(" – |"),
            }
        }
        println!();
    }
}

fn main() {
    // `cargo test --benches` runs benches in test mode: do nothing there.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    ensure_built();
    let seconds: f64 = env_or("LOAD_SECONDS", 5.0);
    let conns: usize = env_or("LOAD_CONNECTIONS", 16);
    let only = std::env::var("LOAD_ONLY").ok();
    let perf_map = std::env::var_os("LOAD_PERF_MAP").is_some();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let dir = TempDir::new("bench-load");
        let manifest = app_with_hello_world();
        let state = dir.0.join("state");
        std::fs::create_dir_all(&state).expect("state folder");

        println!("## Component sizes\n");
        sizes();

        println!("\n## Cold start\n");
        let extra: &[&str] = if perf_map { &["--server-timing", "--perf-map"] } else { &["--server-timing"] };
        let host = seed(host_binary(), &manifest, &state, extra).await;
        println!(
            "host process start → serving (loads the manifest, compiles 6 components, runs the \
             migrations): {:.0} ms\n",
            host.ready_after.as_secs_f64() * 1e3
        );
        let cache_state = dir.0.join("cache-state");
        std::fs::create_dir_all(&cache_state).expect("state folder");
        let cache = dir.0.join("compile-cache").display().to_string();
        for attempt in ["first", "second"] {
            let h = start(host_binary(), &manifest, &cache_state, "2026-04-15T10:00:00+08:00", &["--compile-cache", &cache]);
            println!(
                "with `--compile-cache` (an empty folder at first), {attempt} start: {:.0} ms",
                h.ready_after.as_secs_f64() * 1e3
            );
            if attempt == "second" {
                println!();
                first_answers(&h).await;
            }
        }
        println!("\n(the app host above, without the cache)\n");
        first_answers(&host).await;

        println!(
            "\n## Load ({seconds} s per measurement after 0.5 s warm-up; closed loop; an instance serves up to 128 requests in turn, as on Spin 4.1)\n"
        );
        let duration = Duration::from_secs_f64(seconds);
        let local = table(host.addr, &[1, conns], only.as_deref(), duration).await;
        drop(host);
        // The same routes with public answers made from the database each time.
        let host = start(host_binary(), &manifest, &state, "2026-04-15T10:00:00+08:00", &["--variable", "public_answers_kept=off"]);
        let local_off = column(host.addr, Reuse::KeepAlive, duration).await;
        drop(host);

        println!(
            "\n## Writers: the host's queue (above) against SQLite's busy handler (`--sqlite-busy-wait`)\n"
        );
        let host = start(host_binary(), &manifest, &state, "2026-04-15T10:00:00+08:00", &["--server-timing", "--sqlite-busy-wait"]);
        table(host.addr, &[1, conns], Some("submission"), duration).await;
        let stored = call(&host, "GET", "/api/applications?round=2026", OFFICER, &Value::Null).await;
        let n = stored.json()["applications"].as_array().map_or(0, Vec::len);
        println!("\napplications stored by the submission runs: {n}");
        drop(host);

        let spin = real_spin(&state, only.as_deref(), duration).await;

        println!(
            "\n## Each route ÷ hello-world (p50, one connection; issue 17)\n\n\
             Public answers kept (`public_answers_kept=on`, the default) and made from the \
             database each time (`off`, as before issue 17).\n"
        );
        let mut columns = vec![
            ("local host, keep-alive".to_owned(), local),
            ("local host, keep-alive, kept off".to_owned(), local_off),
        ];
        let ran_spin = !spin.is_empty();
        columns.extend(spin);
        summary(&columns);
        if ran_spin {
            runtime_floor(duration).await;
        }
    });
}

/// The same routes on the real Spin 4.1 (when there is one: `tests/build.rs`), on the state
/// the local host left (switched to the rollback journal Spin itself uses), one keep-alive
/// connection: what a browser's page loads and API calls cost on the runtime users get.
/// Spin has no `server-timing`; the ratio to hello-world is the figure.
async fn real_spin(state: &Path, only: Option<&str>, duration: Duration) -> Vec<(String, Column)> {
    let Some(bin) = e2e::spin::binary() else {
        println!("\n## Real Spin: skipped (no Spin binary; see tests/build.rs)");
        return Vec::new();
    };
    println!("\n## Real Spin ({}), one connection\n", bin.display());
    rusqlite::Connection::open(state.join("sqlite_db.db"))
        .and_then(|db| db.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(())))
        .expect("the seeded database");
    let manifest = app_with_hello_world();
    let vars = [
        ("admin_token", ADMIN),
        ("officer_token", OFFICER),
        ("clock_override", "2026-04-15T10:00:00+08:00"),
        // Thousands of submissions from one loopback address, on purpose.
        ("applications_per_address_hour", "0"),
    ];
    let spin = e2e::spin::SpinProcess::start(&e2e::spin::SpinConfig {
        manifest: &manifest,
        state,
        variables: &vars,
        sqlite_files: e2e::migration_files(),
        runtime_config: None,
    });
    println!(
        "`spin up` → serving: {:.0} ms\n",
        spin.ready_after.as_secs_f64() * 1e3
    );
    let mut columns = Vec::new();
    for reuse in [Reuse::NewConnection, Reuse::KeepAlive] {
        println!("{reuse:?}:\n");
        println!("| route | requests | p50 µs | p90 µs | p99 µs | p50 / hello |");
        println!("|---|---|---|---|---|---|");
        let mut column = Column::new();
        for route in routes() {
            if only.is_some_and(|o| !route.label.contains(o)) && !route.label.starts_with("hello") {
                continue;
            }
            let r = run_with(
                spin.addr,
                1,
                reuse,
                Duration::from_millis(500),
                duration,
                route.expect,
                route.make,
            )
            .await;
            assert_eq!(r.errors, 0, "{}: connection errors", route.label);
            let p50 = r.percentile_us(0.5);
            let h = column.first().map_or(p50, |(_, p)| *p);
            println!(
                "| {} | {} | {:.0} | {:.0} | {:.0} | {:.1}× |",
                route.label,
                r.requests(),
                p50,
                r.percentile_us(0.9),
                r.percentile_us(0.99),
                p50 / h
            );
            column.push((route.label, p50));
        }
        println!();
        columns.push(column);
    }
    drop(spin);
    let mut off = vars.to_vec();
    off.push(("public_answers_kept", "off"));
    let spin = e2e::spin::SpinProcess::start(&e2e::spin::SpinConfig {
        manifest: &manifest,
        state,
        variables: &off,
        sqlite_files: e2e::migration_files(),
        runtime_config: None,
    });
    let fresh_off = column(spin.addr, Reuse::NewConnection, duration).await;
    let kept_off = column(spin.addr, Reuse::KeepAlive, duration).await;
    drop(spin);
    let mut named = Vec::new();
    let mut it = columns.into_iter();
    if let (Some(fresh), Some(kept)) = (it.next(), it.next()) {
        named.push(("real Spin, new connection per request".to_owned(), fresh));
        named.push(("real Spin, new connection, kept off".to_owned(), fresh_off));
        named.push(("real Spin, keep-alive".to_owned(), kept));
        named.push(("real Spin, keep-alive, kept off".to_owned(), kept_off));
    }
    named
}

/// What any SQLite read costs on this Spin, whatever the app does: the `probe` reading one
/// row of a one-table database beside its hello-world, on a fresh state folder. Spin 4.1
/// opens a new SQLite connection for every request (`spin-sqlite-inproc`) and runs every
/// statement on a blocking thread, so this ratio is the least a route that reads SQLite
/// can cost, relative to hello-world. Beside it, one variable, one key-value read, a file,
/// and the pre-check's body posted and read: the least each kind of route can cost.
async fn runtime_floor(duration: Duration) {
    let state = TempDir::new("load-floor");
    let spin = e2e::spin::start_fixture(&state.0, &[("secret", "bench-secret-0123456789")]);
    let created = request(spin.addr, "GET", "/probe/db/default/count", &[], b"")
        .await
        .expect("the probe answers");
    assert_eq!(created.status, 200, "{}", created.text());
    let kept = request(
        spin.addr,
        "PUT",
        "/probe/kv/default/floor",
        &[],
        b"a kept value",
    )
    .await
    .expect("the probe answers");
    assert_eq!(kept.status, 200, "{}", kept.text());
    println!(
        "\nThe runtime's floor: what one call to the host costs a component (the probe; \
         `assets` on a one-file site), same Spin, a new connection per request (on \
         keep-alive a route that calls the host may wait for the client's delayed ACK: \
         docs/BENCHMARKS.md)\n"
    );
    println!("| route | requests | p50 µs | p90 µs | p99 µs | p50 / hello |");
    println!("|---|---|---|---|---|---|");
    // The pre-check's body (the documented example, 1.3 KB), sent to routes that answer
    // at once: what its delivery costs before any of the pre-check's own work.
    let body: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("shared/rules/data/example-precheck-request.json"))
            .expect("the documented example request"),
    )
    .expect("JSON");
    let mut hello_p50 = None;
    let gets = [
        ("hello-world `GET /hello`", "/hello"),
        (
            "one SQLite read `GET /probe/db/default/read`",
            "/probe/db/default/read",
        ),
        (
            "one variable `GET /probe/var/greeting`",
            "/probe/var/greeting",
        ),
        (
            "one key-value read (open, get) `GET /probe/kv/default/floor`",
            "/probe/kv/default/floor",
        ),
        (
            "`assets` without the filesystem `GET /api/health/assets`",
            "/api/health/assets",
        ),
        (
            "`assets`, one file of 182 B (read once per instance) `GET /index.html`",
            "/index.html",
        ),
    ]
    .map(|(label, path)| (label, Request::get(path)));
    let posts = [
        (
            "the pre-check's 1.3 KB body, not read `POST /probe/hello`",
            Request::post_json("/probe/hello", &body),
        ),
        (
            "the same body, read whole `POST /probe/echo`",
            Request::post_json("/probe/echo", &body),
        ),
    ];
    for (label, request) in gets.into_iter().chain(posts) {
        let r = run_with(
            spin.addr,
            1,
            Reuse::NewConnection,
            Duration::from_millis(500),
            duration,
            &[200],
            Arc::new(move |_| request.clone()),
        )
        .await;
        assert_eq!(r.errors, 0, "{label}: connection errors");
        let p50 = r.percentile_us(0.5);
        let h = *hello_p50.get_or_insert(p50);
        println!(
            "| {label} | {} | {p50:.0} | {:.0} | {:.0} | {:.1}× |",
            r.requests(),
            r.percentile_us(0.9),
            r.percentile_us(0.99),
            p50 / h
        );
    }
}
