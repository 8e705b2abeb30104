//! The office's people (issue 15), on both hosts: the first administrator from the Spin
//! variables, named accounts with roles, sessions as HttpOnly cookies with CSRF tokens on
//! every write, sign-out, disabling (the session ends at once), the sign-in throttle,
//! personal API tokens, and the audit log naming the person for every action.

use crate::common::{OPEN, db, dump};
use e2e::TempDir;
use e2e::app::{
    ADMIN, App, FIRST_ADMIN, FIRST_ADMIN_PASSWORD, OFFICER, Session, assert_error, call,
};
use serde_json::{Value, json};

fn account(username: &str, name: &str, role: &str) -> Value {
    json!({"username": username, "display_name": name, "role": role,
           "password": format!("{username}-password-2026")})
}

fn password(username: &str) -> String {
    format!("{username}-password-2026")
}

e2e::on_both_hosts! {
async fn people_sign_in_by_name_act_in_their_role_and_the_audit_log_names_them(rt) {
    let state = TempDir::new("accounts");
    let host = App::on(rt).at(OPEN).start(&state).await;
    let a = host.addr;

    // Nobody is signed in: the console's session read is 401.
    assert_error(&call(a, "GET", "/api/session", None, &Value::Null).await, 401, "unauthorized");

    // The first administrator comes from the Spin variables and is created at sign-in.
    let r = call(a, "POST", "/api/session", None,
        &json!({"username": FIRST_ADMIN, "password": FIRST_ADMIN_PASSWORD})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let cookie = r.header("set-cookie").unwrap().to_owned();
    for attr in ["mtg_session=", "HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    assert_eq!(r.json()["account"]["role"], "admin");
    let admin = Session::from_answer(&r);
    // The variables open nothing once an account exists; the stored hash is Argon2id.
    let hash: String = db(&state)
        .query_row("SELECT password_hash FROM accounts WHERE username = 'admin'", [], |r| r.get(0))
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
    assert!(!hash.contains(FIRST_ADMIN_PASSWORD));

    // The administrator creates named accounts; a CSRF-less write is refused, stores nothing.
    let before = dump(&state);
    let r = admin.call_with(a, "POST", "/api/accounts", &account("wang.fang", "王芳", "officer"), false).await;
    assert_error(&r, 403, "csrf_missing");
    assert_eq!(dump(&state), before, "a refused write stored something");
    let wrong = Session { cookie: admin.cookie.clone(), csrf: "0".repeat(64) };
    let r = wrong.call(a, "POST", "/api/accounts", &account("wang.fang", "王芳", "officer")).await;
    assert_error(&r, 403, "csrf_missing");
    for (u, n, role) in [("wang.fang", "王芳", "officer"), ("li.qiang", "李强", "officer"), ("zhao.min", "赵敏", "auditor")] {
        let r = admin.call(a, "POST", "/api/accounts", &account(u, n, role)).await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.json()["created_by"], "account:admin");
    }
    let r = admin.call(a, "POST", "/api/accounts", &account("wang.fang", "另一个", "officer")).await;
    assert_error(&r, 409, "conflict");
    let r = admin.call(a, "POST", "/api/accounts", &json!({"username": "x y", "display_name": "某", "role": "officer", "password": "short"})).await;
    assert_error(&r, 400, "invalid_field");

    // The officer works by session; the round's work is audited under their name.
    let officer = Session::sign_in(a, "wang.fang", &password("wang.fang")).await;
    let me = officer.call(a, "GET", "/api/session", &Value::Null).await;
    assert_eq!(me.json()["account"]["display_name"], "王芳");
    assert_eq!(me.json()["csrf_token"], officer.csrf.as_str());
    let r = officer.call(a, "POST", "/api/rounds", &e2e::fixtures::round(2026)).await;
    assert_error(&r, 403, "forbidden");
    let r = admin.call(a, "POST", "/api/rounds", &e2e::fixtures::round(2026)).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let r = officer.call(a, "GET", "/api/applications?round=2026", &Value::Null).await;
    assert_eq!(r.status, 200, "{}", r.text());

    // The auditor reads everything the office reads and writes nothing.
    let auditor = Session::sign_in(a, "zhao.min", &password("zhao.min")).await;
    for path in ["/api/applications?round=2026", "/api/accounts", "/api/audit"] {
        let r = auditor.call(a, "GET", path, &Value::Null).await;
        assert_eq!(r.status, 200, "auditor GET {path}: {}", r.text());
    }
    let before = dump(&state);
    for (path, body) in [
        ("/api/rounds", e2e::fixtures::round(2027)),
        ("/api/accounts", account("sun.li", "孙丽", "officer")),
        ("/api/notices", json!({"kind": "proposed_list", "round_year": 2026})),
    ] {
        assert_error(&auditor.call(a, "POST", path, &body).await, 403, "forbidden");
    }
    assert_eq!(dump(&state), before, "an auditor's refused writes stored something");
    // Officers do not keep accounts or read the audit log.
    assert_error(&officer.call(a, "GET", "/api/accounts", &Value::Null).await, 403, "forbidden");

    // A personal API token acts as its person; revoked, it opens nothing.
    let r = officer.call(a, "POST", "/api/session/tokens", &json!({"label": "夜间导出"})).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let token = r.json()["token"].as_str().unwrap().to_owned();
    let token_id = r.json()["id"].as_i64().unwrap();
    assert!(token.starts_with("mtg_") && token.len() == 68, "{token}");
    let stored: i64 = db(&state)
        .query_row("SELECT count(*) FROM api_tokens WHERE token_hash = ?1", [&token], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 0, "the token itself is never stored");
    let r = call(a, "GET", "/api/applications?round=2026", Some(&token), &Value::Null).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = call(a, "POST", "/api/rounds", Some(&token), &e2e::fixtures::round(2028)).await;
    assert_error(&r, 403, "forbidden");
    let listed = officer.call(a, "GET", "/api/session/tokens", &Value::Null).await.json();
    assert_eq!(listed["tokens"][0]["label"], "夜间导出");
    assert!(listed["tokens"][0].get("token").is_none());
    let r = auditor.call(a, "DELETE", &format!("/api/session/tokens/{token_id}"), &Value::Null).await;
    assert_error(&r, 404, "not_found");
    let r = officer.call(a, "DELETE", &format!("/api/session/tokens/{token_id}"), &Value::Null).await;
    assert_eq!(r.status, 204, "{}", r.text());
    let r = call(a, "GET", "/api/applications?round=2026", Some(&token), &Value::Null).await;
    assert_error(&r, 401, "unauthorized");
    // A token does not make tokens (only a signed-in browser does).
    let r = officer.call(a, "POST", "/api/session/tokens", &json!({"label": "第二个"})).await;
    let second_token = r.json()["token"].as_str().unwrap().to_owned();
    let r = call(a, "POST", "/api/session/tokens", Some(&second_token), &json!({"label": "x"})).await;
    assert_error(&r, 403, "forbidden");
    // Two session cookies (one planted by a sibling site) open nothing.
    let both = format!("mtg_session={}; mtg_session={}", officer.cookie, auditor.cookie);
    let r = e2e::request(a, "GET", "/api/session", &[("cookie", both.as_str())], b"").await.unwrap();
    assert_error(&r, 401, "unauthorized");

    // Disabling an account ends its session and revokes its tokens at once; enabling
    // brings neither back.
    let second = Session::sign_in(a, "li.qiang", &password("li.qiang")).await;
    assert_eq!(second.call(a, "GET", "/api/applications?round=2026", &Value::Null).await.status, 200);
    let r = second.call(a, "POST", "/api/session/tokens", &json!({"label": "脚本"})).await;
    let li_token = r.json()["token"].as_str().unwrap().to_owned();
    let r = admin.call(a, "POST", "/api/accounts/li.qiang", &json!({"disabled": true})).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["disabled"], true);
    for path in ["/api/applications?round=2026", "/api/session"] {
        assert_error(&second.call(a, "GET", path, &Value::Null).await, 401, "unauthorized");
    }
    let list = "/api/applications?round=2026";
    assert_error(&call(a, "GET", list, Some(&li_token), &Value::Null).await, 401, "unauthorized");
    let r = call(a, "POST", "/api/session", None, &json!({"username": "li.qiang", "password": password("li.qiang")})).await;
    assert_error(&r, 401, "sign_in_failed");
    let r = admin.call(a, "POST", "/api/accounts/li.qiang", &json!({"disabled": false})).await;
    assert_eq!((r.status, r.json()["disabled"].clone()), (200, json!(false)), "{}", r.text());
    assert_error(&second.call(a, "GET", "/api/session", &Value::Null).await, 401, "unauthorized");
    assert_error(&call(a, "GET", list, Some(&li_token), &Value::Null).await, 401, "unauthorized");
    Session::sign_in(a, "li.qiang", &password("li.qiang")).await;
    // The last administrator who can sign in is never disabled or demoted.
    for change in [json!({"role": "officer"}), json!({"disabled": true})] {
        let r = admin.call(a, "POST", "/api/accounts/admin", &change).await;
        assert_error(&r, 409, "conflict");
    }
    assert_error(&admin.call(a, "POST", "/api/accounts/li.qiang", &json!({})).await, 400, "invalid_field");

    // A password change ends the person's other sessions and keeps this one.
    let elsewhere = Session::sign_in(a, "wang.fang", &password("wang.fang")).await;
    let r = officer.call(a, "POST", "/api/session/password",
        &json!({"current_password": "not it at all!", "new_password": "a new passphrase, 2026"})).await;
    assert_error(&r, 400, "invalid_field");
    let r = officer.call(a, "POST", "/api/session/password",
        &json!({"current_password": password("wang.fang"), "new_password": "a new passphrase, 2026"})).await;
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(officer.call(a, "GET", "/api/session", &Value::Null).await.status, 200);
    assert_error(&elsewhere.call(a, "GET", "/api/session", &Value::Null).await, 401, "unauthorized");
    assert_error(&call(a, "GET", list, Some(&second_token), &Value::Null).await, 401, "unauthorized");
    Session::sign_in(a, "wang.fang", "a new passphrase, 2026").await;

    // Sign-out ends the session and clears the cookie.
    let r = officer.call(a, "DELETE", "/api/session", &Value::Null).await;
    assert_eq!(r.status, 204);
    assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_error(&officer.call(a, "GET", "/api/session", &Value::Null).await, 401, "unauthorized");

    // The deployment's tokens still work for automation, named by digest, never in clear.
    let r = call(a, "GET", "/api/audit?limit=500", Some(ADMIN), &Value::Null).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_error(&call(a, "GET", "/api/audit", Some(OFFICER), &Value::Null).await, 403, "forbidden");

    // The audit log names the people who acted, with their names.
    let entries = r.json()["entries"].as_array().unwrap().clone();
    let by = |action: &str| -> Vec<(String, Value)> {
        entries.iter().filter(|e| e["action"] == action)
            .map(|e| (e["actor"].as_str().unwrap().to_owned(), e["actor_name"].clone())).collect()
    };
    assert_eq!(by("round.create"), [("account:admin".to_owned(), json!("admin"))]);
    assert_eq!(by("account.create").len(), 4, "the first administrator and three accounts");
    let wang = ("account:wang.fang".to_owned(), json!("王芳"));
    assert_eq!(by("token.create"), [("account:li.qiang".to_owned(), json!("李强")), wang.clone(), wang.clone()]);
    assert!(by("session.start").iter().any(|(a, _)| a == "account:zhao.min"));
    assert_eq!(by("account.password"), [wang]);
    let r = auditor.call(a, "GET", "/api/audit?actor=account:wang.fang&limit=2", &Value::Null).await;
    let mine = r.json()["entries"].as_array().unwrap().clone();
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().all(|e| e["actor"] == "account:wang.fang"));
    let older = auditor.call(a, "GET", &format!("/api/audit?actor=account:wang.fang&before={}", mine[1]["id"]), &Value::Null).await;
    assert_eq!(older.status, 200, "{}", older.text());
    let older = older.json()["entries"].as_array().unwrap().clone();
    assert!(!older.is_empty());
    let last = mine[1]["id"].as_i64().unwrap();
    assert!(older.iter().all(|e| e["id"].as_i64().unwrap() < last && e["actor"] == "account:wang.fang"));
    assert_error(&auditor.call(a, "GET", "/api/audit?limit=0", &Value::Null).await, 400, "invalid_field");

    // Once an account exists, the first administrator's variables open nothing: with the
    // administrator's password changed, the variables' password is refused.
    let r = admin.call(a, "POST", "/api/session/password",
        &json!({"current_password": FIRST_ADMIN_PASSWORD, "new_password": "the administrator's own, 2026"})).await;
    assert_eq!(r.status, 204, "{}", r.text());
    let r = call(a, "POST", "/api/session", None, &json!({"username": FIRST_ADMIN, "password": FIRST_ADMIN_PASSWORD})).await;
    assert_error(&r, 401, "sign_in_failed");
    host.stop().await;
}
}

