//! The round's allocation is computed in integer fen with cached sort keys, and its lines
//! keep their reasons as figures until serialised (issue 17); this pins it to the
//! straightforward implementation it replaced, which owned every text — the same JSON byte
//! for byte (lines, order, amounts to the fen, texts) on random rounds of a few hundred
//! applications — and checks that lines stored by the old shape read back and serialise
//! unchanged.

use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use proptest::prelude::*;
use rules::allocation::{Allocation, AllocationRequest, ApprovedApplication};
use rules::decision::{Effect, Reason};
use rules::input::{FieldError, InputError};
use rules::model::SubsidyRecord;
use rules::params::{BudgetReading, Parameters};
use rules::precheck::earlier_times;
use rules::re_review::{Conclusion, apply};
use rules::{Money, RuleId, allocate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `Allocation` as it was before issue 17: every reason's texts owned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct OldAllocation {
    year: i32,
    budget: Money,
    reading: BudgetReading,
    requested_total: Money,
    granted_total: Money,
    unallocated: Money,
    scaled: bool,
    lines: Vec<AllocationLine>,
}

/// `AllocationLine` as it was before issue 17.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct AllocationLine {
    id: String,
    enterprise: String,
    ceiling_amount: Money,
    capped_amount: Money,
    granted: Money,
    reasons: Vec<Reason>,
}

/// Allocations as the code before issue 17 stored them (`allocation_json`), one a line:
/// CAP-TIMES, CAP-YEAR, BUDGET proportional then first come, first served, a PROC-OBJECT
/// reason added by a re-review.
const STORED: &str = include_str!("data/allocations-stored-before-issue-17.jsonl");

