//! One test (or more) per rule of RULES.md, each named after its rule ID, with the worked
//! examples of the measures.

mod common;

use common::*;
use rules::decision::Effect;
use rules::model::{
    CreditFinding, CreditFindingKind, CreditReport, CreditSource, Department, DepartmentOpinion,
    FraudFinding, FraudKind, LenderKind, PledgedRight, Review,
};
use rules::params::{BudgetReading, KeyRateReading};
use rules::patent::PatentType;
use rules::procedure::{Stage, StageContext, check_objection, check_transition, notice_period};
use rules::{
    Calendar, Money, Outcome, RuleId, allocate,
    allocation::{AllocationRequest, ApprovedApplication},
    precheck,
};

fn refused_by(r: &rules::PrecheckRequest) -> Vec<RuleId> {
    precheck(r, &params()).refused_by
}

fn has(d: &rules::Decision, rule: RuleId, effect: Effect) -> bool {
    d.reasons_for(rule).any(|r| r.effect == effect)
}

// ---------------------------------------------------------------- scope

#[test]
fn scope_ip_copyright_alone_is_refused() {
    let mut r = request();
    r.application.loans[0].pledged_rights = vec![PledgedRight::Copyright {
        registration_number: "国作登字-2024-A-00000001".into(),
        owner: OWNER.into(),
    }];
    let d = precheck(&r, &params());
    assert_eq!(d.outcome, Outcome::Refused);
    assert_eq!(d.refused_by, vec![RuleId::ScopeIp]);
    assert!(
        has(&d, RuleId::ScopeIp, Effect::Note),
        "the copyright is named"
    );
}

#[test]
fn scope_ip_copyright_beside_a_patent_is_ignored_not_fatal() {
    let mut r = request();
    r.application.loans[0]
        .pledged_rights
        .push(PledgedRight::Copyright {
            registration_number: "国作登字-2024-A-00000001".into(),
            owner: OWNER.into(),
        });
    let d = precheck(&r, &params());
    assert!(d.is_eligible());
    let note = d
        .reasons_for(RuleId::ScopeIp)
        .find(|x| x.effect == Effect::Note)
        .expect("the copyright is named");
    assert!(
        note.zh.contains("著作权") || note.en.contains("opyright"),
        "{note:?}"
    );
    assert_eq!(
        d.loans[0].rate_rule,
        Some(RuleId::SubKey),
        "the patent decides"
    );
    assert_eq!(d.amount, yuan("120000"));
}

#[test]
fn scope_ip_another_right_beside_a_patent_is_ignored_not_fatal() {
    let mut r = request();
    r.application.loans[0]
        .pledged_rights
        .push(PledgedRight::Other {
            description: "域名".into(),
            owner: OWNER.into(),
        });
    let d = precheck(&r, &params());
    assert!(d.is_eligible());
    assert!(has(&d, RuleId::ScopeIp, Effect::Note));
    assert_eq!(d.amount, yuan("120000"));
}

#[test]
fn scope_ent_not_registered_and_not_taxpaying_both_listed() {
    let mut r = request();
    r.application.enterprise.registered_in_district = false;
    r.application.enterprise.pays_tax_in_district = false;
    let d = precheck(&r, &params());
    assert_eq!(d.outcome, Outcome::Refused);
    assert_eq!(d.refused_by, vec![RuleId::ScopeEnt]);
    assert_eq!(
        d.reasons_for(RuleId::ScopeEnt)
            .filter(|x| x.effect == Effect::Refuse)
            .count(),
        2
    );
}

#[test]
fn scope_ent_individual_business_code_is_not_an_enterprise() {
    let mut r = request();
    r.application.enterprise.credit_code =
        rules::uscc::CreditCode::parse("92110109MA01H5RU1W").unwrap();
    assert_eq!(refused_by(&r), vec![RuleId::ScopeEnt]);
}

#[test]
fn scope_ent_division_code_outside_mentougou_is_a_hint_only() {
    let mut r = request();
    r.application.enterprise.credit_code =
        rules::uscc::CreditCode::parse("91110108MA01G4TB9G").unwrap();
    let d = precheck(&r, &params());
    assert!(d.is_eligible(), "declared registration decides");
    assert!(
        d.reasons_for(RuleId::ScopeEnt)
            .any(|x| x.effect == Effect::Note && x.en.contains("110108"))
    );
}

#[test]
fn scope_own_right_held_by_another_enterprise_is_refused() {
    let mut r = request();
    r.application.loans[0].pledged_rights =
        vec![patent(INVENTION, PatentType::Invention, "别的公司")];
    let d = precheck(&r, &params());
    assert_eq!(d.refused_by, vec![RuleId::ScopeOwn]);
}

#[test]
fn scope_own_names_compare_across_bracket_widths() {
    let mut r = request();
    r.application.enterprise.name = "京西（北京）科技有限公司".into();
    r.application.loans[0].pledged_rights = vec![patent(
        INVENTION,
        PatentType::Invention,
        "京西(北京)科技有限公司",
    )];
    assert!(precheck(&r, &params()).is_eligible());
}

#[test]
fn scope_own_a_foreign_right_does_not_raise_the_rate() {
    // The enterprise's own utility model counts; another firm's invention patent does not.
    let mut r = request();
    r.application.loans[0].pledged_rights = vec![
        patent(UTILITY, PatentType::UtilityModel, OWNER),
        patent(INVENTION, PatentType::Invention, "别的公司"),
    ];
    let d = precheck(&r, &params());
    assert_eq!(d.loans[0].rate_rule, Some(RuleId::SubBase));
    assert_eq!(d.amount, yuan("100000"));
}

