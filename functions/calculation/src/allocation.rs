//! The round's list: computed from the reviewed applications (CAP-YEAR, CAP-TIMES,
//! BUDGET), versioned; approved by the district government after the notice
//! (PROC-APPROVE); paid (DISCLOSE); exported for officers as CSV and XLSX.

use crate::COMPONENT;
use publish::{Cell, Table};
use rules::allocation::{AllocationRequest, ApprovedApplication};
use rules::model::{Application, PledgedRight};
use rules::procedure::{Stage, StageContext};
use rules::{Decision, Money, Parameters};
use serde::Deserialize;
use service::auth::Role;
use service::body::{JSON_LIMIT, read_rules_json};
use service::db::Db;
use service::list::{self, stage_name};
use service::{ApiError, Reply, json, to_json};
use spin_sdk::http::Request;
use std::collections::BTreeMap;
use store::applications::Status;
use store::payments::ListKind;

/// The kinds of pledged rights that count on a loan that qualifies, for the notice
/// (e.g. `发明专利、驰名商标`).
fn rights_kinds(app: &Application, decision: &Decision) -> (String, String) {
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    for loan in &app.loans {
        let eligible = decision
            .loans
            .iter()
            .any(|l| l.contract_number == loan.contract_number && l.eligible);
        if !eligible {
            continue;
        }
        for right in &loan.pledged_rights {
            let (z, e) = match right {
                PledgedRight::Patent { patent_type, .. } => {
                    (patent_type.zh().to_owned(), patent_type.en().to_owned())
                }
                PledgedRight::Trademark {
                    well_known: true, ..
                } => ("驰名商标".to_owned(), "well-known trademark".to_owned()),
                PledgedRight::Trademark { .. } => ("商标".to_owned(), "trademark".to_owned()),
                _ => continue,
            };
            if !zh.contains(&z) {
                zh.push(z);
                en.push(e);
            }
        }
    }
    (zh.join("、"), en.join(", "))
}

struct Candidate {
    id: String,
    uscc: String,
    name: String,
    submitted_at: String,
    payload: Application,
    decision: Decision,
}

