//! Objections to an entry of a proposed list during its notice period (PROC-OBJECT), and
//! the re-review conclusions.
//!
//! Routes (see spin.toml and docs/ROUTES.md):
//! - `POST /api/objections` (anyone): file an objection; only inside the notice period.
//!   Answers a tracking number and a private token (shown once; only its SHA-256 is kept).
//! - `GET /api/objections/:id` with `Authorization: Bearer <private token>`: the objector
//!   follows the status and the conclusion; with an officer token: the whole record.
//! - `GET /api/objections` (officer): counts by status; `?notice=<id>`: the objections to
//!   one notice, with the objectors' data (never public).
//! - `GET /api/objections/:id/evidence/:n` (officer): one evidence file.
//! - `POST /api/objections/:id/conclusion` (officer): the re-review conclusion (upheld,
//!   partly upheld with the new amount, dismissed) with reasons; the notice gets an update,
//!   the round's list a new version and the application its status
//!   (`service::list::record_re_review`).
//!
//! Floods (objections accepted per client address per hour) and identical repeated
//! objections are refused politely; the limits live in SQLite (`objection_rate`).

use base64::Engine;
use chrono::Timelike;
use publish::{EntryStatus, Notice, NoticeKind, NoticeUpdate, UpdateKind};
use rules::Money;
use rules::procedure::Stage;
use serde::{Deserialize, Serialize};
use serde_json::json;
use service::auth::{Role, bearer_token};
use service::body::{JSON_LIMIT, read_json};
use service::db::Db;
use service::list::ReReview;
use service::route::{only, request_segments};
use service::token::{matches, new_token, sha256_hex};
use service::{ApiError, Reply, clock, json, list};
use spin_sdk::http::{HeaderValue, Method, Request};
use spin_sdk::http_service;
use store::objections::Status;

const COMPONENT: &str = "objections";

/// Evidence files: at most this many per objection …
pub const MAX_FILES: usize = 3;
/// … of at most this many bytes each (decoded).
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// The body carries the files in base64 (4/3), plus the text.
pub const OBJECTION_LIMIT: usize = MAX_FILES * MAX_FILE_BYTES * 4 / 3 + 2 * JSON_LIMIT;
/// Grounds: at least this many characters …
pub const GROUNDS_MIN: usize = 10;
/// … and at most this many.
pub const GROUNDS_MAX: usize = 3000;
/// Objections accepted from one client address in one clock hour.
pub const PER_HOUR: i64 = 5;

#[http_service]
async fn handle(req: Request) -> Reply {
    let method = req.method().clone();
    service::error::finish(&method, route(req).await)
}

