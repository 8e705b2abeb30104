//! FRAUD after the fact: a determination against an enterprise (its ban, what it makes due
//! back, the unpaid lines it stops) and the clawback (全额追回) kept as an account — one
//! claim per subsidy paid, money received back against each with date and reference, the
//! outstanding balance.

use crate::enterprises::{enterprise_view, parse_code};
use crate::{COMPONENT, read_rules_json, to_json};
use rules::Money;
use rules::Parameters;
use rules::RuleId;
use rules::model::{FraudFinding, FraudKind, SubsidyRecord};
use rules::recovery::{Balance, Refusal};
use serde::{Deserialize, Serialize};
use service::auth::Role;
use service::body::JSON_LIMIT;
use service::code::Code;
use service::db::Db;
use service::error::prose;
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;
use store::history::FindingRow;
use store::recovery::{ClaimRow, Received};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FraudReport {
    kind: FraudKind,
    determined_on: chrono::NaiveDate,
    #[serde(default)]
    reference: String,
}

/// The answer to a recorded fraud determination (201): its consequence (FRAUD).
#[derive(Serialize)]
struct FraudRecorded<'a> {
    credit_code: &'a str,
    /// Everything paid and not already due back: now due back in full.
    to_recover: Money,
    /// The first day the enterprise may apply again.
    may_apply_from: chrono::NaiveDate,
    /// The lines approved and not yet paid that the determination stopped.
    stopped: Vec<String>,
    /// The enterprise's clawback account after the determination.
    recovery: Account,
    /// Always `FRAUD`.
    rule: &'static str,
}

/// FRAUD: records a determination; every subsidy paid and not yet due back becomes a claim
/// for its full amount, and every approved line of the enterprise not yet paid is stopped.
/// Answers what is due, when the ban ends and which lines stopped.
pub async fn record_fraud(req: Request, code: &str) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Admin).await?;
    let code = parse_code(code)?;
    let report: FraudReport = read_rules_json(req, JSON_LIMIT).await?;
    prose("reference", &report.reference, 0, 200, false)?;
    let now = service::clock::now().await;
    if report.determined_on > now.date_naive() {
        return Err(ApiError::invalid(
            "determined_on",
            "认定日期不能晚于今天。",
            "The determination cannot be dated in the future.",
        ));
    }
    let db = Db::open().await?;
    let at = service::clock::format(now);
    let uscc = code.as_str();
    let (consequence, stopped) = db
        .transaction(|| async {
            let unclaimed = store::recovery::unclaimed(db.store(), uscc).await?;
            let due = rules::recovery::claims(&unclaimed);
            let paid: Vec<SubsidyRecord> = unclaimed
                .into_iter()
                .map(|s| SubsidyRecord {
                    year: s.year,
                    amount: s.amount,
                    recovered: false,
                    reference: s.reference,
                })
                .collect();
            let c = rules::oversight::fraud_consequence(
                &paid,
                report.determined_on,
                &Parameters::default(),
            );
            let row = FindingRow {
                finding: FraudFinding {
                    kind: report.kind,
                    determined_on: report.determined_on,
                    reference: report.reference.clone(),
                },
                to_recover: c.to_recover,
                may_apply_from: c.may_apply_from,
            };
            let finding = store::history::add_finding(db.store(), uscc, &row, &at).await?;
            store::recovery::add_claims(db.store(), uscc, finding, &due, &at).await?;
            let stopped = round::fraud::stop_unpaid(&db, uscc, &at).await?;
            #[derive(Serialize)]
            struct Detail<'a> {
                #[serde(flatten)]
                consequence: &'a rules::oversight::FraudConsequence,
                claims: usize,
                stopped: &'a [String],
            }
            let detail = Detail {
                consequence: &c,
                claims: due.len(),
                stopped: &stopped,
            };
            db.audit_entry(&store::audit::Entry {
                actor: &actor,
                component: COMPONENT,
                action: "fraud.record",
                subject: Some(uscc),
                rules: &[RuleId::Fraud],
                detail_json: &to_json(&detail)?,
            })
            .await?;
            Ok((c, stopped))
        })
        .await?;
    let claims = store::recovery::claims_of(db.store(), uscc).await?;
    Ok(json(
        201,
        &FraudRecorded {
            credit_code: uscc,
            to_recover: consequence.to_recover,
            may_apply_from: consequence.may_apply_from,
            stopped,
            recovery: account(&claims),
            rule: "FRAUD",
        },
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecoveryIn {
    /// The claim the money is received against (`recovery.claims[].id`).
    claim_id: i64,
    received_on: chrono::NaiveDate,
    amount: Money,
    /// The receipt: 缴款书 number or bank reference.
    reference: String,
}

/// FRAUD: money received back against a claim — never more than is outstanding, never
/// dated before the determination or in the future. Answers the enterprise (201).
pub async fn record_recovery(req: Request, code: &str) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Admin).await?;
    let code = parse_code(code)?;
    let r: RecoveryIn = read_rules_json(req, JSON_LIMIT).await?;
    prose("reference", &r.reference, 1, 100, false)?;
    let now = service::clock::now().await;
    if r.received_on > now.date_naive() {
        return Err(ApiError::invalid(
            "received_on",
            "收回日期不能晚于今天。",
            "Money cannot be received back in the future.",
        ));
    }
    let db = Db::open().await?;
    let at = service::clock::format(now);
    db.transaction(|| async {
        let claim = store::recovery::find(db.store(), r.claim_id)
            .await?
            .filter(|c| c.uscc == code.as_str())
            .ok_or_else(|| {
                ApiError::new(
                    404,
                    Code::NotFound,
                    format!("该企业没有编号为 {} 的追回款项。", r.claim_id),
                    format!("The enterprise has no recovery claim {}.", r.claim_id),
                )
                .field("claim_id")
            })?;
        let after =
            rules::recovery::receive(claim.balance, claim.determined_on, r.received_on, r.amount)
                .map_err(refusal)?;
        let received = Received {
            received_on: r.received_on,
            amount: r.amount,
            reference: r.reference.trim().to_owned(),
        };
        store::recovery::receive(db.store(), &claim, &received, after.settled(), &at).await?;
        #[derive(Serialize)]
        struct Detail<'a> {
            claim_id: i64,
            subsidy: &'a str,
            received_on: chrono::NaiveDate,
            amount: Money,
            reference: &'a str,
            balance: Balance,
        }
        let detail = Detail {
            claim_id: claim.id,
            subsidy: &claim.reference,
            received_on: r.received_on,
            amount: r.amount,
            reference: &received.reference,
            balance: after,
        };
        db.audit_entry(&store::audit::Entry {
            actor: &actor,
            component: COMPONENT,
            action: "recovery.record",
            subject: Some(code.as_str()),
            rules: &[RuleId::Fraud],
            detail_json: &to_json(&detail)?,
        })
        .await
    })
    .await?;
    enterprise_view(&db, &code, 201).await
}