// ---------------------------------------------------------------- subsidy

#[test]
fn sub_loan_non_bank_lender_is_refused() {
    for kind in [
        LenderKind::MicrocreditCompany,
        LenderKind::FinancialLeasing,
        LenderKind::OtherNonBank,
    ] {
        let mut r = request();
        r.application.loans[0].lender_kind = kind;
        assert_eq!(refused_by(&r), vec![RuleId::SubLoan], "{kind:?}");
    }
}

#[test]
fn sub_repaid_after_maturity_is_not_on_schedule() {
    let mut r = request();
    r.application.loans[0].final_repayment_date = Some(date("2025-03-01"));
    let d = precheck(&r, &params());
    assert_eq!(d.refused_by, vec![RuleId::SubRepaid]);
    assert!(
        d.reasons
            .iter()
            .any(|x| x.en.contains("after the maturity"))
    );
}

#[test]
fn sub_repaid_on_the_maturity_date_is_on_schedule() {
    let r = request();
    assert_eq!(
        r.application.loans[0].final_repayment_date,
        Some(r.application.loans[0].maturity_date)
    );
    assert!(precheck(&r, &params()).is_eligible());
}

#[test]
fn sub_repaid_overdue_or_unpaid_or_repaid_after_applying_is_refused() {
    let mut r = request();
    r.application.loans[0].overdue = true;
    assert_eq!(refused_by(&r), vec![RuleId::SubRepaid]);

    let mut r = request();
    r.application.loans[0].final_repayment_date = None;
    assert_eq!(refused_by(&r), vec![RuleId::SubRepaid]);

    let mut r = non_key_request();
    r.round = None;
    r.application.loans[0].maturity_date = date("2026-12-31");
    r.application.loans[0].final_repayment_date = Some(date("2026-05-01"));
    assert_eq!(refused_by(&r), vec![RuleId::SubRepaid]);
}

/// SUB-BASE worked example: 200,000 of interest gets 100,000 (50%).
#[test]
fn sub_base_200000_interest_gets_100000() {
    let d = precheck(&non_key_request(), &params());
    assert!(d.is_eligible());
    assert_eq!(d.loans[0].rate_rule, Some(RuleId::SubBase));
    assert_eq!(d.loans[0].rate.unwrap().percent(), "50%");
    assert_eq!(d.amount, yuan("100000"));
    assert!(has(&d, RuleId::SubBase, Effect::Limit));
}

#[test]
fn sub_base_verified_interest_replaces_the_declared_figure() {
    let mut r = non_key_request();
    r.application.loans[0].verified_interest_paid = Some(yuan("150000.01"));
    let d = precheck(&r, &params());
    assert_eq!(d.loans[0].interest_counted, yuan("150000.01"));
    assert_eq!(
        d.amount,
        yuan("75000.00"),
        "reading 6: rounded down to the fen"
    );
    assert!(has(&d, RuleId::SubBase, Effect::Note));
}

/// SUB-KEY worked example: a key-industry invention patent, 200,000 → 120,000 (60%).
#[test]
fn sub_key_invention_patent_in_key_industry_gets_60_percent() {
    let d = precheck(&request(), &params());
    assert_eq!(d.loans[0].rate_rule, Some(RuleId::SubKey));
    assert_eq!(d.amount, yuan("120000"));
}

#[test]
fn sub_key_pct_invention_counts_utility_and_design_never_do() {
    let cases = [
        (PCT_INVENTION, PatentType::PctInvention, "120000"),
        (UTILITY, PatentType::UtilityModel, "100000"),
        (DESIGN, PatentType::Design, "100000"),
        (PCT_UTILITY, PatentType::PctUtilityModel, "100000"),
    ];
    for (number, t, expected) in cases {
        let mut r = request();
        r.application.loans[0].pledged_rights = vec![patent(number, t, OWNER)];
        assert_eq!(precheck(&r, &params()).amount, yuan(expected), "{t:?}");
    }
}

#[test]
fn sub_key_invention_patent_outside_key_industries_gets_50_percent() {
    let r = non_key_request();
    let d = precheck(&r, &params());
    assert!(
        d.reasons_for(RuleId::SubBase)
            .any(|x| x.en.contains("not in a key industry"))
    );
    assert_eq!(d.loans[0].rate_rule, Some(RuleId::SubBase));
    assert_eq!(d.loans[0].rate.map(|x| x.percent()), Some("50%".into()));
    // Half of the interest paid (200,000): 100,000.
    assert_eq!(r.application.loans[0].interest_paid, yuan("200000"));
    assert_eq!(d.amount, yuan("100000"));
}

#[test]
fn sub_key_well_known_trademark_in_any_industry_reading_1_default() {
    let mut r = non_key_request();
    r.application.loans[0].pledged_rights = vec![trademark("12345678", true, OWNER)];
    let d = precheck(&r, &params());
    assert_eq!(d.loans[0].rate_rule, Some(RuleId::SubKey));
    assert_eq!(d.amount, yuan("120000"));

    // The other reading: the key-industry condition binds trademarks too.
    let mut p = params();
    p.readings.key_rate = KeyRateReading::KeyIndustryForBoth;
    let d = precheck(&r, &p);
    assert_eq!(d.loans[0].rate_rule, Some(RuleId::SubBase));
    assert_eq!(d.amount, yuan("100000"));
    assert_eq!(d.readings.key_rate, KeyRateReading::KeyIndustryForBoth);

    // An ordinary trademark gets 50%.
    let mut r = request();
    r.application.loans[0].pledged_rights = vec![trademark("12345678", false, OWNER)];
    assert_eq!(precheck(&r, &params()).amount, yuan("100000"));
}

