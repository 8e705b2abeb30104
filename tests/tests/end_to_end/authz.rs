//! Who may call what: every operation of the OpenAPI document × every kind of caller (no
//! token, a wrong token, an enterprise's receipt token, another enterprise's, an objector's
//! private token, an officer's, an administrator's deployment token; a signed-in
//! officer's and a signed-in auditor's session cookie with its CSRF token), each answer
//! asserted. The table is
//! checked against `/api/openapi.json`: an operation without a row fails the test, so a
//! new route must be added here. Refusals must leave the database exactly as it was;
//! every write that goes through leaves its audit row, naming who acted.

use crate::common::{IN_NOTICE, OPEN, PDF, code, db, dump, round};
use base64::Engine;
use e2e::app::{
    ADMIN, App, FIRST_ADMIN, FIRST_ADMIN_PASSWORD, OFFICER, Session, assert_error, call, call_raw,
};
use e2e::{Answer, TempDir, get};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::net::SocketAddr;

const WRONG: &str = "not-a-token-anyone-was-given-0001";

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Nobody,
    Wrong,
    /// The receipt token of the application the path names (enterprise A).
    Owner,
    /// Another enterprise's receipt token (B).
    OtherEnterprise,
    /// The private token of the objection (objector).
    Objector,
    Officer,
    Admin,
    /// A signed-in officer (issue 15): the session cookie and its CSRF token.
    OfficerSession,
    /// A signed-in auditor: reads what the office reads, writes nothing.
    AuditorSession,
    /// The officer's personal API token (`Bearer mtg_…`), for automation.
    OfficerToken,
}

const EVERYONE: [Who; 10] = [
    Who::Nobody,
    Who::Wrong,
    Who::Owner,
    Who::OtherEnterprise,
    Who::Objector,
    Who::Officer,
    Who::Admin,
    Who::OfficerSession,
    Who::AuditorSession,
    Who::OfficerToken,
];

/// The password of the accounts the seed creates (officer and auditor).
const PERSON_PASSWORD: &str = "a person's password, 2026";

/// An expected answer: a status and, for errors, the code.
#[derive(Debug, Clone, Copy)]
struct Expect(u16, Option<&'static str>);

const OK: Expect = Expect(200, None);
const CREATED: Expect = Expect(201, None);
const NO_CONTENT: Expect = Expect(204, None);

/// Who may call an operation, and what the allowed callers get (in the seeded state).
#[derive(Debug, Clone, Copy)]
enum Access {
    /// Anyone; the same answer for everybody, whatever token comes along.
    Public(Expect),
    /// Officers and administrators.
    Officer { officer: Expect, admin: Expect },
    /// Administrators only.
    Admin(Expect),
    /// The enterprise's receipt token; officers (and administrators) as given.
    Receipt { owner: Expect, staff: Expect },
    /// The objector's private token, officers and administrators.
    Objection,
    /// The signed-in person's own session (issue 15): the session cookie only.
    Session {
        officer: Expect,
        auditor: Expect,
        /// The officer's personal token: a token is not a session (403), though it may
        /// list its person's tokens.
        token: Expect,
    },
    /// Signing in: anyone may try; the seed's wrong password is refused (401) until the
    /// name is throttled (429), and each failure is counted (the throttle's only write).
    SignIn,
}

impl Access {
    /// The OpenAPI `security` scheme names this access corresponds to.
    fn schemes(self) -> BTreeSet<&'static str> {
        let s: &[&str] = match self {
            Access::Public(_) => &[],
            Access::Officer { .. } => &["officer"],
            Access::Admin(_) => &["admin"],
            Access::Receipt { .. } => &["receipt"],
            Access::Objection => &["objection", "officer"],
            Access::Session { .. } => &["session"],
            Access::SignIn => &[],
        };
        s.iter().copied().collect()
    }

    /// What `who` must get (`None`: public, compared across callers instead).
    fn expect(self, who: Who, method: &str) -> Option<Expect> {
        let unauthorized = Expect(401, Some("unauthorized"));
        let forbidden = Expect(403, Some("forbidden"));
        if let Access::Public(e) = self {
            return Some(e);
        }
        if matches!(self, Access::SignIn) {
            return None;
        }
        if who == Who::Nobody {
            return Some(unauthorized);
        }
        let read = method == "GET";
        Some(match (self, who) {
            (Access::Session { officer, .. }, Who::OfficerSession) => officer,
            (Access::Session { auditor, .. }, Who::AuditorSession) => auditor,
            (Access::Session { token, .. }, Who::OfficerToken) => token,
            // Only the session cookie opens a person's own session.
            (Access::Session { .. }, _) => unauthorized,
            // A person acts in their role: an officer as the officers' token does; an
            // auditor reads what an administrator reads and writes nothing.
            // (It calls after both tokens: a write only the first caller makes finds it
            // made, as the administrator's token does.)
            (Access::Officer { admin, .. }, Who::OfficerSession | Who::OfficerToken) => admin,
            (Access::Officer { admin, .. } | Access::Admin(admin), Who::AuditorSession) if read => {
                admin
            }
            // A signed-in person is known: as the office's tokens are (an enterprise's own
            // writes take its receipt token).
            (
                Access::Receipt { staff, .. },
                Who::OfficerSession | Who::AuditorSession | Who::OfficerToken,
            ) => staff,
            (Access::Objection, Who::OfficerSession | Who::AuditorSession | Who::OfficerToken) => {
                OK
            }
            (Access::Officer { officer, .. }, Who::Officer) => officer,
            (Access::Officer { admin, .. }, Who::Admin) => admin,
            (Access::Admin(e), Who::Admin) => e,
            (Access::Receipt { owner, .. }, Who::Owner) => owner,
            (Access::Receipt { staff, .. }, Who::Officer | Who::Admin) => staff,
            (Access::Objection, Who::Objector | Who::Officer | Who::Admin) => OK,
            _ => forbidden,
        })
    }
}

