//! The JSON error shape shared by every component, and reply helpers.
//!
//! Every error answer looks like
//!
//! ```json
//! {"error": {"status": 413, "code": "body_too_large", "field": null,
//!            "message_zh": "请求体过大（上限 65536 字节）。",
//!            "message_en": "The request body is too large (limit 65536 bytes)."}}
//! ```
//!
//! `code` is stable and machine-readable; `field` names the offending input (a JSON
//! path such as `loans[0].interest_paid`, a query parameter or a header) when there is one.

use crate::code::Code;
use bytes::Bytes;
use serde::Serialize;
use spin_sdk::http::{FullBody, HeaderValue, Method, Response};

const CONTENT_LENGTH: &str = "content-length";

/// The reply type of every handler.
pub type Reply = Response<FullBody<Bytes>>;

/// An error answer: HTTP status, machine code, optional field, message in zh and en.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub field: Option<String>,
    pub message_zh: String,
    pub message_en: String,
    /// What a few answers add (boxed: most errors carry none of it).
    #[serde(flatten)]
    pub more: Option<Box<More>>,
}

/// The rarer parts of an error answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct More {
    /// A 405's `Allow` header: the methods the address takes.
    #[serde(skip)]
    pub allow: Option<String>,
    /// A 429's or 503's `Retry-After` header: seconds to wait.
    #[serde(skip)]
    pub retry_after: Option<u64>,
    /// A refusal's offending items (application or objection numbers) that must be dealt
    /// with first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// A refused body's every problem, each at its field (the form shows each beside its
    /// control, all at once); `field` and the messages above are the first and all of
    /// them in one text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// What went wrong inside (a SQLite message, a serialiser's complaint): written to the
    /// log with the request id, never sent to the caller.
    #[serde(skip)]
    pub detail: Option<String>,
}

/// One field's problem in a refused body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: &'a ApiError,
}

