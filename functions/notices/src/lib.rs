//! Notices: the proposed list on public notice (PROC-NOTICE), its updates (re-review
//! conclusions, PROC-OBJECT; corrections) and the payments made (DISCLOSE), as JSON, HTML
//! pages and feeds (Atom, JSON Feed 1.1).
//!
//! Routes (see spin.toml and docs/ROUTES.md):
//! - `POST /api/notices` (officer or administrator): publish a round's proposed list
//!   (`{"kind":"proposed_list","round_year":2026}`) or its payments not yet disclosed
//!   (`{"kind":"payments","round_year":2026}`);
//! - `POST /api/notices/:id/corrections` (officer or administrator): a correction, an
//!   update with its own time (the notice itself is never edited);
//! - public, cross-origin, conditional (ETag, Last-Modified, 304): `GET /api/notices`,
//!   `GET /api/notices/:id`, `GET /notices`, `GET /notices/:id`,
//!   `GET /feeds/notices.atom[?page=N]`, `GET /feeds/notices.json[?page=N]`.
//!
//! The clock is `service::clock::now` (the `clock_override` Spin variable, for tests only).

use chrono::{DateTime, FixedOffset, Utc};
use publish::{Contact, Notice, NoticeEntry, NoticeKind, NoticeUpdate, UpdateKind};
use rules::Parameters;
use rules::calendar::Calendar;
use rules::procedure::{Stage, StageContext};
use serde::Deserialize;
use serde_json::json;
use service::body::{JSON_LIMIT, read_json};
use service::db::Db;
use service::error::bytes_reply;
use service::route::{only, request_segments};
use service::{ApiError, Reply, clock, json, list};
use spin_sdk::http::{HeaderValue, Method, Request};
use spin_sdk::http_service;

const COMPONENT: &str = "notices";

#[http_service]
async fn handle(req: Request) -> Reply {
    let method = req.method().clone();
    service::error::finish(&method, route(req).await)
}

async fn route(req: Request) -> Result<Reply, ApiError> {
    let segs = request_segments(&req);
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let read = [Method::GET, Method::HEAD];
    let public = matches!(
        segs.as_slice(),
        ["api", "notices", ..] | ["notices", ..] | ["feeds", ..]
    );
    if req.method() == Method::OPTIONS && public {
        return Ok(preflight());
    }
    match segs.as_slice() {
        ["api", "health", "notices"] => {
            only(&req, &[Method::GET])?;
            Ok(service::route::health(COMPONENT, true).await)
        }
        ["api", "notices"] if req.method() == Method::POST => publish_notice(req).await,
        ["api", "notices"] => {
            only(&req, &[Method::GET, Method::HEAD, Method::POST])?;
            no_query(&req)?;
            let (notices, now) = load_public().await?;
            let base = base_url().await?;
            let list: Vec<serde_json::Value> =
                notices.iter().map(|n| summary(n, now, &base)).collect();
            let body = serde_json::to_vec(&json!({ "notices": list }))
                .map_err(|e| ApiError::internal(&e.to_string()))?;
            Ok(conditional(
                &req,
                body,
                "application/json; charset=utf-8",
                newest(&notices, now),
            ))
        }
        ["api", "notices", id] => {
            only(&req, &read)?;
            no_query(&req)?;
            let db = Db::open().await?;
            let n = load_one(&db, id).await?;
            let now = clock::now().await;
            let base = base_url().await?;
            let body = serde_json::to_vec(&detail(&n, now, &base))
                .map_err(|e| ApiError::internal(&e.to_string()))?;
            Ok(conditional(
                &req,
                body,
                "application/json; charset=utf-8",
                Some(effective_modified(&n, now)),
            ))
        }
        ["api", "notices", id, "corrections"] => {
            only(&req, &[Method::POST])?;
            let id = (*id).to_owned();
            correction(req, &id).await
        }
        ["notices"] => {
            only(&req, &read)?;
            no_query(&req)?;
            let (notices, now) = load_public().await?;
            let body = publish::html::list_page(&notices, now).into_bytes();
            Ok(conditional(
                &req,
                body,
                "text/html; charset=utf-8",
                newest(&notices, now),
            ))
        }
        ["notices", id] => {
            only(&req, &read)?;
            no_query(&req)?;
            let db = Db::open().await?;
            let n = load_one(&db, id).await?;
            let now = clock::now().await;
            let body = publish::html::notice_page(&n, now).into_bytes();
            Ok(conditional(
                &req,
                body,
                "text/html; charset=utf-8",
                Some(effective_modified(&n, now)),
            ))
        }
        ["feeds", feed @ ("notices.atom" | "notices.json")] => {
            only(&req, &read)?;
            let page = page_param(&req)?;
            let (notices, now) = load_public().await?;
            let base = base_url().await?;
            let count = publish::feed::items(&notices, &base).len();
            if page > 1 && (page - 1) * publish::feed::PAGE_SIZE >= count {
                return Err(ApiError::new(
                    404,
                    "not_found",
                    format!("订阅源没有第 {page} 页。"),
                    format!("The feed has no page {page}."),
                )
                .field("page"));
            }
            let (body, ty) = if *feed == "notices.atom" {
                (
                    publish::feed::atom(&notices, &base, page),
                    "application/atom+xml; charset=utf-8",
                )
            } else {
                (
                    publish::feed::json_feed(&notices, &base, page),
                    "application/feed+json; charset=utf-8",
                )
            };
            Ok(conditional(
                &req,
                body.into_bytes(),
                ty,
                newest(&notices, now),
            ))
        }
        _ => Err(ApiError::not_found()),
    }
}

