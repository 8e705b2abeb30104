//! The round's stage and its proposed list (拟补助名单), shared by the components that
//! change them: calculation (allocation, approval, payment), notices (publication) and
//! objections (re-review conclusions, PROC-OBJECT).
//!
//! None of these functions opens a transaction: the caller runs them inside its own
//! [`Db::transaction`], together with its other writes.

use crate::db::{Db, SqlValue};
use crate::error::ApiError;
use rules::allocation::Allocation;
use rules::decision::{Effect, Reason};
use rules::procedure::{Stage, StageContext};
use rules::{Money, RuleId};

/// The stage of a round, as stored (`rounds.stage`).
pub fn stage_name(s: Stage) -> &'static str {
    match s {
        Stage::Open => "open",
        Stage::Closed => "closed",
        Stage::UnderReview => "under_review",
        Stage::Allocated => "allocated",
        Stage::InNotice => "in_notice",
        Stage::Approved => "approved",
        Stage::Paid => "paid",
    }
}

pub fn parse_stage(s: &str) -> Option<Stage> {
    Stage::ALL.into_iter().find(|st| stage_name(*st) == s)
}

/// 404: no round for that year.
pub fn no_round(year: i64) -> ApiError {
    ApiError::new(
        404,
        "round_not_found",
        format!("没有{year}年度的申报。"),
        format!("There is no round for {year}."),
    )
    .field("year")
}

/// The current stage of a round.
pub async fn stage(db: &Db, year: i64) -> Result<Stage, ApiError> {
    let rows = db
        .query(
            "SELECT stage FROM rounds WHERE year = ?",
            [SqlValue::Integer(year)],
        )
        .await?;
    rows.first::<&str>("stage")
        .and_then(parse_stage)
        .ok_or_else(|| no_round(year))
}

/// An error answer from a rule's refusal (409: the request is understood, the state of
/// the round forbids it).
pub fn refusal(reason: &Reason) -> ApiError {
    ApiError::new(
        409,
        &format!(
            "rule_{}",
            reason.rule.code().to_lowercase().replace('-', "_")
        ),
        format!("{}（{}）", reason.zh, reason.rule.code()),
        format!("{} ({})", reason.en, reason.rule.code()),
    )
}

/// Moves a round to its next stage after checking the transition against the rules
/// (no step skipped or undone; PROC-LATE, PROC-APPROVE conditions).
pub async fn advance_stage(
    db: &Db,
    year: i64,
    to: Stage,
    ctx: &StageContext,
    at: &str,
) -> Result<(), ApiError> {
    let from = stage(db, year).await?;
    rules::procedure::check_transition(from, to, ctx).map_err(|r| refusal(&r))?;
    db.execute(
        "UPDATE rounds SET stage = ?, updated_at = ? WHERE year = ? AND stage = ?",
        [
            SqlValue::from(stage_name(to)),
            SqlValue::from(at),
            SqlValue::Integer(year),
            SqlValue::from(stage_name(from)),
        ],
    )
    .await?;
    Ok(())
}

/// The newest version of a round's list and its allocation, if computed.
pub async fn latest(db: &Db, year: i64) -> Result<Option<(i64, Allocation)>, ApiError> {
    let rows = db
        .query(
            "SELECT version, allocation_json FROM allocations WHERE round_year = ? \
             ORDER BY version DESC LIMIT 1",
            [SqlValue::Integer(year)],
        )
        .await?;
    let (Some(version), Some(json)) = (
        rows.first::<i64>("version"),
        rows.first::<&str>("allocation_json"),
    ) else {
        return Ok(None);
    };
    let allocation: Allocation = serde_json::from_str(json)
        .map_err(|e| ApiError::internal(&format!("stored allocation unreadable: {e}")))?;
    Ok(Some((version, allocation)))
}

/// A re-review conclusion (PROC-OBJECT).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReReview {
    /// The objection holds: the entry leaves the list.
    Upheld,
    /// It holds in part: the amount becomes this (never more than before).
    PartlyUpheld(Money),
    /// It does not hold: the list stands.
    Dismissed,
}

