//! Applications: submitted inside the window (PROC-LATE), free (PROC-FREE), declared true
//! (TRUTH); decided by the rules crate with the enterprise's recorded history; read,
//! withdrawn and documented with the private receipt token.

use crate::rounds::{self, RoundView};
use crate::{COMPONENT, from_json, input_error, read_rules_json, to_json};
use rules::model::{Application, FraudFinding, SubsidyRecord};
use rules::procedure::Stage;
use rules::{Decision, Parameters, PrecheckRequest, RuleId};
use serde::Serialize;
use service::auth::Role;
use service::db::{Db, SqlValue};
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;

/// An application body is small JSON: 50 loans of a few rights fit in 256 KiB.
const APPLICATION_LIMIT: usize = 256 * 1024;
/// A supporting document: 10 MB at most.
pub const DOCUMENT_LIMIT: usize = 10 * 1024 * 1024;

/// Rules that stop a submission from being accepted at all (nothing is stored).
const NOT_ACCEPTED: [RuleId; 4] = [
    RuleId::ProcLate,
    RuleId::ProcGuide,
    RuleId::Fraud,
    RuleId::Valid,
];

/// The enterprise's records in the system: subsidies (imported and paid) and fraud
/// findings. They complete what the applicant declares; the system's records win.
pub async fn records(
    db: &Db,
    uscc: &str,
) -> Result<(Vec<SubsidyRecord>, Vec<FraudFinding>), ApiError> {
    let history = service::list::subsidy_history(db, uscc).await?;
    let rows = db
        .query(
            "SELECT kind, determined_on, reference FROM fraud_findings WHERE uscc = ? ORDER BY id",
            [SqlValue::from(uscc)],
        )
        .await?;
    let mut fraud = Vec::new();
    for r in &rows.rows {
        fraud.push(FraudFinding {
            kind: serde_json::from_value(serde_json::Value::from(r.get::<&str>(0).unwrap_or("")))
                .map_err(|e| ApiError::internal(&e.to_string()))?,
            determined_on: r
                .get::<&str>(1)
                .and_then(|d| d.parse().ok())
                .ok_or_else(|| ApiError::internal("stored date unreadable"))?,
            reference: r.get::<&str>(2).unwrap_or_default().to_owned(),
        });
    }
    Ok((history, fraud))
}

/// The application as the rules see it: declared history for years the system has no
/// record of, plus every recorded subsidy and fraud finding.
pub async fn with_records(db: &Db, mut app: Application) -> Result<Application, ApiError> {
    let (history, fraud) = records(db, app.enterprise.credit_code.as_str()).await?;
    let recorded: Vec<i32> = history.iter().map(|h| h.year).collect();
    app.history.retain(|h| !recorded.contains(&h.year));
    app.history.extend(history);
    for f in fraud {
        if !app.enterprise.fraud_findings.contains(&f) {
            app.enterprise.fraud_findings.push(f);
        }
    }
    Ok(app)
}

/// Decides an application at a moment within a round.
pub fn decide(
    app: &Application,
    round: &RoundView,
    at: chrono::DateTime<chrono::FixedOffset>,
) -> Decision {
    rules::precheck(
        &PrecheckRequest {
            as_of: at,
            round: Some(round.round.clone()),
            application: app.clone(),
        },
        &Parameters::default(),
    )
}

#[derive(Serialize, serde::Deserialize)]
struct Submitted {
    id: String,
    round_year: i32,
    status: String,
    submitted_at: String,
    /// PROC-FREE: applying costs nothing.
    fee_cny: String,
    decision: Decision,
    #[serde(skip_serializing_if = "Option::is_none")]
    receipt_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notice_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notice_en: Option<String>,
}

fn idempotency_key(req: &Request) -> Result<Option<String>, ApiError> {
    let Some(v) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let k = v.to_str().unwrap_or("").trim();
    if k.is_empty() || k.len() > 128 || !k.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::invalid(
            "idempotency-key",
            "Idempotency-Key 须为1至128个可见 ASCII 字符。",
            "Idempotency-Key must be 1 to 128 visible ASCII characters.",
        ));
    }
    Ok(Some(k.to_owned()))
}

/// The open round: the newest one at stage `open`.
async fn open_round(db: &Db) -> Result<RoundView, ApiError> {
    let rows = db
        .query(
            "SELECT year FROM rounds WHERE stage = 'open' ORDER BY year DESC LIMIT 1",
            [],
        )
        .await?;
    match rows.first::<i64>("year") {
        Some(y) => rounds::load(db, y).await,
        None => Err(ApiError::new(
            409,
            "rule_proc_guide",
            "当前没有开放的申报（PROC-GUIDE）。",
            "No round is open for applications (PROC-GUIDE).",
        )),
    }
}

