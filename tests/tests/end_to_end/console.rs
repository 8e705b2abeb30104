//! The office's console (issue 15) in headless Chromium: an administrator signs in, opens
//! named accounts (two officers, an auditor) and plays a whole round through the console
//! only — the round created from its guide, applications received through the public pages,
//! the window closed and the review started, the review with the departments' opinions and a
//! credit finding (by an officer), the allocation over budget, the proposed list published,
//! an objection (filed on the public notices page) concluded, the approval with one line
//! reduced, the payments, a fraud determination and its recovery, the payments notice and
//! the exports. Screenshots of every console page at desktop width go to
//! `target/screenshots/console-*.png`. Then: the audit log names each person for their
//! steps; a write without the CSRF token is refused; a disabled officer's session ends.
//!
//! The service's clock is the `clock_override` variable: the app is restarted on the same
//! state at the window, after it (review, list, notice) and after the notice (approval,
//! payment), and people sign in again after each jump (a session lasts 8 hours).

use crate::browser::{
    Driver, assert_accessible_basics, browser, click, driver, restart, screenshot_at, session, set,
    text_of, to_the_form_from_the_precheck, type_in, until,
};
use e2e::app::{ADMIN, FIRST_ADMIN, FIRST_ADMIN_PASSWORD};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};
use std::net::SocketAddr;

/// Inside the window (1–30 April 2026).
const IN_WINDOW: &str = "2026-04-15T10:00:00+08:00";
/// After the window, a Wednesday: the review, the list and its notice (6 May + 5 working
/// days: it ends with 11 May).
const AFTER_WINDOW: &str = "2026-05-06T10:00:00+08:00";
/// After the notice: the government's approval, the payments.
const AFTER_NOTICE: &str = "2026-05-20T10:00:00+08:00";

/// Desktop width of the console's screenshots.
const DESKTOP: u32 = 1440;

/// The office's people the administrator opens accounts for: user name, name, role.
const PEOPLE: [(&str, &str, &str); 3] = [
    ("wang.fang", "王芳", "officer"),
    ("li.qiang", "李强", "officer"),
    ("zhao.min", "赵敏", "auditor"),
];

fn password(username: &str) -> String {
    format!("{username}-password-2026")
}

/// The console as the browser reaches it. Chromium keeps the `Secure` session cookie over
/// plain HTTP on `localhost` and `127.0.0.1` alike (both are secure contexts); the console
/// is reached by name, the public pages by address, so the two are different sites here.
fn site(a: SocketAddr) -> String {
    format!("http://localhost:{}", a.port())
}

/// A console page's screenshot at desktop width: `target/screenshots/console-<name>.png`,
/// after checking that each of its controls is labelled and it has one `h1`.
async fn shot(c: &Client, name: &str) {
    assert_accessible_basics(c).await;
    screenshot_at(c, &format!("console-{name}"), DESKTOP).await;
    c.set_window_size(DESKTOP, 900).await.expect("resize");
}

/// Signs in on the console's sign-in page by typing, and waits for the dashboard (or
/// `next`) with the person named in the header.
async fn sign_in(c: &Client, a: SocketAddr, username: &str, password: &str) {
    c.goto(&format!("{}/console/index.html", site(a)))
        .await
        .unwrap();
    until(
        c,
        "the sign-in form",
        "return document.getElementById('signin-username')",
    )
    .await;
    type_in(c, "#signin-username", username).await;
    type_in(c, "#signin-password", password).await;
    click(c, "#signin-submit").await;
    until(
        c,
        &format!("{username} signed in"),
        "return location.pathname !== '/console/index.html' \
         && document.getElementById('who-name')?.textContent",
    )
    .await;
}

/// Opens a console page and waits until the session is read (the header names the person).
async fn open(c: &Client, a: SocketAddr, page: &str) {
    c.goto(&format!("{}/console/{page}", site(a)))
        .await
        .unwrap();
    until(
        c,
        page,
        "return document.documentElement.dataset.role && document.getElementById('who-name')",
    )
    .await;
}

/// Waits for an action's outcome `#id[data-state=done]`; a refusal fails the test with the
/// page's text.
async fn done(c: &Client, id: &str) {
    let state = until(
        c,
        &format!("#{id} done or refused"),
        &format!(
            "const s = document.getElementById('{id}')?.dataset.state; \
             return s === 'done' || s === 'refused' ? s : false"
        ),
    )
    .await;
    if state != json!("done") {
        let text = text_of(c, &format!("#{id}")).await;
        panic!("#{id} was refused: {text}");
    }
}

/// Waits for an action's refusal `#id[data-state=refused]` with the API's `code`, its rule
/// linked to the policy.
async fn refused(c: &Client, id: &str, code: &str, rule: &str) {
    until(
        c,
        &format!("#{id} refused with {code}"),
        &format!(
            "return document.querySelector('#{id}[data-state=refused] .refusal[data-code={code}] \
               a.rule[data-rule={rule}][href=\"/policy.html#{rule}\"]')"
        ),
    )
    .await;
}

