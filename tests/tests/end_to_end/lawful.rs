//! The round's life is lawful end to end (issue 13): each workflow action is judged by a
//! pure guard (`rules::guards`) over the round as its own transaction sees it, and a
//! refused action is a 409 naming its rule and the items in the way, with nothing stored.

use base64::Engine;
use e2e::app::{ADMIN, App, AppHost, OFFICER, assert_error, call};
use e2e::{Answer, TempDir, fixtures};
use serde_json::{Value, json};

use crate::common::{IN_NOTICE, OPEN, PDF, dump, round};

/// After the notice period of a list published on 6 May 2026 (it ended on 12 May).
const AFTER_NOTICE: &str = "2026-05-20T10:00:00+08:00";

fn application(n: u32) -> Value {
    let contract = format!("HG-{n:04}");
    fixtures::application(
        2026,
        n,
        &contract,
        "manufacturing",
        fixtures::utility_model(),
        "100000.00",
    )
}

fn objection(entry: u32) -> Value {
    json!({
        "notice_id": "2026-proposed", "entry": entry,
        "objector": {"name": "李四", "contact": "13800000000", "relation": "同行业企业员工"},
        "grounds": format!("第{entry}号企业的贷款在覆盖期内曾经逾期，不符合条件。"),
        "evidence": [{"file_name": "bank.pdf", "content_type": "application/pdf",
                      "data_base64": base64::engine::general_purpose::STANDARD.encode(PDF)}]
    })
}

fn ok(r: &Answer) -> Value {
    assert!(matches!(r.status, 200 | 201), "{}", r.text());
    r.json()
}

async fn post(a: std::net::SocketAddr, path: &str, token: Option<&str>, body: &Value) -> Answer {
    call(a, "POST", path, token, body).await
}

/// The 2026 round with `n` applications submitted in its window; the host stopped.
async fn submitted(state: &TempDir, n: u32) -> Vec<String> {
    submitted_in(state, round(2026), n).await
}

/// As [`submitted`], for the round `round_json`.
async fn submitted_in(state: &TempDir, round_json: Value, n: u32) -> Vec<String> {
    let host = App::local().at(OPEN).start(state).await;
    let a = host.addr;
    ok(&post(a, "/api/rounds", Some(ADMIN), &round_json).await);
    let mut ids = Vec::new();
    for i in 1..=n {
        let v = ok(&post(a, "/api/applications", None, &application(i)).await);
        ids.push(v["id"].as_str().unwrap().to_owned());
    }
    host.stop().await;
    ids
}

/// The round moved to review, on a host at `now`.
async fn under_review(state: &TempDir, now: &str) -> AppHost {
    let host = App::local().at(now).start(state).await;
    for to in ["closed", "under_review"] {
        ok(&post(
            host.addr,
            "/api/rounds/2026/stage",
            Some(ADMIN),
            &json!({ "to": to }),
        )
        .await);
    }
    host
}

/// Every application of `ids` reviewed, the list computed and published on 6 May 2026, on
/// a host still running then.
async fn on_notice(state: &TempDir, ids: &[String]) -> AppHost {
    let host = under_review(state, IN_NOTICE).await;
    let a = host.addr;
    for id in ids {
        review(a, id).await;
    }
    ok(&post(a, "/api/rounds/2026/allocation", Some(ADMIN), &Value::Null).await);
    let body = json!({"kind": "proposed_list", "round_year": 2026});
    ok(&post(a, "/api/notices", Some(OFFICER), &body).await);
    host
}

/// The list of `ids` published and, after the notice period, approved as a whole on 13
/// May; the host still running then.
async fn approved(state: &TempDir, ids: &[String]) -> AppHost {
    on_notice(state, ids).await.stop().await;
    let host = App::local().at(AFTER_NOTICE).start(state).await;
    let approval = json!({"approved_on": "2026-05-13", "reference": "区政府第12次常务会议"});
    let path = "/api/rounds/2026/allocation/approval";
    ok(&post(host.addr, path, Some(ADMIN), &approval).await);
    host
}

async fn review(a: std::net::SocketAddr, id: &str) {
    let year: i32 = id[4..8].parse().unwrap();
    let body = fixtures::review(year, &["tax"]);
    let r = post(
        a,
        &format!("/api/applications/{id}/review"),
        Some(OFFICER),
        &body,
    )
    .await;
    ok(&r);
}

/// PROC-REVIEW (issue 13, point 3): the list is not computed while an application received
/// in time has no review decision — the refusal names it, and nothing is stored; once it
/// is reviewed, the list is computed from both.
#[tokio::test(flavor = "multi_thread")]
async fn proc_review_allocation_refuses_while_an_application_is_undecided_naming_it() {
    let state = TempDir::new("lawful-undecided");
    let ids = submitted(&state, 2).await;
    let host = under_review(&state, IN_NOTICE).await;
    let a = host.addr;
    review(a, &ids[0]).await;

    let before = dump(&state);
    let r = post(a, "/api/rounds/2026/allocation", Some(ADMIN), &Value::Null).await;
    let v = assert_error(&r, 409, "rule_proc_review");
    assert_eq!(v["items"], json!([ids[1]]), "{v}");
    let zh = v["message_zh"].as_str().unwrap();
    assert!(zh.contains(&ids[1]) && zh.contains("PROC-REVIEW"), "{zh}");
    assert_eq!(dump(&state), before, "a refused allocation stores nothing");
    let r = call(a, "GET", "/api/rounds/2026", None, &Value::Null).await;
    assert_eq!(ok(&r)["stage"], "under_review");

    review(a, &ids[1]).await;
    let v = ok(&post(a, "/api/rounds/2026/allocation", Some(ADMIN), &Value::Null).await);
    let listed: Vec<&str> = v["allocation"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 2, "{v}");
    assert!(
        ids.iter().all(|id| listed.contains(&id.as_str())),
        "{listed:?}"
    );
    host.stop().await;
}

