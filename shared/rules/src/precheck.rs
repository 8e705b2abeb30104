//! The decision on one application: scope, procedure, credit, each loan's ceiling, the
//! caps. The same function answers the browser pre-check, the public `/api/precheck`
//! and the officers' review; only the inputs differ (a review record, verified interest).
//!
//! A refusal lists **every** failing rule: nothing short-circuits.

use crate::calendar::shanghai;
use crate::decision::{CapApplied, Decision, Effect, LoanDecision, Outcome, Reason};
use crate::input::{FieldError, InputError};
use crate::model::{
    Application, CreditFindingKind, Enterprise, LenderKind, Loan, PledgedRight, PrecheckRequest,
    Round,
};
use crate::money::{Money, Rate};
use crate::params::{KeyRateReading, Parameters, same_date_years_on};
use crate::rule::RuleId::{self, *};
use chrono::{Datelike, NaiveDate};

/// Parses, validates and decides a pre-check request given as JSON.
pub fn precheck_json(json: &str, params: &Parameters) -> Result<Decision, InputError> {
    let req: PrecheckRequest = crate::input::parse_json(json)?;
    validate(&req)?;
    Ok(precheck(&req, params))
}

/// Cross-field checks that JSON types cannot express. Every problem is reported.
pub fn validate(req: &PrecheckRequest) -> Result<(), InputError> {
    let mut errors = Vec::new();
    let mut err = |field: String, code: &str, zh: String, en: String| {
        errors.push(FieldError::new(&field, code, zh, en));
    };
    let app = &req.application;
    let mut name = |field: String, value: &str| {
        if let Err(e) = crate::text::check_name(&field, value) {
            err(e.field, &e.code, e.zh, e.en);
        }
    };
    name("application.enterprise.name".into(), &app.enterprise.name);
    for (i, loan) in app.loans.iter().enumerate() {
        name(
            format!("application.loans[{i}].lender_name"),
            &loan.lender_name,
        );
        for (j, right) in loan.pledged_rights.iter().enumerate() {
            name(
                format!("application.loans[{i}].pledged_rights[{j}].owner"),
                right.owner(),
            );
        }
    }
    let mut prose = |field: String, value: &str, max: usize, multiline: bool| {
        if let Err(e) = crate::text::check_prose(&field, value, 0, max, multiline) {
            err(e.field, &e.code, e.zh, e.en);
        }
    };
    let e = &app.enterprise;
    for (i, f) in e.credit_findings.iter().enumerate() {
        let field = format!("application.enterprise.credit_findings[{i}].source");
        prose(field, &f.source, 200, false);
    }
    for (i, f) in e.fraud_findings.iter().enumerate() {
        let field = format!("application.enterprise.fraud_findings[{i}].reference");
        prose(field, &f.reference, 200, false);
    }
    for (i, h) in app.history.iter().enumerate() {
        prose(
            format!("application.history[{i}].reference"),
            &h.reference,
            200,
            false,
        );
    }
    for (i, o) in app.review.iter().flat_map(|r| &r.opinions).enumerate() {
        let field = format!("application.review.opinions[{i}].note");
        prose(field, &o.note, 2000, true);
    }
    if let Err(e) =
        crate::text::check_code("application.enterprise.industry", &app.enterprise.industry)
    {
        err(e.field, &e.code, e.zh, e.en);
    }
    if app.loans.is_empty() {
        err(
            "application.loans".into(),
            "empty",
            "至少填写一笔贷款".into(),
            "at least one loan is required".into(),
        );
    }
    if app.loans.len() > 50 {
        err(
            "application.loans".into(),
            "too_many",
            "贷款不超过50笔".into(),
            "at most 50 loans".into(),
        );
    }
    for (i, loan) in app.loans.iter().enumerate() {
        let at = |f: &str| format!("application.loans[{i}].{f}");
        check_text(at("contract_number"), &loan.contract_number, 100, &mut err);
        if app.loans[..i]
            .iter()
            .any(|l| l.contract_number.trim() == loan.contract_number.trim())
        {
            err(
                at("contract_number"),
                "duplicate",
                format!("贷款合同编号重复：{}", loan.contract_number),
                format!("loan contract number repeated: {}", loan.contract_number),
            );
        }
        if loan.start_date > loan.maturity_date {
            err(
                at("maturity_date"),
                "date_order",
                format!(
                    "到期日 {} 早于放款日 {}",
                    loan.maturity_date, loan.start_date
                ),
                format!(
                    "maturity {} is before the start {}",
                    loan.maturity_date, loan.start_date
                ),
            );
        }
        if let Some(repaid) = loan.final_repayment_date
            && repaid < loan.start_date
        {
            err(
                at("final_repayment_date"),
                "date_order",
                format!("最后还款日 {repaid} 早于放款日 {}", loan.start_date),
                format!(
                    "final repayment {repaid} is before the start {}",
                    loan.start_date
                ),
            );
        }
        if loan.principal.is_zero() {
            err(
                at("principal"),
                "zero",
                "贷款本金须大于0".into(),
                "the principal must be more than zero".into(),
            );
        }
        if loan.pledged_rights.is_empty() {
            err(
                at("pledged_rights"),
                "empty",
                "至少填写一项质押的知识产权".into(),
                "at least one pledged right is required".into(),
            );
        }
        for (j, right) in loan.pledged_rights.iter().enumerate() {
            let at = |f: &str| format!("application.loans[{i}].pledged_rights[{j}].{f}");
            match right {
                PledgedRight::Patent {
                    application_number,
                    patent_type,
                    ..
                } => {
                    if let Err(e) = application_number.check_declared_type(*patent_type) {
                        err(at("patent_type"), e.code, e.zh.clone(), e.en.clone());
                    }
                }
                PledgedRight::Trademark {
                    registration_number,
                    ..
                } => {
                    let n = registration_number.trim();
                    if n.is_empty() || n.len() > 10 || !n.bytes().all(|b| b.is_ascii_digit()) {
                        err(
                            at("registration_number"),
                            "trademark_number_invalid",
                            format!("商标注册号应为1至10位数字：{registration_number:?}"),
                            format!(
                                "a trademark registration number is 1 to 10 digits: {registration_number:?}"
                            ),
                        );
                    }
                }
                PledgedRight::Copyright {
                    registration_number,
                    ..
                } => check_text(
                    at("registration_number"),
                    registration_number,
                    100,
                    &mut err,
                ),
                PledgedRight::Other { description, .. } => {
                    check_text(at("description"), description, 200, &mut err)
                }
            }
        }
    }
    if let Some(round) = &req.round {
        if round.window.opens_at > round.window.closes_at {
            err(
                "round.window.closes_at".into(),
                "date_order",
                "申报截止时间早于开始时间".into(),
                "the window closes before it opens".into(),
            );
        }
        if round.covered_period.from > round.covered_period.to {
            err(
                "round.covered_period.to".into(),
                "date_order",
                "覆盖期间的结束日早于开始日".into(),
                "the covered period ends before it starts".into(),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(InputError { errors })
    }
}

fn check_text(
    field: String,
    value: &str,
    max: usize,
    err: &mut impl FnMut(String, &str, String, String),
) {
    let n = value.trim().chars().count();
    if n == 0 {
        err(
            field,
            "empty",
            "此项不能为空".into(),
            "this field must not be empty".into(),
        );
    } else if n > max {
        err(
            field,
            "too_long",
            format!("不超过{max}个字符（现为{n}）"),
            format!("at most {max} characters ({n} given)"),
        );
    } else if value.chars().any(|c| c.is_control()) {
        err(
            field,
            "control_character",
            "含有不可见控制字符".into(),
            "contains control characters".into(),
        );
    }
}

/// Decides an application. Pure: the moment of assessment is `req.as_of`.
pub fn precheck(req: &PrecheckRequest, params: &Parameters) -> Decision {
    let app = &req.application;
    let today = req.as_of.with_timezone(&shanghai()).date_naive();
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
    check_fraud(app, params, today, &mut reasons);
    check_credit(&app.enterprise, req.round.as_ref(), today, &mut reasons);
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
        provisional: app.review.is_none(),
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

/// VALID: the measures must be in force on the day of assessment (reading 10).
fn check_validity(
    req: &PrecheckRequest,
    params: &Parameters,
    today: NaiveDate,
    out: &mut Vec<Reason>,
) {
    let from = params.measures.publication_date;
    let until = params.valid_until_exclusive();
    let round_inside = req.round.as_ref().is_none_or(|r| {
        params.in_force_on(r.window.opens_at.with_timezone(&shanghai()).date_naive())
            && params.in_force_on(r.window.closes_at.with_timezone(&shanghai()).date_naive())
    });
    if params.in_force_on(today) && round_inside {
        out.push(Reason::new(
            Valid,
            Effect::Pass,
            format!("本办法有效期为 {from} 至 {until}（不含）。"),
            format!("The measures are in force from {from} until {until} (exclusive)."),
        ));
    } else {
        out.push(Reason::new(
            Valid,
            Effect::Refuse,
            format!("申报时间或申报期不在本办法有效期（{from} 至 {until}，不含）内。"),
            format!(
                "The application or the round falls outside the measures' validity ({from} until {until}, exclusive)."
            ),
        ));
    }
}

/// PROC-GUIDE and PROC-LATE: inside the round's window, both ends inclusive.
fn check_window(req: &PrecheckRequest, out: &mut Vec<Reason>) {
    let Some(round) = &req.round else {
        out.push(Reason::new(
            ProcGuide,
            Effect::Note,
            "未指定申报年度：申报时间和贷款覆盖期间未核对，以当年申报指南为准。",
            "No round given: the window and the loans' covered period were not checked; the year's guide decides.",
        ));
        return;
    };
    let w = &round.window;
    let at = req.as_of;
    if at < w.opens_at {
        out.push(Reason::new(
            ProcGuide,
            Effect::Refuse,
            format!("{}年度申报尚未开始（{} 开始）。", round.year, w.opens_at),
            format!(
                "The {} round is not open yet (opens {}).",
                round.year, w.opens_at
            ),
        ));
    } else if at > w.closes_at {
        out.push(Reason::new(
            ProcLate,
            Effect::Refuse,
            format!(
                "{}年度申报已于 {} 截止，逾期不予受理。",
                round.year, w.closes_at
            ),
            format!(
                "The {} round closed at {}; late applications are not accepted.",
                round.year, w.closes_at
            ),
        ));
    } else {
        out.push(Reason::new(
            ProcLate,
            Effect::Pass,
            format!("在申报期内（截止 {}）。", w.closes_at),
            format!("Inside the application window (closes {}).", w.closes_at),
        ));
    }
}

/// SCOPE-ENT: an enterprise, registered and paying tax in the district. The division code
/// inside the credit code is only a hint (enterprises move), so it is a note.
fn check_enterprise(e: &Enterprise, out: &mut Vec<Reason>) {
    let mut ok = true;
    if !e.credit_code.registration_class().is_enterprise() {
        ok = false;
        out.push(Reason::new(
            ScopeEnt,
            Effect::Refuse,
            format!(
                "统一社会信用代码 {} 的登记管理部门和机构类别代码表明申报主体不是企业。",
                e.credit_code
            ),
            format!(
                "The credit code {} shows an applicant that is not an enterprise.",
                e.credit_code
            ),
        ));
    }
    if !e.registered_in_district {
        ok = false;
        out.push(Reason::new(
            ScopeEnt,
            Effect::Refuse,
            "企业未在门头沟区依法登记注册。",
            "The enterprise is not registered in Mentougou District.",
        ));
    }
    if !e.pays_tax_in_district {
        ok = false;
        out.push(Reason::new(
            ScopeEnt,
            Effect::Refuse,
            "企业未在门头沟区纳税。",
            "The enterprise does not pay tax in Mentougou District.",
        ));
    }
    if !e.credit_code.is_mentougou() {
        out.push(Reason::new(
            ScopeEnt,
            Effect::Note,
            format!(
                "统一社会信用代码中的登记机关行政区划码为 {}，不是门头沟区（110109）；请核实登记地。",
                e.credit_code.division_code()
            ),
            format!(
                "The credit code's division code is {}, not Mentougou (110109); check where the enterprise is registered.",
                e.credit_code.division_code()
            ),
        ));
    }
    if ok {
        out.push(Reason::new(
            ScopeEnt,
            Effect::Pass,
            "在门头沟区登记注册并纳税的企业。",
            "An enterprise registered and paying tax in Mentougou District.",
        ));
    }
}

/// FRAUD: barred for three years from the determination (reading 8).
fn check_fraud(app: &Application, params: &Parameters, today: NaiveDate, out: &mut Vec<Reason>) {
    for f in &app.enterprise.fraud_findings {
        let until = same_date_years_on(f.determined_on, params.fraud_ban_years);
        if f.determined_on <= today && today < until {
            out.push(Reason::new(
                Fraud,
                Effect::Refuse,
                format!(
                    "{} 认定存在弄虚作假、骗取补助或知识产权侵权行为，{} 前不得申报。",
                    f.determined_on, until
                ),
                format!(
                    "Fraud, deception or IP infringement determined on {}: no application before {}.",
                    f.determined_on, until
                ),
            ));
        }
    }
}

/// PROC-CREDIT: dated findings "in the year" (credit window reading); a seriously bad
/// credit record counts until resolved, whenever dated.
fn check_credit(e: &Enterprise, round: Option<&Round>, today: NaiveDate, out: &mut Vec<Reason>) {
    let window_start = round.map_or_else(
        || NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap_or(today),
        |r| r.covered_period.from,
    );
    let mut any = false;
    for f in &e.credit_findings {
        let resolved = f.resolved_on.is_some_and(|d| d <= today);
        let counts = match f.kind {
            CreditFindingKind::SeriousBadCreditRecord => f.date <= today && !resolved,
            _ => window_start <= f.date && f.date <= today,
        };
        if counts {
            any = true;
            out.push(Reason::new(
                ProcCredit,
                Effect::Refuse,
                format!("{}：{}（{}）。", f.date, f.kind.zh(), f.source),
                format!("{}: {} ({}).", f.date, f.kind.en(), f.source),
            ));
        }
    }
    if !any {
        out.push(Reason::new(
            ProcCredit,
            Effect::Pass,
            format!("自 {window_start} 起无不予补助的信用记录。"),
            format!("No disqualifying credit finding since {window_start}."),
        ));
    }
}

/// CAP-TIMES: earlier rounds with any subsidy, recovered ones included (reading 4).
fn check_times(app: &Application, params: &Parameters, year: i32, out: &mut Vec<Reason>) {
    let times = earlier_times(&app.history, year);
    let max = params.caps.max_times as usize;
    if times >= max {
        out.push(Reason::new(
            CapTimes,
            Effect::Refuse,
            format!("已累计受补助{times}次，达到{max}次上限。"),
            format!("Already subsidised {times} times; the limit is {max}."),
        ));
    } else {
        out.push(Reason::new(
            CapTimes,
            Effect::Pass,
            format!("此前受补助{times}次（上限{max}次）。"),
            format!("Subsidised {times} times before (limit {max})."),
        ));
    }
}

/// Reading 4: the number of distinct earlier round years with any subsidy.
pub fn earlier_times(history: &[crate::model::SubsidyRecord], year: i32) -> usize {
    let mut years: Vec<i32> = history
        .iter()
        .filter(|h| h.year != year && !h.amount.is_zero())
        .map(|h| h.year)
        .collect();
    years.sort_unstable();
    years.dedup();
    years.len()
}

/// PROC-REVIEW: a department that objects refuses the application; until reviewed the
/// decision is provisional.
fn check_review(app: &Application, out: &mut Vec<Reason>) {
    let Some(review) = &app.review else {
        out.push(Reason::new(
            ProcReview,
            Effect::Note,
            "预审结果，最终以评审及相关部门意见为准。",
            "A pre-check: the final decision follows the review and the departments' opinions.",
        ));
        return;
    };
    let mut objected = false;
    for o in review.opinions.iter().filter(|o| o.objects) {
        objected = true;
        out.push(Reason::new(
            ProcReview,
            Effect::Refuse,
            format!("{}提出不予补助意见：{}", o.department.zh(), o.note),
            format!(
                "{} advises against the subsidy: {}",
                o.department.en(),
                o.note
            ),
        ));
    }
    if !objected {
        out.push(Reason::new(
            ProcReview,
            Effect::Pass,
            format!(
                "已评审，征求意见的{}个部门均无异议。",
                review.opinions.len()
            ),
            format!(
                "Reviewed; none of the {} departments consulted objects.",
                review.opinions.len()
            ),
        ));
    }
}

/// TRUTH: the declaration is required to submit; a pre-check only reminds.
fn check_truth(app: &Application, out: &mut Vec<Reason>) {
    if app.declared_truthful {
        out.push(Reason::new(
            Truth,
            Effect::Pass,
            "申报企业已承诺材料真实、有效。",
            "The applicant declares its documents true and valid.",
        ));
    } else {
        out.push(Reason::new(
            Truth,
            Effect::Note,
            "正式申报时须承诺材料真实、有效，并对此负责。",
            "To apply, the enterprise must declare its documents true and valid, and answers for them.",
        ));
    }
}

/// SUB-KEY: whether the enterprise's industry is a key industry (parameters + the round's
/// guide).
fn key_industry<'a>(
    e: &Enterprise,
    round: Option<&'a Round>,
    params: &'a Parameters,
) -> Option<&'a crate::params::Industry> {
    let code = e.industry.trim();
    params
        .key_industries
        .iter()
        .chain(
            round
                .into_iter()
                .flat_map(|r| r.extra_key_industries.iter()),
        )
        .find(|i| i.code == code)
}

/// Names compare without spaces and with full-width brackets folded, as registries
/// print either.
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '（' => '(',
                '）' => ')',
                c => c,
            })
            .collect()
    };
    norm(a) == norm(b)
}

