//! Reading notices (PROC-NOTICE, DISCLOSE): the public list and one notice as JSON and as
//! HTML pages, and the feeds — each a cacheable, cross-origin answer dated by the moment
//! its content last changed for readers (publication, latest update, end of the period).

use chrono::{DateTime, FixedOffset};
use publish::{EntryView, Notice, NoticeKind};
use rules::Money;
use rules::calendar::NoticePeriod;
use serde::Serialize;
use service::code::Code;
use service::db::Db;
use service::published::{self, Rendered};
use service::query::none as no_query;
use service::{ApiError, Reply, clock};
use spin_sdk::http::Request;

/// The public base URL of links in notices and feeds: the `public_base_url` variable when
/// set (a deployment behind an ingress should set it), else where this request came to —
/// the scheme and host of `spin-full-url` (the value Spin appended) — so links are right
/// wherever the app is served.
pub(crate) async fn base_url(req: &Request) -> Result<String, ApiError> {
    let v = service::variable::get("public_base_url")
        .await
        .map_err(|_| ApiError::server_misconfigured("public_base_url"))?;
    let v = v.trim().trim_end_matches('/');
    if v.is_empty() {
        let full = service::route::spin_header(req, "spin-full-url").unwrap_or_default();
        return origin(full).ok_or_else(|| {
            ApiError::server_misconfigured(
                "public_base_url is empty and spin-full-url is not a URL",
            )
        });
    }
    if !(v.starts_with("http://") || v.starts_with("https://")) || v.contains(char::is_whitespace) {
        return Err(ApiError::server_misconfigured(
            "public_base_url must be an absolute http(s) URL",
        ));
    }
    Ok(v.to_owned())
}

/// `https://example.org` of `https://example.org/notices?x=1`.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let fine = matches!(scheme, "http" | "https")
        && !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    fine.then(|| format!("{scheme}://{host}"))
}

/// `?page=N` (1 by default); anything else is a 400 naming the parameter.
fn page_param(req: &Request) -> Result<usize, ApiError> {
    let query = service::query::public(req, &["page"])?;
    let Some(v) = query.get("page") else {
        return Ok(1);
    };
    v.parse::<usize>()
        .ok()
        .filter(|p| (1..=100_000).contains(p))
        .ok_or_else(|| {
            ApiError::invalid(
                "page",
                "页码须为 1 至 100000 的整数。",
                "The page must be a whole number from 1 to 100000.",
            )
        })
}

/// Every notice with its updates, newest first.
async fn load_public() -> Result<Vec<Notice>, ApiError> {
    let db = Db::open().await?;
    Ok(store::notices::all(db.store()).await?)
}

/// One notice with its updates; 404 naming the id when there is none.
pub(crate) async fn notice(db: &Db, id: &str) -> Result<Notice, ApiError> {
    store::notices::find(db.store(), id)
        .await?
        .ok_or_else(|| ApiError::notice_not_found(id).field("id"))
}

/// One notice with its updates.
async fn load_one(id: &str) -> Result<Notice, ApiError> {
    notice(&Db::open().await?, id).await
}

/// When what a reader sees last changed: publication, the latest update, and the end of
/// the notice period once passed (the page then says the period is over).
fn effective_modified(n: &Notice, now: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let mut t = n.last_modified();
    if let Some(p) = &n.period
        && now >= p.ends_at
    {
        t = t.max(p.ends_at);
    }
    t
}

fn newest(notices: &[Notice], now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    notices.iter().map(|n| effective_modified(n, now)).max()
}

/// The next moment the clock alone changes what is said of `notices`.
fn next_change(notices: &[Notice], now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    notices
        .iter()
        .filter_map(|n| n.next_change_after(now))
        .min()
}

/// A list, page or feed as made from `notices` at `now`.
fn rendered(
    body: String,
    content_type: &str,
    notices: &[Notice],
    now: DateTime<FixedOffset>,
) -> Rendered {
    Rendered::new(
        body.into_bytes(),
        content_type,
        newest(notices, now),
        next_change(notices, now),
    )
}