#[test]
fn sub_key_industry_named_by_the_round_guide() {
    let mut r = non_key_request();
    r.application.enterprise.industry = "new_energy".into();
    assert_eq!(precheck(&r, &params()).amount, yuan("100000"));
    r.round
        .as_mut()
        .unwrap()
        .extra_key_industries
        .push(rules::params::Industry {
            code: "new_energy".into(),
            zh: "新能源".into(),
            en: "New energy".into(),
        });
    assert_eq!(precheck(&r, &params()).amount, yuan("120000"));
}

/// CAP-YEAR worked example: 800,000 of interest is capped at 300,000.
#[test]
fn cap_year_800000_interest_capped_at_300000() {
    let mut r = non_key_request();
    r.application.loans[0].interest_paid = yuan("800000");
    let d = precheck(&r, &params());
    assert_eq!(d.ceiling_total, yuan("400000"));
    assert_eq!(d.amount, yuan("300000"));
    assert_eq!(d.caps.len(), 1);
    assert_eq!(d.caps[0].rule, RuleId::CapYear);
    assert!(has(&d, RuleId::CapYear, Effect::Limit));
}

#[test]
fn cap_year_adds_up_every_loan_and_earlier_money_of_the_same_year() {
    let mut r = request();
    let mut second = r.application.loans[0].clone();
    second.contract_number = "BJ-2025-0002".into();
    r.application.loans.push(second);
    let d = precheck(&r, &params());
    assert_eq!(d.ceiling_total, yuan("240000"));
    assert_eq!(d.amount, yuan("240000"));

    r.application.history.push(record(2026, "100000"));
    let d = precheck(&r, &params());
    assert_eq!(d.amount, yuan("200000"), "300,000 less 100,000 already");

    r.application.history.push(record(2026, "200000"));
    let d = precheck(&r, &params());
    assert_eq!(d.outcome, Outcome::Refused);
    assert_eq!(d.refused_by, vec![RuleId::CapYear]);
}

/// CAP-TIMES worked example: a fourth subsidy is refused.
#[test]
fn cap_times_fourth_subsidy_is_refused() {
    let mut r = request();
    r.application.history = vec![
        record(2023, "50000"),
        record(2024, "50000"),
        record(2025, "50000"),
    ];
    let d = precheck(&r, &params());
    assert_eq!(d.refused_by, vec![RuleId::CapTimes]);
    assert_eq!(d.amount, Money::ZERO);

    r.application.history.pop();
    assert!(precheck(&r, &params()).is_eligible(), "a third is allowed");
}

#[test]
fn cap_times_reading_4_recovered_money_counts_and_one_round_is_one_time() {
    let mut r = request();
    let mut recovered = record(2023, "50000");
    recovered.recovered = true;
    // Two payments in 2024 are one time; 2023 recovered still counts: 2 times.
    r.application.history = vec![recovered, record(2024, "1000"), record(2024, "2000")];
    assert!(precheck(&r, &params()).is_eligible());
    r.application.history.push(record(2025, "1"));
    assert_eq!(refused_by(&r), vec![RuleId::CapTimes]);
    // Money already this year is the same time, not a new one.
    r.application.history.pop();
    r.application.history.push(record(2026, "1"));
    assert!(precheck(&r, &params()).is_eligible());
}

fn app(id: &str, firm: &str, at: &str, amount: &str) -> ApprovedApplication {
    ApprovedApplication {
        id: id.into(),
        enterprise: firm.into(),
        submitted_at: moment(at),
        ceiling_amount: yuan(amount),
    }
}

/// BUDGET worked example: a round over budget is scaled exactly.
#[test]
fn budget_round_over_budget_is_scaled_exactly() {
    let req = AllocationRequest {
        year: 2026,
        budget: yuan("300000"),
        applications: vec![
            app("A1", "F1", "2026-04-02T09:00:00+08:00", "200000"),
            app("A2", "F2", "2026-04-03T09:00:00+08:00", "150000"),
            app("A3", "F3", "2026-04-04T09:00:00+08:00", "100000.01"),
        ],
        history: Default::default(),
    };
    let a = allocate(&req, &params()).unwrap();
    assert!(a.scaled);
    assert_eq!(a.requested_total, yuan("450000.01"));
    // ⌊amount × 30000000 / 45000001⌋ fen, each.
    assert_eq!(a.lines[0].granted, yuan("133333.33"));
    assert_eq!(a.lines[1].granted, yuan("99999.99"));
    assert_eq!(a.lines[2].granted, yuan("66666.67"));
    assert_eq!(a.granted_total, yuan("299999.99"));
    assert_eq!(a.unallocated, yuan("0.01"));
    assert!(a.granted_total <= req.budget);
    assert!(
        a.lines
            .iter()
            .all(|l| l.reasons.iter().any(|x| x.rule == RuleId::Budget))
    );
}

#[test]
fn budget_within_budget_grants_the_ceilings() {
    let req = AllocationRequest {
        year: 2026,
        budget: yuan("1000000"),
        applications: vec![app("A1", "F1", "2026-04-02T09:00:00+08:00", "200000")],
        history: Default::default(),
    };
    let a = allocate(&req, &params()).unwrap();
    assert!(!a.scaled);
    assert_eq!(a.granted_total, yuan("200000"));
    assert_eq!(a.unallocated, yuan("800000"));
}

