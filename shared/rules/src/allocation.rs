//! The round's allocation: from every approved application's ceiling, apply CAP-TIMES and
//! CAP-YEAR per enterprise, then fit the BUDGET (reading 5), rounding down to the fen.
//!
//! Guarantees (property-tested): the total never exceeds the budget; no enterprise gets
//! more than the yearly cap; the result does not depend on the order of the input.

mod reasons;
mod texts;

use crate::input::{FieldError, InputError};
use crate::model::SubsidyRecord;
use crate::money::Money;
use crate::params::{BudgetReading, Parameters};
use crate::precheck::earlier_times;
use chrono::{DateTime, FixedOffset};
use reasons::{Budget, Cut, Found, Scaled};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub use reasons::LineReasons;

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
    /// Serialised as an array of [`Reason`](crate::decision::Reason)s.
    pub reasons: LineReasons,
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
///
/// A round may hold 100,000 applications (docs/BENCHMARKS.md), so the work is done on
/// indices and whole fen, and each line is written once, in its place, its reasons kept as
/// figures until serialised.
pub fn allocate(req: &AllocationRequest, params: &Parameters) -> Result<Allocation, InputError> {
    let apps = &req.applications;
    // The lines' order; an application's rank in it also breaks ties between equal
    // submission instants.
    let by_id = in_id_order(apps)?;
    let cap = params.caps.per_enterprise_per_year;
    let max_times = params.caps.max_times as usize;

    // One pass in id order gathers what the caps and the budget need, each enterprise
    // numbered on first sight.
    let mut firms: Vec<Firm> = Vec::new();
    let mut numbered: HashMap<&str, usize> = HashMap::with_capacity(apps.len());
    let mut queue: Vec<Queued> = Vec::with_capacity(apps.len());
    for (rank, &i) in by_id.iter().enumerate() {
        let app = &apps[i];
        let firm = *numbered.entry(&app.enterprise).or_insert_with(|| {
            firms.push(Firm::new(req, &app.enterprise, cap));
            firms.len() - 1
        });
        queue.push(Queued {
            at: (
                app.submitted_at.timestamp(),
                app.submitted_at.timestamp_subsec_nanos(),
            ),
            rank,
            firm,
            ceiling: fen(app.ceiling_amount),
        });
    }
    // Order-independence: the caps and first come, first served follow (submission, id).
    // `DateTime` orders by the instant, whatever the offset, as `at` does; `rank` is the
    // order of ids.
    queue.sort_unstable_by_key(|q| (q.at, q.rank));

    // CAP-TIMES and CAP-YEAR, per enterprise in submission order; `steps` in id order.
    let mut steps = vec![Step::default(); apps.len()];
    for q in &queue {
        let firm = &mut firms[q.firm];
        let step = &mut steps[q.rank];
        step.times = firm.times;
        let mut capped = if firm.times >= max_times {
            0
        } else {
            q.ceiling
        };
        if capped > firm.left {
            step.cut = true;
            capped = firm.left;
        }
        firm.left -= capped;
        step.capped = capped;
        step.granted = capped;
    }

    let requested_fen: i128 = steps.iter().map(|s| s.capped as i128).sum();
    let budget_fen = req.budget.fen();
    let scaled = requested_fen > budget_fen;
    let mut scaling = None;
    if scaled {
        match params.readings.budget {
            BudgetReading::Proportional => {
                scale_proportionally(&mut steps, requested_fen, budget_fen);
                scaling = Some(Arc::new(Scaled::new(requested_fen, budget_fen)));
            }
            BudgetReading::FirstComeFirstServed => {
                first_come_first_served(&mut steps, &queue, budget_fen)
            }
        }
    }
    let granted_fen: i128 = steps.iter().map(|s| s.granted as i128).sum();

    let cap = fen(cap);
    let lines = by_id
        .iter()
        .zip(&steps)
        .map(|(&i, step)| line(&apps[i], step, cap, max_times, &scaling))
        .collect();
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

/// A line and its reasons, as figures: their texts are written when the line is
/// serialised (`reasons`).
fn line(
    app: &ApprovedApplication,
    step: &Step,
    cap: i64,
    max_times: usize,
    scaling: &Option<Arc<Scaled>>,
) -> AllocationLine {
    let ceiling = fen(app.ceiling_amount);
    // Proportional scaling explains every line it touched; first come, first served only
    // the lines it cut.
    let budget = step.capped != 0 && (scaling.is_some() || step.granted < step.capped);
    let found = Found {
        times: (step.times >= max_times).then_some((step.times, max_times)),
        cut: step.cut.then_some(Cut {
            cap,
            before: ceiling,
            after: step.capped,
        }),
        budget: budget.then(|| Budget {
            granted: step.granted,
            scaled: scaling.clone(),
        }),
    };
    AllocationLine {
        id: app.id.clone(),
        enterprise: app.enterprise.clone(),
        ceiling_amount: app.ceiling_amount,
        capped_amount: Money::from_fen(step.capped as i128),
        granted: Money::from_fen(step.granted as i128),
        reasons: LineReasons::found(found),
    }
}

/// The applications' indices sorted by id; an input error names the first repeated id.
fn in_id_order(apps: &[ApprovedApplication]) -> Result<Vec<usize>, InputError> {
    let mut by_id: Vec<usize> = (0..apps.len()).collect();
    by_id.sort_unstable_by(|&a, &b| apps[a].id.cmp(&apps[b].id));
    if let Some(w) = by_id.windows(2).find(|w| apps[w[0]].id == apps[w[1]].id) {
        let id = &apps[w[0]].id;
        return Err(InputError {
            errors: vec![FieldError::new(
                "applications",
                "duplicate",
                format!("申请编号重复：{id}"),
                format!("application id repeated: {id}"),
            )],
        });
    }
    Ok(by_id)
}

/// An enterprise during the allocation.
struct Firm {
    /// CAP-TIMES: earlier rounds subsidised (reading 4).
    times: usize,
    /// CAP-YEAR: fen still allowed this year, filled in submission order.
    left: i64,
}

impl Firm {
    fn new(req: &AllocationRequest, enterprise: &str, cap: Money) -> Firm {
        let history = req.history.get(enterprise).map_or(&[][..], Vec::as_slice);
        let already: Money = history
            .iter()
            .filter(|h| h.year == req.year)
            .map(|h| h.amount)
            .sum();
        Firm {
            times: earlier_times(history, req.year),
            left: fen(cap.saturating_sub(already)),
        }
    }
}

/// An application as the caps and the budget take it, in submission order.
struct Queued {
    /// The submission instant: seconds since the epoch and nanoseconds.
    at: (i64, u32),
    /// Its place in id order.
    rank: usize,
    /// Its enterprise's number in `firms`.
    firm: usize,
    ceiling: i64,
}

/// One application's amounts in fen, and what its texts need to say.
#[derive(Clone, Copy, Default)]
struct Step {
    /// CAP-TIMES: the enterprise's earlier rounds.
    times: usize,
    /// CAP-YEAR lowered the ceiling to `capped`.
    cut: bool,
    capped: i64,
    granted: i64,
}

/// An amount in fen. Amounts never pass 10^13 fen (`MAX_AMOUNT`), so each fits an `i64`;
/// sums and products are taken in `i128`.
fn fen(m: Money) -> i64 {
    m.fen() as i64
}

/// Reading 5 (default): `granted = ⌊capped × budget / requested⌋` in whole fen, exact in
/// integers, so the sum never passes the budget.
fn scale_proportionally(steps: &mut [Step], requested_fen: i128, budget_fen: i128) {
    for step in steps.iter_mut() {
        step.granted = (step.capped as i128 * budget_fen / requested_fen) as i64;
    }
}

/// Reading 5 (other): in order of submission until the budget runs out.
fn first_come_first_served(steps: &mut [Step], queue: &[Queued], budget_fen: i128) {
    let mut left = budget_fen;
    for q in queue {
        let step = &mut steps[q.rank];
        step.granted = (step.capped as i128).min(left) as i64;
        left -= step.granted as i128;
    }
}
