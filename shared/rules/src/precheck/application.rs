//! The checks on the application as a whole, one reason or more each: VALID, PROC-GUIDE,
//! PROC-LATE, SCOPE-ENT, FRAUD, PROC-CREDIT, PROC-REVIEW, TRUTH.

use crate::calendar::shanghai;
use crate::decision::{Effect, Reason};
use crate::model::{Application, CreditFindingKind, Enterprise, PrecheckRequest, Round};
use crate::params::{Parameters, same_date_years_on};
use crate::rule::RuleId::*;
use crate::written::{Date, Moment};
use chrono::{Datelike, NaiveDate};

/// VALID: the measures must be in force on the day of assessment (reading 10).
pub(super) fn check_validity(
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
    let (from, until) = (Date(from), Date(until));
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
pub(super) fn check_window(req: &PrecheckRequest, out: &mut Vec<Reason>) {
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
            format!(
                "{}年度申报尚未开始（{} 开始）。",
                round.year,
                Moment(w.opens_at)
            ),
            format!(
                "The {} round is not open yet (opens {}).",
                round.year,
                Moment(w.opens_at)
            ),
        ));
    } else if at > w.closes_at {
        out.push(Reason::new(
            ProcLate,
            Effect::Refuse,
            format!(
                "{}年度申报已于 {} 截止，逾期不予受理。",
                round.year,
                Moment(w.closes_at)
            ),
            format!(
                "The {} round closed at {}; late applications are not accepted.",
                round.year,
                Moment(w.closes_at)
            ),
        ));
    } else {
        out.push(Reason::new(
            ProcLate,
            Effect::Pass,
            format!("在申报期内（截止 {}）。", Moment(w.closes_at)),
            format!(
                "Inside the application window (closes {}).",
                Moment(w.closes_at)
            ),
        ));
    }
}

/// SCOPE-ENT: an enterprise, registered and paying tax in the district. The division code
/// inside the credit code is only a hint (enterprises move), so it is a note.
pub(super) fn check_enterprise(e: &Enterprise, out: &mut Vec<Reason>) {
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

/// FRAUD: barred for three years from the determination (reading 8). The findings are
/// those on record at the review (`assessed_on`); the ban is on applying, so it refuses
/// an application made (`applied_on`) before it ended, even when it is over by the review.
pub(super) fn check_fraud(
    app: &Application,
    params: &Parameters,
    applied_on: NaiveDate,
    assessed_on: NaiveDate,
    out: &mut Vec<Reason>,
) {
    for f in &app.enterprise.fraud_findings {
        let until = same_date_years_on(f.determined_on, params.fraud_ban_years);
        let (on, until_day) = (Date(f.determined_on), Date(until));
        if f.determined_on <= assessed_on && applied_on < until {
            out.push(Reason::new(
                Fraud,
                Effect::Refuse,
                format!(
                    "{} 认定存在弄虚作假、骗取补助或知识产权侵权行为，{} 前不得申报。",
                    on, until_day
                ),
                format!(
                    "Fraud, deception or IP infringement determined on {}: no application before {}.",
                    on, until_day
                ),
            ));
        } else if until <= applied_on {
            // The finding is on record but its ban is over: the decision says so.
            out.push(Reason::new(
                Fraud,
                Effect::Pass,
                format!(
                    "{} 认定的弄虚作假、骗取补助或知识产权侵权行为，禁止申报期已满，自 {} 起可以申报。",
                    on, until_day
                ),
                format!(
                    "The ban for the fraud, deception or IP infringement determined on {} is over: applications are allowed from {}.",
                    on, until_day
                ),
            ));
        }
    }
}

/// PROC-CREDIT: dated findings "in the year" (credit window reading); a seriously bad
/// credit record counts until resolved, whenever dated.
pub(super) fn check_credit(
    e: &Enterprise,
    round: Option<&Round>,
    today: NaiveDate,
    out: &mut Vec<Reason>,
) {
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
                format!("{}：{}（{}）。", Date(f.date), f.kind.zh(), f.source),
                format!("{}: {} ({}).", Date(f.date), f.kind.en(), f.source),
            ));
        }
    }
    if !any {
        let window_start = Date(window_start);
        out.push(Reason::new(
            ProcCredit,
            Effect::Pass,
            format!("自 {window_start} 起无不予补助的信用记录。"),
            format!("No disqualifying credit finding since {window_start}."),
        ));
    }
}

/// PROC-REVIEW, PROC-CREDIT: the departments' answers and the credit report. An objection
/// refuses; until every department asked has answered and the credit report is recorded
/// the review is not final, and the decision says what it still lacks.
pub(super) fn check_review(app: &Application, out: &mut Vec<Reason>) {
    let Some(review) = &app.review else {
        out.push(Reason::new(
            ProcReview,
            Effect::Note,
            "预审结果，最终以评审及相关部门意见为准。",
            "A pre-check: the final decision follows the review and the departments' opinions.",
        ));
        return;
    };
    let answered: Vec<_> = review
        .opinions
        .iter()
        .filter(|o| o.answered_on.is_some())
        .collect();
    for o in answered.iter().filter(|o| o.objects) {
        out.push(Reason::new(
            ProcReview,
            Effect::Refuse,
            format!("{}提出不予补助意见：{}", o.label_zh(), o.note),
            format!("{} advises against the subsidy: {}", o.label_en(), o.note),
        ));
    }
    let missing = review.missing();
    if !missing.is_empty() {
        let zh: Vec<&str> = missing.iter().map(|m| m.0.as_str()).collect();
        let en: Vec<&str> = missing.iter().map(|m| m.1.as_str()).collect();
        out.push(Reason::new(
            ProcReview,
            Effect::Note,
            format!("评审尚未完成，本决定为临时结论；尚缺：{}。", zh.join("、")),
            format!(
                "The review is not complete, so this decision is provisional; still missing: {}.",
                en.join("; ")
            ),
        ));
    } else if answered.iter().all(|o| !o.objects) {
        out.push(Reason::new(
            ProcReview,
            Effect::Pass,
            format!(
                "已评审，征求意见的{}个部门均已答复且无异议。",
                answered.len()
            ),
            format!(
                "Reviewed; all {} departments consulted have answered, none objects.",
                answered.len()
            ),
        ));
    }
    if let Some(report) = &review.credit_report {
        let rating_zh = if report.public_credit_rating.is_empty() {
            String::new()
        } else {
            format!("，公共信用综合评价结果 {}", report.public_credit_rating)
        };
        let rating_en = if report.public_credit_rating.is_empty() {
            String::new()
        } else {
            format!(", public credit rating {}", report.public_credit_rating)
        };
        out.push(Reason::new(
            ProcCredit,
            Effect::Note,
            format!(
                "信用记录依据{}报告 {}（{} 查询）{rating_zh}。",
                report.source.zh(),
                report.reference,
                Date(report.checked_on)
            ),
            format!(
                "Credit record as the {} report {} of {} shows it{rating_en}.",
                report.source.en(),
                report.reference,
                Date(report.checked_on)
            ),
        ));
    }
}

/// TRUTH: the declaration is required to submit; a pre-check only reminds.
pub(super) fn check_truth(app: &Application, out: &mut Vec<Reason>) {
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