#[test]
fn budget_reading_5_first_come_first_served() {
    let mut p = params();
    p.readings.budget = BudgetReading::FirstComeFirstServed;
    let req = AllocationRequest {
        year: 2026,
        budget: yuan("300000"),
        applications: vec![
            app("A2", "F2", "2026-04-03T09:00:00+08:00", "150000"),
            app("A1", "F1", "2026-04-02T09:00:00+08:00", "200000"),
            app("A3", "F3", "2026-04-04T09:00:00+08:00", "100000"),
        ],
        history: Default::default(),
    };
    let a = allocate(&req, &p).unwrap();
    let granted: Vec<_> = a.lines.iter().map(|l| l.granted.to_string()).collect();
    assert_eq!(granted, ["200000.00", "100000.00", "0.00"]);
}

#[test]
fn cap_year_and_cap_times_in_the_round_allocation() {
    let mut history = std::collections::BTreeMap::new();
    history.insert(
        "F3".to_string(),
        vec![record(2023, "1"), record(2024, "1"), record(2025, "1")],
    );
    history.insert("F2".to_string(), vec![record(2026, "250000")]);
    let req = AllocationRequest {
        year: 2026,
        budget: yuan("10000000"),
        applications: vec![
            app("A1", "F1", "2026-04-02T09:00:00+08:00", "200000"),
            app("A1b", "F1", "2026-04-05T09:00:00+08:00", "200000"),
            app("A2", "F2", "2026-04-03T09:00:00+08:00", "150000"),
            app("A3", "F3", "2026-04-04T09:00:00+08:00", "100000"),
        ],
        history,
    };
    let a = allocate(&req, &params()).unwrap();
    let by_id = |id: &str| a.lines.iter().find(|l| l.id == id).unwrap();
    assert_eq!(by_id("A1").granted, yuan("200000"));
    assert_eq!(
        by_id("A1b").granted,
        yuan("100000"),
        "CAP-YEAR: 300,000 in all"
    );
    assert_eq!(
        by_id("A2").granted,
        yuan("50000"),
        "CAP-YEAR: 250,000 already"
    );
    assert_eq!(by_id("A3").granted, Money::ZERO, "CAP-TIMES: fourth time");
    assert!(
        by_id("A3")
            .reasons
            .iter()
            .any(|x| x.rule == RuleId::CapTimes)
    );
}

#[test]
fn budget_duplicate_application_ids_are_an_input_error() {
    let req = AllocationRequest {
        year: 2026,
        budget: yuan("1"),
        applications: vec![
            app("A1", "F1", "2026-04-02T09:00:00+08:00", "1"),
            app("A1", "F2", "2026-04-02T09:00:00+08:00", "1"),
        ],
        history: Default::default(),
    };
    let e = allocate(&req, &params()).unwrap_err();
    assert_eq!(e.errors[0].code, "duplicate");
}

// ---------------------------------------------------------------- procedure

#[test]
fn proc_guide_before_the_window_opens_is_refused() {
    let mut r = request();
    r.as_of = moment("2026-04-01T08:59:59+08:00");
    assert_eq!(refused_by(&r), vec![RuleId::ProcGuide]);
}

#[test]
fn proc_guide_reading_9_loan_repaid_outside_the_covered_period() {
    let mut r = request();
    r.application.loans[0].start_date = date("2023-03-01");
    r.application.loans[0].maturity_date = date("2024-02-28");
    r.application.loans[0].final_repayment_date = Some(date("2024-02-28"));
    let d = precheck(&r, &params());
    assert_eq!(d.refused_by, vec![RuleId::ProcGuide]);
    assert!(
        d.reasons
            .iter()
            .any(|x| x.loan.as_deref() == Some("BJ-2025-0001"))
    );
}

#[test]
fn proc_guide_stages_follow_in_order_none_skipped_or_undone() {
    let ctx = StageContext::default();
    assert!(check_transition(Stage::Open, Stage::Closed, &ctx).is_ok());
    assert!(check_transition(Stage::Closed, Stage::UnderReview, &ctx).is_ok());
    let e = check_transition(Stage::Open, Stage::Allocated, &ctx).unwrap_err();
    assert_eq!(e.rule, RuleId::ProcGuide);
    assert!(check_transition(Stage::InNotice, Stage::Allocated, &ctx).is_err());
    assert!(check_transition(Stage::Paid, Stage::Open, &ctx).is_err());
    assert_eq!(Stage::Paid.next(), None);
}

#[test]
fn proc_late_last_second_accepted_next_refused() {
    let mut r = request();
    r.as_of = moment("2026-04-30T17:00:00+08:00");
    assert!(precheck(&r, &params()).is_eligible());
    r.as_of = moment("2026-04-30T17:00:01+08:00");
    let d = precheck(&r, &params());
    assert_eq!(d.refused_by, vec![RuleId::ProcLate]);
    // The same instant written in UTC.
    r.as_of = moment("2026-04-30T09:00:01+00:00");
    assert_eq!(refused_by(&r), vec![RuleId::ProcLate]);
}

#[test]
fn proc_late_window_cannot_be_closed_early() {
    let ctx = StageContext {
        now: Some(moment("2026-04-30T16:00:00+08:00")),
        window_closes_at: Some(moment("2026-04-30T17:00:00+08:00")),
        notice: None,
    };
    let e = check_transition(Stage::Open, Stage::Closed, &ctx).unwrap_err();
    assert_eq!(e.rule, RuleId::ProcLate);
}

