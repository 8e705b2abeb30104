//! The public notice, its feeds and objections (issue 5), through the local host: the real
//! components, the project's migrations, real HTTP. The proposed list is seeded straight
//! into the SQLite file (as the calculation component leaves it: a round at stage
//! `allocated`, its list as `allocations` + `allocation_lines`). "Now" is the Spin
//! variable `clock_override`, set when the host starts (never over HTTP): a test that needs
//! another moment restarts the host on the same state folder.

use base64::Engine;
use e2e::app::{ADMIN, App, AppHost, OFFICER, Runtime};
use e2e::fixtures::{self, ListLine};
use e2e::{Answer, TempDir, app_manifest, get, request};
use serde_json::{Value, json};

const BASE: &str = "https://zscqj.example.gov.cn";
const BASE_URL: &str = "https://zscqj.example.gov.cn/";
const JSON: (&str, &str) = ("content-type", "application/json");

/// The app with the public base URL its feeds and pages link to, and the office's phone
/// and email as the deployment sets them (no address: left out).
async fn start(rt: Runtime, state: &TempDir, now: &str) -> AppHost {
    App::on(rt)
        .at(now)
        .var("public_base_url", BASE_URL)
        .var("office_phone", "010-12345678")
        .var("office_email", "ip-office@example.gov.cn")
        .start(state)
        .await
}

fn db(state: &TempDir) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(state.0.join("sqlite_db.db")).unwrap();
    c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    c
}

const LINES: &[ListLine] = fixtures::LIST_LINES;

fn seed(state: &TempDir, year: i64, lines: &[ListLine]) {
    fixtures::seed_allocated_list(&db(state), year, lines);
}

