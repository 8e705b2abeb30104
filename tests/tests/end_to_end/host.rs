//! The local host, end to end, with the fixture manifest (`tests/fixtures/spin.toml`)
//! and the `probe` component: real HTTP on a free port.

use std::time::Duration;

use e2e::app::{AppHost, Runtime};
use e2e::{TempDir, config, ensure_built, fixture_manifest, get, request};

const SECRET: &str = "s3cret-from-the-test";

async fn start(state: &TempDir) -> localspin::Running {
    ensure_built();
    let mut c = config(&fixture_manifest(), &state.0);
    c.variables.push(("secret".into(), SECRET.into()));
    c.request_timeout = Duration::from_secs(2);
    c.max_body_bytes = 1024;
    localspin::start(c).await.expect("the host starts")
}

/// The fixture on either runtime (the local host as [`start`] sets it up).
async fn start_on(rt: Runtime, state: &TempDir) -> AppHost {
    match rt {
        Runtime::Local => AppHost::local(start(state).await),
        Runtime::Spin => {
            ensure_built();
            let dir = state.0.clone();
            AppHost::spin(
                tokio::task::spawn_blocking(move || {
                    e2e::spin::start_fixture(&dir, &[("secret", SECRET)])
                })
                .await
                .unwrap(),
            )
        }
    }
}

e2e::on_both_hosts! {
/// The routing table: Spin's rules, Spin's `spin-*` headers (Spin appends its own after
/// any a client sent), end slashes ignored and inner empty segments kept.
async fn routes_match_like_spin_most_specific_first(rt) {
    let state = TempDir::new("routes");
    let host = start_on(rt, &state).await;
    let a = host.addr;

    // Exact route.
    let r = get(a, "/hello").await;
    assert_eq!((r.status, r.text().as_str()), (200, "hello"));

    // Exact beats `:param`, which beats the wildcard.
    let r = get(a, "/probe/exact/headers").await.json();
    assert_eq!(r["spin-matched-route"], "/probe/exact/headers");
    assert_eq!(r["spin-path-info"], "");

    let r = get(a, "/probe/p-42/headers?x=1").await.json();
    assert_eq!(r["spin-matched-route"], "/probe/:id/headers");
    assert_eq!(r["spin-path-match-id"], "p-42");
    assert_eq!(
        r["spin-full-url"],
        format!("http://{a}/probe/p-42/headers?x=1")
    );

    let r = get(a, "/probe/a/b/headers").await.json();
    assert_eq!(r["spin-matched-route"], "/probe/...");
    assert_eq!(r["spin-component-route"], "/probe");
    assert_eq!(r["spin-path-info"], "/a/b/headers");
    assert_eq!(r["spin-base-path"], "/");
    assert!(
        r["spin-client-addr"]
            .as_str()
            .unwrap()
            .starts_with("127.0.0.1:")
    );

    // The catch-all serves the static site from a read-only mount.
    let r = get(a, "/").await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("门头沟 fixture"));
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    let r = get(a, "/css/site.css").await;
    assert_eq!(r.status, 200);
    assert!(r.header("etag").is_some());
    assert_eq!(get(a, "/secret.toml").await.status, 404);
    assert_eq!(get(a, "/../spin.toml").await.status, 404);

    // Slashes at either end do not count; an empty segment inside does.
    for (path, route, info) in [
        ("//probe/exact/headers", "/probe/exact/headers", ""),
        ("/probe/exact/headers//", "/probe/exact/headers", ""),
        ("/probe/x/headers/", "/probe/:id/headers", ""),
        ("/probe//x/headers", "/probe/...", "//x/headers"),
        ("/probe/exact//headers", "/probe/...", "/exact//headers"),
        ("/probe/a/b/headers/", "/probe/...", "/a/b/headers/"),
    ] {
        let r = get(a, path).await.json();
        assert_eq!(r["spin-matched-route"], route, "{path}: {r}");
        assert_eq!(r["spin-path-info"], info, "{path}: {r}");
    }

    // A wildcard matching nothing: the path's end slash is the path info, as in Spin.
    for (path, info) in [("/probe?headers", ""), ("/probe/?headers", "/")] {
        let r = get(a, path).await.json();
        assert_eq!(r["spin-matched-route"], "/probe/...", "{path}: {r}");
        assert_eq!(r["spin-path-info"], info, "{path}: {r}");
    }
    // A parameter's header is named in lower case with `-` for `_`.
    let r = get(a, "/probe/named/x_1/headers").await.json();
    assert_eq!(r["spin-path-match-item-id"], "x_1", "{r}");

    // Spin answers `/.well-known/spin/…` itself, before any route (the catch-all too).
    let r = get(a, "/.well-known/spin/health").await;
    assert_eq!((r.status, r.text().as_str()), (200, "OK"));
    let r = get(a, "/.well-known/spin/info").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), serde_json::json!({"name": "localspin-fixture"}));
    let r = get(a, "/.well-known/spin/other").await;
    assert_eq!((r.status, r.body.len()), (404, 0));

    // `connection` (this client sends `close`) is the server's: Spin removes it before the
    // component sees the request.
    let r = get(a, "/probe/exact/headers").await.json();
    assert!(r.get("connection").is_none(), "{r}");

    // A header value that is not UTF-8: Spin's bare 500, and the component never runs.
    assert_eq!(
        raw_status(a, b"GET /hello HTTP/1.1\r\nhost: x\r\nx-note: caf\xe9\r\nconnection: close\r\n\r\n")
            .await,
        500
    );

    // A client's own `spin-*` headers stay, and the runtime's come after them.
    let r = request(
        a,
        "GET",
        "/probe/forged/headers",
        &[("spin-client-addr", "10.9.8.7:1234"), ("spin-path-match-id", "x")],
        &[],
    )
    .await
    .unwrap();
    let t = r.text();
    let forged = t.find("\"spin-client-addr\":\"10.9.8.7:1234\"").expect(&t);
    let real = t.find("\"spin-client-addr\":\"127.0.0.1:").expect(&t);
    assert!(forged < real, "the runtime's value comes last: {t}");
    assert_eq!(r.json()["spin-path-match-id"], "forged", "{t}");
    host.stop().await;
}
}