/// PROC-REVIEW: the review record and the verified interest are written by officers at
/// review; an application that brings its own is refused, not silently trusted.
fn refuse_officer_fields(app: &Application) -> Result<(), ApiError> {
    let officers_only = |field: String| {
        ApiError::invalid(
            &field,
            "该字段由审核人员在审核时填写，申报时不得提交（PROC-REVIEW）。",
            "This field is filled in by officers at review; an application may not carry it (PROC-REVIEW).",
        )
    };
    if app.review.is_some() {
        return Err(officers_only("review".into()));
    }
    if let Some(i) = app
        .loans
        .iter()
        .position(|l| l.verified_interest_paid.is_some())
    {
        return Err(officers_only(format!("loans[{i}].verified_interest_paid")));
    }
    Ok(())
}

/// Submits an application (public). Idempotent with `Idempotency-Key`.
pub async fn submit(req: Request) -> Result<Reply, ApiError> {
    let key = idempotency_key(&req)?;
    let app: Application = read_rules_json(req, APPLICATION_LIMIT).await?;
    refuse_officer_fields(&app)?;
    if !app.declared_truthful {
        return Err(ApiError::invalid(
            "declared_truthful",
            "申报须承诺所提供材料真实、有效（TRUTH）。",
            "The applicant must declare its documents true and valid (TRUTH).",
        ));
    }
    let db = Db::open().await?;
    let now = service::clock::now().await;
    let at = service::clock::format(now);
    let round = open_round(&db).await?;
    let req_for_validation = PrecheckRequest {
        as_of: now,
        round: Some(round.round.clone()),
        application: app.clone(),
    };
    rules::precheck::validate(&req_for_validation).map_err(|mut e| {
        // The body is the application itself: name its fields from there.
        for f in &mut e.errors {
            if let Some(rest) = f.field.strip_prefix("application.") {
                f.field = rest.to_owned();
            }
        }
        input_error(e)
    })?;
    let request_hash = service::token::sha256_hex(to_json(&app)?.as_bytes());
    let app = with_records(&db, app).await?;
    let decision = decide(&app, &round, now);
    if let Some(reason) = decision
        .reasons
        .iter()
        .find(|r| r.effect == rules::Effect::Refuse && NOT_ACCEPTED.contains(&r.rule))
    {
        return Err(service::list::refusal(reason));
    }
    let token = service::token::new_token()?;
    let year = round.round.year;
    let uscc = app.enterprise.credit_code.as_str().to_owned();

    let answer = db
        .transaction(|| async {
            if let Some(k) = &key {
                let rows = db
                    .query(
                        "SELECT request_hash, response_json FROM idempotency_keys \
                         WHERE component = ? AND key = ?",
                        [SqlValue::from(COMPONENT), SqlValue::from(k.as_str())],
                    )
                    .await?;
                if let Some(stored_hash) = rows.first::<&str>("request_hash") {
                    if stored_hash != request_hash {
                        return Err(ApiError::new(
                            422,
                            "idempotency_key_reused",
                            "该 Idempotency-Key 已用于另一份不同的申报。",
                            "This Idempotency-Key was used for a different application.",
                        )
                        .field("idempotency-key"));
                    }
                    // The first answer again. Its token was never stored, so a fresh one
                    // replaces it: whoever retries gets a token that works.
                    let mut first: Submitted =
                        from_json(rows.first::<&str>("response_json").unwrap_or("{}"))?;
                    db.execute(
                        "UPDATE applications SET receipt_hash = ? WHERE id = ?",
                        [
                            SqlValue::from(service::token::sha256_hex(token.as_bytes())),
                            SqlValue::from(first.id.as_str()),
                        ],
                    )
                    .await?;
                    first.receipt_token = Some(token.clone());
                    return Ok(first);
                }
            }
            for (i, loan) in app.loans.iter().enumerate() {
                let taken = db
                    .query(
                        "SELECT application_id FROM application_loans \
                         WHERE round_year = ? AND uscc = ? AND contract_number = ?",
                        [
                            SqlValue::Integer(i64::from(year)),
                            SqlValue::from(uscc.as_str()),
                            SqlValue::from(loan.contract_number.trim()),
                        ],
                    )
                    .await?;
                if let Some(other) = taken.first::<&str>("application_id") {
                    return Err(ApiError::conflict(
                        format!(
                            "本年度已有申报 {other} 包含该企业的贷款合同 {}。",
                            loan.contract_number
                        ),
                        format!(
                            "Application {other} of this round already covers the enterprise's loan contract {}.",
                            loan.contract_number
                        ),
                    )
                    .field(format!("loans[{i}].contract_number")));
                }
            }
            let seq = db
                .query(
                    "SELECT coalesce(max(seq), 0) + 1 AS next FROM applications WHERE round_year = ?",
                    [SqlValue::Integer(i64::from(year))],
                )
                .await?
                .first::<i64>("next")
                .unwrap_or(1);
            let id = format!("MTG-{year}-{seq:05}");
            db.execute(
                "INSERT INTO applications (id, round_year, seq, uscc, enterprise_name, submitted_at, \
                 status, receipt_hash, payload_json, decision_json, amount_cny, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?)",
                [
                    SqlValue::from(id.as_str()),
                    SqlValue::Integer(i64::from(year)),
                    SqlValue::Integer(seq),
                    SqlValue::from(uscc.as_str()),
                    SqlValue::from(app.enterprise.name.trim()),
                    SqlValue::from(at.as_str()),
                    SqlValue::from(service::token::sha256_hex(token.as_bytes())),
                    SqlValue::from(to_json(&app)?),
                    SqlValue::from(to_json(&decision)?),
                    SqlValue::from(decision.amount.to_string()),
                    SqlValue::from(at.as_str()),
                ],
            )
            .await?;
            for loan in &app.loans {
                db.execute(
                    "INSERT INTO application_loans (round_year, uscc, contract_number, application_id) \
                     VALUES (?, ?, ?, ?)",
                    [
                        SqlValue::Integer(i64::from(year)),
                        SqlValue::from(uscc.as_str()),
                        SqlValue::from(loan.contract_number.trim()),
                        SqlValue::from(id.as_str()),
                    ],
                )
                .await?;
            }
            let answer = Submitted {
                id: id.clone(),
                round_year: year,
                status: "submitted".into(),
                submitted_at: at.clone(),
                fee_cny: "0.00".into(),
                decision: decision.clone(),
                receipt_token: None,
                notice_zh: Some("请妥善保存申报编号和回执令牌：凭二者查询、撤回申报和上传材料。令牌不会再次显示。".into()),
                notice_en: Some("Keep the application number and the receipt token: you need both to follow, withdraw or document the application. The token is not shown again.".into()),
            };
            if let Some(k) = &key {
                db.execute(
                    "INSERT INTO idempotency_keys (key, component, request_hash, status, response_json) \
                     VALUES (?, ?, ?, 201, ?)",
                    [
                        SqlValue::from(k.as_str()),
                        SqlValue::from(COMPONENT),
                        SqlValue::from(request_hash.as_str()),
                        SqlValue::from(to_json(&answer)?),
                    ],
                )
                .await?;
            }
            db.audit(
                "enterprise",
                COMPONENT,
                "application.submit",
                Some(&id),
                &format!("{{\"uscc\":\"{uscc}\",\"amount\":\"{}\"}}", decision.amount),
            )
            .await?;
            Ok(Submitted {
                receipt_token: Some(token.clone()),
                ..answer
            })
        })
        .await?;
    Ok(json(201, &answer))
}

