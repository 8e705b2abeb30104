//! What the enterprise does with its receipt token: withdraw the application while the
//! window is open, and add supporting documents (recognised by content) until the review.

use crate::COMPONENT;
use crate::applications::Viewer;
use crate::applications::{load, load_authorised};
use crate::rounds::{self};
use rules::procedure::Stage;
use serde::Serialize;
use service::code::Code;
use service::db::Db;
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;
use store::applications::Status;

/// A supporting document: 10 MB at most.
pub const DOCUMENT_LIMIT: usize = 10 * 1024 * 1024;

/// The enterprise itself (its receipt token); officers may read but not act for it.
async fn load_as_owner(
    req: &Request,
    db: &Db,
    id: &str,
) -> Result<crate::applications::Stored, ApiError> {
    match load_authorised(req, db, id).await? {
        (app, Viewer::Owner) => Ok(app),
        (_, Viewer::Officer) => Err(ApiError::forbidden()),
    }
}

/// The answer to a withdrawal.
#[derive(Serialize)]
struct Withdrawn<'a> {
    id: &'a str,
    /// Always `withdrawn`.
    status: Status,
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
            Code::Rule(rules::RuleId::ProcLate),
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
        &Withdrawn {
            id,
            status: Status::Withdrawn,
        },
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

/// The answer to an uploaded document (201): its description.
#[derive(Serialize)]
struct Uploaded<'a> {
    /// `DOC-<first 16 hex digits of its SHA-256>-<application id>`.
    id: String,
    /// One of `loan_contract`, `pledge_registration`, `interest_statement`,
    /// `repayment_proof`.
    kind: &'a str,
    /// As recognised by content.
    content_type: &'static str,
    size_bytes: usize,
    sha256: &'a str,
}

/// Uploads a supporting document (the raw file as the body, `?kind=`).
pub async fn upload(req: Request, id: &str) -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let app = load_as_owner(&req, &db, id).await?;
    let kind = service::query::query(&req, &["kind"])?
        .get("kind")
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
            Code::UnsupportedDocument,
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
        &Uploaded {
            id: format!("{doc_id}-{id}"),
            kind: &kind,
            content_type,
            size_bytes: data.len(),
            sha256: &sha,
        },
    ))
}