/// PROC-OBJECT, PROC-APPROVE (issue 13, point 4): the list goes to the district government
/// only once every objection has its re-review conclusion — a conclusion stays possible
/// after the notice period — and the refusal names the objections still open; the
/// approval is dated no earlier than the last conclusion.
#[tokio::test(flavor = "multi_thread")]
async fn proc_object_approval_waits_for_every_re_review_and_conclusions_run_past_the_period() {
    let state = TempDir::new("lawful-objections");
    let ids = submitted(&state, 2).await;
    let host = on_notice(&state, &ids).await;
    let a = host.addr;
    let mut objections = Vec::new();
    for entry in [1, 2] {
        let v = ok(&post(a, "/api/objections", None, &objection(entry)).await);
        objections.push(v["tracking_number"].as_str().unwrap().to_owned());
    }
    host.stop().await;

    let host = App::local().at(AFTER_NOTICE).start(&state).await;
    let a = host.addr;
    let approval = json!({"approved_on": "2026-05-13", "reference": "区政府第12次常务会议"});
    let path = "/api/rounds/2026/allocation/approval";
    let before = dump(&state);
    let v = assert_error(
        &post(a, path, Some(ADMIN), &approval).await,
        409,
        "rule_proc_object",
    );
    assert_eq!(v["items"], json!(objections), "{v}");
    assert_eq!(dump(&state), before, "a refused approval stores nothing");

    // After the period, a conclusion is still given (dismissed: the entry stands).
    let conclusion = json!({"outcome": "dismissed", "reasons_zh": "经核查，贷款按期还款。",
                            "reasons_en": "On checking, the loan was repaid on time."});
    let r = post(
        a,
        &format!("/api/objections/{}/conclusion", objections[0]),
        Some(OFFICER),
        &conclusion,
    )
    .await;
    assert_eq!(ok(&r)["status"], "dismissed");
    let v = assert_error(
        &post(a, path, Some(ADMIN), &approval).await,
        409,
        "rule_proc_object",
    );
    assert_eq!(v["items"], json!([objections[1]]), "{v}");

    let r = post(
        a,
        &format!("/api/objections/{}/conclusion", objections[1]),
        Some(OFFICER),
        &conclusion,
    )
    .await;
    ok(&r);
    // The government approves the list as the conclusions left it: not on a day before
    // the last of them (found by a review: a meeting dated 13 May was taken for a list
    // concluded on 20 May).
    let before = dump(&state);
    let v = assert_error(
        &post(a, path, Some(ADMIN), &approval).await,
        409,
        "rule_proc_approve",
    );
    assert!(
        v["message_zh"].as_str().unwrap().contains("2026-05-20"),
        "{v}"
    );
    assert_eq!(v["field"], "approved_on", "{v}");
    assert_eq!(dump(&state), before, "a refused approval stores nothing");
    let approval = json!({"approved_on": "2026-05-20", "reference": "区政府第13次常务会议"});
    let v = ok(&post(a, path, Some(ADMIN), &approval).await);
    assert_eq!(v["stage"], "approved");
    host.stop().await;
}

/// PROC-OBJECT, CAP-YEAR, BUDGET (issue 13, point 4): an enterprise's objection that its
/// own amount is too low can be upheld — its amount rises, never above what the caps allow
/// for the line and only within the budget left unallocated; a refused raise stores
/// nothing.
#[tokio::test(flavor = "multi_thread")]
async fn proc_object_a_re_review_may_raise_an_amount_within_the_caps_and_the_budget() {
    let state = TempDir::new("lawful-raise");
    // Two applications of 50,000 CNY each (50 % of 100,000 interest) on a budget of
    // 90,000: the list is scaled to 45,000 each, nothing unallocated.
    let mut tight = round(2026);
    tight["budget"] = "90000.00".into();
    let ids = submitted_in(&state, tight, 2).await;
    let host = on_notice(&state, &ids).await;
    let a = host.addr;
    let list = ok(&call(
        a,
        "GET",
        "/api/rounds/2026/allocation",
        Some(OFFICER),
        &Value::Null,
    )
    .await);
    let lines = &list["allocation"]["lines"];
    assert_eq!(lines[0]["capped_amount"], "50000.00", "{list}");
    assert_eq!(lines[0]["granted"], "45000.00", "{list}");
    assert_eq!(list["allocation"]["unallocated"], "0.00", "{list}");

    let mut own = objection(1);
    own["objector"]["relation"] = "申报企业（本企业）".into();
    own["grounds"] = "本企业的补助金额按比例压缩过多，应按核定利息足额计算。".into();
    let mut objections = Vec::new();
    for body in [own.clone(), objection(2)] {
        let v = ok(&post(a, "/api/objections", None, &body).await);
        objections.push(v["tracking_number"].as_str().unwrap().to_owned());
    }
    let conclude = |id: &str, outcome: &str, amount: Option<&str>| {
        let mut body = json!({"outcome": outcome, "reasons_zh": "经重审核实。",
                              "reasons_en": "Verified on re-review."});
        if let Some(m) = amount {
            body["new_amount"] = m.into();
        }
        (format!("/api/objections/{id}/conclusion"), body)
    };

    // BUDGET: nothing is unallocated, so the enterprise's objection cannot raise it yet.
    let before = dump(&state);
    let (path, body) = conclude(&objections[0], "upheld", Some("50000.00"));
    let v = assert_error(
        &post(a, &path, Some(OFFICER), &body).await,
        409,
        "rule_budget",
    );
    assert_eq!(v["field"], "new_amount", "{v}");
    assert_eq!(dump(&state), before, "a refused raise stores nothing");

    // Entry 2 is removed on re-review: its 45,000 are unallocated.
    let (path2, body2) = conclude(&objections[1], "upheld", None);
    assert_eq!(
        ok(&post(a, &path2, Some(OFFICER), &body2).await)["status"],
        "upheld"
    );

    // CAP-YEAR / CAP-TIMES: never above the line's capped amount, budget or not.
    let before = dump(&state);
    let (path, body) = conclude(&objections[0], "upheld", Some("50000.01"));
    assert_error(
        &post(a, &path, Some(OFFICER), &body).await,
        409,
        "rule_cap_year",
    );
    assert_eq!(dump(&state), before, "a refused raise stores nothing");

    // Within both: the amount rises to 50,000.
    let (path, body) = conclude(&objections[0], "upheld", Some("50000.00"));
    let v = ok(&post(a, &path, Some(OFFICER), &body).await);
    assert_eq!(v["status"], "upheld", "{v}");
    let list = ok(&call(
        a,
        "GET",
        "/api/rounds/2026/allocation",
        Some(OFFICER),
        &Value::Null,
    )
    .await);
    let lines = &list["allocation"]["lines"];
    assert_eq!(lines[0]["granted"], "50000.00", "{list}");
    assert_eq!(lines[1]["granted"], "0.00", "{list}");
    assert_eq!(list["allocation"]["granted_total"], "50000.00", "{list}");
    assert_eq!(list["allocation"]["unallocated"], "40000.00", "{list}");
    let reason = lines[0]["reasons"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (reason["rule"].as_str(), reason["effect"].as_str()),
        (Some("PROC-OBJECT"), Some("pass")),
        "{reason}"
    );

    // The public notice shows the raised amount and says the amount changed.
    let notice = ok(&call(a, "GET", "/api/notices/2026-proposed", None, &Value::Null).await);
    let entry = &notice["current_entries"][0];
    assert_eq!(
        (entry["amount"].as_str(), entry["status"].as_str()),
        (Some("50000.00"), Some("amended")),
        "{notice}"
    );
    let page = call(a, "GET", "/notices/2026-proposed", None, &Value::Null)
        .await
        .text();
    assert!(page.contains("异议成立，调整补助金额"), "{page}");
    host.stop().await;

    // The government approves it after the period, and 50,000 is what is paid.
    let host = App::local().at(AFTER_NOTICE).start(&state).await;
    let a = host.addr;
    let approval = json!({"approved_on": "2026-05-13", "reference": "区政府第12次常务会议"});
    ok(&post(
        a,
        "/api/rounds/2026/allocation/approval",
        Some(ADMIN),
        &approval,
    )
    .await);
    let pay = json!({"application_id": ids[0], "paid_on": "2026-05-20", "amount": "50000.00",
                     "bank_reference": "BOB-2026-0520-01"});
    let v = ok(&post(a, "/api/rounds/2026/allocation/payments", Some(ADMIN), &pay).await);
    assert_eq!(v["amount"], "50000.00", "{v}");
    host.stop().await;
}