/// A public read: made once and kept (`service::published`, under `key` for `variant`)
/// when asked without a query, and answered cacheable for a minute and then revalidated
/// (ETag, Last-Modified, 304), readable by scripts of any site.
async fn public_read<F, Fut>(
    req: &Request,
    key: &str,
    variant: &str,
    render: F,
) -> Result<Reply, ApiError>
where
    F: FnOnce(DateTime<FixedOffset>) -> Fut,
    Fut: Future<Output = Result<Rendered, ApiError>>,
{
    let now = clock::now().await;
    let r = if req.uri().query().is_none_or(str::is_empty) {
        published::read(key, variant, now, || render(now)).await?
    } else {
        render(now).await?
    };
    Ok(answer(req, r))
}

/// A public read's answer (the part of [`public_read`] every route shares).
fn answer(req: &Request, r: Rendered) -> Reply {
    service::conditional::Cacheable {
        content_type: &r.content_type,
        last_modified: r.last_modified,
        cache_control: "public, max-age=60, must-revalidate",
        cross_origin: true,
        page_policy: r
            .content_type
            .starts_with("text/html")
            .then_some(NOTICE_PAGE_POLICY),
        varies_by_encoding: false,
        encoded: None,
        etag: Some(r.etag.clone()),
        body: r.body,
    }
    .answer(req)
}

/// A notice page's Content-Security-Policy: a document to read and print, with no script
/// at all; its stylesheet from this site and its own inline style.
const NOTICE_PAGE_POLICY: &str = "default-src 'none'; style-src 'self' 'unsafe-inline'; \
     img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

fn to_string<T: Serialize>(view: &T) -> Result<String, ApiError> {
    serde_json::to_string(view).map_err(|e| ApiError::internal(&e.to_string()))
}

const JSON: &str = "application/json; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

/// A notice in the public list.
#[derive(Serialize)]
struct Summary<'a> {
    id: &'a str,
    round_year: i32,
    kind: NoticeKind,
    title_zh: &'a str,
    title_en: &'a str,
    published_at: String,
    updated_at: String,
    period: Option<&'a NoticePeriod>,
    objections_open: bool,
    entries: usize,
    updates: usize,
    current_total: Money,
    url: String,
    api_url: String,
}

#[derive(Serialize)]
struct NoticeList<'a> {
    notices: Vec<Summary<'a>>,
}

fn summary<'a>(n: &'a Notice, now: DateTime<FixedOffset>, base: &str) -> Summary<'a> {
    Summary {
        id: &n.id,
        round_year: n.round_year,
        kind: n.kind,
        title_zh: &n.title_zh,
        title_en: &n.title_en,
        published_at: clock::format(n.published_at),
        updated_at: clock::format(n.last_modified()),
        period: n.period.as_ref(),
        objections_open: n.objections_open(now),
        entries: n.entries.len(),
        updates: n.updates.len(),
        current_total: n.current_total(),
        url: format!("{base}/notices/{}", n.id),
        api_url: format!("{base}/api/notices/{}", n.id),
    }
}

/// One notice as published (with its updates), what it says now, and how to object.
#[derive(Serialize)]
pub(crate) struct Detail<'a> {
    #[serde(flatten)]
    notice: &'a Notice,
    current_entries: Vec<EntryView>,
    current_total: Money,
    current_total_capitals: String,
    updated_at: String,
    objections_open: bool,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    how_to_object: Option<HowToObject>,
}

/// PROC-OBJECT: where and until when an objection may be made.
#[derive(Serialize)]
struct HowToObject {
    endpoint: String,
    until: String,
    rule: &'static str,
    zh: String,
    en: String,
}

pub(crate) fn detail<'a>(n: &'a Notice, now: DateTime<FixedOffset>, base: &str) -> Detail<'a> {
    let how_to_object = n.period.as_ref().map(|p| {
        let until = clock::format(p.ends_at);
        HowToObject {
            endpoint: format!("{base}/api/objections"),
            rule: "PROC-OBJECT",
            zh: format!(
                "请于{}前，在本站“公示与异议”页面（{base}/notices.html）在线提出异议，或联系{}（电话 {}），写明序号、理由与证据；异议人的个人信息不予公开。",
                publish::notice::deadline_zh(p.ends_at),
                n.contact.office_zh,
                n.contact.phone,
            ),
            en: format!(
                "Object before {} on this site's notices page ({base}/notices.html), or to the {} (phone {}), naming the entry number, your grounds and evidence; objectors' personal data is never published.",
                publish::notice::deadline_en(p.ends_at),
                n.contact.office_en,
                n.contact.phone,
            ),
            until,
        }
    });
    Detail {
        notice: n,
        current_entries: n.current_entries(),
        current_total: n.current_total(),
        current_total_capitals: publish::notice::capitals(n.current_total()),
        updated_at: clock::format(n.last_modified()),
        objections_open: n.objections_open(now),
        url: format!("{base}/notices/{}", n.id),
        how_to_object,
    }
}

