//! The app's own `spin.toml` and components on the local host, with the project's
//! migrations applied the way `cargo xtask up` applies them.

use e2e::app::{App, OFFICER};
use e2e::{TempDir, get, request};

fn assert_error_shape(v: &serde_json::Value, status: u16, code: &str) {
    let e = &v["error"];
    assert_eq!(e["status"], status, "{v}");
    assert_eq!(e["code"], code, "{v}");
    assert!(e.get("field").is_some(), "{v}");
    assert!(!e["message_zh"].as_str().unwrap().is_empty(), "{v}");
    assert!(!e["message_en"].as_str().unwrap().is_empty(), "{v}");
}

e2e::on_both_hosts! {
async fn every_component_answers_its_health_route_with_the_current_schema(rt) {
    let state = TempDir::new("app-health");
    let host = App::on(rt).start(&state).await;
    for c in e2e::with_database() {
        let r = get(host.addr, &format!("/api/health/{c}")).await;
        assert_eq!(r.status, 200, "{c}: {}", r.text());
        let v = r.json();
        assert_eq!(v["component"], c);
        assert_eq!(v["database"], "ok");
        assert_eq!(v["schema"], "0010_accounts");
    }
    let v = get(host.addr, "/api/health/assets").await.json();
    assert_eq!(v["component"], "assets");
    host.stop().await;
}
}

e2e::on_both_hosts! {
async fn the_public_routes_reach_the_right_component(rt) {
    let state = TempDir::new("app-routes");
    let host = App::on(rt).start(&state).await;
    let a = host.addr;
    // `/api/rounds/:year/allocation/...` (calculation) beats `/api/rounds/...` (intake).
    let r = get(a, "/api/rounds/2026/allocation").await;
    assert_error_shape(&r.json(), 401, "unauthorized");
    let r = get(a, "/api/rounds/2026").await;
    assert_error_shape(&r.json(), 404, "round_not_found");
    assert_eq!(r.json()["error"]["field"], "year");
    let r = get(a, "/api/rounds/abc").await;
    assert_error_shape(&r.json(), 400, "invalid_field");
    assert_eq!(
        get(a, "/api/rounds").await.json()["rounds"],
        serde_json::json!([])
    );
    assert_eq!(
        get(a, "/api/notices").await.json()["notices"],
        serde_json::json!([])
    );
    assert_error_shape(&get(a, "/feeds/atom.xml").await.json(), 404, "not_found");
    assert_error_shape(
        &get(a, "/api/precheck").await.json(),
        405,
        "method_not_allowed",
    );
    let r = get(a, "/api/objections").await;
    assert_error_shape(&r.json(), 401, "unauthorized");
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    let auth = format!("Bearer {OFFICER}");
    let r = request(
        a,
        "GET",
        "/api/objections",
        &[("authorization", &auth)],
        &[],
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());

    // As Spin routes: an empty segment inside a path is a segment (`/api//health/intake`
    // is no health route; `/api/rounds/2026//allocation` is intake's, not calculation's).
    assert_error_shape(&get(a, "/api//health/intake").await.json(), 404, "not_found");
    assert_eq!(get(a, "/api/health/intake/").await.status, 200);
    let r = get(a, "/api/rounds/2026//allocation").await;
    assert_ne!(r.status, 401, "calculation would ask for a token: {}", r.text());

    // The component's method check comes before any size check: a declared body far over
    // every limit, sent to a route that takes no POST, is 405 (Spin has no limit of its own).
    let r = raw(a, "DELETE /api/precheck HTTP/1.1\r\nhost: x\r\ncontent-length: 900000000\r\nconnection: close\r\n\r\n").await;
    assert!(r.starts_with("HTTP/1.1 405"), "{r}");
    host.stop().await;
}
}

