//! Conditional GET (RFC 9110 §8.8, §13): the one ETag, the one `If-None-Match` /
//! `If-Modified-Since` rule and the one cacheable answer of every component that serves
//! public content (the static site, notices, feeds), with the CORS preflight of the
//! cross-origin reads.

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use chrono::{DateTime, FixedOffset};
use spin_sdk::http::{HeaderValue, Request};

use crate::error::{Reply, bytes_reply};

/// A strong entity tag of a body: FNV-1a, 64 bits. An ETag only has to change when the
/// body does; a cryptographic digest costs several times more in Wasm (it was the largest
/// single item in the Atom feed's profile; docs/BENCHMARKS.md).
pub fn etag(body: &[u8]) -> String {
    let h = body.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("\"{h:016x}\"")
}

/// Whether an `If-None-Match` header value names `etag` (or is `*`), by the weak
/// comparison that RFC 9110 §13.1.2 prescribes for this header.
pub fn if_none_match(header: &str, etag: &str) -> bool {
    let bare = etag.trim_start_matches("W/");
    header
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.trim_start_matches("W/") == bare)
}

/// `Last-Modified` form of a moment (RFC 9110 §5.6.7 IMF-fixdate).
pub fn http_date(t: DateTime<FixedOffset>) -> String {
    httpdate::fmt_http_date(SystemTime::from(t))
}

/// Whether a resource last changed at `last` is unchanged since an `If-Modified-Since`
/// value, at one-second precision. The three date forms RFC 9110 §5.6.7 makes recipients
/// accept are understood; a value that is none of them is ignored (§13.1.3).
pub fn unmodified_since(header: &str, last: DateTime<FixedOffset>) -> bool {
    let Ok(since) = httpdate::parse_http_date(header.trim()) else {
        return false;
    };
    let last = SystemTime::from(last);
    let whole_seconds = |t: SystemTime| t.duration_since(UNIX_EPOCH).map(|d| d.as_secs());
    match (whole_seconds(last), whole_seconds(since)) {
        (Ok(last), Ok(since)) => last <= since,
        _ => false,
    }
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Whether the client's copy is current: `If-None-Match` when present, otherwise
/// `If-Modified-Since` (RFC 9110 §13.2.2: the first takes precedence).
pub fn not_modified(req: &Request, etag: &str, last: Option<DateTime<FixedOffset>>) -> bool {
    if let Some(inm) = header(req, "if-none-match") {
        return if_none_match(inm, etag);
    }
    match (header(req, "if-modified-since"), last) {
        (Some(ims), Some(last)) => unmodified_since(ims, last),
        _ => false,
    }
}

/// Whether an `Accept-Encoding` header value accepts `coding` (RFC 9110 §12.5.3), with a
/// quality above zero: as named, or, when it is not named, as `*`.
pub fn accepts_encoding(header: &str, coding: &str) -> bool {
    let items = || {
        header.split(',').map(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            // A qvalue is 0 to 1 with at most three decimals (§12.4.2): zero is "0",
            // "0.", "0.0" … read as text, so no float parser is linked for it.
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .or_else(|| p.strip_prefix("Q="))
                    .and_then(|q| q.strip_prefix('0'))
                    .is_some_and(|rest| {
                        rest.strip_prefix('.')
                            .unwrap_or(rest)
                            .bytes()
                            .all(|b| b == b'0')
                    })
            });
            (name, !refused)
        })
    };
    match items().find(|(name, _)| name.eq_ignore_ascii_case(coding)) {
        Some((_, accepted)) => accepted,
        None => items().any(|(name, accepted)| name == "*" && accepted),
    }
}

/// The same representation compressed ahead of time: its content coding (`br`, `gzip`)
/// and the compressed bytes.
pub struct Encoded {
    pub coding: &'static str,
    pub body: Bytes,
}

/// A cacheable representation, answered by [`Cacheable::answer`].
pub struct Cacheable<'a> {
    /// Shared, not copied, when an instance keeps the bytes (`crate::memory`).
    pub body: Bytes,
    pub content_type: &'a str,
    pub last_modified: Option<DateTime<FixedOffset>>,
    pub cache_control: &'a str,
    /// Readable by scripts of any site (public notices and feeds), with its validators
    /// exposed to them.
    pub cross_origin: bool,
    /// An HTML page's Content-Security-Policy; a page is also never framed and sends its
    /// address as referrer only within the site.
    pub page_policy: Option<&'a str>,
    /// Whether the resource has compressed variants (`Vary: Accept-Encoding` on every
    /// answer), and the one chosen for this request, if any.
    pub varies_by_encoding: bool,
    pub encoded: Option<Encoded>,
    /// The body's [`etag`] when the caller has it already (it named the compressed copy
    /// by it); computed here otherwise.
    pub etag: Option<String>,
}

