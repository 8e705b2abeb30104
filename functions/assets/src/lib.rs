//! Assets: serves the static site `web/` (mounted read-only at `/` by the manifest's
//! `files`), with content types, ETags and caching headers.
//!
//! Spin's own file server is a WASI 0.2 component fetched by URL; this one is ours, on
//! spin-sdk 7. Only known static file types are served (never `web/precheck/` sources),
//! never dotfiles, never a path that climbs out of the mount.

use std::rc::Rc;

use bytes::Bytes;
use service::memory::Memory;
use service::static_path::{content_type, resolve};
use service::{ApiError, Reply};
use spin_sdk::http::{Method, Request};
use spin_sdk::http_service;

const COMPONENT: &str = "assets";

/// Largest file served (the wasm bundle is well below).
const MAX_FILE: u64 = 8 * 1024 * 1024;

#[http_service]
async fn handle(req: Request) -> Reply {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    service::error::finish(&method, &path, route(&req).await)
}

async fn route(req: &Request) -> Result<Reply, ApiError> {
    let path = req.uri().path();
    if path == "/api/health/assets" {
        service::route::only(req, &[Method::GET, Method::HEAD])?;
        return Ok(service::route::health(COMPONENT));
    }
    // The API's own description is a static file; every other /api/ path that reaches
    // this component is an unknown endpoint.
    if path.starts_with("/api/") && path != "/api/openapi.json" {
        return Err(ApiError::not_found());
    }
    service::route::only(req, &[Method::GET, Method::HEAD])?;
    let rel = resolve(path).ok_or_else(ApiError::not_found)?;
    let ctype = content_type(&rel).ok_or_else(ApiError::not_found)?;
    let file = site_file(&format!("/{rel}")).ok_or_else(ApiError::not_found)?;
    let varies_by_encoding = compressible(&rel);
    let encoded = varies_by_encoding
        .then(|| precompressed(req, &rel, file.etag()))
        .flatten();
    let mut r = service::conditional::Cacheable {
        body: file.body.clone(),
        content_type: ctype,
        last_modified: None,
        cache_control: cache_control(&rel),
        cross_origin: false,
        page_policy: ctype.starts_with("text/html").then_some(PAGE_POLICY),
        varies_by_encoding,
        encoded,
        etag: Some(file.etag().to_owned()),
    }
    .answer(req);
    r.headers_mut().insert(
        "referrer-policy",
        "same-origin".parse().expect("static header"),
    );
    Ok(r)
}

/// A file of the site as this instance read it: its bytes and, once asked for, their ETag
/// (which also names the file's compressed copies; a copy's own is never asked for).
struct SiteFile {
    body: Bytes,
    etag: std::cell::OnceCell<String>,
}

impl SiteFile {
    fn etag(&self) -> &str {
        self.etag
            .get_or_init(|| service::conditional::etag(&self.body))
    }
}

thread_local! {
    /// The files this instance has read, by path (the site's files and their compressed
    /// copies: about a hundred, 1.2 MB).
    static READ: Memory<SiteFile> = const { Memory::new(512) };
}

/// The file at `path`, read once per instance (`service::memory`: Spin reuses an instance
/// for up to 128 requests, and every filesystem call is a trip to the host). The site is
/// the deployment's and does not change under a running app; a file edited meanwhile in
/// development is served as it was until the instance is dropped (within 128 requests, or
/// after a second without any). Files that are missing are asked for each time.
fn site_file(path: &str) -> Option<Rc<SiteFile>> {
    if let Some(f) = READ.with(|read| read.get(path)) {
        return Some(f);
    }
    let body = read_file(path)?;
    let f = Rc::new(SiteFile {
        body: body.into(),
        etag: std::cell::OnceCell::new(),
    });
    READ.with(|read| read.keep(path, f.clone()));
    Some(f)
}