/// Who opened an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Officer,
    Owner,
}

/// A stored application.
pub struct Stored {
    pub id: String,
    pub round_year: i64,
    pub uscc: String,
    pub status: String,
    pub receipt_hash: String,
    pub payload: Application,
    pub review_json: Option<String>,
    pub decision: Decision,
    pub submitted_at: String,
}

pub async fn load(db: &Db, id: &str) -> Result<Stored, ApiError> {
    let rows = db
        .query(
            "SELECT id, round_year, uscc, status, receipt_hash, payload_json, review_json, \
             decision_json, submitted_at FROM applications WHERE id = ?",
            [SqlValue::from(id)],
        )
        .await?;
    let r = rows.rows.first().ok_or_else(|| {
        ApiError::new(
            404,
            "application_not_found",
            "没有该申报编号。",
            "No application with this number.",
        )
        .field("id")
    })?;
    Ok(Stored {
        id: r.get::<&str>(0).unwrap_or_default().to_owned(),
        round_year: r.get::<i64>(1).unwrap_or_default(),
        uscc: r.get::<&str>(2).unwrap_or_default().to_owned(),
        status: r.get::<&str>(3).unwrap_or_default().to_owned(),
        receipt_hash: r.get::<&str>(4).unwrap_or_default().to_owned(),
        payload: from_json(r.get::<&str>(5).unwrap_or("{}"))?,
        review_json: r.get::<&str>(6).map(str::to_owned),
        decision: from_json(r.get::<&str>(7).unwrap_or("{}"))?,
        submitted_at: r.get::<&str>(8).unwrap_or_default().to_owned(),
    })
}

