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
use service::db::Db;
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;
use store::applications::Status;

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
    let fraud = store::history::findings(db.store(), uscc)
        .await?
        .into_iter()
        .map(|f| f.finding)
        .collect();
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
    match store::rounds::newest_open(db.store()).await? {
        Some(r) => Ok(RoundView::from(r)),
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
                if let Some(first) = store::idempotency::find(db.store(), COMPONENT, k).await? {
                    if first.request_hash != request_hash {
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
                    let mut first: Submitted = from_json(&first.response_json)?;
                    store::applications::set_receipt(
                        db.store(),
                        &first.id,
                        &service::token::sha256_hex(token.as_bytes()),
                    )
                    .await?;
                    first.receipt_token = Some(token.clone());
                    return Ok(first);
                }
            }
            for (i, loan) in app.loans.iter().enumerate() {
                let holder = store::applications::loan_holder(
                    db.store(),
                    year,
                    &uscc,
                    loan.contract_number.trim(),
                )
                .await?;
                if let Some(other) = holder {
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
            let receipt_hash = service::token::sha256_hex(token.as_bytes());
            let id = store::applications::insert(
                db.store(),
                &store::applications::NewApplication {
                    round_year: year,
                    receipt_hash: &receipt_hash,
                    payload: &app,
                    decision: &decision,
                    at: &at,
                },
            )
            .await?;
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
                let remembered = store::idempotency::Remembered {
                    request_hash: request_hash.clone(),
                    response_json: to_json(&answer)?,
                };
                store::idempotency::remember(db.store(), COMPONENT, k, 201, &remembered).await?;
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
pub type Stored = store::applications::ApplicationRow;

pub async fn load(db: &Db, id: &str) -> Result<Stored, ApiError> {
    store::applications::find(db.store(), id)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                404,
                "application_not_found",
                "没有该申报编号。",
                "No application with this number.",
            )
            .field("id")
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
    let (app, _) = load_authorised(&req, &db, id).await?;
    let documents: Vec<DocumentView> = store::applications::documents(db.store(), id)
        .await?
        .into_iter()
        .map(|d| DocumentView {
            id: d.id,
            kind: d.kind,
            content_type: d.content_type,
            size_bytes: d.size_bytes,
            sha256: d.sha256,
            uploaded_at: d.uploaded_at,
        })
        .collect();
    Ok(json(
        200,
        &serde_json::json!({
            "id": app.id,
            "round_year": app.round_year,
            "credit_code": app.uscc,
            "status": app.status.name(),
            "submitted_at": app.submitted_at_text,
            "fee_cny": "0.00",
            "application": app.payload,
            "decision": app.decision,
            "review": app.review,
            "documents": documents,
        }),
    ))
}

/// The enterprise withdraws its application while the window is open.
pub async fn withdraw(req: Request, id: &str) -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let app = load_as_owner(&req, &db, id).await?;
    let now = service::clock::now().await;
    let round = rounds::load(&db, i64::from(app.round_year)).await?;
    if round.stage != Stage::Open || now > round.round.window.closes_at {
        return Err(ApiError::new(
            409,
            "rule_proc_late",
            "申报期已结束，不能撤回（PROC-LATE）。",
            "The window has closed; the application can no longer be withdrawn (PROC-LATE).",
        ));
    }
    let not_withdrawable = |status: Status| {
        ApiError::conflict(
            format!("该申报当前状态为 {status}，不能撤回。"),
            format!("The application is {status}; it cannot be withdrawn."),
        )
    };
    if app.status != Status::Submitted {
        return Err(not_withdrawable(app.status));
    }
    let at = service::clock::format(now);
    db.transaction(|| async {
        // The guard again inside the transaction: a concurrent change wins, not this one.
        if !store::applications::withdraw(db.store(), id, &at).await? {
            let now = load(&db, id).await?;
            return Err(not_withdrawable(now.status));
        }
        db.audit(
            "enterprise",
            COMPONENT,
            "application.withdraw",
            Some(id),
            "{}",
        )
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
    if !app.status.in_review() {
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
        let doc = store::applications::Document {
            id: format!("{doc_id}-{id}"),
            kind: kind.clone(),
            content_type: content_type.to_owned(),
            size_bytes: data.len() as i64,
            sha256: sha.clone(),
            uploaded_at: at.clone(),
        };
        store::applications::add_document(db.store(), id, &doc, &data).await?;
        db.audit(
            "enterprise",
            COMPONENT,
            "document.upload",
            Some(id),
            &format!("{{\"sha256\":\"{sha}\",\"kind\":\"{kind}\"}}"),
        )
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
    let year = year
        .map(|y| i32::try_from(y).map_err(|_| service::list::no_round(y)))
        .transpose()?;
    let list: Vec<serde_json::Value> = store::applications::summaries(db.store(), year)
        .await?
        .into_iter()
        .map(|a| {
            serde_json::json!({
                "id": a.id,
                "round_year": a.round_year,
                "credit_code": a.uscc,
                "enterprise_name": a.enterprise_name,
                "status": a.status.name(),
                "amount": a.amount,
                "submitted_at": a.submitted_at,
            })
        })
        .collect();
    Ok(json(200, &serde_json::json!({ "applications": list })))
}