/// Reading 9, PROC-GUIDE (issue 13, point 1): a loan the round does not cover (finally
/// repaid in the next year) is refused as a loan; the application is stored and its other
/// loan decided — 逾期不予受理 is about when the application is made.
#[tokio::test(flavor = "multi_thread")]
async fn proc_guide_a_loan_outside_the_covered_period_is_refused_alone() {
    let state = TempDir::new("lawful-loan-outside");
    let host = App::local().at(OPEN).start(&state).await;
    let a = host.addr;
    ok(&post(a, "/api/rounds", Some(ADMIN), &round(2026)).await);
    let mut body = application(1);
    let mut late = body["loans"][0].clone();
    late["contract_number"] = "HG-0001-B".into();
    late["start_date"] = "2025-03-01".into();
    late["maturity_date"] = "2026-02-28".into();
    late["final_repayment_date"] = "2026-02-27".into();
    body["loans"].as_array_mut().unwrap().push(late);

    let r = post(a, "/api/applications", None, &body).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let v = r.json();
    let d = &v["decision"];
    assert_eq!(d["outcome"], "eligible", "{d}");
    assert_eq!(d["loans"][0]["eligible"], true);
    assert_eq!(d["loans"][1]["eligible"], false);
    assert_eq!(d["loans"][1]["refused_by"], json!(["PROC-GUIDE"]));
    assert_eq!(
        d["amount"], d["loans"][0]["ceiling_amount"],
        "only the covered loan counts"
    );
    assert!(d["refused_by"].as_array().unwrap().is_empty(), "{d}");
    let id = v["id"].as_str().unwrap();
    let path = format!("/api/applications/{id}");
    let stored = call(a, "GET", &path, Some(OFFICER), &Value::Null).await;
    assert_eq!(ok(&stored)["decision"], *d);
    host.stop().await;
}

/// The public pre-check (issue 13, point 10): a refusal always names its rule — 0.01 CNY of
/// interest at 50 % gives no fen (SUB-BASE) — and a fraud finding whose ban is over is
/// said under FRAUD.
#[tokio::test(flavor = "multi_thread")]
async fn explanations_name_the_rule_of_a_zero_amount_and_an_ended_fraud_ban() {
    let state = TempDir::new("lawful-explanations");
    let host = App::local().start(&state).await;
    let a = host.addr;
    let example = e2e::root().join("shared/rules/data/example-precheck-request.json");
    let example: Value = serde_json::from_slice(&std::fs::read(example).unwrap()).unwrap();

    let mut tiny = example.clone();
    tiny["application"]["enterprise"]["industry"] = "retail".into();
    tiny["application"]["loans"][0]["interest_paid"] = "0.01".into();
    let d = ok(&post(a, "/api/precheck", None, &tiny).await);
    assert_eq!(d["outcome"], "refused", "{d}");
    assert_eq!(d["refused_by"], json!(["SUB-BASE"]), "{d}");

    let mut banned_once = example;
    banned_once["application"]["enterprise"]["fraud_findings"] =
        json!([{"kind": "false_documents", "determined_on": "2022-03-01"}]);
    let d = ok(&post(a, "/api/precheck", None, &banned_once).await);
    assert_eq!(d["outcome"], "eligible", "{d}");
    let fraud: Vec<&Value> = d["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rule"] == "FRAUD")
        .collect();
    assert_eq!(fraud.len(), 1, "{d}");
    assert_eq!(fraud[0]["effect"], "pass");
    assert!(
        fraud[0]["zh"].as_str().unwrap().contains("2025-03-01"),
        "{d}"
    );
    host.stop().await;
}

/// PROC-GUIDE (issue 13, point 8): a round opens for applications only with its guide and
/// the district government's approval of it recorded — dated before the window opens — and
/// anyone reads the guide from the round.
#[tokio::test(flavor = "multi_thread")]
async fn proc_guide_a_round_opens_only_with_its_guide_approved_and_shows_it() {
    let state = TempDir::new("lawful-guide");
    let host = App::local().at(OPEN).start(&state).await;
    let a = host.addr;
    let before = dump(&state);
    let mut no_guide = round(2026);
    no_guide.as_object_mut().unwrap().remove("guide");
    let v = assert_error(
        &post(a, "/api/rounds", Some(ADMIN), &no_guide).await,
        400,
        "invalid_field",
    );
    assert_eq!(v["field"], "guide");
    assert!(
        v["message_zh"].as_str().unwrap().contains("区政府审议通过"),
        "{v}"
    );
    let mut late = round(2026);
    late["guide"]["approval"]["approved_on"] = "2026-04-02".into();
    let v = assert_error(
        &post(a, "/api/rounds", Some(ADMIN), &late).await,
        400,
        "invalid_field",
    );
    assert_eq!(v["field"], "guide.approval.approved_on");
    let mut unlisted = round(2026);
    unlisted["guide"]["materials"] = json!([]);
    let v = assert_error(
        &post(a, "/api/rounds", Some(ADMIN), &unlisted).await,
        400,
        "invalid_field",
    );
    assert_eq!(v["field"], "guide.materials");
    assert_eq!(dump(&state), before, "no round stored");

    ok(&post(a, "/api/rounds", Some(ADMIN), &round(2026)).await);
    let v = ok(&call(a, "GET", "/api/rounds/2026", None, &Value::Null).await);
    assert_eq!(v["guide"], round(2026)["guide"], "{v}");
    assert_eq!(v["guide"]["approval"]["approved_on"], "2026-03-20");
    host.stop().await;
}

