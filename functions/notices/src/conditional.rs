//! Conditional answers for the public reads: ETag and Last-Modified, 304 when nothing
//! changed, and the CORS preflight.

use super::*;

/// `Last-Modified` / `If-Modified-Since` form (RFC 9110 IMF-fixdate).
pub(crate) fn http_date(t: DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc)
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

pub(crate) fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Whether the client's copy is current: `If-None-Match` when present (weak comparison),
/// otherwise `If-Modified-Since` at one-second precision (RFC 9110 §13.2.2).
pub(crate) fn not_modified(req: &Request, etag: &str, last: Option<DateTime<FixedOffset>>) -> bool {
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
pub(crate) fn conditional(
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
pub(crate) fn preflight() -> Reply {
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