/// The status of the answer to `raw`, a request written byte for byte.
async fn raw_status(a: std::net::SocketAddr, raw: &[u8]) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(a).await.unwrap();
    s.write_all(raw).await.unwrap();
    let mut head = [0u8; 12];
    s.read_exact(&mut head).await.unwrap();
    std::str::from_utf8(&head[9..12]).unwrap().parse().unwrap()
}

/// `method path` with `body`, panicking on I/O errors.
async fn send(a: std::net::SocketAddr, method: &str, path: &str, body: &[u8]) -> e2e::Answer {
    request(a, method, path, &[], body)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// Spin's table for key-value data, as `sqlite_master` keeps it (read from the file
/// Spin 4.1 writes).
const SPIN_KV_TABLE: &str = "CREATE TABLE spin_key_value (
                           store TEXT NOT NULL,
                           key   TEXT NOT NULL,
                           value BLOB NOT NULL,

                           PRIMARY KEY (store, key)
                        )";

e2e::on_both_hosts! {
/// `spin:key-value@3.0.0` as Spin serves it: the `default` store in
/// `<state>/sqlite_key_value.db` (created by the first `open`), Spin's table, values as
/// bytes, keys listed in the primary key's order, one store shared by every component that
/// declares the label, `access-denied` for a label a component did not declare, and the
/// data still there after a restart on the same state folder.
async fn key_value_store_as_spin_keeps_it(rt) {
    let state = TempDir::new("kv");
    let file = state.0.join("sqlite_key_value.db");
    let host = start_on(rt, &state).await;
    let a = host.addr;

    // Nothing is opened until a component opens a store it may open.
    assert_eq!(get(a, "/hello").await.status, 200);
    for path in [
        "/nodb/kv/default/a",
        "/nodb/kv/default",
        "/probe/kv/elsewhere/a",
        "/probe/kv/cache",
    ] {
        let r = get(a, path).await;
        assert_eq!((r.status, r.text().as_str()), (500, "access-denied"), "{path}");
    }
    let r = send(a, "PUT", "/nodb/kv/default/a", b"x").await;
    assert_eq!((r.status, r.text().as_str()), (500, "access-denied"));
    assert!(!file.exists(), "no store was opened yet");

    // An empty store; a missing key has no value.
    let r = get(a, "/probe/kv/default").await;
    assert_eq!((r.status, r.text().as_str()), (200, ""));
    assert!(file.exists(), "the first open creates {}", file.display());
    let r = get(a, "/probe/kv/default/a").await;
    assert_eq!((r.status, r.text().as_str()), (404, "none"));
    assert_eq!(get(a, "/probe/kv/default/a?exists").await.text(), "false");

    // Set, read, overwrite.
    let r = send(a, "PUT", "/probe/kv/default/a", b"one").await;
    assert_eq!((r.status, r.text().as_str()), (200, "set"));
    assert_eq!(get(a, "/probe/kv/default/a").await.text(), "one");
    assert_eq!(get(a, "/probe/kv/default/a?exists").await.text(), "true");
    send(a, "PUT", "/probe/kv/default/a", b"two").await;
    let r = get(a, "/probe/kv/default/a").await;
    assert_eq!((r.status, r.body.as_slice()), (200, &b"two"[..]));

    // Values are bytes: not UTF-8, NUL inside, empty (a value, not none).
    let binary = [0xff, 0x00, 0xfe, 0x80, b'\n', 0xc3];
    send(a, "PUT", "/probe/kv/default/bin", &binary).await;
    let r = get(a, "/probe/kv/default/bin").await;
    assert_eq!((r.status, r.body.as_slice()), (200, &binary[..]));
    assert_eq!(r.header("content-type"), Some("application/octet-stream"));
    send(a, "PUT", "/probe/kv/default/empty", b"").await;
    let r = get(a, "/probe/kv/default/empty").await;
    assert_eq!((r.status, r.body.len()), (200, 0));
    assert_eq!(get(a, "/probe/kv/default/empty?exists").await.text(), "true");

    // The keys, in the order of the primary key (bytes: upper case first).
    send(a, "PUT", "/probe/kv/default/hello", b"h").await;
    send(a, "PUT", "/probe/kv/default/B", b"b").await;
    let r = get(a, "/probe/kv/default").await;
    assert_eq!((r.status, r.text().as_str()), (200, "B\na\nbin\nempty\nhello"));

    // A store is the label's, not the component's: probe-other declares `default` too.
    assert_eq!(get(a, "/other/kv/default/a").await.text(), "two");
    send(a, "PUT", "/other/kv/default/from-other", b"o").await;
    assert_eq!(get(a, "/probe/kv/default/from-other").await.text(), "o");

    // Delete; deleting a key with no value is no error.
    for _ in 0..2 {
        let r = send(a, "DELETE", "/probe/kv/default/a", b"").await;
        assert_eq!((r.status, r.text().as_str()), (200, "deleted"));
    }
    assert_eq!(get(a, "/probe/kv/default/a").await.status, 404);
    assert_eq!(get(a, "/probe/kv/default/a?exists").await.text(), "false");
    send(a, "DELETE", "/probe/kv/default/empty", b"").await;
    send(a, "DELETE", "/probe/kv/default/from-other", b"").await;
    host.stop().await;

    // Spin's file and table, read with SQLite itself.
    {
        let db = rusqlite::Connection::open(&file).unwrap();
        let sql: String = db
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'spin_key_value'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(sql, SPIN_KV_TABLE);
        let mut stmt = db
            .prepare("SELECT store, key, value, typeof(value) FROM spin_key_value ORDER BY key")
            .unwrap();
        let rows: Vec<(String, String, Vec<u8>, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let blob = |store: &str, key: &str, value: &[u8]| {
            (store.to_owned(), key.to_owned(), value.to_vec(), "blob".to_owned())
        };
        assert_eq!(
            rows,
            [
                blob("default", "B", b"b"),
                blob("default", "bin", &binary),
                blob("default", "hello", b"h"),
            ]
        );
    }

    // A restart on the same state folder finds the data.
    let host = start_on(rt, &state).await;
    let a = host.addr;
    let r = get(a, "/probe/kv/default").await;
    assert_eq!((r.status, r.text().as_str()), (200, "B\nbin\nhello"));
    assert_eq!(get(a, "/probe/kv/default/bin").await.body, binary);
    host.stop().await;
}
}

/// The first host's data is the second's: the local host and Spin share the file.
#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(has_spin),
    ignore = "no Spin binary (SPIN_BIN, ../shared/tools/spin/spin or spin on PATH)"
)]
async fn key_value_data_written_by_either_host_is_read_by_the_other() {
    use Runtime::{Local, Spin};
    let state = TempDir::new("kv-shared");
    let host = start_on(Local, &state).await;
    send(
        host.addr,
        "PUT",
        "/probe/kv/default/from-local",
        &[0xde, 0xad],
    )
    .await;
    host.stop().await;
    let host = start_on(Spin, &state).await;
    assert_eq!(
        get(host.addr, "/probe/kv/default/from-local").await.body,
        [0xde, 0xad]
    );
    send(host.addr, "PUT", "/probe/kv/default/from-spin", b"spin").await;
    host.stop().await;
    let host = start_on(Local, &state).await;
    let r = get(host.addr, "/probe/kv/default").await;
    assert_eq!(r.text(), "from-local\nfrom-spin");
    assert_eq!(
        get(host.addr, "/probe/kv/default/from-spin").await.text(),
        "spin"
    );
    host.stop().await;
}