/// PROC-GUIDE, SUB-LOAN (issue 13, point 9): rounds' covered periods never overlap, and a
/// loan granted in one round is refused in another — nothing stored either time.
#[tokio::test(flavor = "multi_thread")]
async fn sub_loan_a_loan_granted_in_one_round_is_refused_in_the_next() {
    let state = TempDir::new("lawful-loan-twice");
    let host = App::local()
        .at("2025-04-15T10:00:00+08:00")
        .start(&state)
        .await;
    let a = host.addr;
    ok(&post(a, "/api/rounds", Some(ADMIN), &round(2025)).await);
    let first = fixtures::application(
        2025,
        1,
        "HG-0001",
        "manufacturing",
        fixtures::utility_model(),
        "100000.00",
    );
    let id = ok(&post(a, "/api/applications", None, &first).await)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    host.stop().await;
    let host = App::local()
        .at("2025-05-06T10:00:00+08:00")
        .start(&state)
        .await;
    let a = host.addr;
    for to in ["closed", "under_review"] {
        ok(&post(
            a,
            "/api/rounds/2025/stage",
            Some(ADMIN),
            &json!({ "to": to }),
        )
        .await);
    }
    review(a, &id).await;
    ok(&post(a, "/api/rounds/2025/allocation", Some(ADMIN), &Value::Null).await);
    host.stop().await;

    let host = App::local().at(OPEN).start(&state).await;
    let a = host.addr;
    // A 2026 round reaching back into 2024 would cover 2025's loans again.
    let mut greedy = round(2026);
    greedy["covered_period"]["from"] = "2024-07-01".into();
    let before = dump(&state);
    let v = assert_error(
        &post(a, "/api/rounds", Some(ADMIN), &greedy).await,
        409,
        "rule_proc_guide",
    );
    assert_eq!(v["items"], json!(["2025"]), "{v}");
    assert_eq!(dump(&state), before);
    ok(&post(a, "/api/rounds", Some(ADMIN), &round(2026)).await);

    // The same contract, its dates moved into 2026's covered period: refused.
    let again = fixtures::application(
        2026,
        1,
        "HG-0001",
        "manufacturing",
        fixtures::utility_model(),
        "100000.00",
    );
    let before = dump(&state);
    let v = assert_error(
        &post(a, "/api/applications", None, &again).await,
        409,
        "rule_sub_loan",
    );
    assert_eq!(v["field"], "loans[0].contract_number");
    assert!(
        v["message_zh"].as_str().unwrap().contains("2025年度"),
        "{v}"
    );
    assert_eq!(dump(&state), before, "a refused submission stores nothing");
    // Another loan of the same enterprise is welcome.
    let other = fixtures::application(
        2026,
        1,
        "HG-0002",
        "manufacturing",
        fixtures::utility_model(),
        "100000.00",
    );
    assert_eq!(post(a, "/api/applications", None, &other).await.status, 201);
    host.stop().await;
}

/// PROC-CREDIT, FRAUD (issue 13, point 2): the review judges the credit record and fraud
/// findings as they stand at the review — a major accident after the submission, entered
/// by the officer, refuses; a fraud determination after the submission stops the
/// application — while the window (PROC-LATE) stays judged at the submission.
#[tokio::test(flavor = "multi_thread")]
async fn proc_credit_and_fraud_are_judged_at_the_review_not_the_submission() {
    let state = TempDir::new("lawful-assessment");
    let ids = submitted(&state, 2).await;
    let host = under_review(&state, "2026-06-01T10:00:00+08:00").await;
    let a = host.addr;

    let mut accident = fixtures::review(2026, &["emergency_management"]);
    accident["credit_findings"] = json!([{"kind": "major_work_safety_accident",
                                          "date": "2026-05-10", "source": "区应急管理局"}]);
    let path = format!("/api/applications/{}/review", ids[0]);
    let v = ok(&post(a, &path, Some(OFFICER), &accident).await);
    assert_eq!(v["status"], "refused", "{v}");
    assert_eq!(v["decision"]["refused_by"], json!(["PROC-CREDIT"]), "{v}");
    let late: Vec<&Value> = v["decision"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rule"] == "PROC-LATE")
        .collect();
    assert_eq!(
        late[0]["effect"], "pass",
        "the window is judged at the submission"
    );

    let fraud = json!({"kind": "false_documents", "determined_on": "2026-05-08",
                       "reference": "门知执〔2026〕3号"});
    let path = format!("/api/enterprises/{}/fraud", crate::common::code(2));
    ok(&post(a, &path, Some(ADMIN), &fraud).await);
    review(a, &ids[1]).await;
    let path = format!("/api/applications/{}", ids[1]);
    let v = ok(&call(a, "GET", &path, Some(OFFICER), &Value::Null).await);
    assert_eq!(v["status"], "refused", "{v}");
    assert_eq!(v["decision"]["refused_by"], json!(["FRAUD"]), "{v}");
    host.stop().await;
}

/// FRAUD, PROC-APPROVE (issue 13, point 6): a fraud determination made after the approval
/// stops the enterprise's unpaid line, and no payment is dated before the approval —
/// nothing stored either time; the other line is paid.
#[tokio::test(flavor = "multi_thread")]
async fn fraud_after_approval_stops_payment_and_no_payment_precedes_the_approval() {
    let state = TempDir::new("lawful-payment");
    let ids = submitted(&state, 2).await;
    approved(&state, &ids).await.stop().await;

    let host = App::local()
        .at("2026-06-01T10:00:00+08:00")
        .start(&state)
        .await;
    let a = host.addr;
    let fraud = json!({"kind": "obtained_by_deception", "determined_on": "2026-05-25",
                       "reference": "门知执〔2026〕7号"});
    let path = format!("/api/enterprises/{}/fraud", crate::common::code(1));
    let v = ok(&post(a, &path, Some(ADMIN), &fraud).await);
    assert_eq!(
        v["stopped"],
        json!([ids[0]]),
        "the unpaid line is stopped: {v}"
    );
    let r = call(
        a,
        "GET",
        &format!("/api/applications/{}", ids[0]),
        Some(OFFICER),
        &Value::Null,
    )
    .await;
    assert_eq!(ok(&r)["status"], "removed");

    let pay = |id: &str, on: &str| {
        json!({"application_id": id, "paid_on": on, "amount": "50000.00",
               "bank_reference": format!("BOB-{on}-{id}")})
    };
    let path = "/api/rounds/2026/allocation/payments";
    let before = dump(&state);
    let v = assert_error(
        &post(a, path, Some(ADMIN), &pay(&ids[0], "2026-05-28")).await,
        409,
        "rule_fraud",
    );
    assert_eq!(v["items"], json!(["门知执〔2026〕7号"]), "{v}");
    let v = assert_error(
        &post(a, path, Some(ADMIN), &pay(&ids[1], "2026-05-12")).await,
        409,
        "rule_proc_approve",
    );
    assert!(
        v["message_zh"].as_str().unwrap().contains("2026-05-13"),
        "{v}"
    );
    assert_eq!(dump(&state), before, "refused payments store nothing");
    last_payment_closes_the_round(a, &ids[1]).await;
    host.stop().await;
}

/// Pays `id` (50,000.00 on 28 May 2026) and checks that this closes the round (`paid`):
/// the fraud-stopped line stays unpaid and does not keep it open.
async fn last_payment_closes_the_round(a: std::net::SocketAddr, id: &str) {
    let pay = json!({"application_id": id, "paid_on": "2026-05-28", "amount": "50000.00",
                     "bank_reference": format!("BOB-2026-05-28-{id}")});
    let v = ok(&post(a, "/api/rounds/2026/allocation/payments", Some(ADMIN), &pay).await);
    assert_eq!(v["application_id"], id);
    assert_eq!(v["round_paid"], true, "{v}");
    let r = call(a, "GET", "/api/rounds/2026", None, &Value::Null).await;
    assert_eq!(ok(&r)["stage"], "paid");
}

/// FRAUD (found by a review): a determination while the list is on notice stops the
/// enterprise's proposed line at once; the approval passes it over, and the round is paid
/// without it — a stopped line never keeps a round open.
#[tokio::test(flavor = "multi_thread")]
async fn fraud_while_on_notice_stops_the_line_and_the_round_is_paid_without_it() {
    let state = TempDir::new("lawful-fraud-on-notice");
    let ids = submitted(&state, 2).await;
    let host = on_notice(&state, &ids).await;
    let fraud = json!({"kind": "obtained_by_deception", "determined_on": "2026-05-06",
                       "reference": "门知执〔2026〕8号"});
    let path = format!("/api/enterprises/{}/fraud", crate::common::code(1));
    let v = ok(&post(host.addr, &path, Some(ADMIN), &fraud).await);
    assert_eq!(
        v["stopped"],
        json!([ids[0]]),
        "the proposed line is stopped: {v}"
    );
    host.stop().await;

    let host = App::local().at(AFTER_NOTICE).start(&state).await;
    let approval = json!({"approved_on": "2026-05-13", "reference": "区政府第12次常务会议"});
    let path = "/api/rounds/2026/allocation/approval";
    let v = ok(&post(host.addr, path, Some(ADMIN), &approval).await);
    let approved: Vec<&str> = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["application_id"].as_str().unwrap())
        .collect();
    assert_eq!(approved, [ids[1].as_str()], "{v}");
    host.stop().await;

    let host = App::local()
        .at("2026-06-01T10:00:00+08:00")
        .start(&state)
        .await;
    last_payment_closes_the_round(host.addr, &ids[1]).await;
    host.stop().await;
}