/// Officers (their tokens) or the enterprise (its receipt token) only; a receipt token
/// opens its own application and nothing else.
pub async fn authorise(req: &Request, app: &Stored) -> Result<Viewer, ApiError> {
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    let Some(token) = service::auth::bearer_token(header) else {
        return Err(ApiError::unauthorized());
    };
    if service::token::matches(token, &app.receipt_hash) {
        return Ok(Viewer::Owner);
    }
    match service::auth::require(req, Role::Officer).await {
        Ok(_) => Ok(Viewer::Officer),
        Err(e) => Err(e),
    }
}

/// Loads an application for whoever presents its receipt token or an officer's token.
/// Anyone else learns nothing, not even whether the number exists: without a token 401,
/// with another token 403, and only officers see a 404.
pub async fn load_authorised(
    req: &Request,
    db: &Db,
    id: &str,
) -> Result<(Stored, Viewer), ApiError> {
    match load(db, id).await {
        Ok(app) => {
            let viewer = authorise(req, &app).await?;
            Ok((app, viewer))
        }
        Err(not_found) => {
            service::auth::require(req, Role::Officer).await?;
            Err(not_found)
        }
    }
}

/// The enterprise itself (its receipt token); officers may read but not act for it.
async fn load_as_owner(req: &Request, db: &Db, id: &str) -> Result<Stored, ApiError> {
    match load_authorised(req, db, id).await? {
        (app, Viewer::Owner) => Ok(app),
        (_, Viewer::Officer) => Err(ApiError::forbidden()),
    }
}

#[derive(Serialize)]
struct DocumentView {
    id: String,
    kind: String,
    content_type: String,
    size_bytes: i64,
    sha256: String,
    uploaded_at: String,
}

pub async fn read(req: Request, id: &str) -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let (app, viewer) = load_authorised(&req, &db, id).await?;
    let docs = db
        .query(
            "SELECT id, kind, content_type, size_bytes, sha256, uploaded_at FROM documents \
             WHERE application_id = ? ORDER BY uploaded_at, id",
            [SqlValue::from(id)],
        )
        .await?;
    let documents: Vec<DocumentView> = docs
        .rows
        .iter()
        .map(|r| DocumentView {
            id: r.get::<&str>(0).unwrap_or_default().to_owned(),
            kind: r.get::<&str>(1).unwrap_or_default().to_owned(),
            content_type: r.get::<&str>(2).unwrap_or_default().to_owned(),
            size_bytes: r.get::<i64>(3).unwrap_or_default(),
            sha256: r.get::<&str>(4).unwrap_or_default().to_owned(),
            uploaded_at: r.get::<&str>(5).unwrap_or_default().to_owned(),
        })
        .collect();
    let review: Option<serde_json::Value> = match (&app.review_json, viewer) {
        (Some(r), _) => Some(from_json(r)?),
        (None, _) => None,
    };
    Ok(json(
        200,
        &serde_json::json!({
            "id": app.id,
            "round_year": app.round_year,
            "credit_code": app.uscc,
            "status": app.status,
            "submitted_at": app.submitted_at,
            "fee_cny": "0.00",
            "application": app.payload,
            "decision": app.decision,
            "review": review,
            "documents": documents,
        }),
    ))
}

/// The enterprise withdraws its application while the window is open.
pub async fn withdraw(req: Request, id: &str) -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let app = load_as_owner(&req, &db, id).await?;
    let now = service::clock::now().await;
    let round = rounds::load(&db, app.round_year).await?;
    if round.stage != Stage::Open || now > round.round.window.closes_at {
        return Err(ApiError::new(
            409,
            "rule_proc_late",
            "申报期已结束，不能撤回（PROC-LATE）。",
            "The window has closed; the application can no longer be withdrawn (PROC-LATE).",
        ));
    }
    if app.status != "submitted" {
        return Err(ApiError::conflict(
            format!("该申报当前状态为 {}，不能撤回。", app.status),
            format!("The application is {}; it cannot be withdrawn.", app.status),
        ));
    }
    let at = service::clock::format(now);
    db.transaction(|| async {
        db.execute(
            "UPDATE applications SET status = 'withdrawn', updated_at = ? WHERE id = ? AND status = 'submitted'",
            [SqlValue::from(at.as_str()), SqlValue::from(id)],
        )
        .await?;
        db.execute(
            "DELETE FROM application_loans WHERE application_id = ?",
            [SqlValue::from(id)],
        )
        .await?;
        db.audit("enterprise", COMPONENT, "application.withdraw", Some(id), "{}")
            .await
    })
    .await?;
    Ok(json(
        200,
        &serde_json::json!({ "id": id, "status": "withdrawn" }),
    ))
}

