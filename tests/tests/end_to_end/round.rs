//! A whole round through the local host over real HTTP (issue 4): creation, a dozen
//! enterprises applying, review, allocation over budget, notice, approval, payment,
//! exports and disclosure; bad input everywhere; concurrent submissions; restarts.

use e2e::app::{ADMIN, App, OFFICER, Runtime};
use e2e::{Answer, TempDir, fixtures, get, request};
use serde_json::{Value, json};
use std::net::SocketAddr;

const JSON: (&str, &str) = ("content-type", "application/json");

async fn call(
    a: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &Value,
) -> Answer {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![JSON];
    if let Some(h) = &auth {
        headers.push(("authorization", h.as_str()));
    }
    let bytes = if body.is_null() {
        Vec::new()
    } else {
        body.to_string().into_bytes()
    };
    request(a, method, path, &headers, &bytes)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

fn assert_error(r: &Answer, status: u16, code: &str) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    let v = r.json();
    assert_eq!(v["error"]["code"], code, "{v}");
    assert!(!v["error"]["message_zh"].as_str().unwrap_or("").is_empty());
    assert!(!v["error"]["message_en"].as_str().unwrap_or("").is_empty());
    v
}

fn code(n: u32) -> String {
    fixtures::credit_code(n)
}

fn round_body() -> Value {
    fixtures::round(2026)
}

/// An application: one bank loan repaid on time in 2025, the given pledge and interest.
fn application(n: u32, industry: &str, right: Value, interest: &str) -> Value {
    fixtures::application(2026, n, &format!("JK-{n:04}"), industry, right, interest)
}

use fixtures::{invention, utility_model as utility, well_known_trademark as well_known};

