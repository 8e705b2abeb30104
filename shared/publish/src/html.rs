//! Notice pages as HTML rendered on the server: readable without JavaScript, printable,
//! Chinese first with English beside it.

use crate::escape::html;
use crate::notice::{EntryStatus, Notice, NoticeKind};
use chrono::{DateTime, Datelike, FixedOffset, SecondsFormat, Timelike};
use rules::calendar::shanghai;

/// Print and screen styles small enough to inline: the page stands alone when printed
/// or saved, and picks up the site's stylesheet when served.
const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','PingFang SC',sans-serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.6;color:#1a1a1a}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}\
td.num{text-align:right;font-variant-numeric:tabular-nums}.en{color:#444;font-size:.92em}.removed{text-decoration:line-through;color:#666}\
.status{font-weight:600}.signature{text-align:right;margin-top:2rem}a{color:#0b57d0}@media print{nav,.noprint{display:none}a{color:inherit;text-decoration:none}body{max-width:none}}";

fn time(t: DateTime<FixedOffset>) -> String {
    t.with_timezone(&shanghai())
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A readable Beijing time, e.g. `2026-09-18 10:00（北京时间）`.
fn beijing(t: DateTime<FixedOffset>) -> String {
    let t = t.with_timezone(&shanghai());
    let readable = format!(
        "{} {:02}:{:02}",
        rules::calendar::ymd(&t),
        t.hour(),
        t.minute()
    );
    format!("<time datetime=\"{}\">{readable}</time>", time(t))
}

fn page(title: &str, description: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{}</title>\n<meta name=\"description\" content=\"{}\">\n\
<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n\
<link rel=\"stylesheet\" href=\"/style.css\">\n<style>{STYLE}</style>\n\
<link rel=\"alternate\" type=\"application/atom+xml\" title=\"公示订阅 Atom\" href=\"/feeds/notices.atom\">\n\
<link rel=\"alternate\" type=\"application/feed+json\" title=\"公示订阅 JSON Feed\" href=\"/feeds/notices.json\">\n\
</head>\n<body>\n<nav class=\"noprint\"><a href=\"/\">首页 <span class=\"en\">Home</span></a> · \
<a href=\"/notices\">全部公示 <span class=\"en\">All notices</span></a> · \
<a href=\"/feeds/notices.atom\">订阅 <span class=\"en\">Subscribe</span></a></nav>\n<main>\n{body}</main>\n</body>\n</html>\n",
        html(title),
        html(description)
    )
}

