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
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: &'a ApiError,
}

impl ApiError {
    pub fn new(
        status: u16,
        code: &str,
        message_zh: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code: code.into(),
            field: None,
            message_zh: message_zh.into(),
            message_en: message_en.into(),
        }
    }

    /// Names the offending input.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn not_found() -> Self {
        Self::new(404, "not_found", "未找到该资源。", "No such resource.")
    }

    pub fn method_not_allowed(allowed: &str) -> Self {
        Self::new(
            405,
            "method_not_allowed",
            format!("不支持该请求方法（允许：{allowed}）。"),
            format!("Method not allowed (allowed: {allowed})."),
        )
    }

    pub fn not_implemented() -> Self {
        Self::new(
            501,
            "not_implemented",
            "该功能尚未开放。",
            "This endpoint is not available yet.",
        )
    }

    pub fn body_too_large(limit: usize) -> Self {
        Self::new(
            413,
            "body_too_large",
            format!("请求体过大（上限 {limit} 字节）。"),
            format!("The request body is too large (limit {limit} bytes)."),
        )
    }

    pub fn bad_json(field: Option<String>, detail: &str) -> Self {
        let e = Self::new(
            400,
            "invalid_json",
            format!("请求内容不是有效的 JSON 或字段不符合要求：{detail}"),
            format!("The request body is not valid JSON for this endpoint: {detail}"),
        );
        match field {
            Some(f) if !f.is_empty() && f != "." => e.field(f),
            _ => e,
        }
    }

    pub fn invalid(
        field: &str,
        message_zh: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        Self::new(400, "invalid_field", message_zh, message_en).field(field)
    }

    pub fn unsupported_media_type() -> Self {
        Self::new(
            415,
            "unsupported_media_type",
            "请求内容类型必须为 application/json。",
            "The request content type must be application/json.",
        )
        .field("content-type")
    }

    pub fn unauthorized() -> Self {
        Self::new(
            401,
            "unauthorized",
            "需要有效的访问令牌（Authorization: Bearer …）。",
            "A valid access token is required (Authorization: Bearer …).",
        )
        .field("authorization")
    }

    pub fn forbidden() -> Self {
        Self::new(
            403,
            "forbidden",
            "该访问令牌无权执行此操作。",
            "This access token does not allow this operation.",
        )
        .field("authorization")
    }

    pub fn conflict(message_zh: impl Into<String>, message_en: impl Into<String>) -> Self {
        Self::new(409, "conflict", message_zh, message_en)
    }

    pub fn internal(detail: &str) -> Self {
        Self::new(
            500,
            "internal_error",
            format!("服务器内部错误：{detail}"),
            format!("Internal server error: {detail}"),
        )
    }

    pub fn database(detail: &str) -> Self {
        Self::new(
            503,
            "database_unavailable",
            format!("数据库暂不可用：{detail}"),
            format!("The database is unavailable: {detail}"),
        )
    }

    pub fn server_misconfigured(what: &str) -> Self {
        Self::new(
            500,
            "server_misconfigured",
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
                "stored_value_unreadable",
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
        r
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message_en)
    }
}

impl std::error::Error for ApiError {}

/// The rules crate's input errors as a 400: every field listed in the messages, the
/// first one named in `field`.
pub fn input_error(e: rules::InputError) -> ApiError {
    let zh = e
        .errors
        .iter()
        .map(|x| format!("{}：{}", x.field, x.zh))
        .collect::<Vec<_>>()
        .join("；");
    let en = e
        .errors
        .iter()
        .map(|x| format!("{}: {}", x.field, x.en))
        .collect::<Vec<_>>()
        .join("; ");
    let first = e
        .errors
        .first()
        .map(|x| x.field.clone())
        .unwrap_or_default();
    let err = ApiError::new(400, "invalid_field", zh, en);
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

/// A JSON answer with the given status.
pub fn json<T: Serialize>(status: u16, value: &T) -> Reply {
    match serde_json::to_vec(value) {
        Ok(body) => bytes_reply(status, "application/json; charset=utf-8", Bytes::from(body)),
        Err(e) => ApiError::internal(&e.to_string()).reply(),
    }
}

/// Turns a handler's result into the answer to a request made with `method`, framed with
/// its `content-length` (see [`frame`]).
pub fn finish(method: &Method, result: Result<Reply, ApiError>) -> Reply {
    let mut reply = result.unwrap_or_else(|e| e.reply());
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

    fn body_of(reply: &Reply) -> u64 {
        http_body::Body::size_hint(reply.body()).exact().unwrap()
    }

    #[test]
    fn every_answer_carries_its_length() {
        let r = finish(
            &Method::GET,
            Ok(bytes_reply(200, "text/plain", Bytes::from("hello"))),
        );
        assert_eq!(r.headers()[CONTENT_LENGTH], "5");
        assert_eq!(body_of(&r), 5);
        let e = finish(&Method::POST, Err(ApiError::not_found()));
        let len: u64 = e.headers()[CONTENT_LENGTH]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(len, ApiError::not_found().to_json().len() as u64);
        assert_eq!(body_of(&e), len);
    }

    #[test]
    fn head_gets_the_length_of_get_and_no_body() {
        let r = finish(
            &Method::HEAD,
            Ok(bytes_reply(200, "text/html", Bytes::from("<p>hi</p>"))),
        );
        assert_eq!(r.headers()[CONTENT_LENGTH], "9");
        assert_eq!(body_of(&r), 0);
    }

    #[test]
    fn not_modified_has_neither_length_nor_body() {
        let r = finish(
            &Method::GET,
            Ok(bytes_reply(304, "text/html", Bytes::from("x"))),
        );
        assert!(r.headers().get(CONTENT_LENGTH).is_none());
        assert_eq!(body_of(&r), 0);
    }

    #[test]
    fn missing_field_is_null() {
        let v: serde_json::Value = serde_json::from_str(&ApiError::not_found().to_json()).unwrap();
        assert!(v["error"]["field"].is_null());
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        ApiError::from_store(e)
    }
}