/// `GET /api/notices`.
pub(crate) async fn list_json(req: &Request) -> Result<Reply, ApiError> {
    no_query(req)?;
    let base = &base_url(req).await?;
    public_read(req, "notices.json", base, |now| async move {
        let notices = load_public().await?;
        let body = to_string(&NoticeList {
            notices: notices.iter().map(|n| summary(n, now, base)).collect(),
        })?;
        Ok(rendered(body, JSON, &notices, now))
    })
    .await
}

/// `GET /api/notices/:id`.
pub(crate) async fn one_json(req: &Request, id: &str) -> Result<Reply, ApiError> {
    no_query(req)?;
    let base = &base_url(req).await?;
    public_read(req, &format!("notice.json:{id}"), base, |now| async move {
        let n = load_one(id).await?;
        let body = to_string(&detail(&n, now, base))?;
        Ok(rendered(body, JSON, std::slice::from_ref(&n), now))
    })
    .await
}

/// `GET /notices`.
pub(crate) async fn list_page(req: &Request) -> Result<Reply, ApiError> {
    service::query::public(req, &[])?;
    public_read(req, "notices.html", "", |now| async move {
        let notices = load_public().await?;
        let body = publish::html::list_page(&notices, now);
        Ok(rendered(body, HTML, &notices, now))
    })
    .await
}

/// `GET /notices/:id`.
pub(crate) async fn one_page(req: &Request, id: &str) -> Result<Reply, ApiError> {
    service::query::public(req, &[])?;
    public_read(req, &format!("notice.html:{id}"), "", |now| async move {
        let n = load_one(id).await?;
        let body = publish::html::notice_page(&n, now);
        Ok(rendered(body, HTML, std::slice::from_ref(&n), now))
    })
    .await
}

/// The two feeds of every notice and update.
#[derive(Clone, Copy)]
pub(crate) enum Feed {
    /// `GET /feeds/notices.atom` (RFC 4287).
    Atom,
    /// `GET /feeds/notices.json` (JSON Feed 1.1).
    Json,
}

impl Feed {
    pub(crate) fn named(file: &str) -> Option<Feed> {
        match file {
            "notices.atom" => Some(Feed::Atom),
            "notices.json" => Some(Feed::Json),
            _ => None,
        }
    }
}

/// A feed's page (`?page=N`, newest first).
pub(crate) async fn feed(req: &Request, feed: Feed) -> Result<Reply, ApiError> {
    let page = page_param(req)?;
    let base = &base_url(req).await?;
    let key = match feed {
        Feed::Atom => "notices.atom",
        Feed::Json => "notices.feed.json",
    };
    public_read(req, key, base, |now| async move {
        let notices = load_public().await?;
        let count = publish::feed::items(&notices, base).len();
        if page > 1 && (page - 1) * publish::feed::PAGE_SIZE >= count {
            return Err(ApiError::new(
                404,
                Code::NotFound,
                format!("订阅源没有第 {page} 页。"),
                format!("The feed has no page {page}."),
            )
            .field("page"));
        }
        let (body, ty) = match feed {
            Feed::Atom => (
                publish::feed::atom(&notices, base, page),
                "application/atom+xml; charset=utf-8",
            ),
            Feed::Json => (
                publish::feed::json_feed(&notices, base, page),
                "application/feed+json; charset=utf-8",
            ),
        };
        Ok(rendered(body, ty, &notices, now))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::origin;

    #[test]
    fn links_start_where_the_request_came_to() {
        assert_eq!(
            origin("http://127.0.0.1:3000/notices").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(
            origin("https://ip.bjmtg.gov.cn/feeds/notices.atom?page=2").as_deref(),
            Some("https://ip.bjmtg.gov.cn")
        );
        assert_eq!(
            origin("http://[::1]:3000/").as_deref(),
            Some("http://[::1]:3000")
        );
        for bad in [
            "",
            "notices",
            "ftp://x/",
            "http://ev il/",
            "http:///x",
            "http://a\"b/",
        ] {
            assert_eq!(origin(bad), None, "{bad}");
        }
    }
}
