//! Reading objections: the objector's view (status and conclusion, nothing about anyone),
//! the officers' view (the objector and the evidence), the officers' list and one evidence
//! file.

use super::*;
use round::objection::{OfficerView, Record, load_record, officer_view, record, status_text};
use std::collections::BTreeMap;

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
    // No token: only an officer signed in (the session cookie) may look, or 401. With a
    // token that is not the objection's, an officer's is judged below, once.
    let presented = bearer_token(header);
    if presented.is_none() {
        service::auth::require(req, Role::Officer).await?;
    }
    let db = Db::open().await?;
    // Whether a tracking number exists is for its objector and officers only.
    let rec = match load_record(&db, id).await {
        Ok(rec) => rec,
        Err(not_found) => {
            if presented.is_some() {
                service::auth::require(req, Role::Officer).await?;
            }
            return Err(not_found);
        }
    };
    let mut r = match presented {
        Some(t) if matches(t, &rec.token_hash) => json(200, &objector_view(&rec)),
        _ => {
            if presented.is_some() {
                service::auth::require(req, Role::Officer).await?;
            }
            json(200, &officer_view(&db, &rec).await?)
        }
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
