//! Faults (issue 7): the host killed while hundreds of submissions are in flight, and
//! components that trap or loop beside the real app.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use e2e::fixtures::{application, credit_code, invention, round};
use e2e::host_process::{HostProcess, migration_args, spawn, variable_args};
use e2e::{TempDir, app_manifest, config, ensure_built, get, request};

const ADMIN: &str = "admin-token-for-the-fault-tests-01";
const OFFICER: &str = "officer-token-for-the-fault-tests1";
const JSON: (&str, &str) = ("content-type", "application/json");
const IN_FLIGHT: u32 = 400;

fn start(state: &Path) -> HostProcess {
    let mut args = vec!["--from".to_owned(), app_manifest().display().to_string()];
    args.extend(variable_args(&[
        ("admin_token", ADMIN),
        ("officer_token", OFFICER),
        ("clock_override", "2026-04-15T10:00:00+08:00"),
        // Hundreds of enterprises from one loopback address, on purpose.
        ("applications_per_address_hour", "100000"),
    ]));
    // The migrations run at every start, as `cargo xtask up` does: they must be idempotent.
    args.extend(migration_args());
    args.extend([
        "--compile-cache".to_owned(),
        e2e::compile_cache().display().to_string(),
    ]);
    spawn(Path::new(env!("CARGO_BIN_EXE_e2e-host")), state, &args)
}

fn submission(n: u32) -> Vec<u8> {
    let body = application(
        2026,
        n,
        &format!("JK-{n:05}"),
        "manufacturing",
        invention(),
        "80000.00",
    );
    body.to_string().into_bytes()
}

