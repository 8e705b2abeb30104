//! Objections as the re-review handles them (PROC-OBJECT): the conclusion, recorded once
//! while the list is on notice (the notice gets an update, the list a new version and the
//! application its status), and the evidence files the re-review reads. The public files
//! objections and follows them in the objections component.

use crate::COMPONENT;
use publish::{EntryStatus, NoticeUpdate, UpdateKind};
use round::list::ReReview;
use round::objection::{load_notice, load_record, officer_view, status_text};
use rules::Money;
use rules::guards::Action;
use serde::Deserialize;
use serde_json::json;
use service::auth::Role;
use service::body::{JSON_LIMIT, read_json};
use service::code::Code;
use service::db::Db;
use service::error::prose;
use service::{ApiError, Reply, clock};
use spin_sdk::http::{HeaderValue, Request};
use store::objections::Status;

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Outcome {
    Upheld,
    PartlyUpheld,
    Dismissed,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConclusionRequest {
    outcome: Outcome,
    #[serde(default)]
    new_amount: Option<Money>,
    reasons_zh: String,
    reasons_en: String,
}

pub async fn conclude(req: Request, id: &str) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Officer).await?;
    let body: ConclusionRequest = read_json(req, JSON_LIMIT).await?;
    let reasons_zh = body.reasons_zh.trim();
    prose("reasons_zh", reasons_zh, 2, 2000, true)?;
    let reasons_en = body.reasons_en.trim();
    prose("reasons_en", reasons_en, 2, 2000, true)?;
    match (body.outcome, body.new_amount) {
        (Outcome::PartlyUpheld, None) => {
            return Err(ApiError::invalid(
                "new_amount",
                "异议部分成立时须给出调整后的补助金额。",
                "A partly upheld objection needs the new amount.",
            ));
        }
        (Outcome::Dismissed, Some(_)) => {
            return Err(ApiError::invalid(
                "new_amount",
                "异议不成立时不给出新的金额。",
                "A dismissed objection carries no new amount.",
            ));
        }
        _ => {}
    }
    let db = Db::open().await?;
    let now = clock::now().await;
    let at = clock::format(now);
    let (status, kind, outcome) = match body.outcome {
        // Upheld without an amount: the entry leaves the list; with one (an enterprise's
        // objection that its own amount was too low, or one that it was too high): the
        // amount becomes it, within the caps and the budget (rules::re_review).
        Outcome::Upheld => (
            Status::Upheld,
            UpdateKind::ReReviewUpheld,
            body.new_amount.map_or(ReReview::Upheld, ReReview::Amount),
        ),
        Outcome::PartlyUpheld => (
            Status::PartlyUpheld,
            UpdateKind::ReReviewPartlyUpheld,
            ReReview::Amount(body.new_amount.unwrap_or(Money::ZERO)),
        ),
        Outcome::Dismissed => (
            Status::Dismissed,
            UpdateKind::ReReviewDismissed,
            ReReview::Dismissed,
        ),
    };
    let text_zh = format!("受理编号 {id} 的异议经重审：{reasons_zh}");
    let text_en = format!("Objection {id} on re-review: {reasons_en}");
    db.transaction(|| async {
        let rec = load_record(&db, id).await?;
        if rec.status != "received" {
            return Err(ApiError::conflict(
                format!("异议 {id} 已有重审结论（{}）。", status_text(&rec.status).0),
                format!(
                    "Objection {id} already has its re-review conclusion ({}).",
                    status_text(&rec.status).1
                ),
            ));
        }
        let notice = load_notice(&db, &rec.notice_id, "notice_id").await?;
        let entry = notice
            .current_entries()
            .into_iter()
            .find(|e| e.number == rec.entry)
            .ok_or_else(|| ApiError::internal("objection to an entry the notice lacks"))?;
        if entry.status == EntryStatus::Removed && body.outcome != Outcome::Dismissed {
            return Err(ApiError::conflict(
                format!("第{}号已因此前的重审结论取消补助。", rec.entry),
                format!(
                    "Entry {} was already removed by an earlier re-review.",
                    rec.entry
                ),
            ));
        }
        // PROC-OBJECT: a conclusion while the list is on notice (during the period and
        // after it, until approval), judged inside this transaction.
        let year = notice.round_year;
        let (_, allowed) = round::guard::check(&db, year, now, Action::Conclude).await?;
        let update = NoticeUpdate {
            seq: 0,
            at: now,
            kind,
            entry: Some(rec.entry),
            new_amount: body.new_amount,
            text_zh: text_zh.clone(),
            text_en: text_en.clone(),
        };
        let seq =
            store::notices::append_update(db.store(), &rec.notice_id, &update, Some(id)).await?;
        let conclusion = store::objections::Conclusion {
            status,
            new_amount: body.new_amount,
            reasons_zh,
            reasons_en,
            at: &at,
            notice_update: seq,
        };
        let concluded = store::objections::conclude(db.store(), id, &conclusion).await?;
        if !concluded {
            return Err(ApiError::conflict(
                format!("异议 {id} 已有重审结论。"),
                format!("Objection {id} already has its re-review conclusion."),
            ));
        }
        round::list::record_re_review(&db, year, &rec.application_id, outcome, &at).await?;
        db.audit_entry(&store::audit::Entry {
            actor: &actor,
            component: COMPONENT,
            action: "conclude_objection",
            subject: Some(id),
            rules: allowed,
            detail_json: &json!({ "outcome": status.name(), "new_amount": body.new_amount,
                                  "notice_update": seq, "rule": "PROC-OBJECT" })
            .to_string(),
        })
        .await
    })
    .await?;
    let rec = load_record(&db, id).await?;
    Ok(service::json(200, &officer_view(&db, &rec).await?))
}

/// One evidence file (officers): as an attachment, never stored by caches.
pub async fn evidence(req: Request, id: &str, n: &str) -> Result<Reply, ApiError> {
    service::auth::require(&req, Role::Officer).await?;
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
