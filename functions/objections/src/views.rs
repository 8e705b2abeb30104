//! Reading objections: the objector's view (status and conclusion, nothing about anyone),
//! the officers' view (the objector and the evidence), the officers' list and one evidence
//! file.

use super::*;
use service::code::Code;

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

/// What the objector sees: status and conclusion, nothing about anyone.
fn objector_view(r: &Record) -> serde_json::Value {
    let (zh, en) = status_text(&r.status);
    let conclusion = r.concluded_at.as_ref().map(|at| {
        json!({
            "outcome": r.status,
            "new_amount": r.new_amount,
            "reasons_zh": r.reasons_zh,
            "reasons_en": r.reasons_en,
            "concluded_at": at,
            "notice_update_url": r.notice_update.map(|s| format!("/notices/{}#update-{s}", r.notice_id)),
        })
    });
    json!({
        "tracking_number": r.tracking_number,
        "notice_id": r.notice_id,
        "entry": r.entry,
        "filed_at": r.filed_at,
        "status": r.status,
        "status_zh": zh,
        "status_en": en,
        "conclusion": conclusion,
    })
}

pub(crate) async fn officer_view(db: &Db, r: &Record) -> Result<serde_json::Value, ApiError> {
    let mut v = serde_json::to_value(r).map_err(|e| ApiError::internal(&e.to_string()))?;
    let who = store::objections::objector(db.store(), &r.tracking_number).await?;
    v["objector"] = json!({
        "name": who.as_ref().map(|w| &w.name),
        "contact": who.as_ref().map(|w| &w.contact),
        "relation": who.as_ref().map(|w| &w.relation),
    });
    v["evidence"] = store::objections::evidence_of(db.store(), &r.tracking_number)
        .await?
        .into_iter()
        .map(|f| {
            json!({
                "number": f.number,
                "file_name": f.file_name,
                "content_type": f.content_type,
                "size_bytes": f.size_bytes,
                "sha256": f.sha256,
                "url": format!("/api/objections/{}/evidence/{}", r.tracking_number, f.number),
            })
        })
        .collect();
    Ok(v)
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
        let mut by_status = serde_json::Map::new();
        for (status, n) in store::objections::count_by_status(db.store()).await? {
            by_status.insert(status.name().to_owned(), n.into());
        }
        return Ok(json(200, &json!({ "by_status": by_status })));
    };
    load_notice(&db, &notice, "notice").await?;
    let mut list = Vec::new();
    for row in store::objections::of_notice(db.store(), &notice).await? {
        list.push(officer_view(&db, &record(row)).await?);
    }
    let mut r = json(200, &json!({ "notice_id": notice, "objections": list }));
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
