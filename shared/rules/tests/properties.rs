//! Properties that must hold for every input (proptest).

mod common;

use common::*;
use proptest::prelude::*;
use rules::allocation::{AllocationRequest, ApprovedApplication};
use rules::model::LenderKind;
use rules::params::BudgetReading;
use rules::patent::PatentType;
use rules::{Money, allocate, precheck};

fn money(max_fen: i128) -> impl Strategy<Value = Money> {
    (0..=max_fen).prop_map(Money::from_fen)
}

prop_compose! {
    /// A request built from the example, varied in the ways that move amounts.
    fn any_request()(
        interests in prop::collection::vec(money(200_000_000), 1..5),
        kinds in prop::collection::vec(0u8..6, 1..5),
        key_industry in any::<bool>(),
        history_years in prop::collection::vec(2019i32..=2026, 0..5),
        history_amount in money(40_000_000),
        bank in any::<bool>(),
    ) -> rules::PrecheckRequest {
        let mut r = request();
        if !key_industry {
            r.application.enterprise.industry = "other".into();
        }
        let template = r.application.loans[0].clone();
        r.application.loans = interests.iter().enumerate().map(|(i, interest)| {
            let mut l = template.clone();
            l.contract_number = format!("C{i}");
            l.interest_paid = *interest;
            if !bank && i == 0 { l.lender_kind = LenderKind::OtherNonBank; }
            let kind = kinds[i % kinds.len()];
            l.pledged_rights = vec![match kind {
                0 => patent(INVENTION, PatentType::Invention, OWNER),
                1 => patent(UTILITY, PatentType::UtilityModel, OWNER),
                2 => patent(DESIGN, PatentType::Design, OWNER),
                3 => patent(PCT_INVENTION, PatentType::PctInvention, OWNER),
                4 => trademark("1234567", true, OWNER),
                _ => trademark("7654321", false, OWNER),
            }];
            l
        }).collect();
        r.application.history = history_years.iter().map(|y| rules::model::SubsidyRecord {
            year: *y, amount: history_amount, recovered: false, reference: String::new(),
        }).collect();
        r
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// SUB-BASE / SUB-KEY: no loan ever gets more than its rate times its interest, and the
    /// rate is 50% or 60%.
    #[test]
    fn sub_key_granted_never_exceeds_rate_times_interest(r in any_request()) {
        let p = params();
        let d = precheck(&r, &p);
        for l in &d.loans {
            if let Some(rate) = l.rate {
                prop_assert!(rate == p.rates.base || rate == p.rates.key);
                prop_assert!(l.ceiling_amount.decimal() <= rate.decimal() * l.interest_counted.decimal());
            } else {
                prop_assert!(l.ceiling_amount.is_zero());
            }
        }
        prop_assert!(d.amount <= d.ceiling_total);
    }

    /// CAP-YEAR: an enterprise never gets more than 300,000 in a year, counting what it
    /// already received that year.
    #[test]
    fn cap_year_never_more_than_300000_a_year(r in any_request()) {
        let p = params();
        let d = precheck(&r, &p);
        let already: Money = r.application.history.iter().filter(|h| h.year == d.year).map(|h| h.amount).sum();
        prop_assert!(d.amount.saturating_add(already) <= p.caps.per_enterprise_per_year.max(already));
        prop_assert!(d.amount <= p.caps.per_enterprise_per_year);
    }

    /// CAP-TIMES: never a fourth time.
    #[test]
    fn cap_times_never_more_than_three(r in any_request()) {
        let p = params();
        let d = precheck(&r, &p);
        let mut years: Vec<i32> = r.application.history.iter()
            .filter(|h| !h.amount.is_zero() && h.year != d.year).map(|h| h.year).collect();
        years.sort(); years.dedup();
        if d.is_eligible() {
            prop_assert!(years.len() < 3);
        }
        if years.len() >= 3 {
            prop_assert!(d.refused_by.contains(&rules::RuleId::CapTimes));
        }
    }
}

prop_compose! {
    fn any_round()(
        budget in money(200_000_000),
        apps in prop::collection::vec((0usize..12, 0i64..100_000, money(40_000_000)), 0..60),
        fcfs in any::<bool>(),
    ) -> (AllocationRequest, bool) {
        let base = moment("2026-04-01T09:00:00+08:00");
        let applications = apps.iter().enumerate().map(|(i, (firm, secs, amount))| ApprovedApplication {
            id: format!("A{i:03}"),
            enterprise: format!("F{firm}"),
            submitted_at: base + chrono::Duration::seconds(*secs),
            ceiling_amount: *amount,
        }).collect();
        let mut history = std::collections::BTreeMap::new();
        history.insert("F0".to_string(), vec![record(2023, "1"), record(2024, "1"), record(2025, "1")]);
        history.insert("F1".to_string(), vec![record(2026, "123456.78")]);
        (AllocationRequest { year: 2026, budget, applications, history }, fcfs)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// BUDGET: the round total never exceeds the budget; CAP-YEAR and CAP-TIMES hold per
    /// enterprise; the result is the same whatever the input order.
    #[test]
    fn budget_total_within_budget_and_independent_of_order((req, fcfs) in any_round(), seed in any::<u64>()) {
        let mut p = params();
        if fcfs { p.readings.budget = BudgetReading::FirstComeFirstServed; }
        let a = allocate(&req, &p).unwrap();
        prop_assert!(a.granted_total <= req.budget);
        // The totals are the lines' (recomputed here, not read back from the allocation).
        let granted: Money = a.lines.iter().map(|l| l.granted).sum();
        prop_assert_eq!(a.granted_total, granted);
        prop_assert_eq!(a.unallocated, req.budget.saturating_sub(granted));
        // BUDGET: a budget that covers every capped amount cuts nothing.
        let capped: Money = a.lines.iter().map(|l| l.capped_amount).sum();
        if capped <= req.budget {
            for l in &a.lines {
                prop_assert_eq!(l.granted, l.capped_amount, "{} cut under an ample budget", &l.id);
            }
        }
        let mut per_firm = std::collections::BTreeMap::<&str, Money>::new();
        for l in &a.lines {
            prop_assert!(l.granted <= l.capped_amount && l.capped_amount <= l.ceiling_amount);
            let e = per_firm.entry(&l.enterprise).or_default();
            *e = e.saturating_add(l.granted);
        }
        for (firm, total) in &per_firm {
            let already = if *firm == "F1" { yuan("123456.78") } else { Money::ZERO };
            prop_assert!(total.saturating_add(already) <= yuan("300000"), "CAP-YEAR for {}", firm);
            if *firm == "F0" { prop_assert!(total.is_zero(), "CAP-TIMES for F0"); }
        }
        // Shuffle deterministically from the seed and allocate again.
        let mut shuffled = req.clone();
        let n = shuffled.applications.len();
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.applications.swap(i, (s >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(allocate(&shuffled, &p).unwrap(), a);
    }

    /// No input makes the crate panic: arbitrary text into every JSON entry point.
    #[test]
    fn no_panic_on_any_json_text(s in ".{0,400}") {
        let p = params();
        let _ = rules::precheck_json(&s, &p);
        let _ = rules::input::parse_json::<AllocationRequest>(&s);
        let _ = rules::Parameters::from_json(&s);
        let _ = rules::uscc::CreditCode::parse(&s);
        let _ = rules::patent::PatentNumber::parse(&s);
        let _ = Money::parse(&s);
    }

    /// No panic on structurally valid requests with arbitrary values in them either.
    #[test]
    fn no_panic_on_mutated_example(path in 0usize..12, text in ".{0,30}", n in any::<i64>()) {
        let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        let value: serde_json::Value = if n % 2 == 0 { text.clone().into() } else { n.into() };
        let ptr = [
            "/as_of", "/round/year", "/round/window/opens_at", "/round/budget",
            "/application/enterprise/credit_code", "/application/enterprise/name",
            "/application/loans/0/principal", "/application/loans/0/start_date",
            "/application/loans/0/final_repayment_date", "/application/loans/0/interest_paid",
            "/application/loans/0/pledged_rights/0/application_number", "/application/history",
        ][path];
        if let Some(slot) = v.pointer_mut(ptr) { *slot = value; }
        let _ = rules::precheck_json(&v.to_string(), &params());
    }
}