/// A date as a Chinese document writes it in its 落款: `2026年5月6日`.
fn dated(t: DateTime<FixedOffset>) -> String {
    let d = t.with_timezone(&shanghai()).date_naive();
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The entries table and the updates: the notice's substance (also the feeds' content).
pub fn notice_fragment(n: &Notice) -> String {
    let mut s = String::new();
    let amount_head = match n.kind {
        NoticeKind::ProposedList => {
            "拟补助金额（元）<br><span class=\"en\">Proposed subsidy (CNY)</span>"
        }
        NoticeKind::Payments => "拨付金额（元）<br><span class=\"en\">Paid (CNY)</span>",
    };
    s.push_str(
        "<table>\n<thead><tr><th scope=\"col\">序号<br><span class=\"en\">No.</span></th>\
<th scope=\"col\">企业名称<br><span class=\"en\">Enterprise</span></th>\
<th scope=\"col\">质押知识产权类型<br><span class=\"en\">Pledged rights</span></th>",
    );
    s.push_str(&format!("<th scope=\"col\">{amount_head}</th>"));
    s.push_str(
        "<th scope=\"col\">大写金额<br><span class=\"en\">In capitals</span></th>\
<th scope=\"col\">状态<br><span class=\"en\">Status</span></th></tr></thead>\n<tbody>\n",
    );
    for e in n.current_entries() {
        let class = if e.status == EntryStatus::Removed {
            " class=\"removed\""
        } else {
            ""
        };
        let amount = if e.amount != e.original_amount {
            format!(
                "{}<br><span class=\"en\">原 was {}</span>",
                e.amount.grouped(),
                e.original_amount.grouped()
            )
        } else {
            e.amount.grouped()
        };
        // The updates about this entry (corrections, re-review conclusions), linked from
        // its row: a correction of a name or a text changes no amount or status.
        let mut about: Vec<u32> = n
            .updates
            .iter()
            .filter(|u| u.entry == Some(e.number))
            .map(|u| u.seq)
            .collect();
        about.sort_unstable();
        let links = if about.is_empty() {
            String::new()
        } else {
            let each: Vec<String> = about
                .iter()
                // Root-relative: the fragment also appears in the feeds' content, whose
                // links resolve against the feed, not the notice.
                .map(|seq| {
                    format!(
                        "<a href=\"/notices/{}#update-{seq}\">{seq}</a>",
                        html(&n.id)
                    )
                })
                .collect();
            format!(
                "<br>见更新 {} <span class=\"en\">see update {}</span>",
                each.join("、"),
                each.join(", ")
            )
        };
        s.push_str(&format!(
            "<tr id=\"entry-{}\"{class}><td class=\"num\">{}</td><td>{}</td><td>{}<br><span class=\"en\">{}</span></td>\
<td class=\"num\">{amount}</td><td>{}</td><td class=\"status\">{}<br><span class=\"en\">{}</span>{links}</td></tr>\n",
            e.number,
            e.number,
            html(&e.enterprise_name),
            html(&e.rights_zh),
            html(&e.rights_en),
            html(&e.amount_capitals),
            e.status.zh(),
            e.status.en(),
        ));
    }
    let total = n.current_total();
    s.push_str(&format!(
        "</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"3\">合计 <span class=\"en\">Total</span></th>\
<td class=\"num\">{}</td><td>{}</td><td></td></tr></tfoot>\n</table>\n",
        total.grouped(),
        html(&crate::notice::capitals(total))
    ));
    if !n.updates.is_empty() {
        s.push_str("<h2>更新 <span class=\"en\">Updates</span></h2>\n<ol>\n");
        let mut updates: Vec<_> = n.updates.iter().collect();
        updates.sort_by_key(|u| u.seq);
        for u in updates {
            let entry = u
                .entry
                .map(|e| format!("（第{e}号 <span class=\"en\">entry {e}</span>）"))
                .unwrap_or_default();
            s.push_str(&format!(
                "<li id=\"update-{}\">{} <strong>{}</strong>{entry}<br><span class=\"en\">{}</span><p>{}</p><p class=\"en\" lang=\"en\">{}</p></li>\n",
                u.seq,
                beijing(u.at),
                u.heading_zh(),
                u.heading_en(),
                html(&u.text_zh),
                html(&u.text_en),
            ));
        }
        s.push_str("</ol>\n");
    }
    s
}

/// The detail page of one notice. `now` says whether objections are still open.
pub fn notice_page(n: &Notice, now: DateTime<FixedOffset>) -> String {
    let mut b = String::new();
    b.push_str(&format!(
        "<h1>{}<br><span class=\"en\" lang=\"en\">{}</span></h1>\n",
        html(&n.title_zh),
        html(&n.title_en)
    ));
    b.push_str(&format!(
        "<p>{}年度 · 发布时间 {} <span class=\"en\">Round {} · published {} (Beijing time)</span></p>\n",
        n.round_year,
        beijing(n.published_at),
        n.round_year,
        time(n.published_at)
    ));
    if let Some(p) = &n.period {
        let state = if n.objections_open(now) {
            "公示期内，可提出异议。<span class=\"en\">The notice period is open: objections may be made.</span>"
        } else if now < p.published_at {
            "公示尚未开始。<span class=\"en\">The notice period has not started.</span>"
        } else {
            "公示期已结束。<span class=\"en\">The notice period is over.</span>"
        };
        b.push_str(&format!(
            "<p>公示期：{} 至 {}（{}个工作日），异议须于<time datetime=\"{}\">{}</time>前提出。{state}<br>\
<span class=\"en\">Notice period: {} to {} ({} working days); objections until {} (PROC-NOTICE, PROC-OBJECT).</span></p>\n",
            p.first_day,
            p.last_day,
            p.working_days,
            time(p.ends_at),
            crate::notice::deadline_zh(p.ends_at),
            p.first_day,
            p.last_day,
            p.working_days,
            crate::notice::deadline_en(p.ends_at),
        ));
    }
    b.push_str(&notice_fragment(n));
    if n.kind == NoticeKind::ProposedList {
        let c = &n.contact;
        let (ways_zh, ways_en) = ways_to_reach(c);
        b.push_str(&format!(
            "<h2>异议方式 <span class=\"en\">How to object</span></h2>\n\
<p>对名单中的项目有异议的，请在公示期内实名提出，说明异议的项目序号、理由并提供证据：\
可在本网站“公示”页面在线提交，或向{}{}提出。\
异议人的个人信息不予公开。公示期外的异议不予受理。</p>\n\
<p class=\"en\" lang=\"en\">To object to an entry, give your name, the entry number, your grounds and evidence \
within the notice period: online on this site's notices page, or to the {}{}. \
Objectors' personal data is never published. Objections outside the period are not admissible.</p>\n",
            html(&c.office_zh),
            ways_zh,
            html(&c.office_en),
            ways_en,
        ));
    }
    // 落款: the issuing office and the date, as a Chinese notice ends.
    b.push_str(&format!(
        "<p class=\"signature\">{}<br>{}<br><span class=\"en\" lang=\"en\">{}, {}</span></p>\n",
        html(&n.contact.office_zh),
        dated(n.published_at),
        html(&n.contact.office_en),
        rules::calendar::ymd(&n.published_at.with_timezone(&shanghai())),
    ));
    b.push_str(&format!(
        "<p class=\"noprint\"><a href=\"/api/notices/{}\">JSON</a> · <a href=\"/feeds/notices.atom\">Atom</a> · \
<a href=\"/feeds/notices.json\">JSON Feed</a></p>\n",
        html(&n.id)
    ));
    let description = format!(
        "{}：{}年度，共{}项，合计{}元。{}",
        n.title_zh,
        n.round_year,
        n.entries.len(),
        n.current_total().grouped(),
        n.contact.office_zh
    );
    page(
        &format!("{} · {}", n.title_zh, n.title_en),
        &description,
        &b,
    )
}

