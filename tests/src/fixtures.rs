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

/// The round of `year`: applications in April, loans of the year before, 1,000,000 yuan,
/// its guide approved by the district government on 20 March (PROC-GUIDE).
pub fn round(year: i32) -> Value {
    json!({
        "year": year,
        "window": {
            "opens_at": format!("{year}-04-01T09:00:00+08:00"),
            "closes_at": format!("{year}-04-30T17:00:00+08:00")
        },
        "covered_period": {"from": format!("{}-01-01", year - 1), "to": format!("{}-12-31", year - 1)},
        "budget": "1000000.00",
        "guide_reference": format!("门知发〔{year}〕1号"),
        "guide": {
            "title": format!("{year}年度门头沟区知识产权质押融资贴息申报指南"),
            "url": format!("https://zscqj.example.gov.cn/guide/{year}.html"),
            "materials": ["贷款合同", "质押登记证明", "利息支付凭证", "还款凭证"],
            "approval": {"approved_on": format!("{year}-03-20"),
                         "reference": format!("区政府第{}次常务会议纪要", year - 2020)}
        }
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

/// One line of a seeded proposed list: enterprise, rights (zh, en), amount granted.
pub type ListLine = (&'static str, &'static str, &'static str, &'static str);

/// Three enterprises of a seeded list: an invention patent, a well-known trademark, a
/// utility model.
pub const LIST_LINES: &[ListLine] = &[
    (
        "北京京西智算科技有限公司",
        "发明专利",
        "invention patent",
        "120000.00",
    ),
    (
        "门头沟文旅发展有限公司",
        "驰名商标",
        "well-known trademark",
        "300000.00",
    ),
    (
        "北京永定河医疗器械有限公司",
        "实用新型专利",
        "utility model patent",
        "45678.90",
    ),
];

/// The id of the `i`-th (from 0) application of a round.
pub fn application_id(year: i64, i: usize) -> String {
    format!("MTG-{year}-{:05}", i + 1)
}

/// Writes straight into the database a round of `year` at stage `allocated` with version 1
/// of its proposed list, as the calculation component leaves it (`allocations` +
/// `allocation_lines`, applications `proposed`): for tests of what comes after.
pub fn seed_allocated_list(c: &rusqlite::Connection, year: i64, lines: &[ListLine]) {
    let at = format!("{year}-08-01T09:00:00+08:00");
    let year_i32 = i32::try_from(year).expect("a round's year");
    c.execute(
        "INSERT INTO rounds (year, round_json, stage, created_at, updated_at) \
         VALUES (?1, ?2, 'allocated', ?3, ?3)",
        rusqlite::params![year, round(year_i32).to_string(), at],
    )
    .unwrap();
    let fen = |amount: &str| -> i64 { amount.replace('.', "").parse().expect("0.00 money") };
    let total_fen: i64 = lines.iter().map(|l| fen(l.3)).sum();
    let total = format!("{}.{:02}", total_fen / 100, total_fen % 100);
    let json_lines: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, (name, _, _, amount))| {
            json!({
                "id": application_id(year, i), "enterprise": name, "ceiling_amount": amount,
                "capped_amount": amount, "granted": amount, "reasons": []
            })
        })
        .collect();
    let allocation = json!({
        "year": year, "budget": "3000000.00", "reading": "proportional",
        "requested_total": total, "granted_total": total, "unallocated": "0.00",
        "scaled": false, "lines": json_lines,
    });
    c.execute(
        "INSERT INTO allocations (round_year, version, computed_at, reason, input_hash, \
         allocation_json) VALUES (?1, 1, ?2, 'allocation', 'seed', ?3)",
        rusqlite::params![year, at, allocation.to_string()],
    )
    .unwrap();
    for (i, (name, rzh, ren, amount)) in lines.iter().enumerate() {
        let id = application_id(year, i);
        let uscc = format!("91110109000000{:04}", i + 1);
        c.execute(
            "INSERT INTO applications (id, round_year, seq, uscc, enterprise_name, submitted_at, \
             status, receipt_hash, payload_json, decision_json, amount_cny, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'proposed', 'x', '{}', '{}', ?7, ?6)",
            rusqlite::params![id, year, i as i64 + 1, uscc, name, at, amount],
        )
        .unwrap();
        c.execute(
            "INSERT INTO allocation_lines (round_year, version, application_id, number, uscc, \
             enterprise_name, rights_zh, rights_en, ceiling_cny, granted_cny) \
             VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            rusqlite::params![year, id, i as i64 + 1, uscc, name, rzh, ren, amount],
        )
        .unwrap();
    }
}

/// A final review record of a `year` round (PROC-REVIEW, PROC-CREDIT): each of
/// `departments` asked and answered on 5 May without objection, and the Credit China
/// (Beijing) report recorded — reviewed on or after 5 May.
pub fn review(year: i32, departments: &[&str]) -> Value {
    let answered = format!("{year}-05-05");
    let opinions: Vec<Value> = departments
        .iter()
        .map(|d| json!({"department": d, "answered_on": answered, "objects": false}))
        .collect();
    json!({
        "opinions": opinions,
        "credit_report": {"source": "credit_china_beijing", "checked_on": answered,
                          "reference": format!("XYBJ-{year}-000123"),
                          "public_credit_rating": "A"}
    })
}
