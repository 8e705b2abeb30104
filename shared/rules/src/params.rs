//! Policy parameters: rates, caps, key industries, dates and the readings the text
//! leaves open. They are **data** (`data/parameters.json` ships the defaults), so an
//! operator changes a rate or adds a key industry without touching code.

use crate::money::{Money, Rate};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The whole parameter set. Unknown fields are rejected, so a typo in an operator's file
/// is an error rather than a silently ignored setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    pub measures: Measures,
    pub rates: Rates,
    pub caps: Caps,
    /// SUB-KEY: the district's key industries ("等": a round's guide may add more).
    pub key_industries: Vec<Industry>,
    /// PROC-NOTICE: length of the public notice in working days.
    pub notice_working_days: u32,
    /// FRAUD: years an enterprise found to have cheated may not apply.
    pub fraud_ban_years: u32,
    pub readings: Readings,
}

/// VALID: the measures' publication and validity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measures {
    pub title_zh: String,
    pub title_en: String,
    /// Reading 10: the Q&A does not state it, so it is a parameter.
    pub publication_date: NaiveDate,
    pub validity_years: u32,
}

/// SUB-BASE and SUB-KEY ceilings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rates {
    /// SUB-BASE: at most 50% of interest actually paid.
    pub base: Rate,
    /// SUB-KEY: at most 60% for key-industry invention/PCT patents and well-known trademarks.
    pub key: Rate,
}

/// CAP-YEAR and CAP-TIMES.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Caps {
    pub per_enterprise_per_year: Money,
    pub max_times: u32,
}

/// An industry, by a stable code with its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Industry {
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// The readings of `RULES.md` ("Readings the text leaves open"), each a named choice.
/// Decisions carry the readings they were made under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Readings {
    /// Reading 1 (SUB-KEY).
    pub key_rate: KeyRateReading,
    /// Reading 2: the rates are ceilings; the ceiling is granted unless the budget forces less.
    pub ceiling: CeilingReading,
    /// Reading 3 (CAP-YEAR).
    pub cap_year_basis: CapYearBasis,
    /// Reading 4 (CAP-TIMES).
    pub times: TimesReading,
    /// Reading 5 (BUDGET).
    pub budget: BudgetReading,
    /// Reading 6.
    pub rounding: RoundingReading,
    /// Reading 7 (PROC-NOTICE).
    pub notice_day_one: NoticeDayOne,
    /// Reading 8 (FRAUD).
    pub ban: BanReading,
    /// Reading 9: which loans a round covers.
    pub covered_loans: CoveredLoans,
    /// Reading 10 (VALID).
    pub validity: ValidityReading,
    /// Ours, not in RULES.md: which credit findings are "in the year" (PROC-CREDIT).
    pub credit_window: CreditWindow,
}

/// Reading 1: who gets the 60% rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyRateReading {
    /// Default: (invention or PCT patent **and** key industry) **or** any well-known trademark.
    KeyIndustryPatentOrAnyWellKnownTrademark,
    /// The key-industry condition also binds well-known trademarks.
    KeyIndustryForBoth,
}

/// Reading 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CeilingReading {
    CeilingUnlessBudget,
}

/// Reading 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapYearBasis {
    /// The year of the application round; all loans of one enterprise in a round add up.
    RoundYear,
}

/// Reading 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimesReading {
    /// One round with any subsidy is one time; money recovered under FRAUD still counts.
    RoundsWithAnySubsidyIncludingRecovered,
}

/// Reading 5: how a round over budget is fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetReading {
    /// Default: every amount scaled by one factor, each rounded down to the fen.
    Proportional,
    /// By application time, until the budget runs out.
    FirstComeFirstServed,
}

/// Reading 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingReading {
    DownToFen,
}

/// Reading 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeDayOne {
    /// The day of publication is day 1 when it is a working day.
    PublicationDayIfWorking,
}

/// Reading 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BanReading {
    /// The enterprise may apply again from the same calendar date N years on
    /// (29 February: from 1 March).
    SameCalendarDate,
}

/// Reading 9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoveredLoans {
    /// Loans whose final repayment falls in the round's covered period.
    FinalRepaymentInRoundPeriod,
}

/// Reading 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidityReading {
    /// Applications are made, and rounds open and close, inside the validity period.
    RoundsInsideValidity,
}