/// Sends `head` as it is and reads until the server has answered one response head.
async fn raw(a: std::net::SocketAddr, head: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(a).await.unwrap();
    s.write_all(head.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = s.read(&mut chunk).await.unwrap();
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

e2e::on_both_hosts! {
/// HEAD is answered wherever GET is, by every component, with GET's status and headers
/// (its length included) and no body; a method an address does not take is a 405 whose
/// `Allow` lists what it does take, HEAD beside GET.
async fn head_answers_as_get_without_a_body_and_405_names_the_allowed_methods(rt) {
    let state = TempDir::new("app-head");
    let host = App::on(rt).start(&state).await;
    let a = host.addr;
    for path in [
        "/api/health/intake",
        "/api/rounds",
        "/api/health/calculation",
        "/api/disclosure",
        "/api/notices",
        "/feeds/notices.atom",
        "/api/health/objections",
        "/index.html",
    ] {
        let got = get(a, path).await;
        assert_eq!(got.status, 200, "GET {path}: {}", got.text());
        assert!(!got.body.is_empty(), "GET {path}");
        let head = request(a, "HEAD", path, &[], &[]).await.unwrap();
        assert_eq!(head.status, 200, "HEAD {path}: {}", head.text());
        assert!(head.body.is_empty(), "HEAD {path} sent a body: {}", head.text());
        assert_eq!(head.header("content-type"), got.header("content-type"), "{path}");
        assert_eq!(
            head.header("content-length"),
            Some(got.body.len().to_string().as_str()),
            "HEAD {path} gives the length GET sends"
        );
    }
    for (method, path, allow) in [
        ("DELETE", "/api/rounds", "GET, HEAD, POST"),
        ("PUT", "/api/health/intake", "GET, HEAD"),
        ("GET", "/api/precheck", "POST"),
        ("POST", "/api/disclosure", "GET, HEAD"),
        ("DELETE", "/api/notices", "GET, HEAD, POST"),
        ("POST", "/index.html", "GET, HEAD"),
        // Routes of the review component, beside intake's under the same prefix.
        ("GET", "/api/applications/MTG-2026-00001/review", "POST"),
        ("POST", "/api/applications/MTG-2026-00001/documents/1", "GET, HEAD"),
        ("GET", "/api/applications/MTG-2026-00001/correction", "POST"),
    ] {
        let r = request(a, method, path, &[], &[]).await.unwrap();
        assert_error_shape(&r.json(), 405, "method_not_allowed");
        assert_eq!(r.header("allow"), Some(allow), "{method} {path}");
    }
    host.stop().await;
}
}

e2e::on_both_hosts! {
/// Issue 14 (low): pages carry a Content-Security-Policy that allows no inline script and
/// no framing, and hold no inline script or handler that it would block; answers are
/// `no-store` unless public and conditional (a receipt, an error), and public reads keep
/// their own caching.
async fn pages_are_locked_down_and_private_answers_are_not_stored(rt) {
    let state = TempDir::new("app-headers");
    let host = App::on(rt).start(&state).await;
    let a = host.addr;
    for page in ["/", "/index.html", "/apply.html", "/notices.html", "/policy.html", "/guide.html", "/objection.html"] {
        let r = get(a, page).await;
        assert_eq!(r.status, 200, "{page}");
        let csp = r.header("content-security-policy").unwrap_or_default().to_owned();
        for part in ["script-src 'self' 'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'"] {
            assert!(csp.contains(part), "{page}: {csp}");
        }
        assert!(!csp.contains("'unsafe-eval'") && !csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{page}");
        let html = r.text();
        assert!(!html.contains("<script>"), "{page}: an inline script the policy blocks");
        let handler = regex_lite_handler(&html);
        assert!(handler.is_none(), "{page}: inline handler {handler:?}");
    }
    let css = get(a, "/style.css").await;
    assert!(css.header("content-security-policy").is_none());
    assert_eq!(css.header("cache-control"), Some("public, max-age=300"));

    let r = get(a, "/api/rounds").await;
    assert_eq!(r.header("cache-control"), Some("no-store"), "{:?}", r.headers);
    let r = get(a, "/api/applications/MTG-2026-00001").await;
    assert!(r.status >= 400, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let r = get(a, "/api/notices").await;
    assert_eq!(r.header("cache-control"), Some("public, max-age=60, must-revalidate"));
    host.stop().await;
}
}

e2e::on_both_hosts! {
/// Issue 16 (Lighthouse found the 443 KB wasm served uncompressed): the site's files go out
/// Brotli'd, or gzipped, to a client that accepts it — copies the build wrote to
/// `web/.encoded`, each a representation of its own (ETag, `Vary: Accept-Encoding`) that
/// reads back to the file's bytes; a client that accepts neither gets the bytes as they
/// are; and a copy made of other bytes than the file's now (an edit after the build) is
/// never sent.
async fn precompressed_copies_are_served_to_those_who_accept_them(rt) {
    let state = TempDir::new("app-encoded");
    // A file whose copy is stale: made from other bytes than those it holds now (named
    // after this run's state directory: both hosts run this test at once).
    let stale = format!("e2e-stale-{}.txt", state.0.file_name().unwrap().to_string_lossy());
    let web = e2e::root().join("web");
    let (old, now) = ("the text as it was built\n".repeat(40), "the text as edited since\n".repeat(40));
    std::fs::write(web.join(&stale), &now).unwrap();
    // Removed however the test ends: a file left in web/ would be served and compressed.
    struct Remove(Vec<std::path::PathBuf>);
    impl Drop for Remove {
        fn drop(&mut self) {
            for f in &self.0 {
                let _ = std::fs::remove_file(f).or_else(|_| std::fs::remove_dir_all(f));
            }
        }
    }
    let tag = |b: &[u8]| {
        let h = b.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, x| (h ^ u64::from(*x)).wrapping_mul(0x0100_0000_01b3));
        format!("{h:016x}")
    };
    let stale_copy = web.join(format!(".encoded/{stale}.{}.gz", tag(old.as_bytes())));
    // A folder named like a style sheet: it opens but cannot be read, so it is not found.
    let folder = format!("e2e-folder-{}.css", state.0.file_name().unwrap().to_string_lossy());
    std::fs::create_dir_all(web.join(&folder)).unwrap();
    std::fs::write(web.join(&folder).join("inside.css"), "p {}").unwrap();
    let _remove = Remove(vec![web.join(&stale), stale_copy.clone(), web.join(&folder)]);
    std::fs::create_dir_all(stale_copy.parent().unwrap()).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, old.as_bytes()).unwrap();
    std::fs::write(&stale_copy, gz.finish().unwrap()).unwrap();

    // The bundle's wasm goes by a content-hashed name (`cargo xtask web`).
    let wasm: &'static str = Box::leak(
        std::fs::read_dir(web.join("pkg"))
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .find(|n| n.starts_with("precheck_bg.") && n.ends_with(".wasm"))
            .map(|n| format!("/pkg/{n}"))
            .expect("the bundle is built")
            .into_boxed_str(),
    );
    let host = App::on(rt).start(&state).await;
    let a = host.addr;
    let with = |accept: &'static str| async move {
        request(a, "GET", wasm, &[("accept-encoding", accept)], &[]).await.unwrap()
    };
    let plain = get(a, wasm).await;
    assert_eq!(plain.status, 200);
    // Read whole, through every doubling of the component's buffer (issue 17): past the
    // first two reads (64 and 128 KiB), so a third, of 256 KiB, finds the end.
    let file = std::fs::read(web.join(&wasm[1..])).unwrap();
    assert!(file.len() > 3 * 64 * 1024, "{} bytes", file.len());
    assert!(plain.body == file, "{} bytes served of {}", plain.body.len(), file.len());
    assert_eq!(get(a, &format!("/{folder}")).await.status, 404);
    assert_eq!(get(a, &format!("/{folder}/inside.css")).await.status, 200);
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.header("vary"), Some("Accept-Encoding"));

    let br = with("gzip, deflate, br, zstd").await;
    assert_eq!((br.status, br.header("content-encoding")), (200, Some("br")), "{:?}", br.headers);
    assert_eq!(br.header("vary"), Some("Accept-Encoding"));
    assert_eq!(br.header("content-type"), Some("application/wasm"));
    assert!(br.body.len() * 3 < plain.body.len(), "{} of {}", br.body.len(), plain.body.len());
    let mut unbrotlied = Vec::new();
    brotli_decompressor::BrotliDecompress(&mut &br.body[..], &mut unbrotlied).unwrap();
    assert!(unbrotlied == plain.body, "the Brotli copy reads back to the file");
    let (plain_tag, br_tag) = (plain.header("etag").unwrap(), br.header("etag").unwrap());
    assert_ne!(plain_tag, br_tag, "each coding is its own representation");

    let gz = with("gzip, br;q=0").await;
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    let mut ungzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz.body[..]), &mut ungzipped).unwrap();
    assert!(ungzipped == plain.body, "the gzip copy reads back to the file");
    assert_eq!(with("identity").await.header("content-encoding"), None);

    // Revalidation by each representation's own tag.
    let again = request(a, "GET", wasm, &[("accept-encoding", "br"), ("if-none-match", br_tag)], &[]).await.unwrap();
    assert_eq!(again.status, 304);
    // Under its content-hashed name the bundle never changes: cached a year, never asked
    // again; the fixed-name module that points to it is revalidated each time.
    assert_eq!(plain.header("cache-control"), Some("public, max-age=31536000, immutable"));
    let entry = get(a, "/pkg/precheck.js").await;
    assert_eq!(entry.header("cache-control"), Some("no-cache"));
    assert!(entry.text().contains(&wasm[5..]), "the entry names the hashed wasm: {}", entry.text());
    // Pages are compressed too.
    let page = request(a, "GET", "/apply.html", &[("accept-encoding", "br")], &[]).await.unwrap();
    assert_eq!(page.header("content-encoding"), Some("br"));
    assert!(page.header("content-security-policy").is_some());

    let edited = request(a, "GET", &format!("/{stale}"), &[("accept-encoding", "gzip")], &[]).await.unwrap();
    assert_eq!(edited.status, 200);
    assert_eq!(edited.header("content-encoding"), None, "the stale copy is not sent");
    assert_eq!(edited.text(), now);
    host.stop().await;
}
}

/// The first ` on…=` attribute in `html` (an inline event handler), if any.
fn regex_lite_handler(html: &str) -> Option<String> {
    html.match_indices(" on").find_map(|(i, _)| {
        let rest = &html[i + 3..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase())
            .collect();
        (!name.is_empty() && rest[name.len()..].starts_with('=')).then(|| format!("on{name}"))
    })
}