// ------------------------------------------------------------------ reading

/// The public base URL (feeds, links), from the `public_base_url` variable.
async fn base_url() -> Result<String, ApiError> {
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

fn no_query(req: &Request) -> Result<(), ApiError> {
    match req.uri().query() {
        None | Some("") => Ok(()),
        Some(_) => Err(ApiError::invalid(
            "query",
            "该地址不接受查询参数。",
            "This address takes no query parameters.",
        )),
    }
}

/// `?page=N` (1 by default); anything else is a 400 naming the parameter.
fn page_param(req: &Request) -> Result<usize, ApiError> {
    let mut page = 1;
    for pair in req.uri().query().unwrap_or("").split('&') {
        if pair.is_empty() {
            continue;
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "page" => {
                page = v
                    .parse::<usize>()
                    .ok()
                    .filter(|p| (1..=100_000).contains(p))
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "page",
                            "页码须为 1 至 100000 的整数。",
                            "The page must be a whole number from 1 to 100000.",
                        )
                    })?;
            }
            other => {
                return Err(ApiError::invalid(
                    other,
                    format!("不支持的查询参数：{other}（仅支持 page）。"),
                    format!("Unknown query parameter: {other} (only `page` is supported)."),
                ));
            }
        }
    }
    Ok(page)
}

/// Every notice with its updates, newest first, and now.
async fn load_public() -> Result<(Vec<Notice>, DateTime<FixedOffset>), ApiError> {
    let db = Db::open().await?;
    let notices = store::notices::all(db.store()).await?;
    Ok((notices, clock::now().await))
}

async fn load_one(db: &Db, id: &str) -> Result<Notice, ApiError> {
    store::notices::find(db.store(), id).await?.ok_or_else(|| {
        ApiError::new(
            404,
            "notice_not_found",
            format!("没有编号为 {id} 的公示。"),
            format!("There is no notice {id}."),
        )
        .field("id")
    })
}

/// When what a reader sees last changed: publication, the latest update, and the end of
/// the notice period once passed (the page then says the period is over).
fn effective_modified(n: &Notice, now: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let mut t = n.last_modified();
    if let Some(p) = &n.period
        && now >= p.ends_at
    {
        t = t.max(p.ends_at);
    }
    t
}

fn newest(notices: &[Notice], now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    notices.iter().map(|n| effective_modified(n, now)).max()
}

fn summary(n: &Notice, now: DateTime<FixedOffset>, base: &str) -> serde_json::Value {
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

fn detail(n: &Notice, now: DateTime<FixedOffset>, base: &str) -> serde_json::Value {
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

// ------------------------------------------------------------------ conditional answers

/// `Last-Modified` / `If-Modified-Since` form (RFC 9110 IMF-fixdate).
fn http_date(t: DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc)
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Whether the client's copy is current: `If-None-Match` when present (weak comparison),
/// otherwise `If-Modified-Since` at one-second precision (RFC 9110 §13.2.2).
fn not_modified(req: &Request, etag: &str, last: Option<DateTime<FixedOffset>>) -> bool {
    if let Some(inm) = header(req, "if-none-match") {
        return service::validators::if_none_match(inm, etag);
    }
    match (header(req, "if-modified-since"), last) {
        (Some(ims), Some(last)) => DateTime::parse_from_rfc2822(ims.trim())
            .map(|since| last.timestamp() <= since.timestamp())
            .unwrap_or(false),
        _ => false,
    }
}

/// A public, cacheable, cross-origin readable answer with ETag and Last-Modified; 304
/// when the client's copy is current (HEAD: `service::error::finish` drops the body).
fn conditional(
    req: &Request,
    body: Vec<u8>,
    content_type: &str,
    last: Option<DateTime<FixedOffset>>,
) -> Reply {
    let etag = service::validators::etag(&body);
    let fresh = not_modified(req, &etag, last);
    let status = if fresh { 304 } else { 200 };
    let body = if fresh { Vec::new() } else { body };
    let mut r = bytes_reply(status, content_type, body.into());
    let h = r.headers_mut();
    let mut set = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(name, v);
        }
    };
    set("etag", &etag);
    if let Some(t) = last {
        set("last-modified", &http_date(t));
    }
    set("cache-control", "public, max-age=60, must-revalidate");
    set("access-control-allow-origin", "*");
    set("access-control-expose-headers", "ETag, Last-Modified");
    r
}

