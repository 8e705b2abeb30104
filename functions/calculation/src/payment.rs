//! Payments: each approved entry paid exactly its amount on the current list; a payment
//! is also a subsidy in the enterprise's history (CAP-YEAR, CAP-TIMES). When every entry
//! is paid the round moves to `paid`.

use crate::COMPONENT;
use crate::allocation::no_list;
use rules::procedure::{Stage, StageContext};
use rules::{Money, Parameters};
use serde::{Deserialize, Serialize};
use service::auth::Role;
use service::body::{JSON_LIMIT, read_rules_json};
use service::code::Code;
use service::db::Db;
use service::{ApiError, Reply, json, to_json};
use spin_sdk::http::Request;
use store::applications::Status;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaymentIn {
    application_id: String,
    paid_on: chrono::NaiveDate,
    amount: Money,
    bank_reference: String,
}

/// The answer to a recorded payment (201).
#[derive(Serialize)]
struct Paid<'a> {
    /// `PAY-<application id>`.
    id: &'a str,
    application_id: &'a str,
    amount: Money,
    paid_on: chrono::NaiveDate,
    /// Whether this was the round's last unpaid entry (the round is now `paid`).
    round_paid: bool,
}

/// A payment of an approved entry, for exactly its amount on the current list. When every
/// entry is paid the round moves to `paid`.
pub async fn pay(req: Request, year: i32) -> Result<Reply, ApiError> {
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
    if !store::applications::is_number_of(&p.application_id, year) {
        return Err(ApiError::invalid(
            "application_id",
            format!("须为本年度的申报编号（如 MTG-{year}-00001）。"),
            format!(
                "An application number of the {year} round is required (e.g. MTG-{year}-00001)."
            ),
        ));
    }
    let db = Db::open().await?;
    let now = service::clock::now().await;
    if p.paid_on > now.date_naive() {
        return Err(ApiError::invalid(
            "paid_on",
            "拨付日期不能晚于今天。",
            "The payment cannot be dated in the future.",
        ));
    }
    let at = service::clock::format(now);
    let payment_id = format!("PAY-{}", p.application_id);
    let all_paid = db
        .transaction(|| async {
            // PROC-APPROVE: payments follow the approval, dated on or after it (the
            // enterprise is not known until its line is found: its findings come next).
            let round = round::guard::snapshot(&db, year, now).await?;
            rules::guards::check_payment(&round, p.paid_on, &[], &Parameters::default())
                .map_err(ApiError::refusal)?;
            let (version, _) = round::list::latest(&db, year).await?.ok_or_else(no_list)?;

            let listed = store::allocations::lines(db.store(), year, version)
                .await?
                .into_iter()
                .find(|l| l.application_id == p.application_id);
            let status = store::applications::find(db.store(), &p.application_id)
                .await?
                .map(|a| a.status);
            let (Some(store::allocations::Line { uscc, granted, .. }), Some(status)) =
                (listed, status)
            else {
                return Err(ApiError::new(
                    404,
                    Code::NotOnList,
                    "该申请不在本年度名单中。",
                    "The application is not on this round's list.",
                )
                .field("application_id"));
            };
            // FRAUD: a determination, even after the approval, stops every unpaid line
            // (judged before the status: a stopped line says why it was stopped).
            let allowed = round::guard::payment(&db, &round, p.paid_on, &uscc).await?;
            if status != Status::Approved {
                return Err(ApiError::conflict(
                    format!("该申请当前状态为 {status}，不能拨付。"),
                    format!("The application is {status}; it cannot be paid."),
                )
                .field("application_id"));
            }
            // PROC-APPROVE: what the government approved for the line (rounds approved
            // as a whole, before line rulings were recorded: the listed amount).
            let approved = store::approvals::of_line(db.store(), year, &p.application_id)
                .await?
                .map_or(granted, |l| l.amount);
            if p.amount != approved {
                return Err(ApiError::invalid(
                    "amount",
                    format!("拨付金额须等于区政府审议通过的金额 {approved} 元。"),
                    format!(
                        "The payment must equal the amount the government approved, {approved} CNY."
                    ),
                ));
            }
            store::payments::add(
                db.store(),
                &store::payments::NewPayment {
                    id: &payment_id,
                    round_year: year,
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
                    year,
                    amount: p.amount,
                    recovered: false,
                    reference: payment_id.clone(),
                },
                store::history::Source::Payment,
                &at,
            )
            .await?;
            // The guard again inside the transaction: a concurrent payment wins, not this one.
            let moved = store::applications::move_status(
                db.store(),
                &p.application_id,
                Status::Approved,
                Status::Paid,
                &at,
            )
            .await?;
            if !moved {
                return Err(ApiError::conflict(
                    "该申请已拨付或不在审议通过名单中。",
                    "The application is already paid or not approved.",
                )
                .field("application_id"));
            }
            let detail = to_json(&serde_json::json!({
                "amount": p.amount, "paid_on": p.paid_on, "bank_reference": p.bank_reference.trim()
            }))?;
            db.audit_entry(&store::audit::Entry {
                actor: &actor,
                component: COMPONENT,
                action: "payment.record",
                subject: Some(&p.application_id),
                rules: allowed,
                detail_json: &detail,
            })
            .await?;
            let left =
                store::applications::count_with_status(db.store(), year, Status::Approved).await?;
            if left == 0 {
                round::stage::advance(&db, year, Stage::Paid, &StageContext::default(), &at)
                    .await?;
            }
            Ok(left == 0)
        })
        .await?;
    Ok(json(
        201,
        &Paid {
            id: &payment_id,
            application_id: &p.application_id,
            amount: p.amount,
            paid_on: p.paid_on,
            round_paid: all_paid,
        },
    ))
}
