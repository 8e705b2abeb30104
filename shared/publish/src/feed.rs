//! The notice feeds: Atom (RFC 4287, paged as RFC 5005) and JSON Feed 1.1. Newest first;
//! each notice is an item, and so is each of its updates, so a subscriber sees a
//! re-review conclusion or a payment as news of its own.

use crate::escape::{html, xml};
use crate::notice::{Notice, NoticeKind};
use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde_json::json;

/// Items per feed page.
pub const PAGE_SIZE: usize = 20;

const TITLE: &str = "门头沟区知识产权质押融资贴息公示 · Mentougou IP pledge loan subsidy notices";
const AUTHOR: &str = "北京市门头沟区知识产权局 · Mentougou District IP Office";

/// One feed item: a notice or an update to one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// Stable, globally unique: the item's URL.
    pub id: String,
    pub url: String,
    pub title: String,
    pub published: DateTime<FixedOffset>,
    pub updated: DateTime<FixedOffset>,
    pub summary: String,
    pub content_html: String,
}

/// Every item of every notice, newest first (ties by id, so the order is total).
pub fn items(notices: &[Notice], base: &str) -> Vec<FeedItem> {
    let mut items = Vec::new();
    for n in notices {
        let url = format!("{base}/notices/{}", n.id);
        let total = n.current_total();
        let summary = match n.kind {
            NoticeKind::ProposedList => {
                let until = n
                    .period
                    .as_ref()
                    .map(|p| {
                        format!(
                            "，公示期至 {}，异议请于{}前提出",
                            p.last_day,
                            crate::notice::deadline_zh(p.ends_at)
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "{}年度拟补助名单：{}家企业，合计 {} 元{until}。",
                    n.round_year,
                    n.entries.len(),
                    total.grouped()
                )
            }
            NoticeKind::Payments => format!(
                "{}年度资金拨付情况：{}笔，合计 {} 元。",
                n.round_year,
                n.entries.len(),
                total.grouped()
            ),
        };
        items.push(FeedItem {
            id: url.clone(),
            url: url.clone(),
            title: format!("{} · {}", n.title_zh, n.title_en),
            published: n.published_at,
            updated: n.last_modified(),
            summary,
            content_html: crate::html::notice_fragment(n),
        });
        for u in &n.updates {
            let entry = u
                .entry
                .map(|e| format!("第{e}号 · entry {e}: "))
                .unwrap_or_default();
            items.push(FeedItem {
                id: format!("{url}#update-{}", u.seq),
                url: format!("{url}#update-{}", u.seq),
                title: format!("{}：{} · {}", n.title_zh, u.heading_zh(), u.heading_en()),
                published: u.at,
                updated: u.at,
                summary: format!("{entry}{} {}", u.text_zh, u.text_en),
                content_html: format!(
                    "<p>{}</p><p lang=\"en\">{}</p>",
                    html(&u.text_zh),
                    html(&u.text_en)
                ),
            });
        }
    }
    items.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)));
    items
}

/// One page of items (pages count from 1) and whether more follow.
pub fn page(items: &[FeedItem], page: usize) -> (&[FeedItem], bool) {
    let start = page
        .saturating_sub(1)
        .saturating_mul(PAGE_SIZE)
        .min(items.len());
    let end = start.saturating_add(PAGE_SIZE).min(items.len());
    (&items[start..end], end < items.len())
}

fn rfc3339(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn page_url(base: &str, path: &str, page: usize) -> String {
    if page <= 1 {
        format!("{base}{path}")
    } else {
        format!("{base}{path}?page={page}")
    }
}

/// The feed's `updated`: the newest change on the page, or a fixed epoch when empty.
fn feed_updated(items: &[FeedItem]) -> String {
    items
        .iter()
        .map(|i| i.updated)
        .max()
        .map(rfc3339)
        .unwrap_or_else(|| "2025-01-01T00:00:00+08:00".into())
}

/// Atom 1.0 (RFC 4287), paged with RFC 5005 `first`/`next`/`previous` links.
pub fn atom(notices: &[Notice], base: &str, page_no: usize) -> String {
    let all = items(notices, base);
    let (items, more) = page(&all, page_no.max(1));
    let path = "/feeds/notices.atom";
    let mut s = String::with_capacity(4096 + items.len() * 2048);
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    s.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    s.push_str(&format!("  <id>{}</id>\n", xml(&format!("{base}{path}"))));
    s.push_str(&format!("  <title>{}</title>\n", xml(TITLE)));
    s.push_str(&format!("  <updated>{}</updated>\n", feed_updated(items)));
    s.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml(AUTHOR)
    ));
    let link = |rel: &str, href: &str, ty: &str| {
        format!(
            "  <link rel=\"{rel}\" type=\"{ty}\" href=\"{}\"/>\n",
            xml(href)
        )
    };
    s.push_str(&link(
        "self",
        &page_url(base, path, page_no),
        "application/atom+xml",
    ));
    s.push_str(&link(
        "first",
        &page_url(base, path, 1),
        "application/atom+xml",
    ));
    if more {
        s.push_str(&link(
            "next",
            &page_url(base, path, page_no + 1),
            "application/atom+xml",
        ));
    }
    if page_no > 1 {
        s.push_str(&link(
            "previous",
            &page_url(base, path, page_no - 1),
            "application/atom+xml",
        ));
    }
    s.push_str(&link("alternate", &format!("{base}/notices"), "text/html"));
    for i in items {
        s.push_str("  <entry>\n");
        s.push_str(&format!("    <id>{}</id>\n", xml(&i.id)));
        s.push_str(&format!("    <title>{}</title>\n", xml(&i.title)));
        s.push_str(&format!(
            "    <published>{}</published>\n",
            rfc3339(i.published)
        ));
        s.push_str(&format!("    <updated>{}</updated>\n", rfc3339(i.updated)));
        s.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml(&i.url)
        ));
        s.push_str(&format!("    <summary>{}</summary>\n", xml(&i.summary)));
        s.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            xml(&i.content_html)
        ));
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}

/// JSON Feed 1.1, paged with `next_url`.
pub fn json_feed(notices: &[Notice], base: &str, page_no: usize) -> String {
    let all = items(notices, base);
    let (items, more) = page(&all, page_no.max(1));
    let path = "/feeds/notices.json";
    let mut feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": TITLE,
        "home_page_url": format!("{base}/notices"),
        "feed_url": page_url(base, path, page_no),
        "description": "门头沟区知识产权质押融资贷款贴息拟补助名单公示、重审结论及资金拨付情况。Proposed lists, re-review conclusions and payments of the Mentougou IP pledge loan interest subsidy.",
        "language": "zh-CN",
        "authors": [{ "name": AUTHOR, "url": format!("{base}/") }],
        "items": items.iter().map(|i| json!({
            "id": i.id,
            "url": i.url,
            "title": i.title,
            "summary": i.summary,
            "content_html": i.content_html,
            "date_published": rfc3339(i.published),
            "date_modified": rfc3339(i.updated),
        })).collect::<Vec<_>>(),
    });
    if more {
        feed["next_url"] = page_url(base, path, page_no + 1).into();
    }
    serde_json::to_string_pretty(&feed).unwrap_or_default()
}