/// Runs `script` in the page (a function body; `arguments[0]` is its callback) and answers
/// what it passes back.
async fn in_page(c: &Client, script: &str) -> Value {
    c.execute_async(script, vec![]).await.expect("script runs")
}

/// An application submitted on the public apply page by typing it in: enterprise `n` of the
/// fixtures (other industry), one bank loan repaid in 2025 with `interest` paid, pledging
/// `right` — ("patent", its number) or ("trademark", its number, well known). Answers its
/// number.
async fn apply_on_the_public_page(
    c: &Client,
    a: SocketAddr,
    n: u32,
    right: (&str, &str),
    interest: &str,
) -> String {
    // Nothing kept from the last form of this site (the page would be prefilled with it).
    c.execute("sessionStorage.clear()", vec![]).await.ok();
    c.goto(&format!("http://{a}/apply.html")).await.unwrap();
    until(
        c,
        "the form with its rules",
        "return document.querySelector('[data-f=industry] option[value=artificial_intelligence]') \
         && document.querySelector('[data-f=credit_code]')",
    )
    .await;
    type_in(c, "[data-f=credit_code]", &e2e::fixtures::credit_code(n)).await;
    type_in(c, "[data-f=name]", &format!("北京测试企业{n:02}有限公司")).await;
    set(c, "[data-f=industry]", "other").await;
    set(c, ".loan [data-f=lender_kind]", "bank").await;
    type_in(c, ".loan [data-f=lender_name]", "北京农商银行门头沟支行").await;
    type_in(
        c,
        ".loan [data-f=contract_number]",
        &format!("NS-2024-{n:04}"),
    )
    .await;
    type_in(c, ".loan [data-f=principal]", "3000000").await;
    set(c, ".loan [data-f=start_date]", "2024-06-01").await;
    set(c, ".loan [data-f=maturity_date]", "2025-05-31").await;
    set(c, ".loan [data-f=final_repayment_date]", "2025-05-30").await;
    type_in(c, ".loan [data-f=interest_paid]", interest).await;
    set(c, ".right [data-f=kind]", right.0).await;
    type_in(c, ".right [data-f=application_number]", right.1).await;
    if right.0 == "trademark" {
        set(c, ".right [data-f=well_known]", "true").await;
    }
    click(c, "#truthful").await;
    click(c, "#submit").await;
    let id = until(
        c,
        "the receipt",
        "return document.getElementById('receipt-id')?.textContent",
    )
    .await;
    id.as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(has_browser),
    ignore = "no Chromium/chromedriver (apt-get install chromium chromium-driver)"
)]
async fn the_office_plays_a_whole_round_in_the_console_as_named_people() {
    let (held, host, admin) = session("console-round", IN_WINDOW).await;
    // The officer's own browser: another chromedriver, another profile (cookies).
    let officer_driver: Driver = driver();
    let officer = browser(&officer_driver).await;
    admin.set_window_size(DESKTOP, 900).await.unwrap();
    officer.set_window_size(DESKTOP, 900).await.unwrap();
    let a = host.addr;

    // ---- The first administrator signs in (the account is created from the variables).
    admin
        .goto(&format!("{}/console/dashboard.html", site(a)))
        .await
        .unwrap();
    until(
        &admin,
        "sent to sign in",
        "return location.pathname === '/console/index.html' \
         && new URLSearchParams(location.search).get('next') === '/console/dashboard.html'",
    )
    .await;
    type_in(&admin, "#signin-username", FIRST_ADMIN).await;
    type_in(&admin, "#signin-password", "a-wrong-password").await;
    click(&admin, "#signin-submit").await;
    until(
        &admin,
        "a wrong password refused",
        "return document.querySelector('#signin-status[data-state=refused] [data-code=sign_in_failed]')",
    )
    .await;
    shot(&admin, "signin").await;
    sign_in(&admin, a, FIRST_ADMIN, FIRST_ADMIN_PASSWORD).await;
    assert_eq!(
        admin
            .execute("return document.documentElement.dataset.role", vec![])
            .await
            .unwrap(),
        json!("admin")
    );

    // ---- Named accounts: two officers and an auditor.
    open(&admin, a, "accounts.html").await;
    for (username, name, role) in PEOPLE {
        type_in(&admin, "#account-create-username", username).await;
        type_in(&admin, "#account-create-display-name", name).await;
        set(&admin, "#account-create-role", role).await;
        type_in(&admin, "#account-create-password", &password(username)).await;
        click(&admin, "#account-create-submit").await;
        done(&admin, "account-create-status").await;
        until(
            &admin,
            &format!("{username} listed"),
            &format!(
                "return document.querySelector('#accounts-table tr[data-username=\"{username}\"][data-role={role}][data-disabled=false]')"
            ),
        )
        .await;
    }
    shot(&admin, "accounts").await;

    // ---- The round, created from its guide on the dashboard.
    open(&admin, a, "dashboard.html").await;
    until(
        &admin,
        "the form to create a round",
        "return !document.getElementById('round-create-section').hidden \
         && document.getElementById('round-create-details').open",
    )
    .await;
    set(&admin, "#round-create-year", "2026").await;
    type_in(
        &admin,
        "#round-create-title",
        "2026年度门头沟区知识产权质押融资贴息申报指南",
    )
    .await;
    type_in(&admin, "#round-create-reference", "门知发〔2026〕1号").await;
    type_in(
        &admin,
        "#round-create-url",
        "https://zscqj.example.gov.cn/guide/2026.html",
    )
    .await;
    type_in(
        &admin,
        "#round-create-approval-reference",
        "区政府第6次常务会议纪要",
    )
    .await;
    set(&admin, "#round-create-approval-date", "2026-03-20").await;
    set(
        &admin,
        "#round-create-materials",
        "贷款合同\n质押登记证明\n利息支付凭证\n还款凭证",
    )
    .await;
    set(&admin, "#round-create-opens", "2026-04-01T09:00").await;
    set(&admin, "#round-create-closes", "2026-04-30T17:00").await;
    set(&admin, "#round-create-from", "2025-01-01").await;
    set(&admin, "#round-create-to", "2025-12-31").await;
    type_in(&admin, "#round-create-budget", "150000.00").await;
    click(&admin, "#round-create-submit").await;
    done(&admin, "round-create-status").await;
    click(&admin, "#round-create-open").await;
    until(
        &admin,
        "the round's dashboard",
        "return document.querySelector('#round-stage[data-stage=open]')",
    )
    .await;
    assert_eq!(text_of(&admin, "#round-budget").await, "¥150,000.00");
    // The window cannot be closed while it runs: the page shows the API's refusal with
    // its rule.
    click(&admin, "#stage-close").await;
    refused(&admin, "stage-status", "rule_proc_late", "PROC-LATE").await;
    shot(&admin, "dashboard-open").await;

    // ---- Three enterprises apply on the public pages: an AI enterprise through the
    // pre-check (120,000), a utility model (50,000), a well-known trademark (90,000).
    // (In the second browser, before anyone signs in there; the public site is reached
    // by address, the console by name.)
    let public = &officer;
    to_the_form_from_the_precheck(public, a).await;
    click(public, "#truthful").await;
    click(public, "#submit").await;
    let e1 = until(
        public,
        "the receipt",
        "return document.getElementById('receipt-id')?.textContent",
    )
    .await
    .as_str()
    .unwrap()
    .to_owned();
    // Its loan contract, uploaded from the status shown under the receipt.
    let contract = held.state.0.join("contract.pdf");
    std::fs::write(
        &contract,
        b"%PDF-1.4\n% loan contract BJ-2025-0001\n%%EOF\n",
    )
    .unwrap();
    until(
        public,
        "the materials checklist",
        "return document.getElementById('upload-loan_contract')",
    )
    .await;
    public
        .find(Locator::Css("#upload-loan_contract"))
        .await
        .unwrap()
        .send_keys(&contract.display().to_string())
        .await
        .expect("a file chosen");
    until(
        public,
        "the contract uploaded",
        "return document.querySelector('tr[data-kind=loan_contract][data-count=\"1\"]')",
    )
    .await;
    let e2 = apply_on_the_public_page(public, a, 2, ("patent", "202320654321.8"), "100000").await;
    let e3 = apply_on_the_public_page(public, a, 3, ("trademark", "12345678"), "150000").await;
    host.stop().await;

    // ---- After the window: the administrator closes it and starts the review.
    let host = restart(&held.state, AFTER_WINDOW).await;
    let a = host.addr;
    sign_in(&admin, a, FIRST_ADMIN, FIRST_ADMIN_PASSWORD).await;
    open(&admin, a, "dashboard.html?year=2026").await;
    until(
        &admin,
        "the round with three applications",
        "return document.getElementById('round-count-total')?.textContent === '3' \
         && !document.getElementById('stage-close').disabled",
    )
    .await;
    click(&admin, "#stage-close").await;
    done(&admin, "stage-status").await;
    until(
        &admin,
        "the window closed",
        "return document.querySelector('#round-stage[data-stage=closed]') \
         && !document.getElementById('stage-review').disabled",
    )
    .await;
    click(&admin, "#stage-review").await;
    done(&admin, "stage-status").await;
    until(
        &admin,
        "the review started, waiting for three reviews",
        "return document.querySelector('#round-stage[data-stage=under_review]') \
         && document.querySelector('#round-blockers li[data-blocker=review]')",
    )
    .await;
    shot(&admin, "dashboard-review").await;
    // No allocation while applications wait for their review: refused, the three named.
    open(&admin, a, "allocation.html?year=2026").await;
    until(
        &admin,
        "the allocation page",
        "return document.querySelector('#alloc-stage[data-stage=under_review]')",
    )
    .await;
    click(&admin, "#alloc-compute").await;
    refused(&admin, "alloc-status", "rule_proc_review", "PROC-REVIEW").await;
    let items = admin
        .execute(
            "return [...document.querySelectorAll('#alloc-status li[data-item]')].map((l) => l.dataset.item)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(items, json!([e1, e2, e3]));

    // ---- The officer 王芳 reviews the three applications: the departments' opinions, the
    // credit report; a credit finding for the third (the enterprise's tax, in 2025).
    sign_in(&officer, a, "wang.fang", &password("wang.fang")).await;
    assert_eq!(text_of(&officer, "#who-name").await, "王芳");
    open(&officer, a, "queue.html?year=2026").await;
    until(
        &officer,
        "the queue",
        "return document.querySelector('#queue-message[data-state=done]') \
         && document.querySelectorAll('#queue-table tr[id^=queue-row-]').length === 3",
    )
    .await;
    shot(&officer, "queue").await;
    for (id, name, finding) in [
        (&e1, "北京京西智算科技有限公司", false),
        (&e2, "北京测试企业02有限公司", false),
        (&e3, "北京测试企业03有限公司", true),
    ] {
        open(&officer, a, "queue.html?year=2026").await;
        until(
            &officer,
            "the queue",
            "return document.querySelector('#queue-message[data-state=done]')",
        )
        .await;
        type_in(&officer, "#queue-search", name).await;
        until(
            &officer,
            &format!("{name} found"),
            &format!(
                "return document.getElementById('queue-count')?.dataset.shown === '1' \
                 && document.getElementById('queue-open-{id}')"
            ),
        )
        .await;
        click(&officer, &format!("#queue-open-{id}")).await;
        until(
            &officer,
            &format!("application {id}"),
            "return document.querySelector('#app-message[data-state=done]') \
             && document.getElementById('review-submit')",
        )
        .await;
        if id == &e1 {
            // The uploaded contract, opened from the page, checked against its SHA-256.
            let doc = officer
                .execute(
                    "return document.querySelector('#app-documents-table tr[id^=doc-][data-kind=loan_contract]')?.id",
                    vec![],
                )
                .await
                .unwrap();
            let doc = doc.as_str().expect("the contract listed").to_owned();
            let page = officer.window().await.unwrap();
            click(&officer, &format!("#{doc}-view")).await;
            until(
                &officer,
                "the contract opened and checked",
                "return document.querySelector('#doc-message[data-state=done] [data-sha256=match]')",
            )
            .await;
            // It opened in a tab of its own, which is closed again.
            let tabs = officer.windows().await.unwrap();
            assert_eq!(tabs.len(), 2, "the document's tab");
            let tab = tabs.into_iter().find(|w| *w != page).unwrap();
            officer.switch_to_window(tab).await.unwrap();
            let url = officer.current_url().await.unwrap();
            assert_eq!(url.scheme(), "blob", "{url}");
            officer.close_window().await.unwrap();
            officer.switch_to_window(page).await.unwrap();
            shot(&officer, "application-documents").await;
        }
        for (n, department) in ["tax", "market_supervision"].iter().enumerate() {
            click(&officer, "#review-opinion-add").await;
            set(
                &officer,
                &format!("#review-opinion-{n}-department"),
                department,
            )
            .await;
            set(
                &officer,
                &format!("#review-opinion-{n}-answered"),
                "2026-05-05",
            )
            .await;
        }
        set(&officer, "#review-credit-source", "credit_china_beijing").await;
        set(&officer, "#review-credit-checked", "2026-05-05").await;
        type_in(
            &officer,
            "#review-credit-reference",
            &format!("XYBJ-2026-{}", &id[9..]),
        )
        .await;
        type_in(&officer, "#review-credit-rating", "A").await;
        if finding {
            set(&officer, "#finding-add-kind", "tax_non_compliance").await;
            set(&officer, "#finding-add-date", "2025-09-01").await;
            click(&officer, "#finding-add-submit").await;
            done(&officer, "finding-add-result").await;
            shot(&officer, "application-finding").await;
        }
        click(&officer, "#review-submit").await;
        done(&officer, "review-outcome").await;
        let outcome = officer
            .execute(
                "const d = document.getElementById('review-outcome-decision').dataset; \
                 return [d.status, d.provisional]",
                vec![],
            )
            .await
            .unwrap();
        let status = if finding { "refused" } else { "eligible" };
        assert_eq!(outcome, json!([status, "false"]), "{id}");
        if finding {
            let rules = officer
                .execute(
                    "return [...document.querySelectorAll('#review-outcome a.rule')].map((a) => a.dataset.rule)",
                    vec![],
                )
                .await
                .unwrap();
            assert!(rules.to_string().contains("PROC-CREDIT"), "{rules}");
        }
    }
    open(&officer, a, &format!("application.html#id={e1}")).await;
    until(
        &officer,
        "the reviewed application",
        "return document.querySelector('#app-message[data-state=done]') \
         && document.querySelector('#app-status[data-status=eligible]')",
    )
    .await;
    shot(&officer, "application").await;

    // ---- The administrator computes the allocation: 170,000 asked of 150,000, scaled.
    open(&admin, a, "allocation.html?year=2026").await;
    until(
        &admin,
        "the allocation page",
        "return document.querySelector('#alloc-stage[data-stage=under_review]') \
         && !document.getElementById('alloc-compute').disabled",
    )
    .await;
    click(&admin, "#alloc-compute").await;
    done(&admin, "alloc-status").await;
    until(
        &admin,
        "version 1, scaled",
        "return document.querySelector('#alloc-version[data-version=\"1\"]') \
         && document.querySelector('#alloc-scaled[data-scaled=true]')",
    )
    .await;
    assert_eq!(text_of(&admin, "#alloc-requested").await, "¥170,000.00");
    assert_eq!(text_of(&admin, "#alloc-granted").await, "¥149,999.99");
    assert_eq!(text_of(&admin, "#alloc-unallocated").await, "¥0.01");
    let lines = admin
        .execute(
            "return [...document.querySelectorAll('#alloc-lines-table tr[data-id]')].map((r) => r.dataset.id)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        lines,
        json!([e1, e2]),
        "the refused application has no line"
    );
    shot(&admin, "allocation-computed").await;

    // ---- The officer 李强 publishes the proposed list (王芳 signs out first).
    click(&officer, "#sign-out").await;
    until(
        &officer,
        "signed out",
        "return location.pathname === '/console/index.html' && !document.getElementById('signin-current')",
    )
    .await;
    sign_in(&officer, a, "li.qiang", &password("li.qiang")).await;
    open(&officer, a, "allocation.html?year=2026").await;
    until(
        &officer,
        "the list to publish",
        "return document.querySelector('#alloc-version[data-version=\"1\"]') \
         && !document.getElementById('alloc-publish').disabled",
    )
    .await;
    // An officer sees no administrator's controls.
    let hidden = officer
        .execute(
            "return ['alloc-compute', 'approval-submit', 'payment-submit'].map((id) => { \
               const e = document.getElementById(id); return !e || e.disabled || !e.getClientRects().length; })",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(hidden, json!([true, true, true]));
    let read_only = officer
        .execute(
            "return [...document.querySelectorAll('#approval-form :is(input, select)')].every((c) => c.disabled)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        read_only,
        json!(true),
        "the approval is the administrator's"
    );
    click(&officer, "#alloc-publish").await;
    done(&officer, "alloc-publish-status").await;
    let period = text_of(&officer, "#alloc-publish-period").await;
    assert!(
        period.contains("2026-05-06") && period.contains("2026-05-11") && period.contains('5'),
        "{period}"
    );
    let notice = until(
        &officer,
        "the published notice",
        "return document.querySelector('#alloc-notice[data-notice]')?.dataset.notice",
    )
    .await
    .as_str()
    .unwrap()
    .to_owned();
    shot(&officer, "allocation-published").await;

    // ---- Someone objects to the first enterprise's entry on the public notices page.
    officer
        .goto(&format!("http://{a}/notices.html"))
        .await
        .unwrap();
    until(
        &officer,
        "the notice",
        "return document.querySelector('article.notice table')",
    )
    .await;
    let entry = officer
        .execute(
            "const row = [...document.querySelectorAll('article.notice tr')] \
               .find((r) => r.textContent.includes('北京京西智算科技有限公司')); \
             return row.querySelector('button.object').dataset.entry",
            vec![],
        )
        .await
        .unwrap();
    let entry = entry.as_str().unwrap().to_owned();
    click(&officer, &format!("button.object[data-entry='{entry}']")).await;
    type_in(&officer, "form.objection input[name=name]", "张三").await;
    type_in(
        &officer,
        "form.objection input[name=contact]",
        "zhangsan@example.com",
    )
    .await;
    type_in(
        &officer,
        "form.objection input[name=relation]",
        "同行业企业员工",
    )
    .await;
    type_in(
        &officer,
        "form.objection textarea[name=grounds]",
        "该企业一笔利息支付凭证的日期不在贴息所属期间内，应予核减。",
    )
    .await;
    click(&officer, "form.objection button[type=submit]").await;
    let tracking = until(
        &officer,
        "the tracking number",
        "return document.querySelector('.tracking-number')?.textContent",
    )
    .await
    .as_str()
    .unwrap()
    .to_owned();

    // ---- 李强 re-reviews it in the console: partly upheld, 100,000; the page says what it
    // changes on the list before saving.
    open(&officer, a, &format!("objections.html#notice={notice}")).await;
    until(
        &officer,
        "the objections of the notice",
        &format!(
            "return document.querySelector('#objection-message[data-state=done]') \
             && document.querySelector('#objection-row-{tracking}[data-status=received]')"
        ),
    )
    .await;
    click(&officer, &format!("#objection-open-{tracking}")).await;
    until(
        &officer,
        "the conclusion form",
        "return document.querySelector('#objection-detail[data-status=received] #conclusion-form')",
    )
    .await;
    set(&officer, "#conclusion-outcome", "partly_upheld").await;
    type_in(&officer, "#conclusion-new-amount", "100000.00").await;
    let preview = until(
        &officer,
        "what the conclusion changes",
        "const p = document.getElementById('conclusion-preview')?.dataset; \
         return p && p.change === 'lowered' && [p.current, p.new, p.totalAfter]",
    )
    .await;
    assert_eq!(preview, json!(["105882.35", "100000.00", "144117.64"]));
    type_in(
        &officer,
        "#conclusion-reason",
        "经重审，一笔利息支付不属于贴息所属期间，核减为100,000.00元。",
    )
    .await;
    type_in(
        &officer,
        "#conclusion-reason-en",
        "Re-reviewed: one interest payment falls outside the covered period; 100,000.00.",
    )
    .await;
    shot(&officer, "objections").await;
    click(&officer, "#conclusion-submit").await;
    done(&officer, "conclusion-result").await;
    until(
        &officer,
        "the objection concluded",
        "return document.querySelector('#conclusion-answer[data-status=partly_upheld]')",
    )
    .await;
    host.stop().await;

    // ---- After the notice: the government's approval, one line reduced; the payments.
    let host = restart(&held.state, AFTER_NOTICE).await;
    let a = host.addr;
    sign_in(&admin, a, FIRST_ADMIN, FIRST_ADMIN_PASSWORD).await;
    open(&admin, a, "allocation.html?year=2026").await;
    until(
        &admin,
        "the approval form",
        &format!(
            "return document.getElementById('approval-line-{e2}-decision') \
             && !document.getElementById('approval-submit').disabled"
        ),
    )
    .await;
    let listed = admin
        .execute(
            "return [...document.querySelectorAll('#approval-table tr[data-id]')].map((r) => [r.dataset.id, r.dataset.listed])",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        listed,
        json!([[e1, "100000.00"], [e2, "44117.64"]]),
        "the list as the re-review left it"
    );
    // The re-review made version 2 of the list: the two versions compared.
    set(&admin, "#alloc-version-a", "1").await;
    set(&admin, "#alloc-version-b", "2").await;
    click(&admin, "#alloc-diff").await;
    done(&admin, "alloc-diff-result").await;
    let changed = admin
        .execute(
            "return [...document.querySelectorAll('#alloc-diff-table tr[data-id]')] \
               .map((r) => [r.dataset.id, r.dataset.change])",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(changed, json!([[e1, "changed"]]));
    type_in(&admin, "#approval-reference", "区政府第12次常务会议纪要").await;
    set(&admin, "#approval-date", "2026-05-12").await;
    set(&admin, &format!("#approval-line-{e1}-decision"), "approved").await;
    set(&admin, &format!("#approval-line-{e2}-decision"), "reduced").await;
    type_in(&admin, &format!("#approval-line-{e2}-amount"), "40000.00").await;
    type_in(
        &admin,
        &format!("#approval-line-{e2}-note"),
        "按会议意见核减",
    )
    .await;
    click(&admin, "#approval-submit").await;
    done(&admin, "approval-status").await;
    until(
        &admin,
        "the approval recorded",
        &format!(
            "return document.getElementById('approval-recorded') \
             && document.querySelector('#payment-line-{e2}-include')"
        ),
    )
    .await;
    set(&admin, "#payment-date", "2026-05-18").await;
    type_in(&admin, "#payment-reference", "BOB-20260518-PL01").await;
    type_in(
        &admin,
        &format!("#payment-line-{e1}-reference"),
        "BOB-20260518-0001",
    )
    .await;
    click(&admin, "#payment-submit").await;
    done(&admin, "payment-status").await;
    until(
        &admin,
        "both lines paid",
        "return document.querySelectorAll('#payment-table tr[data-paid=true]').length === 2",
    )
    .await;
    shot(&admin, "allocation-paid").await;

    // ---- Fraud found at the second enterprise: the subsidy paid is to be recovered; a
    // first part comes back.
    let code2 = e2e::fixtures::credit_code(2);
    open(&admin, a, &format!("enterprise.html#code={code2}")).await;
    until(
        &admin,
        "the enterprise",
        "return document.querySelector('#enterprise-message[data-state=done]') \
         && document.getElementById('fraud-submit')",
    )
    .await;
    set(&admin, "#fraud-kind", "false_documents").await;
    set(&admin, "#fraud-date", "2026-05-19").await;
    type_in(&admin, "#fraud-reference", "门知罚〔2026〕2号").await;
    set(&admin, "#fraud-confirm", "true").await;
    click(&admin, "#fraud-submit").await;
    done(&admin, "fraud-result").await;
    let to_recover = until(
        &admin,
        "the amount to recover",
        "return document.getElementById('fraud-answer')?.dataset.toRecover",
    )
    .await;
    assert_eq!(to_recover, json!("40000.00"));
    until(
        &admin,
        "the recovery form",
        "return document.getElementById('recovery-claim')?.value",
    )
    .await;
    set(&admin, "#recovery-date", "2026-05-20").await;
    type_in(&admin, "#recovery-amount", "10000.00").await;
    type_in(&admin, "#recovery-reference", "BOB-20260520-R001").await;
    click(&admin, "#recovery-submit").await;
    done(&admin, "recovery-result").await;
    until(
        &admin,
        "30,000 outstanding",
        "return document.querySelector('#recovery-outstanding[data-amount=\"30000.00\"]') \
         && document.querySelector('#enterprise-summary-outstanding[data-amount=\"30000.00\"]')",
    )
    .await;
    shot(&admin, "enterprise").await;

    // ---- 王芳 publishes the payments notice and exports the paid list.
    sign_in(&officer, a, "wang.fang", &password("wang.fang")).await;
    open(&officer, a, "allocation.html?year=2026").await;
    until(
        &officer,
        "the payments notice button",
        "return document.getElementById('payments-notice') && !document.getElementById('payments-notice').disabled",
    )
    .await;
    click(&officer, "#payments-notice").await;
    done(&officer, "payments-notice-status").await;
    until(
        &officer,
        "the payments notice shown as published",
        "return document.querySelector('#payments-notice-current [data-notice]')",
    )
    .await;
    set(&officer, "#export-list", "paid").await;
    click(&officer, "#export-csv").await;
    done(&officer, "export-status").await;
    let file = officer
        .execute(
            "return document.getElementById('export-status').dataset.file",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(file, json!("2026-paid.csv"));
    let csv = in_page(
        &officer,
        "const done = arguments[0]; \
         fetch(document.getElementById('export-csv').href) \
           .then(async (r) => done([r.status, r.headers.get('content-type'), await r.text()]));",
    )
    .await;
    assert_eq!(csv[0], 200, "{csv}");
    assert_eq!(csv[1], "text/csv; charset=utf-8");
    let csv = csv[2].as_str().unwrap();
    assert_eq!(csv.lines().count(), 3, "a header and two payments: {csv}");
    for part in [
        "MTG-2026-00001,91110109MA01C3KP2P,北京京西智算科技有限公司,发明专利,120000.00,100000.00,壹拾万元整,paid,2026-05-18,BOB-20260518-0001",
        "北京测试企业02有限公司,实用新型专利,50000.00,40000.00,肆万元整,paid,2026-05-18,BOB-20260518-PL01",
    ] {
        assert!(csv.contains(part), "{part} in {csv}");
    }
    shot(&officer, "allocation-exported").await;

    // ---- The session's protections: a write without the CSRF token is refused.
    let refused = in_page(
        &officer,
        "const done = arguments[0]; \
         fetch('/api/session/tokens', {method: 'POST', headers: {'content-type': 'application/json'}, \
                                       body: JSON.stringify({label: 'no token'})}) \
           .then(async (r) => done([r.status, (await r.json()).error.code]));",
    )
    .await;
    assert_eq!(refused, json!([403, "csrf_missing"]));

    // ---- The administrator disables 王芳: her next action sends her to sign in.
    open(&officer, a, "accounts.html").await;
    open(&admin, a, "accounts.html").await;
    until(
        &admin,
        "王芳's row",
        "return document.getElementById('account-wang.fang-disable')",
    )
    .await;
    click(&admin, "#account-wang\\.fang-disable").await;
    done(&admin, "account-action-status").await;
    until(
        &admin,
        "王芳 disabled",
        "return document.querySelector('#accounts-table tr[data-username=\"wang.fang\"][data-disabled=true]')",
    )
    .await;
    type_in(&officer, "#token-label", "夜间导出").await;
    click(&officer, "#token-create").await;
    until(
        &officer,
        "back to sign in",
        "return location.pathname === '/console/index.html' \
         && new URLSearchParams(location.search).get('next') === '/console/accounts.html'",
    )
    .await;
    // Nothing was made, and she cannot sign in again.
    type_in(&officer, "#signin-username", "wang.fang").await;
    type_in(&officer, "#signin-password", &password("wang.fang")).await;
    click(&officer, "#signin-submit").await;
    until(
        &officer,
        "a disabled account refused",
        "return document.querySelector('#signin-status[data-state=refused] [data-code=sign_in_failed]')",
    )
    .await;

    // ---- The auditor reads the audit log in the console: 李强's steps, by name.
    sign_in(&officer, a, "zhao.min", &password("zhao.min")).await;
    open(&officer, a, "accounts.html").await;
    until(
        &officer,
        "the audit log",
        "return document.querySelector('#audit-status[data-state=done]')",
    )
    .await;
    type_in(&officer, "#audit-actor", "account:li.qiang").await;
    click(&officer, "#audit-search").await;
    until(
        &officer,
        "李强's entries",
        "return document.querySelector('#audit-status[data-state=done]') \
         && document.querySelectorAll('#audit-rows tr').length === 3 \
         && [...document.querySelectorAll('#audit-rows tr')].every((r) => r.dataset.actor === 'account:li.qiang')",
    )
    .await;
    assert!(text_of(&officer, "#audit-rows").await.contains("李强"));
    // The auditor reads the accounts but changes none.
    let auditor_sees = officer
        .execute(
            "return [!document.getElementById('accounts-section').hidden, \
                     !document.getElementById('account-create-form').hidden, \
                     document.querySelectorAll('#accounts-table button').length]",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(auditor_sees, json!([true, false, 0]));
    shot(&officer, "audit").await;
    open(&admin, a, "dashboard.html?year=2026").await;
    until(
        &admin,
        "the round complete",
        "return document.querySelector('#round-stage[data-stage=paid]') \
         && document.getElementById('money-recovered')?.textContent.includes('¥10,000.00') \
         && document.querySelector('#deadline-payments a') \
         && document.querySelector('#round-blockers[data-empty=true]')",
    )
    .await;
    assert!(text_of(&admin, "#round-next").await.contains("本轮已完成"));
    assert_eq!(
        text_of(&admin, "#money-paid").await.split(' ').next(),
        Some("¥140,000.00")
    );
    shot(&admin, "dashboard-paid").await;
    click(&admin, "#lang-toggle").await;
    shot(&admin, "dashboard-paid-en").await;
    click(&admin, "#lang-toggle").await;

    // ---- The audit log names the person for each step of the round.
    let audit = e2e::app::call(a, "GET", "/api/audit?limit=500", Some(ADMIN), &Value::Null).await;
    assert_eq!(audit.status, 200, "{}", audit.text());
    let entries = audit.json()["entries"].as_array().unwrap().clone();
    let by = |action: &str, subject: &str| -> Vec<(String, String)> {
        entries
            .iter()
            .filter(|e| e["action"] == action && e["subject"] == subject)
            .map(|e| {
                (
                    e["actor"].as_str().unwrap_or("").to_owned(),
                    e["actor_name"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    let admin_ = ("account:admin".to_owned(), "admin".to_owned());
    let wang = ("account:wang.fang".to_owned(), "王芳".to_owned());
    let li = ("account:li.qiang".to_owned(), "李强".to_owned());
    let code2 = e2e::fixtures::credit_code(2);
    for (action, subject, who, times) in [
        ("account.create", "account:wang.fang", &admin_, 1),
        ("account.create", "account:li.qiang", &admin_, 1),
        ("account.create", "account:zhao.min", &admin_, 1),
        ("round.create", "round:2026", &admin_, 1),
        ("round.stage", "round:2026", &admin_, 2),
        ("application.review", e1.as_str(), &wang, 1),
        ("application.review", e2.as_str(), &wang, 1),
        ("application.review", e3.as_str(), &wang, 1),
        ("credit_finding.add", "credit_finding:1", &wang, 1),
        ("allocation.compute", "round:2026", &admin_, 1),
        ("publish_notice", notice.as_str(), &li, 1),
        ("conclude_objection", tracking.as_str(), &li, 1),
        ("round.approve", "round:2026", &admin_, 1),
        ("payment.record", e1.as_str(), &admin_, 1),
        ("payment.record", e2.as_str(), &admin_, 1),
        ("fraud.record", code2.as_str(), &admin_, 1),
        ("recovery.record", code2.as_str(), &admin_, 1),
        ("account.change", "account:wang.fang", &admin_, 1),
    ] {
        assert_eq!(
            by(action, subject),
            vec![who.clone(); times],
            "{action} {subject} in {audit:?}",
            audit = entries
        );
    }
    let payments_notice: Vec<&Value> = entries
        .iter()
        .filter(|e| e["action"] == "publish_notice" && e["subject"] != notice.as_str())
        .collect();
    assert_eq!(payments_notice.len(), 1, "{entries:?}");
    assert_eq!(payments_notice[0]["actor"], "account:wang.fang");
    assert_eq!(payments_notice[0]["detail"]["kind"], "payments");
    // Nobody acted under a shared token: every office step names a person.
    for e in &entries {
        let actor = e["actor"].as_str().unwrap();
        assert!(
            actor.starts_with("account:") || actor == "enterprise" || actor == "public",
            "{e}"
        );
    }

    admin.close().await.unwrap();
    officer.close().await.unwrap();
    host.stop().await;
}
