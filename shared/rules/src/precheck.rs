//! The decision on one application: scope, procedure, credit, each loan's ceiling, the
//! caps. The same function answers the browser pre-check, the public `/api/precheck`
//! and the officers' review; only the inputs differ (a review record, verified interest).
//!
//! A refusal lists **every** failing rule: nothing short-circuits.
//!
//! | concern | module | rules |
//! |---|---|---|
//! | the request's shape, before any rule | `validate` | |
//! | the application as a whole | `application` | VALID, PROC-GUIDE, PROC-LATE, SCOPE-ENT, FRAUD, PROC-CREDIT, PROC-REVIEW, TRUTH |
//! | each loan and its rate | `loan` | SUB-LOAN, SUB-REPAID, PROC-GUIDE, SCOPE-IP, SCOPE-OWN, SUB-BASE, SUB-KEY |
//! | the enterprise's caps | `caps` | CAP-TIMES, CAP-YEAR |
//!
//! This file adds PROC-FREE, BUDGET and the answer itself.

mod application;
mod caps;
mod loan;
mod validate;

pub use caps::earlier_times;
pub use validate::validate;

use crate::calendar::shanghai;
use crate::decision::{Decision, Effect, LoanDecision, Outcome, Reason};
use crate::input::InputError;
use crate::model::PrecheckRequest;
use crate::money::Money;
use crate::params::Parameters;
use crate::rule::RuleId::{self, *};
use crate::written::Date;
use application::{
    check_credit, check_enterprise, check_fraud, check_review, check_truth, check_validity,
    check_window,
};
use caps::{apply_cap_year, check_times};
use chrono::Datelike;
use loan::{decide_loan, key_industry};

/// Reads ([`crate::reader`]), validates and decides a pre-check request given as JSON.
pub fn precheck_json(json: &str, params: &Parameters) -> Result<Decision, InputError> {
    let req: PrecheckRequest = crate::reader::read(json)?;
    validate(&req)?;
    Ok(precheck(&req, params))
}

/// Decides an application. Pure: the application was made at `req.as_of` and is assessed
/// at `req.assessed_at` (the same moment when absent).
pub fn precheck(req: &PrecheckRequest, params: &Parameters) -> Decision {
    let app = &req.application;
    let today = req.as_of.with_timezone(&shanghai()).date_naive();
    let assessed_on = req
        .assessed_at
        .map_or(today, |t| t.with_timezone(&shanghai()).date_naive());
    let year = req.round.as_ref().map_or(today.year(), |r| r.year);
    let mut reasons = Vec::new();

    check_validity(req, params, today, &mut reasons);
    check_window(req, &mut reasons);
    reasons.push(Reason::new(
        ProcFree,
        Effect::Note,
        "申报不收取任何费用。",
        "Applying costs nothing.",
    ));
    check_enterprise(&app.enterprise, &mut reasons);
    if assessed_on != today {
        let (today, assessed_on) = (Date(today), Date(assessed_on));
        reasons.push(Reason::new(
            ProcReview,
            Effect::Note,
            format!("申报于 {today} 提交；信用记录和弄虚作假情况按评审日 {assessed_on} 核查。"),
            format!(
                "Applied on {today}; the credit record and fraud findings are assessed as of the review on {assessed_on}."
            ),
        ));
    }
    check_fraud(app, params, today, assessed_on, &mut reasons);
    check_credit(
        &app.enterprise,
        req.round.as_ref(),
        assessed_on,
        &mut reasons,
    );
    check_times(app, params, year, &mut reasons);
    check_review(app, &mut reasons);
    check_truth(app, &mut reasons);

    let key_industry = key_industry(&app.enterprise, req.round.as_ref(), params);
    let loans: Vec<LoanDecision> = app
        .loans
        .iter()
        .map(|loan| {
            decide_loan(
                loan,
                &app.enterprise,
                key_industry,
                req.round.as_ref(),
                params,
                today,
                &mut reasons,
            )
        })
        .collect();

    let ceiling_total: Money = loans.iter().map(|l| l.ceiling_amount).sum();
    let mut caps = Vec::new();
    let any_loan = loans.iter().any(|l| l.eligible);
    let mut amount = ceiling_total;
    if any_loan {
        amount = apply_cap_year(app, params, year, ceiling_total, &mut caps, &mut reasons);
        reasons.push(Reason::new(
            Budget,
            Effect::Note,
            "若当年申报总额超过财政预算，各项补助按同一比例核减（向下取整到分）。",
            "If the round's total exceeds the budget, every amount is scaled by the same factor (rounded down to the fen).",
        ));
    } else if app.loans.is_empty() {
        reasons.push(Reason::new(
            SubLoan,
            Effect::Refuse,
            "未填写贷款。",
            "No loan was given.",
        ));
    }

    // Refused when any rule refuses the application as a whole, or no loan qualifies.
    let refused = !any_loan
        || amount.is_zero()
        || reasons
            .iter()
            .any(|r| r.effect == Effect::Refuse && r.loan.is_none());
    let outcome = if refused {
        amount = Money::ZERO;
        Outcome::Refused
    } else {
        Outcome::Eligible
    };
    if outcome == Outcome::Refused && !reasons.iter().any(|r| r.effect == Effect::Refuse) {
        // Nothing refused, yet nothing to pay: the caps took it all, or the interest was
        // too small to give a fen. A refusal always names its rule.
        reasons.push(nothing_to_pay(&loans, &caps));
    }
    let mut refused_by: Vec<RuleId> = Vec::new();
    if outcome == Outcome::Refused {
        for r in reasons.iter().filter(|r| r.effect == Effect::Refuse) {
            if !refused_by.contains(&r.rule) {
                refused_by.push(r.rule);
            }
        }
    }
    Decision {
        outcome,
        provisional: !app.review.as_ref().is_some_and(|r| r.is_final()),
        year,
        loans,
        ceiling_total,
        caps,
        amount,
        refused_by,
        reasons,
        readings: params.readings.clone(),
    }
}

/// The refusal of an application whose every check passed but whose amount is 0.00: under
/// the last cap that took the amount to nothing (CAP-YEAR), or else under the rate rule of
/// its loans (SUB-BASE / SUB-KEY: the interest was too small to give a fen).
fn nothing_to_pay(loans: &[LoanDecision], caps: &[crate::decision::CapApplied]) -> Reason {
    if let Some(cap) = caps.iter().rev().find(|c| c.after.is_zero()) {
        return Reason::new(
            cap.rule,
            Effect::Refuse,
            format!(
                "经{}核减后补助金额为 0.00 元，本次无可补助金额。",
                cap.rule.code()
            ),
            format!(
                "After {} the amount is 0.00 CNY: nothing can be granted this time.",
                cap.rule.code()
            ),
        );
    }
    let rule = loans.iter().find_map(|l| l.rate_rule).unwrap_or(SubBase);
    Reason::new(
        rule,
        Effect::Refuse,
        "按实际支付利息和补助比例计算，补助金额不足 0.01 元，本次无可补助金额。",
        "At the subsidy rate, the interest actually paid gives less than 0.01 CNY: nothing can be granted.",
    )
}