/// PROC-CREDIT "年度内" (in the year): which dated findings count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditWindow {
    /// Findings dated from the start of the round's covered period (without a round: from
    /// 1 January of the year before) up to the decision. A seriously bad credit record
    /// counts whenever it is dated, until it is resolved (信用修复).
    FromCoveredPeriodStart,
}

crate::json_write::json_names! {
    KeyRateReading {
        KeyIndustryPatentOrAnyWellKnownTrademark => "key_industry_patent_or_any_well_known_trademark",
        KeyIndustryForBoth => "key_industry_for_both",
    }
    CeilingReading { CeilingUnlessBudget => "ceiling_unless_budget" }
    CapYearBasis { RoundYear => "round_year" }
    TimesReading { RoundsWithAnySubsidyIncludingRecovered => "rounds_with_any_subsidy_including_recovered" }
    BudgetReading {
        Proportional => "proportional",
        FirstComeFirstServed => "first_come_first_served",
    }
    RoundingReading { DownToFen => "down_to_fen" }
    NoticeDayOne { PublicationDayIfWorking => "publication_day_if_working" }
    BanReading { SameCalendarDate => "same_calendar_date" }
    CoveredLoans { FinalRepaymentInRoundPeriod => "final_repayment_in_round_period" }
    ValidityReading { RoundsInsideValidity => "rounds_inside_validity" }
    CreditWindow { FromCoveredPeriodStart => "from_covered_period_start" }
}

/// The shipped file, which the tests check the Rust defaults against, and which the
/// browser bundle gives its pages as is.
pub const DEFAULT_PARAMETERS: &str = include_str!("../data/parameters.json");

// `shipped()`: `data/parameters.json` written as Rust, so no component and not the browser
// bundle carries a JSON reader and the parameters' deserialisers only to read its own
// defaults (≈ 12 KB each). A test checks it equals the file read strictly and checked;
// after editing the file: `cargo test -p mentougou-rules --lib params -- --ignored`.
include!("params_shipped.rs");

impl Default for Parameters {
    /// The shipped defaults (`data/parameters.json`).
    fn default() -> Parameters {
        shipped()
    }
}

impl Parameters {
    /// Parses and checks an operator's parameter file.
    pub fn from_json(json: &str) -> Result<Parameters, crate::input::InputError> {
        crate::input::parse_json::<Parameters>(json)?.checked()
    }

    /// The parameters if they are consistent (rates, caps, notice period, validity, ban).
    fn checked(self) -> Result<Parameters, crate::input::InputError> {
        let p = self;
        let mut errors = Vec::new();
        let mut fail = |field: &str, zh: &str, en: &str| {
            errors.push(crate::input::FieldError::new(
                field,
                "parameter_invalid",
                zh.to_string(),
                en.to_string(),
            ))
        };
        if p.rates.key < p.rates.base {
            fail(
                "rates.key",
                "重点产业比例不应低于基础比例",
                "the key rate must not be below the base rate",
            );
        }
        if p.caps.max_times == 0 {
            fail(
                "caps.max_times",
                "补助次数上限须大于0",
                "max_times must be positive",
            );
        }
        if p.notice_working_days == 0 || p.notice_working_days > 60 {
            fail(
                "notice_working_days",
                "公示期须为1至60个工作日",
                "the notice lasts 1 to 60 working days",
            );
        }
        if p.measures.validity_years == 0 || p.measures.validity_years > 50 {
            fail(
                "measures.validity_years",
                "有效期须为1至50年",
                "validity must be 1 to 50 years",
            );
        }
        if p.fraud_ban_years > 50 {
            fail(
                "fraud_ban_years",
                "禁止申报年限不超过50年",
                "the ban lasts at most 50 years",
            );
        }
        if errors.is_empty() {
            Ok(p)
        } else {
            Err(crate::input::InputError { errors })
        }
    }

    /// VALID: the first day after the measures expire (publication + validity years).
    pub fn valid_until_exclusive(&self) -> NaiveDate {
        same_date_years_on(self.measures.publication_date, self.measures.validity_years)
    }

    /// VALID: whether a date falls inside the measures' validity.
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        date >= self.measures.publication_date && date < self.valid_until_exclusive()
    }
}

