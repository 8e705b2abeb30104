//! Public reads rendered once (issue 17, `service::published`), on both hosts: a public
//! answer is kept in the key-value store `default` and served from there, and made again
//! as soon as what it shows changes — a write by any component, the clock opening or
//! closing a window, another base URL, a kept value that cannot be read.

use crate::common::{IN_NOTICE, OPEN};
use e2e::TempDir;
use e2e::app::{ADMIN, App, call};
use serde_json::{Value, json};

/// The keys and values kept in a state folder's key-value store `default`.
fn kept(state: &TempDir) -> Vec<(String, Vec<u8>)> {
    let c = rusqlite::Connection::open(state.0.join("sqlite_key_value.db"))
        .expect("the key-value store's file, where Spin keeps it");
    let mut q = c
        .prepare("SELECT key, value FROM spin_key_value WHERE store = 'default' ORDER BY key")
        .unwrap();
    q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn kept_value(state: &TempDir, key: &str) -> Option<Vec<u8>> {
    kept(state)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// `GET path` with `Host: host`, the whole answer as text.
async fn by_host(a: std::net::SocketAddr, path: &str, host: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(a).await.unwrap();
    let head = format!("GET {path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n");
    s.write_all(head.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

async fn get(a: std::net::SocketAddr, path: &str) -> Value {
    let r = call(a, "GET", path, None, &Value::Null).await;
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.json()
}

e2e::on_both_hosts! {
async fn public_reads_are_kept_and_made_again_when_what_they_show_changes(rt) {
    let state = TempDir::new("published");
    let host = App::on(rt).at("2026-03-25T10:00:00+08:00").start(&state).await;
    let a = host.addr;

    // Nothing yet: the empty list is kept, with its generation, ETag and moment.
    assert_eq!(get(a, "/api/rounds").await["rounds"], json!([]));
    let value = kept_value(&state, "public:rounds").expect("the list kept");
    let header: Value = serde_json::from_slice(value.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(header["made_at"], "2026-03-25T10:00:00+08:00");
    assert!(value.ends_with(br#"{"rounds":[]}"#), "{}", String::from_utf8_lossy(&value));

    // Intake writes a round: the kept list is made again at once.
    let r = call(a, "POST", "/api/rounds", Some(ADMIN), &e2e::fixtures::round(2026)).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let rounds = get(a, "/api/rounds").await;
    assert_eq!(rounds["rounds"][0]["year"], 2026);
    assert_eq!(rounds["rounds"][0]["window_status"], "not_yet");
    assert_eq!(get(a, "/api/rounds/current").await["stage"], "open");
    // Served from the store: a change made behind the app's back (by hand, in the
    // database) is not seen until something the app writes, or the clock, makes it again.
    let kept_round = get(a, "/api/rounds/2026").await;
    assert!(kept_value(&state, "public:rounds:2026").is_some());
    let by_hand = |stage: &str| {
        let c = rusqlite::Connection::open(state.0.join("sqlite_db.db")).unwrap();
        c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
        c.execute("UPDATE rounds SET stage = ?1 WHERE year = 2026", [stage]).unwrap();
    };
    by_hand("paid");
    assert_eq!(get(a, "/api/rounds/2026").await, kept_round);
    by_hand("open");
    host.stop().await;

    // The clock opens the window: restarted inside it (a start forgets kept answers, as
    // the tests edit the database between runs), the window is open, and the kept answer
    // says when the clock changes it next: the window's end.
    let host = App::on(rt).at(OPEN).start(&state).await;
    let a = host.addr;
    assert!(kept_value(&state, "public:rounds").is_none());
    assert_eq!(get(a, "/api/rounds").await["rounds"][0]["window_status"], "open");
    assert_eq!(get(a, "/api/rounds/current").await["window_status"], "open");
    let value = kept_value(&state, "public:rounds:current").unwrap();
    let header: Value = serde_json::from_slice(value.split(|&b| b == b'\n').next().unwrap()).unwrap();
    // The instant after the window's last (it includes 17:00:00).
    assert_eq!(header["changes_at"], "2026-04-30T17:00:00.000000001+08:00", "the window's end");

    host.stop().await;

    // Past the window's end, review (another component) closes it: the rounds shown
    // change at once.
    let host = App::on(rt).at(IN_NOTICE).start(&state).await;
    let a = host.addr;
    assert_eq!(get(a, "/api/rounds/current").await["stage"], "open");
    let r = call(a, "POST", "/api/rounds/2026/stage", Some(ADMIN), &json!({"to": "closed"})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let current = get(a, "/api/rounds/current").await;
    assert_eq!((current["stage"].as_str(), current["window_status"].as_str()), (Some("closed"), Some("closed")));
    assert_eq!(get(a, "/api/rounds").await["rounds"][0]["stage"], "closed");
    assert_eq!(get(a, "/api/rounds/2026").await["stage"], "closed");

    // The notices list and feed, under the base URL each reader came by.
    let list = get(a, "/api/notices").await;
    assert_eq!(list["notices"], json!([]));
    let r = call(a, "GET", "/feeds/notices.atom", None, &Value::Null).await;
    assert_eq!(r.status, 200);
    let atom = r.text();
    let other = by_host(a, "/feeds/notices.atom", "example.org").await;
    assert!(other.starts_with("HTTP/1.1 200"), "{other}");
    assert!(other.contains("http://example.org/feeds/notices.atom"), "{other}");
    assert!(!atom.contains("example.org"), "{atom}");
    let again = call(a, "GET", "/feeds/notices.atom", None, &Value::Null).await;
    assert_eq!(again.text(), atom, "the other base URL's answer is not served to this one");

    // A kept value that cannot be read is made again (and logged), never served.
    let c = rusqlite::Connection::open(state.0.join("sqlite_key_value.db")).unwrap();
    c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    c.execute(
        "UPDATE spin_key_value SET value = CAST('{\"generation\":' || 'x' AS BLOB) WHERE key = 'public:rounds'",
        [],
    )
    .unwrap();
    // The instance that made it may still have it in memory (Spin reuses an instance for
    // up to 128 requests, each within a second of the last) and serve it from there; a
    // fresh one reads the store and makes the answer again.
    assert_eq!(get(a, "/api/rounds").await["rounds"][0]["stage"], "closed");
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(get(a, "/api/rounds").await["rounds"][0]["stage"], "closed");
    let repaired = kept_value(&state, "public:rounds").unwrap();
    assert!(repaired.ends_with(b"]}"), "made again and kept: {}", String::from_utf8_lossy(&repaired));
    host.stop().await;
}
}

e2e::on_both_hosts! {
async fn keeping_can_be_turned_off_and_a_wrong_switch_is_named(rt) {
    let state = TempDir::new("published-off");
    let host = App::on(rt).at(OPEN).var("public_answers_kept", "off").start(&state).await;
    let a = host.addr;
    let r = call(a, "POST", "/api/rounds", Some(ADMIN), &e2e::fixtures::round(2026)).await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(get(a, "/api/rounds").await["rounds"][0]["window_status"], "open");
    assert_eq!(get(a, "/api/notices").await["notices"], json!([]));
    // Writers still set the generation; no answer is kept.
    let keys: Vec<String> = kept(&state).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["public:generation"]);
    host.stop().await;

    let host = App::on(rt).at(OPEN).var("public_answers_kept", "maybe").start(&state).await;
    let r = call(host.addr, "GET", "/api/rounds", None, &Value::Null).await;
    let e = e2e::app::assert_error(&r, 500, "server_misconfigured");
    assert!(e["message_en"].as_str().unwrap().contains("public_answers_kept"), "{e}");
    host.stop().await;
}
}

/// How many key-value calls and SQLite statements the local host counted for an answer
/// (`server-timing`: `kv;…;desc="N"`, `sqlite;…;desc="N"`).
fn calls(r: &e2e::Answer) -> (u32, u32) {
    let timing = e2e::load::server_timing(r.header("server-timing").expect("server-timing"));
    let count = |name: &str| {
        timing
            .iter()
            .find(|(n, _, _)| n == name)
            .and_then(|(_, _, desc)| desc.as_deref()?.parse().ok())
            .unwrap_or_else(|| panic!("{name} counted in {timing:?}"))
    };
    (count("kv"), count("sqlite"))
}

/// Spin reuses an instance (up to 128 requests), and so does the local host: an instance
/// that has served a kept answer keeps it, with the store it opened and its variables
/// (`service::memory`), and serves it again after asking the store for the data's
/// generation alone — one key-value call, no SQLite. Before, every kept read opened the
/// store and read the generation and the answer (three calls).
#[tokio::test(flavor = "multi_thread")]
async fn a_kept_answer_served_again_by_its_instance_asks_only_for_the_generation() {
    let state = TempDir::new("published-calls");
    let host = App::local().at(IN_NOTICE).timed().start(&state).await;
    let a = host.addr;
    // A write: the data now has a generation.
    let r = call(
        a,
        "POST",
        "/api/rounds",
        Some(ADMIN),
        &e2e::fixtures::round(2026),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let first = call(a, "GET", "/api/rounds", None, &Value::Null).await;
    assert_eq!(first.status, 200);
    assert!(
        calls(&first).1 > 0,
        "made from the database: {:?}",
        calls(&first)
    );
    for _ in 0..3 {
        let again = call(a, "GET", "/api/rounds", None, &Value::Null).await;
        assert_eq!(again.body, first.body);
        assert_eq!(calls(&again), (1, 0), "the generation alone");
    }
    // A write elsewhere (another component) makes it again at once.
    let r = call(
        a,
        "POST",
        "/api/rounds/2026/stage",
        Some(ADMIN),
        &json!({"to": "closed"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let after = call(a, "GET", "/api/rounds", None, &Value::Null).await;
    assert_eq!(after.json()["rounds"][0]["stage"], "closed");
    assert!(calls(&after).1 > 0, "made again: {:?}", calls(&after));
    host.stop().await;
}
