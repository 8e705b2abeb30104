//! The rules crate's JSON requests: a pre-check (`PrecheckRequest`, what the browser and
//! `POST /api/precheck` send) and a round's allocation (`AllocationRequest`). Every input
//! is tried as both. Whatever the text, parsing and deciding must not panic, and what is
//! decided must keep the guarantees the property tests state.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use rules::input::parse_json;
use rules::params::BudgetReading;
use rules::{AllocationRequest, Parameters, PrecheckRequest, allocate, precheck, precheck_json};

/// The shipped parameters (proportional budget), and the same under first come, first
/// served, so both budget readings are reached.
static PARAMS: LazyLock<[Parameters; 2]> = LazyLock::new(|| {
    let shipped = Parameters::default();
    let mut fcfs = shipped.clone();
    fcfs.readings.budget = match shipped.readings.budget {
        BudgetReading::Proportional => BudgetReading::FirstComeFirstServed,
        BudgetReading::FirstComeFirstServed => BudgetReading::Proportional,
    };
    [shipped, fcfs]
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check_precheck(text);
    check_allocation(text);
});

fn check_precheck(text: &str) {
    let params = &PARAMS[0];
    let Ok(decision) = precheck_json(text, params) else {
        return;
    };
    // Parsed once, so it parses again: and what it parsed to survives a round trip.
    let req: PrecheckRequest = parse_json(text).expect("parsed by precheck_json");
    let again: PrecheckRequest = parse_json(&serde_json::to_string(&req).expect("serialises"))
        .expect("a serialised request parses");
    assert_eq!(again, req, "request round trip");
    assert_eq!(precheck(&req, params), decision, "deterministic");

    // SUB-BASE / SUB-KEY: a loan never gets more than its rate times its interest.
    for loan in &decision.loans {
        match loan.rate {
            Some(rate) => {
                assert!(rate == params.rates.base || rate == params.rates.key);
                assert!(
                    loan.ceiling_amount.decimal()
                        <= rate.decimal() * loan.interest_counted.decimal()
                );
            }
            None => assert!(loan.ceiling_amount.is_zero()),
        }
    }
    // Caps only lower the amount; CAP-YEAR bounds it.
    assert!(decision.amount <= decision.ceiling_total);
    assert!(decision.amount <= params.caps.per_enterprise_per_year);
    assert!(!decision.is_eligible() || decision.refused_by.is_empty());
    serde_json::to_string(&decision).expect("a decision serialises");
}

fn check_allocation(text: &str) {
    let Ok(req) = parse_json::<AllocationRequest>(text) else {
        return;
    };
    for params in PARAMS.iter() {
        let Ok(a) = allocate(&req, params) else {
            continue;
        };
        // BUDGET: never more than the budget, and every fen accounted for.
        assert!(a.granted_total <= req.budget, "over budget");
        assert_eq!(a.granted_total.saturating_add(a.unallocated), req.budget);
        let mut granted_fen = 0i128;
        for line in &a.lines {
            assert!(line.granted <= line.capped_amount, "{}", line.id);
            assert!(line.capped_amount <= line.ceiling_amount, "{}", line.id);
            assert!(
                line.capped_amount <= params.caps.per_enterprise_per_year,
                "CAP-YEAR {}",
                line.id
            );
            granted_fen += line.granted.fen();
        }
        assert_eq!(granted_fen, a.granted_total.fen());
        assert!(
            a.lines.windows(2).all(|w| w[0].id < w[1].id),
            "sorted, unique"
        );
        serde_json::to_string(&a).expect("an allocation serialises");
    }
}
