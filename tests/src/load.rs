//! A small closed-loop load generator (like `wrk`): `connections` keep-alive connections,
//! each sending its next request as soon as the last is answered, for a fixed time.
//! Every request's latency is kept, so percentiles are exact, not estimated.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::Conn;

/// One request to send.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn get(path: &str) -> Self {
        Request {
            method: "GET",
            path: path.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn post_json(path: &str, body: &serde_json::Value) -> Self {
        Request {
            method: "POST",
            path: path.to_owned(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }
}

/// What a run measured.
#[derive(Debug, Default)]
pub struct Report {
    pub connections: usize,
    pub elapsed: Duration,
    /// Every request's latency, sorted.
    pub latencies: Vec<Duration>,
    pub statuses: BTreeMap<u16, u64>,
    /// Connection errors (the run stops on the first).
    pub errors: u64,
    /// Sums of the host's `server-timing` parts (instantiate, handle, sqlite, queue) in
    /// ms, and of the statement counts (the `sqlite` part's `desc`), when it sends them.
    pub timing_ms: BTreeMap<String, f64>,
    pub statements: f64,
}

impl Report {
    pub fn requests(&self) -> usize {
        self.latencies.len()
    }

    pub fn throughput(&self) -> f64 {
        self.requests() as f64 / self.elapsed.as_secs_f64()
    }

    /// The `p`-quantile (0 ≤ p ≤ 1) latency in µs (nearest rank).
    pub fn percentile_us(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let i = ((self.latencies.len() as f64 * p).ceil() as usize).clamp(1, self.latencies.len());
        self.latencies[i - 1].as_secs_f64() * 1e6
    }

    /// The mean of a `server-timing` part per request, in µs.
    pub fn mean_timing_us(&self, part: &str) -> f64 {
        self.timing_ms.get(part).copied().unwrap_or(0.0) * 1e3 / self.requests().max(1) as f64
    }

    /// SQLite statements per request.
    pub fn mean_statements(&self) -> f64 {
        self.statements / self.requests().max(1) as f64
    }

    fn add(&mut self, other: Report) {
        self.latencies.extend(other.latencies);
        self.errors += other.errors;
        self.statements += other.statements;
        for (k, v) in other.timing_ms {
            *self.timing_ms.entry(k).or_default() += v;
        }
        for (s, n) in other.statuses {
            *self.statuses.entry(s).or_default() += n;
        }
    }
}

/// How each client reaches the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reuse {
    /// One keep-alive connection per client, for every request (as a browser does).
    KeepAlive,
    /// A new TCP connection for every request, `connection: close`; the latency includes
    /// the connect (as a client that does not keep connections, or a cold visitor).
    NewConnection,
}

/// Sends `make(i)` (i = 0, 1, 2, … across all connections) for `duration` on `connections`
/// keep-alive connections after `warmup` of the same. Answers must be `expect`ed statuses,
/// or the run panics naming the request and the answer.
pub async fn run(
    addr: SocketAddr,
    connections: usize,
    warmup: Duration,
    duration: Duration,
    expect: &'static [u16],
    make: Arc<dyn Fn(u64) -> Request + Send + Sync>,
) -> Report {
    run_with(
        addr,
        connections,
        Reuse::KeepAlive,
        warmup,
        duration,
        expect,
        make,
    )
    .await
}

/// [`run`], with each client's connections as `reuse` says.
pub async fn run_with(
    addr: SocketAddr,
    connections: usize,
    reuse: Reuse,
    warmup: Duration,
    duration: Duration,
    expect: &'static [u16],
    make: Arc<dyn Fn(u64) -> Request + Send + Sync>,
) -> Report {
    let counter = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let measure_from = started + warmup;
    let until = measure_from + duration;
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let make = make.clone();
        let counter = counter.clone();
        tasks.push(tokio::spawn(async move {
            let mut kept = match reuse {
                Reuse::KeepAlive => Some(Conn::open(addr).await.expect("connects")),
                Reuse::NewConnection => None,
            };
            let mut part = Report::default();
            loop {
                let now = Instant::now();
                if now >= until {
                    break;
                }
                let mut req = make(counter.fetch_add(1, Ordering::Relaxed));
                let sent = Instant::now();
                let answer = match &mut kept {
                    Some(conn) => {
                        conn.send(req.method, &req.path, &req.headers, &req.body)
                            .await
                    }
                    None => {
                        req.headers.push(("connection".into(), "close".into()));
                        match Conn::open(addr).await {
                            Ok(mut conn) => {
                                conn.send(req.method, &req.path, &req.headers, &req.body)
                                    .await
                            }
                            Err(e) => Err(e),
                        }
                    }
                };
                let answer = match answer {
                    Ok(a) => a,
                    Err(_) => {
                        part.errors += 1;
                        break;
                    }
                };
                let took = sent.elapsed();
                assert!(
                    expect.contains(&answer.status),
                    "{} {}: {} {}",
                    req.method,
                    req.path,
                    answer.status,
                    answer.text()
                );
                if sent >= measure_from {
                    part.latencies.push(took);
                    *part.statuses.entry(answer.status).or_default() += 1;
                    let timing = answer.header("server-timing").map(server_timing);
                    for (name, ms, desc) in timing.unwrap_or_default() {
                        *part.timing_ms.entry(name).or_default() += ms;
                        part.statements += desc.and_then(|d| d.parse().ok()).unwrap_or(0.0);
                    }
                }
            }
            part
        }));
    }
    let mut report = Report {
        connections,
        ..Report::default()
    };
    for t in tasks {
        report.add(t.await.expect("a load task"));
    }
    report.elapsed = Instant::now().min(until) - measure_from;
    report.latencies.sort();
    report
}

