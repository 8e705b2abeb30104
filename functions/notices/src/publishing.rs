//! Publishing (PROC-NOTICE, DISCLOSE): a round's proposed list for its notice period, and
//! the payments not yet disclosed; each stored once, never edited.

use chrono::{DateTime, FixedOffset};
use publish::{Contact, Notice, NoticeEntry, NoticeKind};
use rules::Parameters;
use rules::calendar::Calendar;
use rules::procedure::{Stage, StageContext};
use serde::Deserialize;
use serde_json::json;
use service::body::{JSON_LIMIT, read_json};
use service::db::Db;
use service::{ApiError, Reply, clock, json};
use spin_sdk::http::{HeaderValue, Request};

use crate::COMPONENT;
use crate::reading::{base_url, detail};
use service::code::Code;

/// Officers and administrators may publish; answers who, for the audit trail.
pub(crate) async fn staff(req: &Request) -> Result<String, ApiError> {
    service::auth::require(req, service::auth::Role::Officer).await
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PublishKind {
    ProposedList,
    Payments,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublishRequest {
    kind: PublishKind,
    round_year: i32,
}

pub(crate) async fn publish(req: Request) -> Result<Reply, ApiError> {
    let actor = staff(&req).await?;
    let base = base_url(&req).await?;
    let body: PublishRequest = read_json(req, JSON_LIMIT).await?;
    if !(2000..=2100).contains(&body.round_year) {
        return Err(ApiError::invalid(
            "round_year",
            "申报年度须在 2000 至 2100 之间。",
            "The round year must be between 2000 and 2100.",
        ));
    }
    let now = clock::now().await;
    let db = Db::open().await?;
    let notice = db
        .transaction(|| async {
            match body.kind {
                PublishKind::ProposedList => proposed_list(&db, body.round_year, now, &actor).await,
                PublishKind::Payments => payments(&db, body.round_year, now, &actor).await,
            }
        })
        .await?;
    let mut r = json(201, &detail(&notice, now, &base));
    if let Ok(v) = HeaderValue::from_str(&format!("/api/notices/{}", notice.id)) {
        r.headers_mut().insert("location", v);
    }
    Ok(r)
}

/// PROC-NOTICE: publishes the round's proposed list (the newest version of its list) and
/// moves the round to `in_notice`.
pub(crate) async fn proposed_list(
    db: &Db,
    year: i32,
    now: DateTime<FixedOffset>,
    actor: &str,
) -> Result<Notice, ApiError> {
    let stage = round::stage::current(db, year).await?;
    if stage >= Stage::InNotice {
        return Err(ApiError::conflict(
            format!("{year}年度拟补助名单已公示（当前阶段：{}）。", stage.zh()),
            format!(
                "The {year} proposed list is already published (stage: {}).",
                stage.en()
            ),
        )
        .field("round_year"));
    }
    let Some(version) = store::allocations::latest(db.store(), year).await? else {
        return Err(ApiError::conflict(
            format!("{year}年度尚未形成拟补助名单。"),
            format!("The {year} round has no proposed list yet."),
        )
        .field("round_year"));
    };
    let version = version.number;
    let mut entries = Vec::new();
    let mut private = Vec::new();
    // The list's own 序号, so the notice, the exports and the objections agree.
    for line in store::allocations::lines(db.store(), year, version).await? {
        if line.granted.is_zero() {
            continue;
        }
        entries.push(NoticeEntry {
            number: line.number,
            enterprise_name: line.enterprise_name,
            rights_zh: line.rights_zh,
            rights_en: line.rights_en,
            amount: line.granted,
        });
        private.push((line.number, line.application_id, line.uscc));
    }
    if entries.is_empty() {
        return Err(ApiError::conflict(
            format!("{year}年度拟补助名单为空，无可公示内容。"),
            format!("The {year} proposed list is empty: nothing to publish."),
        )
        .field("round_year"));
    }
    let period =
        rules::procedure::notice_period(&Calendar::official(), &Parameters::default(), now)
            .map_err(|e| {
                ApiError::new(
                    409,
                    Code::CalendarUnavailable,
                    format!("无法计算公示期（PROC-NOTICE）：{}", e.zh),
                    format!(
                        "The notice period cannot be computed (PROC-NOTICE): {}",
                        e.en
                    ),
                )
            })?;
    let notice = Notice {
        id: format!("{year}-proposed"),
        round_year: year,
        kind: NoticeKind::ProposedList,
        title_zh: format!("{year}年度门头沟区知识产权质押融资贷款贴息拟补助名单公示"),
        title_en: format!(
            "{year} Mentougou IP pledge loan interest subsidy: proposed list on public notice"
        ),
        published_at: now,
        period: Some(period.clone()),
        entries,
        updates: Vec::new(),
        contact: contact().await,
    };
    store(
        db,
        &notice,
        Some(version),
        Some(clock::format(period.ends_at)),
        actor,
    )
    .await?;
    for (number, application_id, uscc) in private {
        let entry = store::notices::PrivateEntry {
            number,
            application_id,
            uscc,
            payment_id: None,
        };
        store::notices::add_entry(db.store(), &notice.id, &entry).await?;
    }
    let at = clock::format(now);
    let ctx = StageContext {
        now: Some(now),
        ..StageContext::default()
    };
    round::stage::advance(db, year, Stage::InNotice, &ctx, &at).await?;
    Ok(notice)
}

/// DISCLOSE: publishes the round's payments not disclosed yet.
pub(crate) async fn payments(
    db: &Db,
    year: i32,
    now: DateTime<FixedOffset>,
    actor: &str,
) -> Result<Notice, ApiError> {
    round::stage::current(db, year).await?;
    let payments = store::notices::undisclosed_payments(db.store(), year).await?;
    if payments.is_empty() {
        return Err(ApiError::conflict(
            format!("{year}年度没有尚未公开的拨付记录（DISCLOSE）。"),
            format!("The {year} round has no payment left to disclose (DISCLOSE)."),
        )
        .field("round_year"));
    }
    let count = store::notices::count_of_kind(db.store(), year, NoticeKind::Payments).await?;
    let mut entries = Vec::new();
    let mut private = Vec::new();
    for (p, number) in payments.into_iter().zip(1u32..) {
        entries.push(NoticeEntry {
            number,
            enterprise_name: p.enterprise_name,
            rights_zh: p.rights_zh,
            rights_en: p.rights_en,
            amount: p.amount,
        });
        private.push(store::notices::PrivateEntry {
            number,
            application_id: p.application_id,
            uscc: p.uscc,
            payment_id: Some(p.payment_id),
        });
    }
    let seq = count + 1;
    let notice = Notice {
        id: format!("{year}-payments-{seq}"),
        round_year: year,
        kind: NoticeKind::Payments,
        title_zh: format!("{year}年度门头沟区知识产权质押融资贷款贴息资金拨付情况（第{seq}批）"),
        title_en: format!(
            "{year} Mentougou IP pledge loan interest subsidy: payments made (batch {seq})"
        ),
        published_at: now,
        period: None,
        entries,
        updates: Vec::new(),
        contact: contact().await,
    };
    store(db, &notice, None, None, actor).await?;
    for entry in &private {
        store::notices::add_entry(db.store(), &notice.id, entry).await?;
    }
    Ok(notice)
}

pub(crate) async fn store(
    db: &Db,
    n: &Notice,
    version: Option<i64>,
    ends_at: Option<String>,
    actor: &str,
) -> Result<(), ApiError> {
    store::notices::add(db.store(), n, version, ends_at.as_deref(), actor).await?;
    let kind = store::notices::kind_name(n.kind);
    // The rule the notice fulfils (PROC-NOTICE, DISCLOSE) is the entry's rule, as for
    // every other write: an auditor filtering by rule finds it.
    let detail = json!({ "kind": kind, "round_year": n.round_year, "entries": n.entries.len(),
                         "rule": n.kind.rule().code() })
    .to_string();
    db.audit_entry(&store::audit::Entry {
        actor,
        component: COMPONENT,
        action: "publish_notice",
        subject: Some(&n.id),
        rules: &[n.kind.rule()],
        detail_json: &detail,
    })
    .await
}

/// The office as the notice names it, with the phone, email and address the deployment
/// set (`office_phone`, `office_email`, `office_address_zh`, `office_address_en`; empty:
/// left out of the notice, never made up).
async fn contact() -> Contact {
    let var = |name: &'static str| async move {
        service::variable::get(name)
            .await
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    Contact {
        phone: var("office_phone").await,
        email: var("office_email").await,
        address_zh: var("office_address_zh").await,
        address_en: var("office_address_en").await,
        ..Contact::default()
    }
}