/// SUB-LOAN, SUB-REPAID, reading 9, SCOPE-IP, SCOPE-OWN, SUB-BASE, SUB-KEY for one loan.
fn decide_loan(
    loan: &Loan,
    e: &Enterprise,
    key_industry: Option<&crate::params::Industry>,
    round: Option<&Round>,
    params: &Parameters,
    today: NaiveDate,
    out: &mut Vec<Reason>,
) -> LoanDecision {
    let c = loan.contract_number.as_str();
    let mut refused_by = Vec::new();
    let mut refuse = |rule: RuleId, zh: String, en: String, out: &mut Vec<Reason>| {
        if !refused_by.contains(&rule) {
            refused_by.push(rule);
        }
        out.push(Reason::new(rule, Effect::Refuse, zh, en).for_loan(c));
    };

    // SUB-LOAN
    if loan.lender_kind != LenderKind::Bank {
        refuse(
            SubLoan,
            format!(
                "贷款人“{}”不是银行，非银行机构借款不予补助。",
                loan.lender_name
            ),
            format!(
                "The lender \"{}\" is not a bank; loans from non-banks do not count.",
                loan.lender_name
            ),
            out,
        );
    }

    // SUB-REPAID
    match loan.final_repayment_date {
        None => refuse(
            SubRepaid,
            "贷款尚未还清。".into(),
            "The loan is not fully repaid.".into(),
            out,
        ),
        Some(d) => {
            if d > loan.maturity_date {
                refuse(
                    SubRepaid,
                    format!(
                        "最后还款日 {d} 晚于合同到期日 {}，未按期还贷。",
                        loan.maturity_date
                    ),
                    format!(
                        "Final repayment on {d}, after the maturity date {}: not repaid on schedule.",
                        loan.maturity_date
                    ),
                    out,
                );
            }
            if d > today {
                refuse(
                    SubRepaid,
                    format!("最后还款日 {d} 在申报之后，申报时尚未还清。"),
                    format!("Final repayment on {d} is after the application: not yet repaid."),
                    out,
                );
            }
            // Reading 9: the round covers loans repaid in its period.
            if let Some(r) = round
                && !r.covered_period.contains(d)
            {
                refuse(
                    ProcGuide,
                    format!(
                        "最后还款日 {d} 不在{}年度申报覆盖的还款期间（{} 至 {}）内。",
                        r.year, r.covered_period.from, r.covered_period.to
                    ),
                    format!(
                        "Final repayment on {d} is outside the period the {} round covers ({} to {}).",
                        r.year, r.covered_period.from, r.covered_period.to
                    ),
                    out,
                );
            }
        }
    }
    if loan.overdue {
        refuse(
            SubRepaid,
            "贷款存在逾期。".into(),
            "The loan was overdue.".into(),
            out,
        );
    }

    // SCOPE-IP and SCOPE-OWN: which pledged rights count.
    let mut counted: Vec<&PledgedRight> = Vec::new();
    let mut in_scope_any = false;
    for right in &loan.pledged_rights {
        if !right.in_scope() {
            out.push(
                Reason::new(
                    ScopeIp,
                    Effect::Note,
                    format!("{} 不属于专利权、商标权，不计入。", right.label_zh()),
                    format!(
                        "{} is neither a patent nor a trademark and does not count.",
                        right.label_en()
                    ),
                )
                .for_loan(c),
            );
            continue;
        }
        in_scope_any = true;
        if same_name(right.owner(), &e.name) {
            counted.push(right);
        } else {
            out.push(
                Reason::new(
                    ScopeOwn,
                    Effect::Note,
                    format!(
                        "{} 的权利人为“{}”，不是申报企业，不计入。",
                        right.label_zh(),
                        right.owner()
                    ),
                    format!(
                        "{} is held by \"{}\", not the applicant, and does not count.",
                        right.label_en(),
                        right.owner()
                    ),
                )
                .for_loan(c),
            );
        }
    }
    if !in_scope_any {
        refuse(
            ScopeIp,
            "质押物中没有专利权或商标权。".into(),
            "No patent or trademark is among the pledged rights.".into(),
            out,
        );
    } else if counted.is_empty() {
        refuse(
            ScopeOwn,
            "质押的专利权、商标权均不在申报企业名下。".into(),
            "None of the pledged patents or trademarks is held by the applicant.".into(),
            out,
        );
    }

    let interest = loan.verified_interest_paid.unwrap_or(loan.interest_paid);
    if let Some(v) = loan.verified_interest_paid
        && v != loan.interest_paid
    {
        out.push(
            Reason::new(
                SubBase,
                Effect::Note,
                format!(
                    "按核实的实际支付利息 {v} 元计算（申报 {} 元）。",
                    loan.interest_paid
                ),
                format!(
                    "Counted on the verified interest paid, {v} CNY (declared {} CNY).",
                    loan.interest_paid
                ),
            )
            .for_loan(c),
        );
    }

    if !refused_by.is_empty() {
        return LoanDecision {
            contract_number: loan.contract_number.clone(),
            eligible: false,
            rate: None,
            rate_rule: None,
            interest_counted: interest,
            ceiling_amount: Money::ZERO,
            refused_by,
        };
    }

    let (rate, rule) = loan_rate(&counted, key_industry, params, c, out);
    let ceiling = rate.of(interest);
    out.push(
        Reason::new(
            rule,
            Effect::Limit,
            format!(
                "补助上限 = 实际支付利息 {interest} 元 × {} = {ceiling} 元（向下取整到分）。",
                rate.percent()
            ),
            format!(
                "Ceiling = interest actually paid {interest} CNY × {} = {ceiling} CNY (rounded down to the fen).",
                rate.percent()
            ),
        )
        .for_loan(c),
    );
    LoanDecision {
        contract_number: loan.contract_number.clone(),
        eligible: true,
        rate: Some(rate),
        rate_rule: Some(rule),
        interest_counted: interest,
        ceiling_amount: ceiling,
        refused_by,
    }
}

