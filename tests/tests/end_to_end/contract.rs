//! The OpenAPI document is a contract the answers keep (issue 14): a whole round is played
//! with the request bodies the document gives as examples, and every successful answer is
//! checked against the schema the document gives for its status and content type. Every
//! documented operation must be reached with a documented success, so a new route cannot
//! go undocumented and a changed answer cannot drift from its schema.
//!
//! `CONTRACT_DUMP=<folder>` also writes each answer there (one file per operation), to
//! write or review a schema from.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;

use e2e::app::{ADMIN, App, OFFICER, Session, call_raw};
use e2e::{Answer, TempDir};
use serde_json::{Value, json};

use crate::common::{IN_NOTICE, OPEN, PDF};
use crate::schema::validate;

/// After the notice period of the list published on 6 May 2026.
const AFTER_NOTICE: &str = "2026-05-20T10:00:00+08:00";
/// After the fraud determination of the example (1 June 2026).
const AFTER_FRAUD: &str = "2026-06-15T10:00:00+08:00";

/// The smallest JPEG and PNG the components recognise (their signatures).
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// The served document, the operations reached so far, and where the app listens.
struct Contract {
    doc: Value,
    addr: SocketAddr,
    reached: BTreeSet<(String, String)>,
    /// The values of the path parameters (`{id}` → `MTG-2026-00001`), as the round
    /// creates them.
    params: BTreeMap<&'static str, String>,
}