/// `instantiate;dur=0.1, sqlite;dur=2.5;desc="7"` → [("instantiate", 0.1, None),
/// ("sqlite", 2.5, Some("7"))]; parts without a duration are left out.
pub fn server_timing(v: &str) -> Vec<(String, f64, Option<String>)> {
    v.split(',')
        .filter_map(|part| {
            let mut params = part.split(';').map(str::trim);
            let name = params.next()?.to_owned();
            let (mut dur, mut desc) = (None, None);
            for p in params {
                match p.split_once('=') {
                    Some(("dur", d)) => dur = d.parse().ok(),
                    Some(("desc", d)) => desc = Some(d.trim_matches('"').to_owned()),
                    _ => {}
                }
            }
            Some((name, dur?, desc))
        })
        .collect()
}

/// The app's `spin.toml` plus the hello-world `probe` at `/bench/...`, so that routes are
/// measured beside hello-world on the same host in the same run. It is written beside
/// `spin.toml` (as `.spin-hello-<pid>-<n>.toml`, ignored by git) because Spin, and the local
/// host like it, refuse `files` outside the application directory; dropping the answer
/// removes the file.
pub fn app_with_hello_world() -> HelloManifest {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let mut text = std::fs::read_to_string(crate::app_manifest()).expect("spin.toml");
    text.push_str(
        "\n[[trigger.http]]\nroute = \"/bench/...\"\ncomponent = \"bench-hello\"\n\n\
         [component.bench-hello]\nsource = \"target/wasm32-wasip2/wasm/probe.wasm\"\n",
    );
    let path = crate::root().join(format!(".spin-hello-{}-{n}.toml", std::process::id()));
    std::fs::write(&path, text).expect("the workspace is writable");
    HelloManifest(path)
}

/// A manifest written by [`app_with_hello_world`], removed when dropped.
pub struct HelloManifest(pub PathBuf);

impl std::ops::Deref for HelloManifest {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for HelloManifest {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_timing_is_read_and_percentiles_are_nearest_rank() {
        assert_eq!(
            server_timing("instantiate;dur=0.125, sqlite;dur=2.5;desc=\"7\", total"),
            vec![
                ("instantiate".to_owned(), 0.125, None),
                ("sqlite".to_owned(), 2.5, Some("7".to_owned()))
            ]
        );
        let r = Report {
            latencies: (1..=100).map(Duration::from_micros).collect(),
            ..Report::default()
        };
        assert_eq!(r.percentile_us(0.5), 50.0);
        assert_eq!(r.percentile_us(0.99), 99.0);
        assert_eq!(r.percentile_us(1.0), 100.0);
    }
}
