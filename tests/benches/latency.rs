//! Per-request latency through the local host: a hello-world component versus
//! SQLite-backed routes. Not a timed test: run it with
//! `cargo bench -p e2e --bench latency` and read the figures (docs/BENCHMARKS.md).
//!
//! Each figure is N sequential requests on one keep-alive connection after a warm-up;
//! an instance serves up to 128 requests in turn, as under Spin 4.1 in production.

use std::time::{Duration, Instant};

use e2e::{Conn, TempDir, app_manifest, config, ensure_built, fixture_manifest, migrations};

const WARMUP: usize = 200;
const N: usize = 2000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

async fn measure(addr: std::net::SocketAddr, path: &str) -> String {
    let mut c = Conn::open(addr).await.unwrap();
    for _ in 0..WARMUP {
        let (s, _) = c.get(path).await.unwrap();
        assert_eq!(s, 200, "{path}");
    }
    let mut t = Vec::with_capacity(N);
    let all = Instant::now();
    for _ in 0..N {
        let start = Instant::now();
        let (s, _) = c.get(path).await.unwrap();
        t.push(start.elapsed());
        assert_eq!(s, 200);
    }
    let total = all.elapsed();
    t.sort();
    let mean = total / N as u32;
    format!(
        "| `{path}` | {N} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
        mean.as_secs_f64() * 1e6,
        percentile(&t, 0.5).as_secs_f64() * 1e6,
        percentile(&t, 0.9).as_secs_f64() * 1e6,
        percentile(&t, 0.99).as_secs_f64() * 1e6,
        N as f64 / total.as_secs_f64()
    )
}

/// Requests per second with `conns` keep-alive connections sending `per_conn` each.
async fn throughput(addr: std::net::SocketAddr, path: &'static str, conns: usize) -> String {
    let per_conn = 500;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conns {
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(addr).await.unwrap();
            for _ in 0..per_conn {
                let (s, _) = c.get(path).await.unwrap();
                assert_eq!(s, 200);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let total = conns * per_conn;
    format!(
        "| `{path}` | {conns} | {total} | {:.0} |",
        total as f64 / start.elapsed().as_secs_f64()
    )
}

fn main() {
    // `cargo test --benches` runs benches in test mode: do nothing there.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    ensure_built();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let fixture_state = TempDir::new("bench-fixture");
        let mut c = config(&fixture_manifest(), &fixture_state.0);
        c.variables.push(("secret".into(), "bench".into()));
        let fixture = localspin::start(c).await.unwrap();

        let app_state = TempDir::new("bench-app");
        let mut c = config(&app_manifest(), &app_state.0);
        c.variables
            .push(("admin_token".into(), "bench-admin-token-0123456789".into()));
        c.variables.push((
            "officer_token".into(),
            "bench-officer-token-0123456789".into(),
        ));
        c.sqlite_statements = migrations();
        let app = match localspin::start(c).await {
            Ok(app) => Some(app),
            Err(e) => {
                eprintln!("(the app's spin.toml did not start, its routes are skipped: {e:#})");
                None
            }
        };

        // Seed the counter row the read route selects.
        let mut seed = Conn::open(fixture.addr).await.unwrap();
        seed.get("/probe/db/default/count").await.unwrap();

        println!("| route | requests | mean µs | p50 µs | p90 µs | p99 µs | req/s |");
        println!("|---|---|---|---|---|---|---|");
        println!("{}", measure(fixture.addr, "/hello").await);
        println!("{}", measure(fixture.addr, "/probe/db/default/read").await);
        if let Some(app) = &app {
            println!("{}", measure(app.addr, "/api/health/intake").await);
            println!("{}", measure(app.addr, "/api/rounds").await);
        }
        println!();
        println!("| route | connections | requests | req/s |");
        println!("|---|---|---|---|");
        println!("{}", throughput(fixture.addr, "/hello", 8).await);
        println!(
            "{}",
            throughput(fixture.addr, "/probe/db/default/read", 8).await
        );
        fixture.stop().await;
        if let Some(app) = app {
            app.stop().await;
        }
    });
}