/// Who calls: a bearer token, or a signed-in person.
#[derive(Clone, Copy)]
enum Caller<'a> {
    Token(&'a str),
    Session(&'a Session),
}

/// What a call sends: the document's example for the operation, an example changed by
/// the test (a second enterprise), raw bytes of a type, or nothing.
enum Body<'a> {
    Example,
    Changed(&'a dyn Fn(Value) -> Value),
    Raw(&'a str, &'a [u8]),
    None,
}

impl Contract {
    fn operation(&self, template: &str, method: &str) -> &Value {
        let op = &self.doc["paths"][template][method.to_lowercase()];
        assert!(op.is_object(), "{method} {template} is not documented");
        op
    }

    /// The operation's JSON request example.
    fn example(&self, template: &str, method: &str) -> Value {
        let example = &self.operation(template, method)["requestBody"]["content"]["application/json"]
            ["example"];
        assert!(
            example.is_object(),
            "{method} {template}: the request body has no example"
        );
        example.clone()
    }

    /// Calls `method` on `target` (a documented path, its parameters filled in from
    /// `params`, and an optional query) and checks a 2xx answer against the documented
    /// schema for its status and content type. Answers the answer.
    async fn call(
        &mut self,
        method: &str,
        target: &str,
        token: Option<&str>,
        body: Body<'_>,
    ) -> Answer {
        self.call_as(method, target, token.map(Caller::Token), body)
            .await
    }

    /// As [`Contract::call`], for a signed-in person (the session cookie, its CSRF token).
    async fn call_in(
        &mut self,
        method: &str,
        target: &str,
        session: &Session,
        body: Body<'_>,
    ) -> Answer {
        self.call_as(method, target, Some(Caller::Session(session)), body)
            .await
    }

    async fn call_as(
        &mut self,
        method: &str,
        target: &str,
        caller: Option<Caller<'_>>,
        body: Body<'_>,
    ) -> Answer {
        let (template, query) = target.split_once('?').unwrap_or((target, ""));
        let mut path = template.to_owned();
        for (name, value) in &self.params {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        if !query.is_empty() {
            path = format!("{path}?{query}");
        }
        assert!(!path.contains('{'), "{path}: a parameter has no value yet");
        let (content_type, bytes) = match body {
            Body::Example => (
                "application/json",
                self.example(template, method).to_string().into_bytes(),
            ),
            Body::Changed(change) => (
                "application/json",
                change(self.example(template, method))
                    .to_string()
                    .into_bytes(),
            ),
            Body::Raw(t, b) => (t, b.to_vec()),
            Body::None => ("application/json", Vec::new()),
        };
        let r = match caller {
            None => call_raw(self.addr, method, &path, None, content_type, &bytes).await,
            Some(Caller::Token(t)) => {
                call_raw(self.addr, method, &path, Some(t), content_type, &bytes).await
            }
            Some(Caller::Session(session)) => {
                let cookie = format!("mtg_session={}", session.cookie);
                let headers = [
                    ("content-type", content_type),
                    ("cookie", cookie.as_str()),
                    ("x-csrf-token", session.csrf.as_str()),
                ];
                e2e::request(self.addr, method, &path, &headers, &bytes)
                    .await
                    .unwrap()
            }
        };
        assert!(
            (200..300).contains(&r.status),
            "{method} {path}: {} {}",
            r.status,
            r.text()
        );
        self.conforms(method, template, &r);
        self.reached
            .insert((template.to_owned(), method.to_lowercase()));
        r
    }

    fn conforms(&self, method: &str, template: &str, r: &Answer) {
        let op = self.operation(template, method);
        let documented = &op["responses"][r.status.to_string()];
        assert!(
            documented.is_object(),
            "{method} {template}: {} is not a documented answer",
            r.status
        );
        if documented.get("content").is_none() {
            assert!(
                r.body.is_empty(),
                "{method} {template} {}: a body",
                r.status
            );
            return;
        }
        let served = r
            .header("content-type")
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap()
            .trim()
            .to_owned();
        let content = documented["content"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {template} {}: no content documented", r.status));
        let media = content.get(&served).unwrap_or_else(|| {
            panic!(
                "{method} {template} {}: {served} is not documented ({:?})",
                r.status,
                content.keys().collect::<Vec<_>>()
            )
        });
        if let Ok(dir) = std::env::var("CONTRACT_DUMP") {
            let name = format!("{method} {template} {}", r.status).replace(['/', ' '], "_");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(format!("{dir}/{name}"), &r.body).unwrap();
        }
        let json = served == "application/json" || served.ends_with("+json");
        let schema = &media["schema"];
        assert!(
            schema.is_object(),
            "{method} {template} {}: {served} has no schema",
            r.status
        );
        if json {
            let value: Value = serde_json::from_slice(&r.body).unwrap_or_else(|e| {
                panic!(
                    "{method} {template}: the answer is not JSON ({e}): {}",
                    r.text()
                )
            });
            if let Err(e) = validate(&self.doc, schema, &value) {
                panic!("{method} {template} {}: {e}\nthe answer: {value}", r.status);
            }
        } else {
            assert_eq!(schema["type"], "string", "{method} {template}: {schema}");
            assert!(!r.body.is_empty(), "{method} {template}: an empty answer");
        }
    }
}

e2e::on_both_hosts! {
/// The whole round from the document's examples; every operation reached and conforming.
async fn every_documented_operation_answers_as_its_schema_says(rt) {
    let state = TempDir::new("contract");
    let (admin, officer) = (Some(ADMIN), Some(OFFICER));
    use Body::{Changed, Example, None as Nothing, Raw};

    // In the window: the round, applications, documents, the enterprise's records.
    let host = App::on(rt).at(OPEN).start(&state).await;
    let doc = e2e::get(host.addr, "/api/openapi.json").await.json();
    let mut c = Contract {
        doc,
        addr: host.addr,
        reached: BTreeSet::new(),
        params: BTreeMap::from([("year", "2026".to_owned())]),
    };
    c.call("GET", "/api/openapi.json", None, Nothing).await;
    for component in e2e::COMPONENTS {
        c.call("GET", &format!("/api/health/{component}"), None, Nothing).await;
    }
    // The office's people (issue 15): the first administrator (the example's sign-in is the
    // tests' first-admin variables) creates an officer, who signs in and works in person.
    let first = c.call("POST", "/api/session", None, Example).await;
    let admin_session = Session::from_answer(&first);
    c.call_in("GET", "/api/session", &admin_session, Nothing).await;
    c.call_in("POST", "/api/accounts", &admin_session, Example).await;
    c.call("GET", "/api/accounts", admin, Nothing).await;
    c.params.insert("username", "wang.fang".to_owned());
    c.call_in("POST", "/api/accounts/{username}", &admin_session, Example).await;
    let account = c.example("/api/accounts", "POST");
    let person = Session::sign_in(
        c.addr,
        account["username"].as_str().unwrap(),
        account["password"].as_str().unwrap(),
    )
    .await;
    let token = c.call_in("POST", "/api/session/tokens", &person, Example).await.json();
    c.call_in("GET", "/api/session/tokens", &person, Nothing).await;
    c.params.insert("id", token["id"].to_string());
    c.call_in("DELETE", "/api/session/tokens/{id}", &person, Nothing).await;
    c.params.remove("id");
    c.call_in("POST", "/api/session/password", &person, Example).await;
    c.call("GET", "/api/audit?actor=account:wang.fang", admin, Nothing).await;
    c.call_in("DELETE", "/api/session", &person, Nothing).await;
    c.call("POST", "/api/rounds", admin, Example).await;
    c.call("GET", "/api/rounds", None, Nothing).await;
    c.call("GET", "/api/rounds/current", None, Nothing).await;
    c.call("GET", "/api/rounds/{year}", None, Nothing).await;
    c.call("POST", "/api/precheck", None, Example).await;

    let submitted = c.call("POST", "/api/applications", None, Example).await.json();
    let receipt = submitted["receipt_token"].as_str().unwrap().to_owned();
    c.params.insert("id", submitted["id"].as_str().unwrap().to_owned());
    let code = c.example("/api/applications", "POST")["enterprise"]["credit_code"].clone();
    c.params.insert("code", code.as_str().unwrap().to_owned());
    // Two more enterprises: one withdraws, an officer voids the other.
    let mut others = Vec::new();
    for n in [2u32, 3] {
        let other = crate::common::code(n);
        let change = |mut a: Value| {
            a["enterprise"]["credit_code"] = json!(other);
            a["enterprise"]["name"] = json!(format!("北京{other}有限公司"));
            a["loans"][0]["contract_number"] = json!(format!("BJ-{other}"));
            a["loans"][0]["pledged_rights"][0]["owner"] = a["enterprise"]["name"].clone();
            a
        };
        let v = c.call("POST", "/api/applications", None, Changed(&change)).await.json();
        others.push((v["id"].as_str().unwrap().to_owned(), v["receipt_token"].as_str().unwrap().to_owned()));
    }
    c.call("GET", "/api/applications/{id}", Some(&receipt), Nothing).await;
    // Corrected as submitted: the same number, its own loans still its own.
    let v = c.call("POST", "/api/applications/{id}/correction", Some(&receipt), Example).await.json();
    assert_eq!(v["id"], c.params["id"].as_str(), "{v}");
    for (kind, t, bytes) in [
        ("loan_contract", "application/pdf", PDF),
        ("pledge_registration", "image/jpeg", JPEG),
        ("repayment_proof", "image/png", PNG),
    ] {
        let target = format!("/api/applications/{{id}}/documents?kind={kind}");
        let stored = c.call("POST", &target, Some(&receipt), Raw(t, bytes)).await.json();
        c.params.insert("doc", stored["id"].as_str().expect("the document's id").to_owned());
        let r = c.call("GET", "/api/applications/{id}/documents/{doc}", officer, Nothing).await;
        assert_eq!(r.body, bytes, "the document comes back as sent");
    }
    // Again with the documents: the application lists them, the health counts them.
    let v = c.call("GET", "/api/applications/{id}", Some(&receipt), Nothing).await.json();
    assert_eq!(v["documents"].as_array().map(Vec::len), Some(3), "{v}");
    let v = c.call("GET", "/api/health/intake", None, Nothing).await.json();
    assert_eq!(v["documents"][0]["documents"], 3, "{v}");
    let id = c.params["id"].clone();
    c.params.insert("id", others[0].0.clone());
    c.call("POST", "/api/applications/{id}/withdraw", Some(&others[0].1), Nothing).await;
    c.params.insert("id", others[1].0.clone());
    c.call("POST", "/api/applications/{id}/void", officer, Example).await;
    c.params.insert("id", id);
    c.call("GET", "/api/applications?round=2026", officer, Nothing).await;
    c.call("POST", "/api/enterprises/{code}/history", officer, Example).await;
    // A finding against an enterprise that did not apply, so the round's one line stands.
    let code = c.params.insert("code", crate::common::code(9)).unwrap();
    let finding = c.call("POST", "/api/enterprises/{code}/credit-findings", officer, Example).await.json();
    c.params.insert("id", finding["id"].as_i64().expect("the finding's id").to_string());
    c.call("POST", "/api/enterprises/{code}/credit-findings/{id}", officer, Example).await;
    c.params.insert("code", code);
    c.params.insert("id", submitted["id"].as_str().unwrap().to_owned());
    c.call("GET", "/api/enterprises/{code}", officer, Nothing).await;
    host.stop().await;

    // After the window: review, allocation, the proposed list on notice, an objection.
    let host = App::on(rt)
        .at(IN_NOTICE)
        .var("objection_proof_bits", "8")
        .start(&state)
        .await;
    c.addr = host.addr;
    c.call("POST", "/api/rounds/{year}/stage", admin, Example).await;
    let to_review = |_: Value| json!({"to": "under_review"});
    c.call("POST", "/api/rounds/{year}/stage", admin, Changed(&to_review)).await;
    c.call("POST", "/api/applications/{id}/review", officer, Example).await;
    c.call("POST", "/api/rounds/{year}/allocation", admin, Nothing).await;
    c.call("GET", "/api/rounds/{year}/allocation", officer, Nothing).await;
    let notice = c.call("POST", "/api/notices", officer, Example).await.json();
    let notice_id = notice["id"].as_str().expect("the notice's id").to_owned();
    c.params.insert("id", notice_id);
    for read in ["/api/notices", "/api/notices/{id}", "/notices", "/notices/{id}", "/feeds/notices.atom", "/feeds/notices.json"] {
        c.call("GET", read, None, Nothing).await;
    }
    c.call("POST", "/api/notices/{id}/corrections", officer, Example).await;
    // The objection carries a proof of work (a small one here).
    let challenge = c.call("GET", "/api/objections/challenge", None, Nothing).await.json();
    let proof = json!({
        "challenge": challenge["challenge"],
        "nonce": crate::common::nonce(challenge["challenge"].as_str().unwrap(), 8, true),
    });
    let with_proof = |mut o: Value| {
        o["proof"] = proof.clone();
        o
    };
    let filed = c.call("POST", "/api/objections", None, Changed(&with_proof)).await.json();
    let objector = filed["token"].as_str().expect("the objector's token").to_owned();
    let number = filed["tracking_number"].as_str().expect("the objection's number");
    c.params.insert("id", number.to_owned());
    c.params.insert("n", "1".to_owned());
    c.call("GET", "/api/objections/{id}", Some(&objector), Nothing).await;
    c.call("GET", "/api/objections/{id}/evidence/{n}", officer, Nothing).await;
    for target in ["/api/objections", "/api/objections?notice=2026-proposed"] {
        c.call("GET", target, officer, Nothing).await;
    }
    c.call("POST", "/api/objections/{id}/conclusion", officer, Example).await;
    c.call("GET", "/api/objections/{id}", officer, Nothing).await;
    host.stop().await;

    // After the period: the government's approval, payment, the payments notice, exports.
    let host = App::on(rt).at(AFTER_NOTICE).start(&state).await;
    c.addr = host.addr;
    c.call("POST", "/api/rounds/{year}/allocation/approval", admin, Example).await;
    c.call("POST", "/api/rounds/{year}/allocation/payments", admin, Example).await;
    let payments_notice = |_: Value| json!({"kind": "payments", "round_year": 2026});
    c.call("POST", "/api/notices", officer, Changed(&payments_notice)).await;
    // The enterprise follows its application to the end (issue 16): every step filled in.
    c.params.insert("id", submitted["id"].as_str().unwrap().to_owned());
    let v = c.call("GET", "/api/applications/{id}", Some(&receipt), Nothing).await.json();
    let p = &v["progress"];
    for step in ["listed", "approval", "payment"] {
        assert!(p[step].is_object(), "{step}: {v}");
    }
    assert!(p["payment"]["notice_id"].is_string(), "disclosed: {v}");
    for list in ["proposed", "approved", "paid"] {
        for format in ["csv", "xlsx"] {
            let target = format!("/api/rounds/{{year}}/allocation/export.{format}?list={list}");
            c.call("GET", &target, officer, Nothing).await;
        }
    }
    host.stop().await;

    // After a fraud determination: the claims, money received back, the disclosure.
    let host = App::on(rt).at(AFTER_FRAUD).start(&state).await;
    c.addr = host.addr;
    c.call("POST", "/api/enterprises/{code}/fraud", admin, Example).await;
    c.call("POST", "/api/enterprises/{code}/recoveries", admin, Example).await;
    c.call("GET", "/api/disclosure", None, Nothing).await;
    c.call("GET", "/api/enterprises/{code}", officer, Nothing).await;
    host.stop().await;

    let documented: BTreeSet<(String, String)> = c.doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .filter(|m| !matches!(m.as_str(), "parameters" | "summary" | "description"))
                .map(move |m| (path.clone(), m.clone()))
        })
        .collect();
    let missed: Vec<_> = documented.difference(&c.reached).collect();
    assert!(
        missed.is_empty(),
        "documented but never answered with a success: {missed:?}"
    );
}
}

/// Every JSON request body of the document has an example, and the pre-check's is the
/// rules crate's documented example request (one example, not two that drift apart).
#[test]
fn every_request_body_has_an_example() {
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(e2e::root().join("web/api/openapi.json")).unwrap(),
    )
    .unwrap();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let Some(content) = op["requestBody"]["content"].as_object() else {
                continue;
            };
            for (media, body) in content {
                assert!(
                    body["schema"].is_object(),
                    "{method} {path} {media}: no schema"
                );
                if media == "application/json" {
                    let example = &body["example"];
                    assert!(example.is_object(), "{method} {path}: no example");
                    if let Some(schema) = body["schema"].as_object() {
                        let schema = Value::Object(schema.clone());
                        if let Err(e) = validate(&doc, &schema, example) {
                            panic!("{method} {path}: the example does not fit its schema: {e}");
                        }
                    }
                }
            }
        }
    }
    let precheck = &doc["paths"]["/api/precheck"]["post"]["requestBody"]["content"]["application/json"]
        ["example"];
    let documented: Value = serde_json::from_str(include_str!(
        "../../../shared/rules/data/example-precheck-request.json"
    ))
    .unwrap();
    assert_eq!(precheck, &documented);
}
