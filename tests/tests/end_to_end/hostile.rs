//! Hostile input through the local host: SQL-injection strings, NUL and control
//! characters, quotes and markup in every text field of every write endpoint; JSON that is
//! too deep, too large, duplicated, truncated or not UTF-8; path traversal on the static
//! site; huge headers and URLs. Fields with a syntax (codes, dates, money, enums, names)
//! are refused with a 400 naming the field and nothing stored; prose is stored literally,
//! read back as sent and escaped on the HTML pages. The database stays intact.

use crate::common::{IN_NOTICE, OPEN, PDF, code, db, dump, round};
use base64::Engine;
use e2e::app::{ADMIN, App, OFFICER, assert_error, call, call_raw};
use e2e::{Answer, TempDir, get};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Strings an attacker tries in every field.
fn hostile() -> Vec<String> {
    vec![
        "'; DROP TABLE applications;--".into(),
        "\" OR 1=1 --".into(),
        "\u{0}".into(),
        "%27".into(),
        "‘引号’“双引号”".into(),
        "<script>alert(1)</script>".into(),
        "A".repeat(20_000),
    ]
}

/// Printable prose an attacker may send where any text is allowed: stored as sent.
const PROSE: &str =
    "'; DROP TABLE applications;-- \" OR 1=1 -- %27 ‘’“” <script>alert(1)</script> & \\ 完";

fn application(n: u32, contract: &str) -> Value {
    let name = format!("北京恶意输入测试企业{n:02}有限公司");
    json!({
        "enterprise": {"credit_code": code(n), "name": name, "registered_in_district": true,
                       "pays_tax_in_district": true, "industry": "manufacturing"},
        "loans": [{
            "lender_kind": "bank", "lender_name": "北京银行门头沟支行",
            "contract_number": contract, "principal": "5000000.00",
            "start_date": "2024-06-01", "maturity_date": "2025-05-31",
            "final_repayment_date": "2025-05-30", "overdue": false,
            "interest_paid": "100000.00",
            "pledged_rights": [{"kind": "patent", "application_number": "202320654321.8",
                                "patent_type": "utility_model", "owner": name}]
        }],
        "declared_truthful": true
    })
}

fn objection(grounds: &str) -> Value {
    json!({
        "notice_id": "2026-proposed", "entry": 1,
        "objector": {"name": "王五", "contact": "13900000000", "relation": "同行业企业员工"},
        "grounds": grounds,
        "evidence": [{"file_name": "bank.pdf", "content_type": "application/pdf",
                      "data_base64": base64::engine::general_purpose::STANDARD.encode(PDF)}]
    })
}

/// A copy of `v` with the value at the JSON pointer `ptr` replaced.
fn with(v: &Value, ptr: &str, value: impl Into<Value>) -> Value {
    let mut v = v.clone();
    let (parent, key) = ptr.rsplit_once('/').expect("a JSON pointer");
    match v.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.insert(key.to_owned(), value.into());
        }
        Some(Value::Array(list)) => list[key.parse::<usize>().expect("an index")] = value.into(),
        _ => panic!("{ptr} is not in the body"),
    }
    v
}

/// `/a/0/b` → `a[0].b`, the way errors name fields.
fn field_of(ptr: &str) -> String {
    let mut out = String::new();
    for seg in ptr.trim_start_matches('/').split('/') {
        if seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(seg);
        }
    }
    out
}

