//! Request bodies of the app for tests and benchmarks: a round as the guide announces it,
//! an enterprise's application, pledged rights. Valid unless a test changes them.

use rules::uscc::CreditCode;
use serde_json::{Value, json};

/// A valid unified social credit code of a Mentougou enterprise (class 91, 110109), numbered.
pub fn credit_code(n: u32) -> String {
    CreditCode::with_check_char(&format!("91110109MA{n:07}"))
        .expect("a well-formed code body")
        .as_str()
        .to_owned()
}

/// The round of `year`: applications in April, loans of the year before, 1,000,000 yuan.
pub fn round(year: i32) -> Value {
    json!({
        "year": year,
        "window": {
            "opens_at": format!("{year}-04-01T09:00:00+08:00"),
            "closes_at": format!("{year}-04-30T17:00:00+08:00")
        },
        "covered_period": {"from": format!("{}-01-01", year - 1), "to": format!("{}-12-31", year - 1)},
        "budget": "1000000.00",
        "guide_reference": format!("门知发〔{year}〕1号")
    })
}

/// Enterprise `n`'s application to the round of `year`: one bank loan, contract `contract`,
/// repaid on time in the covered year, pledging `right`, with `interest` paid.
pub fn application(
    year: i32,
    n: u32,
    contract: &str,
    industry: &str,
    right: Value,
    interest: &str,
) -> Value {
    let name = format!("北京测试企业{n:02}有限公司");
    let mut right = right;
    right["owner"] = name.clone().into();
    json!({
        "enterprise": {
            "credit_code": credit_code(n), "name": name,
            "registered_in_district": true, "pays_tax_in_district": true,
            "industry": industry
        },
        "loans": [{
            "lender_kind": "bank", "lender_name": "北京银行门头沟支行",
            "contract_number": contract, "principal": "5000000.00",
            "start_date": format!("{}-06-01", year - 2),
            "maturity_date": format!("{}-05-31", year - 1),
            "final_repayment_date": format!("{}-05-30", year - 1), "overdue": false,
            "interest_paid": interest, "pledged_rights": [right]
        }],
        "declared_truthful": true
    })
}

/// An invention patent (12-digit application number with its check digit).
pub fn invention() -> Value {
    json!({"kind": "patent", "application_number": "202310123456.6", "patent_type": "invention"})
}

/// A utility-model patent.
pub fn utility_model() -> Value {
    json!({"kind": "patent", "application_number": "202320654321.8", "patent_type": "utility_model"})
}

/// A well-known registered trademark.
pub fn well_known_trademark() -> Value {
    json!({"kind": "trademark", "registration_number": "12345678", "well_known": true})
}