/// The office's phone, email and address as the notice prints them after its name — `（电话
/// …，电子邮箱 …，地址 …）` and ` (phone …, email …, …)` — with only those the deployment
/// set; nothing when none is.
fn ways_to_reach(c: &crate::notice::Contact) -> (String, String) {
    let mail = |m: &str| format!("<a href=\"mailto:{0}\">{0}</a>", html(m));
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if !c.phone.is_empty() {
        zh.push(format!("电话 {}", html(&c.phone)));
        en.push(format!("phone {}", html(&c.phone)));
    }
    if !c.email.is_empty() {
        zh.push(format!("电子邮箱 {}", mail(&c.email)));
        en.push(format!("email {}", mail(&c.email)));
    }
    if !c.address_zh.is_empty() {
        zh.push(format!("地址 {}", html(&c.address_zh)));
    }
    if !c.address_en.is_empty() {
        en.push(html(&c.address_en));
    }
    let wrap = |parts: Vec<String>, open: &str, sep: &str, close: &str| {
        if parts.is_empty() {
            String::new()
        } else {
            format!("{open}{}{close}", parts.join(sep))
        }
    };
    (wrap(zh, "（", "，", "）"), wrap(en, " (", ", ", ")"))
}

/// The list of notices, newest first.
pub fn list_page(notices: &[Notice], now: DateTime<FixedOffset>) -> String {
    let mut sorted: Vec<&Notice> = notices.iter().collect();
    sorted.sort_by(|a, b| {
        b.published_at
            .cmp(&a.published_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut b =
        String::from("<h1>公示公告<br><span class=\"en\" lang=\"en\">Public notices</span></h1>\n");
    if sorted.is_empty() {
        b.push_str("<p>暂无公示。<span class=\"en\">No notice yet.</span></p>\n");
    } else {
        b.push_str("<ul>\n");
        for n in sorted {
            let open = if n.objections_open(now) {
                " <strong>公示中 <span class=\"en\">open for objections</span></strong>"
            } else {
                ""
            };
            let updates = if n.updates.is_empty() {
                String::new()
            } else {
                format!(
                    " · 更新{}次 <span class=\"en\">{} update(s)</span>",
                    n.updates.len(),
                    n.updates.len()
                )
            };
            b.push_str(&format!(
                "<li><a href=\"/notices/{}\">{}</a> <span class=\"en\">{}</span><br>{}{open}{updates}</li>\n",
                html(&n.id),
                html(&n.title_zh),
                html(&n.title_en),
                beijing(n.published_at),
            ));
        }
        b.push_str("</ul>\n");
    }
    page(
        "公示公告 · Public notices",
        "门头沟区知识产权质押融资贴息的拟补助名单公示与拨付公示，公示期内可在线提出异议。",
        &b,
    )
}