#[test]
fn proc_free_every_decision_says_applying_is_free() {
    for r in [request(), non_key_request()] {
        let d = precheck(&r, &params());
        assert!(has(&d, RuleId::ProcFree, Effect::Note));
    }
}

#[test]
fn proc_review_a_department_objection_refuses_and_review_ends_provisional() {
    let mut r = request();
    assert!(precheck(&r, &params()).provisional);
    r.application.review = Some(complete_review());
    let d = precheck(&r, &params());
    assert!(!d.provisional);
    assert!(d.is_eligible());
    assert!(has(&d, RuleId::ProcReview, Effect::Pass));
    assert!(
        has(&d, RuleId::ProcCredit, Effect::Note),
        "the report is named"
    );

    r.application.review.as_mut().unwrap().opinions[1].objects = true;
    let d = precheck(&r, &params());
    assert_eq!(d.refused_by, vec![RuleId::ProcReview]);
    assert!(d.reasons.iter().any(|x| x.zh.contains("区人力社保局")));
}

/// Every department of QA 4 asked and answered, none objecting; the credit report recorded.
fn complete_review() -> Review {
    Review {
        opinions: Department::ALL
            .iter()
            .map(|d| DepartmentOpinion {
                department: *d,
                name: String::new(),
                answered_on: Some(date("2026-05-08")),
                objects: false,
                note: String::new(),
            })
            .collect(),
        credit_report: Some(CreditReport {
            source: CreditSource::CreditChinaBeijing,
            checked_on: date("2026-05-09"),
            reference: "XYBJ-2026-000123".into(),
            public_credit_rating: "A".into(),
        }),
    }
}

/// Issue 13, point 7: the review shows that the checks were made — a review with no
/// department asked, an answer awaited or no credit report is not final: the decision is
/// provisional and says what is missing; never "all departments agree".
#[test]
fn proc_review_is_final_only_with_every_answer_and_the_credit_report() {
    let mut r = request();
    r.application.review = Some(Review {
        opinions: Vec::new(),
        credit_report: None,
    });
    let d = precheck(&r, &params());
    assert!(d.provisional);
    assert!(
        !has(&d, RuleId::ProcReview, Effect::Pass),
        "zero opinions is no agreement"
    );
    let said = d
        .reasons_for(RuleId::ProcReview)
        .map(|x| x.zh.clone())
        .collect::<String>();
    assert!(
        said.contains("未征求任何部门意见") && said.contains("信用报告"),
        "{said}"
    );

    let mut review = complete_review();
    review.opinions[6].answered_on = None; // the tax bureau has not answered
    review.opinions.push(DepartmentOpinion {
        department: Department::Other,
        name: "区住建委".into(),
        answered_on: Some(date("2026-05-08")),
        objects: false,
        note: String::new(),
    });
    r.application.review = Some(review.clone());
    let d = precheck(&r, &params());
    assert!(d.provisional);
    let said = d
        .reasons_for(RuleId::ProcReview)
        .map(|x| x.en.clone())
        .collect::<String>();
    assert!(said.contains("District Tax Bureau"), "{said}");
    assert!(!said.contains("Credit China"), "{said}");

    review.opinions[6].answered_on = Some(date("2026-05-10"));
    r.application.review = Some(review);
    let d = precheck(&r, &params());
    assert!(!d.provisional, "{:?}", d.reasons);
    assert!(has(&d, RuleId::ProcReview, Effect::Pass));
}

#[test]
fn proc_review_another_department_is_named_and_an_objection_is_dated() {
    let mut r = request();
    let mut review = complete_review();
    review.opinions.push(DepartmentOpinion {
        department: Department::Other,
        name: String::new(),
        answered_on: None,
        objects: true,
        note: String::new(),
    });
    r.application.review = Some(review);
    let e = rules::precheck::validate(&r).unwrap_err();
    let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
    assert!(
        fields.contains(&"application.review.opinions[11].name"),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"application.review.opinions[11].answered_on"),
        "{fields:?}"
    );
}

/// Issue 13, point 2: the submission moment (PROC-LATE) and the assessment moment
/// (PROC-CREDIT, FRAUD) are two: an accident after the submission, entered at review,
/// refuses; a repair made after the submission, before the review, counts.
#[test]
fn proc_credit_is_judged_at_the_assessment_not_the_submission() {
    let mut r = request(); // submitted 2026-04-15
    r.application.enterprise.credit_findings = vec![CreditFinding {
        kind: CreditFindingKind::MajorWorkSafetyAccident,
        date: date("2026-05-10"),
        source: "区应急管理局".into(),
        resolved_on: None,
    }];
    assert!(
        precheck(&r, &params()).is_eligible(),
        "not yet happened on 15 April"
    );
    r.assessed_at = Some(moment("2026-06-01T10:00:00+08:00"));
    let d = precheck(&r, &params());
    assert_eq!(d.refused_by, vec![RuleId::ProcCredit]);
    assert!(
        d.reasons_for(RuleId::ProcLate)
            .all(|x| x.effect == Effect::Pass),
        "window judged at submission"
    );
    assert!(
        has(&d, RuleId::ProcReview, Effect::Note),
        "the two dates are said"
    );

    let mut repaired = request();
    repaired.application.enterprise.credit_findings = vec![CreditFinding {
        kind: CreditFindingKind::SeriousBadCreditRecord,
        date: date("2024-01-10"),
        source: "信用中国（北京）".into(),
        resolved_on: Some(date("2026-05-20")),
    }];
    assert_eq!(
        refused_by(&repaired),
        vec![RuleId::ProcCredit],
        "unrepaired on 15 April"
    );
    repaired.assessed_at = Some(moment("2026-06-01T10:00:00+08:00"));
    assert!(
        precheck(&repaired, &params()).is_eligible(),
        "repaired before the review"
    );
}