/// A manifest of one component `p` on the probe, with `extra` TOML after its `source`,
/// and any further `components` (TOML) after it; written to `dir/spin.toml`.
fn probe_manifest(dir: &TempDir, extra: &str, components: &str) -> std::path::PathBuf {
    let manifest = dir.0.join("spin.toml");
    std::fs::write(
        &manifest,
        format!(
            "spin_manifest_version = 2\n[application]\nname = \"kv-labels\"\n\
             [[trigger.http]]\nroute = \"/...\"\ncomponent = \"p\"\n\
             [component.p]\nsource = \"{}\"\n{extra}\n{components}",
            e2e::wasm("probe").display()
        ),
    )
    .unwrap();
    manifest
}

/// What a host says when it will not start the app in `manifest`.
async fn refusal(rt: Runtime, manifest: &std::path::Path, state: &TempDir) -> String {
    ensure_built();
    match rt {
        Runtime::Local => match localspin::start(config(manifest, &state.0)).await {
            Ok(host) => {
                host.stop().await;
                panic!("the local host started {}", manifest.display())
            }
            Err(e) => format!("{e:#}"),
        },
        Runtime::Spin => {
            let (manifest, state) = (manifest.to_path_buf(), state.0.clone());
            tokio::task::spawn_blocking(move || e2e::spin::refuses(&manifest, &state))
                .await
                .unwrap()
        }
    }
}