/// PROC-OBJECT (found by a review): an objection is received only while the list is on
/// notice, judged again inside its write — one stamped inside the period that lands after
/// the approval committed (here: a host whose clock is still inside the period) is refused.
#[tokio::test(flavor = "multi_thread")]
async fn proc_object_no_objection_is_received_once_the_list_is_approved() {
    let state = TempDir::new("lawful-objection-after-approval");
    let ids = submitted(&state, 2).await;
    approved(&state, &ids).await.stop().await;

    let host = App::local().at(IN_NOTICE).start(&state).await;
    let before = dump(&state);
    let r = post(host.addr, "/api/objections", None, &objection(1)).await;
    assert_error(&r, 409, "outside_notice_period");
    assert_eq!(dump(&state), before, "a refused objection stores nothing");
    host.stop().await;
}

/// FRAUD, DISCLOSE, reading 4 (issue 13, point 6): the clawback (全额追回) is an account —
/// a determination makes every earlier subsidy due back in full, one claim each (the
/// payment made here by its id); money received back is recorded against a claim with
/// date and reference, never above the balance or before the determination (nothing
/// stored when refused); a settled subsidy is marked recovered and still counts as a time;
/// the public disclosure shows the recoveries beside the payments.
#[tokio::test(flavor = "multi_thread")]
async fn fraud_recovery_is_an_account_claim_by_claim_disclosed_beside_payments() {
    let state = TempDir::new("lawful-recovery");
    let ids = submitted(&state, 2).await;
    let host = approved(&state, &ids).await;
    let a = host.addr;
    for id in &ids {
        let pay = json!({"application_id": id, "paid_on": "2026-05-18", "amount": "50000.00",
                         "bank_reference": format!("BOB-0518-{id}")});
        ok(&post(a, "/api/rounds/2026/allocation/payments", Some(ADMIN), &pay).await);
    }
    let code = crate::common::code(2);
    let enterprise = format!("/api/enterprises/{code}");
    let earlier =
        json!({"records": [{"year": 2024, "amount": "70000.00", "reference": "门知〔2024〕5号"}]});
    ok(&post(a, &format!("{enterprise}/history"), Some(OFFICER), &earlier).await);
    host.stop().await;

    let host = App::local()
        .at("2026-06-15T10:00:00+08:00")
        .start(&state)
        .await;
    let a = host.addr;
    let fraud = json!({"kind": "false_documents", "determined_on": "2026-06-01",
                       "reference": "门知执〔2026〕9号"});
    let v = ok(&post(a, &format!("{enterprise}/fraud"), Some(ADMIN), &fraud).await);
    assert_eq!(v["to_recover"], "120000.00", "{v}");
    assert_eq!(v["stopped"], json!([]), "{v}");
    let claims = v["recovery"]["claims"].as_array().unwrap().clone();
    let owed: Vec<(i64, &str, &str)> = claims
        .iter()
        .map(|c| {
            (
                c["year"].as_i64().unwrap(),
                c["subsidy"].as_str().unwrap(),
                c["due"].as_str().unwrap(),
            )
        })
        .collect();
    let paid_here = format!("PAY-{}", ids[1]);
    assert_eq!(
        owed,
        [
            (2024, "门知〔2024〕5号", "70000.00"),
            (2026, paid_here.as_str(), "50000.00")
        ]
    );
    assert_eq!(v["recovery"]["outstanding"], "120000.00", "{v}");
    let claim = claims[1]["id"].as_i64().unwrap();

    let recoveries = format!("{enterprise}/recoveries");
    let received = |on: &str, amount: &str| json!({"claim_id": claim, "received_on": on, "amount": amount, "reference": "缴款书 2026-0001"});
    let v = ok(&post(
        a,
        &recoveries,
        Some(ADMIN),
        &received("2026-06-10", "20000.00"),
    )
    .await);
    assert_eq!(v["recovery"]["claims"][1]["outstanding"], "30000.00", "{v}");
    assert_eq!(
        v["recovery"]["claims"][1]["received"][0]["reference"], "缴款书 2026-0001",
        "{v}"
    );

    let before = dump(&state);
    let e = assert_error(
        &post(
            a,
            &recoveries,
            Some(ADMIN),
            &received("2026-06-12", "30000.01"),
        )
        .await,
        409,
        "rule_fraud",
    );
    assert_eq!(e["field"], "amount", "{e}");
    let e = assert_error(
        &post(a, &recoveries, Some(ADMIN), &received("2026-05-31", "1.00")).await,
        409,
        "rule_fraud",
    );
    assert_eq!(e["field"], "received_on", "{e}");
    assert_error(
        &post(a, &recoveries, Some(ADMIN), &received("2026-06-12", "0.00")).await,
        400,
        "invalid_field",
    );
    let other = format!("/api/enterprises/{}/recoveries", crate::common::code(1));
    assert_error(
        &post(a, &other, Some(ADMIN), &received("2026-06-12", "1.00")).await,
        404,
        "not_found",
    );
    assert_error(
        &post(
            a,
            &recoveries,
            Some(OFFICER),
            &received("2026-06-12", "1.00"),
        )
        .await,
        403,
        "forbidden",
    );
    assert_eq!(dump(&state), before, "a refused recovery stores nothing");

    let v = ok(&post(
        a,
        &recoveries,
        Some(ADMIN),
        &received("2026-06-12", "30000.00"),
    )
    .await);
    assert_eq!(v["recovery"]["claims"][1]["outstanding"], "0.00", "{v}");
    assert_eq!(v["recovery"]["outstanding"], "70000.00", "{v}");
    // Reading 4: both subsidies stay in the history (two times); the settled one is marked.
    let history: Vec<(i64, bool)> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["year"].as_i64().unwrap(),
                h["recovered"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(history, [(2024, false), (2026, true)], "{v}");

    // A second determination claims nothing twice.
    let again = json!({"kind": "ip_infringement", "determined_on": "2026-06-14", "reference": "门知执〔2026〕10号"});
    let v = ok(&post(a, &format!("{enterprise}/fraud"), Some(ADMIN), &again).await);
    assert_eq!(v["to_recover"], "0.00", "{v}");
    assert_eq!(v["recovery"]["claims"].as_array().unwrap().len(), 2, "{v}");

    // DISCLOSE: the payments stand, the recoveries beside them, without the receipts.
    let d = ok(&call(a, "GET", "/api/disclosure", None, &Value::Null).await);
    assert_eq!(d["total"], "100000.00", "{d}");
    let r = &d["recoveries"];
    assert_eq!(
        (
            r["due"].as_str(),
            r["recovered"].as_str(),
            r["outstanding"].as_str()
        ),
        (Some("120000.00"), Some("50000.00"), Some("70000.00")),
        "{d}"
    );
    let c = &r["claims"][1];
    assert_eq!(c["enterprise_code"], code.as_str(), "{d}");
    assert_eq!(c["subsidy"], paid_here.as_str(), "{d}");
    assert_eq!(
        c["received"],
        json!([{"received_on": "2026-06-10", "amount": "20000.00"},
                                     {"received_on": "2026-06-12", "amount": "30000.00"}]),
        "{d}"
    );
    assert!(
        !d.to_string().contains("缴款书"),
        "receipts stay with the office: {d}"
    );
    host.stop().await;
}

/// PROC-REVIEW (issue 13, point 7): a review shows that its checks were made. With a
/// department's answer awaited and no credit report, the decision is provisional, says
/// what is missing, and the application stays undecided (the list waits for it); complete,
/// it is final.
#[tokio::test(flavor = "multi_thread")]
async fn proc_review_is_final_only_with_every_answer_and_the_credit_report() {
    let state = TempDir::new("lawful-review-record");
    let ids = submitted(&state, 1).await;
    let host = under_review(&state, IN_NOTICE).await;
    let a = host.addr;
    let path = format!("/api/applications/{}/review", ids[0]);

    let mut partial = fixtures::review(2026, &["tax", "market_supervision"]);
    partial["opinions"][1]
        .as_object_mut()
        .unwrap()
        .remove("answered_on");
    partial.as_object_mut().unwrap().remove("credit_report");
    let v = ok(&post(a, &path, Some(OFFICER), &partial).await);
    assert_eq!(v["status"], "submitted", "{v}");
    assert_eq!(v["decision"]["provisional"], true);
    let said: String = v["decision"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rule"] == "PROC-REVIEW")
        .map(|r| r["zh"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        said.contains("区市场监管局的意见") && said.contains("信用报告"),
        "{said}"
    );
    assert!(!said.contains("均已答复且无异议"), "{said}");
    let r = post(a, "/api/rounds/2026/allocation", Some(ADMIN), &Value::Null).await;
    assert_eq!(
        assert_error(&r, 409, "rule_proc_review")["items"],
        json!([ids[0]])
    );

    // Another department is named; an objection needs the day it was made.
    let mut unnamed = fixtures::review(2026, &["other"]);
    unnamed["opinions"][0]["objects"] = true.into();
    unnamed["opinions"][0]
        .as_object_mut()
        .unwrap()
        .remove("answered_on");
    let v = assert_error(
        &post(a, &path, Some(OFFICER), &unnamed).await,
        400,
        "invalid_field",
    );
    assert_eq!(v["field"], "opinions[0].name", "{v}");

    let v = ok(&post(
        a,
        &path,
        Some(OFFICER),
        &fixtures::review(2026, &["tax", "market_supervision"]),
    )
    .await);
    assert_eq!(v["status"], "eligible", "{v}");
    assert_eq!(v["decision"]["provisional"], false);
    ok(&post(a, "/api/rounds/2026/allocation", Some(ADMIN), &Value::Null).await);
    host.stop().await;
}

/// PROC-APPROVE (issue 13, point 5): the government approves the list with one project
/// reduced and one rejected; its decision is recorded per line, and only what it approved
/// is paid — the rejected line never, the reduced one its new amount.
#[tokio::test(flavor = "multi_thread")]
async fn proc_approve_the_government_rules_line_by_line_and_only_that_is_paid() {
    let state = TempDir::new("lawful-line-approval");
    let ids = submitted(&state, 3).await;
    let host = on_notice(&state, &ids).await;
    host.stop().await;

    let host = App::local().at(AFTER_NOTICE).start(&state).await;
    let a = host.addr;
    let path = "/api/rounds/2026/allocation/approval";
    let mut approval = json!({
        "approved_on": "2026-05-13", "reference": "区政府第12次常务会议",
        "lines": [
            {"application_id": ids[1], "decision": "reduced", "amount": "50000.00"},
            {"application_id": ids[2], "decision": "rejected", "note": "质押专利已失效"}
        ]
    });
    let before = dump(&state);
    let v = assert_error(
        &post(a, path, Some(ADMIN), &approval).await,
        400,
        "invalid_field",
    );
    assert_eq!(v["field"], "lines[0].amount", "a reduction lowers: {v}");
    assert_eq!(dump(&state), before, "nothing stored");
    approval["lines"][0]["amount"] = "30000.00".into();
    let v = ok(&post(a, path, Some(ADMIN), &approval).await);
    let amounts: Vec<(&str, &str)> = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["decision"].as_str().unwrap(),
                l["amount"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        amounts,
        [
            ("approved", "50000.00"),
            ("reduced", "30000.00"),
            ("rejected", "0.00")
        ],
        "{v}"
    );
    host.stop().await;

    let host = App::local()
        .at("2026-06-01T10:00:00+08:00")
        .start(&state)
        .await;
    let a = host.addr;
    let pay = |id: &str, amount: &str| {
        json!({"application_id": id, "paid_on": "2026-05-28", "amount": amount,
               "bank_reference": format!("BOB-{id}")})
    };
    let path = "/api/rounds/2026/allocation/payments";
    let r = post(a, path, Some(ADMIN), &pay(&ids[2], "50000.00")).await;
    assert_eq!(assert_error(&r, 409, "conflict")["field"], "application_id");
    let r = post(a, path, Some(ADMIN), &pay(&ids[1], "50000.00")).await;
    assert_eq!(assert_error(&r, 400, "invalid_field")["field"], "amount");
    ok(&post(a, path, Some(ADMIN), &pay(&ids[1], "30000.00")).await);
    let v = ok(&post(a, path, Some(ADMIN), &pay(&ids[0], "50000.00")).await);
    assert_eq!(
        v["round_paid"], true,
        "the rejected line does not hold the round open"
    );

    let csv = call(
        a,
        "GET",
        "/api/rounds/2026/allocation/export.csv?list=approved",
        Some(OFFICER),
        &Value::Null,
    )
    .await;
    let csv = csv.text();
    assert!(csv.contains(&ids[1]) && csv.contains("30000.00"), "{csv}");
    assert!(
        !csv.contains(&ids[2]),
        "the rejected line is not on the approved list: {csv}"
    );
    host.stop().await;
}

/// PROC-CREDIT (issue 13, point 2): officers keep a register of credit findings — add,
/// correct, mark repaired, withdraw — each change audited with its reason; the review
/// decides on the findings not withdrawn, as they stand at the review.
#[tokio::test(flavor = "multi_thread")]
async fn proc_credit_findings_are_registered_corrected_repaired_and_withdrawn() {
    let state = TempDir::new("lawful-credit-register");
    let ids = submitted(&state, 1).await;
    let host = under_review(&state, "2026-06-01T10:00:00+08:00").await;
    let a = host.addr;
    let code = crate::common::code(1);
    let register = format!("/api/enterprises/{code}/credit-findings");

    let bad = json!({"kind": "serious_bad_credit_record", "date": "2025-11-03",
                     "source": "信用中国（北京）"});
    assert_error(&post(a, &register, None, &bad).await, 401, "unauthorized");
    let v = ok(&post(a, &register, Some(OFFICER), &bad).await);
    let id = v["id"].as_i64().unwrap();
    assert_eq!(v["counts"], true);
    let path = format!("/api/applications/{}/review", ids[0]);
    let v = ok(&post(a, &path, Some(OFFICER), &fixtures::review(2026, &["tax"])).await);
    assert_eq!(v["decision"]["refused_by"], json!(["PROC-CREDIT"]), "{v}");

    // Repaired on 20 May: no longer counts at the review of 1 June.
    let one = format!("{register}/{id}");
    let before = dump(&state);
    for (body, field) in [
        (json!({"action": "repair", "reason": "修复"}), "repaired_on"),
        (
            json!({"action": "withdraw", "kind": "tax_non_compliance", "reason": "误录"}),
            "kind",
        ),
        (
            json!({"action": "correct", "date": "2025-11-04", "source": "区税务局", "reason": "更正"}),
            "kind",
        ),
    ] {
        let v = assert_error(
            &post(a, &one, Some(OFFICER), &body).await,
            400,
            "invalid_field",
        );
        assert_eq!(v["field"], field, "{body}: {v}");
    }
    assert_eq!(dump(&state), before, "a malformed change stores nothing");
    let repair = json!({"action": "repair", "repaired_on": "2026-05-20",
                        "reason": "信用中国（北京）已完成信用修复"});
    assert_eq!(
        ok(&post(a, &one, Some(OFFICER), &repair).await)["repaired_on"],
        "2026-05-20"
    );
    let v = ok(&post(a, &path, Some(OFFICER), &fixtures::review(2026, &["tax"])).await);
    assert_eq!(v["status"], "eligible", "{v}");

    // Corrected, then withdrawn as entered in error; a withdrawn finding changes no more.
    let correct = json!({"action": "correct", "kind": "tax_non_compliance",
                         "date": "2025-11-04", "source": "区税务局", "reason": "录入有误"});
    assert_eq!(
        ok(&post(a, &one, Some(OFFICER), &correct).await)["kind"],
        "tax_non_compliance"
    );
    let v = ok(&post(a, &path, Some(OFFICER), &fixtures::review(2026, &["tax"])).await);
    assert_eq!(
        v["decision"]["refused_by"],
        json!(["PROC-CREDIT"]),
        "a tax finding in the period counts: {v}"
    );
    let withdraw = json!({"action": "withdraw", "reason": "系其他企业的记录，误录"});
    assert_eq!(
        ok(&post(a, &one, Some(OFFICER), &withdraw).await)["counts"],
        false
    );
    let before = dump(&state);
    assert_error(
        &post(a, &one, Some(OFFICER), &repair).await,
        409,
        "conflict",
    );
    assert_eq!(dump(&state), before);
    let v = ok(&post(a, &path, Some(OFFICER), &fixtures::review(2026, &["tax"])).await);
    assert_eq!(v["status"], "eligible", "{v}");

    // The register shows it, withdrawn; the audit log has every change with its reason.
    let v = ok(&call(
        a,
        "GET",
        &format!("/api/enterprises/{code}"),
        Some(OFFICER),
        &Value::Null,
    )
    .await);
    assert!(v["credit_findings"][0]["withdrawn_at"].is_string(), "{v}");
    let db = crate::common::db(&state);
    let actions: Vec<(String, String)> = db
        .prepare("SELECT action, detail_json FROM audit_log WHERE subject = ?1 ORDER BY id")
        .unwrap()
        .query_map([format!("credit_finding:{id}")], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let names: Vec<&str> = actions.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        names,
        [
            "credit_finding.add",
            "credit_finding.repair",
            "credit_finding.correct",
            "credit_finding.withdraw"
        ]
    );
    assert!(actions[3].1.contains("误录"), "{actions:?}");
    let r = post(a, &format!("{register}/999"), Some(OFFICER), &withdraw).await;
    assert_error(&r, 404, "not_found");
    host.stop().await;
}

/// SUB-LOAN (issue 14's critical finding): one loan is counted once however its contract
/// number is written — case, full-width forms, dashes of every kind, dots, invisible and
/// bidirectional characters — and twice in one application is refused too.
#[tokio::test(flavor = "multi_thread")]
async fn sub_loan_one_loan_is_counted_once_however_its_number_is_written() {
    let state = TempDir::new("lawful-loan-identity");
    let host = App::local().at(OPEN).start(&state).await;
    let a = host.addr;
    ok(&post(a, "/api/rounds", Some(ADMIN), &round(2026)).await);
    let with_contract = |contract: &str| {
        fixtures::application(
            2026,
            9,
            contract,
            "manufacturing",
            fixtures::utility_model(),
            "100000.00",
        )
    };
    ok(&post(a, "/api/applications", None, &with_contract("JK-0900")).await);
    let before = dump(&state);
    for written in [
        "jk-0900",
        "JK-0900.",
        "JK\u{FF0D}0900",
        "JK\u{2013}0900",
        "ＪＫ－０９００",
        // NFKC beyond full-width (issue 14): circled letters and digits, mathematical bold.
        "\u{24BF}\u{24C0}-\u{24EA}\u{2468}\u{24EA}\u{24EA}",
        "\u{1D409}\u{1D40A}-0900",
    ] {
        let r = post(a, "/api/applications", None, &with_contract(written)).await;
        let v = assert_error(&r, 409, "rule_sub_loan");
        assert_eq!(v["field"], "loans[0].contract_number", "{written:?}: {v}");
    }
    // An invisible character is refused before the loan is even compared.
    let r = post(
        a,
        "/api/applications",
        None,
        &with_contract("JK-0900\u{200B}"),
    )
    .await;
    let v = assert_error(&r, 400, "invalid_field");
    assert_eq!(v["field"], "loans[0].contract_number", "{v}");
    assert!(v["message_zh"].as_str().unwrap().contains("U+200B"), "{v}");
    assert_eq!(dump(&state), before, "none of the eight is stored");
    let mut twice = with_contract("JK-0901");
    let again = twice["loans"][0].clone();
    let mut again = again;
    again["contract_number"] = "jk 0901".into();
    twice["loans"].as_array_mut().unwrap().push(again);
    let v = assert_error(
        &post(a, "/api/applications", None, &twice).await,
        400,
        "invalid_field",
    );
    assert_eq!(v["field"], "loans[1].contract_number");
    // A number of dashes and dots alone names no loan.
    let r = post(a, "/api/applications", None, &with_contract("—-.")).await;
    assert_eq!(
        assert_error(&r, 400, "invalid_field")["field"],
        "loans[0].contract_number"
    );
    assert_eq!(dump(&state), before);
    host.stop().await;
}

/// The audit log's actions, in the order they were written.
fn audited_actions(state: &TempDir) -> Vec<String> {
    let c = crate::common::db(state);
    let mut stmt = c
        .prepare("SELECT action FROM audit_log ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Sends `requests` (path, token, body) at once, each on its own task, and answers them
/// in the order given.
async fn all_at_once(
    a: std::net::SocketAddr,
    requests: Vec<(String, &'static str, Value)>,
) -> Vec<Answer> {
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|(path, token, body)| {
            tokio::spawn(async move { call(a, "POST", &path, Some(token), &body).await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    answers
}

/// PROC-OBJECT, PROC-APPROVE (issue 14): a re-review conclusion sent at the same moment as
/// several approvals of the list. Whatever the order the database sees them in, no approval
/// acts on the list as it stood before the conclusion: an approval is refused while the
/// objection is open, at most one succeeds, and what it approves is the amount the
/// conclusion set. The stage is read inside each action's own transaction.
#[tokio::test(flavor = "multi_thread")]
async fn proc_object_a_conclusion_racing_approvals_is_never_overtaken_by_them() {
    let state = TempDir::new("lawful-race-conclusion");
    let ids = submitted(&state, 2).await;
    let host = on_notice(&state, &ids).await;
    let filed = ok(&post(host.addr, "/api/objections", None, &objection(1)).await);
    let number = filed["tracking_number"].as_str().unwrap().to_owned();
    host.stop().await;

    let host = App::local().at(AFTER_NOTICE).start(&state).await;
    let a = host.addr;
    // Dated the day of the conclusion: never before it (PROC-APPROVE).
    let approval = json!({"approved_on": "2026-05-20", "reference": "区政府第12次常务会议"});
    let conclusion = json!({"outcome": "partly_upheld", "new_amount": "40000.00",
                            "reasons_zh": "经核查，核减部分利息。", "reasons_en": "On checking, part of the interest is not counted."});
    let mut requests = vec![(
        format!("/api/objections/{number}/conclusion"),
        OFFICER,
        conclusion,
    )];
    for _ in 0..6 {
        requests.push((
            "/api/rounds/2026/allocation/approval".to_owned(),
            ADMIN,
            approval.clone(),
        ));
    }
    let answers = all_at_once(a, requests).await;
    assert_eq!(answers[0].status, 200, "{}", answers[0].text());
    let approved: Vec<&Answer> = answers[1..].iter().filter(|r| r.status == 200).collect();
    assert!(approved.len() <= 1, "approved twice");
    for r in answers[1..].iter().filter(|r| r.status != 200) {
        let code =
            assert_error(r, 409, r.json()["error"]["code"].as_str().unwrap())["code"].clone();
        assert!(
            matches!(code.as_str(), Some("rule_proc_object" | "rule_proc_guide")),
            "{}",
            r.text()
        );
    }
    let v = match approved.first() {
        Some(r) => r.json(),
        None => ok(&post(
            a,
            "/api/rounds/2026/allocation/approval",
            Some(ADMIN),
            &approval,
        )
        .await),
    };
    let line = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["application_id"] == ids[0].as_str())
        .cloned()
        .unwrap();
    assert_eq!(
        line["amount"], "40000.00",
        "the approval saw the conclusion: {v}"
    );
    let actions = audited_actions(&state);
    let concluded = actions.iter().position(|x| x == "conclude_objection");
    let approved = actions.iter().position(|x| x == "round.approve");
    assert!(concluded < approved, "{actions:?}");
    host.stop().await;
}

/// BUDGET, PROC-NOTICE (issue 14): the list computed again at the moment it is published.
/// Each computation lands before the publication (and the notice shows the latest list) or
/// is refused; none lands after it, so the published list is never replaced behind the
/// notice.
#[tokio::test(flavor = "multi_thread")]
async fn budget_allocations_racing_the_publication_never_replace_a_published_list() {
    let state = TempDir::new("lawful-race-publication");
    let ids = submitted(&state, 2).await;
    let host = under_review(&state, IN_NOTICE).await;
    let a = host.addr;
    for id in &ids {
        review(a, id).await;
    }
    ok(&post(a, "/api/rounds/2026/allocation", Some(ADMIN), &Value::Null).await);
    let publish = json!({"kind": "proposed_list", "round_year": 2026});
    let mut requests = vec![("/api/notices".to_owned(), OFFICER, publish)];
    for _ in 0..6 {
        requests.push(("/api/rounds/2026/allocation".to_owned(), ADMIN, Value::Null));
    }
    let answers = all_at_once(a, requests).await;
    assert_eq!(answers[0].status, 201, "{}", answers[0].text());
    // 201: a new version; 200: the same list again, nothing stored; 409: the round is on
    // notice.
    for r in &answers[1..] {
        if !matches!(r.status, 200 | 201) {
            assert_error(r, 409, "rule_budget");
        }
    }
    let actions = audited_actions(&state);
    let published = actions
        .iter()
        .position(|x| x == "publish_notice")
        .expect("published");
    assert!(
        !actions[published..]
            .iter()
            .any(|x| x == "allocation.compute"),
        "a list computed after its publication: {actions:?}"
    );
    let computed = 1 + answers[1..].iter().filter(|r| r.status == 201).count();
    assert_eq!(
        actions
            .iter()
            .filter(|x| *x == "allocation.compute")
            .count(),
        computed
    );
    // The notice shows the latest version, which is the one the round holds.
    let latest = ok(&call(
        a,
        "GET",
        "/api/rounds/2026/allocation",
        Some(OFFICER),
        &Value::Null,
    )
    .await);
    assert_eq!(latest["version"], computed as u64, "{latest}");
    let notice = ok(&call(a, "GET", "/api/notices/2026-proposed", None, &Value::Null).await);
    let listed: Vec<&Value> = notice["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["amount"])
        .collect();
    let granted: Vec<&Value> = latest["allocation"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["granted"])
        .collect();
    assert_eq!(listed, granted);
    host.stop().await;
}