#[test]
fn fraud_determined_after_the_submission_stops_the_application_at_review() {
    let mut r = request();
    r.application.enterprise.fraud_findings = vec![FraudFinding {
        kind: FraudKind::IpInfringement,
        determined_on: date("2026-05-08"),
        reference: String::new(),
    }];
    assert!(precheck(&r, &params()).is_eligible());
    r.assessed_at = Some(moment("2026-06-01T10:00:00+08:00"));
    assert_eq!(refused_by(&r), vec![RuleId::Fraud]);
}

/// FRAUD (reading 8): the ban is on applying, so an application made while barred stays
/// refused at a review held after the ban has ended (a determination recorded late).
#[test]
fn fraud_an_application_made_while_barred_is_refused_after_the_ban_ends() {
    let mut r = request();
    r.application.enterprise.fraud_findings = vec![FraudFinding {
        kind: FraudKind::FalseDocuments,
        determined_on: date("2023-04-16"),
        reference: String::new(),
    }];
    // Applied on 2026-04-15, the ban's last day; reviewed after it ended.
    r.assessed_at = Some(moment("2026-06-01T10:00:00+08:00"));
    let d = precheck(&r, &params());
    assert_eq!(d.refused_by, vec![RuleId::Fraud]);
    assert!(d.reasons.iter().any(|x| x.en.contains("2026-04-16")));
    // Applied the day the ban ended: nothing bars it.
    r.application.enterprise.fraud_findings[0].determined_on = date("2023-04-15");
    assert!(precheck(&r, &params()).is_eligible());
    // A determination made after the review is not yet on record.
    r.application.enterprise.fraud_findings[0].determined_on = date("2026-06-02");
    assert!(precheck(&r, &params()).is_eligible());
}

#[test]
fn valid_an_assessment_before_the_submission_is_refused_as_input() {
    let mut r = request();
    r.assessed_at = Some(moment("2026-04-14T10:00:00+08:00"));
    let e = rules::precheck::validate(&r).unwrap_err();
    assert_eq!(e.errors[0].field, "assessed_at");
}

#[test]
fn proc_credit_each_kind_of_finding_refuses() {
    for kind in [
        CreditFindingKind::MajorWorkSafetyAccident,
        CreditFindingKind::MajorEnvironmentalAccident,
        CreditFindingKind::LabourRelationsFailure,
        CreditFindingKind::TaxNonCompliance,
        CreditFindingKind::SeriousBadCreditRecord,
    ] {
        let mut r = request();
        r.application.enterprise.credit_findings = vec![CreditFinding {
            kind,
            date: date("2025-06-01"),
            source: "信用中国（北京）".into(),
            resolved_on: None,
        }];
        assert_eq!(refused_by(&r), vec![RuleId::ProcCredit], "{kind:?}");
    }
}

#[test]
fn proc_credit_old_accident_does_not_count_but_unresolved_bad_record_does() {
    let mut r = request();
    r.application.enterprise.credit_findings = vec![CreditFinding {
        kind: CreditFindingKind::MajorWorkSafetyAccident,
        date: date("2023-06-01"),
        source: "区应急局".into(),
        resolved_on: None,
    }];
    assert!(precheck(&r, &params()).is_eligible());
    r.application.enterprise.credit_findings[0].kind = CreditFindingKind::SeriousBadCreditRecord;
    assert_eq!(refused_by(&r), vec![RuleId::ProcCredit]);
    r.application.enterprise.credit_findings[0].resolved_on = Some(date("2024-01-01"));
    assert!(precheck(&r, &params()).is_eligible(), "credit repaired");
}

/// PROC-NOTICE worked example: published on Friday 26 September 2025, before National Day.
#[test]
fn proc_notice_friday_before_national_day_ends_on_9_october() {
    let cal = Calendar::official();
    let n = notice_period(&cal, &params(), moment("2025-09-26T10:00:00+08:00")).unwrap();
    assert_eq!(n.first_day, date("2025-09-26"));
    assert_eq!(n.last_day, date("2025-10-09"));
    assert_eq!(n.ends_at, moment("2025-10-10T00:00:00+08:00"));
}

#[test]
fn proc_object_inside_the_period_only() {
    let cal = Calendar::official();
    let n = notice_period(&cal, &params(), moment("2026-09-18T10:00:00+08:00")).unwrap();
    assert_eq!(
        n.last_day,
        date("2026-09-23"),
        "Sun 20 Sep is a working day"
    );
    assert!(check_objection(&n, moment("2026-09-23T23:59:59+08:00")).is_ok());
    let e = check_objection(&n, moment("2026-09-24T00:00:00+08:00")).unwrap_err();
    assert_eq!(e.rule, RuleId::ProcObject);
    assert!(e.zh.contains("2026-09-23"), "the answer names the period");
    assert!(check_objection(&n, moment("2026-09-18T09:59:59+08:00")).is_err());
}

