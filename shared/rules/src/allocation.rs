//! The round's allocation: from every approved application's ceiling, apply CAP-TIMES and
//! CAP-YEAR per enterprise, then fit the BUDGET (reading 5), rounding down to the fen.
//!
//! Guarantees (property-tested): the total never exceeds the budget; no enterprise gets
//! more than the yearly cap; the result does not depend on the order of the input.

use crate::decision::{Effect, Reason};
use crate::input::{FieldError, InputError};
use crate::model::SubsidyRecord;
use crate::money::Money;
use crate::params::{BudgetReading, Parameters};
use crate::precheck::earlier_times;
use crate::rule::RuleId::{self, *};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The input: a round's approved applications and the enterprises' histories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationRequest {
    pub year: i32,
    pub budget: Money,
    pub applications: Vec<ApprovedApplication>,
    /// Earlier subsidies per enterprise (by credit code).
    #[serde(default)]
    pub history: BTreeMap<String, Vec<SubsidyRecord>>,
}

/// One approved application, with its ceiling from the decision (sum of loan ceilings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovedApplication {
    /// Unique in the round (the application number).
    pub id: String,
    /// The enterprise's credit code.
    pub enterprise: String,
    /// Reading 5 (first come, first served) and the order inside one enterprise's cap.
    pub submitted_at: DateTime<FixedOffset>,
    pub ceiling_amount: Money,
}

/// One line of the proposed list (拟补助名单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationLine {
    pub id: String,
    pub enterprise: String,
    pub ceiling_amount: Money,
    /// After CAP-TIMES and CAP-YEAR.
    pub capped_amount: Money,
    /// After BUDGET: the amount proposed.
    pub granted: Money,
    pub reasons: Vec<Reason>,
}

/// The allocation of a round; lines sorted by application id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    pub year: i32,
    pub budget: Money,
    pub reading: BudgetReading,
    /// Sum of the capped amounts (what the round asks of the budget).
    pub requested_total: Money,
    pub granted_total: Money,
    /// `budget − granted_total` (the fen left by rounding down, or budget not needed).
    pub unallocated: Money,
    /// True when the budget forced the amounts down.
    pub scaled: bool,
    pub lines: Vec<AllocationLine>,
}