/// Submits enterprise `n`'s application with its own Idempotency-Key; answers the status
/// and the id, or the I/O error's text when the connection broke.
async fn submit(addr: std::net::SocketAddr, n: u32) -> Result<(u16, String), String> {
    let key = format!("fault-test-{n}");
    let headers = [JSON, ("idempotency-key", key.as_str())];
    match request(addr, "POST", "/api/applications", &headers, &submission(n)).await {
        Ok(a) if a.status == 201 || a.status == 200 => {
            Ok((a.status, a.json()["id"].as_str().unwrap_or("").to_owned()))
        }
        Ok(a) => Ok((a.status, a.text())),
        Err(e) => Err(e.to_string()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn killing_the_host_mid_submissions_keeps_every_confirmed_application_exactly_once() {
    ensure_built();
    let state = TempDir::new("fault-kill");
    let host = start(&state.0);
    let addr = host.addr;
    let r = request(
        addr,
        "POST",
        "/api/rounds",
        &[JSON, ("authorization", &format!("Bearer {ADMIN}"))],
        round(2026).to_string().as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 201, "{}", r.text());

    // Hundreds of submissions at once; the host is killed (SIGKILL, no shutdown) once a
    // few dozen have been confirmed, while the rest are queued, mid-transaction or mid-answer.
    let confirmed = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for n in 1..=IN_FLIGHT {
        let confirmed = confirmed.clone();
        tasks.push(tokio::spawn(async move {
            let r = submit(addr, n).await;
            if matches!(r, Ok((201, _))) {
                confirmed.fetch_add(1, Ordering::SeqCst);
            }
            (n, r)
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while confirmed.load(Ordering::SeqCst) < 40 {
        assert!(Instant::now() < deadline, "no submissions were confirmed");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    host.kill();
    let mut answered = BTreeMap::new();
    let mut broken = BTreeSet::new();
    for t in tasks {
        match t.await.unwrap() {
            (n, Ok((201, id))) => {
                answered.insert(n, id);
            }
            (n, Ok((status, text))) => panic!("enterprise {n}: {status} {text}"),
            (n, Err(_)) => {
                broken.insert(n);
            }
        }
    }
    assert!(
        !broken.is_empty(),
        "the kill came after every answer: nothing was in flight"
    );
    assert!(answered.len() >= 40);
    eprintln!(
        "{} submissions confirmed before the kill, {} cut off",
        answered.len(),
        broken.len()
    );

    // The database file, read directly after the crash: intact and consistent.
    let db_path = state.0.join("sqlite_db.db");
    {
        let db = rusqlite::Connection::open(&db_path).unwrap();
        let check: String = db
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        for (n, id) in &answered {
            let (rows, uscc): (i64, String) = db
                .query_row(
                    "SELECT count(*), max(uscc) FROM applications WHERE id = ?",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!(rows, 1, "confirmed {id} of enterprise {n} is missing");
            assert_eq!(uscc, credit_code(*n));
        }
        // No half-written submission: each application has its loan row and its audit row.
        let orphans: i64 = db
            .query_row(
                "SELECT count(*) FROM applications a WHERE NOT EXISTS \
                 (SELECT 1 FROM application_loans l WHERE l.application_id = a.id) \
                 OR NOT EXISTS (SELECT 1 FROM audit_log g WHERE g.subject = a.id)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(orphans, 0, "an application without its loans or audit row");
        let doubled: i64 = db
            .query_row(
                "SELECT count(*) FROM (SELECT uscc FROM applications GROUP BY uscc HAVING count(*) > 1)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(doubled, 0);
    }
    // The key case: a submission committed whose answer the kill cut off. Its retry must
    // get that application back, not make a second one.
    let committed_unanswered: BTreeMap<u32, String> = {
        let db = rusqlite::Connection::open(&db_path).unwrap();
        broken
            .iter()
            .filter_map(|n| {
                db.query_row(
                    "SELECT id FROM applications WHERE uscc = ?",
                    [credit_code(*n)],
                    |r| r.get::<_, String>(0),
                )
                .ok()
                .map(|id| (*n, id))
            })
            .collect()
    };

    // Restarted on the same state: whoever lost the answer retries with the same
    // Idempotency-Key and gets one application, never two.
    // A client whose retry also loses its connection retries again, as any client with an
    // Idempotency-Key may: the property is "one application, never two", however many tries.
    let host = start(&state.0);
    let addr = host.addr;
    let mut retries = Vec::new();
    for &n in &broken {
        retries.push(tokio::spawn(async move {
            let mut tries = 0;
            loop {
                tries += 1;
                let r = submit(addr, n).await;
                if r.is_ok() || tries == 5 {
                    return (r, tries);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }));
    }
    let mut retried_again = 0;
    for (t, n) in retries.into_iter().zip(&broken) {
        let (r, tries) = t.await.unwrap();
        assert!(
            matches!(r, Ok((200 | 201, _))),
            "retry of {n} ({tries} tries): {r:?}"
        );
        if let (Some(stored), Ok((_, id))) = (committed_unanswered.get(n), &r) {
            assert_eq!(
                id, stored,
                "the retry of {n} gets the committed application"
            );
        }
        retried_again += usize::from(tries > 1);
    }
    eprintln!(
        "{retried_again} retries lost their connection and were sent again; {} had been \
         committed before the kill cut their answer",
        committed_unanswered.len()
    );

    // The same case made on purpose: a client sends its submission and goes away without
    // reading the answer. The application is committed; the retry with the key gets it.
    let lost = IN_FLIGHT + 1;
    {
        use tokio::io::AsyncWriteExt;
        let body = submission(lost);
        let key = format!("fault-test-{lost}");
        let head = format!(
            "POST /api/applications HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
             idempotency-key: {key}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(&body).await.unwrap();
        drop(s);
    }
    let stored = {
        let deadline = Instant::now() + Duration::from_secs(30);
        let db = rusqlite::Connection::open(&db_path).unwrap();
        loop {
            let id = db
                .query_row(
                    "SELECT id FROM applications WHERE uscc = ?",
                    [credit_code(lost)],
                    |r| r.get::<_, String>(0),
                )
                .ok();
            if let Some(id) = id {
                break id;
            }
            assert!(
                Instant::now() < deadline,
                "the abandoned submission was not committed"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let again = submit(addr, lost).await;
    assert_eq!(
        again,
        Ok((201, stored)),
        "the retry gets the committed application"
    );
    let auth = format!("Bearer {OFFICER}");
    let list = request(
        host.addr,
        "GET",
        "/api/applications?round=2026",
        &[("authorization", &auth)],
        &[],
    )
    .await
    .unwrap();
    assert_eq!(list.status, 200, "{}", list.text());
    let listed = list.json()["applications"].as_array().unwrap().len();
    assert_eq!(
        listed,
        IN_FLIGHT as usize + 1,
        "every enterprise exactly once"
    );
    drop(host);
    let db = rusqlite::Connection::open(&db_path).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let (rows, enterprises): (i64, i64) = db
        .query_row(
            "SELECT count(*), count(DISTINCT uscc) FROM applications",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (rows, enterprises),
        (i64::from(IN_FLIGHT) + 1, i64::from(IN_FLIGHT) + 1)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_looping_or_trapping_component_does_not_hold_up_the_app() {
    ensure_built();
    let dir = TempDir::new("fault-loop");
    let manifest = e2e::load::app_with_hello_world();
    let state = dir.0.join("state");
    std::fs::create_dir_all(&state).unwrap();
    let mut c = config(&manifest, &state);
    c.variables.push(("admin_token".into(), ADMIN.into()));
    c.variables.push(("officer_token".into(), OFFICER.into()));
    c.sqlite_statements = e2e::migrations();
    c.request_timeout = Duration::from_secs(8);
    let host = localspin::start(c).await.expect("the app starts");
    let a = host.addr;

    // Two busy loops (one per core of the CI machine) and a trap, while the app serves.
    let hangs: Vec<_> = (0..2)
        .map(|_| tokio::spawn(async move { get(a, "/bench/hang").await }))
        .collect();
    let trap = tokio::spawn(async move { get(a, "/bench/trap").await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    for path in [
        "/api/rounds",
        "/api/health/calculation",
        "/feeds/notices.atom",
        "/api/health/objections",
        "/index.html",
    ] {
        let r = get(a, path).await;
        assert_eq!(r.status, 200, "{path} during the loops: {}", r.text());
    }
    // All answered while the loops still ran (they end only at the 8 s timeout).
    assert!(
        hangs.iter().all(|h| !h.is_finished()),
        "the loops ended before the app answered ({:?})",
        started.elapsed()
    );
    for h in hangs {
        let r = h.await.unwrap();
        assert_eq!(r.status, 504);
        assert_eq!(r.json()["error"]["code"], "timeout");
    }
    let r = trap.await.unwrap();
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["error"]["code"], "component_failed");
    assert_eq!(get(a, "/api/health/intake").await.status, 200);
    host.stop().await;
}
