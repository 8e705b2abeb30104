//! Reading objections: the objector's view (status and conclusion, nothing about anyone),
//! the officers' view (the objector and the evidence), the officers' list and one evidence
//! file.

use super::*;
use service::code::Code;
use std::collections::BTreeMap;

/// An objection as stored (without the evidence's bytes).
#[derive(Serialize)]
pub(crate) struct Record {
    pub(crate) tracking_number: String,
    pub(crate) notice_id: String,
    pub(crate) entry: u32,
    pub(crate) application_id: String,
    pub(crate) filed_at: String,
    pub(crate) grounds: String,
    pub(crate) status: String,
    pub(crate) new_amount: Option<String>,
    pub(crate) reasons_zh: Option<String>,
    pub(crate) reasons_en: Option<String>,
    pub(crate) concluded_at: Option<String>,
    pub(crate) notice_update: Option<u32>,
    #[serde(skip)]
    pub(crate) token_hash: String,
}

fn record(r: store::objections::ObjectionRow) -> Record {
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

pub(crate) async fn load_record(db: &Db, id: &str) -> Result<Record, ApiError> {
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

pub(crate) fn status_text(status: &str) -> (&'static str, &'static str) {
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

/// What the objector sees (`GET /api/objections/:id` with their private token): status and
/// conclusion, nothing about anyone.
#[derive(Serialize)]
struct ObjectorView<'a> {
    tracking_number: &'a str,
    notice_id: &'a str,
    /// The entry of the notice objected to.
    entry: u32,
    filed_at: &'a str,
    /// `received`, `upheld`, `partly_upheld` or `dismissed`.
    status: &'a str,
    /// The status in words, in Chinese and in English.
    status_zh: &'static str,
    status_en: &'static str,
    /// `null` until the re-review is concluded.
    conclusion: Option<ConclusionView<'a>>,
}

/// The re-review's conclusion as the objector sees it.
#[derive(Serialize)]
struct ConclusionView<'a> {
    /// The status it left: `upheld`, `partly_upheld` or `dismissed`.
    outcome: &'a str,
    /// The changed amount (partly upheld), else `null`.
    new_amount: Option<&'a str>,
    reasons_zh: Option<&'a str>,
    reasons_en: Option<&'a str>,
    concluded_at: &'a str,
    /// The notice update that published it (`/notices/<id>#update-<n>`), or `null`.
    notice_update_url: Option<String>,
}

fn objector_view(r: &Record) -> ObjectorView<'_> {
    let (zh, en) = status_text(&r.status);
    let conclusion = r.concluded_at.as_deref().map(|at| ConclusionView {
        outcome: &r.status,
        new_amount: r.new_amount.as_deref(),
        reasons_zh: r.reasons_zh.as_deref(),
        reasons_en: r.reasons_en.as_deref(),
        concluded_at: at,
        notice_update_url: r
            .notice_update
            .map(|s| format!("/notices/{}#update-{s}", r.notice_id)),
    });
    ObjectorView {
        tracking_number: &r.tracking_number,
        notice_id: &r.notice_id,
        entry: r.entry,
        filed_at: &r.filed_at,
        status: &r.status,
        status_zh: zh,
        status_en: en,
        conclusion,
    }
}

/// What officers see of an objection: the whole record, the objector and the evidence.
#[derive(Serialize)]
pub(crate) struct OfficerView<'a> {
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

pub(crate) async fn officer_view<'a>(db: &Db, r: &'a Record) -> Result<OfficerView<'a>, ApiError> {
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

/// The officers' overview (`GET /api/objections`): how many objections stand at each
/// status.
#[derive(Serialize)]
struct StatusCounts {
    /// Status name → count; statuses without any objection are left out.
    by_status: BTreeMap<&'static str, i64>,
}

/// The objections to one notice (`GET /api/objections?notice=<id>`), as officers see them.
#[derive(Serialize)]
struct NoticeObjections<'a> {
    notice_id: &'a str,
    objections: Vec<OfficerView<'a>>,
}

/// The objector (their private token) or an officer.
pub(crate) async fn show(req: &Request, id: &str) -> Result<Reply, ApiError> {
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    let Some(presented) = bearer_token(header) else {
        return Err(ApiError::unauthorized());
    };
    let db = Db::open().await?;
    // Whether a tracking number exists is for its objector and officers only.
    let rec = match load_record(&db, id).await {
        Ok(rec) => rec,
        Err(not_found) => {
            service::auth::require(req, Role::Officer).await?;
            return Err(not_found);
        }
    };
    let mut r = if matches(presented, &rec.token_hash) {
        json(200, &objector_view(&rec))
    } else {
        service::auth::require(req, Role::Officer).await?;
        json(200, &officer_view(&db, &rec).await?)
    };
    r.headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-store"));
    Ok(r)
}

pub(crate) async fn officer_list(req: &Request) -> Result<Reply, ApiError> {
    let query = service::query::query(req, &["notice"])?;
    let notice = match query.get("notice") {
        None => None,
        Some(v) if !v.is_empty() && v.chars().count() <= 100 => Some(v.to_owned()),
        Some(_) => {
            return Err(ApiError::invalid(
                "notice",
                "notice 须为公示编号（1 至 100 个字符）。",
                "notice must be a notice id (1 to 100 characters).",
            ));
        }
    };
    let db = Db::open().await?;
    let Some(notice) = notice else {
        let by_status = store::objections::count_by_status(db.store())
            .await?
            .into_iter()
            .map(|(status, n)| (status.name(), n))
            .collect();
        return Ok(json(200, &StatusCounts { by_status }));
    };
    load_notice(&db, &notice, "notice").await?;
    let records: Vec<Record> = store::objections::of_notice(db.store(), &notice)
        .await?
        .into_iter()
        .map(record)
        .collect();
    let mut objections = Vec::with_capacity(records.len());
    for rec in &records {
        objections.push(officer_view(&db, rec).await?);
    }
    let mut r = json(
        200,
        &NoticeObjections {
            notice_id: &notice,
            objections,
        },
    );
    r.headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-store"));
    Ok(r)
}

pub(crate) async fn evidence(id: &str, n: &str) -> Result<Reply, ApiError> {
    let n: i64 = n.parse().map_err(|_| {
        ApiError::invalid(
            "n",
            "证据编号须为整数。",
            "The evidence number must be a whole number.",
        )
    })?;
    let db = Db::open().await?;
    let Some((file, data)) = store::objections::evidence_file(db.store(), id, n).await? else {
        return Err(ApiError::new(
            404,
            Code::EvidenceNotFound,
            format!("异议 {id} 没有第 {n} 个证据文件。"),
            format!("Objection {id} has no evidence file {n}."),
        )
        .field("n"));
    };
    let mut r = service::error::bytes_reply(200, &file.content_type, data.into());
    r.headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-store"));
    r.headers_mut().insert(
        "content-disposition",
        HeaderValue::from_static("attachment"),
    );
    Ok(r)
}
