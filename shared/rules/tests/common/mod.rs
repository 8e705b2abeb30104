//! Test data: the documented example request, and small builders over it.
#![allow(dead_code)]

pub mod corpus;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rules::model::{PledgedRight, SubsidyRecord};
use rules::patent::{PatentNumber, PatentType};
use rules::{Money, Parameters, PrecheckRequest};

pub const EXAMPLE: &str = include_str!("../../data/example-precheck-request.json");

/// The example: an AI enterprise, one bank loan repaid on time, an invention patent,
/// 200,000 of interest, inside the 2026 window.
pub fn request() -> PrecheckRequest {
    serde_json::from_str(EXAMPLE).unwrap()
}

pub fn params() -> Parameters {
    Parameters::default()
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn moment(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

pub fn yuan(s: &str) -> Money {
    Money::parse(s).unwrap()
}

pub fn patent(number: &str, patent_type: PatentType, owner: &str) -> PledgedRight {
    PledgedRight::Patent {
        application_number: PatentNumber::parse(number).unwrap(),
        patent_type,
        owner: owner.into(),
    }
}

pub fn trademark(number: &str, well_known: bool, owner: &str) -> PledgedRight {
    PledgedRight::Trademark {
        registration_number: number.into(),
        well_known,
        owner: owner.into(),
    }
}

pub fn record(year: i32, amount: &str) -> SubsidyRecord {
    SubsidyRecord {
        year,
        amount: yuan(amount),
        recovered: false,
        reference: String::new(),
    }
}

pub const OWNER: &str = "北京京西智算科技有限公司";
/// Valid 12-digit numbers of each type (check digits computed).
pub const INVENTION: &str = "202310123456.6";
pub const UTILITY: &str = "202320654321.8";
pub const DESIGN: &str = "202330111111.X";
pub const PCT_INVENTION: &str = "202380222222.5";
pub const PCT_UTILITY: &str = "202390333333.9";

/// The same request with the enterprise outside every key industry.
pub fn non_key_request() -> PrecheckRequest {
    let mut r = request();
    r.application.enterprise.industry = "manufacturing".into();
    r
}