/// A recovery the rules refuse, in the API's words.
fn refusal(r: Refusal) -> ApiError {
    match r {
        Refusal::Zero => ApiError::invalid(
            "amount",
            "收回金额须大于 0。",
            "The amount received back must be more than zero.",
        ),
        Refusal::AboveOutstanding { outstanding } => ApiError::new(
            409,
            Code::Rule(RuleId::Fraud),
            format!("收回金额超过该款项尚未追回的 {outstanding} 元（FRAUD）。"),
            format!(
                "The amount exceeds the {outstanding} CNY still outstanding on this claim (FRAUD)."
            ),
        )
        .field("amount"),
        Refusal::BeforeDetermination { determined_on } => ApiError::new(
            409,
            Code::Rule(RuleId::Fraud),
            format!("收回日期不能早于认定日期 {determined_on}（FRAUD）。"),
            format!(
                "Money cannot be received back before the determination of {determined_on} (FRAUD)."
            ),
        )
        .field("received_on"),
    }
}

/// A fraud determination and its consequence (FRAUD).
#[derive(Serialize)]
pub(crate) struct FindingView<'a> {
    kind: FraudKind,
    determined_on: chrono::NaiveDate,
    reference: &'a str,
    /// What it made due back.
    to_recover: Money,
    /// The first day the enterprise may apply again.
    may_apply_from: chrono::NaiveDate,
}

pub(crate) fn finding_view(f: &FindingRow) -> FindingView<'_> {
    FindingView {
        kind: f.finding.kind,
        determined_on: f.finding.determined_on,
        reference: &f.finding.reference,
        to_recover: f.to_recover,
        may_apply_from: f.may_apply_from,
    }
}

/// FRAUD: an enterprise's clawback account — each claim and the totals.
#[derive(Serialize)]
pub(crate) struct Account {
    claims: Vec<ClaimView>,
    #[serde(flatten)]
    total: Balance,
}

/// One subsidy due back, with what was received against it.
#[derive(Serialize)]
struct ClaimView {
    id: i64,
    year: i32,
    /// The subsidy's reference (`PAY-…` for a payment made by this system).
    subsidy: String,
    determined_on: chrono::NaiveDate,
    #[serde(flatten)]
    balance: Balance,
    received: Vec<ReceivedView>,
}

#[derive(Serialize)]
struct ReceivedView {
    received_on: chrono::NaiveDate,
    amount: Money,
    reference: String,
}

pub(crate) fn account(claims: &[ClaimRow]) -> Account {
    Account {
        total: Balance::total(claims.iter().map(|c| &c.balance)),
        claims: claims
            .iter()
            .map(|c| ClaimView {
                id: c.id,
                year: c.year,
                subsidy: c.reference.clone(),
                determined_on: c.determined_on,
                balance: c.balance,
                received: c
                    .received
                    .iter()
                    .map(|r| ReceivedView {
                        received_on: r.received_on,
                        amount: r.amount,
                        reference: r.reference.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}