/// Applies a re-review conclusion to the round's list: a new version of the list (the
/// old one stays), and the application's status. Dismissed changes nothing.
pub async fn record_re_review(
    db: &Db,
    year: i64,
    application_id: &str,
    outcome: ReReview,
    at: &str,
) -> Result<(), ApiError> {
    let (new_amount, status, reason) = match outcome {
        ReReview::Dismissed => return Ok(()),
        ReReview::Upheld => (
            Money::ZERO,
            "removed",
            Reason::new(
                RuleId::ProcObject,
                Effect::Refuse,
                "公示期异议经重审成立，取消补助。",
                "An objection in the notice period was upheld on re-review: entry removed.",
            ),
        ),
        ReReview::PartlyUpheld(m) => (
            m,
            "proposed",
            Reason::new(
                RuleId::ProcObject,
                Effect::Limit,
                format!("公示期异议经重审部分成立，补助调整为 {m} 元。"),
                format!("An objection was partly upheld on re-review: the amount becomes {m} CNY."),
            ),
        ),
    };
    let Some((version, mut allocation)) = latest(db, year).await? else {
        return Err(ApiError::conflict(
            "该年度尚未形成拟补助名单。",
            "The round has no proposed list yet.",
        ));
    };
    let Some(line) = allocation.lines.iter_mut().find(|l| l.id == application_id) else {
        return Err(ApiError::new(
            404,
            "not_on_list",
            "该申请不在拟补助名单中。",
            "The application is not on the proposed list.",
        ));
    };
    if new_amount > line.granted {
        return Err(ApiError::invalid(
            "new_amount",
            format!("重审后的金额不能高于原拟补助金额 {} 元。", line.granted),
            format!(
                "The amount after re-review cannot exceed the proposed {} CNY.",
                line.granted
            ),
        ));
    }
    line.granted = new_amount;
    line.reasons.push(reason);
    let granted: Money = allocation.lines.iter().map(|l| l.granted).sum();
    allocation.granted_total = granted;
    allocation.unallocated = allocation.budget.saturating_sub(granted);
    let json =
        serde_json::to_string(&allocation).map_err(|e| ApiError::internal(&e.to_string()))?;
    let next = version + 1;
    db.execute(
        "INSERT INTO allocations (round_year, version, computed_at, reason, input_hash, allocation_json) \
         VALUES (?, ?, ?, 're_review', ?, ?)",
        [
            SqlValue::Integer(year),
            SqlValue::Integer(next),
            SqlValue::from(at),
            SqlValue::from(format!("re_review:{application_id}:{next}")),
            SqlValue::from(json),
        ],
    )
    .await?;
    db.execute(
        "INSERT INTO allocation_lines (round_year, version, application_id, number, uscc, \
         enterprise_name, rights_zh, rights_en, ceiling_cny, granted_cny) \
         SELECT round_year, ?, application_id, number, uscc, enterprise_name, rights_zh, \
         rights_en, ceiling_cny, CASE WHEN application_id = ? THEN ? ELSE granted_cny END \
         FROM allocation_lines WHERE round_year = ? AND version = ?",
        [
            SqlValue::Integer(next),
            SqlValue::from(application_id),
            SqlValue::from(new_amount.to_string()),
            SqlValue::Integer(year),
            SqlValue::Integer(version),
        ],
    )
    .await?;
    db.execute(
        "UPDATE applications SET status = ?, updated_at = ? WHERE id = ?",
        [
            SqlValue::from(status),
            SqlValue::from(at),
            SqlValue::from(application_id),
        ],
    )
    .await?;
    Ok(())
}

/// CAP-YEAR, CAP-TIMES, FRAUD: an enterprise's recorded subsidies (imported and paid), in
/// year order. Intake decides applications with them; calculation allocates with them.
pub async fn subsidy_history(
    db: &Db,
    uscc: &str,
) -> Result<Vec<rules::model::SubsidyRecord>, ApiError> {
    let rows = db
        .query(
            "SELECT year, amount_cny, recovered, reference FROM subsidy_history WHERE uscc = ? \
             ORDER BY year, id",
            [SqlValue::from(uscc)],
        )
        .await?;
    Ok(rows
        .rows
        .iter()
        .map(|r| rules::model::SubsidyRecord {
            year: r.get::<i64>(0).unwrap_or_default() as i32,
            amount: Money::parse(r.get::<&str>(1).unwrap_or("0")).unwrap_or(Money::ZERO),
            recovered: r.get::<i64>(2).unwrap_or_default() != 0,
            reference: r.get::<&str>(3).unwrap_or_default().to_owned(),
        })
        .collect())
}