impl Cacheable<'_> {
    /// 200 with the body, or 304 without it when the client's copy is current; always
    /// with ETag (and Last-Modified when known). HEAD: `error::finish` drops the body.
    pub fn answer(self, req: &Request) -> Reply {
        // Each coding is its own representation, with its own strong tag.
        let plain = self.etag.unwrap_or_else(|| etag(&self.body));
        let (etag, coding, body) = match self.encoded {
            Some(e) => {
                let tag = format!("{}-{}\"", plain.trim_end_matches('"'), e.coding);
                (tag, Some(e.coding), e.body)
            }
            None => (plain, None, self.body),
        };
        let fresh = not_modified(req, &etag, self.last_modified);
        let (status, body) = if fresh {
            (304, Bytes::new())
        } else {
            (200, body)
        };
        let mut r = bytes_reply(status, self.content_type, body);
        let h = r.headers_mut();
        let mut set = |name: &'static str, value: &str| {
            if let Ok(v) = HeaderValue::from_str(value) {
                h.insert(name, v);
            }
        };
        set("etag", &etag);
        if let Some(t) = self.last_modified {
            set("last-modified", &http_date(t));
        }
        set("cache-control", self.cache_control);
        if let Some(coding) = coding {
            set("content-encoding", coding);
        }
        if self.varies_by_encoding {
            set("vary", "Accept-Encoding");
        }
        if self.cross_origin {
            set("access-control-allow-origin", "*");
            set("access-control-expose-headers", "ETag, Last-Modified");
        }
        if let Some(policy) = self.page_policy {
            set("content-security-policy", policy);
            set("x-frame-options", "DENY");
            set("referrer-policy", "same-origin");
        }
        r
    }
}

/// CORS preflight of the public reads (a script sending its own `If-None-Match`).
pub fn preflight() -> Reply {
    let mut r = bytes_reply(204, "text/plain; charset=utf-8", Bytes::new());
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
    h.insert(
        "access-control-max-age",
        HeaderValue::from_static(MAX_AGE_PREFLIGHT),
    );
    r
}

/// How long a browser may keep the preflight's answer (a day).
const MAX_AGE_PREFLIGHT: &str = "86400";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_with_its_qualities() {
        assert!(accepts_encoding("gzip, deflate, br, zstd", "br"));
        assert!(accepts_encoding("gzip, deflate, br, zstd", "gzip"));
        assert!(accepts_encoding("BR;q=0.5", "br"));
        assert!(accepts_encoding("*", "br"));
        assert!(!accepts_encoding("gzip, br;q=0", "br"));
        assert!(!accepts_encoding("gzip;q=0.000, br", "gzip"));
        assert!(!accepts_encoding("gzip;q=0.", "gzip"));
        assert!(accepts_encoding("gzip;q=0.001", "gzip"));
        assert!(accepts_encoding("gzip;q=1.0", "gzip"));
        assert!(!accepts_encoding("identity", "br"));
        assert!(!accepts_encoding("", "gzip"));
        // A coding is a whole token, not a prefix.
        assert!(!accepts_encoding("brotli", "br"));
        // Named, its own quality decides; `*` speaks only for codings not named.
        assert!(!accepts_encoding("br;q=0, *", "br"));
        assert!(accepts_encoding("br;q=0, *", "gzip"));
        assert!(!accepts_encoding("gzip, *;q=0", "br"));
    }

    #[test]
    fn etags_follow_the_body_and_if_none_match_compares_weakly() {
        let a = etag(b"<feed/>");
        assert_eq!(a, etag(b"<feed/>"));
        assert_ne!(a, etag(b"<feed />"));
        assert_eq!(a.len(), 18);
        assert!(a.starts_with('"') && a.ends_with('"'));
        assert!(if_none_match(&a, &a));
        assert!(if_none_match(&format!("\"x\", W/{a}"), &a));
        assert!(if_none_match("*", &a));
        assert!(!if_none_match("\"0000000000000000\"", &a));
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn last_modified_is_an_imf_fixdate_in_gmt() {
        // 10:30 in Beijing is 02:30 GMT; the example is RFC 9110 §5.6.7's format.
        assert_eq!(
            http_date(at("2026-06-01T10:30:05+08:00")),
            "Mon, 01 Jun 2026 02:30:05 GMT"
        );
    }

    #[test]
    fn if_modified_since_accepts_the_three_forms_at_second_precision() {
        let last = at("2026-06-01T10:30:05.900+08:00");
        for same in [
            "Mon, 01 Jun 2026 02:30:05 GMT",
            "Monday, 01-Jun-26 02:30:05 GMT",
            "Mon Jun  1 02:30:05 2026",
        ] {
            assert!(unmodified_since(same, last), "{same}");
        }
        assert!(unmodified_since("Mon, 01 Jun 2026 02:31:00 GMT", last));
        assert!(!unmodified_since("Mon, 01 Jun 2026 02:30:04 GMT", last));
        assert!(!unmodified_since("yesterday", last));
        assert!(!unmodified_since("", last));
    }
}
