//! The notice feeds read by a third-party parser (feed-rs), the pages, and the exports read
//! back by a spreadsheet reader (calamine).

use chrono::{DateTime, FixedOffset};
use publish::{
    Cell, Contact, EntryStatus, Notice, NoticeEntry, NoticeKind, NoticeUpdate, Table, UpdateKind,
    csv, feed, html, xlsx,
};
use rules::{Calendar, Money};

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn yuan(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn proposed() -> Notice {
    let period = Calendar::official()
        .notice_period(t("2026-09-18T10:00:00+08:00"), 5)
        .unwrap();
    Notice {
        id: "2026-proposed".into(),
        round_year: 2026,
        kind: NoticeKind::ProposedList,
        title_zh: "2026年度知识产权质押融资贴息拟补助名单公示".into(),
        title_en: "2026 IP pledge loan interest subsidy: proposed list".into(),
        published_at: t("2026-09-18T10:00:00+08:00"),
        period: Some(period),
        entries: vec![
            NoticeEntry {
                number: 1,
                enterprise_name: "北京京西智算科技有限公司".into(),
                rights_zh: "发明专利".into(),
                rights_en: "invention patent".into(),
                amount: yuan("120000"),
            },
            NoticeEntry {
                number: 2,
                enterprise_name: "<script>alert(1)</script> & Co".into(),
                rights_zh: "驰名商标".into(),
                rights_en: "well-known trademark".into(),
                amount: yuan("300000"),
            },
            NoticeEntry {
                number: 3,
                enterprise_name: "门头沟文旅发展有限公司".into(),
                rights_zh: "实用新型专利".into(),
                rights_en: "utility model patent".into(),
                amount: yuan("45678.90"),
            },
        ],
        updates: vec![],
        contact: Contact::default(),
    }
}

fn with_updates() -> Notice {
    let mut n = proposed();
    n.updates = vec![
        NoticeUpdate {
            seq: 1,
            at: t("2026-09-28T15:00:00+08:00"),
            kind: UpdateKind::ReReviewUpheld,
            entry: Some(2),
            new_amount: None,
            text_zh: "经重审，该企业贷款存在逾期，取消补助。".into(),
            text_en: "On re-review the loan was found overdue; entry removed.".into(),
        },
        NoticeUpdate {
            seq: 2,
            at: t("2026-09-29T09:30:00+08:00"),
            kind: UpdateKind::ReReviewPartlyUpheld,
            entry: Some(3),
            new_amount: Some(yuan("40000")),
            text_zh: "经重审，核实利息金额调整。".into(),
            text_en: "On re-review the verified interest is lower.".into(),
        },
    ];
    n
}

fn payments() -> Notice {
    Notice {
        id: "2026-payments".into(),
        round_year: 2026,
        kind: NoticeKind::Payments,
        title_zh: "2026年度知识产权质押融资贴息资金拨付情况".into(),
        title_en: "2026 IP pledge loan interest subsidy: payments".into(),
        published_at: t("2026-11-20T10:00:00+08:00"),
        period: None,
        entries: vec![NoticeEntry {
            number: 1,
            enterprise_name: "北京京西智算科技有限公司".into(),
            rights_zh: "发明专利".into(),
            rights_en: "invention patent".into(),
            amount: yuan("120000"),
        }],
        updates: vec![],
        contact: Contact::default(),
    }
}

#[test]
fn proc_object_updates_never_erase_the_original() {
    let n = with_updates();
    let e = n.current_entries();
    assert_eq!(e[0].status, EntryStatus::Listed);
    assert_eq!(e[1].status, EntryStatus::Removed);
    assert_eq!(e[1].original_amount, yuan("300000"));
    assert_eq!(e[1].amount, Money::ZERO);
    assert_eq!(e[2].status, EntryStatus::Amended);
    assert_eq!(e[2].amount, yuan("40000"));
    assert_eq!(e[2].amount_capitals, "肆万元整");
    assert_eq!(n.current_total(), yuan("160000"));
    assert_eq!(
        n.entries[1].amount,
        yuan("300000"),
        "the published entry stays"
    );
    assert_eq!(n.last_modified(), t("2026-09-29T09:30:00+08:00"));
}

/// PROC-OBJECT: an upheld objection that the amount was too low raises the entry; the
/// notice says the amount changed (not that the entry was removed), in the page and feeds.
#[test]
fn proc_object_an_upheld_objection_about_the_amount_raises_the_entry() {
    let mut n = proposed();
    n.updates = vec![NoticeUpdate {
        seq: 1,
        at: t("2026-09-28T15:00:00+08:00"),
        kind: UpdateKind::ReReviewUpheld,
        entry: Some(3),
        new_amount: Some(yuan("50000")),
        text_zh: "经重审，核实利息金额应为更高。".into(),
        text_en: "On re-review the verified interest is higher.".into(),
    }];
    let e = n.current_entries();
    assert_eq!(e[2].status, EntryStatus::Amended);
    assert_eq!(e[2].original_amount, yuan("45678.90"));
    assert_eq!(e[2].amount, yuan("50000"));
    assert_eq!(e[2].amount_capitals, "伍万元整");
    assert_eq!(n.current_total(), yuan("470000"));
    let u = &n.updates[0];
    assert_eq!(u.heading_zh(), "重审结论：异议成立，调整补助金额");
    assert_eq!(
        u.heading_en(),
        "Re-review: objection upheld, amount changed"
    );
    let page = publish::html::notice_page(&n, t("2026-09-30T10:00:00+08:00"));
    assert!(page.contains("异议成立，调整补助金额"), "{page}");
    assert!(!page.contains("异议成立，取消补助"), "{page}");
}

#[test]
fn proc_notice_atom_parsed_by_feed_rs_field_by_field() {
    let notices = [with_updates(), payments()];
    let xml = feed::atom(&notices, "https://example.test", 1);
    let f = feed_rs::parser::parse(xml.as_bytes()).expect("valid Atom");
    assert_eq!(f.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(f.id, "https://example.test/feeds/notices.atom");
    assert!(f.title.unwrap().content.contains("Mentougou"));
    assert_eq!(f.updated.unwrap().to_rfc3339(), "2026-11-20T02:00:00+00:00");
    assert_eq!(f.entries.len(), 4, "two notices and two updates");
    // Newest first: payments (DISCLOSE), then the updates, then the list itself.
    let ids: Vec<&str> = f.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "https://example.test/notices/2026-payments",
            "https://example.test/notices/2026-proposed#update-2",
            "https://example.test/notices/2026-proposed#update-1",
            "https://example.test/notices/2026-proposed",
        ]
    );
    let list = &f.entries[3];
    assert_eq!(
        list.published.unwrap().to_rfc3339(),
        "2026-09-18T02:00:00+00:00"
    );
    assert_eq!(
        list.updated.unwrap().to_rfc3339(),
        "2026-09-29T01:30:00+00:00"
    );
    assert_eq!(
        list.links[0].href,
        "https://example.test/notices/2026-proposed"
    );
    let content = list.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(content.contains("壹拾贰万元整"));
    assert!(
        content.contains("&lt;script&gt;"),
        "names are escaped in the content"
    );
    assert!(!content.contains("<script>"));
    assert!(
        list.summary
            .as_ref()
            .unwrap()
            .content
            .contains("异议请于2026年9月23日24时前提出")
    );
    assert!(
        f.entries[2]
            .title
            .as_ref()
            .unwrap()
            .content
            .contains("异议成立")
    );
}