fn count(state: &TempDir, table: &str) -> i64 {
    db(state)
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// Every row of every table: two equal snapshots mean nothing was written or changed.
fn snapshot(state: &TempDir) -> Vec<String> {
    crate::common::dump(state)
}

fn bearer(t: &str) -> String {
    format!("Bearer {t}")
}

async fn post(addr: std::net::SocketAddr, path: &str, token: Option<&str>, body: &Value) -> Answer {
    let auth = token.map(bearer);
    let mut h = vec![JSON];
    if let Some(a) = &auth {
        h.push(("authorization", a));
    }
    request(addr, "POST", path, &h, body.to_string().as_bytes())
        .await
        .unwrap()
}

async fn get_as(addr: std::net::SocketAddr, path: &str, token: &str) -> Answer {
    let a = bearer(token);
    request(addr, "GET", path, &[("authorization", &a)], &[])
        .await
        .unwrap()
}

async fn publish(addr: std::net::SocketAddr, year: i64) -> Value {
    let r = post(
        addr,
        "/api/notices",
        Some(OFFICER),
        &json!({"kind": "proposed_list", "round_year": year}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()
}

fn objection(notice: &str, entry: u32, contact: &str, grounds: &str) -> Value {
    json!({
        "notice_id": notice,
        "entry": entry,
        "objector": {"name": "王秘密", "contact": contact, "relation": "同行业企业员工 / employee of a competitor"},
        "grounds": grounds,
    })
}

fn assert_error(r: &Answer, status: u16, code: &str) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    let v = r.json();
    let e = &v["error"];
    assert_eq!(e["status"], status, "{v}");
    assert_eq!(e["code"], code, "{v}");
    assert!(e.get("field").is_some(), "{v}");
    assert!(!e["message_zh"].as_str().unwrap().is_empty(), "{v}");
    assert!(!e["message_en"].as_str().unwrap().is_empty(), "{v}");
    v
}

/// Files an objection at the host's "now"; answers the status and body.
async fn file(addr: std::net::SocketAddr, body: &Value) -> Answer {
    post(addr, "/api/objections", None, body).await
}

// ------------------------------------------------------------------ PROC-NOTICE boundaries

/// Publishes `year`'s list at `published`, then files objections at `last_second` (accepted)
/// and `next_second` (refused, naming the period and PROC-OBJECT).
async fn boundary(
    rt: Runtime,
    state: &TempDir,
    year: i64,
    published: &str,
    last_day: &str,
    last_second: &str,
    next_second: &str,
) {
    let host = start(rt, state, published).await;
    seed(state, year, LINES);
    let n = publish(host.addr, year).await;
    assert_eq!(n["period"]["last_day"], last_day, "{n}");
    assert_eq!(n["period"]["working_days"], 5);
    assert_eq!(n["objections_open"], true);
    let id = n["id"].as_str().unwrap().to_owned();
    host.stop().await;

    let host = start(rt, state, last_second).await;
    let r = file(
        host.addr,
        &objection(
            &id,
            1,
            "13800000001",
            "该企业贷款存在逾期，不符合按期还贷要求。",
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{last_second}: {}", r.text());
    host.stop().await;

    let host = start(rt, state, next_second).await;
    let r = file(
        host.addr,
        &objection(
            &id,
            2,
            "13800000002",
            "该企业的驰名商标认定已被撤销，请重审。",
        ),
    )
    .await;
    let v = assert_error(&r, 409, "outside_notice_period");
    let (zh, en) = (
        v["error"]["message_zh"].as_str().unwrap(),
        v["error"]["message_en"].as_str().unwrap(),
    );
    for m in [zh, en] {
        assert!(m.contains("PROC-OBJECT"), "{m}");
        assert!(m.contains(last_day), "the answer names the period: {m}");
    }
    assert!(zh.contains("公示期已结束"), "{zh}");
    // The HTML page now says the period is over; the JSON says objections are closed.
    let page = get(host.addr, &format!("/notices/{id}")).await;
    assert!(page.text().contains("公示期已结束"), "{}", page.text());
    let v = get(host.addr, &format!("/api/notices/{id}")).await.json();
    assert_eq!(v["objections_open"], false);
    host.stop().await;
    assert_eq!(
        count(state, "objections"),
        1,
        "only the objection in time is kept"
    );
}

e2e::on_both_hosts! {
async fn the_period_ends_after_the_fifth_working_day_across_a_weekend_with_an_adjusted_sunday(rt) {
    // Fri 2026-09-18 is day 1; Sat 19 is off; Sun 20 is an adjusted working day (调休,
    // National Day 2026) so it is day 2; Mon 21, Tue 22, Wed 23 are days 3–5. The moments
    // are given in UTC: the count is in Asia/Shanghai all the same.
    let state = TempDir::new("notices-weekend");
    boundary(
        rt,
        &state,
        2026,
        "2026-09-18T02:00:00Z",
        "2026-09-23",
        "2026-09-23T15:59:59Z",
        "2026-09-23T16:00:00Z",
    )
    .await;
}
}

e2e::on_both_hosts! {
async fn the_period_skips_the_national_day_holiday_and_ends_at_midnight_in_shanghai(rt) {
    // Tue 2025-09-30 is day 1; Oct 1–8 are the National Day and Mid-Autumn holidays;
    // Thu 9, Fri 10, Sat 11 (adjusted working day) are days 2–4; Sun 12 is off; Mon 13 is
    // day 5. Published in the evening (Beijing time): the day still counts.
    let state = TempDir::new("notices-holiday");
    boundary(
        rt,
        &state,
        2025,
        "2025-09-30T21:30:00+08:00",
        "2025-10-13",
        "2025-10-13T23:59:59+08:00",
        "2025-10-14T00:00:00+08:00",
    )
    .await;
}
}

// ------------------------------------------------------------------ feeds

e2e::on_both_hosts! {
async fn both_feeds_parse_with_feed_rs_field_by_field_and_repeat_requests_get_304(rt) {
    let state = TempDir::new("notices-feeds");
    let host = start(rt, &state, "2026-09-18T10:00:00+08:00").await;
    seed(&state, 2026, LINES);
    let a = host.addr;
    let n = publish(a, 2026).await;
    assert_eq!(n["id"], "2026-proposed");
    assert_eq!(n["current_entries"][1]["amount_capitals"], "叁拾万元整");
    assert_eq!(n["current_total"], "465678.90");
    host.stop().await;

    // A correction later that day, and a disclosed payment (DISCLOSE) in November.
    let host = start(rt, &state, "2026-09-18T16:30:00+08:00").await;
    let r = post(
        host.addr,
        "/api/notices/2026-proposed/corrections",
        Some(ADMIN),
        &json!({"entry": 3, "text_zh": "第3号企业名称更正为北京永定河医疗器械股份有限公司。",
                "text_en": "Entry 3: the enterprise's name is corrected."}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["seq"], 1);
    host.stop().await;
    {
        let c = db(&state);
        c.execute("UPDATE rounds SET stage = 'paid' WHERE year = 2026", [])
            .unwrap();
        c.execute(
            "INSERT INTO payments (id, round_year, application_id, uscc, amount_cny, paid_on, \
             bank_reference, created_at) VALUES ('P-1', 2026, 'MTG-2026-00001', \
             '911101090000000001', '120000.00', '2026-11-19', 'BOC-1', '2026-11-19T10:00:00+08:00')",
            [],
        )
        .unwrap();
    }
    let host = start(rt, &state, "2026-11-20T10:00:00+08:00").await;
    let a = host.addr;
    let r = post(
        a,
        "/api/notices",
        Some(OFFICER),
        &json!({"kind": "payments", "round_year": 2026}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["id"], "2026-payments-1");
    // Nothing left to disclose: a clear 409, no empty notice.
    let r = post(
        a,
        "/api/notices",
        Some(OFFICER),
        &json!({"kind": "payments", "round_year": 2026}),
    )
    .await;
    assert_error(&r, 409, "conflict");

    // Atom, parsed by feed-rs.
    let r = get(a, "/feeds/notices.atom").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let f = feed_rs::parser::parse(r.body.as_slice()).expect("valid Atom");
    assert_eq!(f.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(f.id, format!("{BASE}/feeds/notices.atom"));
    assert!(f.title.as_ref().unwrap().content.contains("门头沟区"));
    assert_eq!(
        f.updated.unwrap().to_rfc3339(),
        "2026-11-20T02:00:00+00:00",
        "the newest item"
    );
    assert!(f.links.iter().any(
        |l| l.rel.as_deref() == Some("self") && l.href == format!("{BASE}/feeds/notices.atom")
    ));
    let ids: Vec<&str> = f.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            format!("{BASE}/notices/2026-payments-1"),
            format!("{BASE}/notices/2026-proposed#update-1"),
            format!("{BASE}/notices/2026-proposed"),
        ],
        "newest first; the payment and the update are items of their own"
    );
    let list = &f.entries[2];
    assert!(
        list.title
            .as_ref()
            .unwrap()
            .content
            .contains("拟补助名单公示")
    );
    assert_eq!(
        list.published.unwrap().to_rfc3339(),
        "2026-09-18T02:00:00+00:00"
    );
    assert_eq!(
        list.updated.unwrap().to_rfc3339(),
        "2026-09-18T08:30:00+00:00",
        "updated by the correction"
    );
    assert_eq!(list.links[0].href, format!("{BASE}/notices/2026-proposed"));
    let summary = &list.summary.as_ref().unwrap().content;
    assert!(
        summary.contains("3家企业") && summary.contains("465,678.90"),
        "{summary}"
    );
    assert!(summary.contains("2026-09-23"), "{summary}");
    let content = list.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(content.contains("北京京西智算科技有限公司"));
    assert!(content.contains("壹拾贰万元整"));
    let pay = &f.entries[0];
    assert!(pay.title.as_ref().unwrap().content.contains("资金拨付情况"));
    assert!(pay.summary.as_ref().unwrap().content.contains("120,000.00"));

    // JSON Feed 1.1, parsed by feed-rs.
    let r = get(a, "/feeds/notices.json").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/feed+json; charset=utf-8")
    );
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let j = feed_rs::parser::parse(r.body.as_slice()).expect("valid JSON Feed");
    assert_eq!(j.feed_type, feed_rs::model::FeedType::JSON);
    assert_eq!(
        j.title.as_ref().unwrap().content,
        f.title.as_ref().unwrap().content
    );
    let jids: Vec<&str> = j.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(jids, ids);
    for (x, y) in j.entries.iter().zip(&f.entries) {
        assert_eq!(
            x.title.as_ref().unwrap().content,
            y.title.as_ref().unwrap().content
        );
        assert_eq!(x.published, y.published);
        assert_eq!(x.updated, y.updated);
        assert_eq!(x.links[0].href, y.links[0].href);
    }
    let raw: Value = r.json();
    assert_eq!(raw["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(raw["feed_url"], format!("{BASE}/feeds/notices.json"));
    assert!(raw.get("next_url").is_none(), "one page only");

    // A script on another site may send its own validators (CORS preflight).
    let r = request(
        a,
        "OPTIONS",
        "/feeds/notices.json",
        &[
            ("origin", "https://news.example.org"),
            ("access-control-request-method", "GET"),
            ("access-control-request-headers", "if-none-match"),
        ],
        &[],
    )
    .await
    .unwrap();
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(
        r.header("access-control-allow-headers")
            .unwrap()
            .contains("If-None-Match")
    );

    // Conditional requests: 304 on a repeat, with either validator, on every public read.
    for path in [
        "/feeds/notices.atom",
        "/feeds/notices.json",
        "/api/notices",
        "/api/notices/2026-proposed",
        "/notices",
        "/notices/2026-proposed",
    ] {
        let first = get(a, path).await;
        assert_eq!(first.status, 200, "{path}");
        assert_eq!(
            first.header("access-control-allow-origin"),
            Some("*"),
            "{path}"
        );
        let etag = first.header("etag").expect("etag").to_owned();
        let last = first
            .header("last-modified")
            .expect("last-modified")
            .to_owned();
        let r = request(a, "GET", path, &[("if-none-match", &etag)], &[])
            .await
            .unwrap();
        assert_eq!(r.status, 304, "{path}");
        assert!(r.body.is_empty(), "{path}");
        assert_eq!(r.header("etag"), Some(etag.as_str()), "{path}");
        let r = request(a, "GET", path, &[("if-modified-since", &last)], &[])
            .await
            .unwrap();
        assert_eq!(r.status, 304, "{path}");
        // A stale validator gets the whole answer.
        let r = request(a, "GET", path, &[("if-none-match", "\"stale\"")], &[])
            .await
            .unwrap();
        assert_eq!(r.status, 200, "{path}");
        let r = request(
            a,
            "GET",
            path,
            &[("if-modified-since", "Fri, 18 Sep 2026 00:00:00 GMT")],
            &[],
        )
        .await
        .unwrap();
        assert_eq!(r.status, 200, "{path}");
    }
    // Last-Modified of the detail: the correction, or the end of the period once passed
    // (the page then says the period is over): 2026-09-24 00:00 in Beijing.
    assert_eq!(
        get(a, "/api/notices/2026-proposed")
            .await
            .header("last-modified"),
        Some("Wed, 23 Sep 2026 16:00:00 GMT")
    );
    host.stop().await;
}
}

e2e::on_both_hosts! {
async fn old_feed_items_are_paged(rt) {
    let state = TempDir::new("notices-paging");
    let host = start(rt, &state, "2026-09-18T10:00:00+08:00").await;
    seed(&state, 2026, LINES);
    let a = host.addr;
    publish(a, 2026).await;
    // 1 notice + 24 corrections = 25 items: two pages of 20.
    for i in 0..24 {
        let r = post(
            a,
            "/api/notices/2026-proposed/corrections",
            Some(OFFICER),
            &json!({"text_zh": format!("更正第{i}条"), "text_en": format!("Correction {i}")}),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text());
    }
    let f = feed_rs::parser::parse(get(a, "/feeds/notices.atom").await.body.as_slice()).unwrap();
    assert_eq!(f.entries.len(), 20);
    let next = f
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("next"))
        .expect("a next link (RFC 5005)");
    assert_eq!(next.href, format!("{BASE}/feeds/notices.atom?page=2"));
    let p2 =
        feed_rs::parser::parse(get(a, "/feeds/notices.atom?page=2").await.body.as_slice()).unwrap();
    assert_eq!(p2.entries.len(), 5);
    assert!(
        p2.links
            .iter()
            .any(|l| l.rel.as_deref() == Some("previous"))
    );
    let v = get(a, "/feeds/notices.json").await.json();
    assert_eq!(v["next_url"], format!("{BASE}/feeds/notices.json?page=2"));
    let v = get(a, "/feeds/notices.json?page=2").await.json();
    assert_eq!(v["items"].as_array().unwrap().len(), 5);
    assert_error(
        &get(a, "/feeds/notices.json?page=3").await,
        404,
        "not_found",
    );
    host.stop().await;
}
}

// ------------------------------------------------------------------ an objection's life

e2e::on_both_hosts! {
async fn an_objection_lives_from_filing_to_the_updated_notice_and_the_contact_stays_private(rt) {
    let state = TempDir::new("notices-life");
    let host = start(rt, &state, "2026-09-18T10:00:00+08:00").await;
    seed(&state, 2026, LINES);
    publish(host.addr, 2026).await;
    host.stop().await;

    let host = start(rt, &state, "2026-09-21T11:00:00+08:00").await;
    let a = host.addr;
    let secret_contact = "objector-13912345678@example.com";
    let pdf = base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.4\n%evidence\n");
    let mut body = objection(
        "2026-proposed",
        3,
        secret_contact,
        "该企业申报的利息中包含罚息，实际支付利息应为 80000 元。",
    );
    body["evidence"] = json!([{"file_name": "bank-statement.pdf",
                               "content_type": "application/pdf", "data_base64": pdf}]);
    let r = file(a, &body).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let filed = r.json();
    let id = filed["tracking_number"].as_str().unwrap().to_owned();
    let token = filed["token"].as_str().unwrap().to_owned();
    assert_eq!(id, "YY-2026-000001");
    assert_eq!(token.len(), 64);
    assert_eq!(filed["period_ends_at"], "2026-09-24T00:00:00+08:00");
    // The token is kept only as its SHA-256.
    let stored: String = db(&state)
        .query_row("SELECT token_hash FROM objections", [], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, token);

    // A second objection, on entry 2, upheld later; a third, on entry 1, dismissed.
    let r2 = file(
        a,
        &objection(
            "2026-proposed",
            2,
            "13800000002",
            "该企业的驰名商标认定已被撤销。",
        ),
    )
    .await;
    assert_eq!(r2.status, 201, "{}", r2.text());
    let id2 = r2.json()["tracking_number"].as_str().unwrap().to_owned();
    let r3 = file(
        a,
        &objection(
            "2026-proposed",
            1,
            "13800000003",
            "我认为该企业不在门头沟区纳税。",
        ),
    )
    .await;
    assert_eq!(r3.status, 201, "{}", r3.text());
    let id3 = r3.json()["tracking_number"].as_str().unwrap().to_owned();

    // The objector follows it with the token; a wrong token sees nothing.
    let v = get_as(a, &format!("/api/objections/{id}"), &token)
        .await
        .json();
    assert_eq!(v["status"], "received");
    assert!(v["conclusion"].is_null());
    assert!(!v.to_string().contains(secret_contact));
    let r = get_as(a, &format!("/api/objections/{id}"), &"0".repeat(64)).await;
    assert_error(&r, 403, "forbidden");
    let r = get(a, &format!("/api/objections/{id}")).await;
    assert_error(&r, 401, "unauthorized");
    // Another objection's token does not open this one.
    let r = get_as(a, &format!("/api/objections/{id2}"), &token).await;
    assert_error(&r, 403, "forbidden");

    // Officers list the objections of the notice, with the objectors' data and evidence.
    let v = get_as(a, "/api/objections?notice=2026-proposed", OFFICER)
        .await
        .json();
    let list = v["objections"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    let first = list
        .iter()
        .find(|o| o["tracking_number"] == id.as_str())
        .unwrap();
    assert_eq!(first["objector"]["contact"], secret_contact);
    assert_eq!(first["evidence"][0]["content_type"], "application/pdf");
    let file_url = first["evidence"][0]["url"].as_str().unwrap();
    let r = get_as(a, file_url, OFFICER).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, b"%PDF-1.4\n%evidence\n");
    assert_error(&get(a, file_url).await, 401, "unauthorized");
    host.stop().await;

    // Re-review after the period: partly upheld, upheld, dismissed.
    let host = start(rt, &state, "2026-09-25T15:00:00+08:00").await;
    let a = host.addr;
    let r = post(
        a,
        &format!("/api/objections/{id}/conclusion"),
        Some(OFFICER),
        &json!({"outcome": "partly_upheld", "new_amount": "40000.00",
                "reasons_zh": "经核实，罚息不属于利息，补助调整。",
                "reasons_en": "Penalty interest is not interest (SUB-BASE); amount lowered."}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "partly_upheld");
    let r = post(
        a,
        &format!("/api/objections/{id2}/conclusion"),
        Some(OFFICER),
        &json!({"outcome": "upheld", "reasons_zh": "驰名商标认定已撤销。",
                "reasons_en": "The well-known trademark status was revoked."}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = post(
        a,
        &format!("/api/objections/{id3}/conclusion"),
        Some(ADMIN),
        &json!({"outcome": "dismissed", "reasons_zh": "经税务部门核实，该企业在本区纳税。",
                "reasons_en": "The tax office confirms the enterprise pays tax in the district."}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    // A conclusion is given once.
    let r = post(
        a,
        &format!("/api/objections/{id3}/conclusion"),
        Some(OFFICER),
        &json!({"outcome": "upheld", "reasons_zh": "再次", "reasons_en": "again"}),
    )
    .await;
    assert_error(&r, 409, "conflict");

    // The objector sees the conclusion.
    let v = get_as(a, &format!("/api/objections/{id}"), &token)
        .await
        .json();
    assert_eq!(v["status"], "partly_upheld");
    assert_eq!(v["conclusion"]["new_amount"], "40000.00");
    assert_eq!(
        v["conclusion"]["notice_update_url"],
        "/notices/2026-proposed#update-1"
    );

    // The notice: the original stays readable, each update has its own time.
    let n = get(a, "/api/notices/2026-proposed").await.json();
    assert_eq!(
        n["entries"][2]["amount"], "45678.90",
        "the published entry is unchanged"
    );
    let cur = &n["current_entries"];
    assert_eq!(cur[0]["status"], "listed");
    assert_eq!(cur[1]["status"], "removed");
    assert_eq!(cur[1]["amount"], "0.00");
    assert_eq!(cur[2]["status"], "amended");
    assert_eq!(cur[2]["amount"], "40000.00");
    assert_eq!(cur[2]["amount_capitals"], "肆万元整");
    assert_eq!(n["current_total"], "160000.00");
    let updates = n["updates"].as_array().unwrap();
    assert_eq!(updates.len(), 3);
    assert_eq!(updates[0]["kind"], "re_review_partly_upheld");
    assert_eq!(updates[0]["at"], "2026-09-25T15:00:00+08:00");
    assert_eq!(updates[1]["kind"], "re_review_upheld");
    assert_eq!(updates[2]["kind"], "re_review_dismissed");
    let page = get(a, "/notices/2026-proposed").await.text();
    assert!(page.contains("重审结论：异议部分成立"), "{page}");
    // How to object names the ways to reach the office the deployment set, and only those.
    assert!(
        page.contains("或向北京市门头沟区知识产权局（电话 010-12345678，电子邮箱 \
             <a href=\"mailto:ip-office@example.gov.cn\">ip-office@example.gov.cn</a>）提出"),
        "{page}"
    );
    assert!(page.contains("(phone 010-12345678, email <a href=\"mailto:ip-office@example.gov.cn\">"));
    assert!(!page.contains("地址"), "no address was set: {page}");
    assert!(page.contains("原 was 45,678.90"));

    // The round's list: a new version per change; the application's status follows.
    let c = db(&state);
    let (v, granted): (i64, String) = c
        .query_row(
            "SELECT version, granted_cny FROM allocation_lines WHERE application_id = 'MTG-2026-00003' \
             ORDER BY version DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((v, granted.as_str()), (3, "40000.00"));
    let status: String = c
        .query_row(
            "SELECT status FROM applications WHERE id = 'MTG-2026-00002'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "removed");
    let stage: String = c
        .query_row("SELECT stage FROM rounds WHERE year = 2026", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(stage, "in_notice");
    // A published notice cannot be edited, even from inside.
    assert!(
        c.execute("UPDATE notices SET notice_json = '{}'", [])
            .is_err()
    );
    assert!(c.execute("DELETE FROM notice_updates", []).is_err());

    // The objector's name and contact appear in no public output.
    for path in [
        "/api/notices",
        "/api/notices/2026-proposed",
        "/notices",
        "/notices/2026-proposed",
        "/feeds/notices.atom",
        "/feeds/notices.json",
    ] {
        let r = get(a, path).await;
        assert_eq!(r.status, 200, "{path}");
        let t = r.text();
        for private in [secret_contact, "13912345678", "王秘密", "13800000002"] {
            assert!(!t.contains(private), "{path} shows {private}");
        }
    }
    // Nor in the audit trail, which names objections, never objectors; nor anywhere but
    // the objectors table (the flood limits keep digests).
    for row in crate::common::dump(&state) {
        let table = row.split(':').next().unwrap_or_default();
        for private in [secret_contact, "13912345678", "王秘密", "13800000002"] {
            assert!(
                table == "objectors" || !row.contains(private),
                "{table} keeps {private}: {row}"
            );
        }
    }
    let audited: i64 = db(&state)
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'file_objection'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 3, "each filing is audited");
    host.stop().await;
}
}

e2e::on_both_hosts! {
/// Issue 16: without `public_base_url` the links in notices and feeds start where the
/// request came to, so they are right wherever the app is served.
async fn links_follow_the_address_the_app_is_reached_at(rt) {
    let state = TempDir::new("notices-links");
    let host = App::on(rt).at("2026-09-18T10:00:00+08:00").start(&state).await;
    seed(&state, 2026, LINES);
    let a = host.addr;
    publish(a, 2026).await;
    let v = get(a, "/api/notices/2026-proposed").await.json();
    assert_eq!(v["url"], format!("http://{a}/notices/2026-proposed"), "{v}");
    // The port is the test's own, so these come from the request, not a default.
    let feed = get(a, "/feeds/notices.json").await.json();
    assert_eq!(feed["feed_url"], format!("http://{a}/feeds/notices.json"), "{feed}");
    assert_eq!(feed["items"][0]["url"], format!("http://{a}/notices/2026-proposed"));
    // No contact set: the notice names the office and invents no way to reach it.
    let page = get(a, "/notices/2026-proposed").await.text();
    assert!(page.contains("或向北京市门头沟区知识产权局提出"), "{page}");
    assert!(!page.contains("电话") && !page.contains("mailto:"), "{page}");
    host.stop().await;
}
}

// ------------------------------------------------------------------ limits

e2e::on_both_hosts! {
async fn repeated_objections_and_floods_from_one_address_are_refused_politely(rt) {
    let state = TempDir::new("notices-flood");
    let host = start(rt, &state, "2026-09-18T10:00:00+08:00").await;
    seed(&state, 2026, LINES);
    let a = host.addr;
    publish(a, 2026).await;
    let body = objection(
        "2026-proposed",
        1,
        "13800000009",
        "该企业贷款存在逾期，请重审。",
    );
    assert_eq!(file(a, &body).await.status, 201);
    // The same objection again (spacing and case aside) is recognised.
    let mut again = body.clone();
    again["grounds"] = json!("  该企业贷款存在逾期，   请重审。 ");
    let v = assert_error(&file(a, &again).await, 409, "duplicate_objection");
    assert!(
        v["error"]["message_zh"]
            .as_str()
            .unwrap()
            .contains("YY-2026-000001")
    );
    // Four more distinct objections from the same objector are accepted (5 an hour by
    // contact), the sixth is refused, saying how long to wait.
    for i in 0..4 {
        let b = objection(
            "2026-proposed",
            2,
            "13800000009",
            &format!("第{i}条不同的异议理由，请认真核实。"),
        );
        assert_eq!(file(a, &b).await.status, 201);
    }
    let b = objection(
        "2026-proposed",
        3,
        "13800000009",
        "第六条异议理由，请认真核实。",
    );
    let r = file(a, &b).await;
    let v = assert_error(&r, 429, "too_many_requests");
    assert!(
        v["error"]["message_en"]
            .as_str()
            .unwrap()
            .contains("please try again"),
        "{v}"
    );
    let wait: u64 = r.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    assert_eq!(count(&state, "objections"), 5);
    // Other objectors from the same address: the address is only a coarse guard (30 an
    // hour, whoever files), so the public behind one ingress is not blocked by five.
    for i in 0..25 {
        let b = objection(
            "2026-proposed",
            1,
            &format!("139000000{i:02}"),
            &format!("另一位异议人的第{i}条理由，请核实。"),
        );
        let r = file(a, &b).await;
        assert_eq!(r.status, 201, "{i}: {}", r.text());
    }
    let b = objection(
        "2026-proposed",
        3,
        "13700000000",
        "第三十一件异议，来自同一地址。",
    );
    let r = file(a, &b).await;
    let v = assert_error(&r, 429, "too_many_requests");
    assert!(
        v["error"]["message_en"].as_str().unwrap().contains("network address"),
        "{v}"
    );
    assert_eq!(count(&state, "objections"), 30);
    // A forged client-address header does not get round the limit.
    let r = request(
        a,
        "POST",
        "/api/objections",
        &[JSON, ("spin-client-addr", "10.9.8.7:1234")],
        b.to_string().as_bytes(),
    )
    .await
    .unwrap();
    assert_error(&r, 429, "too_many_requests");
    host.stop().await;
}
}

e2e::on_both_hosts! {
/// PROC-OBJECT (issue 14): a new objection carries a proof of work — a challenge signed by
/// the service, solved, spent once. Without one, with a challenge changed or from another
/// key, with a nonce that does not solve it, with a spent or expired challenge: 400 naming
/// `proof…`, nothing stored. A retry with the objector's Idempotency-Key needs no new one.
async fn an_objection_carries_a_proof_of_work_that_is_spent_once(rt) {
    let state = TempDir::new("notices-proof");
    let host = App::on(rt)
        .at("2026-09-18T10:00:00+08:00")
        .var("objection_proof_bits", "12")
        .start(&state)
        .await;
    seed(&state, 2026, LINES);
    let a = host.addr;
    publish(a, 2026).await;
    let r = e2e::get(a, "/api/objections/challenge").await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let c = r.json();
    assert_eq!(c["bits"], 12, "{c}");
    assert_eq!(c["expires_at"], "2026-09-18T11:00:00+08:00", "{c}");
    let challenge = c["challenge"].as_str().unwrap().to_owned();
    let solved = crate::common::nonce(&challenge, 12, true);
    let body = objection("2026-proposed", 1, "13800000011", "该企业贷款存在逾期，请重审。");
    let with = |challenge: &str, nonce: &str| {
        let mut b = body.clone();
        b["proof"] = json!({"challenge": challenge, "nonce": nonce});
        b
    };
    let before = crate::common::dump(&state);
    let wrong_nonce = crate::common::nonce(&challenge, 12, false);
    let changed = challenge.replacen('.', "0.", 1);
    for (b, field) in [
        (body.clone(), "proof"),
        (with(&challenge, &wrong_nonce), "proof.nonce"),
        (with(&changed, &solved), "proof.challenge"),
        (with(&challenge, "not a nonce"), "proof"),
    ] {
        let v = assert_error(&file(a, &b).await, 400, "invalid_field");
        assert_eq!(v["error"]["field"], field, "{v}");
    }
    assert_eq!(crate::common::dump(&state), before, "a refused proof stores nothing");
    let h = [("content-type", "application/json"), ("idempotency-key", "objection-proof-1")];
    let sent = with(&challenge, &solved).to_string();
    let r = e2e::request(a, "POST", "/api/objections", &h, sent.as_bytes()).await.unwrap();
    assert_eq!(r.status, 201, "{}", r.text());
    // Spent: another objection cannot use it again …
    let mut other = with(&challenge, &solved);
    other["entry"] = json!(2);
    let v = assert_error(&file(a, &other).await, 400, "invalid_field");
    assert_eq!(v["error"]["field"], "proof.challenge", "{v}");
    // … but the first one's retry with its key is its first answer, proof or none.
    let retry = body.to_string();
    let again = e2e::request(a, "POST", "/api/objections", &h, retry.as_bytes()).await.unwrap();
    assert_eq!(again.status, 201, "{}", again.text());
    assert_eq!(again.json()["tracking_number"], r.json()["tracking_number"]);
    host.stop().await;

    // An hour and more later the challenge has expired.
    let host = App::on(rt)
        .at("2026-09-18T11:00:01+08:00")
        .var("objection_proof_bits", "12")
        .start(&state)
        .await;
    let mut late = with(&challenge, &solved);
    late["entry"] = json!(3);
    let v = assert_error(&file(host.addr, &late).await, 400, "invalid_field");
    assert_eq!(v["error"]["field"], "proof.challenge", "{v}");
    assert!(v["error"]["message_en"].as_str().unwrap().contains("expired"), "{v}");
    host.stop().await;
}
}

/// Issue 14: an objection has a safe retry — with the objector's `Idempotency-Key` a retry
/// gets the first answer and the same private token (which keeps working), also after the
/// period; the key with other grounds is a 422; another objector's same key is its own.
#[tokio::test(flavor = "multi_thread")]
async fn an_objection_retried_with_its_key_gets_the_same_token() {
    let state = TempDir::new("notices-objection-retry");
    let host = start(Runtime::Local, &state, "2026-09-18T10:00:00+08:00").await;
    seed(&state, 2026, LINES);
    let a = host.addr;
    publish(a, 2026).await;
    let headers = [JSON, ("idempotency-key", "obj-retry-1")];
    let send = |contact: &str, grounds: &str| {
        let body = objection("2026-proposed", 1, contact, grounds).to_string();
        async move {
            request(a, "POST", "/api/objections", &headers, body.as_bytes())
                .await
                .unwrap()
        }
    };
    let grounds = "该企业贷款存在逾期，请重审。";
    let first = send("13800000021", grounds).await;
    assert_eq!(first.status, 201, "{}", first.text());
    let again = send("13800000021", grounds).await;
    assert_eq!(again.status, 201, "{}", again.text());
    let (f, g) = (first.json(), again.json());
    assert_eq!(
        (&f["tracking_number"], &f["token"]),
        (&g["tracking_number"], &g["token"])
    );
    let token = f["token"].as_str().unwrap().to_owned();
    let path = format!("/api/objections/{}", f["tracking_number"].as_str().unwrap());
    assert_eq!(get_as(a, &path, &token).await.status, 200);
    let other = send("13800000021", "另一条不同的异议理由，请核实。").await;
    assert_eq!(other.status, 422, "{}", other.text());
    let theirs = send("13800000022", grounds).await.json();
    assert_ne!(theirs["tracking_number"], f["tracking_number"], "{theirs}");
    assert_eq!(count(&state, "objections"), 2);
    host.stop().await;

    // After the period: the same answer, the same token.
    let host = start(Runtime::Local, &state, "2026-10-20T10:00:00+08:00").await;
    let late = request(
        host.addr,
        "POST",
        "/api/objections",
        &headers,
        objection("2026-proposed", 1, "13800000021", grounds)
            .to_string()
            .as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(late.status, 201, "{}", late.text());
    assert_eq!(late.json()["token"], token.as_str());
    host.stop().await;
}

e2e::on_both_hosts! {
async fn bad_input_on_every_endpoint_gets_a_clear_4xx_and_changes_nothing(rt) {
    let state = TempDir::new("notices-bad");
    let host = start(rt, &state, "2026-09-18T10:00:00+08:00").await;
    seed(&state, 2026, LINES);
    let a = host.addr;
    publish(a, 2026).await;
    let ok = file(
        a,
        &objection(
            "2026-proposed",
            1,
            "13800000001",
            "该企业贷款存在逾期，请重审。",
        ),
    )
    .await;
    assert_eq!(ok.status, 201);
    let oid = ok.json()["tracking_number"].as_str().unwrap().to_owned();
    let before = snapshot(&state);

    // POST /api/notices
    let pub_ok = json!({"kind": "proposed_list", "round_year": 2026});
    assert_error(
        &post(a, "/api/notices", None, &pub_ok).await,
        401,
        "unauthorized",
    );
    assert_error(
        &post(
            a,
            "/api/notices",
            Some("not-the-token-at-all-xxxx"),
            &pub_ok,
        )
        .await,
        403,
        "forbidden",
    );
    let r = post(
        a,
        "/api/notices",
        Some(OFFICER),
        &json!({"kind": "guide", "round_year": 2026}),
    )
    .await;
    assert_eq!(
        assert_error(&r, 400, "invalid_json")["error"]["field"],
        "kind"
    );
    let r = post(
        a,
        "/api/notices",
        Some(OFFICER),
        &json!({"kind": "proposed_list", "round_year": "2026"}),
    )
    .await;
    assert_eq!(
        assert_error(&r, 400, "invalid_json")["error"]["field"],
        "round_year"
    );
    let r = post(
        a,
        "/api/notices",
        Some(OFFICER),
        &json!({"kind": "proposed_list", "round_year": 1999}),
    )
    .await;
    assert_eq!(
        assert_error(&r, 400, "invalid_field")["error"]["field"],
        "round_year"
    );
    let r = post(
        a,
        "/api/notices",
        Some(OFFICER),
        &json!({"kind": "proposed_list", "round_year": 2024}),
    )
    .await;
    assert_error(&r, 404, "round_not_found");
    let r = post(a, "/api/notices", Some(OFFICER), &pub_ok).await;
    assert_error(&r, 409, "conflict");
    let r = post(
        a,
        "/api/notices",
        Some(OFFICER),
        &json!({"kind": "proposed_list", "round_year": 2026, "x": 1}),
    )
    .await;
    assert_error(&r, 400, "invalid_json");
    let auth = bearer(OFFICER);
    let r = request(
        a,
        "POST",
        "/api/notices",
        &[("authorization", &auth), ("content-type", "text/plain")],
        b"{}",
    )
    .await
    .unwrap();
    assert_error(&r, 415, "unsupported_media_type");
    let r = request(
        a,
        "POST",
        "/api/notices",
        &[("authorization", &auth), JSON],
        b"{not json",
    )
    .await
    .unwrap();
    assert_error(&r, 400, "invalid_json");
    let r = request(
        a,
        "DELETE",
        "/api/notices/2026-proposed",
        &[("authorization", &auth)],
        &[],
    )
    .await
    .unwrap();
    assert_error(&r, 405, "method_not_allowed");

    // POST /api/notices/:id/corrections
    let corr = "/api/notices/2026-proposed/corrections";
    assert_error(
        &post(a, corr, None, &json!({"text_zh": "更正", "text_en": "x"})).await,
        401,
        "unauthorized",
    );
    let r = post(
        a,
        corr,
        Some(OFFICER),
        &json!({"entry": 9, "text_zh": "更正", "text_en": "x"}),
    )
    .await;
    assert_eq!(
        assert_error(&r, 400, "invalid_field")["error"]["field"],
        "entry"
    );
    let r = post(
        a,
        corr,
        Some(OFFICER),
        &json!({"text_zh": "  ", "text_en": "x"}),
    )
    .await;
    assert_eq!(
        assert_error(&r, 400, "invalid_field")["error"]["field"],
        "text_zh"
    );
    let r = post(
        a,
        corr,
        Some(OFFICER),
        &json!({"text_zh": "更正", "text_en": "x", "new_amount": "1.00"}),
    )
    .await;
    assert_error(&r, 400, "invalid_json");
    let r = post(
        a,
        "/api/notices/nope/corrections",
        Some(OFFICER),
        &json!({"text_zh": "更正", "text_en": "x"}),
    )
    .await;
    assert_error(&r, 404, "notice_not_found");

    // Public reads
    assert_error(&get(a, "/api/notices/nope").await, 404, "notice_not_found");
    assert_error(&get(a, "/notices/nope").await, 404, "notice_not_found");
    assert_error(
        &get(a, "/feeds/notices.atom?page=0").await,
        400,
        "invalid_field",
    );
    assert_error(
        &get(a, "/feeds/notices.atom?page=abc").await,
        400,
        "invalid_field",
    );
    // What shared links append (WeChat, Weibo, campaigns) is ignored by the public pages
    // and feeds; a parameter they know is still checked; the JSON API stays strict.
    for link in [
        "/feeds/notices.json?sort=asc",
        "/feeds/notices.atom?utm_source=weibo&utm_medium=social",
        "/notices?from=timeline",
        "/notices/2026-proposed?from=singlemessage&isappinstalled=0",
        "/notices.html?from=singlemessage&isappinstalled=0",
    ] {
        assert_eq!(get(a, link).await.status, 200, "{link}");
    }
    assert_error(
        &get(a, "/feeds/notices.json?page=2").await,
        404,
        "not_found",
    );
    assert_error(&get(a, "/feeds/atom.xml").await, 404, "not_found");
    assert_error(&get(a, "/api/notices?x=1").await, 400, "invalid_field");
    let r = request(a, "POST", "/feeds/notices.atom", &[], &[])
        .await
        .unwrap();
    assert_error(&r, 405, "method_not_allowed");

    // POST /api/objections
    let good = || {
        objection(
            "2026-proposed",
            2,
            "13800000002",
            "该企业的驰名商标认定已被撤销。",
        )
    };
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (
            {
                let mut b = good();
                b["grounds"] = json!("太短");
                b
            },
            400,
            "invalid_field",
            "grounds",
        ),
        (
            {
                let mut b = good();
                b["grounds"] = json!("字".repeat(3001));
                b
            },
            400,
            "invalid_field",
            "grounds",
        ),
        (
            {
                let mut b = good();
                b["objector"]["name"] = json!("");
                b
            },
            400,
            "invalid_field",
            "objector.name",
        ),
        (
            {
                let mut b = good();
                b["objector"]["contact"] = json!("1");
                b
            },
            400,
            "invalid_field",
            "objector.contact",
        ),
        (
            {
                let mut b = good();
                b["objector"].as_object_mut().unwrap().remove("relation");
                b
            },
            400,
            "invalid_json",
            "objector",
        ),
        (
            {
                let mut b = good();
                b["entry"] = json!(-1);
                b
            },
            400,
            "invalid_json",
            "entry",
        ),
        (
            {
                let mut b = good();
                b["entry"] = json!(7);
                b
            },
            400,
            "invalid_field",
            "entry",
        ),
        (
            {
                let mut b = good();
                b["notice_id"] = json!("2030-proposed");
                b
            },
            404,
            "notice_not_found",
            "notice_id",
        ),
        (
            {
                let mut b = good();
                b["evidence"] = json!([{"file_name": "a.pdf", "content_type": "application/pdf", "data_base64": "***"}]);
                b
            },
            400,
            "invalid_field",
            "evidence[0].data_base64",
        ),
        (
            {
                let mut b = good();
                b["evidence"] = json!([{"file_name": "a.png", "content_type": "image/png",
             "data_base64": base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.4 really a pdf")}]);
                b
            },
            415,
            "unsupported_media_type",
            "evidence[0].content_type",
        ),
        (
            {
                let mut b = good();
                b["evidence"] = json!([{"file_name": "a.exe", "content_type": "application/pdf",
             "data_base64": base64::engine::general_purpose::STANDARD.encode(b"MZ\x90\x00 not a pdf")}]);
                b
            },
            415,
            "unsupported_media_type",
            "evidence[0].data_base64",
        ),
        (
            {
                let mut b = good();
                b["evidence"] = json!([{"file_name": "a.gif", "content_type": "image/gif", "data_base64": "R0lGODlh"}]);
                b
            },
            415,
            "unsupported_media_type",
            "evidence[0].content_type",
        ),
        (
            {
                let mut b = good();
                b["evidence"] = json!([{"file_name": "../x.pdf", "content_type": "application/pdf",
             "data_base64": base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.4")}]);
                b
            },
            400,
            "invalid_field",
            "evidence[0].file_name",
        ),
        (
            {
                let mut b = good();
                b["evidence"] = json!([{"file_name": "big.pdf", "content_type": "application/pdf",
             "data_base64": base64::engine::general_purpose::STANDARD.encode([b"%PDF-1.4".as_slice(), &vec![b'x'; 1024 * 1024]].concat())}]);
                b
            },
            413,
            "file_too_large",
            "evidence[0].data_base64",
        ),
        (
            {
                let mut b = good();
                let f = json!({"file_name": "a.pdf", "content_type": "application/pdf",
             "data_base64": base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.4")});
                b["evidence"] = json!([f, f, f, f]);
                b
            },
            400,
            "invalid_field",
            "evidence",
        ),
        (
            {
                let mut b = good();
                b["token"] = json!("x");
                b
            },
            400,
            "invalid_json",
            "",
        ),
    ];
    for (body, status, code, field) in cases {
        let r = file(a, &body).await;
        let v = assert_error(&r, status, code);
        if !field.is_empty() {
            assert_eq!(v["error"]["field"], field, "{v}");
        }
    }
    let r = request(
        a,
        "POST",
        "/api/objections",
        &[("content-type", "text/plain")],
        b"x",
    )
    .await
    .unwrap();
    assert_error(&r, 415, "unsupported_media_type");
    let r = request(a, "PUT", "/api/objections", &[], &[])
        .await
        .unwrap();
    assert_error(&r, 405, "method_not_allowed");

    // GET /api/objections...
    assert_error(
        &get(a, "/api/objections?notice=2026-proposed").await,
        401,
        "unauthorized",
    );
    assert_error(
        &get_as(a, "/api/objections?notice=nope", OFFICER).await,
        404,
        "notice_not_found",
    );
    assert_error(
        &get_as(a, "/api/objections?sort=x", OFFICER).await,
        400,
        "invalid_field",
    );
    assert_error(
        &get_as(a, "/api/objections/YY-2026-999999", OFFICER).await,
        404,
        "objection_not_found",
    );
    assert_error(
        &get_as(a, &format!("/api/objections/{oid}/evidence/x"), OFFICER).await,
        400,
        "invalid_field",
    );
    assert_error(
        &get_as(a, &format!("/api/objections/{oid}/evidence/1"), OFFICER).await,
        404,
        "evidence_not_found",
    );

    // POST /api/objections/:id/conclusion
    let concl = format!("/api/objections/{oid}/conclusion");
    let dismiss =
        json!({"outcome": "dismissed", "reasons_zh": "理由充分", "reasons_en": "reasons"});
    assert_error(&post(a, &concl, None, &dismiss).await, 401, "unauthorized");
    let r = post(
        a,
        &concl,
        Some(OFFICER),
        &json!({"outcome": "maybe", "reasons_zh": "理由", "reasons_en": "r"}),
    )
    .await;
    assert_eq!(
        assert_error(&r, 400, "invalid_json")["error"]["field"],
        "outcome"
    );
    let r = post(
        a,
        &concl,
        Some(OFFICER),
        &json!({"outcome": "partly_upheld", "reasons_zh": "理由", "reasons_en": "re"}),
    )
    .await;
    assert_eq!(
        assert_error(&r, 400, "invalid_field")["error"]["field"],
        "new_amount"
    );
    let r = post(a, &concl, Some(OFFICER), &json!({"outcome": "partly_upheld", "new_amount": "120000.00", "reasons_zh": "理由", "reasons_en": "re"})).await;
    assert_eq!(
        assert_error(&r, 400, "invalid_field")["error"]["field"],
        "new_amount"
    );
    let r = post(a, &concl, Some(OFFICER), &json!({"outcome": "partly_upheld", "new_amount": "-5", "reasons_zh": "理由", "reasons_en": "re"})).await;
    assert_eq!(
        assert_error(&r, 400, "invalid_json")["error"]["field"],
        "new_amount"
    );
    let r = post(a, &concl, Some(OFFICER), &json!({"outcome": "dismissed", "new_amount": "1.00", "reasons_zh": "理由", "reasons_en": "re"})).await;
    assert_eq!(
        assert_error(&r, 400, "invalid_field")["error"]["field"],
        "new_amount"
    );
    let r = post(
        a,
        &concl,
        Some(OFFICER),
        &json!({"outcome": "upheld", "reasons_zh": "", "reasons_en": "re"}),
    )
    .await;
    assert_eq!(
        assert_error(&r, 400, "invalid_field")["error"]["field"],
        "reasons_zh"
    );
    let r = post(
        a,
        "/api/objections/YY-2026-999999/conclusion",
        Some(OFFICER),
        &dismiss,
    )
    .await;
    assert_error(&r, 404, "objection_not_found");

    assert_eq!(snapshot(&state), before, "no bad request changed anything");
    host.stop().await;
}
}

#[test]
fn the_clock_override_is_a_manifest_variable_empty_by_default() {
    // Set by whoever starts the app (`--variable clock_override=…`); no route reads it
    // from a request.
    let manifest = std::fs::read_to_string(app_manifest()).unwrap();
    assert!(manifest.contains("clock_override = { default = \"\" }"));
}
