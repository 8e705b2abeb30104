//! Filing an objection (PROC-OBJECT): the request and its checks (free text, evidence files
//! recognised by content), the polite limits (the same objection twice, a flood from one
//! address in an hour), and storing it with a private token.

use super::*;
use service::code::Code;
use service::throttle;

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
    /// The proof of work (`crate::challenge`), when one is asked.
    #[serde(default)]
    proof: Option<crate::challenge::Proof>,
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

/// One free-text field, trimmed: `min` to `max` characters, printable, line breaks only
/// where `multiline` (`service::error::prose`, the one text check every component uses).
fn text(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<String, ApiError> {
    let v = value.trim();
    service::error::prose(field, v, min, max, multiline)?;
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
                Code::UnsupportedMediaType,
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
                    Code::UnsupportedMediaType,
                    format!("文件内容为 {t}，与声明的 {declared} 不符。"),
                    format!("The file content is {t}, not the declared {declared}."),
                )
                .field(format!("{f}.content_type")));
            }
            None => {
                return Err(ApiError::new(
                    415,
                    Code::UnsupportedMediaType,
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
        Code::FileTooLarge,
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

/// The objector, as far as the filing says who it is: its contact, case and spacing aside.
fn contact_key(contact: &str) -> String {
    sha256_hex(format!("contact\u{0}{}", normalise(contact)).as_bytes())
}

/// The answer to a filed objection (201): the tracking number and the private token, shown
/// this once (and again to a retry with the same `Idempotency-Key`).
#[derive(Serialize)]
struct Filed {
    tracking_number: String,
    /// The private token that follows the objection (only its SHA-256 is kept).
    #[serde(skip_serializing_if = "String::is_empty")]
    token: String,
    /// Always `received`.
    status: String,
    notice_id: String,
    /// The entry of the notice objected to.
    entry: u32,
    filed_at: String,
    /// When the notice period ends.
    period_ends_at: String,
    /// How many evidence files were received.
    evidence: usize,
    /// Where the objector follows it (`/api/objections/<id>`, with the token).
    follow_url: String,
    /// What to do next, in Chinese and in English.
    message_zh: String,
    message_en: String,
}

/// The first answer to `key` again with the same private token, if the key was used.
async fn replay(db: &Db, key: &str, request_hash: &str) -> Result<Option<Reply>, ApiError> {
    let first =
        service::idempotency::replay(db, COMPONENT, key, request_hash, ("异议", "objection"))
            .await?;
    let Some((mut answer, token)) = first else {
        return Ok(None);
    };
    let follow_url = answer
        .get("follow_url")
        .and_then(|u| u.as_str())
        .ok_or_else(|| ApiError::internal("a kept objection answer without its follow_url"))?
        .to_owned();
    answer.insert("token".into(), token.into());
    Ok(Some(filed(&answer, &follow_url)))
}

/// 201 with the answer, its address and `no-store`.
fn filed<T: Serialize>(answer: &T, follow_url: &str) -> Reply {
    let mut r = json(201, answer);
    if let Ok(v) = HeaderValue::from_str(follow_url) {
        r.headers_mut().insert("location", v);
    }
    r.headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-store"));
    r
}

pub(crate) async fn file(req: Request) -> Result<Reply, ApiError> {
    let address = crate::BY_ADDRESS.client(&service::throttle::peer_address(&req));
    let key = service::idempotency::key(&req)?;
    let body: FileRequest = read_json(req, OBJECTION_LIMIT).await?;
    // Parse and check everything before touching the database.
    let notice_id = text("notice_id", &body.notice_id, 1, 100, false)?;
    let name = text("objector.name", &body.objector.name, 1, 100, false)?;
    let contact = text("objector.contact", &body.objector.contact, 5, 200, false)?;
    let relation = text("objector.relation", &body.objector.relation, 1, 200, false)?;
    let grounds = text("grounds", &body.grounds, GROUNDS_MIN, GROUNDS_MAX, true)?;
    let files = check_evidence(&body.evidence)?;

    let db = Db::open().await?;
    // A retry with the objector's key gets its first answer back, whenever it comes.
    let objector_key = contact_key(&contact);
    let by_contact = crate::BY_CONTACT.client(&normalise(&contact));
    let key = key.map(|k| format!("{objector_key}:{k}"));
    let mut request = format!(
        "{notice_id}\u{0}{}\u{0}{objector_key}\u{0}{}",
        body.entry,
        normalise(&grounds)
    );
    for f in &files {
        request.push('\u{0}');
        request.push_str(&sha256_hex(&f.data));
    }
    let request_hash = sha256_hex(request.as_bytes());
    if let Some(k) = &key
        && let Some(first) = replay(&db, k, &request_hash).await?
    {
        return Ok(first);
    }
    // A new objection costs its own work (a retry above did not need a fresh proof).
    let challenge = crate::challenge::check(body.proof.as_ref()).await?;
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
            Code::OutsideNoticePeriod,
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
    let answer = db
        .transaction(|| async {
            // Again inside the transaction: a concurrent first request with the key won.
            if let Some(k) = &key
                && let Some(first) = replay(&db, k, &request_hash).await?
            {
                return Ok(first);
            }
            // PROC-OBJECT again inside the write: an approval that committed after the
            // period check above has closed the list to objections.
            if round::stage::current(&db, notice.round_year).await?
                != rules::procedure::Stage::InNotice
            {
                return Err(ApiError::new(
                    409,
                    Code::OutsideNoticePeriod,
                    "公示期已结束，名单已进入审议，不再受理异议（PROC-OBJECT）。",
                    "The notice period is over and the list has gone for approval: objections are no longer received (PROC-OBJECT).",
                )
                .field("notice_id"));
            }
            // PROC-OBJECT, politely: a flood from one objector or one address, or the same
            // objection again.
            throttle::check(&db, &crate::BY_CONTACT, &by_contact, now).await?;
            throttle::check(&db, &crate::BY_ADDRESS, &address, now).await?;
            if let Some(hash) = &challenge {
                crate::challenge::spend(&db, hash, &at).await?;
            }
            if let Some(existing) = store::objections::same_as(db.store(), &dedup).await? {
                return Err(ApiError::new(
                    409,
                    Code::DuplicateObjection,
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
            throttle::count(&db, &by_contact, now).await?;
            throttle::count(&db, &address, now).await?;
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
            let answer = Filed {
                tracking_number: id.clone(),
                token: String::new(),
                status: "received".into(),
                notice_id: notice_id.clone(),
                entry: body.entry,
                filed_at: at.clone(),
                period_ends_at: clock::format(period.ends_at),
                evidence: files.len(),
                follow_url: format!("/api/objections/{id}"),
                message_zh: "异议已受理。请妥善保存受理编号和回执令牌（令牌仅显示这一次），凭二者在本站“异议查询”页面（objection.html）查询进度和重审结论。您的个人信息不予公开。".into(),
                message_en: "Objection received. Keep the tracking number and the receipt token (shown only this once): with both you follow the objection and its re-review on this site's objection page (objection.html). Your personal data is never published.".into(),
            };
            if let Some(k) = &key {
                service::idempotency::keep(&db, COMPONENT, k, &request_hash, &answer, &token)
                    .await?;
            }
            let follow_url = answer.follow_url.clone();
            Ok(filed(
                &Filed {
                    token: token.clone(),
                    ..answer
                },
                &follow_url,
            ))
        })
        .await?;
    Ok(answer)
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
