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

/// A day of 2022–2026 (`n` days after 1 January 2022).
fn day(n: i64) -> chrono::NaiveDate {
    date("2022-01-01") + chrono::Duration::days(n)
}

prop_compose! {
    /// A request built from the example, varied in the ways that move amounts and
    /// decisions: loans (interest, right, lender, dates around the covered year, overdue),
    /// the moment it is made (before, in or after the window) and assessed, credit and
    /// fraud findings with their dates and repairs, earlier subsidies (recovered or not,
    /// zero or not), and a review complete or not.
    fn any_request()(
        loans in prop::collection::vec(
            (money(200_000_000), 0u8..6, any::<bool>(), 700i64..1400, 0i64..500, any::<bool>()),
            1..5,
        ),
        key_industry in any::<bool>(),
        history in prop::collection::vec((2019i32..=2026, money(40_000_000), any::<bool>(), 0u8..4), 0..5),
        as_of_days in -20i64..45,
        assessed_after in prop::option::of(0i64..60),
        credit in prop::collection::vec((0u8..5, 0i64..1800, prop::option::of(0i64..400)), 0..3),
        fraud in prop::collection::vec((0u8..3, 0i64..1800), 0..2),
        review in prop::option::of((any::<bool>(), any::<bool>(), any::<bool>())),
    ) -> rules::PrecheckRequest {
        let mut r = request();
        if !key_industry {
            r.application.enterprise.industry = "other".into();
        }
        let template = r.application.loans[0].clone();
        r.application.loans = loans.iter().enumerate().map(|(i, (interest, kind, bank, start, length, overdue))| {
            let mut l = template.clone();
            l.contract_number = format!("C{i}");
            l.interest_paid = *interest;
            if !bank { l.lender_kind = LenderKind::OtherNonBank; }
            l.start_date = day(*start);
            l.maturity_date = day(start + 30 + length);
            l.final_repayment_date = Some(day(start + 30 + length));
            l.overdue = *overdue && i % 2 == 0;
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
        r.application.history = history.iter().map(|(year, amount, recovered, zero)| rules::model::SubsidyRecord {
            year: *year,
            amount: if *zero == 0 { Money::ZERO } else { *amount },
            recovered: *recovered,
            reference: String::new(),
        }).collect();
        r.as_of = moment("2026-04-01T09:00:00+08:00") + chrono::Duration::days(as_of_days);
        r.assessed_at = assessed_after.map(|d| r.as_of + chrono::Duration::days(d));
        use rules::model::{CreditFinding, CreditFindingKind as K, FraudFinding, FraudKind as F};
        r.application.enterprise.credit_findings = credit.iter().map(|(k, on, repaired)| CreditFinding {
            kind: [K::MajorWorkSafetyAccident, K::MajorEnvironmentalAccident, K::LabourRelationsFailure,
                   K::TaxNonCompliance, K::SeriousBadCreditRecord][*k as usize],
            date: day(*on),
            source: "信用中国（北京）".into(),
            resolved_on: repaired.map(|d| day(on + d)),
        }).collect();
        r.application.enterprise.fraud_findings = fraud.iter().map(|(k, on)| FraudFinding {
            kind: [F::FalseDocuments, F::ObtainedByDeception, F::IpInfringement][*k as usize],
            determined_on: day(*on),
            reference: String::new(),
        }).collect();
        r.application.review = review.map(|(asked, answered, report)| {
            use rules::model::{CreditReport, CreditSource, Department, DepartmentOpinion, Review};
            Review {
                opinions: if asked {
                    vec![DepartmentOpinion {
                        department: Department::Tax,
                        name: String::new(),
                        answered_on: answered.then(|| date("2026-05-05")),
                        objects: false,
                        note: String::new(),
                    }]
                } else {
                    Vec::new()
                },
                credit_report: report.then(|| CreditReport {
                    source: CreditSource::CreditChinaBeijing,
                    checked_on: date("2026-05-05"),
                    reference: "XYBJ-2026-000123".into(),
                    public_credit_rating: String::new(),
                }),
            }
        });
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

    /// CAP-TIMES, both ways: with three or more earlier years of subsidy (reading 4:
    /// recovered ones count, zero amounts and this year do not) the application is refused
    /// by it; with fewer it is never refused by it, whatever else refuses it.
    #[test]
    fn cap_times_never_more_than_three(r in any_request()) {
        let p = params();
        let d = precheck(&r, &p);
        let mut years: Vec<i32> = r.application.history.iter()
            .filter(|h| !h.amount.is_zero() && h.year != d.year).map(|h| h.year).collect();
        years.sort(); years.dedup();
        let refused = d.refused_by.contains(&rules::RuleId::CapTimes);
        prop_assert_eq!(refused, years.len() >= 3, "earlier years {:?}", years);
        if d.is_eligible() {
            prop_assert!(years.len() < 3);
        }
    }

    /// Every decision is consistent with itself: eligible exactly when nothing refuses it,
    /// a refused application gets nothing, and each rule in `refused_by` has a refusing
    /// reason that says why.
    #[test]
    fn a_decision_agrees_with_its_reasons(r in any_request()) {
        let d = precheck(&r, &params());
        prop_assert_eq!(d.is_eligible(), d.refused_by.is_empty());
        if !d.is_eligible() {
            prop_assert!(d.amount.is_zero());
        }
        for rule in &d.refused_by {
            prop_assert!(d.reasons_for(*rule).any(|x| x.effect == rules::decision::Effect::Refuse && !x.zh.is_empty() && !x.en.is_empty()));
        }
        // Provisional until the review records every answer and the credit report.
        let complete = r.application.review.as_ref().is_some_and(|v| v.missing().is_empty());
        prop_assert_eq!(d.provisional, !complete);
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

    /// Values changed within their types (amounts, dates, flags, kinds, numbers) reach
    /// the decision: the request still parses and validates or is refused as input, never
    /// a panic, and a well-typed change of a free field (a name, an amount, a date in
    /// range) is decided.
    #[test]
    fn no_panic_on_mutated_example(
        field in 0usize..10,
        amount in money(1_000_000_000),
        days in 0i64..1800,
        flag in any::<bool>(),
        pick in 0usize..8,
        text in "[一-龥][一-龥A-Za-z0-9（）]{0,29}",
    ) {
        let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        let (ptr, value): (&str, serde_json::Value) = match field {
            0 => ("/application/loans/0/principal", amount.to_string().into()),
            1 => ("/application/loans/0/interest_paid", amount.to_string().into()),
            2 => ("/application/loans/0/start_date", day(days).to_string().into()),
            3 => ("/application/loans/0/final_repayment_date", day(days).to_string().into()),
            4 => ("/application/loans/0/overdue", flag.into()),
            5 => ("/application/enterprise/registered_in_district", flag.into()),
            6 => ("/application/loans/0/lender_kind",
                  ["bank", "microcredit_company", "financial_leasing", "other_non_bank"][pick % 4].into()),
            7 => ("/application/loans/0/pledged_rights/0/patent_type",
                  ["invention", "utility_model", "design", "pct_invention", "pct_utility_model"][pick % 5].into()),
            8 => ("/application/enterprise/industry",
                  ["artificial_intelligence", "manufacturing", "other", "new_energy"][pick % 4].into()),
            _ => ("/application/enterprise/name", text.into()),
        };
        *v.pointer_mut(ptr).unwrap() = value;
        let decided = rules::precheck_json(&v.to_string(), &params());
        if matches!(field, 1 | 4 | 5 | 6 | 8 | 9) {
            // Free within their types: always decided.
            prop_assert!(decided.is_ok(), "{ptr}: {decided:?}");
        }
    }
}
