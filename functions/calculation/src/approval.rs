//! PROC-APPROVE: the district government's approval of the round's list, only after the
//! notice period has ended.

use crate::COMPONENT;
use crate::allocation::no_list;
use rules::approval::{ApprovedLine, LineDecision, LineRuling};
use rules::guards::Action;
use rules::procedure::Stage;
use serde::{Deserialize, Serialize};
use service::auth::Role;
use service::body::{JSON_LIMIT, read_rules_json};
use service::code::Code;
use service::db::Db;
use service::{ApiError, Reply, json, to_json};
use spin_sdk::http::Request;
use store::applications::Status;
use store::rounds::stage_name;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Approval {
    approved_on: chrono::NaiveDate,
    reference: String,
    /// The meeting's rulings on single lines (rejected, reduced); a line without one is
    /// approved as listed.
    #[serde(default)]
    lines: Vec<LineRuling>,
}

/// The answer to the approval: the round's new stage and the decision recorded.
#[derive(Serialize)]
struct Approved<'a> {
    round_year: i32,
    /// Always `approved`.
    stage: &'static str,
    approved_on: chrono::NaiveDate,
    /// The government decision's reference, trimmed.
    reference: &'a str,
    /// Every line of the list as the government decided it: what will be paid.
    lines: Vec<ApprovedLine>,
}

/// PROC-APPROVE: the district government's approval, only after the notice period.
pub async fn approve(req: Request, year: i32) -> Result<Reply, ApiError> {
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
    for (i, l) in body.lines.iter().enumerate() {
        service::error::prose(&format!("lines[{i}].note"), &l.note, 0, 500, false)?;
    }
    let db = Db::open().await?;
    let now = service::clock::now().await;
    if body.approved_on > now.date_naive() {
        return Err(ApiError::invalid(
            "approved_on",
            "审议日期不能晚于今天。",
            "The approval cannot be dated in the future.",
        ));
    }
    let at = service::clock::format(now);
    let lines = db
        .transaction(|| async {
            // PROC-NOTICE, PROC-OBJECT, PROC-APPROVE: the period over, every objection
            // concluded — judged on the round as this transaction sees it.
            let (snapshot, allowed) = round::guard::check(&db, year, now, Action::Approve).await?;
            if let Some(n) = &snapshot.notice
                && body.approved_on <= n.last_day
            {
                return Err(ApiError::new(
                    409,
                    Code::Rule(rules::RuleId::ProcApprove),
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
            // PROC-OBJECT before PROC-APPROVE: the government approves the list as the
            // re-review conclusions left it, so not on a day before the last of them.
            if let Some(last) =
                store::objections::last_conclusion_in_round(db.store(), year).await?
                && body.approved_on < last.date_naive()
            {
                let day = last.date_naive();
                return Err(ApiError::new(
                    409,
                    Code::Rule(rules::RuleId::ProcApprove),
                    format!("审议日期不能早于最后一项异议复核结论（{day}）（PROC-OBJECT、PROC-APPROVE）。"),
                    format!(
                        "The approval cannot be dated before the last re-review conclusion ({day}) (PROC-OBJECT, PROC-APPROVE)."
                    ),
                )
                .field("approved_on"));
            }
            // The guard above judged this very move on the snapshot this transaction read.
            store::rounds::set_stage(db.store(), year, snapshot.stage, Stage::Approved, &at)
                .await?;
            store::rounds::set_approval(
                db.store(),
                year,
                body.approved_on,
                body.reference.trim(),
                &at,
            )
            .await?;
            // The government's decision, line by line: only what it approved is paid.
            let (version, _) = round::list::latest(&db, year).await?.ok_or_else(no_list)?;
            let listed: Vec<(String, rules::Money)> =
                store::allocations::lines(db.store(), year, version)
                    .await?
                    .into_iter()
                    .filter(|l| !l.granted.is_zero())
                    .map(|l| (l.application_id, l.granted))
                    .collect();
            let ruled = rules::approval::apply(&listed, &body.lines)
                .map_err(service::error::field_error)?;
            let mut lines = Vec::with_capacity(ruled.len());
            for line in ruled {
                let to = match line.decision {
                    LineDecision::Rejected => Status::Removed,
                    LineDecision::Approved | LineDecision::Reduced => Status::Approved,
                };
                // A line stopped while on notice (FRAUD) is no longer proposed: passed over.
                if store::applications::move_status(
                    db.store(),
                    &line.application_id,
                    Status::Proposed,
                    to,
                    &at,
                )
                .await?
                {
                    store::approvals::add(db.store(), year, &line).await?;
                    lines.push(line);
                }
            }
            db.audit_entry(&store::audit::Entry {
                actor: &actor,
                component: COMPONENT,
                action: "round.approve",
                subject: Some(&format!("round:{year}")),
                rules: allowed,
                detail_json: &to_json(&serde_json::json!({
                    "approved_on": body.approved_on, "reference": body.reference.trim(),
                    "lines": &lines
                }))?,
            })
            .await?;
            Ok(lines)
        })
        .await?;
    Ok(json(
        200,
        &Approved {
            round_year: year,
            stage: stage_name(Stage::Approved),
            approved_on: body.approved_on,
            reference: body.reference.trim(),
            lines,
        },
    ))
}
