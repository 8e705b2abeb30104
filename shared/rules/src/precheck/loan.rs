//! One loan's decision: SUB-LOAN, SUB-REPAID, PROC-GUIDE (reading 9), SCOPE-IP, SCOPE-OWN,
//! and its rate, SUB-BASE or SUB-KEY (reading 1), which sets its ceiling.

use crate::decision::{Effect, LoanDecision, Reason};
use crate::model::{Enterprise, LenderKind, Loan, PledgedRight, Round};
use crate::money::{Money, Rate};
use crate::params::{KeyRateReading, Parameters};
use crate::rule::RuleId::{self, *};
use crate::written::Date;
use chrono::NaiveDate;

/// SUB-KEY: whether the enterprise's industry is a key industry (parameters + the round's
/// guide).
pub(super) fn key_industry<'a>(
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
pub(super) fn decide_loan(
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
            let day = Date(d);
            if d > loan.maturity_date {
                refuse(
                    SubRepaid,
                    format!(
                        "最后还款日 {day} 晚于合同到期日 {}，未按期还贷。",
                        Date(loan.maturity_date)
                    ),
                    format!(
                        "Final repayment on {day}, after the maturity date {}: not repaid on schedule.",
                        Date(loan.maturity_date)
                    ),
                    out,
                );
            }
            if d > today {
                refuse(
                    SubRepaid,
                    format!("最后还款日 {day} 在申报之后，申报时尚未还清。"),
                    format!("Final repayment on {day} is after the application: not yet repaid."),
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
                        "最后还款日 {day} 不在{}年度申报覆盖的还款期间（{} 至 {}）内。",
                        r.year,
                        Date(r.covered_period.from),
                        Date(r.covered_period.to)
                    ),
                    format!(
                        "Final repayment on {day} is outside the period the {} round covers ({} to {}).",
                        r.year,
                        Date(r.covered_period.from),
                        Date(r.covered_period.to)
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
    // The English reason starts the sentence, so it is written capitalised.
    let (why_zh, why_en) = if key_patent.is_some() {
        (
            "有发明或PCT专利，但企业不属于重点产业",
            "An invention or PCT patent, but the enterprise is not in a key industry",
        )
    } else if well_known.is_some() {
        (
            "有驰名商标，但按所采用的解读，驰名商标也须属于重点产业",
            "A well-known trademark, but under the reading used trademarks also need a key industry",
        )
    } else {
        (
            "质押物中没有发明专利、PCT专利或驰名商标",
            "No invention or PCT patent and no well-known trademark is pledged",
        )
    };
    out.push(
        Reason::new(
            SubBase,
            Effect::Pass,
            format!("{why_zh}：比例最高{}。", base.percent()),
            format!("{why_en}: up to {}.", base.percent()),
        )
        .for_loan(c),
    );
    (base, SubBase)
}