/// SUB-BASE or SUB-KEY (reading 1), with the reason that explains the choice.
fn loan_rate(
    counted: &[&PledgedRight],
    key_industry: Option<&crate::params::Industry>,
    params: &Parameters,
    c: &str,
    out: &mut Vec<Reason>,
) -> (Rate, RuleId) {
    let key_patent = counted.iter().find(|r| {
        matches!(r, PledgedRight::Patent { patent_type, .. } if patent_type.qualifies_for_key_rate())
    });
    let well_known = counted.iter().find(|r| {
        matches!(
            r,
            PledgedRight::Trademark {
                well_known: true,
                ..
            }
        )
    });
    let trademark_needs_industry = params.readings.key_rate == KeyRateReading::KeyIndustryForBoth;
    let key = params.rates.key;
    let base = params.rates.base;

    if let (Some(p), Some(ind)) = (key_patent, key_industry) {
        out.push(
            Reason::new(
                SubKey,
                Effect::Pass,
                format!(
                    "{}，企业属于重点产业“{}”：比例最高{}。",
                    p.label_zh(),
                    ind.zh,
                    key.percent()
                ),
                format!(
                    "{}, and the enterprise is in the key industry \"{}\": up to {}.",
                    p.label_en(),
                    ind.en,
                    key.percent()
                ),
            )
            .for_loan(c),
        );
        return (key, SubKey);
    }
    if let Some(t) = well_known
        && (!trademark_needs_industry || key_industry.is_some())
    {
        out.push(
            Reason::new(
                SubKey,
                Effect::Pass,
                format!("{}质押：比例最高{}。", t.label_zh(), key.percent()),
                format!("A pledge of a {}: up to {}.", t.label_en(), key.percent()),
            )
            .for_loan(c),
        );
        return (key, SubKey);
    }
    let why_zh;
    let why_en;
    if key_patent.is_some() {
        why_zh = "有发明或PCT专利，但企业不属于重点产业".to_string();
        why_en =
            "an invention or PCT patent, but the enterprise is not in a key industry".to_string();
    } else if well_known.is_some() {
        why_zh = "有驰名商标，但按所采用的解读，驰名商标也须属于重点产业".to_string();
        why_en = "a well-known trademark, but under the reading used trademarks also need a key industry".to_string();
    } else {
        why_zh = "质押物中没有发明专利、PCT专利或驰名商标".to_string();
        why_en = "no invention or PCT patent and no well-known trademark is pledged".to_string();
    }
    out.push(
        Reason::new(
            SubBase,
            Effect::Pass,
            format!("{why_zh}：比例最高{}。", base.percent()),
            format!("{}: up to {}.", capitalise(&why_en), base.percent()),
        )
        .for_loan(c),
    );
    (base, SubBase)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// CAP-YEAR: at most 300,000 in the round's year, less what the enterprise already
/// received that year (reading 3).
fn apply_cap_year(
    app: &Application,
    params: &Parameters,
    year: i32,
    total: Money,
    caps: &mut Vec<CapApplied>,
    out: &mut Vec<Reason>,
) -> Money {
    let cap = params.caps.per_enterprise_per_year;
    let already: Money = app
        .history
        .iter()
        .filter(|h| h.year == year)
        .map(|h| h.amount)
        .sum();
    let room = cap.saturating_sub(already);
    if total <= room {
        out.push(Reason::new(
            CapYear,
            Effect::Pass,
            format!("{year}年度合计 {total} 元，未超过每年{cap}元上限。"),
            format!("{total} CNY in {year}, within the yearly cap of {cap} CNY."),
        ));
        return total;
    }
    caps.push(CapApplied {
        rule: CapYear,
        before: total,
        after: room,
    });
    let effect = if room.is_zero() {
        Effect::Refuse
    } else {
        Effect::Limit
    };
    out.push(Reason::new(
        CapYear,
        effect,
        format!(
            "每家企业每年最高{cap}元{}：{total} 元核减为 {room} 元。",
            if already.is_zero() {
                String::new()
            } else {
                format!("（本年度已获 {already} 元）")
            }
        ),
        format!(
            "At most {cap} CNY per enterprise per year{}: {total} CNY cut to {room} CNY.",
            if already.is_zero() {
                String::new()
            } else {
                format!(" ({already} CNY already received this year)")
            }
        ),
    ));
    room
}