#[test]
fn proc_notice_json_feed_parsed_by_feed_rs_field_by_field() {
    let notices = [with_updates(), payments()];
    let json = feed::json_feed(&notices, "https://example.test", 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
    let f = feed_rs::parser::parse(json.as_bytes()).expect("valid JSON Feed");
    assert_eq!(f.feed_type, feed_rs::model::FeedType::JSON);
    assert_eq!(f.entries.len(), 4);
    assert_eq!(
        f.entries[0].id,
        "https://example.test/notices/2026-payments"
    );
    assert_eq!(
        f.entries[0].published.unwrap().to_rfc3339(),
        "2026-11-20T02:00:00+00:00"
    );
    let body = f.entries[3]
        .content
        .as_ref()
        .unwrap()
        .body
        .as_ref()
        .unwrap();
    assert!(body.contains("北京京西智算科技有限公司"));
    assert!(v.get("next_url").is_none(), "one page only");
}

#[test]
fn feeds_page_old_entries() {
    let many: Vec<Notice> = (0..30)
        .map(|i| {
            let mut n = payments();
            n.id = format!("p{i:02}");
            n.published_at = t("2026-01-05T10:00:00+08:00") + chrono::Duration::days(i);
            n
        })
        .collect();
    let first = feed_rs::parser::parse(feed::atom(&many, "https://x.test", 1).as_bytes()).unwrap();
    let second = feed_rs::parser::parse(feed::atom(&many, "https://x.test", 2).as_bytes()).unwrap();
    assert_eq!(first.entries.len(), feed::PAGE_SIZE);
    assert_eq!(second.entries.len(), 30 - feed::PAGE_SIZE);
    assert_eq!(first.entries[0].id, "https://x.test/notices/p29");
    assert_eq!(second.entries[0].id, "https://x.test/notices/p09");
    let next = first
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("next"))
        .unwrap();
    assert_eq!(next.href, "https://x.test/feeds/notices.atom?page=2");
    assert!(
        !second
            .links
            .iter()
            .any(|l| l.rel.as_deref() == Some("next"))
    );
    let v: serde_json::Value =
        serde_json::from_str(&feed::json_feed(&many, "https://x.test", 1)).unwrap();
    assert_eq!(v["next_url"], "https://x.test/feeds/notices.json?page=2");
    assert_eq!(v["items"].as_array().unwrap().len(), feed::PAGE_SIZE);
}