/// The allocation as it was written before issue 17 (Decimal money, texts by `format!`).
fn reference(req: &AllocationRequest, params: &Parameters) -> Result<OldAllocation, InputError> {
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
    let mut room: BTreeMap<&str, Money> = BTreeMap::new();
    let mut lines: Vec<AllocationLine> = Vec::new();
    for app in &apps {
        let history = req.history.get(&app.enterprise).unwrap_or(&no_history);
        let mut reasons = Vec::new();
        let times = earlier_times(history, req.year);
        let mut capped = app.ceiling_amount;
        if times >= max_times {
            capped = Money::ZERO;
            reasons.push(Reason::new(
                RuleId::CapTimes,
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
                RuleId::CapYear,
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
    let budget_reason = |zh, en| Reason::new(RuleId::Budget, Effect::Limit, zh, en);
    if scaled {
        match params.readings.budget {
            BudgetReading::Proportional => {
                use rust_decimal::Decimal;
                let factor = Decimal::from_i128_with_scale(budget_fen, 0)
                    / Decimal::from_i128_with_scale(requested_fen, 0);
                let factor =
                    factor.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::ToZero);
                let (requested, budget) =
                    (Money::from_fen(requested_fen), Money::from_fen(budget_fen));
                let zh = format!(
                    "申报总额 {requested} 元超过预算 {budget} 元，按同一比例（约 {factor}）核减并向下取整到分："
                );
                let en = format!(
                    "The round asks {requested} CNY against a budget of {budget} CNY: scaled by one factor (about {factor}), rounded down to the fen: "
                );
                for line in lines.iter_mut().filter(|l| !l.capped_amount.is_zero()) {
                    line.granted =
                        Money::from_fen(line.capped_amount.fen() * budget_fen / requested_fen);
                    line.reasons.push(budget_reason(
                        format!("{zh}{} 元。", line.granted),
                        format!("{en}{} CNY.", line.granted),
                    ));
                }
            }
            BudgetReading::FirstComeFirstServed => {
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
        }
    }
    lines.sort_by(|a, b| a.id.cmp(&b.id));
    let granted_fen: i128 = lines.iter().map(|l| l.granted.fen()).sum();
    Ok(OldAllocation {
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

fn moment(secs: i64, nanos: u32, offset_hours: i32) -> DateTime<FixedOffset> {
    let base = FixedOffset::east_opt(offset_hours * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 4, 1, 9, 0, 0)
        .unwrap();
    base + Duration::seconds(secs) + Duration::nanoseconds(nanos as i64)
}

prop_compose! {
    /// A round whose applications collide where the code has to choose: enterprises with
    /// several applications (CAP-YEAR), histories reaching CAP-TIMES or using up the year,
    /// equal submission instants written in other offsets (ties broken by id), ids of other
    /// lengths and scripts, a repeated id now and then, budgets ample or short, amounts up
    /// to the largest accepted.
    fn any_round()(
        apps in prop::collection::vec(
            (0u32..40, 0usize..8, 0i64..50, 0u32..3, -12i32..=14, 0u8..20, 0i128..40_000_000),
            0..400,
        ),
        histories in prop::collection::vec(
            (0usize..8, prop::collection::vec((2020i32..=2027, 0i128..40_000_000), 0..5)),
            0..8,
        ),
        budget in prop_oneof![0i128..10_000, 0i128..2_000_000_000, 0i128..=10_000_000_000_000],
        year in 2025i32..=2027,
        max_times in 1u32..5,
        cap in prop_oneof![Just(30_000_000i128), 0i128..=10_000_000_000_000],
        fcfs in any::<bool>(),
    ) -> (AllocationRequest, Parameters) {
        let names = ["A", "B12", "2026-000001", "申请-7", "a", "Ab", "2026-0000010", ""];
        let applications = apps.iter().enumerate().map(|(i, (n, name, secs, nanos, offset, huge, fen))| {
            let id = if i % 97 == 96 { format!("{}{n}", names[*name]) } else { format!("{}{i}", names[*name]) };
            ApprovedApplication {
                id,
                enterprise: format!("F{}", n % 13),
                // The same instant in another offset: the local time moves, the order does not.
                submitted_at: moment(*secs, nanos * 500_000_000, 0)
                    .with_timezone(&FixedOffset::east_opt(offset * 3600).unwrap()),
                ceiling_amount: Money::from_fen(if *huge == 0 { 10_000_000_000_000 } else { *fen }),
            }
        }).collect();
        let history: BTreeMap<String, Vec<SubsidyRecord>> = histories.iter().map(|(firm, records)| {
            (format!("F{firm}"), records.iter().map(|(year, fen)| SubsidyRecord {
                year: *year,
                amount: Money::from_fen(*fen),
                recovered: false,
                reference: String::new(),
            }).collect())
        }).collect();
        let mut params = Parameters::default();
        params.caps.max_times = max_times;
        params.caps.per_enterprise_per_year = Money::from_fen(cap);
        if fcfs { params.readings.budget = BudgetReading::FirstComeFirstServed; }
        (AllocationRequest { year, budget: Money::from_fen(budget), applications, history }, params)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn allocation_is_identical_to_the_reference((req, params) in any_round()) {
        match (allocate(&req, &params), reference(&req, &params)) {
            (Ok(fast), Ok(slow)) => same_as_before(&fast, &slow),
            (fast, slow) => prop_assert_eq!(fast.unwrap_err(), slow.unwrap_err()),
        }
    }
}

/// The benchmark's round (docs/BENCHMARKS.md), shrunk to 3,000 applications.
#[test]
fn benchmark_round_is_identical_to_the_reference() {
    let base = moment(0, 0, 8);
    for fcfs in [false, true] {
        let applications: Vec<ApprovedApplication> = (0..3_000u64)
            .map(|i| ApprovedApplication {
                id: format!("2026-{i:06}"),
                enterprise: format!("F{}", (i * 7919) % 1_800),
                submitted_at: base + Duration::seconds((i * 104_729 % 2_592_000) as i64),
                ceiling_amount: Money::from_fen(((i * 2_654_435_761) % 40_000_000) as i128),
            })
            .collect();
        let req = AllocationRequest {
            year: 2026,
            budget: Money::yuan(15_000_000),
            applications,
            history: Default::default(),
        };
        let mut params = Parameters::default();
        if fcfs {
            params.readings.budget = BudgetReading::FirstComeFirstServed;
        }
        let fast = allocate(&req, &params).unwrap();
        assert!(fast.scaled);
        same_as_before(&fast, &reference(&req, &params).unwrap());
    }
}

/// `fast` serialises as `slow` did, byte for byte (the JSON the store keeps and the API
/// answers); `slow`'s JSON, read back as the store reads it, equals `fast` and serialises
/// unchanged; a re-review (PROC-OBJECT) of the first line gives the same JSON from either.
fn same_as_before(fast: &Allocation, slow: &OldAllocation) {
    let json = serde_json::to_string(slow).unwrap();
    assert_eq!(serde_json::to_string(fast).unwrap(), json);
    let stored: Allocation = serde_json::from_str(&json).unwrap();
    assert_eq!(&stored, fast);
    assert_eq!(serde_json::to_string(&stored).unwrap(), json);
    if let Some(first) = fast.lines.first() {
        let upheld = |a: &Allocation| {
            let next = apply(a, &first.id, Conclusion::Upheld).unwrap().unwrap();
            serde_json::to_string(&next).unwrap()
        };
        assert_eq!(upheld(fast), upheld(&stored));
    }
}

/// Lines stored by the code before issue 17 read back and serialise byte for byte as they
/// were stored, through the new types and through the old; the same round computed now,
/// with the same re-review, serialises to the same bytes.
#[test]
fn stored_allocations_round_trip_byte_for_byte() {
    let stored: Vec<&str> = STORED.lines().collect();
    assert_eq!(stored.len(), 2);
    for json in &stored {
        let read: Allocation = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&read).unwrap(), *json);
        let old: OldAllocation = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&old).unwrap(), *json);
        // Reading a line's reasons gives what was stored.
        for (new, old) in read.lines.iter().zip(&old.lines) {
            assert_eq!(new.reasons.to_vec(), old.reasons);
        }
    }

    let app = |id: &str, enterprise: &str, day: i64, yuan: i128| ApprovedApplication {
        id: id.into(),
        enterprise: enterprise.into(),
        submitted_at: moment(day * 86_400, 0, 8),
        ceiling_amount: Money::from_fen(yuan * 100 + 37),
    };
    let refused: Vec<SubsidyRecord> = (2023..=2025)
        .map(|year| SubsidyRecord {
            year,
            amount: Money::yuan(1),
            recovered: false,
            reference: String::new(),
        })
        .collect();
    let req = AllocationRequest {
        year: 2026,
        budget: Money::yuan(300_000),
        applications: vec![
            app("A1", "F1", 1, 200_000),
            app("A1b", "F1", 4, 200_000),
            app("A2", "F2", 2, 150_000),
            app("A3", "F3", 3, 100_000),
        ],
        history: BTreeMap::from([("F3".to_string(), refused)]),
    };
    for (fcfs, json) in [false, true].into_iter().zip(stored) {
        let mut params = Parameters::default();
        if fcfs {
            params.readings.budget = BudgetReading::FirstComeFirstServed;
        }
        let computed = allocate(&req, &params).unwrap();
        let lowered = apply(&computed, "A2", Conclusion::Amount(Money::yuan(1_000)));
        let lowered = lowered.unwrap().unwrap();
        assert_eq!(serde_json::to_string(&lowered).unwrap(), json);
        let reasons: Vec<RuleId> = lowered.lines[1].reasons.iter().map(|r| r.rule).collect();
        assert_eq!(reasons, [RuleId::CapYear, RuleId::Budget]);
        assert_eq!(lowered.lines[2].reasons.len(), 2);
        assert_eq!(
            lowered.lines[2].reasons.last().unwrap().rule,
            RuleId::ProcObject
        );
    }
}