/// PDF, JPEG or PNG, recognised by content (not by the declared type).
fn sniff(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

const DOCUMENT_KINDS: [&str; 4] = [
    "loan_contract",
    "pledge_registration",
    "interest_statement",
    "repayment_proof",
];

/// Uploads a supporting document (the raw file as the body, `?kind=`).
pub async fn upload(req: Request, id: &str) -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let app = load_as_owner(&req, &db, id).await?;
    let kind = req
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|p| p.strip_prefix("kind="))
        .unwrap_or("")
        .to_owned();
    if !DOCUMENT_KINDS.contains(&kind.as_str()) {
        return Err(ApiError::invalid(
            "kind",
            format!("材料类型须为 {} 之一。", DOCUMENT_KINDS.join("、")),
            format!(
                "The document kind must be one of {}.",
                DOCUMENT_KINDS.join(", ")
            ),
        ));
    }
    if !matches!(app.status.as_str(), "submitted" | "eligible" | "refused") {
        return Err(ApiError::conflict(
            format!("该申报当前状态为 {}，不能再上传材料。", app.status),
            format!(
                "The application is {}; documents can no longer be added.",
                app.status
            ),
        ));
    }
    let data = service::body::read_limited(req, DOCUMENT_LIMIT).await?;
    let Some(content_type) = sniff(&data) else {
        return Err(ApiError::new(
            415,
            "unsupported_document",
            "材料须为 PDF、JPEG 或 PNG 文件（按文件内容识别）。",
            "A document must be a PDF, JPEG or PNG file (recognised by its content).",
        )
        .field("body"));
    };
    let sha = service::token::sha256_hex(&data);
    let at = service::clock::format(service::clock::now().await);
    let doc_id = format!("DOC-{}", &sha[..16]);
    db.transaction(|| async {
        db.execute(
            "INSERT OR IGNORE INTO documents (id, application_id, kind, content_type, size_bytes, sha256, data, uploaded_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                SqlValue::from(format!("{doc_id}-{id}")),
                SqlValue::from(id),
                SqlValue::from(kind.as_str()),
                SqlValue::from(content_type),
                SqlValue::Integer(data.len() as i64),
                SqlValue::from(sha.as_str()),
                SqlValue::Blob(data.to_vec()),
                SqlValue::from(at.as_str()),
            ],
        )
        .await?;
        db.audit("enterprise", COMPONENT, "document.upload", Some(id), &format!("{{\"sha256\":\"{sha}\",\"kind\":\"{kind}\"}}"))
            .await
    })
    .await?;
    Ok(json(
        201,
        &serde_json::json!({
            "id": format!("{doc_id}-{id}"),
            "kind": kind,
            "content_type": content_type,
            "size_bytes": data.len(),
            "sha256": sha,
        }),
    ))
}

/// Officers list a round's applications.
pub async fn list(req: Request) -> Result<Reply, ApiError> {
    service::auth::require(&req, Role::Officer).await?;
    let year = req
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|p| p.strip_prefix("round="))
        .map(rounds::parse_year)
        .transpose()?;
    let db = Db::open().await?;
    let rows = match year {
        Some(y) => {
            db.query(
                "SELECT id, round_year, uscc, enterprise_name, status, amount_cny, submitted_at \
                 FROM applications WHERE round_year = ? ORDER BY seq",
                [SqlValue::Integer(y)],
            )
            .await?
        }
        None => {
            db.query(
                "SELECT id, round_year, uscc, enterprise_name, status, amount_cny, submitted_at \
                 FROM applications ORDER BY round_year DESC, seq",
                [],
            )
            .await?
        }
    };
    let list: Vec<serde_json::Value> = rows
        .rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.get::<&str>(0),
                "round_year": r.get::<i64>(1),
                "credit_code": r.get::<&str>(2),
                "enterprise_name": r.get::<&str>(3),
                "status": r.get::<&str>(4),
                "amount": r.get::<&str>(5),
                "submitted_at": r.get::<&str>(6),
            })
        })
        .collect();
    Ok(json(200, &serde_json::json!({ "applications": list })))
}