/// A request body.
#[derive(Debug, Clone)]
enum Body {
    None,
    Json(Value),
    Pdf,
}

struct Row {
    method: &'static str,
    /// The OpenAPI path template.
    template: &'static str,
    path: String,
    body: Body,
    access: Access,
}

fn application(n: u32, right: Value) -> Value {
    let name = format!("北京授权测试企业{n:02}有限公司");
    let mut right = right;
    right["owner"] = name.clone().into();
    json!({
        "enterprise": {"credit_code": code(n), "name": name, "registered_in_district": true,
                       "pays_tax_in_district": true, "industry": "manufacturing"},
        "loans": [{
            "lender_kind": "bank", "lender_name": "北京银行门头沟支行",
            "contract_number": format!("AZ-{n:04}"), "principal": "5000000.00",
            "start_date": "2024-06-01", "maturity_date": "2025-05-31",
            "final_repayment_date": "2025-05-30", "overdue": false,
            "interest_paid": "100000.00", "pledged_rights": [right]
        }],
        "declared_truthful": true
    })
}

fn utility_model() -> Value {
    json!({"kind": "patent", "application_number": "202320654321.8", "patent_type": "utility_model"})
}

fn objection(notice: &str) -> Value {
    json!({
        "notice_id": notice, "entry": 1,
        "objector": {"name": "李四", "contact": "13800000000", "relation": "同行业企业员工"},
        "grounds": "该企业的贷款在覆盖期内曾经逾期，不符合条件。",
        "evidence": [{"file_name": "bank.pdf", "content_type": "application/pdf",
                      "data_base64": base64::engine::general_purpose::STANDARD.encode(PDF)}]
    })
}

