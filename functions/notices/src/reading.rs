//! Reading notices: the public list and one notice as JSON, with the moment each last
//! changed for readers (publication, its latest update, the end of its period).

use super::*;

/// The public base URL (feeds, links), from the `public_base_url` variable.
pub(crate) async fn base_url() -> Result<String, ApiError> {
    let v = spin_sdk::variables::get("public_base_url")
        .await
        .map_err(|_| ApiError::server_misconfigured("public_base_url"))?;
    let v = v.trim().trim_end_matches('/');
    if !(v.starts_with("http://") || v.starts_with("https://")) || v.contains(char::is_whitespace) {
        return Err(ApiError::server_misconfigured(
            "public_base_url must be an absolute http(s) URL",
        ));
    }
    Ok(v.to_owned())
}

pub(crate) use service::query::none as no_query;

/// `?page=N` (1 by default); anything else is a 400 naming the parameter.
pub(crate) fn page_param(req: &Request) -> Result<usize, ApiError> {
    let query = service::query::query(req, &["page"])?;
    let Some(v) = query.get("page") else {
        return Ok(1);
    };
    v.parse::<usize>()
        .ok()
        .filter(|p| (1..=100_000).contains(p))
        .ok_or_else(|| {
            ApiError::invalid(
                "page",
                "页码须为 1 至 100000 的整数。",
                "The page must be a whole number from 1 to 100000.",
            )
        })
}

/// Every notice with its updates, newest first, and now.
pub(crate) async fn load_public() -> Result<(Vec<Notice>, DateTime<FixedOffset>), ApiError> {
    let db = Db::open().await?;
    let notices = store::notices::all(db.store()).await?;
    Ok((notices, clock::now().await))
}

pub(crate) async fn load_one(db: &Db, id: &str) -> Result<Notice, ApiError> {
    store::notices::find(db.store(), id)
        .await?
        .ok_or_else(|| ApiError::notice_not_found(id).field("id"))
}

/// When what a reader sees last changed: publication, the latest update, and the end of
/// the notice period once passed (the page then says the period is over).
pub(crate) fn effective_modified(n: &Notice, now: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let mut t = n.last_modified();
    if let Some(p) = &n.period
        && now >= p.ends_at
    {
        t = t.max(p.ends_at);
    }
    t
}

pub(crate) fn newest(
    notices: &[Notice],
    now: DateTime<FixedOffset>,
) -> Option<DateTime<FixedOffset>> {
    notices.iter().map(|n| effective_modified(n, now)).max()
}

pub(crate) fn summary(n: &Notice, now: DateTime<FixedOffset>, base: &str) -> serde_json::Value {
    json!({
        "id": n.id,
        "round_year": n.round_year,
        "kind": n.kind,
        "title_zh": n.title_zh,
        "title_en": n.title_en,
        "published_at": clock::format(n.published_at),
        "updated_at": clock::format(n.last_modified()),
        "period": n.period,
        "objections_open": n.objections_open(now),
        "entries": n.entries.len(),
        "updates": n.updates.len(),
        "current_total": n.current_total(),
        "url": format!("{base}/notices/{}", n.id),
        "api_url": format!("{base}/api/notices/{}", n.id),
    })
}

pub(crate) fn detail(n: &Notice, now: DateTime<FixedOffset>, base: &str) -> serde_json::Value {
    let mut v = serde_json::to_value(n).unwrap_or_default();
    v["current_entries"] = json!(n.current_entries());
    v["current_total"] = json!(n.current_total());
    v["current_total_capitals"] = json!(publish::notice::capitals(n.current_total()));
    v["updated_at"] = json!(clock::format(n.last_modified()));
    v["objections_open"] = json!(n.objections_open(now));
    v["url"] = json!(format!("{base}/notices/{}", n.id));
    if let Some(p) = &n.period {
        v["how_to_object"] = json!({
            "endpoint": format!("{base}/api/objections"),
            "until": clock::format(p.ends_at),
            "rule": "PROC-OBJECT",
            "zh": format!("请于 {} 前（北京时间）通过 {base}/api/objections 或联系{}提出异议，写明序号、理由与证据；异议人的个人信息不予公开。", clock::format(p.ends_at), n.contact.office_zh),
            "en": format!("Object before {} (Beijing time) at {base}/api/objections or to the {}, naming the entry number, your grounds and evidence; objectors' personal data is never published.", clock::format(p.ends_at), n.contact.office_en),
        });
    }
    v
}