/// The statuses, sorted, of `n` requests sent at once, the `i`th by `send(i)`.
async fn statuses_at_once<Fut>(n: usize, send: impl Fn(usize) -> Fut) -> Vec<u16>
where
    Fut: std::future::Future<Output = u16> + Send + 'static,
{
    let sent: Vec<_> = (0..n).map(|i| tokio::spawn(send(i))).collect();
    let mut statuses = Vec::new();
    for s in sent {
        statuses.push(s.await.unwrap());
    }
    statuses.sort_unstable();
    statuses
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_is_throttled_per_name_and_says_nothing_of_who_exists() {
    let state = TempDir::new("throttle");
    let host = App::local().at(OPEN).start(&state).await;
    let a = host.addr;
    let admin = Session::sign_in(a, FIRST_ADMIN, FIRST_ADMIN_PASSWORD).await;
    let r = admin
        .call(
            a,
            "POST",
            "/api/accounts",
            &account("wang.fang", "王芳", "officer"),
        )
        .await;
    assert_eq!(r.status, 201);
    let attempt = |name: &str, pw: &str| json!({"username": name, "password": pw});
    // A wrong password and an unknown name get the same answer.
    let wrong_pw = call(
        a,
        "POST",
        "/api/session",
        None,
        &attempt("wang.fang", "not the password"),
    )
    .await;
    let no_one = call(
        a,
        "POST",
        "/api/session",
        None,
        &attempt("no.such.person", "not the password"),
    )
    .await;
    assert_eq!(
        (wrong_pw.status, wrong_pw.body.clone()),
        (no_one.status, no_one.body.clone())
    );
    assert_error(&wrong_pw, 401, "sign_in_failed");
    for _ in 0..4 {
        let r = call(
            a,
            "POST",
            "/api/session",
            None,
            &attempt("wang.fang", "not the password"),
        )
        .await;
        assert_error(&r, 401, "sign_in_failed");
    }
    // Five failures (spelt as people type: spaces, capitals — one name): the name waits,
    // even with the right password; other names do not.
    let r = call(
        a,
        "POST",
        "/api/session",
        None,
        &attempt(" WANG.Fang ", &password("wang.fang")),
    )
    .await;
    assert_error(&r, 429, "too_many_requests");
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    Session::sign_in(a, FIRST_ADMIN, FIRST_ADMIN_PASSWORD).await;

    // Eight guesses at once for a name no one has: five are counted, the rest wait.
    let statuses = statuses_at_once(8, |i| {
        let body = attempt("no.one.at.all", &format!("guess number {i}"));
        async move { call(a, "POST", "/api/session", None, &body).await.status }
    })
    .await;
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
    let counted: i64 = db(&state)
        .query_row(
            "SELECT count(*) FROM sign_in_failures WHERE username = 'no.one.at.all'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(counted, 5);

    // Guessing the current password to change it is throttled the same way, at once too:
    // five wrong guesses are counted, the rest wait, and then even the right one waits.
    let r = admin
        .call(
            a,
            "POST",
            "/api/accounts",
            &account("li.na", "李娜", "officer"),
        )
        .await;
    assert_eq!(r.status, 201);
    let li = Session::sign_in(a, "li.na", &password("li.na")).await;
    let change = |current: &str| json!({"current_password": current, "new_password": "a new passphrase, 2026"});
    let statuses = statuses_at_once(8, |i| {
        let (li, body) = (li.clone(), change(&format!("guess number {i}")));
        async move {
            li.call(a, "POST", "/api/session/password", &body)
                .await
                .status
        }
    })
    .await;
    assert_eq!(statuses, [400, 400, 400, 400, 400, 429, 429, 429]);
    let r = li
        .call(
            a,
            "POST",
            "/api/session/password",
            &change(&password("li.na")),
        )
        .await;
    assert_error(&r, 429, "too_many_requests");
    host.stop().await;

    // Fifteen minutes later the name may try again (the service's clock moved).
    let host = App::local()
        .at("2026-04-15T10:20:00+08:00")
        .start(&state)
        .await;
    Session::sign_in(host.addr, "wang.fang", &password("wang.fang")).await;
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_ends_when_its_time_is_up() {
    let state = TempDir::new("expiry");
    let host = App::local().at(OPEN).start(&state).await;
    let s = Session::sign_in(host.addr, FIRST_ADMIN, FIRST_ADMIN_PASSWORD).await;
    assert_eq!(
        s.call(host.addr, "GET", "/api/session", &Value::Null)
            .await
            .status,
        200
    );
    host.stop().await;
    // A minute before its end it still opens.
    let host = App::local()
        .at("2026-04-15T17:59:00+08:00")
        .start(&state)
        .await;
    let r = s.call(host.addr, "GET", "/api/session", &Value::Null).await;
    assert_eq!(r.status, 200, "{}", r.text());
    host.stop().await;
    // Eight hours and a minute later.
    let host = App::local()
        .at("2026-04-15T18:01:00+08:00")
        .start(&state)
        .await;
    assert_error(
        &s.call(host.addr, "GET", "/api/session", &Value::Null).await,
        401,
        "unauthorized",
    );
    assert_error(
        &s.call(
            host.addr,
            "GET",
            "/api/applications?round=2026",
            &Value::Null,
        )
        .await,
        401,
        "unauthorized",
    );
    host.stop().await;
}
