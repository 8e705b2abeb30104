//! Supervision after payment: FRAUD (recover everything paid, bar for three years) and
//! DISCLOSE (how the money was paid out).

use crate::model::SubsidyRecord;
use crate::money::Money;
use crate::params::{Parameters, same_date_years_on};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// FRAUD: what a determination means for the enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FraudConsequence {
    /// All subsidy paid and not yet recovered (全额追回).
    pub to_recover: Money,
    /// The first day the enterprise may apply again (reading 8).
    pub may_apply_from: NaiveDate,
}

/// FRAUD: the amount to recover is every subsidy paid, whatever year; the ban runs from
/// the determination date.
pub fn fraud_consequence(
    history: &[SubsidyRecord],
    determined_on: NaiveDate,
    params: &Parameters,
) -> FraudConsequence {
    FraudConsequence {
        to_recover: history
            .iter()
            .filter(|h| !h.recovered)
            .map(|h| h.amount)
            .sum(),
        may_apply_from: same_date_years_on(determined_on, params.fraud_ban_years),
    }
}

/// DISCLOSE: one payment made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    pub year: i32,
    pub application_id: String,
    pub enterprise_code: String,
    pub enterprise_name: String,
    pub paid_on: NaiveDate,
    pub amount: Money,
}

/// DISCLOSE: the totals the IP office publishes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure {
    pub rounds: Vec<RoundTotal>,
    pub enterprises: Vec<EnterpriseTotal>,
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundTotal {
    pub year: i32,
    pub payments: usize,
    pub enterprises: usize,
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterpriseTotal {
    pub enterprise_code: String,
    pub enterprise_name: String,
    /// Rounds with a payment (CAP-TIMES as the public sees it).
    pub years: Vec<i32>,
    pub total: Money,
}

/// DISCLOSE: per round and per enterprise totals, sorted (rounds by year, enterprises by
/// code), independent of the payments' order.
pub fn disclosure(payments: &[Payment]) -> Disclosure {
    let mut rounds: BTreeMap<i32, (usize, Vec<&str>, Money)> = BTreeMap::new();
    let mut firms: BTreeMap<&str, EnterpriseTotal> = BTreeMap::new();
    for p in payments {
        let r = rounds.entry(p.year).or_insert((0, Vec::new(), Money::ZERO));
        r.0 += 1;
        if !r.1.contains(&p.enterprise_code.as_str()) {
            r.1.push(&p.enterprise_code);
        }
        r.2 = r.2.saturating_add(p.amount);
        let f = firms
            .entry(&p.enterprise_code)
            .or_insert_with(|| EnterpriseTotal {
                enterprise_code: p.enterprise_code.clone(),
                enterprise_name: p.enterprise_name.clone(),
                years: Vec::new(),
                total: Money::ZERO,
            });
        if !f.years.contains(&p.year) {
            f.years.push(p.year);
            f.years.sort_unstable();
        }
        f.total = f.total.saturating_add(p.amount);
    }
    let rounds: Vec<RoundTotal> = rounds
        .into_iter()
        .map(|(year, (payments, firms, total))| RoundTotal {
            year,
            payments,
            enterprises: firms.len(),
            total,
        })
        .collect();
    Disclosure {
        total: rounds.iter().map(|r| r.total).sum(),
        rounds,
        enterprises: firms.into_values().collect(),
    }
}