e2e::on_both_hosts! {
/// A `key_value_stores` label no store answers to stops the app at start, naming the label
/// and the component, even on a component no trigger uses (only `default` exists without
/// a runtime config); a label that is neither kebab-case nor snake_case is a manifest error.
async fn an_unknown_key_value_store_stops_the_app_at_start(rt) {
    let dir = TempDir::new("kv-labels");
    for (extra, components, said) in [
        (
            "key_value_stores = [\"default\", \"nope\"]",
            "",
            "unknown key_value_stores label \"nope\" for component \"p\"",
        ),
        (
            "key_value_stores = [\"default\"]",
            &*format!(
                "[component.unused]\nsource = \"{}\"\nkey_value_stores = [\"cache\"]\n",
                e2e::wasm("probe").display()
            ),
            "unknown key_value_stores label \"cache\" for component \"unused\"",
        ),
        (
            "key_value_stores = [\"b@d\"]",
            "",
            "expected kebab-case or snake_case",
        ),
    ] {
        let manifest = probe_manifest(&dir, extra, components);
        let state = TempDir::new("kv-labels-state");
        let err = refusal(rt, &manifest, &state).await;
        assert!(err.contains(said), "{rt:?}: {extra} {components}: {err}");
        assert!(
            !state.0.join("sqlite_key_value.db").exists(),
            "{rt:?}: no store is opened for an app that does not start"
        );
    }
}
}

