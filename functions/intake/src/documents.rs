//! Supporting documents: the enterprise adds them with its receipt token until the review,
//! recognised by content and within a quota (officers read them back: the review component).
//!
//! The quota (issue 14: anyone holding a receipt could fill the disk) is per application,
//! by kind: an application has one to a few loans, each with its contract, its pledge
//! registration, its interest statements (monthly at most) and a repayment proof, so
//! [`FILES_PER_KIND`] files and [`BYTES_PER_KIND`] per kind hold a real application with
//! room to spare, and [`BYTES_PER_APPLICATION`] bounds the whole.

use crate::COMPONENT;
use crate::owner::load_as_owner;
use serde::Serialize;
use service::code::Code;
use service::db::Db;
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;
use store::documents::Document;

/// A supporting document: 10 MiB at most.
pub const DOCUMENT_LIMIT: usize = 10 * 1024 * 1024;
/// Files of one kind per application.
pub const FILES_PER_KIND: usize = 20;
/// Bytes of one kind per application: 40 MiB.
pub const BYTES_PER_KIND: i64 = 40 * 1024 * 1024;
/// Bytes per application, every kind together: 60 MiB.
pub const BYTES_PER_APPLICATION: i64 = 60 * 1024 * 1024;

/// Every kind of document an application needs (the guide's materials).
pub const KINDS: [&str; 4] = [
    "loan_contract",
    "pledge_registration",
    "interest_statement",
    "repayment_proof",
];

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

/// Whether a new file of `kind` and `size` bytes fits beside `stored` (a file already
/// stored, same content, takes nothing more).
fn within_quota(stored: &[Document], kind: &str, size: i64, sha256: &str) -> Result<(), ApiError> {
    if stored.iter().any(|d| d.sha256 == sha256) {
        return Ok(());
    }
    let of_kind: Vec<&Document> = stored.iter().filter(|d| d.kind == kind).collect();
    let kind_bytes: i64 = of_kind.iter().map(|d| d.size_bytes).sum();
    let all_bytes: i64 = stored.iter().map(|d| d.size_bytes).sum();
    let mib = |b: i64| b / (1024 * 1024);
    let refused =
        |zh: String, en: String| ApiError::new(409, Code::DocumentQuota, zh, en).field("kind");
    if of_kind.len() >= FILES_PER_KIND {
        return Err(refused(
            format!("每类材料最多 {FILES_PER_KIND} 个文件，{kind} 已满。"),
            format!("At most {FILES_PER_KIND} files of one kind; {kind} is full."),
        ));
    }
    if kind_bytes + size > BYTES_PER_KIND {
        return Err(refused(
            format!(
                "每类材料合计不超过 {} MiB（{kind} 已用 {} MiB）。",
                mib(BYTES_PER_KIND),
                mib(kind_bytes)
            ),
            format!(
                "At most {} MiB per kind ({kind} holds {} MiB).",
                mib(BYTES_PER_KIND),
                mib(kind_bytes)
            ),
        ));
    }
    if all_bytes + size > BYTES_PER_APPLICATION {
        return Err(refused(
            format!(
                "每件申报的材料合计不超过 {} MiB（已用 {} MiB）。",
                mib(BYTES_PER_APPLICATION),
                mib(all_bytes)
            ),
            format!(
                "At most {} MiB of documents per application ({} MiB used).",
                mib(BYTES_PER_APPLICATION),
                mib(all_bytes)
            ),
        ));
    }
    Ok(())
}

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

/// Uploads a supporting document (the raw file as the body, `?kind=`), within the quota
/// (checked inside the write's transaction).
pub async fn upload(req: Request, id: &str) -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let app = load_as_owner(&req, &db, id).await?;
    let kind = service::query::query(&req, &["kind"])?
        .get("kind")
        .unwrap_or("")
        .to_owned();
    if !KINDS.contains(&kind.as_str()) {
        return Err(ApiError::invalid(
            "kind",
            format!("材料类型须为 {} 之一。", KINDS.join("、")),
            format!("The document kind must be one of {}.", KINDS.join(", ")),
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
    let doc_id = format!("DOC-{}-{id}", &sha[..16]);
    db.transaction(|| async {
        let stored = store::documents::of_application(db.store(), id).await?;
        within_quota(&stored, &kind, data.len() as i64, &sha)?;
        let doc = Document {
            id: doc_id.clone(),
            kind: kind.clone(),
            content_type: content_type.to_owned(),
            size_bytes: data.len() as i64,
            sha256: sha.clone(),
            uploaded_at: at.clone(),
        };
        store::documents::add(db.store(), id, &doc, &data).await?;
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
            id: doc_id,
            kind: &kind,
            content_type,
            size_bytes: data.len(),
            sha256: &sha,
        },
    ))
}
