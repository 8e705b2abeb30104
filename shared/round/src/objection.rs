//! An objection as the office reads it (PROC-OBJECT): the stored record, its status in
//! words, and the officers' view with the objector and the evidence. The objections
//! component shows it to officers and the objector; the review component answers a
//! re-review conclusion with it.

use publish::Notice;
use serde::Serialize;
use service::ApiError;
use service::code::Code;
use service::db::Db;

/// An objection as stored (without the evidence's bytes).
#[derive(Serialize)]
pub struct Record {
    pub tracking_number: String,
    pub notice_id: String,
    pub entry: u32,
    pub application_id: String,
    pub filed_at: String,
    pub grounds: String,
    pub status: String,
    pub new_amount: Option<String>,
    pub reasons_zh: Option<String>,
    pub reasons_en: Option<String>,
    pub concluded_at: Option<String>,
    pub notice_update: Option<u32>,
    #[serde(skip)]
    pub token_hash: String,
}

pub fn record(r: store::objections::ObjectionRow) -> Record {
    Record {
        tracking_number: r.tracking_number,
        notice_id: r.notice_id,
        entry: r.entry,
        application_id: r.application_id,
        filed_at: r.filed_at,
        grounds: r.grounds,
        status: r.status.name().to_owned(),
        new_amount: r.new_amount.map(|m| m.to_string()),
        reasons_zh: r.reasons_zh,
        reasons_en: r.reasons_en,
        concluded_at: r.concluded_at,
        notice_update: r.notice_update,
        token_hash: r.token_hash,
    }
}

pub async fn load_record(db: &Db, id: &str) -> Result<Record, ApiError> {
    store::objections::find(db.store(), id)
        .await?
        .map(record)
        .ok_or_else(|| {
            ApiError::new(
                404,
                Code::ObjectionNotFound,
                format!("没有受理编号为 {id} 的异议。"),
                format!("There is no objection {id}."),
            )
            .field("id")
        })
}

pub fn status_text(status: &str) -> (&'static str, &'static str) {
    match status {
        "received" => ("已受理，重审中", "received, under re-review"),
        "upheld" => ("异议成立，已取消补助", "upheld: the entry is removed"),
        "partly_upheld" => (
            "异议部分成立，已调整补助金额",
            "partly upheld: the amount is changed",
        ),
        "dismissed" => ("异议不成立，维持原名单", "dismissed: the entry stands"),
        _ => ("", ""),
    }
}

/// What officers see of an objection: the whole record, the objector and the evidence.
#[derive(Serialize)]
pub struct OfficerView<'a> {
    /// The stored record's fields, at the top level.
    #[serde(flatten)]
    record: &'a Record,
    /// Who objected (never public).
    objector: WhoObjected,
    /// The evidence files, in the order filed (their descriptions, not their bytes).
    evidence: Vec<EvidenceView>,
}

/// Who objected; each field `null` if the objector's row is missing.
#[derive(Serialize)]
struct WhoObjected {
    name: Option<String>,
    contact: Option<String>,
    relation: Option<String>,
}

/// One evidence file's description.
#[derive(Serialize)]
struct EvidenceView {
    /// 1, 2, … in the order filed.
    number: u32,
    file_name: String,
    /// As recognised by content.
    content_type: String,
    size_bytes: i64,
    sha256: String,
    /// Where officers fetch the file (`/api/objections/<id>/evidence/<n>`).
    url: String,
}

pub async fn officer_view<'a>(db: &Db, r: &'a Record) -> Result<OfficerView<'a>, ApiError> {
    let who = store::objections::objector(db.store(), &r.tracking_number).await?;
    let (name, contact, relation) = match who {
        Some(w) => (Some(w.name), Some(w.contact), Some(w.relation)),
        None => (None, None, None),
    };
    let evidence = store::objections::evidence_of(db.store(), &r.tracking_number)
        .await?
        .into_iter()
        .map(|f| EvidenceView {
            url: format!(
                "/api/objections/{}/evidence/{}",
                r.tracking_number, f.number
            ),
            number: f.number,
            file_name: f.file_name,
            content_type: f.content_type,
            size_bytes: f.size_bytes,
            sha256: f.sha256,
        })
        .collect();
    Ok(OfficerView {
        record: r,
        objector: WhoObjected {
            name,
            contact,
            relation,
        },
        evidence,
    })
}

/// A notice with its updates, as published (read only: the notices component owns it);
/// a 404 naming `field` when there is none.
pub async fn load_notice(db: &Db, id: &str, field: &str) -> Result<Notice, ApiError> {
    store::notices::find(db.store(), id)
        .await?
        .ok_or_else(|| ApiError::notice_not_found(id).field(field))
}
