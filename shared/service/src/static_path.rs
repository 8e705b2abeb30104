//! Which file of the static site a URL path names (the assets component): never a path
//! that climbs out of the mount, never a dotfile, never the `precheck/` sources, only
//! known static types. Pure, so that it is unit-tested and fuzzed (`fuzz/`).

/// Maps a URL path to a file path under the mount, or `None` when it must not be served.
pub fn resolve(path: &str) -> Option<String> {
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

/// `%XX` decoding of one path segment; `None` when malformed or not UTF-8.
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

/// The content type of a servable file, by extension; `None`: not served.
pub fn content_type(rel: &str) -> Option<&'static str> {
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
        assert_eq!(resolve("/a%5cb.js"), None);
        assert_eq!(resolve("/a%00.js"), None);
        assert_eq!(resolve("/a%zz.js"), None);
        assert_eq!(resolve("/precheck/src/lib.rs"), None);
        assert_eq!(content_type("precheck/Cargo.toml"), None);
        assert_eq!(content_type("x.rs"), None);
        assert_eq!(content_type("X.HTML"), Some("text/html; charset=utf-8"));
    }
}