async fn route(req: Request) -> Result<Reply, ApiError> {
    let segs = request_segments(&req);
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    match segs.as_slice() {
        ["api", "health", "objections"] => {
            only(&req, &[Method::GET])?;
            Ok(service::route::health(COMPONENT, true).await)
        }
        ["api", "objections"] => {
            only(&req, &[Method::GET, Method::POST])?;
            if req.method() == Method::POST {
                file(req).await
            } else {
                service::auth::require(&req, Role::Officer).await?;
                officer_list(&req).await
            }
        }
        ["api", "objections", id] => {
            only(&req, &[Method::GET])?;
            no_query(&req)?;
            show(&req, id).await
        }
        ["api", "objections", id, "conclusion"] => {
            only(&req, &[Method::POST])?;
            let id = (*id).to_owned();
            conclude(req, &id).await
        }
        ["api", "objections", id, "evidence", n] => {
            only(&req, &[Method::GET])?;
            service::auth::require(&req, Role::Officer).await?;
            evidence(id, n).await
        }
        _ => Err(ApiError::not_found()),
    }
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

// ------------------------------------------------------------------ filing

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Objector {
    name: String,
    contact: String,
    relation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceIn {
    file_name: String,
    content_type: String,
    data_base64: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRequest {
    notice_id: String,
    entry: u32,
    objector: Objector,
    grounds: String,
    #[serde(default)]
    evidence: Vec<EvidenceIn>,
}

/// A checked evidence file.
struct Evidence {
    file_name: String,
    content_type: &'static str,
    data: Vec<u8>,
}

/// The type a file's first bytes say it is (PDF, JPEG, PNG), whatever it claims.
pub fn sniff(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if data.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// Checks one free-text field: trimmed length within bounds, no control characters
/// except line breaks and tabs where `multiline`.
fn text(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<String, ApiError> {
    let v = value.trim();
    let n = v.chars().count();
    if n < min || n > max {
        return Err(ApiError::invalid(
            field,
            format!("{field} 的长度须在 {min} 至 {max} 个字符之间（现为 {n}）。"),
            format!("{field} must hold {min} to {max} characters (it holds {n})."),
        ));
    }
    if v.chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        return Err(ApiError::invalid(
            field,
            format!("{field} 含有不允许的控制字符。"),
            format!("{field} contains control characters."),
        ));
    }
    Ok(v.to_owned())
}

fn check_evidence(list: &[EvidenceIn]) -> Result<Vec<Evidence>, ApiError> {
    if list.len() > MAX_FILES {
        return Err(ApiError::invalid(
            "evidence",
            format!("证据文件最多 {MAX_FILES} 个。"),
            format!("At most {MAX_FILES} evidence files."),
        ));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, e) in list.iter().enumerate() {
        let f = format!("evidence[{i}]");
        let file_name = text(&format!("{f}.file_name"), &e.file_name, 1, 200, false)?;
        if file_name.contains(['/', '\\']) {
            return Err(ApiError::invalid(
                &format!("{f}.file_name"),
                "文件名不能包含路径分隔符。",
                "The file name must not contain path separators.",
            ));
        }
        let declared = e.content_type.trim().to_ascii_lowercase();
        if !matches!(
            declared.as_str(),
            "application/pdf" | "image/jpeg" | "image/png"
        ) {
            return Err(ApiError::new(
                415,
                "unsupported_media_type",
                "证据文件仅限 PDF、JPEG、PNG 格式。",
                "Evidence files must be PDF, JPEG or PNG.",
            )
            .field(format!("{f}.content_type")));
        }
        // A quick bound before decoding: base64 of MAX_FILE_BYTES.
        if e.data_base64.len() > MAX_FILE_BYTES.div_ceil(3) * 4 + 4 {
            return Err(too_big(&f));
        }
        let data = base64::engine::general_purpose::STANDARD
            .decode(e.data_base64.trim())
            .map_err(|_| {
                ApiError::invalid(
                    &format!("{f}.data_base64"),
                    "文件内容须为标准 Base64 编码。",
                    "The file content must be standard base64.",
                )
            })?;
        if data.is_empty() {
            return Err(ApiError::invalid(
                &format!("{f}.data_base64"),
                "文件为空。",
                "The file is empty.",
            ));
        }
        if data.len() > MAX_FILE_BYTES {
            return Err(too_big(&f));
        }
        match sniff(&data) {
            Some(t) if t == declared => out.push(Evidence {
                file_name,
                content_type: t,
                data,
            }),
            Some(t) => {
                return Err(ApiError::new(
                    415,
                    "unsupported_media_type",
                    format!("文件内容为 {t}，与声明的 {declared} 不符。"),
                    format!("The file content is {t}, not the declared {declared}."),
                )
                .field(format!("{f}.content_type")));
            }
            None => {
                return Err(ApiError::new(
                    415,
                    "unsupported_media_type",
                    "文件内容不是 PDF、JPEG 或 PNG。",
                    "The file content is not a PDF, JPEG or PNG.",
                )
                .field(format!("{f}.data_base64")));
            }
        }
    }
    Ok(out)
}

fn too_big(f: &str) -> ApiError {
    ApiError::new(
        413,
        "file_too_large",
        format!("单个证据文件不能超过 {MAX_FILE_BYTES} 字节。"),
        format!("Each evidence file may hold at most {MAX_FILE_BYTES} bytes."),
    )
    .field(format!("{f}.data_base64"))
}

/// Lower case, without white space (which carries no meaning in Chinese text): what
/// makes two texts "the same objection".
fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The client's address without the port (`spin-client-addr`, the value Spin appended,
/// never one the client sent), hashed: the flood limit needs to recognise a client, not to
/// keep its address.
fn client_key(req: &Request) -> String {
    let addr = service::route::spin_header(req, "spin-client-addr")
        .unwrap_or("unknown")
        .trim();
    let host = if let Some(rest) = addr.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else if addr.matches(':').count() == 1 {
        addr.split(':').next().unwrap_or(addr)
    } else {
        addr
    };
    sha256_hex(host.as_bytes())
}

async fn file(req: Request) -> Result<Reply, ApiError> {
    let client = client_key(&req);
    let body: FileRequest = read_json(req, OBJECTION_LIMIT).await?;
    // Parse and check everything before touching the database.
    let notice_id = text("notice_id", &body.notice_id, 1, 100, false)?;
    let name = text("objector.name", &body.objector.name, 1, 100, false)?;
    let contact = text("objector.contact", &body.objector.contact, 5, 200, false)?;
    let relation = text("objector.relation", &body.objector.relation, 1, 200, false)?;
    let grounds = text("grounds", &body.grounds, GROUNDS_MIN, GROUNDS_MAX, true)?;
    let files = check_evidence(&body.evidence)?;

    let db = Db::open().await?;
    let notice = load_notice(&db, &notice_id, "notice_id").await?;
    if notice.kind != NoticeKind::ProposedList {
        return Err(ApiError::invalid(
            "notice_id",
            "只能对拟补助名单公示提出异议（PROC-OBJECT）。",
            "Objections are made to a proposed list on notice only (PROC-OBJECT).",
        ));
    }
    if !notice.entries.iter().any(|e| e.number == body.entry) {
        return Err(ApiError::invalid(
            "entry",
            format!("公示 {notice_id} 中没有序号为 {} 的条目。", body.entry),
            format!("Notice {notice_id} has no entry {}.", body.entry),
        ));
    }
    let now = clock::now().await;
    let period = notice
        .period
        .as_ref()
        .ok_or_else(|| ApiError::internal("a proposed list without a period"))?;
    if let Err(reason) = rules::procedure::check_objection(period, now) {
        return Err(ApiError::new(
            409,
            "outside_notice_period",
            format!("{}（{}）", reason.zh, reason.rule.code()),
            format!("{} ({})", reason.en, reason.rule.code()),
        )
        .field("notice_id"));
    }
    let dedup = sha256_hex(
        format!(
            "{notice_id}\u{0}{}\u{0}{}\u{0}{}",
            body.entry,
            normalise(&contact),
            normalise(&grounds)
        )
        .as_bytes(),
    );
    let token = new_token()?;
    let at = clock::format(now);
    let hour = now.format("%Y-%m-%dT%H").to_string();
    let id = db
        .transaction(|| async {
            // PROC-OBJECT, politely: a flood from one address, or the same objection again.
            let used = store::objections::filed_in_hour(db.store(), &client, &hour).await?;
            if used >= PER_HOUR {
                let wait = 3600 - i64::from(now.minute() * 60 + now.second());
                return Err(ApiError::new(
                    429,
                    "too_many_requests",
                    format!(
                        "您在一小时内已提交 {PER_HOUR} 件异议，请于 {wait} 秒后再试；如需补充材料，可联系知识产权局。"
                    ),
                    format!(
                        "You have filed {PER_HOUR} objections within this hour; please try again in {wait} seconds, or contact the IP office to add material."
                    ),
                ));
            }
            if let Some(existing) = store::objections::same_as(db.store(), &dedup).await? {
                return Err(ApiError::new(
                    409,
                    "duplicate_objection",
                    format!("已收到内容相同的异议（受理编号 {existing}），无需重复提交。"),
                    format!(
                        "The same objection has already been received (tracking number {existing}); there is no need to file it again."
                    ),
                ));
            }
            let app = store::notices::entry(db.store(), &notice_id, body.entry)
                .await?
                .map(|e| e.application_id)
                .ok_or_else(|| ApiError::internal("notice entry without its application"))?;
            let objector = store::objections::Objector {
                name: name.clone(),
                contact: contact.clone(),
                relation: relation.clone(),
            };
            let evidence: Vec<(store::objections::Evidence, Vec<u8>)> = files
                .iter()
                .map(|f| {
                    let e = store::objections::Evidence {
                        number: 0,
                        file_name: f.file_name.clone(),
                        content_type: f.content_type.to_owned(),
                        size_bytes: f.data.len() as i64,
                        sha256: sha256_hex(&f.data),
                    };
                    (e, f.data.clone())
                })
                .collect();
            let token_hash = sha256_hex(token.as_bytes());
            let id = store::objections::insert(
                db.store(),
                &store::objections::NewObjection {
                    round_year: notice.round_year,
                    notice_id: &notice_id,
                    entry: body.entry,
                    application_id: &app,
                    filed_at: &at,
                    token_hash: &token_hash,
                    grounds: &grounds,
                    dedup_hash: &dedup,
                    objector: &objector,
                    evidence: &evidence,
                },
            )
            .await?;
            store::objections::count_filing(db.store(), &client, &hour).await?;
            // The audit trail names the objection, never the objector.
            db.audit(
                "public",
                COMPONENT,
                "file_objection",
                Some(&id),
                &json!({ "notice_id": notice_id, "entry": body.entry,
                         "evidence": files.len(), "rule": "PROC-OBJECT" })
                .to_string(),
            )
            .await?;
            Ok(id)
        })
        .await?;
    let mut r = json(
        201,
        &json!({
            "tracking_number": id,
            "token": token,
            "status": "received",
            "notice_id": notice_id,
            "entry": body.entry,
            "filed_at": at,
            "period_ends_at": clock::format(period.ends_at),
            "evidence": files.len(),
            "follow_url": format!("/api/objections/{id}"),
            "message_zh": "异议已受理。请妥善保存受理编号和查询令牌（令牌仅显示这一次）：查询时在请求头中提供 Authorization: Bearer <令牌>。您的个人信息不予公开。",
            "message_en": "Objection received. Keep the tracking number and the private token (shown only this once): follow it with the header Authorization: Bearer <token>. Your personal data is never published.",
        }),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("/api/objections/{id}")) {
        r.headers_mut().insert("location", v);
    }
    r.headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-store"));
    Ok(r)
}

// ------------------------------------------------------------------ reading

/// An objection as stored (without the evidence's bytes).
#[derive(Serialize)]
struct Record {
    tracking_number: String,
    notice_id: String,
    entry: u32,
    application_id: String,
    filed_at: String,
    grounds: String,
    status: String,
    new_amount: Option<String>,
    reasons_zh: Option<String>,
    reasons_en: Option<String>,
    concluded_at: Option<String>,
    notice_update: Option<u32>,
    #[serde(skip)]
    token_hash: String,
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

async fn load_record(db: &Db, id: &str) -> Result<Record, ApiError> {
    store::objections::find(db.store(), id)
        .await?
        .map(record)
        .ok_or_else(|| {
            ApiError::new(
                404,
                "objection_not_found",
                format!("没有受理编号为 {id} 的异议。"),
                format!("There is no objection {id}."),
            )
            .field("id")
        })
}

fn status_text(status: &str) -> (&'static str, &'static str) {
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

async fn officer_view(db: &Db, r: &Record) -> Result<serde_json::Value, ApiError> {
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
async fn show(req: &Request, id: &str) -> Result<Reply, ApiError> {
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

async fn officer_list(req: &Request) -> Result<Reply, ApiError> {
    let mut notice: Option<String> = None;
    for pair in req.uri().query().unwrap_or("").split('&') {
        if pair.is_empty() {
            continue;
        }
        match pair.split_once('=').unwrap_or((pair, "")) {
            ("notice", v) if !v.is_empty() && v.len() <= 100 => notice = Some(v.to_owned()),
            (k, _) => {
                return Err(ApiError::invalid(
                    k,
                    format!("不支持的查询参数：{k}（仅支持 notice=<公示编号>）。"),
                    format!("Unsupported query parameter: {k} (only notice=<notice id>)."),
                ));
            }
        }
    }
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

async fn evidence(id: &str, n: &str) -> Result<Reply, ApiError> {
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
            "evidence_not_found",
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

// ------------------------------------------------------------------ the notice

/// A notice with its updates, as published (read only: the notices component owns it).
async fn load_notice(db: &Db, id: &str, field: &str) -> Result<Notice, ApiError> {
    store::notices::find(db.store(), id).await?.ok_or_else(|| {
        ApiError::new(
            404,
            "notice_not_found",
            format!("没有编号为 {id} 的公示。"),
            format!("There is no notice {id}."),
        )
        .field(field)
    })
}

// ------------------------------------------------------------------ re-review

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

async fn conclude(req: Request, id: &str) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Officer).await?;
    let body: ConclusionRequest = read_json(req, JSON_LIMIT).await?;
    let reasons_zh = text("reasons_zh", &body.reasons_zh, 2, 2000, true)?;
    let reasons_en = text("reasons_en", &body.reasons_en, 2, 2000, true)?;
    match (body.outcome, body.new_amount) {
        (Outcome::PartlyUpheld, None) => {
            return Err(ApiError::invalid(
                "new_amount",
                "异议部分成立时须给出调整后的补助金额。",
                "A partly upheld objection needs the new amount.",
            ));
        }
        (Outcome::Upheld | Outcome::Dismissed, Some(_)) => {
            return Err(ApiError::invalid(
                "new_amount",
                "只有异议部分成立时才给出新的金额。",
                "Only a partly upheld objection carries a new amount.",
            ));
        }
        _ => {}
    }
    let db = Db::open().await?;
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
    if let (Outcome::PartlyUpheld, Some(m)) = (body.outcome, body.new_amount)
        && (m.is_zero() || m >= entry.amount)
    {
        return Err(ApiError::invalid(
            "new_amount",
            format!(
                "调整后的金额须大于 0 且低于现公示金额 {} 元（取消补助请用 upheld）。",
                entry.amount
            ),
            format!(
                "The new amount must be above 0 and below the current {} CNY (use upheld to remove the entry).",
                entry.amount
            ),
        ));
    }
    let year = i64::from(notice.round_year);
    let stage = list::stage(&db, year).await?;
    if stage != Stage::InNotice {
        return Err(ApiError::new(
            409,
            "rule_proc_approve",
            format!(
                "该年度名单已进入“{}”阶段，不能再改变（PROC-APPROVE）。",
                stage.zh()
            ),
            format!(
                "The round is at stage \"{}\": its list can no longer change (PROC-APPROVE).",
                stage.en()
            ),
        ));
    }
    let now = clock::now().await;
    let at = clock::format(now);
    let (status, kind, outcome) = match body.outcome {
        Outcome::Upheld => (Status::Upheld, UpdateKind::ReReviewUpheld, ReReview::Upheld),
        Outcome::PartlyUpheld => (
            Status::PartlyUpheld,
            UpdateKind::ReReviewPartlyUpheld,
            ReReview::PartlyUpheld(body.new_amount.unwrap_or(Money::ZERO)),
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
            reasons_zh: &reasons_zh,
            reasons_en: &reasons_en,
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
        list::record_re_review(&db, year, &rec.application_id, outcome, &at).await?;
        db.audit(
            &actor,
            COMPONENT,
            "conclude_objection",
            Some(id),
            &json!({ "outcome": status.name(), "new_amount": body.new_amount,
                     "notice_update": seq, "rule": "PROC-OBJECT" })
            .to_string(),
        )
        .await
    })
    .await?;
    let rec = load_record(&db, id).await?;
    Ok(json(200, &officer_view(&db, &rec).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]), Some("image/jpeg"));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some("image/png")
        );
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn the_same_text_differently_spaced_is_the_same() {
        assert_eq!(
            normalise("  Loan   WAS\n overdue "),
            normalise("loanwasoverdue")
        );
        assert_eq!(normalise("逾期， 请重审。 "), "逾期，请重审。");
    }

    #[test]
    fn text_limits_name_the_field() {
        let e = text("grounds", "short", GROUNDS_MIN, GROUNDS_MAX, true).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("grounds"));
        assert!(text("objector.name", "a\u{7}b", 1, 10, false).is_err());
        assert!(text("grounds", "line one\nline two", 1, 100, true).is_ok());
    }
}