/// The same calendar date `years` later; 29 February maps to 1 March when the target year
/// has none, so the period is never shorter than the stated years (readings 8, 10).
pub fn same_date_years_on(date: NaiveDate, years: u32) -> NaiveDate {
    let target = date.checked_add_months(Months::new(years.saturating_mul(12)));
    match target {
        Some(t) if t.day0() == date.day0() => t,
        Some(t) => t.succ_opt().unwrap_or(t),
        None => NaiveDate::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `params_shipped.rs` from `data/parameters.json` (after editing it):
    /// `cargo test -p mentougou-rules --lib params -- --ignored`.
    #[test]
    #[ignore = "regenerates src/params_shipped.rs"]
    fn regenerate_the_shipped_defaults() {
        let p = Parameters::from_json(DEFAULT_PARAMETERS).expect("the shipped file is valid");
        let dec = |d: rust_decimal::Decimal| {
            format!(
                "rust_decimal::Decimal::from_i128_with_scale({}, {})",
                d.mantissa(),
                d.scale()
            )
        };
        let date = |d: NaiveDate| format!("date({}, {}, {})", d.year(), d.month(), d.day());
        let r = &p.readings;
        let industries: String = p
            .key_industries
            .iter()
            .map(|i| {
                format!(
                    "            Industry {{\n                code: String::from({:?}),\n                zh: String::from({:?}),\n                en: String::from({:?}),\n            }},\n",
                    i.code, i.zh, i.en
                )
            })
            .collect();
        let source = format!(
            "// @generated from data/parameters.json by\n\
             // `cargo test -p mentougou-rules --lib params -- --ignored`; do not edit.\n\n\
             /// The shipped defaults (checked against the file by `shipped_defaults_are_the_file`).\n\
             fn shipped() -> Parameters {{\n\
             \x20   let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect(\"a shipped date\");\n\
             \x20   let rate = |d| Rate::new(d).expect(\"a shipped rate\");\n\
             \x20   Parameters {{\n\
             \x20       measures: Measures {{\n\
             \x20           title_zh: String::from({:?}),\n\
             \x20           title_en: String::from({:?}),\n\
             \x20           publication_date: {},\n\
             \x20           validity_years: {},\n\
             \x20       }},\n\
             \x20       rates: Rates {{\n\
             \x20           base: rate({}),\n\
             \x20           key: rate({}),\n\
             \x20       }},\n\
             \x20       caps: Caps {{\n\
             \x20           per_enterprise_per_year: Money::from_fen({}),\n\
             \x20           max_times: {},\n\
             \x20       }},\n\
             \x20       key_industries: vec![\n{}        ],\n\
             \x20       notice_working_days: {},\n\
             \x20       fraud_ban_years: {},\n\
             \x20       readings: Readings {{\n\
             \x20           key_rate: KeyRateReading::{:?},\n\
             \x20           ceiling: CeilingReading::{:?},\n\
             \x20           cap_year_basis: CapYearBasis::{:?},\n\
             \x20           times: TimesReading::{:?},\n\
             \x20           budget: BudgetReading::{:?},\n\
             \x20           rounding: RoundingReading::{:?},\n\
             \x20           notice_day_one: NoticeDayOne::{:?},\n\
             \x20           ban: BanReading::{:?},\n\
             \x20           covered_loans: CoveredLoans::{:?},\n\
             \x20           validity: ValidityReading::{:?},\n\
             \x20           credit_window: CreditWindow::{:?},\n\
             \x20       }},\n\
             \x20   }}\n\
             }}\n",
            p.measures.title_zh,
            p.measures.title_en,
            date(p.measures.publication_date),
            p.measures.validity_years,
            dec(p.rates.base.decimal()),
            dec(p.rates.key.decimal()),
            p.caps.per_enterprise_per_year.fen(),
            p.caps.max_times,
            industries,
            p.notice_working_days,
            p.fraud_ban_years,
            r.key_rate,
            r.ceiling,
            r.cap_year_basis,
            r.times,
            r.budget,
            r.rounding,
            r.notice_day_one,
            r.ban,
            r.covered_loans,
            r.validity,
            r.credit_window,
        );
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/src/params_shipped.rs"),
            source,
        )
        .unwrap();
    }

    /// The Rust defaults are the shipped file, read strictly and checked: a change to the
    /// file without regenerating fails here.
    #[test]
    fn shipped_defaults_are_the_file() {
        assert_eq!(
            shipped(),
            Parameters::from_json(DEFAULT_PARAMETERS).expect("the shipped file is valid"),
            "data/parameters.json changed: regenerate src/params_shipped.rs with \
             `cargo test -p mentougou-rules --lib params -- --ignored`"
        );
        assert!(shipped().checked().is_ok());
    }

    #[test]
    fn shipped_parameters_parse_with_the_documented_defaults() {
        let p = Parameters::default();
        // The strict parser reads the shipped file as the defaults do.
        assert_eq!(Parameters::from_json(DEFAULT_PARAMETERS).unwrap(), p);
        assert_eq!(p.rates.base.percent(), "50%");
        assert_eq!(p.rates.key.percent(), "60%");
        assert_eq!(p.caps.per_enterprise_per_year, Money::yuan(300_000));
        assert_eq!(p.caps.max_times, 3);
        assert_eq!(p.notice_working_days, 5);
        assert_eq!(p.fraud_ban_years, 3);
        assert_eq!(p.key_industries.len(), 4);
        assert_eq!(
            p.readings.key_rate,
            KeyRateReading::KeyIndustryPatentOrAnyWellKnownTrademark
        );
        assert_eq!(p.readings.budget, BudgetReading::Proportional);
    }

    #[test]
    fn parameters_reject_unknown_fields_and_bad_values() {
        let mut v: serde_json::Value = serde_json::from_str(DEFAULT_PARAMETERS).unwrap();
        v["rates"]["bonus"] = "0.7".into();
        let e = Parameters::from_json(&v.to_string()).unwrap_err();
        assert!(e.errors[0].field.starts_with("rates"), "{e:?}");

        let mut v: serde_json::Value = serde_json::from_str(DEFAULT_PARAMETERS).unwrap();
        v["rates"]["key"] = "0.40".into();
        let e = Parameters::from_json(&v.to_string()).unwrap_err();
        assert_eq!(e.errors[0].field, "rates.key");

        let mut v: serde_json::Value = serde_json::from_str(DEFAULT_PARAMETERS).unwrap();
        v["rates"]["key"] = "1.5".into();
        assert!(Parameters::from_json(&v.to_string()).is_err());
    }

    /// An operator adds a key industry as data, without code.
    #[test]
    fn sub_key_industry_added_as_data() {
        let mut v: serde_json::Value = serde_json::from_str(DEFAULT_PARAMETERS).unwrap();
        v["key_industries"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"code": "new_energy", "zh": "新能源", "en": "New energy"}));
        let p = Parameters::from_json(&v.to_string()).unwrap();
        assert!(p.key_industries.iter().any(|i| i.code == "new_energy"));
        // The pre-check reads it: the example's invention patent, in new energy, gets the
        // key rate (60%) under these parameters and the base rate (50%) under the default.
        let mut r: crate::PrecheckRequest =
            serde_json::from_str(include_str!("../data/example-precheck-request.json")).unwrap();
        r.application.enterprise.industry = "new_energy".into();
        let with = crate::precheck(&r, &p);
        let without = crate::precheck(&r, &Parameters::default());
        assert_eq!(with.loans[0].rate_rule, Some(crate::RuleId::SubKey));
        assert_eq!(without.loans[0].rate_rule, Some(crate::RuleId::SubBase));
        assert_eq!(with.amount.to_string(), "120000.00");
        assert_eq!(without.amount.to_string(), "100000.00");
    }

    /// VALID: three years from publication; reading 10 makes the date a parameter.
    #[test]
    fn valid_three_years_from_publication() {
        let p = Parameters::default();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(!p.in_force_on(d("2024-12-31")));
        assert!(p.in_force_on(d("2025-01-01")));
        assert!(p.in_force_on(d("2027-12-31")));
        assert!(!p.in_force_on(d("2028-01-01")));
    }

    /// Reading 8: 29 February plus three years is 1 March.
    #[test]
    fn fraud_ban_leap_day_moves_to_first_of_march() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(same_date_years_on(d("2024-02-29"), 3), d("2027-03-01"));
        assert_eq!(same_date_years_on(d("2024-02-29"), 4), d("2028-02-29"));
        assert_eq!(same_date_years_on(d("2025-06-10"), 3), d("2028-06-10"));
    }
}
