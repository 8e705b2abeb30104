//! Assets: serves the static site `web/` (mounted read-only at `/` by the manifest's
//! `files`), with content types, ETags and caching headers.
//!
//! Spin's own file server is a WASI 0.2 component fetched by URL; this one is ours, on
//! spin-sdk 7. Only known static file types are served (never `web/precheck/` sources),
//! never dotfiles, never a path that climbs out of the mount.

use bytes::Bytes;
use service::{ApiError, Reply};
use spin_sdk::http::{Method, Request};
use spin_sdk::http_service;

const COMPONENT: &str = "assets";

/// Largest file served (the wasm bundle is well below).
const MAX_FILE: u64 = 8 * 1024 * 1024;

#[http_service]
async fn handle(req: Request) -> Reply {
    service::error::finish(route(&req).await)
}

async fn route(req: &Request) -> Result<Reply, ApiError> {
    let path = req.uri().path();
    if path == "/api/health/assets" {
        return Ok(service::route::health(COMPONENT, false).await);
    }
    // The API's own description is a static file; every other /api/ path that reaches
    // this component is an unknown endpoint.
    if path.starts_with("/api/") && path != "/api/openapi.json" {
        return Err(ApiError::not_found());
    }
    service::route::only(req, &[Method::GET, Method::HEAD])?;
    let rel = resolve(path).ok_or_else(ApiError::not_found)?;
    let ctype = content_type(&rel).ok_or_else(ApiError::not_found)?;
    let full = format!("/{rel}");
    let meta = std::fs::metadata(&full).map_err(|_| ApiError::not_found())?;
    if !meta.is_file() || meta.len() > MAX_FILE {
        return Err(ApiError::not_found());
    }
    let body = std::fs::read(&full).map_err(|_| ApiError::not_found())?;
    let etag = service::validators::etag(&body);
    let cache = cache_control(&rel);
    let not_modified = req
        .headers()
        .get("if-none-match")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| service::validators::if_none_match(v, &etag));
    let (status, body) = if not_modified {
        (304, Bytes::new())
    } else if req.method() == Method::HEAD {
        (200, Bytes::new())
    } else {
        (200, Bytes::from(body))
    };
    let mut r = service::error::bytes_reply(status, ctype, body);
    let h = r.headers_mut();
    h.insert("etag", etag.parse().expect("hex is a valid header"));
    h.insert("cache-control", cache.parse().expect("static header"));
    h.insert(
        "referrer-policy",
        "same-origin".parse().expect("static header"),
    );
    Ok(r)
}

/// Maps a URL path to a file path under the mount, or `None` when it must not be served.
fn resolve(path: &str) -> Option<String> {
    let mut parts = Vec::new();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        let seg = percent_decode(seg)?;
        if seg.starts_with('.') || seg.contains(['\\', '\0', '/']) {
            return None;
        }
        parts.push(seg);
    }
    if parts.first().is_some_and(|p| p == "precheck") {
        return None;
    }
    let last_has_ext = parts.last().is_some_and(|p| p.contains('.'));
    if !last_has_ext {
        parts.push("index.html".into());
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(rel: &str) -> Option<&'static str> {
    let ext = rel.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => return None,
    })
}

/// HTML and the generated bundle are revalidated every time (their names are not
/// content-hashed); other assets may be cached for five minutes.
fn cache_control(rel: &str) -> &'static str {
    if rel.ends_with(".html") || rel.starts_with("pkg/") {
        "no-cache"
    } else {
        "public, max-age=300"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_only_safe_paths() {
        assert_eq!(resolve("/").as_deref(), Some("index.html"));
        assert_eq!(resolve("/notices/").as_deref(), Some("notices/index.html"));
        assert_eq!(resolve("/app.js").as_deref(), Some("app.js"));
        assert_eq!(
            resolve("/pkg/precheck_bg.wasm").as_deref(),
            Some("pkg/precheck_bg.wasm")
        );
        assert_eq!(resolve("/a%20b.css").as_deref(), Some("a b.css"));
        assert_eq!(resolve("/../etc/passwd"), None);
        assert_eq!(resolve("/%2e%2e/secret.txt"), None);
        assert_eq!(resolve("/.git/config"), None);
        assert_eq!(resolve("/a%2fb.js"), None);
        assert_eq!(resolve("/precheck/src/lib.rs"), None);
        assert_eq!(content_type("precheck/Cargo.toml"), None);
        assert_eq!(content_type("x.rs"), None);
    }
}
