//! Input validation of a pre-check request: the cross-field checks that JSON types cannot
//! express (names, prose, codes, loans, pledged rights, the round's dates), before any rule.

use crate::input::{FieldError, InputError};
use crate::model::{PledgedRight, PrecheckRequest};

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
        prose(
            format!("application.review.opinions[{i}].name"),
            &o.name,
            100,
            false,
        );
    }
    if let Some(report) = app.review.as_ref().and_then(|r| r.credit_report.as_ref()) {
        let field = "application.review.credit_report.reference".to_owned();
        prose(field, &report.reference, 100, false);
        let field = "application.review.credit_report.public_credit_rating".to_owned();
        prose(field, &report.public_credit_rating, 20, false);
    }
    if let Err(e) =
        crate::text::check_code("application.enterprise.industry", &app.enterprise.industry)
    {
        err(e.field, &e.code, e.zh, e.en);
    }
    for (i, o) in app.review.iter().flat_map(|r| &r.opinions).enumerate() {
        let at = |f: &str| format!("application.review.opinions[{i}].{f}");
        if o.department == crate::model::Department::Other && o.name.trim().is_empty() {
            err(
                at("name"),
                "required",
                "其他部门须写明部门名称".into(),
                "another department must be named".into(),
            );
        }
        if o.objects && o.answered_on.is_none() {
            err(
                at("answered_on"),
                "required",
                "部门提出意见须写明答复日期".into(),
                "a department's objection needs the day it answered".into(),
            );
        }
    }
    if let Some(report) = app.review.as_ref().and_then(|r| r.credit_report.as_ref())
        && report.reference.trim().is_empty()
    {
        err(
            "application.review.credit_report.reference".into(),
            "required",
            "须填写信用报告编号".into(),
            "the credit report's reference is required".into(),
        );
    }
    if let Some(assessed) = req.assessed_at
        && assessed < req.as_of
    {
        err(
            "assessed_at".into(),
            "before_submission",
            "评审时间不得早于申报时间".into(),
            "the assessment cannot come before the submission".into(),
        );
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