/// Allocates a round. Errors only on malformed input (duplicate ids).
pub fn allocate(req: &AllocationRequest, params: &Parameters) -> Result<Allocation, InputError> {
    // Order-independence: work on a copy sorted by (submission, id), ids unique.
    let mut apps: Vec<&ApprovedApplication> = req.applications.iter().collect();
    apps.sort_by(|a, b| (a.submitted_at, &a.id).cmp(&(b.submitted_at, &b.id)));
    let mut ids: Vec<&str> = apps.iter().map(|a| a.id.as_str()).collect();
    ids.sort_unstable();
    if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(InputError {
            errors: vec![FieldError::new(
                "applications",
                "duplicate",
                format!("申请编号重复：{}", w[0]),
                format!("application id repeated: {}", w[0]),
            )],
        });
    }

    let cap = params.caps.per_enterprise_per_year;
    let max_times = params.caps.max_times as usize;
    let no_history = Vec::new();
    // Room left under CAP-YEAR per enterprise, filled in submission order.
    let mut room: BTreeMap<&str, Money> = BTreeMap::new();
    let mut lines: Vec<AllocationLine> = Vec::with_capacity(apps.len());
    for app in &apps {
        let history = req.history.get(&app.enterprise).unwrap_or(&no_history);
        let mut reasons = Vec::new();
        let times = earlier_times(history, req.year);
        let mut capped = app.ceiling_amount;
        if times >= max_times {
            capped = Money::ZERO;
            reasons.push(Reason::new(
                CapTimes,
                Effect::Refuse,
                format!("已累计受补助{times}次，达到{max_times}次上限。"),
                format!("Already subsidised {times} times; the limit is {max_times}."),
            ));
        }
        let left = room.entry(app.enterprise.as_str()).or_insert_with(|| {
            let already: Money = history
                .iter()
                .filter(|h| h.year == req.year)
                .map(|h| h.amount)
                .sum();
            cap.saturating_sub(already)
        });
        if capped > *left {
            reasons.push(Reason::new(
                CapYear,
                Effect::Limit,
                format!("每家企业每年最高{cap}元：{capped} 元核减为 {left} 元。"),
                format!(
                    "At most {cap} CNY per enterprise per year: {capped} CNY cut to {left} CNY."
                ),
            ));
            capped = *left;
        }
        *left = left.saturating_sub(capped);
        lines.push(AllocationLine {
            id: app.id.clone(),
            enterprise: app.enterprise.clone(),
            ceiling_amount: app.ceiling_amount,
            capped_amount: capped,
            granted: capped,
            reasons,
        });
    }

    let requested_fen: i128 = lines.iter().map(|l| l.capped_amount.fen()).sum();
    let budget_fen = req.budget.fen();
    let scaled = requested_fen > budget_fen;
    if scaled {
        match params.readings.budget {
            BudgetReading::Proportional => {
                scale_proportionally(&mut lines, requested_fen, budget_fen)
            }
            BudgetReading::FirstComeFirstServed => first_come_first_served(&mut lines, budget_fen),
        }
    }
    lines.sort_by(|a, b| a.id.cmp(&b.id));
    let granted_fen: i128 = lines.iter().map(|l| l.granted.fen()).sum();
    Ok(Allocation {
        year: req.year,
        budget: req.budget,
        reading: params.readings.budget,
        requested_total: Money::from_fen(requested_fen),
        granted_total: Money::from_fen(granted_fen),
        unallocated: Money::from_fen(budget_fen - granted_fen),
        scaled,
        lines,
    })
}

/// Reading 5 (default): `granted = ⌊capped × budget / requested⌋` in whole fen, exact in
/// integers, so the sum never passes the budget.
fn scale_proportionally(lines: &mut [AllocationLine], requested_fen: i128, budget_fen: i128) {
    let factor = rust_decimal::Decimal::from_i128_with_scale(budget_fen, 0)
        / rust_decimal::Decimal::from_i128_with_scale(requested_fen, 0);
    let factor = factor.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::ToZero);
    let (requested, budget) = (Money::from_fen(requested_fen), Money::from_fen(budget_fen));
    let zh = format!(
        "申报总额 {requested} 元超过预算 {budget} 元，按同一比例（约 {factor}）核减并向下取整到分："
    );
    let en = format!(
        "The round asks {requested} CNY against a budget of {budget} CNY: scaled by one factor (about {factor}), rounded down to the fen: "
    );
    for line in lines.iter_mut().filter(|l| !l.capped_amount.is_zero()) {
        line.granted = Money::from_fen(line.capped_amount.fen() * budget_fen / requested_fen);
        line.reasons.push(budget_reason(
            format!("{zh}{} 元。", line.granted),
            format!("{en}{} CNY.", line.granted),
        ));
    }
}

/// Reading 5 (other): in order of submission until the budget runs out.
fn first_come_first_served(lines: &mut [AllocationLine], budget_fen: i128) {
    // `lines` are still in (submitted_at, id) order here.
    let mut left = budget_fen;
    for line in lines.iter_mut().filter(|l| !l.capped_amount.is_zero()) {
        let fen = line.capped_amount.fen().min(left);
        left -= fen;
        if fen < line.capped_amount.fen() {
            line.granted = Money::from_fen(fen);
            line.reasons.push(budget_reason(
                format!("按申报先后分配预算，余额仅剩 {} 元。", line.granted),
                format!(
                    "Budget allocated in order of application; only {} CNY was left.",
                    line.granted
                ),
            ));
        }
    }
}

fn budget_reason(zh: String, en: String) -> Reason {
    Reason::new(RuleId::Budget, Effect::Limit, zh, en)
}