fn audit_rows(state: &TempDir) -> Vec<(String, String)> {
    db(state)
        .prepare("SELECT actor, action FROM audit_log ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The tokens of the seeded data.
struct Seeded {
    app_a: String,
    receipt_a: String,
    receipt_b: String,
    objection: String,
    objection_token: String,
    officer_session: Session,
    auditor_session: Session,
    officer_token: String,
}

impl Seeded {
    fn token(&self, who: Who) -> Option<&str> {
        match who {
            Who::Nobody => None,
            Who::Wrong => Some(WRONG),
            Who::Owner => Some(&self.receipt_a),
            Who::OtherEnterprise => Some(&self.receipt_b),
            Who::Objector => Some(&self.objection_token),
            Who::Officer => Some(OFFICER),
            Who::Admin => Some(ADMIN),
            Who::OfficerSession | Who::AuditorSession => None,
            Who::OfficerToken => Some(&self.officer_token),
        }
    }

    fn session(&self, who: Who) -> Option<&Session> {
        match who {
            Who::OfficerSession => Some(&self.officer_session),
            Who::AuditorSession => Some(&self.auditor_session),
            _ => None,
        }
    }
}

async fn created(r: Answer) -> Value {
    assert!(matches!(r.status, 200 | 201), "{}", r.text());
    r.json()
}

/// A round in its notice period: two enterprises' applications reviewed and on the
/// published list, one objection with one evidence file.
async fn seed(state: &TempDir) -> (e2e::app::AppHost, Seeded) {
    let host = App::local().at(OPEN).start(state).await;
    let a = host.addr;
    created(call(a, "POST", "/api/rounds", Some(ADMIN), &round(2026)).await).await;
    let mut receipts = Vec::new();
    for n in [1, 2] {
        let v = created(
            call(
                a,
                "POST",
                "/api/applications",
                None,
                &application(n, utility_model()),
            )
            .await,
        )
        .await;
        receipts.push((
            v["id"].as_str().unwrap().to_owned(),
            v["receipt_token"].as_str().unwrap().to_owned(),
        ));
    }
    host.stop().await;

    let host = App::local().at(IN_NOTICE).start(state).await;
    let a = host.addr;
    for to in ["closed", "under_review"] {
        let body = json!({ "to": to });
        created(call(a, "POST", "/api/rounds/2026/stage", Some(ADMIN), &body).await).await;
    }
    let review = e2e::fixtures::review(2026, &["tax"]);
    for (id, _) in &receipts {
        let path = format!("/api/applications/{id}/review");
        created(call(a, "POST", &path, Some(OFFICER), &review).await).await;
    }
    let path = "/api/rounds/2026/allocation";
    created(call(a, "POST", path, Some(ADMIN), &Value::Null).await).await;
    let body = json!({"kind": "proposed_list", "round_year": 2026});
    created(call(a, "POST", "/api/notices", Some(OFFICER), &body).await).await;
    let v = created(
        call(
            a,
            "POST",
            "/api/objections",
            None,
            &objection("2026-proposed"),
        )
        .await,
    )
    .await;
    // The office's people: the first administrator (the Spin variables) creates an officer
    // and an auditor, who sign in; the officer has a personal API token (id 1).
    let admin = Session::sign_in(a, FIRST_ADMIN, FIRST_ADMIN_PASSWORD).await;
    for (username, role) in [("wang.fang", "officer"), ("zhao.min", "auditor")] {
        let body = json!({"username": username, "display_name": username, "role": role,
                          "password": PERSON_PASSWORD});
        created(admin.call(a, "POST", "/api/accounts", &body).await).await;
    }
    let officer_session = Session::sign_in(a, "wang.fang", PERSON_PASSWORD).await;
    let auditor_session = Session::sign_in(a, "zhao.min", PERSON_PASSWORD).await;
    let body = json!({"label": "seed"});
    created(
        officer_session
            .call(a, "POST", "/api/session/tokens", &body)
            .await,
    )
    .await;
    let body = json!({"label": "the matrix's caller"});
    let token = created(
        officer_session
            .call(a, "POST", "/api/session/tokens", &body)
            .await,
    )
    .await;
    let seeded = Seeded {
        officer_token: token["token"].as_str().unwrap().to_owned(),
        officer_session,
        auditor_session,
        app_a: receipts[0].0.clone(),
        receipt_a: receipts[0].1.clone(),
        receipt_b: receipts[1].1.clone(),
        objection: v["tracking_number"].as_str().unwrap().to_owned(),
        objection_token: v["token"].as_str().unwrap().to_owned(),
    };
    (host, seeded)
}

fn table(s: &Seeded) -> Vec<Row> {
    let id = &s.app_a;
    let obj = &s.objection;
    let row = |method, template, path: &str, body, access| Row {
        method,
        template,
        path: path.to_owned(),
        body,
        access,
    };
    let j = Body::Json;
    let public = Access::Public(OK);
    let read = Access::Officer {
        officer: OK,
        admin: OK,
    };
    let forbidden = Expect(403, Some("forbidden"));
    let unauthorized = Expect(401, Some("unauthorized"));
    let person = |e: Expect, token: Expect| Access::Session {
        officer: e,
        auditor: e,
        token,
    };
    let both = |e: Expect| Access::Officer {
        officer: e,
        admin: e,
    };
    let precheck = json!({"as_of": OPEN, "round": round(2026), "application": application(1, utility_model())});
    let history =
        json!({"records": [{"year": 2020, "amount": "1000.00", "reference": "门知〔2020〕9号"}]});
    let credit = json!({"kind": "tax_non_compliance", "date": "2026-01-05", "source": "区税务局"});
    let repair = json!({"action": "repair", "repaired_on": "2026-03-01", "reason": "已补缴"});
    let fraud = json!({"kind": "false_documents", "determined_on": "2026-01-05", "reference": "门知罚〔2026〕1号"});
    let recovery = json!({"claim_id": 1, "received_on": "2026-03-01", "amount": "1.00", "reference": "缴款书 1"});
    let correction = json!({"entry": 1, "text_zh": "第1号企业名称更正。", "text_en": "Entry 1: the name is corrected."});
    let conclusion = json!({"outcome": "dismissed", "reasons_zh": "经核查贷款未逾期。", "reasons_en": "The loan was never overdue."});
    let approval = json!({"approved_on": "2026-05-06", "reference": "区政府第12次常务会议"});
    let payment = json!({"application_id": id, "paid_on": "2026-05-06", "amount": "1.00", "bank_reference": "BANK-1"});
    let mut rows = Vec::new();
    for c in e2e::COMPONENTS {
        let path = format!("/api/health/{c}");
        // The template is the path itself: leak it to get a 'static str.
        let template: &'static str = Box::leak(path.clone().into_boxed_str());
        rows.push(row("GET", template, &path, Body::None, public));
    }
    rows.extend([
        row(
            "GET",
            "/api/openapi.json",
            "/api/openapi.json",
            Body::None,
            public,
        ),
        // An administrator creates next year's round; officers may not.
        row(
            "POST",
            "/api/rounds",
            "/api/rounds",
            j(round(2027)),
            Access::Admin(CREATED),
        ),
        row("GET", "/api/rounds", "/api/rounds", Body::None, public),
        row(
            "GET",
            "/api/rounds/current",
            "/api/rounds/current",
            Body::None,
            public,
        ),
        row(
            "GET",
            "/api/rounds/{year}",
            "/api/rounds/2026",
            Body::None,
            public,
        ),
        row(
            "POST",
            "/api/rounds/{year}/stage",
            "/api/rounds/2026/stage",
            j(json!({"to": "closed"})),
            Access::Admin(Expect(409, Some("rule_proc_guide"))),
        ),
        row(
            "GET",
            "/api/applications",
            "/api/applications?round=2026",
            Body::None,
            read,
        ),
        // Nobody may apply now (2027's window is not open yet), whoever asks.
        row(
            "POST",
            "/api/applications",
            "/api/applications",
            j(application(3, utility_model())),
            Access::Public(Expect(409, Some("rule_proc_guide"))),
        ),
        row(
            "GET",
            "/api/applications/{id}",
            &format!("/api/applications/{id}"),
            Body::None,
            Access::Receipt {
                owner: OK,
                staff: OK,
            },
        ),
        // Only the enterprise acts for itself; the window is closed, so even it is refused.
        row(
            "POST",
            "/api/applications/{id}/withdraw",
            &format!("/api/applications/{id}/withdraw"),
            Body::None,
            Access::Receipt {
                owner: Expect(409, Some("rule_proc_late")),
                staff: Expect(403, Some("forbidden")),
            },
        ),
        row(
            "POST",
            "/api/applications/{id}/correction",
            &format!("/api/applications/{id}/correction"),
            j(application(1, utility_model())),
            Access::Receipt {
                owner: Expect(409, Some("rule_proc_late")),
                staff: Expect(403, Some("forbidden")),
            },
        ),
        row(
            "POST",
            "/api/applications/{id}/documents",
            &format!("/api/applications/{id}/documents?kind=loan_contract"),
            Body::Pdf,
            Access::Receipt {
                owner: Expect(409, Some("conflict")),
                staff: Expect(403, Some("forbidden")),
            },
        ),
        row(
            "POST",
            "/api/applications/{id}/void",
            &format!("/api/applications/{id}/void"),
            j(json!({"reason": "冒名申报，予以作废。"})),
            both(Expect(409, Some("conflict"))),
        ),
        row(
            "GET",
            "/api/applications/{id}/documents/{doc}",
            &format!("/api/applications/{id}/documents/DOC-0000000000000000-{id}"),
            Body::None,
            both(Expect(404, Some("document_not_found"))),
        ),
        row(
            "POST",
            "/api/applications/{id}/review",
            &format!("/api/applications/{id}/review"),
            j(json!({"opinions": []})),
            both(Expect(409, Some("rule_proc_review"))),
        ),
        row(
            "GET",
            "/api/enterprises/{code}",
            &format!("/api/enterprises/{}", code(1)),
            Body::None,
            read,
        ),
        row(
            "POST",
            "/api/enterprises/{code}/history",
            &format!("/api/enterprises/{}/history", code(9)),
            j(history),
            both(CREATED),
        ),
        row(
            "POST",
            "/api/enterprises/{code}/credit-findings",
            &format!("/api/enterprises/{}/credit-findings", code(9)),
            j(credit),
            both(CREATED),
        ),
        row(
            "POST",
            "/api/enterprises/{code}/credit-findings/{id}",
            &format!("/api/enterprises/{}/credit-findings/1", code(9)),
            j(repair),
            both(OK),
        ),
        row(
            "POST",
            "/api/enterprises/{code}/fraud",
            &format!("/api/enterprises/{}/fraud", code(9)),
            j(fraud),
            Access::Admin(CREATED),
        ),
        row(
            "POST",
            "/api/enterprises/{code}/recoveries",
            &format!("/api/enterprises/{}/recoveries", code(9)),
            j(recovery),
            Access::Admin(CREATED),
        ),
        row(
            "POST",
            "/api/precheck",
            "/api/precheck",
            j(precheck),
            public,
        ),
        row(
            "GET",
            "/api/rounds/{year}/allocation",
            "/api/rounds/2026/allocation",
            Body::None,
            read,
        ),
        row(
            "POST",
            "/api/rounds/{year}/allocation",
            "/api/rounds/2026/allocation",
            Body::None,
            Access::Admin(Expect(409, Some("rule_budget"))),
        ),
        row(
            "POST",
            "/api/rounds/{year}/allocation/approval",
            "/api/rounds/2026/allocation/approval",
            j(approval),
            Access::Admin(Expect(409, Some("rule_proc_approve"))),
        ),
        row(
            "POST",
            "/api/rounds/{year}/allocation/payments",
            "/api/rounds/2026/allocation/payments",
            j(payment),
            Access::Admin(Expect(409, Some("rule_proc_approve"))),
        ),
        row(
            "GET",
            "/api/rounds/{year}/allocation/export.csv",
            "/api/rounds/2026/allocation/export.csv",
            Body::None,
            read,
        ),
        row(
            "GET",
            "/api/rounds/{year}/allocation/export.xlsx",
            "/api/rounds/2026/allocation/export.xlsx",
            Body::None,
            read,
        ),
        row(
            "GET",
            "/api/disclosure",
            "/api/disclosure",
            Body::None,
            public,
        ),
        row("GET", "/api/notices", "/api/notices", Body::None, public),
        row(
            "POST",
            "/api/notices",
            "/api/notices",
            j(json!({"kind": "proposed_list", "round_year": 2026})),
            both(Expect(409, Some("conflict"))),
        ),
        row(
            "GET",
            "/api/notices/{id}",
            "/api/notices/2026-proposed",
            Body::None,
            public,
        ),
        row(
            "POST",
            "/api/notices/{id}/corrections",
            "/api/notices/2026-proposed/corrections",
            j(correction),
            both(CREATED),
        ),
        row("GET", "/notices", "/notices", Body::None, public),
        row(
            "GET",
            "/notices/{id}",
            "/notices/2026-proposed",
            Body::None,
            public,
        ),
        row(
            "GET",
            "/feeds/notices.atom",
            "/feeds/notices.atom",
            Body::None,
            public,
        ),
        row(
            "GET",
            "/feeds/notices.json",
            "/feeds/notices.json",
            Body::None,
            public,
        ),
        row(
            "GET",
            "/api/objections/challenge",
            "/api/objections/challenge",
            Body::None,
            public,
        ),
        // The same objection again: refused alike for everybody, nothing stored.
        row(
            "POST",
            "/api/objections",
            "/api/objections",
            j(objection("2026-proposed")),
            Access::Public(Expect(409, Some("duplicate_objection"))),
        ),
        row(
            "GET",
            "/api/objections",
            "/api/objections?notice=2026-proposed",
            Body::None,
            read,
        ),
        row(
            "GET",
            "/api/objections/{id}",
            &format!("/api/objections/{obj}"),
            Body::None,
            Access::Objection,
        ),
        row(
            "GET",
            "/api/objections/{id}/evidence/{n}",
            &format!("/api/objections/{obj}/evidence/1"),
            Body::None,
            read,
        ),
        // The officer concludes; the administrator comes second and finds it concluded.
        row(
            "POST",
            "/api/objections/{id}/conclusion",
            &format!("/api/objections/{obj}/conclusion"),
            j(conclusion),
            Access::Officer {
                officer: OK,
                admin: Expect(409, Some("conflict")),
            },
        ),
        // The office's people (issue 15).
        row(
            "POST",
            "/api/session",
            "/api/session",
            j(json!({"username": "no.such.person", "password": "not the password at all"})),
            Access::SignIn,
        ),
        row(
            "GET",
            "/api/session",
            "/api/session",
            Body::None,
            person(OK, forbidden),
        ),
        row(
            "GET",
            "/api/session/tokens",
            "/api/session/tokens",
            Body::None,
            person(OK, OK),
        ),
        // A token does not make tokens.
        row(
            "POST",
            "/api/session/tokens",
            "/api/session/tokens",
            j(json!({"label": "夜间导出"})),
            person(CREATED, forbidden),
        ),
        // The officer's own token (the seed's first); the auditor has no token 1, and by
        // the officer's token's turn it is revoked.
        row(
            "DELETE",
            "/api/session/tokens/{id}",
            "/api/session/tokens/1",
            Body::None,
            Access::Session {
                officer: NO_CONTENT,
                auditor: Expect(404, Some("not_found")),
                token: Expect(404, Some("not_found")),
            },
        ),
        row("GET", "/api/accounts", "/api/accounts", Body::None, Access::Admin(OK)),
        row(
            "POST",
            "/api/accounts",
            "/api/accounts",
            j(json!({"username": "sun.li", "display_name": "孙丽", "role": "officer",
                     "password": "sun.li's first password"})),
            Access::Admin(CREATED),
        ),
        row(
            "POST",
            "/api/accounts/{username}",
            "/api/accounts/wang.fang",
            j(json!({"display_name": "王芳"})),
            Access::Admin(OK),
        ),
        row("GET", "/api/audit", "/api/audit?limit=5", Body::None, Access::Admin(OK)),
        row(
            "POST",
            "/api/session/password",
            "/api/session/password",
            j(json!({"current_password": PERSON_PASSWORD, "new_password": "another passphrase, 2026"})),
            // The officer's change revoked the officer's tokens before the token's turn.
            person(NO_CONTENT, unauthorized),
        ),
        // Last: signing out ends the sessions the rows above used.
        row(
            "DELETE",
            "/api/session",
            "/api/session",
            Body::None,
            person(NO_CONTENT, unauthorized),
        ),
    ]);
    rows
}

async fn send(a: SocketAddr, row: &Row, s: &Seeded, who: Who) -> Answer {
    if let Some(session) = s.session(who) {
        return match &row.body {
            Body::None => session.call(a, row.method, &row.path, &Value::Null).await,
            Body::Json(v) => session.call(a, row.method, &row.path, v).await,
            Body::Pdf => {
                let cookie = format!("mtg_session={}", session.cookie);
                let headers = [
                    ("content-type", "application/pdf"),
                    ("cookie", cookie.as_str()),
                    ("x-csrf-token", session.csrf.as_str()),
                ];
                e2e::request(a, row.method, &row.path, &headers, PDF)
                    .await
                    .unwrap()
            }
        };
    }
    let token = s.token(who);
    match &row.body {
        Body::None => call(a, row.method, &row.path, token, &Value::Null).await,
        Body::Json(v) => call(a, row.method, &row.path, token, v).await,
        Body::Pdf => call_raw(a, row.method, &row.path, token, "application/pdf", PDF).await,
    }
}

fn check(r: &Answer, e: Expect, what: &str) {
    match e.1 {
        Some(code) => {
            let got = (
                r.status,
                r.json()["error"]["code"].as_str().map(str::to_owned),
            );
            assert_eq!(got, (e.0, Some(code.to_owned())), "{what}: {}", r.text());
            let err = assert_error(r, e.0, code);
            if e.0 == 401 {
                assert_eq!(r.header("www-authenticate"), Some("Bearer"), "{what}");
            }
            if matches!(e.0, 401 | 403) {
                assert_eq!(err["field"], "authorization", "{what}: {err}");
            }
        }
        None => assert_eq!(r.status, e.0, "{what}: {}", r.text()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_answers_each_caller_as_it_should() {
    let state = TempDir::new("authz");
    let (host, s) = seed(&state).await;
    let a = host.addr;
    let rows = table(&s);

    // The table covers exactly the operations of the OpenAPI document, with their security.
    let doc = get(a, "/api/openapi.json").await.json();
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let m = method.to_uppercase();
            let schemes: BTreeSet<&str> = op["security"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .flat_map(|s| s.as_object().unwrap().keys().map(String::as_str))
                        .collect()
                })
                .unwrap_or_default();
            let row = rows
                .iter()
                .find(|r| r.method == m && r.template == path)
                .unwrap_or_else(|| panic!("{m} {path} has no row in the authorisation table"));
            assert_eq!(row.access.schemes(), schemes, "{m} {path}: security");
            documented.insert((m, path.clone()));
        }
    }
    for r in &rows {
        let key = (r.method.to_owned(), r.template.to_owned());
        assert!(
            documented.contains(&key),
            "{} {} is not documented",
            r.method,
            r.template
        );
    }

    for row in &rows {
        let mut public_answers: Vec<(Who, Answer)> = Vec::new();
        for who in EVERYONE {
            let what = format!("{} {} as {who:?}", row.method, row.path);
            let before = dump(&state);
            let audit_before = audit_rows(&state).len();
            // A signed-in person's write without the session's CSRF token is refused
            // before anything else, and stores nothing.
            if let Some(session) = s.session(who)
                && row.method != "GET"
                && !matches!(row.access, Access::Public(_) | Access::SignIn)
            {
                let body = match &row.body {
                    Body::Json(v) => v.clone(),
                    _ => Value::Null,
                };
                let r = session
                    .call_with(a, row.method, &row.path, &body, false)
                    .await;
                assert_error(&r, 403, "csrf_missing");
                assert_eq!(
                    dump(&state),
                    before,
                    "{what} without CSRF: stored something"
                );
            }
            let r = send(a, row, &s, who).await;
            let Some(expect) = row.access.expect(who, row.method) else {
                // Signing in with a wrong password: refused, then throttled; the failure
                // counted is all it writes.
                assert!(matches!(r.status, 401 | 429), "{what}: {}", r.text());
                let code = if r.status == 401 {
                    "sign_in_failed"
                } else {
                    "too_many_requests"
                };
                assert_error(&r, r.status, code);
                let without = |d: Vec<String>| -> Vec<String> {
                    d.into_iter()
                        .filter(|l| !l.starts_with("sign_in_failures:"))
                        .collect()
                };
                assert_eq!(
                    without(dump(&state)),
                    without(before),
                    "{what}: stored something"
                );
                continue;
            };
            check(&r, expect, &what);
            if r.status >= 400 {
                assert_eq!(dump(&state), before, "{what}: a refusal stored something");
            } else if dump(&state) != before {
                // Every write that went through (anything changed) leaves its audit row,
                // naming who acted: the office by its token's digest (never the token),
                // anyone else by role. A read (the pre-check) or a replay changes nothing.
                let audit = audit_rows(&state);
                assert!(audit.len() > audit_before, "{what}: no audit row");
                for (actor, action) in &audit[audit_before..] {
                    let fits = match who {
                        Who::Officer | Who::Admin => {
                            actor.starts_with("officer:") || actor.starts_with("admin:")
                        }
                        Who::OfficerSession | Who::OfficerToken => actor == "account:wang.fang",
                        Who::AuditorSession => actor == "account:zhao.min",
                        _ => matches!(actor.as_str(), "enterprise" | "public"),
                    };
                    assert!(fits, "{what}: audit row {action} by {actor}");
                    assert!(
                        !actor.contains(OFFICER) && !actor.contains(ADMIN),
                        "{actor}"
                    );
                }
            }
            if row.method == "GET" {
                // HEAD answers as GET does, for the same caller, without a body; OPTIONS is
                // no way around the check either (405 naming the methods, or a CORS
                // preflight's 204 on the public reads) and writes nothing.
                let head = match s.session(who) {
                    Some(session) => session.call(a, "HEAD", &row.path, &Value::Null).await,
                    None => call(a, "HEAD", &row.path, s.token(who), &Value::Null).await,
                };
                assert_eq!(head.status, r.status, "HEAD {what}");
                assert!(head.body.is_empty(), "HEAD {what}: a body");
                let options = call(a, "OPTIONS", &row.path, s.token(who), &Value::Null).await;
                assert!(
                    matches!(options.status, 204 | 405),
                    "OPTIONS {what}: {} {}",
                    options.status,
                    options.text()
                );
                if options.status == 405 {
                    assert!(
                        options.header("allow").is_some(),
                        "OPTIONS {what}: no Allow"
                    );
                }
                assert_eq!(dump(&state), before, "HEAD/OPTIONS {what} wrote something");
            }
            if matches!(row.access, Access::Public(_)) {
                public_answers.push((who, r));
            }
        }
        // Public operations answer everybody alike, whatever token comes along (a
        // proof-of-work challenge is new for every request, whoever asks).
        let alike = |body: &[u8]| match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(mut o)) if o.contains_key("challenge") => {
                o.insert("challenge".into(), json!("(new each time)"));
                Value::Object(o).to_string().into_bytes()
            }
            _ => body.to_vec(),
        };
        if let Some((_, first)) = public_answers.first() {
            for (who, r) in &public_answers[1..] {
                assert_eq!(
                    (r.status, alike(&r.body)),
                    (first.status, alike(&first.body)),
                    "{} {}: {who:?} got another answer",
                    row.method,
                    row.path
                );
            }
        }
    }

    // What each kind of caller saw of the objection and the application.
    let obj = format!("/api/objections/{}", s.objection);
    let mine = call(a, "GET", &obj, Some(&s.objection_token), &Value::Null).await;
    assert!(mine.json().get("objector").is_none(), "{}", mine.text());
    let staff = call(a, "GET", &obj, Some(OFFICER), &Value::Null).await;
    assert_eq!(staff.json()["objector"]["name"], "李四");

    // A number that does not exist: only officers learn so; anyone else is refused as
    // for a number that does (sequential numbers must not be probed).
    for path in [
        "/api/applications/MTG-2026-99999".to_owned(),
        "/api/objections/YY-2026-999999".to_owned(),
    ] {
        assert_error(
            &call(a, "GET", &path, None, &Value::Null).await,
            401,
            "unauthorized",
        );
        for who in [Who::Wrong, Who::Owner, Who::OtherEnterprise, Who::Objector] {
            let r = call(a, "GET", &path, s.token(who), &Value::Null).await;
            assert_error(&r, 403, "forbidden");
        }
        let r = call(a, "GET", &path, Some(OFFICER), &Value::Null).await;
        assert_eq!(r.status, 404, "{}", r.text());
    }
    for action in ["withdraw", "documents?kind=loan_contract"] {
        let path = format!("/api/applications/MTG-2026-99999/{action}");
        let r = call_raw(a, "POST", &path, Some(&s.receipt_a), "application/pdf", PDF).await;
        assert_error(&r, 403, "forbidden");
    }

    // The allowed writes of the table, as the audit trail has them.
    let actions: Vec<String> = audit_rows(&state).into_iter().map(|(_, a)| a).collect();
    for action in [
        "round.create",
        "history.import",
        "fraud.record",
        "correct_notice",
        "conclude_objection",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
    host.stop().await;
}