impl ApiError {
    pub fn new(
        status: u16,
        code: Code,
        message_zh: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code: code.as_str().into_owned(),
            field: None,
            message_zh: message_zh.into(),
            message_en: message_en.into(),
            more: None,
        }
    }

    /// Names the offending input.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn not_found() -> Self {
        Self::new(404, Code::NotFound, "未找到该资源。", "No such resource.")
    }

    /// 405, with the `Allow` header listing `allowed` (RFC 9110 §15.5.6).
    pub fn method_not_allowed(allowed: &str) -> Self {
        let mut e = Self::new(
            405,
            Code::MethodNotAllowed,
            format!("不支持该请求方法（允许：{allowed}）。"),
            format!("Method not allowed (allowed: {allowed})."),
        );
        e.more.get_or_insert_default().allow = Some(allowed.to_owned());
        e
    }

    /// 404: no published notice `id` (notices and objections both look notices up).
    pub fn notice_not_found(id: &str) -> Self {
        Self::new(
            404,
            Code::NoticeNotFound,
            format!("没有编号为 {id} 的公示。"),
            format!("There is no notice {id}."),
        )
    }

    pub fn not_implemented() -> Self {
        Self::new(
            501,
            Code::NotImplemented,
            "该功能尚未开放。",
            "This endpoint is not available yet.",
        )
    }

    pub fn body_too_large(limit: usize) -> Self {
        Self::new(
            413,
            Code::BodyTooLarge,
            format!("请求体过大（上限 {limit} 字节）。"),
            format!("The request body is too large (limit {limit} bytes)."),
        )
    }

    pub fn bad_json(field: Option<String>, detail: &str) -> Self {
        let e = Self::new(
            400,
            Code::InvalidJson,
            format!("请求内容不是有效的 JSON 或字段不符合要求：{detail}"),
            format!("The request body is not valid JSON for this endpoint: {detail}"),
        );
        // The empty path is the whole body or a body that is not JSON: no field.
        match field {
            Some(f) if !f.is_empty() => e.field(f),
            _ => e,
        }
    }

    /// 400 for a body that serde_json refused, in words a person understands
    /// (`rules::input::explain`), naming the field when there is one.
    pub fn unreadable_body(field: &str, e: &serde_json::Error) -> Self {
        let (_, zh, en) = rules::input::explain(e);
        let err = Self::new(400, Code::InvalidJson, zh, en);
        if field.is_empty() {
            err
        } else {
            err.field(field)
        }
    }

    pub fn invalid(
        field: &str,
        message_zh: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        Self::new(400, Code::InvalidField, message_zh, message_en).field(field)
    }

    pub fn unsupported_media_type() -> Self {
        Self::new(
            415,
            Code::UnsupportedMediaType,
            "请求内容类型必须为 application/json。",
            "The request content type must be application/json.",
        )
        .field("content-type")
    }

    pub fn unauthorized() -> Self {
        Self::new(
            401,
            Code::Unauthorized,
            "需要有效的访问令牌（Authorization: Bearer …）。",
            "A valid access token is required (Authorization: Bearer …).",
        )
        .field("authorization")
    }

    pub fn forbidden() -> Self {
        Self::new(
            403,
            Code::Forbidden,
            "该访问令牌无权执行此操作。",
            "This access token does not allow this operation.",
        )
        .field("authorization")
    }

    /// 403: a write made with the session cookie lacks the session's CSRF token.
    pub fn csrf_missing() -> Self {
        Self::new(
            403,
            Code::CsrfMissing,
            "请求缺少本次登录的防伪令牌（X-CSRF-Token），请刷新页面后重试。",
            "The request lacks this session's anti-forgery token (X-CSRF-Token); reload the page and try again.",
        )
        .field("x-csrf-token")
    }

    /// 403: the signed-in person's role does not allow this.
    pub fn not_your_role() -> Self {
        Self::new(
            403,
            Code::Forbidden,
            "您的账户角色无权执行此操作。",
            "Your account's role does not allow this operation.",
        )
        .field("authorization")
    }

    /// 409 from a rule's refusal: the request is understood, the state of the round or
    /// the application forbids it; the code and both messages name the rule.
    pub fn refused(reason: &rules::decision::Reason) -> Self {
        ApiError::new(
            409,
            Code::Rule(reason.rule),
            format!("{}（{}）", reason.zh, reason.rule.code()),
            format!("{} ({})", reason.en, reason.rule.code()),
        )
    }

    /// 409 from a workflow guard's refusal (`rules::guards`): the rule, its reason, and
    /// the items that must be dealt with first.
    pub fn refusal(refusal: rules::guards::Refusal) -> Self {
        let mut e = ApiError::refused(&refusal.reason);
        if !refusal.items.is_empty() {
            e.more.get_or_insert_default().items = refusal.items;
        }
        e
    }

    pub fn conflict(message_zh: impl Into<String>, message_en: impl Into<String>) -> Self {
        Self::new(409, Code::Conflict, message_zh, message_en)
    }

    /// A 500; `detail` goes to the log only (the caller quotes the request id).
    pub fn internal(detail: &str) -> Self {
        Self::new(
            500,
            Code::InternalError,
            "服务器内部错误，已记录；如需咨询，请提供响应头中的 x-request-id。",
            "Internal server error; it has been logged. Quote the x-request-id header when asking about it.",
        )
        .logged(detail)
    }

    /// A 503 from the database; SQLite's message goes to the log only.
    pub fn database(detail: &str) -> Self {
        Self::new(
            503,
            Code::DatabaseUnavailable,
            "数据库暂不可用，请稍后再试。",
            "The database is unavailable; please try again later.",
        )
        .logged(detail)
    }

    /// 429: too many requests from the same source; try again in `seconds` (the
    /// `Retry-After` header says so too).
    pub fn too_many(seconds: u64, message_zh: String, message_en: String) -> Self {
        let mut e = Self::new(429, Code::TooManyRequests, message_zh, message_en);
        e.more.get_or_insert_default().retry_after = Some(seconds);
        e
    }

    /// Keeps `detail` for the log line, out of the answer.
    fn logged(mut self, detail: &str) -> Self {
        self.more.get_or_insert_default().detail = Some(detail.to_owned());
        self
    }

    pub fn server_misconfigured(what: &str) -> Self {
        Self::new(
            500,
            Code::ServerMisconfigured,
            format!("服务器配置缺失：{what}"),
            format!("The server is misconfigured: {what}"),
        )
    }

    /// The answer to a store failure. Failures that are the server's, not the caller's,
    /// are logged (Spin keeps a component's stderr in its logs) with what the store knows:
    /// the statement, and the column of an unreadable value.
    pub fn from_store(e: store::StoreError) -> Self {
        use store::StoreError as E;
        if !matches!(e, E::Duplicate { .. }) {
            eprintln!("store error: {e}");
        }
        match e {
            E::Unavailable { reason } => Self::server_misconfigured(&reason),
            E::Duplicate { .. } => Self::conflict("该记录已存在。", "This record already exists."),
            E::Failed { message, .. } => Self::database(&message),
            E::Unreadable {
                statement, column, ..
            } => Self::new(
                500,
                Code::StoredValueUnreadable,
                format!("服务器内部错误：已存储的数据无法读取（{statement}.{column}），已记录。"),
                format!(
                    "Internal server error: a stored value cannot be read ({statement}.{column}); it has been logged."
                ),
            ),
        }
    }

    /// The JSON body of this error.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&Envelope { error: self }).expect("an ApiError always serialises")
    }

    /// The HTTP answer for this error.
    pub fn reply(&self) -> Reply {
        let mut r = bytes_reply(
            self.status,
            "application/json; charset=utf-8",
            Bytes::from(self.to_json()),
        );
        if self.status == 401 {
            r.headers_mut().insert(
                "www-authenticate",
                spin_sdk::http::HeaderValue::from_static("Bearer"),
            );
        }
        if let Some(v) = self
            .more
            .as_ref()
            .and_then(|m| m.allow.as_deref())
            .and_then(|a| spin_sdk::http::HeaderValue::from_str(a).ok())
        {
            r.headers_mut().insert("allow", v);
        }
        if let Some(seconds) = self.more.as_ref().and_then(|m| m.retry_after) {
            r.headers_mut()
                .insert("retry-after", HeaderValue::from(seconds));
        }
        r
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message_en)?;
        match self.more.as_ref().and_then(|m| m.detail.as_deref()) {
            Some(detail) => write!(f, " ({detail})"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

/// The rules crate's input errors as a 400: every field listed in the messages (a
/// problem of the whole body, whose field is empty, by its words alone), the first one
/// named in `field`.
pub fn input_error(e: rules::InputError) -> ApiError {
    let said = |field: &str, words: &str, colon: &str| {
        if field.is_empty() {
            words.to_owned()
        } else {
            format!("{field}{colon}{words}")
        }
    };
    let zh = e
        .errors
        .iter()
        .map(|x| said(&x.field, &x.zh, "："))
        .collect::<Vec<_>>()
        .join("；");
    let en = e
        .errors
        .iter()
        .map(|x| said(&x.field, &x.en, ": "))
        .collect::<Vec<_>>()
        .join("; ");
    let first = e
        .errors
        .first()
        .map(|x| x.field.clone())
        .unwrap_or_default();
    let mut err = ApiError::new(400, Code::InvalidField, zh, en);
    err.more.get_or_insert_default().errors = e
        .errors
        .into_iter()
        .map(|x| FieldProblem {
            field: x.field,
            code: x.code,
            message_zh: x.zh,
            message_en: x.en,
        })
        .collect();
    if first.is_empty() {
        err
    } else {
        err.field(first)
    }
}

/// One field's problem found by the rules crate, as a 400 naming the field.
pub fn field_error(e: rules::FieldError) -> ApiError {
    input_error(rules::InputError { errors: vec![e] })
}

/// Free text ([`rules::text::check_prose`]): `min` to `max` characters, printable, line
/// breaks only where `multiline`; a 400 naming `field` otherwise.
pub fn prose(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<(), ApiError> {
    rules::text::check_prose(field, value, min, max, multiline).map_err(field_error)
}

/// An answer with the given status, content type and body.
pub fn bytes_reply(status: u16, content_type: &str, body: Bytes) -> Reply {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .header("x-content-type-options", "nosniff")
        .body(FullBody::new(body))
        .expect("a valid status and header")
}

/// 204: done, nothing to say.
pub fn no_content() -> Reply {
    Response::builder()
        .status(204)
        .body(FullBody::new(Bytes::new()))
        .expect("a valid status")
}

/// A JSON answer with the given status.
pub fn json<T: Serialize>(status: u16, value: &T) -> Reply {
    match serde_json::to_vec(value) {
        Ok(body) => bytes_reply(status, "application/json; charset=utf-8", Bytes::from(body)),
        Err(e) => ApiError::internal(&e.to_string()).reply(),
    }
}

/// Turns a handler's result into the answer to a request made with `method`, framed with
/// its `content-length` (see [`frame`]).
///
/// A server error (5xx) is the server's to explain: it gets a request id, sent back in
/// `x-request-id` so a caller can quote it, and a log line on the component's stderr
/// (Spin keeps it in the app's logs) with the id, the request and the error.
pub fn finish(method: &Method, path: &str, result: Result<Reply, ApiError>) -> Reply {
    let mut reply = match result {
        Ok(r) => r,
        Err(e) if e.status >= 500 => {
            let id = crate::token::request_id();
            eprintln!("{id} {method} {path} -> {e}");
            let mut r = e.reply();
            if let Ok(v) = spin_sdk::http::HeaderValue::from_str(&id) {
                r.headers_mut().insert("x-request-id", v);
            }
            r
        }
        Err(e) => e.reply(),
    };
    // Answers are private unless their handler says how they may be kept (the public,
    // conditional reads do): a receipt, an application or an export must not stay in a
    // shared cache or the browser's.
    if !reply.headers().contains_key("cache-control") {
        reply
            .headers_mut()
            .insert("cache-control", HeaderValue::from_static("no-store"));
    }
    frame(method, &mut reply);
    reply
}

/// Frames an answer so it leaves in one piece: with `content-length`, never chunked.
///
/// Under Spin a component's body is a stream; without a length the runtime sends it
/// chunked and the closing chunk goes out in a write of its own, which a listener
/// without `TCP_NODELAY` (Spin 4.1's) holds back until the client's delayed ACK: about
/// 40 ms per answer on a keep-alive connection. With the length known, the runtime ends
/// the answer with its last byte. A HEAD answer carries the length of the body a GET
/// would get, and no body; 204 and 304 answers carry neither.
pub fn frame(method: &Method, reply: &mut Reply) {
    let status = reply.status().as_u16();
    if status == 204 || status == 304 {
        *reply.body_mut() = FullBody::new(Bytes::new());
        reply.headers_mut().remove(CONTENT_LENGTH);
        return;
    }
    let len = http_body::Body::size_hint(reply.body())
        .exact()
        .expect("a full body knows its length");
    reply
        .headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(len));
    if method == Method::HEAD {
        *reply.body_mut() = FullBody::new(Bytes::new());
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        ApiError::from_store(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_shape_has_every_field() {
        let e = ApiError::body_too_large(10).field("body");
        let v: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap();
        let inner = &v["error"];
        assert_eq!(inner["status"], 413);
        assert_eq!(inner["code"], "body_too_large");
        assert_eq!(inner["field"], "body");
        assert!(inner["message_zh"].as_str().unwrap().contains("请求体过大"));
        assert!(inner["message_en"].as_str().unwrap().contains("too large"));
    }

    /// A 405 says which methods the address takes, in the `Allow` header (as RFC 9110
    /// requires) and in its message; the header is not part of the JSON.
    #[test]
    fn method_not_allowed_sends_allow() {
        let e = ApiError::method_not_allowed("GET, POST");
        let r = e.reply();
        assert_eq!(r.status().as_u16(), 405);
        assert_eq!(r.headers().get("allow").unwrap(), "GET, POST");
        assert!(!e.to_json().contains("allow\""));
        assert!(
            ApiError::not_found()
                .reply()
                .headers()
                .get("allow")
                .is_none()
        );
    }

    fn body_of(reply: &Reply) -> u64 {
        http_body::Body::size_hint(reply.body()).exact().unwrap()
    }

    #[test]
    fn every_answer_carries_its_length() {
        let r = finish(
            &Method::GET,
            "/x",
            Ok(bytes_reply(200, "text/plain", Bytes::from("hello"))),
        );
        assert_eq!(r.headers()[CONTENT_LENGTH], "5");
        assert_eq!(body_of(&r), 5);
        let e = finish(&Method::POST, "/x", Err(ApiError::not_found()));
        let len: u64 = e.headers()[CONTENT_LENGTH]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(len, ApiError::not_found().to_json().len() as u64);
        assert_eq!(body_of(&e), len);
    }

    /// A server error carries a request id the caller can quote (and the log line names);
    /// a client error does not need one.
    #[test]
    fn a_server_error_gets_a_request_id() {
        let e = finish(&Method::GET, "/x", Err(ApiError::internal("boom")));
        let id = e.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert_eq!(id.len(), 16);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        let other = finish(&Method::GET, "/x", Err(ApiError::internal("boom")));
        assert_ne!(
            other.headers()["x-request-id"],
            id.as_str(),
            "one id per request"
        );
        let not_found = finish(&Method::GET, "/x", Err(ApiError::not_found()));
        assert!(not_found.headers().get("x-request-id").is_none());
    }

    /// Issue 14: an answer is `no-store` unless its handler set how it may be kept.
    #[test]
    fn answers_are_not_stored_unless_their_handler_says_so() {
        let private = finish(
            &Method::GET,
            "/x",
            Ok(bytes_reply(200, "text/plain", Bytes::new())),
        );
        assert_eq!(private.headers()["cache-control"], "no-store");
        let error = finish(&Method::GET, "/x", Err(ApiError::forbidden()));
        assert_eq!(error.headers()["cache-control"], "no-store");
        let mut public = bytes_reply(200, "text/plain", Bytes::new());
        public.headers_mut().insert(
            "cache-control",
            HeaderValue::from_static("public, max-age=60"),
        );
        let public = finish(&Method::GET, "/x", Ok(public));
        assert_eq!(public.headers()["cache-control"], "public, max-age=60");
    }

    /// Issue 14: what went wrong inside (a SQLite message) is logged, never sent.
    #[test]
    fn inner_details_stay_out_of_the_answer() {
        for e in [
            ApiError::internal("near \"SELEC\": syntax error"),
            ApiError::database("database or disk is full"),
        ] {
            let body = e.to_json();
            assert!(!body.contains("SELEC") && !body.contains("disk"), "{body}");
            let logged = e.to_string();
            assert!(
                logged.contains("SELEC") || logged.contains("disk is full"),
                "{logged}"
            );
        }
    }

    #[test]
    fn head_gets_the_length_of_get_and_no_body() {
        let r = finish(
            &Method::HEAD,
            "/x",
            Ok(bytes_reply(200, "text/html", Bytes::from("<p>hi</p>"))),
        );
        assert_eq!(r.headers()[CONTENT_LENGTH], "9");
        assert_eq!(body_of(&r), 0);
    }

    #[test]
    fn not_modified_has_neither_length_nor_body() {
        let r = finish(
            &Method::GET,
            "/x",
            Ok(bytes_reply(304, "text/html", Bytes::from("x"))),
        );
        assert!(r.headers().get(CONTENT_LENGTH).is_none());
        assert_eq!(body_of(&r), 0);
    }

    /// Issue 16: a refused body lists every problem at its field, not only the first.
    #[test]
    fn an_input_error_lists_every_field_with_its_messages() {
        let e = input_error(rules::InputError {
            errors: vec![
                rules::FieldError::new(
                    "loans[0].principal",
                    "money_invalid",
                    "本金无效".into(),
                    "bad principal".into(),
                ),
                rules::FieldError::new(
                    "enterprise.credit_code",
                    "uscc_wrong_length",
                    "代码长度不对".into(),
                    "wrong length".into(),
                ),
            ],
        });
        let v = serde_json::to_value(Envelope { error: &e }).unwrap();
        assert_eq!(v["error"]["field"], "loans[0].principal");
        assert_eq!(v["error"]["errors"][1]["field"], "enterprise.credit_code");
        assert_eq!(v["error"]["errors"][1]["code"], "uscc_wrong_length");
        assert_eq!(v["error"]["errors"][0]["message_zh"], "本金无效");
        assert_eq!(v["error"]["errors"][0]["message_en"], "bad principal");
    }

    /// A problem of the whole body (a required member missing at the top, say) has no
    /// field: its message is its words, without a colon in front.
    #[test]
    fn a_whole_body_problem_is_said_without_a_field() {
        let e = input_error(rules::InputError {
            errors: vec![
                rules::FieldError::new(
                    "",
                    "missing_field",
                    "缺少必填字段 application。".into(),
                    "The field application is required.".into(),
                ),
                rules::FieldError::new("as_of", "x", "时间无效".into(), "bad time".into()),
            ],
        });
        let v = serde_json::to_value(Envelope { error: &e }).unwrap();
        assert_eq!(
            v["error"]["message_zh"],
            "缺少必填字段 application。；as_of：时间无效"
        );
        assert_eq!(
            v["error"]["message_en"],
            "The field application is required.; as_of: bad time"
        );
        assert_eq!(v["error"]["field"], serde_json::Value::Null);
    }

    #[test]
    fn a_guard_refusal_names_its_rule_and_lists_its_items() {
        let reason = rules::decision::Reason::new(
            rules::RuleId::ProcObject,
            rules::decision::Effect::Refuse,
            "尚有异议未重审。",
            "Objections are open.",
        );
        let e = ApiError::refusal(rules::guards::Refusal {
            reason: reason.clone(),
            items: vec!["YY-2026-000001".into()],
        });
        let v: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap();
        assert_eq!(v["error"]["status"], 409);
        assert_eq!(v["error"]["code"], "rule_proc_object");
        assert_eq!(v["error"]["items"], serde_json::json!(["YY-2026-000001"]));
        assert!(
            v["error"]["message_en"]
                .as_str()
                .unwrap()
                .ends_with("(PROC-OBJECT)")
        );
        // Nothing in the way: no `items` at all, and a 405's Allow never shows in the body.
        assert!(v["error"].get("errors").is_none(), "{v}");
        let e = ApiError::refusal(reason.into());
        let v: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap();
        assert!(v["error"].get("items").is_none(), "{v}");
        let v: serde_json::Value =
            serde_json::from_str(&ApiError::method_not_allowed("GET, HEAD").to_json()).unwrap();
        assert!(v["error"].get("allow").is_none(), "{v}");
    }

    #[test]
    fn missing_field_is_null() {
        let v: serde_json::Value = serde_json::from_str(&ApiError::not_found().to_json()).unwrap();
        assert!(v["error"]["field"].is_null());
    }
}