#[test]
fn proc_approve_only_after_the_notice_period() {
    let cal = Calendar::official();
    let n = notice_period(&cal, &params(), moment("2026-09-18T10:00:00+08:00")).unwrap();
    let mut ctx = StageContext {
        now: Some(moment("2026-09-23T18:00:00+08:00")),
        window_closes_at: None,
        notice: Some(n),
    };
    let e = check_transition(Stage::InNotice, Stage::Approved, &ctx).unwrap_err();
    assert_eq!(e.rule, RuleId::ProcApprove);
    ctx.now = Some(moment("2026-09-24T00:00:00+08:00"));
    assert!(check_transition(Stage::InNotice, Stage::Approved, &ctx).is_ok());
    ctx.notice = None;
    let e = check_transition(Stage::InNotice, Stage::Approved, &ctx).unwrap_err();
    assert_eq!(e.rule, RuleId::ProcNotice);
}

#[test]
fn disclose_totals_per_round_and_enterprise() {
    use rules::oversight::{Payment, disclosure};
    let pay = |year, id: &str, code: &str, amount: &str| Payment {
        year,
        application_id: id.into(),
        enterprise_code: code.into(),
        enterprise_name: format!("企业{code}"),
        paid_on: date("2026-12-01"),
        amount: yuan(amount),
    };
    let payments = vec![
        pay(2026, "A1", "C1", "100000"),
        pay(2026, "A2", "C2", "50000.50"),
        pay(2025, "B1", "C1", "20000"),
    ];
    let d = disclosure(&payments);
    assert_eq!(d.total, yuan("170000.50"));
    assert_eq!(d.rounds.len(), 2);
    assert_eq!(d.rounds[1].year, 2026);
    assert_eq!(d.rounds[1].enterprises, 2);
    assert_eq!(d.enterprises[0].years, vec![2025, 2026]);
    assert_eq!(d.enterprises[0].total, yuan("120000"));
    let mut reversed = payments.clone();
    reversed.reverse();
    assert_eq!(disclosure(&reversed), d, "order does not matter");
}

#[test]
fn truth_declaration_noted_until_given() {
    let mut r = request();
    assert!(has(&precheck(&r, &params()), RuleId::Truth, Effect::Pass));
    r.application.declared_truthful = false;
    let d = precheck(&r, &params());
    assert!(has(&d, RuleId::Truth, Effect::Note));
    assert!(d.is_eligible(), "a pre-check only reminds");
}

#[test]
fn fraud_bars_for_three_years_from_the_determination() {
    let mut r = request();
    r.application.enterprise.fraud_findings = vec![FraudFinding {
        kind: FraudKind::ObtainedByDeception,
        determined_on: date("2023-04-15"),
        reference: String::new(),
    }];
    assert!(
        precheck(&r, &params()).is_eligible(),
        "2026-04-15: ban over"
    );
    r.application.enterprise.fraud_findings[0].determined_on = date("2023-04-16");
    let d = precheck(&r, &params());
    assert_eq!(d.refused_by, vec![RuleId::Fraud]);
    assert!(d.reasons.iter().any(|x| x.en.contains("2026-04-16")));
}

/// Issue 13, point 10: a finding whose ban is over is not passed over in silence.
#[test]
fn fraud_an_ended_ban_is_said_under_fraud() {
    let mut r = request();
    r.application.enterprise.fraud_findings = vec![FraudFinding {
        kind: FraudKind::FalseDocuments,
        determined_on: date("2022-03-01"),
        reference: String::new(),
    }];
    let d = precheck(&r, &params());
    assert!(d.is_eligible());
    let said: Vec<_> = d.reasons_for(RuleId::Fraud).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0].effect, Effect::Pass);
    assert!(said[0].en.contains("2022-03-01") && said[0].en.contains("2025-03-01"));
    assert!(said[0].zh.contains("2025-03-01"));
    // No finding at all: nothing to say under FRAUD.
    assert_eq!(
        precheck(&request(), &params())
            .reasons_for(RuleId::Fraud)
            .count(),
        0
    );
}

#[test]
fn fraud_recovers_every_subsidy_paid() {
    use rules::oversight::fraud_consequence;
    let mut already = record(2022, "30000");
    already.recovered = true;
    let history = vec![already, record(2024, "100000"), record(2025, "50000.55")];
    let c = fraud_consequence(&history, date("2026-11-27"), &params());
    assert_eq!(c.to_recover, yuan("150000.55"));
    assert_eq!(c.may_apply_from, date("2029-11-27"));
}

#[test]
fn valid_outside_the_measures_validity_is_refused() {
    let mut p = params();
    p.measures.publication_date = date("2022-01-01");
    let d = precheck(&request(), &p);
    assert_eq!(d.refused_by, vec![RuleId::Valid]);
    assert!(has(
        &precheck(&request(), &params()),
        RuleId::Valid,
        Effect::Pass
    ));
}

// ---------------------------------------------------------------- decisions as a whole

/// Issue 13, point 10: 0.01 CNY of interest at 50 % gives no fen; the refusal names the
/// rate rule (SUB-BASE) rather than nothing.
#[test]
fn sub_base_an_interest_too_small_for_a_fen_is_refused_naming_sub_base() {
    let mut r = request();
    r.application.enterprise.industry = "retail".into();
    r.application.loans[0].interest_paid = yuan("0.01");
    let d = precheck(&r, &params());
    assert_eq!(d.outcome, Outcome::Refused);
    assert_eq!(d.amount, Money::ZERO);
    assert_eq!(d.refused_by, vec![RuleId::SubBase], "{:?}", d.reasons);
    assert!(has(&d, RuleId::SubBase, Effect::Refuse));
}

