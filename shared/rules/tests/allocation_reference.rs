//! The round's allocation is computed in integer fen with cached sort keys (issue 17); this
//! pins it to the straightforward implementation it replaced — same lines, same order, same
//! amounts to the fen, same texts — on random rounds of a few hundred applications.

use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use proptest::prelude::*;
use rules::allocation::{Allocation, AllocationLine, AllocationRequest, ApprovedApplication};
use rules::decision::{Effect, Reason};
use rules::input::{FieldError, InputError};
use rules::model::SubsidyRecord;
use rules::params::{BudgetReading, Parameters};
use rules::precheck::earlier_times;
use rules::{Money, RuleId, allocate};
use std::collections::BTreeMap;

/// The allocation as it was written before issue 17 (Decimal money, texts by `format!`).
fn reference(req: &AllocationRequest, params: &Parameters) -> Result<Allocation, InputError> {
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
        let fast = allocate(&req, &params);
        let slow = reference(&req, &params);
        prop_assert_eq!(&fast, &slow);
        // The texts too, byte for byte, as the API sends them.
        if let (Ok(fast), Ok(slow)) = (fast, slow) {
            prop_assert_eq!(serde_json::to_string(&fast).unwrap(), serde_json::to_string(&slow).unwrap());
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
        assert_eq!(fast, reference(&req, &params).unwrap());
    }
}