#[test]
fn proc_notice_page_readable_without_javascript() {
    let n = with_updates();
    let page = html::notice_page(&n, t("2026-09-21T12:00:00+08:00"));
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(!page.contains("<script"), "no script, and names escaped");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
    assert!(page.contains("2026-09-18 至 2026-09-23（5个工作日）"));
    // The deadline as people say it: the period ends at midnight, so at 24时 of the 23rd.
    assert!(page.contains(
        "异议须于<time datetime=\"2026-09-24T00:00:00+08:00\">2026年9月23日24时</time>前提出"
    ));
    assert!(page.contains("objections until the end of 23 September 2026 (Beijing time)"));
    let five_pm = t("2026-09-23T17:00:00+08:00");
    assert_eq!(publish::notice::deadline_zh(five_pm), "2026年9月23日17:00");
    assert_eq!(
        publish::notice::deadline_en(five_pm),
        "17:00 on 23 September 2026 (Beijing time)"
    );
    assert!(page.contains("公示期内，可提出异议"));
    assert!(page.contains("壹拾贰万元整"));
    assert!(page.contains("异议成立"), "updates shown with their time");
    assert!(page.contains("@media print"));
    // Amounts grouped as people read them; the notice ends with its office and date (落款).
    assert!(page.contains(">120,000.00<"), "grouped amounts");
    assert!(page.contains("class=\"signature\""));
    assert!(
        page.contains("2026年9月18日"),
        "dated as a Chinese notice is"
    );
    assert!(page.contains(&format!("{}<br>2026年9月18日", n.contact.office_zh)));
    assert!(page.contains("<meta name=\"description\" content=\""));
    assert!(page.contains("rel=\"icon\""));
    let later = html::notice_page(&n, t("2026-09-24T00:00:00+08:00"));
    assert!(later.contains("公示期已结束"));
    let list = html::list_page(&[n, payments()], t("2026-09-21T12:00:00+08:00"));
    assert!(list.find("2026-payments").unwrap() < list.find("2026-proposed").unwrap());
    assert!(list.contains("open for objections"));
}