/// A file's bytes (none for a directory, a missing file or one over [`MAX_FILE`]), in as
/// few filesystem calls as it can: open, then reads into all the room the buffer has (it
/// starts at [`FIRST_READ`] and doubles when full), the last one finding the end. A page,
/// a script or a style sheet up to 64 KiB takes three calls when the host gives it in one
/// read, as both hosts did for the pages timed; the 362 KB wasm about six.
///
/// Each call is a trip to the host's blocking threads, and under Spin 4.1 a dear one
/// (issue 17, timed in the component: open 85–160 µs, a read 65–80 µs, a descriptor's
/// `stat` 115–140 µs, for it is two calls: the metadata and its hash). `std::fs::metadata`
/// then `std::fs::read` made seven for a page: the path's `stat` (two), the open, the
/// descriptor's `stat` for a size hint (two) and two reads. `Read::read_to_end` is not
/// used: it reads 8 KiB at first and grows only after a full read (a call per 8 KiB of a
/// small file).
fn read_file(path: &str) -> Option<Vec<u8>> {
    use std::io::{ErrorKind, Read};
    let mut file = std::fs::File::open(path).ok()?;
    let mut bytes = vec![0; FIRST_READ];
    let mut len = 0;
    loop {
        if len == bytes.len() {
            if len as u64 > MAX_FILE {
                return None;
            }
            bytes.resize(len * 2, 0);
        }
        // A directory opens but cannot be read: refused here like a missing file.
        match file.read(&mut bytes[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    bytes.truncate(len);
    (len as u64 <= MAX_FILE).then_some(bytes)
}

/// The first read's room: every page, script and style sheet of the site fits.
const FIRST_READ: usize = 64 * 1024;

/// Whether the file's name carries its content's hash: `<stem>.<16 hex digits>.<ext>`
/// (what `cargo xtask web` names the bundle's files).
fn content_hashed(rel: &str) -> bool {
    let mut parts = rel.rsplit('.');
    let (_ext, tag, stem) = (parts.next(), parts.next(), parts.next());
    stem.is_some() && tag.is_some_and(|t| t.len() == 16 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Text and wasm shrink when compressed; images and fonts already are.
fn compressible(rel: &str) -> bool {
    let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext,
        "html" | "css" | "js" | "mjs" | "json" | "webmanifest" | "wasm" | "svg" | "txt"
    )
}

/// The compressed copy of the file whose ETag is `etag` the build wrote (`cargo xtask
/// component assets`: `/.encoded/<path>.<tag>.br` and `.gz`, `<tag>` the ETag without its
/// quotes), in the best coding the client accepts: Brotli, else gzip. The tag in the name
/// ties the copy to these very bytes, so a file edited since the build is sent as it is,
/// never as a stale copy. Nothing is compressed here: the component stays small and fast.
fn precompressed(req: &Request, rel: &str, etag: &str) -> Option<service::conditional::Encoded> {
    let accept = req.headers().get("accept-encoding")?.to_str().ok()?;
    let tag = etag.trim_matches('"');
    [("br", "br"), ("gzip", "gz")]
        .into_iter()
        .filter(|(coding, _)| service::conditional::accepts_encoding(accept, coding))
        .find_map(|(coding, ext)| {
            let copy = site_file(&format!("/.encoded/{rel}.{tag}.{ext}"))?;
            Some(service::conditional::Encoded {
                coding,
                body: copy.body.clone(),
            })
        })
}

/// The pages' Content-Security-Policy: scripts only from this site (no inline script, no
/// `eval`; compiling the rules' wasm is allowed), nothing framed, nothing posted
/// elsewhere. Inline styles stay allowed: the pages set a few from script, and a style
/// cannot run code.
pub const PAGE_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
     frame-ancestors 'none'";

/// The bundle's content-hashed files never change under their names: cached a year and
/// never revalidated. HTML and the bundle's fixed-name entry are revalidated every time;
/// other assets may be cached for five minutes.
fn cache_control(rel: &str) -> &'static str {
    if rel.starts_with("pkg/") && content_hashed(rel) {
        "public, max-age=31536000, immutable"
    } else if rel.ends_with(".html") || rel.starts_with("pkg/") {
        "no-cache"
    } else {
        "public, max-age=300"
    }
}
