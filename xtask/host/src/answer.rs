//! The answers the host gives itself: Spin's bare ones (an empty 404 or 500) and the local
//! host's own (400, 413, 500, 503, 504), in the app's JSON error shape.

use bytes::Bytes;
use http_body_util::Full;

pub(crate) type HostBody = Full<Bytes>;

/// The JSON error shape of the app, for answers the host gives itself (Spin gives none of
/// these: docs/LOCAL_HOST.md says what it does instead).
pub(crate) fn host_error(status: u16, code: &str, zh: &str, en: &str) -> http::Response<HostBody> {
    let body = format!(
        "{{\"error\":{{\"status\":{status},\"code\":\"{code}\",\"field\":null,\"message_zh\":\"{zh}\",\"message_en\":\"{en}\"}}}}"
    );
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json; charset=utf-8")
        .header("x-content-type-options", "nosniff")
        .body(Full::new(Bytes::from(body)))
        .expect("a valid response")
}

/// The host's own 413, worded as the components' (`service::error::ApiError::body_too_large`).
pub(crate) fn body_too_large(limit: usize) -> http::Response<HostBody> {
    host_error(
        413,
        "body_too_large",
        &format!("请求体过大（上限 {limit} 字节）。"),
        &format!("The request body is too large (limit {limit} bytes)."),
    )
}

/// An answer of Spin's own with nothing but its status (no route matched, a request Spin
/// cannot hand to a component).
pub(crate) fn bare(status: u16) -> http::Response<HostBody> {
    http::Response::builder()
        .status(status)
        .body(Full::new(Bytes::new()))
        .expect("a valid response")
}
