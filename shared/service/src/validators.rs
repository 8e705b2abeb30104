//! HTTP validators of cacheable answers (RFC 9110 §8.8, §13.1.2): the one ETag and the one
//! `If-None-Match` rule of every component that serves public, cacheable content.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