async fn count(a: SocketAddr) -> usize {
    let r = call(
        a,
        "GET",
        "/api/applications?round=2026",
        Some(OFFICER),
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["applications"].as_array().unwrap().len()
}

e2e::on_both_hosts! {
async fn a_round_from_creation_to_payment_with_a_dozen_enterprises(rt) {
    let state = TempDir::new("round-life");
    let host = App::on(rt).at("2026-04-15T10:00:00+08:00").start(&state).await;
    let a = host.addr;

    // PROC-GUIDE: an administrator creates the round; the officer's token is not enough.
    assert_error(
        &call(a, "POST", "/api/rounds", None, &round_body()).await,
        401,
        "unauthorized",
    );
    assert_error(
        &call(a, "POST", "/api/rounds", Some(OFFICER), &round_body()).await,
        403,
        "forbidden",
    );
    let r = call(a, "POST", "/api/rounds", Some(ADMIN), &round_body()).await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["stage"], "open");
    assert_eq!(r.json()["fee_cny"], "0.00", "PROC-FREE");
    assert_eq!(get(a, "/api/rounds/current").await.json()["year"], 2026);

    // History: E5 had three subsidies before; E6 was found to have cheated (FRAUD).
    let r = call(a, "POST", &format!("/api/enterprises/{}/history", code(5)), Some(OFFICER),
        &json!({"records": [{"year": 2022, "amount": "50000.00"}, {"year": 2023, "amount": "60000.00"},
                            {"year": 2024, "amount": "70000.00"}]})).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let r = call(
        a,
        "POST",
        &format!("/api/enterprises/{}/history", code(6)),
        Some(OFFICER),
        &json!({"records": [{"year": 2024, "amount": "80000.00"}]}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let r = call(a, "POST", &format!("/api/enterprises/{}/fraud", code(6)), Some(ADMIN),
        &json!({"kind": "false_documents", "determined_on": "2025-06-01", "reference": "门知罚〔2025〕3号"})).await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        r.json()["to_recover"],
        "80000.00",
        "FRAUD: all subsidy paid"
    );
    assert_eq!(r.json()["may_apply_from"], "2028-06-01");

    // A dozen enterprises apply.
    let apps = vec![
        (
            1,
            application(1, "artificial_intelligence", invention(), "200000.00"),
        ), // 120,000 (SUB-KEY)
        (2, application(2, "manufacturing", utility(), "100000.00")), // 50,000 (SUB-BASE)
        (
            3,
            application(3, "manufacturing", well_known(), "150000.00"),
        ), // 90,000 (SUB-KEY)
        (4, application(4, "manufacturing", utility(), "100000.00")), // refused on review (PROC-CREDIT)
        (5, application(5, "manufacturing", utility(), "100000.00")), // fourth time (CAP-TIMES)
        (7, application(7, "manufacturing", utility(), "800000.00")), // 400,000 → 300,000 (CAP-YEAR)
        (8, application(8, "manufacturing", utility(), "200000.00")),
        (9, application(9, "manufacturing", utility(), "200000.00")),
        (10, application(10, "manufacturing", utility(), "200000.00")),
        (11, application(11, "manufacturing", utility(), "200000.00")),
        (12, application(12, "manufacturing", utility(), "200000.00")),
    ];
    let mut receipts = std::collections::BTreeMap::new();
    for (n, body) in &apps {
        let r = call(a, "POST", "/api/applications", None, body).await;
        assert_eq!(r.status, 201, "E{n}: {}", r.text());
        let v = r.json();
        assert_eq!(v["fee_cny"], "0.00");
        receipts.insert(
            *n,
            (
                v["id"].as_str().unwrap().to_owned(),
                v["receipt_token"].as_str().unwrap().to_owned(),
            ),
        );
        if *n == 5 {
            assert_eq!(v["decision"]["refused_by"], json!(["CAP-TIMES"]));
        }
        if *n == 7 {
            assert_eq!(v["decision"]["amount"], "300000.00");
        }
    }
    // FRAUD: the barred enterprise's application is not accepted.
    let r = call(
        a,
        "POST",
        "/api/applications",
        None,
        &application(6, "manufacturing", utility(), "1000.00"),
    )
    .await;
    let v = assert_error(&r, 409, "rule_fraud");
    assert!(
        v["error"]["message_en"]
            .as_str()
            .unwrap()
            .contains("2028-06-01"),
        "{v}"
    );
    // The same loan contract twice in one round is refused (SUB-LOAN), without telling the
    // caller the number of the application that holds it.
    let r = call(a, "POST", "/api/applications", None, &apps[0].1).await;
    let v = assert_error(&r, 409, "rule_sub_loan");
    assert_eq!(v["error"]["field"], "loans[0].contract_number");
    assert!(!r.text().contains("MTG-2026-"), "{v}");
    assert_eq!(count(a).await, 11);

    // Idempotency-Key: a retry gets the first answer again, with the same token.
    let body = application(13, "manufacturing", utility(), "2000.00").to_string();
    let h = [JSON, ("idempotency-key", "retry-13-abc")];
    let first = request(a, "POST", "/api/applications", &h, body.as_bytes())
        .await
        .unwrap();
    let again = request(a, "POST", "/api/applications", &h, body.as_bytes())
        .await
        .unwrap();
    assert_eq!(first.status, 201);
    assert_eq!(again.status, 201);
    assert_eq!(first.json()["id"], again.json()["id"]);
    assert_eq!(first.json()["decision"], again.json()["decision"]);
    let id13 = again.json()["id"].as_str().unwrap().to_owned();
    let token13 = again.json()["receipt_token"].as_str().unwrap().to_owned();
    assert_eq!(first.json()["receipt_token"], token13.as_str(), "the same token again");
    // The enterprise's key with a different application of its own.
    let other = application(13, "manufacturing", utility(), "2100.00").to_string();
    let r = request(a, "POST", "/api/applications", &h, other.as_bytes())
        .await
        .unwrap();
    assert_error(&r, 422, "idempotency_key_reused");
    assert_eq!(count(a).await, 12);

    // The receipt token opens its own application, nothing else.
    let (id1, t1) = receipts[&1].clone();
    let r = call(
        a,
        "GET",
        &format!("/api/applications/{id1}"),
        Some(&t1),
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["decision"]["amount"], "120000.00");
    let (id2, _) = receipts[&2].clone();
    assert_error(
        &call(
            a,
            "GET",
            &format!("/api/applications/{id2}"),
            Some(&t1),
            &Value::Null,
        )
        .await,
        403,
        "forbidden",
    );
    assert_error(
        &call(
            a,
            "GET",
            &format!("/api/applications/{id2}"),
            None,
            &Value::Null,
        )
        .await,
        401,
        "unauthorized",
    );
    assert_error(
        &call(
            a,
            "GET",
            "/api/applications?round=2026",
            Some(&t1),
            &Value::Null,
        )
        .await,
        403,
        "forbidden",
    );

    // Documents: PDF, JPEG or PNG by content, stored with their SHA-256.
    let auth13 = format!("Bearer {token13}");
    let pdf = b"%PDF-1.4\n% a loan contract\n";
    let r = request(
        a,
        "POST",
        &format!("/api/applications/{id13}/documents?kind=loan_contract"),
        &[
            ("authorization", &auth13),
            ("content-type", "application/pdf"),
        ],
        pdf,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["sha256"].as_str().unwrap().len(), 64);
    let r = request(
        a,
        "POST",
        &format!("/api/applications/{id13}/documents?kind=loan_contract"),
        &[
            ("authorization", &auth13),
            ("content-type", "application/pdf"),
        ],
        b"MZ not a pdf",
    )
    .await
    .unwrap();
    assert_error(&r, 415, "unsupported_document");
    // Withdrawn while the window is open.
    let r = call(
        a,
        "POST",
        &format!("/api/applications/{id13}/withdraw"),
        Some(&token13),
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    host.stop().await;

    // ---- After the window: late applications refused; review (data survives the restart).
    let host = App::on(rt).at("2026-05-06T10:00:00+08:00").start(&state).await;
    let a = host.addr;
    let r = call(
        a,
        "POST",
        "/api/applications",
        None,
        &application(20, "manufacturing", utility(), "1000.00"),
    )
    .await;
    assert_error(&r, 409, "rule_proc_late");
    assert_eq!(count(a).await, 12);
    for to in ["closed", "under_review"] {
        let r = call(
            a,
            "POST",
            "/api/rounds/2026/stage",
            Some(ADMIN),
            &json!({"to": to}),
        )
        .await;
        assert_eq!(r.status, 200, "{to}: {}", r.text());
    }
    let r = call(
        a,
        "POST",
        "/api/rounds/2026/stage",
        Some(ADMIN),
        &json!({"to": "paid"}),
    )
    .await;
    assert_error(&r, 400, "invalid_field");
    let no_objection = ["market_supervision", "tax", "emergency_management"];
    for (n, (id, _)) in &receipts {
        let mut review = fixtures::review(2026, &no_objection);
        if *n == 4 {
            review["credit_findings"] =
                json!([{"kind": "tax_non_compliance", "date": "2025-08-01", "source": "区税务局"}]);
        }
        let r = call(
            a,
            "POST",
            &format!("/api/applications/{id}/review"),
            Some(OFFICER),
            &review,
        )
        .await;
        assert_eq!(r.status, 200, "E{n}: {}", r.text());
        let v = r.json();
        match n {
            4 => assert_eq!(v["decision"]["refused_by"], json!(["PROC-CREDIT"])),
            5 => assert_eq!(v["decision"]["refused_by"], json!(["CAP-TIMES"])),
            _ => assert_eq!(v["status"], "eligible", "E{n}: {v}"),
        }
    }

    // Allocation: 1,060,000 asked of a 1,000,000 budget: scaled by one factor, down to the fen.
    assert_error(
        &call(
            a,
            "POST",
            "/api/rounds/2026/allocation",
            Some(OFFICER),
            &Value::Null,
        )
        .await,
        403,
        "forbidden",
    );
    let r = call(
        a,
        "POST",
        "/api/rounds/2026/allocation",
        Some(ADMIN),
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let v = r.json();
    assert_eq!(v["version"], 1);
    let alloc = &v["allocation"];
    assert_eq!(alloc["requested_total"], "1060000.00");
    assert_eq!(alloc["scaled"], true);
    let granted = |id: &str| -> String {
        alloc["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == id)
            .unwrap()["granted"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // ⌊ceiling × 100,000,000 fen / 106,000,000 fen⌋
    assert_eq!(granted(&receipts[&1].0), "113207.54");
    assert_eq!(granted(&receipts[&7].0), "283018.86");
    assert_eq!(granted(&receipts[&8].0), "94339.62");
    assert_eq!(alloc["granted_total"], "999999.97");
    // Recomputing with the same data gives the same list, not a new version.
    let r = call(
        a,
        "POST",
        "/api/rounds/2026/allocation",
        Some(ADMIN),
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["version"], 1);
    assert_eq!(&r.json()["allocation"], alloc);
    // Versions are counted from 1 (issue 14: `?version=-1` was read as a version).
    for bad in ["-1", "0", "1.0", "x"] {
        let path = format!("/api/rounds/2026/allocation?version={bad}");
        let r = call(a, "GET", &path, Some(OFFICER), &Value::Null).await;
        assert_eq!(assert_error(&r, 400, "invalid_field")["error"]["field"], "version", "{bad}");
    }
    let r = call(a, "GET", "/api/rounds/2026/allocation?version=1", Some(OFFICER), &Value::Null).await;
    assert_eq!(r.json()["version"], 1, "{}", r.text());

    // Exports for officers: CSV with a BOM, XLSX as a ZIP.
    let r = call(
        a,
        "GET",
        "/api/rounds/2026/allocation/export.csv",
        Some(OFFICER),
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with(b"\xEF\xBB\xBF"));
    let csv = String::from_utf8(r.body[3..].to_vec()).unwrap();
    assert_eq!(csv.lines().count(), 1 + 9, "a header and nine entries");
    assert!(csv.contains("113207.54"));
    let r = call(
        a,
        "GET",
        "/api/rounds/2026/allocation/export.xlsx",
        Some(OFFICER),
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with(b"PK\x03\x04"));

    // Approval before the list was even published: refused.
    let r = call(
        a,
        "POST",
        "/api/rounds/2026/allocation/approval",
        Some(ADMIN),
        &json!({"approved_on": "2026-05-06", "reference": "区政府第12次常务会议"}),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.text());

    // PROC-NOTICE: publish the list (the notices component).
    let r = call(
        a,
        "POST",
        "/api/notices",
        Some(OFFICER),
        &json!({"kind": "proposed_list", "round_year": 2026}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    host.stop().await;

    // ---- After the notice: approval (PROC-APPROVE), payments, disclosure.
    let host = App::on(rt).at("2026-05-20T10:00:00+08:00").start(&state).await;
    let a = host.addr;
    let r = call(
        a,
        "POST",
        "/api/rounds/2026/allocation/approval",
        Some(ADMIN),
        &json!({"approved_on": "2026-05-11", "reference": "区政府第12次常务会议"}),
    )
    .await;
    // 6 May + 5 working days (Sat 9 May is a working day, Sun 10 is not) ends on 11 May.
    assert_eq!(
        r.status,
        409,
        "the notice was not over on 11 May: {}",
        r.text()
    );
    let r = call(
        a,
        "POST",
        "/api/rounds/2026/allocation/approval",
        Some(ADMIN),
        &json!({"approved_on": "2026-05-12", "reference": "区政府第12次常务会议"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let lines = alloc["lines"].as_array().unwrap().clone();
    let paid: Vec<&Value> = lines.iter().filter(|l| l["granted"] != "0.00").collect();
    assert_eq!(paid.len(), 9);
    let r = call(a, "POST", "/api/rounds/2026/allocation/payments", Some(ADMIN),
        &json!({"application_id": paid[0]["id"], "paid_on": "2026-05-20", "amount": "1.00", "bank_reference": "X"})).await;
    assert_error(&r, 400, "invalid_field");
    for (i, l) in paid.iter().enumerate() {
        let r = call(a, "POST", "/api/rounds/2026/allocation/payments", Some(ADMIN),
            &json!({"application_id": l["id"], "paid_on": "2026-05-20", "amount": l["granted"], "bank_reference": format!("BANK-{i}")})).await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.json()["round_paid"], i + 1 == paid.len());
    }
    assert_eq!(get(a, "/api/rounds/2026").await.json()["stage"], "paid");
    let d = get(a, "/api/disclosure").await.json();
    assert_eq!(d["total"], "999999.97");
    assert_eq!(d["rounds"][0]["payments"], 9);
    // The receipt shows the end of the story.
    let r = call(
        a,
        "GET",
        &format!("/api/applications/{id1}"),
        Some(&t1),
        &Value::Null,
    )
    .await;
    assert_eq!(r.json()["status"], "paid");
    let r = call(
        a,
        "GET",
        "/api/rounds/2026/allocation/export.csv?list=paid",
        Some(OFFICER),
        &Value::Null,
    )
    .await;
    assert!(String::from_utf8_lossy(&r.body).contains("BANK-0"));
    host.stop().await;
}
}

e2e::on_both_hosts! {
async fn bad_input_gets_a_clear_4xx_and_changes_nothing(rt) {
    let state = TempDir::new("round-bad");
    let host = App::on(rt).at("2026-04-15T10:00:00+08:00").start(&state).await;
    let a = host.addr;
    assert_eq!(
        call(a, "POST", "/api/rounds", Some(ADMIN), &round_body())
            .await
            .status,
        201
    );
    let before = crate::common::dump(&state);
    let good = application(1, "manufacturing", utility(), "100000.00");
    // (what, body, status, error code, field named)
    type Case<'a> = (&'a str, Vec<u8>, u16, &'a str, Option<&'a str>);
    let mut cases: Vec<Case> = vec![
        (
            "malformed JSON",
            b"{\"enterprise\":".to_vec(),
            400,
            "invalid_field",
            None,
        ),
        (
            "not JSON at all",
            b"hello".to_vec(),
            400,
            "invalid_field",
            None,
        ),
    ];
    let mut variants: Vec<(&str, Value, &str)> = Vec::new();
    let mut v = good.clone();
    v["enterprise"]["credit_code"] = "91110109MA0000001X".into();
    variants.push(("bad credit code", v, "enterprise.credit_code"));
    let mut v = good.clone();
    v["loans"][0]["pledged_rights"][0]["application_number"] = "202320654321.7".into();
    variants.push(("bad patent number", v, "loans[0].pledged_rights[0].application_number"));
    let mut v = good.clone();
    v["loans"][0]["interest_paid"] = "-5.00".into();
    variants.push(("negative money", v, "loans[0].interest_paid"));
    let mut v = good.clone();
    v["loans"][0]["interest_paid"] = "5.001".into();
    variants.push(("three decimals", v, "loans[0].interest_paid"));
    let mut v = good.clone();
    v["loans"][0]["principal"] = json!(5000);
    variants.push(("wrong type", v, "loans[0].principal"));
    let mut v = good.clone();
    v["enterprise"]["shoe_size"] = json!(42);
    variants.push(("unknown field", v, "enterprise.shoe_size"));
    let mut v = good.clone();
    v["loans"][0]["pledged_rights"][0]["patent_type"] = "invention".into();
    variants.push((
        "patent type not the number's",
        v,
        "loans[0].pledged_rights[0].patent_type",
    ));
    // PROC-REVIEW: the review record and the verified interest are the officers' to write.
    let mut v = good.clone();
    v["review"] = json!({"opinions": []});
    variants.push(("a review filled in by the applicant", v, "review"));
    let mut v = good.clone();
    v["loans"][0]["verified_interest_paid"] = "100000.00".into();
    variants.push((
        "verified interest filled in by the applicant",
        v,
        "loans[0].verified_interest_paid",
    ));
    let mut v = good.clone();
    v["enterprise"]["name"] = "'; DROP TABLE applications; --".into();
    v["declared_truthful"] = false.into();
    variants.push(("no truth declaration", v, "declared_truthful"));
    for (label, v, field) in &variants {
        cases.push((
            label,
            v.to_string().into_bytes(),
            400,
            "invalid_field",
            Some(field),
        ));
    }
    for (label, body, status, code, field) in &cases {
        let r = request(a, "POST", "/api/applications", &[JSON], body)
            .await
            .unwrap();
        assert_eq!(r.status, *status, "{label}: {}", r.text());
        let v = r.json();
        assert!(
            v["error"]["code"] == *code || v["error"]["code"] == "invalid_json",
            "{label}: {v}"
        );
        if let Some(f) = field {
            assert_eq!(v["error"]["field"], *f, "{label}: {v}");
        }
    }
    // Oversize body, wrong media type, unknown route.
    let big = vec![b' '; 300 * 1024];
    assert_error(
        &request(a, "POST", "/api/applications", &[JSON], &big)
            .await
            .unwrap(),
        413,
        "body_too_large",
    );
    let r = request(
        a,
        "POST",
        "/api/applications",
        &[("content-type", "text/plain")],
        good.to_string().as_bytes(),
    )
    .await
    .unwrap();
    assert_error(&r, 415, "unsupported_media_type");
    // Wrong tokens.
    assert_error(
        &call(
            a,
            "GET",
            "/api/applications",
            Some("not-the-token-at-all-0000"),
            &Value::Null,
        )
        .await,
        403,
        "forbidden",
    );
    // Bad rounds: unknown field, wrong dates, out of validity.
    let mut v = round_body();
    v["colour"] = "red".into();
    assert_error(
        &call(a, "POST", "/api/rounds", Some(ADMIN), &v).await,
        400,
        "invalid_field",
    );
    let mut v = round_body();
    v["year"] = 2027.into();
    v["window"]["closes_at"] = "2026-03-01T00:00:00+08:00".into();
    let r = call(a, "POST", "/api/rounds", Some(ADMIN), &v).await;
    assert_eq!(
        assert_error(&r, 400, "invalid_field")["error"]["field"],
        "window.closes_at"
    );
    // Nothing was stored or changed by any of it.
    assert_eq!(count(a).await, 0);
    assert_eq!(crate::common::dump(&state), before);
    assert_eq!(
        get(a, "/api/rounds").await.json()["rounds"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The pre-check answers the same input errors, statelessly.
    let r = call(
        a,
        "POST",
        "/api/precheck",
        None,
        &json!({"as_of": "2026-04-15T10:00:00+08:00", "application": good}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["amount"], "50000.00");
    host.stop().await;
}
}

#[tokio::test(flavor = "multi_thread")]
async fn three_hundred_concurrent_submissions_none_lost_none_doubled() {
    let state = TempDir::new("round-load");
    let host = App::on(Runtime::Local)
        .at("2026-04-15T10:00:00+08:00")
        // Three hundred enterprises from one loopback address, on purpose.
        .var("applications_per_address_hour", "100000")
        .start(&state)
        .await;
    let a = host.addr;
    assert_eq!(
        call(a, "POST", "/api/rounds", Some(ADMIN), &round_body())
            .await
            .status,
        201
    );
    let mut tasks = Vec::new();
    for n in 0..300u32 {
        tasks.push(tokio::spawn(async move {
            // Every tenth enterprise sends its application twice at once with one key.
            let body = application(100 + n, "manufacturing", utility(), "1000.00").to_string();
            let key = format!("key-{n}");
            let h = [JSON, ("idempotency-key", key.as_str())];
            // A client that loses its connection sends again with the same key, as the
            // Idempotency-Key contract allows: still one application, never two.
            let send = async || {
                for _ in 0..5 {
                    match request(a, "POST", "/api/applications", &h, body.as_bytes()).await {
                        Ok(answer) => return answer,
                        Err(e) => {
                            eprintln!("enterprise {n}: connection lost ({e}); sent again");
                            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        }
                    }
                }
                panic!("enterprise {n}: five connections lost in a row");
            };
            if n % 10 == 0 {
                // Both at the same moment, on two connections.
                let (r, twin) = tokio::join!(send(), send());
                (r, Some(twin))
            } else {
                (send().await, None)
            }
        }));
    }
    let mut ids = std::collections::BTreeSet::new();
    for t in tasks {
        let (r, twin) = t.await.unwrap();
        assert_eq!(r.status, 201, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_owned();
        if let Some(t) = twin {
            assert_eq!(t.status, 201, "{}", t.text());
            assert_eq!(t.json()["id"].as_str().unwrap(), id);
        }
        assert!(ids.insert(id), "no application number given twice");
    }
    assert_eq!(ids.len(), 300);
    assert_eq!(count(a).await, 300);
    host.stop().await;
    let host = App::on(Runtime::Local)
        .at("2026-04-15T10:00:00+08:00")
        .start(&state)
        .await;
    assert_eq!(count(host.addr).await, 300, "intact after a restart");
    host.stop().await;
}

e2e::on_both_hosts! {
async fn officer_endpoints_refuse_bad_input_and_store_nothing(rt) {
    let state = TempDir::new("round-bad-officer");
    let host = App::on(rt).at("2026-05-06T10:00:00+08:00").start(&state).await;
    let a = host.addr;
    let mut round = round_body();
    round["window"]["closes_at"] = "2026-05-01T17:00:00+08:00".into();
    assert_eq!(
        call(a, "POST", "/api/rounds", Some(ADMIN), &round)
            .await
            .status,
        201
    );
    let before = crate::common::dump(&state);
    let bad_code = "/api/enterprises/91110109MA0000001Z/history";
    let r = call(a, "POST", bad_code, Some(OFFICER), &json!({"records": []})).await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(r.json()["error"]["field"], "credit_code");
    assert!(
        r.json()["error"]["code"]
            .as_str()
            .unwrap()
            .starts_with("uscc_")
    );
    let history = format!("/api/enterprises/{}/history", code(1));
    for (label, body, field) in [
        (
            "future year",
            json!({"records": [{"year": 2030, "amount": "1.00"}]}),
            "records[0].year",
        ),
        (
            "zero amount",
            json!({"records": [{"year": 2024, "amount": "0"}]}),
            "records[0].amount",
        ),
        (
            "three decimals",
            json!({"records": [{"year": 2024, "amount": "1.001"}]}),
            "records[0].amount",
        ),
        ("unknown field", json!({"records": [], "x": 1}), "x"),
    ] {
        let r = call(a, "POST", &history, Some(OFFICER), &body).await;
        let v = assert_error(&r, 400, "invalid_field");
        assert_eq!(v["error"]["field"], field, "{label}: {v}");
    }
    let fraud = format!("/api/enterprises/{}/fraud", code(1));
    assert_error(
        &call(
            a,
            "POST",
            &fraud,
            Some(OFFICER),
            &json!({"kind": "false_documents", "determined_on": "2026-01-01"}),
        )
        .await,
        403,
        "forbidden",
    );
    let v = assert_error(
        &call(
            a,
            "POST",
            &fraud,
            Some(ADMIN),
            &json!({"kind": "lying", "determined_on": "2026-01-01"}),
        )
        .await,
        400,
        "invalid_field",
    );
    assert_eq!(v["error"]["field"], "kind");
    let v = assert_error(
        &call(
            a,
            "POST",
            &fraud,
            Some(ADMIN),
            &json!({"kind": "false_documents", "determined_on": "2027-01-01"}),
        )
        .await,
        400,
        "invalid_field",
    );
    assert_eq!(v["error"]["field"], "determined_on");
    // Stages cannot be skipped, and the window cannot be closed twice.
    assert_error(
        &call(
            a,
            "POST",
            "/api/rounds/2026/stage",
            Some(ADMIN),
            &json!({"to": "under_review"}),
        )
        .await,
        409,
        "rule_proc_guide",
    );
    assert_eq!(
        crate::common::dump(&state),
        before,
        "no refusal stored anything"
    );
    assert_eq!(
        call(
            a,
            "POST",
            "/api/rounds/2026/stage",
            Some(ADMIN),
            &json!({"to": "closed"})
        )
        .await
        .status,
        200
    );
    let before = crate::common::dump(&state);
    assert_error(
        &call(
            a,
            "POST",
            "/api/rounds/2026/stage",
            Some(ADMIN),
            &json!({"to": "closed"}),
        )
        .await,
        409,
        "rule_proc_guide",
    );
    // Allocation, approval and payment out of order, and with bad bodies.
    assert_error(
        &call(
            a,
            "POST",
            "/api/rounds/2026/allocation",
            Some(ADMIN),
            &Value::Null,
        )
        .await,
        409,
        "rule_budget",
    );
    let r = call(
        a,
        "POST",
        "/api/rounds/2026/allocation/approval",
        Some(ADMIN),
        &json!({"approved_on": "2026-05-05", "reference": ""}),
    )
    .await;
    assert_eq!(
        assert_error(&r, 400, "invalid_field")["error"]["field"],
        "reference"
    );
    let r = call(a, "POST", "/api/rounds/2026/allocation/payments", Some(ADMIN), &json!({"application_id": "MTG-2026-00001", "paid_on": "2026-05-05", "amount": "-1", "bank_reference": "B"})).await;
    assert_eq!(
        assert_error(&r, 400, "invalid_field")["error"]["field"],
        "amount"
    );
    assert_error(
        &call(
            a,
            "GET",
            "/api/rounds/2026/allocation/export.csv?list=everything",
            Some(OFFICER),
            &Value::Null,
        )
        .await,
        404,
        "list_not_found",
    );
    assert_error(
        &call(
            a,
            "POST",
            "/api/applications/MTG-2026-00001/review",
            Some(OFFICER),
            &json!({"opinions": []}),
        )
        .await,
        404,
        "application_not_found",
    );
    // Nor did the refusals after the one stage change.
    assert_eq!(crate::common::dump(&state), before);
    host.stop().await;
}
}