/// Computes (or recomputes) the proposed list. The same data gives the same list: no
/// new version when nothing changed.
pub async fn compute(req: Request, year: i64) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Admin).await?;
    let db = Db::open().await?;
    let stage = list::stage(&db, year).await?;
    if !matches!(stage, Stage::UnderReview | Stage::Allocated) {
        return Err(ApiError::new(
            409,
            "rule_budget",
            format!(
                "只有评审阶段或已分配的年度可以计算拟补助名单（当前：{}）。",
                stage.zh()
            ),
            format!(
                "The list is computed during review or after allocation (now: {}).",
                stage.en()
            ),
        ));
    }
    let round = store::rounds::find(
        db.store(),
        i32::try_from(year).map_err(|_| list::no_round(year))?,
    )
    .await?
    .ok_or_else(|| list::no_round(year))?
    .round;
    let mut candidates = Vec::new();
    let y = i32::try_from(year).map_err(|_| list::no_round(year))?;
    for a in store::applications::reviewed_in_round(db.store(), y).await? {
        if !a.decision.is_eligible() {
            continue;
        }
        candidates.push(Candidate {
            id: a.id,
            uscc: a.uscc,
            name: a.enterprise_name,
            submitted_at: a.submitted_at_text,
            payload: a.payload,
            decision: a.decision,
        });
    }
    let mut history = BTreeMap::new();
    for c in &candidates {
        if !history.contains_key(&c.uscc) {
            let records = list::subsidy_history(&db, &c.uscc).await?;
            history.insert(c.uscc.clone(), records);
        }
    }
    let request = AllocationRequest {
        year: year as i32,
        budget: round.budget,
        applications: candidates
            .iter()
            .map(|c| {
                Ok(ApprovedApplication {
                    id: c.id.clone(),
                    enterprise: c.uscc.clone(),
                    submitted_at: chrono::DateTime::parse_from_rfc3339(&c.submitted_at)
                        .map_err(|e| ApiError::internal(&e.to_string()))?,
                    ceiling_amount: c.decision.amount,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        history,
    };
    let input_hash = service::token::sha256_hex(to_json(&request)?.as_bytes());
    let allocation =
        rules::allocate(&request, &Parameters::default()).map_err(service::error::input_error)?;
    let now = service::clock::now().await;
    let at = service::clock::format(now);
    let y = i32::try_from(year).map_err(|_| list::no_round(year))?;

    let (version, created) = db
        .transaction(|| async {
            let previous = store::allocations::latest(db.store(), y).await?;
            if let Some(p) = &previous {
                if p.input_hash == input_hash {
                    return Ok((p.number, false));
                }
                if stage != Stage::Allocated && stage != Stage::UnderReview {
                    return Err(ApiError::conflict(
                        "名单已公示，不能重算。",
                        "The list is published; it cannot be recomputed.",
                    ));
                }
            }
            let v = previous.map_or(1, |p| p.number + 1);
            let version = store::allocations::Version {
                number: v,
                input_hash: input_hash.clone(),
                allocation: allocation.clone(),
            };
            store::allocations::add_version(
                db.store(),
                y,
                &version,
                store::allocations::Reason::Allocation,
                &at,
            )
            .await?;
            let mut number = 0;
            for line in &allocation.lines {
                let Some(c) = candidates.iter().find(|c| c.id == line.id) else {
                    continue;
                };
                let status = if line.granted.is_zero() {
                    Status::Refused
                } else {
                    Status::Proposed
                };
                store::applications::set_status(db.store(), &line.id, status, &at).await?;
                if line.granted.is_zero() {
                    continue;
                }
                number += 1;
                let (rights_zh, rights_en) = rights_kinds(&c.payload, &c.decision);
                let stored = store::allocations::Line {
                    application_id: line.id.clone(),
                    number,
                    uscc: c.uscc.clone(),
                    enterprise_name: c.name.clone(),
                    rights_zh,
                    rights_en,
                    ceiling: line.ceiling_amount,
                    granted: line.granted,
                };
                store::allocations::add_line(db.store(), y, v, &stored).await?;
            }
            if stage == Stage::UnderReview {
                list::advance_stage(&db, year, Stage::Allocated, &StageContext::default(), &at)
                    .await?;
            }
            let detail = format!(
                "{{\"version\":{v},\"granted\":\"{}\",\"budget\":\"{}\"}}",
                allocation.granted_total, allocation.budget
            );
            db.audit_entry(&store::audit::Entry {
                actor: &actor,
                component: COMPONENT,
                action: "allocation.compute",
                subject: Some(&format!("round:{year}")),
                rules: &[
                    rules::RuleId::CapYear,
                    rules::RuleId::CapTimes,
                    rules::RuleId::Budget,
                ],
                detail_json: &detail,
            })
            .await?;
            Ok((v, true))
        })
        .await?;
    let (_, stored) = list::latest(&db, year)
        .await?
        .ok_or_else(|| ApiError::internal("list vanished"))?;
    Ok(json(
        if created { 201 } else { 200 },
        &serde_json::json!({ "round_year": year, "version": version, "allocation": stored }),
    ))
}

/// The list (officers), newest version or `?version=N`.
pub async fn read(req: Request, year: i64) -> Result<Reply, ApiError> {
    service::auth::require(&req, Role::Officer).await?;
    let db = Db::open().await?;
    let version = query_param(&req, "version")
        .map(|v| {
            v.parse::<i64>().map_err(|_| {
                ApiError::invalid(
                    "version",
                    "版本须为正整数。",
                    "The version must be a positive integer.",
                )
            })
        })
        .transpose()?;
    let (version, allocation) = match version {
        None => list::latest(&db, year).await?.ok_or_else(no_list)?,
        Some(v) => {
            let y = i32::try_from(year).map_err(|_| list::no_round(year))?;
            let found = store::allocations::by_number(db.store(), y, v)
                .await?
                .ok_or_else(no_list)?;
            (v, found.allocation)
        }
    };
    Ok(json(
        200,
        &serde_json::json!({ "round_year": year, "version": version, "allocation": allocation }),
    ))
}

fn no_list() -> ApiError {
    ApiError::new(
        404,
        "list_not_found",
        "该年度尚无拟补助名单。",
        "The round has no list yet.",
    )
}

fn query_param<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.uri()
        .query()?
        .split('&')
        .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Approval {
    approved_on: chrono::NaiveDate,
    reference: String,
}

/// PROC-APPROVE: the district government's approval, only after the notice period.
pub async fn approve(req: Request, year: i64) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Admin).await?;
    let body: Approval = read_rules_json(req, JSON_LIMIT).await?;
    if body.reference.trim().is_empty() || body.reference.chars().count() > 100 {
        return Err(ApiError::invalid(
            "reference",
            "须填写区政府会议纪要或批复文号（不超过100字）。",
            "The government decision's reference is required (at most 100 characters).",
        ));
    }
    service::error::prose("reference", &body.reference, 1, 100, false)?;
    let db = Db::open().await?;
    let now = service::clock::now().await;
    let published = store::notices::proposed_list_published_at(
        db.store(),
        i32::try_from(year).map_err(|_| list::no_round(year))?,
    )
    .await?;
    let notice = match published {
        Some(at) => Some(
            rules::procedure::notice_period(
                &rules::Calendar::official(),
                &Parameters::default(),
                at,
            )
            .map_err(|e| ApiError::internal(&e.en))?,
        ),
        None => None,
    };
    if body.approved_on > now.date_naive() {
        return Err(ApiError::invalid(
            "approved_on",
            "审议日期不能晚于今天。",
            "The approval cannot be dated in the future.",
        ));
    }
    if let Some(n) = &notice
        && body.approved_on <= n.last_day
    {
        return Err(ApiError::new(
            409,
            "rule_proc_approve",
            format!(
                "审议日期须在公示期（至 {}）结束之后（PROC-APPROVE）。",
                n.last_day
            ),
            format!(
                "The approval must come after the notice period (ends {}) (PROC-APPROVE).",
                n.last_day
            ),
        )
        .field("approved_on"));
    }
    let ctx = StageContext {
        now: Some(now),
        window_closes_at: None,
        notice,
    };
    let at = service::clock::format(now);
    db.transaction(|| async {
        list::advance_stage(&db, year, Stage::Approved, &ctx, &at).await?;
        store::rounds::set_approval(
            db.store(),
            i32::try_from(year).map_err(|_| list::no_round(year))?,
            body.approved_on,
            body.reference.trim(),
            &at,
        )
        .await?;
        store::applications::move_round_status(
            db.store(),
            i32::try_from(year).map_err(|_| list::no_round(year))?,
            Status::Proposed,
            Status::Approved,
            &at,
        )
        .await?;
        db.audit(
            &actor,
            COMPONENT,
            "round.approve",
            Some(&format!("round:{year}")),
            &to_json(&serde_json::json!({
                "approved_on": body.approved_on, "reference": body.reference.trim()
            }))?,
        )
        .await
    })
    .await?;
    Ok(json(
        200,
        &serde_json::json!({
            "round_year": year, "stage": stage_name(Stage::Approved),
            "approved_on": body.approved_on, "reference": body.reference.trim(),
        }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaymentIn {
    application_id: String,
    paid_on: chrono::NaiveDate,
    amount: Money,
    bank_reference: String,
}

/// A payment of an approved entry, for exactly its amount on the current list. When every
/// entry is paid the round moves to `paid`.
pub async fn pay(req: Request, year: i64) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Admin).await?;
    let p: PaymentIn = read_rules_json(req, JSON_LIMIT).await?;
    if p.bank_reference.trim().is_empty() || p.bank_reference.chars().count() > 100 {
        return Err(ApiError::invalid(
            "bank_reference",
            "须填写银行流水号（不超过100字）。",
            "The bank reference is required (at most 100 characters).",
        ));
    }
    service::error::prose("bank_reference", &p.bank_reference, 1, 100, false)?;
    let db = Db::open().await?;
    let now = service::clock::now().await;
    if p.paid_on > now.date_naive() {
        return Err(ApiError::invalid(
            "paid_on",
            "拨付日期不能晚于今天。",
            "The payment cannot be dated in the future.",
        ));
    }
    let stage = list::stage(&db, year).await?;
    if stage != Stage::Approved {
        return Err(ApiError::new(
            409,
            "rule_proc_approve",
            format!(
                "区政府审议通过后方可拨付（当前：{}）（PROC-APPROVE）。",
                stage.zh()
            ),
            format!(
                "Payments follow the district government's approval (now: {}) (PROC-APPROVE).",
                stage.en()
            ),
        ));
    }
    let (version, _) = list::latest(&db, year).await?.ok_or_else(no_list)?;
    let y = i32::try_from(year).map_err(|_| list::no_round(year))?;
    let listed = store::allocations::lines(db.store(), y, version)
        .await?
        .into_iter()
        .find(|l| l.application_id == p.application_id);
    let status = store::applications::find(db.store(), &p.application_id)
        .await?
        .map(|a| a.status);
    let (Some(store::allocations::Line { uscc, granted, .. }), Some(status)) = (listed, status)
    else {
        return Err(ApiError::new(
            404,
            "not_on_list",
            "该申请不在本年度名单中。",
            "The application is not on this round's list.",
        )
        .field("application_id"));
    };
    if status != Status::Approved {
        return Err(ApiError::conflict(
            format!("该申请当前状态为 {status}，不能拨付。"),
            format!("The application is {status}; it cannot be paid."),
        )
        .field("application_id"));
    }
    if p.amount != granted {
        return Err(ApiError::invalid(
            "amount",
            format!("拨付金额须等于名单金额 {granted} 元。"),
            format!("The payment must equal the listed amount, {granted} CNY."),
        ));
    }
    let at = service::clock::format(now);
    let payment_id = format!("PAY-{}", p.application_id);
    let all_paid = db
        .transaction(|| async {
            store::payments::add(
                db.store(),
                &store::payments::NewPayment {
                    id: &payment_id,
                    round_year: i32::try_from(year).map_err(|_| list::no_round(year))?,
                    application_id: &p.application_id,
                    uscc: &uscc,
                    amount: p.amount,
                    paid_on: p.paid_on,
                    bank_reference: p.bank_reference.trim(),
                    at: &at,
                },
            )
            .await?;
            // CAP-YEAR, CAP-TIMES: a payment is a subsidy in the enterprise's history.
            store::history::add_subsidy(
                db.store(),
                &uscc,
                &rules::model::SubsidyRecord {
                    year: i32::try_from(year).map_err(|_| list::no_round(year))?,
                    amount: p.amount,
                    recovered: false,
                    reference: payment_id.clone(),
                },
                store::history::Source::Payment,
                &at,
            )
            .await?;
            // The guard again inside the transaction: a concurrent payment wins, not this one.
            if !store::applications::move_status(db.store(), &p.application_id, Status::Approved, Status::Paid, &at).await? {
                return Err(ApiError::conflict(
                    "该申请已拨付或不在审议通过名单中。",
                    "The application is already paid or not approved.",
                )
                .field("application_id"));
            }
            db.audit(&actor, COMPONENT, "payment.record", Some(&p.application_id), &to_json(&serde_json::json!({
                "amount": p.amount, "paid_on": p.paid_on, "bank_reference": p.bank_reference.trim()
            }))?)
            .await?;
            let left = store::applications::count_with_status(
                db.store(),
                i32::try_from(year).map_err(|_| list::no_round(year))?,
                Status::Approved,
            )
            .await?;
            if left == 0 {
                list::advance_stage(&db, year, Stage::Paid, &StageContext::default(), &at).await?;
            }
            Ok(left == 0)
        })
        .await?;
    Ok(json(
        201,
        &serde_json::json!({
            "id": payment_id, "application_id": p.application_id, "amount": p.amount,
            "paid_on": p.paid_on, "round_paid": all_paid,
        }),
    ))
}

/// The proposed, approved or paid list as CSV (UTF-8 with BOM) or XLSX (officers).
pub async fn export(req: Request, year: i64, file: &str) -> Result<Reply, ApiError> {
    service::auth::require(&req, Role::Officer).await?;
    let which = query_param(&req, "list").unwrap_or("proposed");
    let db = Db::open().await?;
    let (version, _) = list::latest(&db, year).await?.ok_or_else(no_list)?;
    let (title, kind) = match which {
        "proposed" => ("拟补助名单", ListKind::Proposed),
        "approved" => ("审议通过名单", ListKind::Approved),
        "paid" => ("已拨付名单", ListKind::Paid),
        _ => {
            return Err(ApiError::invalid(
                "list",
                "list 须为 proposed、approved 或 paid。",
                "list must be proposed, approved or paid.",
            ));
        }
    };
    let y = i32::try_from(year).map_err(|_| list::no_round(year))?;
    let lines = store::payments::export(db.store(), y, version, kind).await?;
    let table = Table {
        name: format!("{year}年度{title}"),
        headers: [
            "序号 No.",
            "申报编号 Application",
            "统一社会信用代码 Credit code",
            "企业名称 Enterprise",
            "质押知识产权 Pledged rights",
            "补助上限（元）Ceiling (CNY)",
            "补助金额（元）Subsidy (CNY)",
            "大写 In capitals",
            "状态 Status",
            "拨付日期 Paid on",
            "银行流水 Bank reference",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: lines
            .into_iter()
            .map(|l| {
                vec![
                    Cell::Int(i64::from(l.number)),
                    Cell::from(l.application_id.as_str()),
                    Cell::from(l.uscc.as_str()),
                    Cell::from(l.enterprise_name.as_str()),
                    Cell::from(l.rights_zh.as_str()),
                    Cell::Money(l.ceiling),
                    Cell::Money(l.granted),
                    Cell::from(publish::notice::capitals(l.granted)),
                    Cell::from(l.status.name()),
                    Cell::from(l.paid_on.map(|d| d.to_string()).unwrap_or_default()),
                    Cell::from(l.bank_reference.unwrap_or_default()),
                ]
            })
            .collect(),
    };
    let (bytes, content_type) = match file {
        "export.csv" => (publish::csv(&table), "text/csv; charset=utf-8"),
        "export.xlsx" => (
            publish::xlsx(&table),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        _ => return Err(ApiError::not_found()),
    };
    let mut reply = service::error::bytes_reply(200, content_type, bytes.into());
    let name = format!("{year}-{which}.{}", file.trim_start_matches("export."));
    if let Ok(v) =
        spin_sdk::http::HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        reply.headers_mut().insert("content-disposition", v);
    }
    Ok(reply)
}