/// `server-timing` counts the key-value calls (`open` included) and their time.
#[tokio::test(flavor = "multi_thread")]
async fn server_timing_counts_key_value_calls() {
    ensure_built();
    let state = TempDir::new("kv-timing");
    let mut c = config(&fixture_manifest(), &state.0);
    c.variables.push(("secret".into(), SECRET.into()));
    c.server_timing = true;
    let host = localspin::start(c).await.unwrap();
    let r = send(host.addr, "PUT", "/probe/kv/default/k", b"v").await;
    assert_eq!(r.status, 200);
    let timing = r.header("server-timing").expect("server-timing").to_owned();
    assert!(timing.contains(", kv;dur="), "{timing}");
    assert!(timing.ends_with(";desc=\"2\""), "open and set: {timing}");
    let r = get(host.addr, "/hello").await;
    assert!(
        r.header("server-timing")
            .unwrap()
            .ends_with("kv;dur=0.000;desc=\"0\""),
        "{:?}",
        r.header("server-timing")
    );
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_path_without_catch_all_is_spins_bare_404() {
    ensure_built();
    let state = TempDir::new("noroute");
    let dir = TempDir::new("noroute-manifest");
    let manifest = dir.0.join("spin.toml");
    let probe = e2e::wasm("probe");
    std::fs::write(
        &manifest,
        format!(
            "spin_manifest_version = 2\n[[trigger.http]]\nroute = \"/only\"\ncomponent = \"p\"\n\
             [component.p]\nsource = \"{}\"\n",
            probe.display()
        ),
    )
    .unwrap();
    let host = localspin::start(config(&manifest, &state.0)).await.unwrap();
    let r = get(host.addr, "/elsewhere").await;
    assert_eq!((r.status, r.body.len()), (404, 0));
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_data_survives_requests_and_a_host_restart() {
    let state = TempDir::new("sqlite");
    let host = start(&state).await;
    for expected in 1..=3 {
        let r = get(host.addr, "/probe/db/default/count").await;
        assert_eq!((r.status, r.text()), (200, expected.to_string()));
    }
    host.stop().await;
    assert!(state.0.join("sqlite_db.db").exists());

    let host = start(&state).await;
    let r = get(host.addr, "/probe/db/default/read").await;
    assert_eq!((r.status, r.text().as_str()), (200, "3"));
    let r = get(host.addr, "/probe/db/default/count").await;
    assert_eq!(r.text(), "4");
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn undeclared_database_is_access_denied_and_unknown_is_no_such_database() {
    let state = TempDir::new("denied");
    let host = start(&state).await;
    let r = get(host.addr, "/nodb/db/default/count").await;
    assert_eq!((r.status, r.text().as_str()), (500, "access-denied"));
    let r = get(host.addr, "/other/db/elsewhere/count").await;
    assert_eq!((r.status, r.text().as_str()), (500, "no-such-database"));
    // Declared and known: fine.
    assert_eq!(get(host.addr, "/other/db/default/count").await.status, 200);
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn variables_come_from_defaults_cli_and_environment() {
    let state = TempDir::new("vars");
    let host = start(&state).await;
    let a = host.addr;
    assert_eq!(
        get(a, "/probe/var/greeting").await.text(),
        "hello from the manifest"
    );
    assert_eq!(get(a, "/probe/var/secret").await.text(), SECRET);
    assert_eq!(
        get(a, "/probe/var/composed").await.text(),
        format!("[hello from the manifest|{SECRET}]")
    );
    // A component reads only the variables its manifest entry declares.
    let r = get(a, "/nodb/var/secret").await;
    assert_eq!(r.status, 404);
    assert!(r.text().contains("Undefined"), "{}", r.text());
    let r = get(a, "/probe/var/Not-A-Name").await;
    assert!(r.text().contains("InvalidName"), "{}", r.text());
    host.stop().await;

    // SPIN_VARIABLE_<NAME> provides values; --variable wins over it.
    let mut c = config(&fixture_manifest(), &state.0);
    c.env = Some(
        [
            ("SPIN_VARIABLE_SECRET".to_owned(), "from-env".to_owned()),
            ("SPIN_VARIABLE_GREETING".to_owned(), "ni hao".to_owned()),
        ]
        .into(),
    );
    let host = localspin::start(c.clone()).await.unwrap();
    assert_eq!(get(host.addr, "/probe/var/secret").await.text(), "from-env");
    assert_eq!(get(host.addr, "/probe/var/greeting").await.text(), "ni hao");
    host.stop().await;
    c.variables.push(("secret".into(), "from-cli".into()));
    let host = localspin::start(c).await.unwrap();
    assert_eq!(get(host.addr, "/probe/var/secret").await.text(), "from-cli");
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_required_variable_stops_start_up_with_a_clear_error() {
    ensure_built();
    let state = TempDir::new("required");
    let err = match localspin::start(config(&fixture_manifest(), &state.0)).await {
        Ok(_) => panic!("must not start without `secret`"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains("secret"), "{err}");
    assert!(err.contains("SPIN_VARIABLE_SECRET"), "{err}");
}

/// How many requests the instance answering `path` (the probe's `.../instance`) has served.
async fn served(a: std::net::SocketAddr, path: &str) -> u32 {
    let r = get(a, path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.text().parse().expect("a count")
}

e2e::on_both_hosts! {
/// Spin 4.1 reuses an instance of a WASIp3 component (as every component of this app is)
/// for up to 128 requests, each within 1 s of the last: what a component keeps in memory
/// outlives a request there, so the local host reuses instances the same way, and
/// components are tested as Spin runs them.
async fn an_instance_serves_requests_in_turn_as_spin_reuses_it(rt) {
    let state = TempDir::new("reuse");
    let host = start_on(rt, &state).await;
    let a = host.addr;
    // Requests in turn reach the same instance.
    let first = served(a, "/probe/instance").await;
    for n in 1..=4 {
        assert_eq!(served(a, "/probe/instance").await, first + n);
    }
    // Each component of the manifest has instances of its own, the same Wasm or not.
    let other = served(a, "/nodb/instance").await;
    assert_eq!(served(a, "/nodb/instance").await, other + 1);
    assert_eq!(served(a, "/probe/instance").await, first + 5);
    // An instance that trapped is not used again.
    assert_eq!(get(a, "/probe/trap").await.status, 500);
    assert_eq!(served(a, "/probe/instance").await, 1);
    // Nor one left idle for longer than a second.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(served(a, "/probe/instance").await, 1);
    host.stop().await;
}
}

#[tokio::test(flavor = "multi_thread")]
async fn an_instance_is_dropped_after_its_last_reuse() {
    ensure_built();
    let state = TempDir::new("reuse-count");
    let mut c = config(&fixture_manifest(), &state.0);
    c.variables.push(("secret".into(), SECRET.into()));
    c.max_instance_reuse_count = 3;
    let host = localspin::start(c).await.expect("the host starts");
    let mut counts = Vec::new();
    for _ in 0..7 {
        counts.push(served(host.addr, "/other/instance").await);
    }
    assert_eq!(counts, [1, 2, 3, 1, 2, 3, 1]);
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trapping_or_hanging_component_gets_500_or_504_and_the_host_stays_up() {
    let state = TempDir::new("trap");
    let host = start(&state).await;
    let a = host.addr;
    let r = get(a, "/probe/trap").await;
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["error"]["code"], "component_failed");
    assert_eq!(get(a, "/hello").await.status, 200);

    let t = std::time::Instant::now();
    let (busy, idle) = tokio::join!(get(a, "/probe/hang"), get(a, "/probe/sleep"));
    assert_eq!(busy.status, 504);
    assert_eq!(idle.status, 504);
    assert_eq!(busy.json()["error"]["code"], "timeout");
    assert!(t.elapsed() < Duration::from_secs(10));
    // The host still answers, and other requests were not held up meanwhile.
    assert_eq!(get(a, "/hello").await.text(), "hello");
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn request_bodies_are_limited() {
    let state = TempDir::new("body");
    let host = start(&state).await;
    let r = request(host.addr, "POST", "/probe/echo", &[], &[b'x'; 1000])
        .await
        .unwrap();
    assert_eq!((r.status, r.text().as_str()), (200, "1000"));
    let r = request(host.addr, "POST", "/probe/echo", &[], &[b'x'; 5000])
        .await
        .unwrap();
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["error"]["code"], "body_too_large");
    host.stop().await;
}

/// A POST to the echo route that sends its head and `sent` bytes of a 1000-byte body, then
/// stalls (the connection stays open while the stream lives).
async fn stalled_upload(a: std::net::SocketAddr, sent: usize) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let mut s = tokio::net::TcpStream::connect(a).await.unwrap();
    let head = format!("POST /probe/echo HTTP/1.1\r\nhost: {a}\r\ncontent-length: 1000\r\n\r\n");
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(&vec![b'x'; sent]).await.unwrap();
    s
}

/// Issue 14 (slow bodies): clients that send a body slowly never hold an execution slot.
/// With 4 slots and 12 uploads stalled in their body, a page and a read still answer at
/// once; a body that never completes gets 408 after the body deadline, not a slot.
#[tokio::test(flavor = "multi_thread")]
async fn slow_bodies_take_no_execution_slot_and_time_out_on_their_own() {
    let state = TempDir::new("slow-bodies");
    ensure_built();
    let mut c = config(&fixture_manifest(), &state.0);
    c.variables.push(("secret".into(), SECRET.into()));
    c.max_concurrency = 4;
    c.body_timeout = Duration::from_secs(3);
    let host = localspin::start(c).await.expect("the host starts");
    let a = host.addr;
    let mut stalled = Vec::new();
    for _ in 0..12 {
        stalled.push(stalled_upload(a, 10).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    for path in ["/hello", "/probe/db/default/read"] {
        let r = tokio::time::timeout(Duration::from_secs(2), get(a, path))
            .await
            .unwrap_or_else(|_| panic!("{path} waited behind slow uploads"));
        assert_eq!(r.status, 200, "{path}");
    }
    // The stalled uploads end with the host's 408 after the body deadline.
    use tokio::io::AsyncReadExt;
    let mut answer = String::new();
    tokio::time::timeout(
        Duration::from_secs(8),
        stalled[0].read_to_string(&mut answer),
    )
    .await
    .expect("the stalled upload is answered")
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("body_timeout"), "{answer}");
    drop(stalled);
    host.stop().await;
}

/// Issue 14 (slow bodies): the handler's timeout starts once the body is in, so an upload
/// over a slow link that takes longer than the timeout is still served.
#[tokio::test(flavor = "multi_thread")]
async fn the_handler_timeout_starts_after_the_body_arrives() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let state = TempDir::new("slow-link");
    let host = start(&state).await; // request timeout 2 s
    let mut s = stalled_upload(host.addr, 250).await;
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(900)).await;
        s.write_all(&[b'x'; 250]).await.unwrap();
    }
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(5), async {
        // One request on a keep-alive connection: read the head and the short body.
        let mut buf = [0u8; 4096];
        loop {
            let n = s.read(&mut buf).await.unwrap();
            answer.push_str(&String::from_utf8_lossy(&buf[..n]));
            if n == 0 || answer.ends_with("1000") {
                break;
            }
        }
    })
    .await
    .expect("answered");
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "2.7 s of upload, 2 s timeout: {answer}"
    );
    assert!(answer.ends_with("1000"), "{answer}");
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn component_output_goes_to_the_log_folder() {
    let state = TempDir::new("logs");
    let host = start(&state).await;
    assert_eq!(get(host.addr, "/probe/stdout").await.status, 200);
    host.stop().await;
    let out = std::fs::read_to_string(state.0.join("logs/probe_stdout.txt")).unwrap();
    let err = std::fs::read_to_string(state.0.join("logs/probe_stderr.txt")).unwrap();
    assert!(out.contains("probe says hello on stdout"), "{out}");
    assert!(err.contains("probe says hello on stderr"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_concurrent_requests_are_all_answered() {
    let state = TempDir::new("load");
    let host = start(&state).await;
    let a = host.addr;
    let mut tasks = Vec::new();
    for i in 0..200 {
        tasks.push(tokio::spawn(async move {
            let path = if i % 4 == 0 {
                "/probe/db/default/count"
            } else {
                "/hello"
            };
            request(a, "GET", path, &[], &[]).await.map(|r| r.status)
        }));
    }
    let mut ok = 0;
    for t in tasks {
        if let Ok(Ok(200)) = t.await {
            ok += 1;
        }
    }
    assert_eq!(ok, 200);
    // Every counting request was applied exactly once.
    assert_eq!(get(a, "/probe/db/default/read").await.text(), "50");
    host.stop().await;
}

/// Stopping the host closes the connections it holds open (keep-alive), not only the
/// listener: a client that kept one (a browser) must see the host gone, as it would see a
/// stopped Spin. An answer in flight is finished first.
#[tokio::test(flavor = "multi_thread")]
async fn stopping_the_host_closes_kept_alive_connections() {
    let state = TempDir::new("host-stop");
    let host = start(&state).await;
    let mut kept = e2e::Conn::open(host.addr).await.unwrap();
    assert_eq!(kept.get("/hello").await.unwrap().0, 200);
    tokio::time::timeout(Duration::from_secs(10), host.stop())
        .await
        .expect("the host stops while a client holds a connection");
    let after = tokio::time::timeout(Duration::from_secs(5), kept.get("/hello")).await;
    assert!(
        matches!(after, Ok(Err(_))),
        "the kept connection is closed, not served: {after:?}"
    );
}