/// Issue 16: a correction that changes no amount (a name, a text) is still visible in the
/// table: each row links the updates about its entry.
#[test]
fn proc_object_corrections_are_linked_from_their_rows() {
    let mut n = with_updates();
    n.updates.push(NoticeUpdate {
        seq: 3,
        at: t("2026-09-29T11:00:00+08:00"),
        kind: UpdateKind::Correction,
        entry: Some(1),
        new_amount: None,
        text_zh: "第1号企业名称更正。".into(),
        text_en: "Entry 1: the name is corrected.".into(),
    });
    let page = html::notice_page(&n, t("2026-09-29T12:00:00+08:00"));
    let row = |number: u32| {
        let start = page
            .find(&format!("<tr id=\"entry-{number}\""))
            .expect("the row");
        page[start..start + page[start..].find("</tr>").unwrap()].to_owned()
    };
    assert!(
        row(1).contains("见更新 <a href=\"/notices/2026-proposed#update-3\">3</a>"),
        "{}",
        row(1)
    );
    assert!(row(1).contains("see update <a href=\"/notices/2026-proposed#update-3\">3</a>"));
    assert!(row(2).contains("#update-1\">1</a>"), "{}", row(2));
    assert!(row(3).contains("#update-2\">2</a>"), "{}", row(3));
    assert!(
        page.contains("<li id=\"update-3\">"),
        "the links lead somewhere"
    );
    let plain = html::notice_page(&proposed(), t("2026-09-21T12:00:00+08:00"));
    assert!(!plain.contains("见更新"), "no updates, no links");
}

#[test]
fn disclose_payment_page_has_no_objection_section() {
    let page = html::notice_page(&payments(), t("2026-11-21T12:00:00+08:00"));
    assert!(page.contains("拨付金额"));
    assert!(!page.contains("How to object"));
    // A paid entry is labelled paid, not as if it were still on notice.
    assert!(
        page.contains("已拨付<br><span class=\"en\">paid</span>"),
        "{page}"
    );
    assert!(!page.contains("拟补助<br>") && !page.contains("公示中<br>"));
    let v = payments().current_entries();
    assert!(v.iter().all(|e| e.status == publish::EntryStatus::Paid));
}

fn table() -> Table {
    Table {
        name: "拟补助名单 2026".into(),
        headers: vec![
            "序号".into(),
            "企业名称".into(),
            "金额（元）".into(),
            "日期".into(),
        ],
        rows: vec![
            vec![
                Cell::Int(1),
                "北京京西智算科技有限公司".into(),
                yuan("120000").into(),
                Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 9, 18).unwrap()),
            ],
            vec![
                Cell::Int(2),
                "=HYPERLINK(\"http://evil\",\"x\"), \"quoted\"\nline".into(),
                yuan("0.01").into(),
                Cell::Text(String::new()),
            ],
        ],
    }
}

#[test]
fn csv_has_bom_crlf_quoting_and_no_formulas() {
    let bytes = csv(&table());
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let s = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = s.split("\r\n").collect();
    assert_eq!(lines[0], "序号,企业名称,金额（元）,日期");
    assert_eq!(lines[1], "1,北京京西智算科技有限公司,120000.00,2026-09-18");
    assert!(lines[2].starts_with(
        "2,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\"), \"\"quoted\"\"\nline\",0.01,"
    ));
}

#[test]
fn xlsx_read_back_by_calamine() {
    use calamine::{Data, Reader, Xlsx};
    let bytes = xlsx(&table());
    assert_eq!(bytes, xlsx(&table()), "deterministic");
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a valid workbook");
    assert_eq!(wb.sheet_names(), vec!["拟补助名单 2026".to_string()]);
    let range = wb.worksheet_range("拟补助名单 2026").unwrap();
    assert_eq!(range.get_size(), (3, 4));
    assert_eq!(range.get((0, 1)), Some(&Data::String("企业名称".into())));
    assert_eq!(
        range.get((1, 1)),
        Some(&Data::String("北京京西智算科技有限公司".into()))
    );
    assert_eq!(range.get((1, 2)), Some(&Data::Float(120000.0)));
    assert_eq!(range.get((2, 2)), Some(&Data::Float(0.01)));
    match range.get((2, 1)) {
        Some(Data::String(s)) => assert!(s.starts_with("'=HYPERLINK")),
        other => panic!("{other:?}"),
    }
}