/// Every byte but the unreserved ones as `%XX`.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn count(state: &TempDir, table: &str) -> i64 {
    db(state)
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn one_string(state: &TempDir, sql: &str) -> String {
    db(state).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A 400 that names `field`, in Chinese and English.
#[track_caller]
fn assert_field(r: &Answer, field: &str, what: &str) {
    assert_eq!(r.status, 400, "{what}: {}", r.text());
    let code = r.json()["error"]["code"].as_str().unwrap_or("").to_owned();
    assert!(
        matches!(code.as_str(), "invalid_field" | "invalid_json"),
        "{what}: {}",
        r.text()
    );
    let e = assert_error(r, 400, &code);
    assert_eq!(e["field"], field, "{what}: {e}");
}

/// Every hostile string at each pointer of `body`: a 400 naming the field, nothing stored.
async fn refuse_everywhere(
    a: SocketAddr,
    state: &TempDir,
    path: &str,
    token: Option<&str>,
    body: &Value,
    pointers: &[&str],
) {
    let before = dump(state);
    for ptr in pointers {
        for s in hostile() {
            let r = call(a, "POST", path, token, &with(body, ptr, s.as_str())).await;
            let what = format!("POST {path} {ptr} = {:?}", &s[..s.len().min(40)]);
            // Inside a pledged right too, the value refused is named (`rules::reader`;
            // serde named the right).
            assert_field(&r, &field_of(ptr), &what);
        }
    }
    assert_eq!(
        dump(state),
        before,
        "POST {path}: a refusal stored something"
    );
}

/// NUL, another control character and the invisible characters that hide or reorder text
/// (issue 14: zero-width space, a right-to-left override, a directional isolate, written
/// raw or as a JSON escape) at each pointer: a 400 naming the field.
async fn refuse_control(
    a: SocketAddr,
    state: &TempDir,
    path: &str,
    token: Option<&str>,
    body: &Value,
    pointers: &[(&str, &str)],
) {
    let before = dump(state);
    for (ptr, field) in pointers {
        for bad in [
            "前\u{0}后",
            "前\u{1b}[31m后",
            "前\u{200B}后",
            "invoice\u{202E}fdp.exe",
            "前\u{2066}后",
        ] {
            let r = call(a, "POST", path, token, &with(body, ptr, bad)).await;
            assert_field(&r, field, &format!("POST {path} {ptr} = {bad:?}"));
        }
        // The same as a JSON escape (serde_json writes these characters raw).
        let escaped = with(body, ptr, "invoice\u{202E}fdp.exe")
            .to_string()
            .replace('\u{202E}', "\\u202e");
        assert!(escaped.contains("\\u202e"), "{escaped}");
        let r = e2e::app::call_raw(
            a,
            "POST",
            path,
            token,
            "application/json",
            escaped.as_bytes(),
        )
        .await;
        assert_field(&r, field, &format!("POST {path} {ptr} = escaped U+202E"));
    }
    assert_eq!(
        dump(state),
        before,
        "POST {path}: a refusal stored something"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_text_is_refused_or_stored_literally() {
    let state = TempDir::new("hostile-text");
    let host = App::local().at(OPEN).start(&state).await;
    let a = host.addr;
    let table_names = |s: &TempDir| -> Vec<String> {
        db(s)
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let schema = table_names(&state);

    // ---- Rounds: every field with a syntax, then control characters in its prose.
    let r = round(2026);
    refuse_everywhere(
        a,
        &state,
        "/api/rounds",
        Some(ADMIN),
        &r,
        &[
            "/year",
            "/window/opens_at",
            "/window/closes_at",
            "/covered_period/from",
            "/covered_period/to",
            "/budget",
        ],
    )
    .await;
    refuse_control(
        a,
        &state,
        "/api/rounds",
        Some(ADMIN),
        &r,
        &[("/guide_reference", "guide_reference")],
    )
    .await;
    // A query value holding an invisible character (percent-encoded U+200B): named too.
    let r_q = call(
        a,
        "GET",
        "/api/applications?round=2026%E2%80%8B",
        Some(OFFICER),
        &Value::Null,
    )
    .await;
    assert_field(&r_q, "round", "GET ?round= with U+200B");
    let extra = with(
        &r,
        "/extra_key_industries",
        json!([{"code": "x", "zh": "新", "en": "new"}]),
    );
    refuse_everywhere(
        a,
        &state,
        "/api/rounds",
        Some(ADMIN),
        &extra,
        &["/extra_key_industries/0/code"],
    )
    .await;
    let r = with(
        &r,
        "/guide_reference",
        "门知发〔2026〕1号 '; DROP TABLE rounds;--",
    );
    assert_eq!(
        call(a, "POST", "/api/rounds", Some(ADMIN), &r).await.status,
        201
    );
    assert_eq!(
        get(a, "/api/rounds/2026").await.json()["guide_reference"],
        "门知发〔2026〕1号 '; DROP TABLE rounds;--"
    );

    // ---- Applications: codes, dates, money, enums and names refused, field named.
    let app = application(1, "HT-0001");
    refuse_everywhere(
        a,
        &state,
        "/api/applications",
        None,
        &app,
        &[
            "/enterprise/credit_code",
            "/enterprise/name",
            "/enterprise/industry",
            "/loans/0/lender_kind",
            "/loans/0/lender_name",
            "/loans/0/principal",
            "/loans/0/start_date",
            "/loans/0/maturity_date",
            "/loans/0/final_repayment_date",
            "/loans/0/interest_paid",
            "/loans/0/pledged_rights/0/application_number",
            "/loans/0/pledged_rights/0/patent_type",
            "/loans/0/pledged_rights/0/owner",
        ],
    )
    .await;
    let with_history = with(
        &app,
        "/history",
        json!([{"year": 2024, "amount": "1.00", "reference": "x"}]),
    );
    refuse_control(
        a,
        &state,
        "/api/applications",
        None,
        &with_history,
        &[
            ("/loans/0/contract_number", "loans[0].contract_number"),
            ("/history/0/reference", "history[0].reference"),
        ],
    )
    .await;
    let pre = json!({"as_of": OPEN, "application": app.clone()});
    refuse_control(
        a,
        &state,
        "/api/precheck",
        None,
        &pre,
        &[(
            "/application/enterprise/name",
            "application.enterprise.name",
        )],
    )
    .await;
    // A contract number is free text: stored and read back as sent; the loan's claim holds
    // its identity (SUB-LOAN: lender and number, letters and digits only).
    let mut receipts = Vec::new();
    for (i, (s, identity)) in [
        ("'; DROP TABLE applications;--", "droptableapplications"),
        ("\" OR 1=1 --", "or11"),
        ("%27", "27"),
        ("‘’“”<b>x</b>", "bxb"),
    ]
    .iter()
    .enumerate()
    {
        let r = call(
            a,
            "POST",
            "/api/applications",
            None,
            &application(i as u32 + 1, s),
        )
        .await;
        assert_eq!(r.status, 201, "{s}: {}", r.text());
        let v = r.json();
        let (id, token) = receipt(&v);
        let back = call(
            a,
            "GET",
            &format!("/api/applications/{id}"),
            Some(token),
            &Value::Null,
        )
        .await;
        assert_eq!(
            back.json()["application"]["loans"][0]["contract_number"],
            *s
        );
        let stored = one_string(
            &state,
            &format!("SELECT contract_number FROM application_loans WHERE application_id = '{id}'"),
        );
        assert_eq!(stored, format!("北京银行门头沟支行|{identity}"));
        receipts.push((id.to_owned(), token.to_owned()));
    }
    assert_eq!(count(&state, "applications"), 4);

    // ---- History and fraud (officers, administrators).
    let hist_path = format!("/api/enterprises/{}/history", code(9));
    let hist = json!({"records": [{"year": 2020, "amount": "1000.00", "reference": "r"}]});
    refuse_everywhere(
        a,
        &state,
        &hist_path,
        Some(OFFICER),
        &hist,
        &["/records/0/year", "/records/0/amount"],
    )
    .await;
    refuse_control(
        a,
        &state,
        &hist_path,
        Some(OFFICER),
        &hist,
        &[("/records/0/reference", "records[0].reference")],
    )
    .await;
    let r = call(
        a,
        "POST",
        &hist_path,
        Some(OFFICER),
        &with(&hist, "/records/0/reference", PROSE),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["history"][0]["reference"], PROSE);
    let fraud_path = format!("/api/enterprises/{}/fraud", code(9));
    let fraud = json!({"kind": "false_documents", "determined_on": "2026-01-05", "reference": "r"});
    refuse_everywhere(
        a,
        &state,
        &fraud_path,
        Some(ADMIN),
        &fraud,
        &["/kind", "/determined_on"],
    )
    .await;
    refuse_control(
        a,
        &state,
        &fraud_path,
        Some(ADMIN),
        &fraud,
        &[("/reference", "reference")],
    )
    .await;
    for s in hostile() {
        let path = format!("/api/enterprises/{}/history", percent_encode(&s));
        let before = dump(&state);
        let r = call(a, "POST", &path, Some(OFFICER), &hist).await;
        assert_refused_as(&r, &[(400, "uscc_"), (404, "not_found")], &path);
        assert_eq!(dump(&state), before);
    }
    host.stop().await;

    // ---- After the window: review, list, notice, objections, corrections, conclusion.
    let host = App::local().at(IN_NOTICE).start(&state).await;
    let a = host.addr;
    let stage = json!({"to": "closed"});
    refuse_everywhere(
        a,
        &state,
        "/api/rounds/2026/stage",
        Some(ADMIN),
        &stage,
        &["/to"],
    )
    .await;
    for to in ["closed", "under_review"] {
        let r = call(
            a,
            "POST",
            "/api/rounds/2026/stage",
            Some(ADMIN),
            &json!({"to": to}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let (id1, _) = &receipts[0];
    let review_path = format!("/api/applications/{id1}/review");
    let mut review = e2e::fixtures::review(2026, &["tax"]);
    review["opinions"][0]["note"] = "n".into();
    review["credit_findings"] = json!([]);
    review["note"] = "n".into();
    refuse_everywhere(
        a,
        &state,
        &review_path,
        Some(OFFICER),
        &review,
        &[
            "/opinions/0/department",
            "/opinions/0/answered_on",
            "/credit_report/checked_on",
            "/credit_report/source",
        ],
    )
    .await;
    let finding = with(
        &review,
        "/credit_findings",
        json!([{"kind": "tax_non_compliance", "date": "2025-01-01", "source": "s", "resolved_on": "2025-02-01"}]),
    );
    refuse_everywhere(
        a,
        &state,
        &review_path,
        Some(OFFICER),
        &finding,
        &[
            "/credit_findings/0/kind",
            "/credit_findings/0/date",
            "/credit_findings/0/resolved_on",
        ],
    )
    .await;
    refuse_control(
        a,
        &state,
        &review_path,
        Some(OFFICER),
        &finding,
        &[
            ("/note", "note"),
            ("/opinions/0/note", "opinions[0].note"),
            ("/credit_findings/0/source", "credit_findings[0].source"),
        ],
    )
    .await;
    let note = format!("{PROSE}\n第二行\t制表");
    let review = with(
        &with(&review, "/note", note.as_str()),
        "/opinions/0/note",
        PROSE,
    );
    for (id, _) in &receipts {
        let r = call(
            a,
            "POST",
            &format!("/api/applications/{id}/review"),
            Some(OFFICER),
            &review,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let back = call(
        a,
        "GET",
        &format!("/api/applications/{id1}"),
        Some(OFFICER),
        &Value::Null,
    )
    .await;
    assert_eq!(back.json()["review"]["note"], note.as_str());
    assert_eq!(back.json()["review"]["opinions"][0]["note"], PROSE);

    let r = call(
        a,
        "POST",
        "/api/rounds/2026/allocation",
        Some(ADMIN),
        &Value::Null,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let publish = json!({"kind": "proposed_list", "round_year": 2026});
    refuse_everywhere(
        a,
        &state,
        "/api/notices",
        Some(OFFICER),
        &publish,
        &["/kind", "/round_year"],
    )
    .await;
    let r = call(a, "POST", "/api/notices", Some(OFFICER), &publish).await;
    assert_eq!(r.status, 201, "{}", r.text());

    // Objections: the entry's number has a syntax; names and grounds are prose.
    let obj = objection("异议理由足够长，请重新审核该企业。");
    refuse_everywhere(a, &state, "/api/objections", None, &obj, &["/entry"]).await;
    // An evidence file's declared type, or its content, that is no PDF, JPEG or PNG is a
    // 415 naming the field; a control character or text that is no base64, a 400.
    let before = dump(&state);
    for ptr in ["/evidence/0/content_type", "/evidence/0/data_base64"] {
        for s in hostile() {
            let r = call(
                a,
                "POST",
                "/api/objections",
                None,
                &with(&obj, ptr, s.as_str()),
            )
            .await;
            assert_refused_as(
                &r,
                &[(400, "invalid_field"), (415, "unsupported_media_type")],
                ptr,
            );
            assert_eq!(
                r.json()["error"]["field"],
                field_of(ptr),
                "{ptr}: {}",
                r.text()
            );
        }
    }
    assert_eq!(dump(&state), before);
    refuse_control(
        a,
        &state,
        "/api/objections",
        None,
        &obj,
        &[
            ("/notice_id", "notice_id"),
            ("/objector/name", "objector.name"),
            ("/objector/contact", "objector.contact"),
            ("/objector/relation", "objector.relation"),
            ("/grounds", "grounds"),
            ("/evidence/0/file_name", "evidence[0].file_name"),
        ],
    )
    .await;
    let grounds = format!("{PROSE}\n{}", "理由".repeat(10));
    let hostile_obj = with(
        &with(
            &objection(&grounds),
            "/objector/name",
            "'; DROP TABLE objectors;--",
        ),
        "/objector/relation",
        "\" OR 1=1 -- ‘’“”",
    );
    let r = call(a, "POST", "/api/objections", None, &hostile_obj).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let tracking = r.json()["tracking_number"].as_str().unwrap().to_owned();
    let back = call(
        a,
        "GET",
        &format!("/api/objections/{tracking}"),
        Some(OFFICER),
        &Value::Null,
    )
    .await;
    let back = back.json();
    assert_eq!(back["grounds"], grounds.as_str());
    assert_eq!(back["objector"]["name"], "'; DROP TABLE objectors;--");
    assert_eq!(back["objector"]["relation"], "\" OR 1=1 -- ‘’“”");
    assert_eq!(
        one_string(
            &state,
            &format!("SELECT grounds FROM objections WHERE id = '{tracking}'")
        ),
        grounds
    );

    // Corrections and the re-review conclusion: prose, escaped on the HTML page.
    let corr_path = "/api/notices/2026-proposed/corrections";
    let corr = json!({"entry": 1, "text_zh": "更正", "text_en": "corrected"});
    refuse_everywhere(a, &state, corr_path, Some(OFFICER), &corr, &["/entry"]).await;
    refuse_control(
        a,
        &state,
        corr_path,
        Some(OFFICER),
        &corr,
        &[("/text_zh", "text_zh"), ("/text_en", "text_en")],
    )
    .await;
    let corr = with(&with(&corr, "/text_zh", PROSE), "/text_en", PROSE);
    assert_eq!(
        call(a, "POST", corr_path, Some(OFFICER), &corr)
            .await
            .status,
        201
    );
    let concl_path = format!("/api/objections/{tracking}/conclusion");
    let concl = json!({"outcome": "dismissed", "reasons_zh": "理由", "reasons_en": "reasons"});
    refuse_everywhere(a, &state, &concl_path, Some(OFFICER), &concl, &["/outcome"]).await;
    let partly = json!({"outcome": "partly_upheld", "new_amount": "1.00",
                        "reasons_zh": "理由", "reasons_en": "reasons"});
    refuse_everywhere(
        a,
        &state,
        &concl_path,
        Some(OFFICER),
        &partly,
        &["/new_amount"],
    )
    .await;
    refuse_control(
        a,
        &state,
        &concl_path,
        Some(OFFICER),
        &concl,
        &[("/reasons_zh", "reasons_zh"), ("/reasons_en", "reasons_en")],
    )
    .await;
    let concl = with(&concl, "/reasons_zh", PROSE);
    let r = call(a, "POST", &concl_path, Some(OFFICER), &concl).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let notice = get(a, "/api/notices/2026-proposed").await.json();
    let texts: Vec<&str> = notice["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["text_zh"].as_str().unwrap())
        .collect();
    assert_eq!(texts[0], PROSE, "{texts:?}");
    assert!(texts[1].ends_with(PROSE), "{texts:?}");
    let page = get(a, "/notices/2026-proposed").await.text();
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped on the page"
    );
    assert!(
        !page.contains("<script>alert(1)"),
        "never raw markup on the page"
    );
    // The quote escaped as the page's escaper writes it, and never raw (issue 18: this
    // check used to accept the unescaped text too).
    assert!(page.contains("&#39;; DROP TABLE"), "escaped quote");
    assert!(
        !page.contains("'; DROP TABLE"),
        "never a raw quote from the text"
    );

    // Approval and payments: dates, money and references.
    let approval = json!({"approved_on": "2026-05-06", "reference": "区政府会议"});
    let appr_path = "/api/rounds/2026/allocation/approval";
    refuse_everywhere(
        a,
        &state,
        appr_path,
        Some(ADMIN),
        &approval,
        &["/approved_on"],
    )
    .await;
    refuse_control(
        a,
        &state,
        appr_path,
        Some(ADMIN),
        &approval,
        &[("/reference", "reference")],
    )
    .await;
    let pay = json!({"application_id": id1, "paid_on": "2026-05-06", "amount": "1.00", "bank_reference": "B-1"});
    let pay_path = "/api/rounds/2026/allocation/payments";
    refuse_everywhere(
        a,
        &state,
        pay_path,
        Some(ADMIN),
        &pay,
        &["/application_id", "/paid_on", "/amount"],
    )
    .await;
    refuse_control(
        a,
        &state,
        pay_path,
        Some(ADMIN),
        &pay,
        &[("/bank_reference", "bank_reference")],
    )
    .await;

    // ---- Malformed JSON of every kind: a clear 4xx JSON error, nothing stored.
    let before = dump(&state);
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let many_keys = {
        let mut m = serde_json::Map::new();
        for i in 0..3000 {
            m.insert(format!("k{i}"), json!(i));
        }
        Value::Object(m).to_string()
    };
    let dup = r#"{"kind": "proposed_list", "kind": "payments", "round_year": 2026}"#;
    // Deep but small (40 KB, under every body limit): the parser's depth limit answers.
    let deep_small = format!("{{\"a\":{}{}}}", "[".repeat(20_000), "]".repeat(20_000));
    // A known text field far beyond its length (2,000 characters), the body still small.
    let long = json!({"entry": 1, "text_zh": "长".repeat(2_001), "text_en": "x"}).to_string();
    let big = json!({"text_zh": "长".repeat(30_000), "text_en": "x"}).to_string();
    let app_text = application(7, "HT-0007").to_string();
    let mut not_utf8 = app_text.clone().into_bytes();
    let at = app_text.find("北京").unwrap();
    not_utf8.splice(at..at, [0xFF, 0xFE]);
    let cases: Vec<MalformedCase> = vec![
        (
            "/api/applications",
            "application/json",
            "deep",
            deep.clone().into_bytes(),
            400,
            "invalid_field",
        ),
        (
            "/api/objections",
            "application/json",
            "deep",
            deep.clone().into_bytes(),
            400,
            "invalid_json",
        ),
        (
            "/api/precheck",
            "application/json",
            "deep and over 64 KiB",
            deep.into_bytes(),
            413,
            "body_too_large",
        ),
        (
            "/api/notices/2026-proposed/corrections",
            "application/json",
            "over 64 KiB",
            big.into_bytes(),
            413,
            "body_too_large",
        ),
        (
            "/api/notices",
            "application/json",
            "many keys",
            many_keys.clone().into_bytes(),
            400,
            "invalid_json",
        ),
        (
            "/api/applications",
            "application/json",
            "many keys",
            many_keys.into_bytes(),
            400,
            "invalid_field",
        ),
        (
            "/api/notices/2026-proposed/corrections",
            "application/json",
            "long string",
            long.into_bytes(),
            400,
            "invalid_field",
        ),
        (
            "/api/notices",
            "application/json",
            "duplicate keys",
            dup.as_bytes().to_vec(),
            400,
            "invalid_json",
        ),
        (
            "/api/applications",
            "application/json",
            "duplicate keys",
            app_text
                .replacen("{", "{\"declared_truthful\": false,", 1)
                .into_bytes(),
            400,
            "invalid_field",
        ),
        (
            "/api/applications",
            "text/plain",
            "wrong type",
            app_text.clone().into_bytes(),
            415,
            "unsupported_media_type",
        ),
        (
            "/api/objections",
            "application/x-www-form-urlencoded",
            "wrong type",
            b"a=b".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (
            "/api/applications",
            "application/json",
            "truncated",
            app_text.as_bytes()[..app_text.len() / 2].to_vec(),
            400,
            "invalid_field",
        ),
        (
            "/api/objections",
            "application/json",
            "truncated",
            b"{\"notice_id\": \"2026-pro".to_vec(),
            400,
            "invalid_json",
        ),
        (
            "/api/applications",
            "application/json",
            "not UTF-8",
            not_utf8,
            400,
            "invalid_json",
        ),
        (
            "/api/objections",
            "application/json",
            "not UTF-8",
            b"{\"grounds\": \"\xff\xfe\"}".to_vec(),
            400,
            "invalid_json",
        ),
        (
            "/api/notices",
            "application/json",
            "empty",
            Vec::new(),
            400,
            "invalid_json",
        ),
        // One body is one value: anything after it is refused, not ignored.
        (
            "/api/notices",
            "application/json",
            "trailing characters",
            br#"{"kind": "proposed_list", "round_year": 2026} {"kind": "payments"}"#.to_vec(),
            400,
            "invalid_json",
        ),
        (
            "/api/applications",
            "application/json",
            "trailing characters",
            format!("{app_text} trailing").into_bytes(),
            400,
            "invalid_field",
        ),
    ];
    for (path, ctype, what, body, status, code) in cases {
        let token = if path == "/api/applications"
            || path == "/api/objections"
            || path == "/api/precheck"
        {
            None
        } else {
            Some(OFFICER)
        };
        let r = call_raw(a, "POST", path, token, ctype, &body).await;
        let got = (
            r.status,
            r.json()["error"]["code"].as_str().map(str::to_owned),
        );
        assert_eq!(
            got,
            (status, Some(code.to_owned())),
            "{path} {what}: {}",
            r.text()
        );
        assert_error(&r, status, code);
    }
    // Depth itself: 20,000 levels in 40 KB. The rules' parser counts the nesting before it
    // parses; the typed parsers stop at the first value of the wrong type, never recursing.
    let r = call_raw(
        a,
        "POST",
        "/api/precheck",
        None,
        "application/json",
        deep_small.as_bytes(),
    )
    .await;
    let e = assert_error(&r, 400, "invalid_field");
    assert!(
        e["message_en"]
            .as_str()
            .unwrap()
            .contains("nested more than"),
        "{e}"
    );
    let deep_field = format!("{{\"kind\":{}{}}}", "[".repeat(20_000), "]".repeat(20_000));
    let r = call_raw(
        a,
        "POST",
        "/api/notices",
        Some(OFFICER),
        "application/json",
        deep_field.as_bytes(),
    )
    .await;
    let e = assert_error(&r, 400, "invalid_json");
    assert_eq!(e["field"], "kind", "{e}");
    // The whole body must arrive: a connection closed early is not a request.
    let r = partial_body(a, "/api/applications", app_text.as_bytes()).await;
    assert!(
        r.starts_with(b"HTTP/1.1 400"),
        "{}",
        String::from_utf8_lossy(&r)
    );
    assert_eq!(dump(&state), before, "malformed JSON stored something");

    // ---- After all this: intact tables, the rows legitimately stored and nothing else.
    let c = db(&state);
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    assert_eq!(table_names(&state), schema, "every table is still there");
    for (table, n) in [
        ("rounds", 1),
        ("applications", 4),
        ("application_loans", 4),
        ("subsidy_history", 1),
        ("fraud_findings", 0),
        ("notices", 1),
        ("objections", 1),
        ("objectors", 1),
        ("objection_evidence", 1),
        ("notice_updates", 2),
        ("payments", 0),
        ("documents", 0),
    ] {
        assert_eq!(count(&state, table), n, "{table}");
    }
    host.stop().await;
}

/// Path, content type, what is wrong, body, expected status and code.
type MalformedCase = (
    &'static str,
    &'static str,
    &'static str,
    Vec<u8>,
    u16,
    &'static str,
);

/// Sends a request whose body stops short of its `content-length`, then closes the
/// sending side; answers whatever the server sent back.
async fn partial_body(a: SocketAddr, path: &str, body: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect(a).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: {a}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        body.len() + 100
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    s.shutdown().await.unwrap();
    read_answer(s).await
}

/// Reads until the server closes (or 20 s pass, which fails the test: it must not hang).
async fn read_answer(mut s: TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), async {
        let mut chunk = [0u8; 8192];
        loop {
            match s.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the host hung");
    buf
}

/// Writes `bytes` while reading the answer (the server may answer and close before it
/// has read everything); answers what came back.
async fn send_raw(a: SocketAddr, bytes: Vec<u8>) -> Vec<u8> {
    let s = TcpStream::connect(a).await.unwrap();
    let (mut rd, mut wr) = s.into_split();
    let writer = tokio::spawn(async move {
        let _ = wr.write_all(&bytes).await;
        // Keep the sending side open: the request says `connection: close`.
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), async {
        let mut chunk = [0u8; 8192];
        loop {
            match rd.read(&mut chunk).await {
                Ok(0) => break,
                Err(e) => {
                    eprintln!("read: {e}");
                    break;
                }
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the host hung");
    writer.abort();
    buf
}

fn status_of(answer: &[u8]) -> Option<u16> {
    std::str::from_utf8(answer.get(9..12)?).ok()?.parse().ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_host_and_the_static_site_stand_hostile_requests() {
    let state = TempDir::new("hostile-host");
    let host = App::local().at(OPEN).start(&state).await;
    let a = host.addr;
    let manifest = std::fs::read_to_string(e2e::app_manifest()).unwrap();
    assert!(manifest.contains("spin_manifest_version"));

    // Path traversal: never a file outside web/.
    for path in [
        "/../spin.toml",
        "/%2e%2e/spin.toml",
        "/%2E%2E/%2E%2E/spin.toml",
        "/..%2fspin.toml",
        "/%2e%2e%2fspin.toml",
        "/..%5cspin.toml",
        "/%252e%252e/spin.toml",
        "/web/../spin.toml",
        "//etc/passwd",
        "/etc/passwd",
        "/%2fetc%2fpasswd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/index.html%00.css",
        "/%00",
        "/precheck/Cargo.toml",
        "/precheck/src/lib.rs",
        "/.git/config",
        "/pkg/../../spin.toml",
        "/api/../spin.toml",
        "/js/%2e%2e/%2e%2e/Cargo.toml",
        "/%c0%ae%c0%ae/spin.toml",
        "/..;/spin.toml",
    ] {
        let r = get(a, path).await;
        assert!(
            matches!(r.status, 400 | 404),
            "{path}: {} {}",
            r.status,
            r.text()
        );
        let body = r.text();
        assert!(
            !body.contains("spin_manifest_version") && !body.contains("root:"),
            "{path}"
        );
        assert!(
            !body.contains("[workspace]") && !body.contains("[package]"),
            "{path}"
        );
        assert_refused_as(&r, &[(400, "bad_path"), (404, "not_found")], path);
    }
    // A backslash is not even a valid request target.
    let raw = send_raw(
        a,
        format!("GET /..\\spin.toml HTTP/1.1\r\nhost: {a}\r\nconnection: close\r\n\r\n")
            .into_bytes(),
    )
    .await;
    assert!(
        matches!(status_of(&raw), Some(400 | 404)),
        "{}",
        String::from_utf8_lossy(&raw)
    );
    assert!(!String::from_utf8_lossy(&raw).contains("spin_manifest_version"));
    assert_eq!(get(a, "/").await.status, 200, "the site itself is served");

    // Huge headers and URLs: refused at once, and the host serves on.
    let huge_value = format!(
        "GET /api/health/assets HTTP/1.1\r\nhost: {a}\r\nx-big: {}\r\nconnection: close\r\n\r\n",
        "a".repeat(1024 * 1024)
    );
    let mut many = format!("GET /api/health/assets HTTP/1.1\r\nhost: {a}\r\nconnection: close\r\n");
    for i in 0..10_000 {
        many.push_str(&format!("x-h-{i}: v\r\n"));
    }
    many.push_str("\r\n");
    let long_url = format!(
        "GET /{} HTTP/1.1\r\nhost: {a}\r\nconnection: close\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    let big_body = format!(
        "POST /api/applications HTTP/1.1\r\nhost: {a}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        64 * 1024 * 1024
    );
    for (what, bytes, allowed) in [
        ("a 1 MiB header", huge_value, &[431u16, 400][..]),
        ("10,000 headers", many, &[431, 400]),
        ("a 100 KiB URL", long_url, &[414, 431, 400]),
        ("a 64 MiB body declared", big_body, &[413]),
    ] {
        let answer = send_raw(a, bytes.into_bytes()).await;
        let status = status_of(&answer);
        assert!(
            status.is_some_and(|s| allowed.contains(&s)),
            "{what}: {:?}",
            String::from_utf8_lossy(&answer[..answer.len().min(300)])
        );
        let r = get(a, "/api/health/assets").await;
        assert_eq!(r.status, 200, "after {what} the host still serves");
    }
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_too_slow_with_its_request_head_is_cut_off() {
    e2e::ensure_built();
    let state = TempDir::new("hostile-slow");
    let mut c = e2e::config(&e2e::app_manifest(), &state.0);
    c.variables.push(("admin_token".into(), ADMIN.into()));
    c.variables.push(("officer_token".into(), OFFICER.into()));
    c.sqlite_statements = e2e::migrations();
    c.request_timeout = Duration::from_secs(1);
    let host = localspin::start(c).await.expect("the app starts");
    let a = host.addr;
    // Half a request head, then nothing: the host closes the connection (slowloris).
    let mut s = TcpStream::connect(a).await.unwrap();
    s.write_all(b"GET /api/health/assets HTTP/1.1\r\nhost: x\r\nx-slow: ")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let answer = read_answer(s).await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(status_of(&answer), None | Some(408)),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert_eq!(get(a, "/api/health/assets").await.status, 200);
    host.stop().await;
}

/// The 2026 round open on a host at [`OPEN`], with enterprise `n`'s application for loan
/// `contract` submitted: the host, the application's number and its receipt token.
async fn one_submitted(
    state: &TempDir,
    n: u32,
    contract: &str,
) -> (e2e::app::AppHost, String, String) {
    let host = App::local().at(OPEN).start(state).await;
    let a = host.addr;
    let r = call(a, "POST", "/api/rounds", Some(ADMIN), &round(2026)).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let v = call(
        a,
        "POST",
        "/api/applications",
        None,
        &application(n, contract),
    )
    .await
    .json();
    let id = v["id"].as_str().expect("submitted").to_owned();
    let token = v["receipt_token"].as_str().expect("a receipt").to_owned();
    (host, id, token)
}

/// Issue 14 (disk filling): documents are kept within a quota per application and kind
/// (20 files, 40 MiB), checked inside the upload's transaction, nothing stored past it; the
/// same file again takes nothing; officers read documents back (an attachment, sandboxed),
/// the enterprise may not; the intake health route reports what each round stores.
#[tokio::test(flavor = "multi_thread")]
async fn documents_stay_within_a_quota_and_officers_read_them_back() {
    let state = TempDir::new("hostile-documents");
    let (host, id, token) = one_submitted(&state, 1, "HT-Q-1").await;
    let a = host.addr;
    let bearer = format!("Bearer {token}");
    let upload = |kind: &'static str, body: Vec<u8>| {
        let (path, bearer) = (
            format!("/api/applications/{id}/documents?kind={kind}"),
            bearer.clone(),
        );
        async move {
            e2e::request(
                a,
                "POST",
                &path,
                &[
                    ("authorization", &bearer),
                    ("content-type", "application/pdf"),
                ],
                &body,
            )
            .await
            .unwrap()
        }
    };
    let pdf = |n: usize, size: usize| {
        let mut b = format!("%PDF-1.4\n% statement {n}\n").into_bytes();
        b.resize(size, b' ');
        b
    };
    let mut first = String::new();
    for n in 0..20 {
        let r = upload("loan_contract", pdf(n, 100)).await;
        assert_eq!(r.status, 201, "{n}: {}", r.text());
        if n == 0 {
            first = r.json()["id"].as_str().unwrap().to_owned();
        }
    }
    let before = dump(&state);
    let r = upload("loan_contract", pdf(20, 100)).await;
    assert_eq!(assert_error(&r, 409, "document_quota")["field"], "kind");
    // A kind that is none of the four, however it is written: 400 naming it.
    for s in hostile()
        .into_iter()
        .chain(["LOAN_CONTRACT".to_owned(), String::new()])
    {
        let path = format!(
            "/api/applications/{id}/documents?kind={}",
            percent_encode(&s)
        );
        let r = e2e::request(
            a,
            "POST",
            &path,
            &[
                ("authorization", &bearer),
                ("content-type", "application/pdf"),
            ],
            &pdf(99, 100),
        )
        .await
        .unwrap();
        let e = assert_error(&r, 400, "invalid_field");
        assert_eq!(e["field"], "kind", "{s:?}: {e}");
    }
    assert_eq!(dump(&state), before, "nothing stored past the quota");
    let documents = count(&state, "documents");
    assert_eq!(
        upload("loan_contract", pdf(3, 100)).await.status,
        201,
        "the same file again"
    );
    assert_eq!(count(&state, "documents"), documents, "is stored once");

    // 40 MiB per kind: four statements of 10 MB fit, a fifth of 2 MB does not.
    for n in 0..4 {
        let r = upload("interest_statement", pdf(100 + n, 10_000_000)).await;
        assert_eq!(r.status, 201, "{}", r.text());
    }
    let r = upload("interest_statement", pdf(200, 2_000_000)).await;
    assert_error(&r, 409, "document_quota");

    // Officers read a document back; the enterprise and the public may not.
    let path = format!("/api/applications/{id}/documents/{first}");
    let r = call(a, "GET", &path, Some(OFFICER), &Value::Null).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.body, pdf(0, 100));
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert!(
        r.header("content-disposition")
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(r.header("content-security-policy"), Some("sandbox"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let owner = e2e::request(a, "GET", &path, &[("authorization", &bearer)], b"")
        .await
        .unwrap();
    assert_error(&owner, 403, "forbidden");
    assert_eq!(call(a, "GET", &path, None, &Value::Null).await.status, 401);
    let missing = format!("/api/applications/{id}/documents/DOC-0000000000000000-{id}");
    assert_error(
        &call(a, "GET", &missing, Some(OFFICER), &Value::Null).await,
        404,
        "document_not_found",
    );

    // The health route says what the round stores.
    let h = get(a, "/api/health/intake").await.json();
    assert_eq!(
        h["documents"],
        json!([{"round_year": 2026, "documents": 24, "bytes": 20 * 100 + 40_000_000}]),
        "{h}"
    );
    host.stop().await;
}

/// Issue 14 (medium): someone files in an enterprise's name and so claims its loan; the
/// enterprise's own application is refused (SUB-LOAN) until an officer voids the impostor's
/// with a reason — audited, shown on the application, refused for anyone else and once
/// the application is on the list — and then it proceeds.
#[tokio::test(flavor = "multi_thread")]
async fn officers_void_an_application_filed_in_an_enterprises_name() {
    let state = TempDir::new("hostile-void");
    let (host, id, token) = one_submitted(&state, 1, "HT-V-1").await;
    let a = host.addr;
    let own = application(1, "HT-V-1");
    let own_application = || call(a, "POST", "/api/applications", None, &own);
    assert_error(&own_application().await, 409, "rule_sub_loan");

    let path = format!("/api/applications/{id}/void");
    let reason = json!({"reason": "该企业书面声明未提交此申报，系他人冒名申报。"});
    let before = dump(&state);
    for (who, status) in [(None, 401), (Some(token.as_str()), 403)] {
        assert_eq!(call(a, "POST", &path, who, &reason).await.status, status);
    }
    let r = call(a, "POST", &path, Some(OFFICER), &json!({"reason": ""})).await;
    assert_eq!(assert_error(&r, 400, "invalid_field")["field"], "reason");
    assert_eq!(dump(&state), before, "refused voids store nothing");

    let v = call(a, "POST", &path, Some(OFFICER), &reason).await;
    assert_eq!(v.status, 200, "{}", v.text());
    assert_eq!(v.json()["status"], "withdrawn");
    let seen = call(
        a,
        "GET",
        &format!("/api/applications/{id}"),
        Some(&token),
        &Value::Null,
    )
    .await
    .json();
    assert_eq!(seen["status"], "withdrawn", "{seen}");
    assert_eq!(seen["voided"]["reason"], reason["reason"], "{seen}");
    let audited = one_string(
        &state,
        "SELECT action FROM audit_log WHERE subject = 'MTG-2026-00001' ORDER BY id DESC LIMIT 1",
    );
    assert_eq!(audited, "application.void");
    assert_error(
        &call(a, "POST", &path, Some(OFFICER), &reason).await,
        409,
        "conflict",
    );

    // The enterprise's own application now proceeds.
    let r = own_application().await;
    assert_eq!(r.status, 201, "{}", r.text());
    host.stop().await;
}

/// Issue 14 (medium): an `Idempotency-Key` retry gets the first answer with the *same*
/// receipt token (the saved one keeps working), also after the window closed and a fraud
/// finding; keys are the enterprise's own (another enterprise's same key is its own).
#[tokio::test(flavor = "multi_thread")]
async fn a_retry_gets_the_same_receipt_even_after_the_window_closed() {
    let state = TempDir::new("hostile-idempotency");
    let host = App::local().at(OPEN).start(&state).await;
    let a = host.addr;
    open_the_2026_round(a).await;
    let key = [
        ("content-type", "application/json"),
        ("idempotency-key", "retry-7f3a"),
    ];
    let submit = |n: u32| {
        let body = application(n, &format!("HT-I-{n}")).to_string();
        async move {
            e2e::request(a, "POST", "/api/applications", &key, body.as_bytes())
                .await
                .unwrap()
        }
    };
    let first = submit(2).await.json();
    let again = submit(2).await.json();
    assert_eq!(
        (&first["id"], &first["receipt_token"]),
        (&again["id"], &again["receipt_token"]),
        "{again}"
    );
    let token = first["receipt_token"].as_str().unwrap().to_owned();
    let path = format!("/api/applications/{}", first["id"].as_str().unwrap());
    assert_eq!(
        call(a, "GET", &path, Some(&token), &Value::Null)
            .await
            .status,
        200,
        "the saved token works"
    );
    let other = submit(3).await.json();
    assert_ne!(
        other["id"], first["id"],
        "another enterprise's key is its own: {other}"
    );
    host.stop().await;

    // After the window, and after a fraud finding: the same answer, the same token.
    let host = App::local().at(IN_NOTICE).start(&state).await;
    let a = host.addr;
    let fraud = json!({"kind": "false_documents", "determined_on": "2026-05-01", "reference": "门知执〔2026〕2号"});
    let r = call(
        a,
        "POST",
        &format!("/api/enterprises/{}/fraud", code(2)),
        Some(ADMIN),
        &fraud,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let late = e2e::request(
        a,
        "POST",
        "/api/applications",
        &key,
        application(2, "HT-I-2").to_string().as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(late.status, 201, "{}", late.text());
    assert_eq!(
        (&late.json()["id"], late.json()["receipt_token"].as_str()),
        (&first["id"], Some(token.as_str()))
    );
    let fresh = call(
        a,
        "POST",
        "/api/applications",
        None,
        &application(4, "HT-I-4"),
    )
    .await;
    assert_error(&fresh, 409, "rule_proc_late");
    host.stop().await;
}

/// Issue 14 (critical): the same patent pledged by an unrelated enterprise in the round is
/// flagged for the officer's review, naming the other application; the enterprise does
/// not see the flag (it names another's application).
#[tokio::test(flavor = "multi_thread")]
async fn the_same_patent_pledged_by_another_enterprise_is_flagged_for_officers() {
    let state = TempDir::new("hostile-flags");
    let (host, first, token) = one_submitted(&state, 1, "HT-F-1").await;
    let a = host.addr;
    let path = format!("/api/applications/{first}");
    let alone = call(a, "GET", &path, Some(OFFICER), &Value::Null)
        .await
        .json();
    assert_eq!(alone["flags"], json!([]), "{alone}");
    // Enterprise 2 pledges the same utility-model patent for its own loan.
    let second = call(
        a,
        "POST",
        "/api/applications",
        None,
        &application(2, "HT-F-2"),
    )
    .await
    .json();
    let second = second["id"].as_str().unwrap().to_owned();
    let v = call(a, "GET", &path, Some(OFFICER), &Value::Null)
        .await
        .json();
    let flags = v["flags"].as_array().unwrap();
    assert_eq!(flags.len(), 1, "{v}");
    assert_eq!(flags[0]["kind"], "right_pledged_elsewhere");
    assert_eq!(flags[0]["applications"], json!([second]));
    assert!(
        flags[0]["right_zh"]
            .as_str()
            .unwrap()
            .contains("202320654321.8"),
        "{v}"
    );
    let own = call(a, "GET", &path, Some(&token), &Value::Null)
        .await
        .json();
    assert!(own.get("flags").is_none(), "{own}");
    host.stop().await;
}

/// Issue 14: public application writes are throttled. One enterprise (by credit code)
/// stores at most 10 applications an hour — more is someone filing in its name — and one
/// peer address at most `applications_per_address_hour` (a coarse guard, set low here): the
/// next is a 429 with `Retry-After`, stores nothing, and leaves everyone else alone. A
/// refused application counts nothing; a retry with its Idempotency-Key is no new write.
#[tokio::test(flavor = "multi_thread")]
async fn public_application_writes_are_throttled_per_enterprise_and_per_address() {
    let state = TempDir::new("hostile-throttle");
    let host = App::local()
        .at(OPEN)
        .var("applications_per_address_hour", "13")
        .start(&state)
        .await;
    let a = host.addr;
    open_the_2026_round(a).await;
    let submit = |body: Value, key: Option<String>| async move {
        let text = body.to_string();
        let mut headers = vec![("content-type", "application/json")];
        if let Some(k) = &key {
            headers.push(("idempotency-key", k.as_str()));
        }
        e2e::request(a, "POST", "/api/applications", &headers, text.as_bytes())
            .await
            .unwrap()
    };
    // A refused application (a loan twice) counts nothing.
    let mut twice = application(1, "TH-0000");
    let loan = twice["loans"][0].clone();
    twice["loans"].as_array_mut().unwrap().push(loan);
    assert_error(&submit(twice, None).await, 400, "invalid_field");
    for i in 1..=10 {
        let key = (i == 1).then(|| "first-try".to_owned());
        let r = submit(application(1, &format!("TH-{i:04}")), key).await;
        assert_eq!(r.status, 201, "{i}: {}", r.text());
    }
    let before = dump(&state);
    let r = submit(application(1, "TH-0011"), None).await;
    let e = assert_error(&r, 429, "too_many_requests");
    assert!(e["message_zh"].as_str().unwrap().contains("该企业"), "{e}");
    let wait: u64 = r
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert_eq!(wait, 3600, "until the next clock hour (10:00 → 11:00)");
    assert_eq!(
        dump(&state),
        before,
        "a throttled application stores nothing"
    );
    // The first one's retry is its first answer again, not a new write.
    let r = submit(application(1, "TH-0001"), Some("first-try".into())).await;
    assert_eq!(r.status, 201, "{}", r.text());
    // Other enterprises from the same address, up to the address's limit (13).
    for n in 2..=4 {
        let r = submit(application(n, "TH-0001"), None).await;
        assert_eq!(r.status, 201, "{n}: {}", r.text());
    }
    let before = dump(&state);
    let r = submit(application(5, "TH-0001"), None).await;
    let e = assert_error(&r, 429, "too_many_requests");
    assert!(
        e["message_zh"].as_str().unwrap().contains("网络地址"),
        "{e}"
    );
    assert!(r.header("retry-after").is_some());
    assert_eq!(dump(&state), before);
    host.stop().await;
}

/// An answer's application number and receipt token.
fn receipt(v: &Value) -> (&str, &str) {
    let text = |k: &str| v[k].as_str().unwrap_or_else(|| panic!("no {k}: {v}"));
    (text("id"), text("receipt_token"))
}

/// Creates the 2026 round (its window open at [`OPEN`]).
async fn open_the_2026_round(a: SocketAddr) {
    let r = call(a, "POST", "/api/rounds", Some(ADMIN), &round(2026)).await;
    assert_eq!(r.status, 201, "{}", r.text());
}

/// A refusal in the house error shape whose status and code (or the start of it: a family
/// such as `uscc_`) are one of `expected`: an input may be refused as a bad value or as no
/// such thing, never anything else.
#[track_caller]
fn assert_refused_as(r: &Answer, expected: &[(u16, &str)], what: &str) {
    let code = r.json()["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        expected
            .iter()
            .any(|(status, start)| *status == r.status && code.starts_with(start)),
        "{what}: {} {code}, expected one of {expected:?}: {}",
        r.status,
        r.text()
    );
    assert_error(r, r.status, &code);
}

/// Issue 16: the enterprise corrects its application while the window is open — the same
/// number and receipt token, what it declared and the decision replaced, its old loan free
/// and the new one claimed (SUB-LOAN against its other application); never for another
/// enterprise, never by an officer, never once withdrawn, never after the window (PROC-LATE).
#[tokio::test(flavor = "multi_thread")]
async fn an_enterprise_corrects_its_application_in_the_window_under_the_same_number() {
    let state = TempDir::new("hostile-correction");
    let host = App::local().at(OPEN).start(&state).await;
    let a = host.addr;
    open_the_2026_round(a).await;
    let first = call(
        a,
        "POST",
        "/api/applications",
        None,
        &application(2, "HT-C-1"),
    )
    .await;
    assert_eq!(first.status, 201, "{}", first.text());
    let first = first.json();
    let (id, token) = receipt(&first);
    let correction = format!("/api/applications/{id}/correction");

    let mut fixed = application(2, "HT-C-2");
    let corrected_name = json!("北京恶意输入测试企业02有限公司（更正）");
    fixed["enterprise"]["name"] = corrected_name.clone();
    fixed["loans"][0]["pledged_rights"][0]["owner"] = corrected_name;
    fixed["loans"][0]["interest_paid"] = json!("80000.00");
    let r = call(a, "POST", &correction, Some(token), &fixed).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(
        (v["id"].as_str(), v["status"].as_str()),
        (Some(id), Some("submitted")),
        "{v}"
    );
    assert_eq!(
        v["decision"]["amount"], "40000.00",
        "half of the corrected interest: {v}"
    );
    let contract_now = |a: SocketAddr| async move {
        let path = format!("/api/applications/{id}");
        let read = call(a, "GET", &path, Some(token), &Value::Null)
            .await
            .json();
        (
            read["application"]["loans"][0]["contract_number"].clone(),
            read["decision"]["amount"].clone(),
        )
    };
    assert_eq!(contract_now(a).await, (json!("HT-C-2"), json!("40000.00")));
    // The first contract is free again: another application of the enterprise may name it,
    // and then the correction cannot take it back.
    let second = call(
        a,
        "POST",
        "/api/applications",
        None,
        &application(2, "HT-C-1"),
    )
    .await;
    assert_eq!(
        second.status,
        201,
        "the old loan was freed: {}",
        second.text()
    );
    let second = second.json();
    let r = call(
        a,
        "POST",
        &correction,
        Some(token),
        &application(2, "HT-C-1"),
    )
    .await;
    let e = assert_error(&r, 409, "rule_sub_loan");
    assert_eq!(e["field"], "loans[0].contract_number", "{e}");

    let r = call(
        a,
        "POST",
        &correction,
        Some(token),
        &application(3, "HT-C-3"),
    )
    .await;
    let e = assert_error(&r, 400, "invalid_field");
    assert_eq!(e["field"], "enterprise.credit_code", "{e}");
    let r = call(a, "POST", &correction, Some(OFFICER), &fixed).await;
    assert_error(&r, 403, "forbidden");
    let audited = one_string(
        &state,
        &format!("SELECT action FROM audit_log WHERE subject = '{id}' ORDER BY id DESC LIMIT 1"),
    );
    assert_eq!(audited, "application.correct");
    let (id2, token2) = receipt(&second);
    let w = call(
        a,
        "POST",
        &format!("/api/applications/{id2}/withdraw"),
        Some(token2),
        &Value::Null,
    )
    .await;
    assert_eq!(w.status, 200, "{}", w.text());
    let r = call(
        a,
        "POST",
        &format!("/api/applications/{id2}/correction"),
        Some(token2),
        &application(2, "HT-C-9"),
    )
    .await;
    assert_error(&r, 409, "conflict");
    host.stop().await;

    let host = App::local().at(IN_NOTICE).start(&state).await;
    let r = call(host.addr, "POST", &correction, Some(token), &fixed).await;
    assert_error(&r, 409, "rule_proc_late");
    assert_eq!(contract_now(host.addr).await.0, "HT-C-2", "unchanged");
    host.stop().await;
}
