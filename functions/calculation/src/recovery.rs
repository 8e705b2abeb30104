//! DISCLOSE beside FRAUD: the clawback as the public reads it — each subsidy due back, the
//! money received (date and amount) and what is still outstanding. The receipts'
//! references are the office's records and stay out of the public answer.

use rules::Money;
use rules::oversight::Payment;
use rules::recovery::Balance;
use serde::Serialize;
use store::recovery::ClaimRow;

/// Every claim, and the district's totals.
#[derive(Serialize)]
pub(crate) struct Disclosed<'a> {
    claims: Vec<Claim<'a>>,
    #[serde(flatten)]
    total: Balance,
}

#[derive(Serialize)]
struct Claim<'a> {
    enterprise_code: &'a str,
    /// From the payments this system made, when it paid the enterprise.
    #[serde(skip_serializing_if = "Option::is_none")]
    enterprise_name: Option<&'a str>,
    year: i32,
    /// The subsidy due back (`PAY-…` for a payment made by this system).
    subsidy: &'a str,
    determined_on: chrono::NaiveDate,
    #[serde(flatten)]
    balance: Balance,
    received: Vec<Received>,
}

#[derive(Serialize)]
struct Received {
    received_on: chrono::NaiveDate,
    amount: Money,
}

impl<'a> Disclosed<'a> {
    pub(crate) fn of(claims: &'a [ClaimRow], payments: &'a [Payment]) -> Self {
        Disclosed {
            total: Balance::total(claims.iter().map(|c| &c.balance)),
            claims: claims
                .iter()
                .map(|c| Claim {
                    enterprise_code: &c.uscc,
                    enterprise_name: payments
                        .iter()
                        .find(|p| p.enterprise_code == c.uscc)
                        .map(|p| p.enterprise_name.as_str()),
                    year: c.year,
                    subsidy: &c.reference,
                    determined_on: c.determined_on,
                    balance: c.balance,
                    received: c
                        .received
                        .iter()
                        .map(|r| Received {
                            received_on: r.received_on,
                            amount: r.amount,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
