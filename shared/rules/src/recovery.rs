//! FRAUD: 全额追回 as a tracked account. A determination makes every subsidy the enterprise
//! received and that is not already due back (or recovered) due back in full: one claim
//! per subsidy, so the account shows what is owed for each earlier payment. Money received
//! back is recorded against a claim, with its date and reference, never above what is
//! still outstanding and never dated before the determination. A recovered subsidy still
//! counts as a time (reading 4: CAP-TIMES reads the history, recovered ones included).

use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;

/// A subsidy the enterprise received, as the recovery sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subsidy {
    /// The store's id of the subsidy record.
    pub id: i64,
    pub year: i32,
    /// The payment's id (`PAY-…`) or the imported record's reference.
    pub reference: String,
    pub amount: Money,
}

/// FRAUD: one subsidy due back in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub subsidy: i64,
    pub year: i32,
    pub reference: String,
    pub due: Money,
}

/// FRAUD: what a determination makes due, from the subsidies not already due back — every
/// one of them, in full (全额追回); nothing for a subsidy of zero.
pub fn claims(unclaimed: &[Subsidy]) -> Vec<Claim> {
    unclaimed
        .iter()
        .filter(|s| !s.amount.is_zero())
        .map(|s| Claim {
            subsidy: s.id,
            year: s.year,
            reference: s.reference.clone(),
            due: s.amount,
        })
        .collect()
}

/// A claim's account: due, received back, still outstanding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Balance {
    pub due: Money,
    pub recovered: Money,
    pub outstanding: Money,
}

impl Balance {
    /// The account of a claim of `due` after the amounts `received`.
    pub fn of(due: Money, received: impl IntoIterator<Item = Money>) -> Balance {
        let recovered: Money = received.into_iter().sum();
        Balance {
            due,
            recovered,
            outstanding: due.saturating_sub(recovered),
        }
    }

    /// Whether everything due was received back.
    pub fn settled(&self) -> bool {
        self.outstanding.is_zero()
    }

    /// The sum of several accounts (an enterprise's, the district's).
    pub fn total<'a>(balances: impl IntoIterator<Item = &'a Balance>) -> Balance {
        balances
            .into_iter()
            .fold(Balance::of(Money::ZERO, []), |t, b| Balance {
                due: t.due.saturating_add(b.due),
                recovered: t.recovered.saturating_add(b.recovered),
                outstanding: t.outstanding.saturating_add(b.outstanding),
            })
    }
}

/// Why money received back cannot be recorded against a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Nothing received.
    Zero,
    /// More than is still outstanding (the claim would be over-recovered).
    AboveOutstanding { outstanding: Money },
    /// Dated before the determination that made it due.
    BeforeDetermination { determined_on: NaiveDate },
}

/// FRAUD: records `amount` received back on `received_on` against a claim with account
/// `before`, made due by a determination of `determined_on`: the account after, or why not.
pub fn receive(
    before: Balance,
    determined_on: NaiveDate,
    received_on: NaiveDate,
    amount: Money,
) -> Result<Balance, Refusal> {
    if amount.is_zero() {
        return Err(Refusal::Zero);
    }
    if received_on < determined_on {
        return Err(Refusal::BeforeDetermination { determined_on });
    }
    if amount > before.outstanding {
        return Err(Refusal::AboveOutstanding {
            outstanding: before.outstanding,
        });
    }
    Ok(Balance::of(before.due, [before.recovered, amount]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// FRAUD: every subsidy not already due back is due in full, one claim each.
    #[test]
    fn fraud_every_subsidy_is_due_back_in_full_one_claim_each() {
        let subsidy = |id, year, amount: &str| Subsidy {
            id,
            year,
            reference: format!("PAY-MTG-{year}-0000{id}"),
            amount: yuan(amount),
        };
        let due = claims(&[
            subsidy(1, 2024, "70000.00"),
            subsidy(2, 2025, "0.00"),
            subsidy(3, 2026, "48000.55"),
        ]);
        assert_eq!(
            due,
            [
                Claim {
                    subsidy: 1,
                    year: 2024,
                    reference: "PAY-MTG-2024-00001".into(),
                    due: yuan("70000.00")
                },
                Claim {
                    subsidy: 3,
                    year: 2026,
                    reference: "PAY-MTG-2026-00003".into(),
                    due: yuan("48000.55")
                },
            ]
        );
    }

    /// FRAUD: money received back lowers the outstanding balance, in instalments, until
    /// the claim is settled; never more than is outstanding, never nothing, never before
    /// the determination.
    #[test]
    fn fraud_recovery_in_instalments_never_above_the_balance_or_before_the_determination() {
        let determined = day("2026-06-10");
        let start = Balance::of(yuan("48000.00"), []);
        assert_eq!(start.outstanding, yuan("48000.00"));
        let first = receive(start, determined, day("2026-06-20"), yuan("20000.00")).unwrap();
        assert_eq!(
            first,
            Balance {
                due: yuan("48000.00"),
                recovered: yuan("20000.00"),
                outstanding: yuan("28000.00")
            }
        );
        assert!(!first.settled());
        assert_eq!(
            receive(first, determined, day("2026-07-01"), yuan("28000.01")),
            Err(Refusal::AboveOutstanding {
                outstanding: yuan("28000.00")
            })
        );
        assert_eq!(
            receive(first, determined, day("2026-06-09"), yuan("1.00")),
            Err(Refusal::BeforeDetermination {
                determined_on: determined
            })
        );
        assert_eq!(
            receive(first, determined, day("2026-07-01"), Money::ZERO),
            Err(Refusal::Zero)
        );
        let settled = receive(first, determined, day("2026-06-10"), yuan("28000.00")).unwrap();
        assert!(settled.settled());
        assert_eq!(settled.recovered, yuan("48000.00"));
        assert_eq!(
            receive(settled, determined, day("2026-07-01"), yuan("0.01")),
            Err(Refusal::AboveOutstanding {
                outstanding: Money::ZERO
            })
        );
        let total = Balance::total(&[settled, start]);
        assert_eq!(
            total,
            Balance {
                due: yuan("96000.00"),
                recovered: yuan("48000.00"),
                outstanding: yuan("48000.00")
            }
        );
    }
}
