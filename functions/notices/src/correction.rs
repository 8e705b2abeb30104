//! Corrections: an update with its own time appended to a published notice (which itself
//! is never edited); amounts change only through a re-review conclusion (objections).

use publish::{NoticeUpdate, UpdateKind};
use serde::Deserialize;
use serde_json::json;
use service::body::{JSON_LIMIT, read_json};
use service::db::Db;
use service::{ApiError, Reply, clock, json};
use spin_sdk::http::{HeaderValue, Request};

use crate::COMPONENT;
use crate::publishing::staff;
use crate::reading::notice;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CorrectionRequest {
    #[serde(default)]
    entry: Option<u32>,
    text_zh: String,
    text_en: String,
}

pub(crate) fn check_text(field: &str, s: &str, max: usize) -> Result<(), ApiError> {
    let n = s.trim().chars().count();
    if n == 0 || n > max {
        return Err(ApiError::invalid(
            field,
            format!("{field} 不能为空，且不超过 {max} 个字符。"),
            format!("{field} must not be empty and must hold at most {max} characters."),
        ));
    }
    // Printable text and line breaks only: no NUL or other control characters.
    service::error::prose(field, s, 1, max, true)
}

/// A correction: an update with its own time; the published text stays as it was.
/// Amounts change only through a re-review conclusion (objections component).
pub(crate) async fn correct(req: Request, id: &str) -> Result<Reply, ApiError> {
    let actor = staff(&req).await?;
    let body: CorrectionRequest = read_json(req, JSON_LIMIT).await?;
    check_text("text_zh", &body.text_zh, 2000)?;
    check_text("text_en", &body.text_en, 2000)?;
    let db = Db::open().await?;
    let notice = notice(&db, id).await?;
    if let Some(e) = body.entry
        && !notice.entries.iter().any(|x| x.number == e)
    {
        return Err(ApiError::invalid(
            "entry",
            format!("公示中没有序号为 {e} 的条目。"),
            format!("The notice has no entry {e}."),
        ));
    }
    let now = clock::now().await;
    let at = clock::format(now);
    let seq = db
        .transaction(|| async {
            let update = NoticeUpdate {
                seq: 0,
                at: now,
                kind: UpdateKind::Correction,
                entry: body.entry,
                new_amount: None,
                text_zh: body.text_zh.trim().to_owned(),
                text_en: body.text_en.trim().to_owned(),
            };
            let seq = store::notices::append_update(db.store(), id, &update, None).await?;
            db.audit(
                &actor,
                COMPONENT,
                "correct_notice",
                Some(id),
                &json!({ "seq": seq, "entry": body.entry }).to_string(),
            )
            .await?;
            Ok(seq)
        })
        .await?;
    let mut r = json(
        201,
        &json!({
            "notice_id": id,
            "seq": seq,
            "at": at,
            "kind": "correction",
            "entry": body.entry,
            "text_zh": body.text_zh.trim(),
            "text_en": body.text_en.trim(),
        }),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("/api/notices/{id}#update-{seq}")) {
        r.headers_mut().insert("location", v);
    }
    Ok(r)
}