/// CORS preflight for the public reads (a script sending its own `If-None-Match`).
fn preflight() -> Reply {
    let mut r = bytes_reply(204, "text/plain; charset=utf-8", Vec::new().into());
    let h = r.headers_mut();
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    h.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, HEAD"),
    );
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_static("If-None-Match, If-Modified-Since"),
    );
    h.insert("access-control-max-age", HeaderValue::from_static("86400"));
    r
}

// ------------------------------------------------------------------ writing

/// Officers and administrators may publish; answers who, for the audit trail.
async fn staff(req: &Request) -> Result<String, ApiError> {
    service::auth::require(req, service::auth::Role::Officer).await
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum PublishKind {
    ProposedList,
    Payments,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishRequest {
    kind: PublishKind,
    round_year: i64,
}

async fn publish_notice(req: Request) -> Result<Reply, ApiError> {
    let actor = staff(&req).await?;
    let body: PublishRequest = read_json(req, JSON_LIMIT).await?;
    if !(2000..=2100).contains(&body.round_year) {
        return Err(ApiError::invalid(
            "round_year",
            "申报年度须在 2000 至 2100 之间。",
            "The round year must be between 2000 and 2100.",
        ));
    }
    let now = clock::now().await;
    let db = Db::open().await?;
    let notice = db
        .transaction(|| async {
            match body.kind {
                PublishKind::ProposedList => proposed_list(&db, body.round_year, now, &actor).await,
                PublishKind::Payments => payments(&db, body.round_year, now, &actor).await,
            }
        })
        .await?;
    let base = base_url().await?;
    let mut r = json(201, &detail(&notice, now, &base));
    if let Ok(v) = HeaderValue::from_str(&format!("/api/notices/{}", notice.id)) {
        r.headers_mut().insert("location", v);
    }
    Ok(r)
}

fn round_year_i32(year: i64) -> i32 {
    i32::try_from(year).unwrap_or_default()
}

/// PROC-NOTICE: publishes the round's proposed list (the newest version of its list) and
/// moves the round to `in_notice`.
async fn proposed_list(
    db: &Db,
    year: i64,
    now: DateTime<FixedOffset>,
    actor: &str,
) -> Result<Notice, ApiError> {
    let stage = list::stage(db, year).await?;
    if stage >= Stage::InNotice {
        return Err(ApiError::conflict(
            format!("{year}年度拟补助名单已公示（当前阶段：{}）。", stage.zh()),
            format!(
                "The {year} proposed list is already published (stage: {}).",
                stage.en()
            ),
        )
        .field("round_year"));
    }
    let y = i32::try_from(year).map_err(|_| service::list::no_round(year))?;
    let Some(version) = store::allocations::latest(db.store(), y).await? else {
        return Err(ApiError::conflict(
            format!("{year}年度尚未形成拟补助名单。"),
            format!("The {year} round has no proposed list yet."),
        )
        .field("round_year"));
    };
    let version = version.number;
    let mut entries = Vec::new();
    let mut private = Vec::new();
    // The list's own 序号, so the notice, the exports and the objections agree.
    for line in store::allocations::lines(db.store(), y, version).await? {
        if line.granted.is_zero() {
            continue;
        }
        entries.push(NoticeEntry {
            number: line.number,
            enterprise_name: line.enterprise_name,
            rights_zh: line.rights_zh,
            rights_en: line.rights_en,
            amount: line.granted,
        });
        private.push((line.number, line.application_id, line.uscc));
    }
    if entries.is_empty() {
        return Err(ApiError::conflict(
            format!("{year}年度拟补助名单为空，无可公示内容。"),
            format!("The {year} proposed list is empty: nothing to publish."),
        )
        .field("round_year"));
    }
    let period =
        rules::procedure::notice_period(&Calendar::official(), &Parameters::default(), now)
            .map_err(|e| {
                ApiError::new(
                    409,
                    "calendar_unavailable",
                    format!("无法计算公示期（PROC-NOTICE）：{}", e.zh),
                    format!(
                        "The notice period cannot be computed (PROC-NOTICE): {}",
                        e.en
                    ),
                )
            })?;
    let notice = Notice {
        id: format!("{year}-proposed"),
        round_year: round_year_i32(year),
        kind: NoticeKind::ProposedList,
        title_zh: format!("{year}年度门头沟区知识产权质押融资贷款贴息拟补助名单公示"),
        title_en: format!(
            "{year} Mentougou IP pledge loan interest subsidy: proposed list on public notice"
        ),
        published_at: now,
        period: Some(period.clone()),
        entries,
        updates: Vec::new(),
        contact: Contact::default(),
    };
    store(
        db,
        &notice,
        Some(version),
        Some(clock::format(period.ends_at)),
        actor,
    )
    .await?;
    for (number, application_id, uscc) in private {
        let entry = store::notices::PrivateEntry {
            number,
            application_id,
            uscc,
            payment_id: None,
        };
        store::notices::add_entry(db.store(), &notice.id, &entry).await?;
    }
    let at = clock::format(now);
    let ctx = StageContext {
        now: Some(now),
        ..StageContext::default()
    };
    list::advance_stage(db, year, Stage::InNotice, &ctx, &at).await?;
    Ok(notice)
}

/// DISCLOSE: publishes the round's payments not disclosed yet.
async fn payments(
    db: &Db,
    year: i64,
    now: DateTime<FixedOffset>,
    actor: &str,
) -> Result<Notice, ApiError> {
    list::stage(db, year).await?;
    let y = round_year_i32(year);
    let payments = store::notices::undisclosed_payments(db.store(), y).await?;
    if payments.is_empty() {
        return Err(ApiError::conflict(
            format!("{year}年度没有尚未公开的拨付记录（DISCLOSE）。"),
            format!("The {year} round has no payment left to disclose (DISCLOSE)."),
        )
        .field("round_year"));
    }
    let count = store::notices::count_of_kind(db.store(), y, NoticeKind::Payments).await?;
    let mut entries = Vec::new();
    let mut private = Vec::new();
    for (p, number) in payments.into_iter().zip(1u32..) {
        entries.push(NoticeEntry {
            number,
            enterprise_name: p.enterprise_name,
            rights_zh: p.rights_zh,
            rights_en: p.rights_en,
            amount: p.amount,
        });
        private.push(store::notices::PrivateEntry {
            number,
            application_id: p.application_id,
            uscc: p.uscc,
            payment_id: Some(p.payment_id),
        });
    }
    let seq = count + 1;
    let notice = Notice {
        id: format!("{year}-payments-{seq}"),
        round_year: round_year_i32(year),
        kind: NoticeKind::Payments,
        title_zh: format!("{year}年度门头沟区知识产权质押融资贷款贴息资金拨付情况（第{seq}批）"),
        title_en: format!(
            "{year} Mentougou IP pledge loan interest subsidy: payments made (batch {seq})"
        ),
        published_at: now,
        period: None,
        entries,
        updates: Vec::new(),
        contact: Contact::default(),
    };
    store(db, &notice, None, None, actor).await?;
    for entry in &private {
        store::notices::add_entry(db.store(), &notice.id, entry).await?;
    }
    Ok(notice)
}

async fn store(
    db: &Db,
    n: &Notice,
    version: Option<i64>,
    ends_at: Option<String>,
    actor: &str,
) -> Result<(), ApiError> {
    store::notices::add(db.store(), n, version, ends_at.as_deref(), actor).await?;
    let kind = store::notices::kind_name(n.kind);
    db.audit(
        actor,
        COMPONENT,
        "publish_notice",
        Some(&n.id),
        &json!({ "kind": kind, "round_year": n.round_year, "entries": n.entries.len(),
                 "rule": n.kind.rule().code() })
        .to_string(),
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CorrectionRequest {
    #[serde(default)]
    entry: Option<u32>,
    text_zh: String,
    text_en: String,
}

fn check_text(field: &str, s: &str, max: usize) -> Result<(), ApiError> {
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
async fn correction(req: Request, id: &str) -> Result<Reply, ApiError> {
    let actor = staff(&req).await?;
    let body: CorrectionRequest = read_json(req, JSON_LIMIT).await?;
    check_text("text_zh", &body.text_zh, 2000)?;
    check_text("text_en", &body.text_en, 2000)?;
    let db = Db::open().await?;
    let notice = load_one(&db, id).await?;
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