/// Every refused decision names at least one rule, whatever refused it.
#[test]
fn a_refusal_always_names_a_rule() {
    for interest in ["0.01", "0.02", "0.03"] {
        for industry in ["retail", "manufacturing"] {
            let mut r = request();
            r.application.enterprise.industry = industry.into();
            r.application.loans[0].interest_paid = yuan(interest);
            let d = precheck(&r, &params());
            if d.outcome == Outcome::Refused {
                assert!(
                    !d.refused_by.is_empty(),
                    "{interest} {industry}: {:?}",
                    d.reasons
                );
            }
        }
    }
}

/// A refusal lists every failing rule, not just the first.
#[test]
fn refusal_lists_every_failing_rule_in_order() {
    let mut r = request();
    r.as_of = moment("2026-05-01T09:00:00+08:00");
    r.application.enterprise.pays_tax_in_district = false;
    r.application.enterprise.credit_findings = vec![CreditFinding {
        kind: CreditFindingKind::TaxNonCompliance,
        date: date("2025-06-01"),
        source: "区税务局".into(),
        resolved_on: None,
    }];
    r.application.history = vec![record(2021, "1"), record(2022, "1"), record(2023, "1")];
    r.application.loans[0].lender_kind = LenderKind::MicrocreditCompany;
    r.application.loans[0].overdue = true;
    let d = precheck(&r, &params());
    assert_eq!(
        d.refused_by,
        vec![
            RuleId::ProcLate,
            RuleId::ScopeEnt,
            RuleId::ProcCredit,
            RuleId::CapTimes,
            RuleId::SubLoan,
            RuleId::SubRepaid,
        ]
    );
    assert_eq!(d.amount, Money::ZERO);
    assert!(
        d.reasons
            .iter()
            .all(|x| !x.zh.is_empty() && !x.en.is_empty())
    );
}

#[test]
fn one_bad_loan_does_not_sink_a_good_one() {
    let mut r = request();
    let mut bad = r.application.loans[0].clone();
    bad.contract_number = "XD-1".into();
    bad.lender_kind = LenderKind::MicrocreditCompany;
    r.application.loans.push(bad);
    let d = precheck(&r, &params());
    assert!(d.is_eligible());
    assert_eq!(d.amount, yuan("120000"));
    assert!(!d.loans[1].eligible);
    assert_eq!(d.loans[1].refused_by, vec![RuleId::SubLoan]);
    assert!(d.refused_by.is_empty());
}

#[test]
fn validation_errors_name_fields() {
    let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    v["application"]["loans"][0]["maturity_date"] = "2024-01-01".into();
    v["application"]["loans"][0]["pledged_rights"][0]["patent_type"] = "utility_model".into();
    v["application"]["loans"][0]["interest_paid"] = "-5".into();
    let e = rules::precheck_json(&v.to_string(), &params()).unwrap_err();
    assert_eq!(
        e.errors[0].field, "application.loans[0].interest_paid",
        "{e:?}"
    );

    v["application"]["loans"][0]["interest_paid"] = "5".into();
    let e = rules::precheck_json(&v.to_string(), &params()).unwrap_err();
    let fields: Vec<_> = e.errors.iter().map(|x| x.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "application.loans[0].maturity_date",
            "application.loans[0].pledged_rights[0].patent_type"
        ]
    );

    let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    v["application"]["enterprise"]["credit_code"] = "91110109MA01C3KP2Q".into();
    let e = rules::precheck_json(&v.to_string(), &params()).unwrap_err();
    assert_eq!(e.errors[0].field, "application.enterprise.credit_code");
    v["application"]["enterprise"]["credit_code"] = "91110109MA01C3KP2P".into();
    v["application"]["enterprise"]["favourite_colour"] = "red".into();
    let e = rules::precheck_json(&v.to_string(), &params()).unwrap_err();
    assert_eq!(e.errors[0].code, "unknown_field");
}

#[test]
fn validation_refuses_hostile_names_and_control_characters() {
    let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    v["application"]["enterprise"]["name"] = "'; DROP TABLE applications;--".into();
    v["application"]["loans"][0]["lender_name"] = "<b>银行</b>".into();
    v["application"]["loans"][0]["pledged_rights"][0]["owner"] = "北京\u{0}公司".into();
    v["application"]["history"] = serde_json::json!([
        {"year": 2024, "amount": "1.00", "reference": "门知\u{7}〔2024〕1号"}
    ]);
    let e = rules::precheck_json(&v.to_string(), &params()).unwrap_err();
    let found: Vec<_> = e
        .errors
        .iter()
        .map(|x| (x.field.as_str(), x.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("application.enterprise.name", "name_character"),
            ("application.loans[0].lender_name", "name_character"),
            (
                "application.loans[0].pledged_rights[0].owner",
                "name_character"
            ),
            ("application.history[0].reference", "control_character"),
        ]
    );
    // Prose keeps any printable text.
    let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    v["application"]["history"] =
        serde_json::json!([{"year": 2024, "amount": "1.00", "reference": "'; DROP TABLE x;-- “”"}]);
    assert!(rules::precheck_json(&v.to_string(), &params()).is_ok());
}

/// Every rule of RULES.md has at least one test here named after its ID.
#[test]
fn every_rule_id_has_a_test_named_after_it() {
    let source = include_str!("rules_by_id.rs");
    for id in RuleId::ALL {
        let prefix = format!("fn {}_", id.code().to_lowercase().replace('-', "_"));
        assert!(source.contains(&prefix), "no test named after {id}");
    }
}
