//! PROC-OBJECT: the proposed list after a re-review of an objection raised in the notice
//! period. An objection that holds against the entry takes it off the list; one that holds
//! about the amount, wholly or in part, sets a new amount — lower (someone objected that
//! the enterprise gets too much) or higher (the enterprise objected that its own amount
//! was too low), never above what the caps allow for the line and never beyond the budget;
//! one that does not hold changes nothing. The rest of the list stands as published:
//! budget a re-review frees stays unallocated (the measures say nothing of re-allocating
//! it, and every other entry was on the notice).

use crate::allocation::Allocation;
use crate::decision::{Effect, Reason};
use crate::money::Money;
use crate::rule::RuleId;

/// A re-review's conclusion about one entry, as it changes the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conclusion {
    /// The objection holds against the entry: it leaves the list.
    Upheld,
    /// The objection holds about the amount (wholly or in part): the amount becomes this.
    Amount(Money),
    /// It does not hold: the list stands.
    Dismissed,
}

/// Why a conclusion cannot be applied to the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The application is not a line of the list.
    NotOnList,
    /// A new amount must be above zero (removing the entry is `Upheld`) and differ from
    /// the current one (an unchanged amount is `Dismissed`).
    NotAChange { current: Money },
    /// CAP-YEAR, CAP-TIMES: a raise never goes above what the caps allow for the line (its
    /// amount before BUDGET).
    AboveCaps { capped: Money },
    /// BUDGET: a raise must fit the budget left unallocated.
    OverBudget { unallocated: Money },
}

/// The list after `conclusion` about application `id`: `None` when nothing changes
/// (dismissed), else the new allocation, with the line's amount, its reason and the totals
/// updated.
pub fn apply(
    allocation: &Allocation,
    id: &str,
    conclusion: Conclusion,
) -> Result<Option<Allocation>, Refusal> {
    let mut next = allocation.clone();
    let line = next
        .lines
        .iter_mut()
        .find(|l| l.id == id)
        .ok_or(Refusal::NotOnList)?;
    let (granted, reason) = match conclusion {
        Conclusion::Dismissed => return Ok(None),
        Conclusion::Upheld => (
            Money::ZERO,
            Reason::new(
                RuleId::ProcObject,
                Effect::Refuse,
                "公示期异议经重审成立，取消补助。",
                "An objection in the notice period was upheld on re-review: entry removed.",
            ),
        ),
        Conclusion::Amount(m) if m.is_zero() || m == line.granted => {
            return Err(Refusal::NotAChange {
                current: line.granted,
            });
        }
        Conclusion::Amount(m) if m < line.granted => (
            m,
            Reason::new(
                RuleId::ProcObject,
                Effect::Limit,
                format!("公示期异议经重审，补助调减为 {m} 元。"),
                format!("An objection was upheld on re-review: the amount is lowered to {m} CNY."),
            ),
        ),
        Conclusion::Amount(m) => {
            if m > line.capped_amount {
                return Err(Refusal::AboveCaps {
                    capped: line.capped_amount,
                });
            }
            if m.saturating_sub(line.granted) > allocation.unallocated {
                return Err(Refusal::OverBudget {
                    unallocated: allocation.unallocated,
                });
            }
            (
                m,
                Reason::new(
                    RuleId::ProcObject,
                    Effect::Pass,
                    format!("公示期异议经重审成立，补助调增为 {m} 元（未超过封顶额与预算）。"),
                    format!(
                        "An objection was upheld on re-review: the amount is raised to {m} CNY (within the caps and the budget)."
                    ),
                ),
            )
        }
    };
    line.granted = granted;
    line.reasons.push(reason);
    next.granted_total = next.lines.iter().map(|l| l.granted).sum();
    next.unallocated = next.budget.saturating_sub(next.granted_total);
    Ok(Some(next))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::{AllocationRequest, ApprovedApplication, allocate};
    use crate::params::Parameters;

    /// Two entries of 100,000 CNY each on a budget of 250,000: 50,000 unallocated.
    fn list() -> Allocation {
        let app = |id: &str, day: u32| ApprovedApplication {
            id: id.into(),
            enterprise: format!("E-{id}"),
            submitted_at: chrono::DateTime::parse_from_rfc3339(&format!(
                "2026-04-{day:02}T10:00:00+08:00"
            ))
            .unwrap(),
            ceiling_amount: Money::yuan(100_000),
        };
        allocate(
            &AllocationRequest {
                year: 2026,
                budget: Money::yuan(250_000),
                applications: vec![app("A", 1), app("B", 2)],
                history: Default::default(),
            },
            &Parameters::default(),
        )
        .unwrap()
    }

    /// PROC-OBJECT: upheld removes the entry, a new amount lowers it, dismissed changes
    /// nothing; the totals follow and no other line moves.
    #[test]
    fn proc_object_conclusions_change_only_their_line() {
        let before = list();
        assert_eq!(apply(&before, "A", Conclusion::Dismissed), Ok(None));

        let upheld = apply(&before, "A", Conclusion::Upheld).unwrap().unwrap();
        assert_eq!(upheld.lines[0].granted, Money::ZERO);
        assert_eq!(
            upheld.lines[0].reasons.last().unwrap().rule,
            RuleId::ProcObject
        );
        assert_eq!(upheld.lines[1], before.lines[1]);
        assert_eq!(upheld.granted_total, Money::yuan(100_000));
        assert_eq!(upheld.unallocated, Money::yuan(150_000));

        let lowered = apply(&before, "B", Conclusion::Amount(Money::yuan(40_000)))
            .unwrap()
            .unwrap();
        assert_eq!(lowered.lines[1].granted, Money::yuan(40_000));
        assert_eq!(
            lowered.lines[1].reasons.last().unwrap().effect,
            Effect::Limit
        );
        assert_eq!(lowered.granted_total, Money::yuan(140_000));
        assert_eq!(lowered.unallocated, Money::yuan(110_000));
    }

    /// PROC-OBJECT: an enterprise's objection that its own amount is too low can be
    /// upheld — the amount rises, up to what CAP-YEAR and CAP-TIMES allow for the line and
    /// within the BUDGET left unallocated.
    #[test]
    fn proc_object_a_raise_stays_within_the_caps_and_the_budget() {
        let mut before = list();
        // Line A was cut by a cap or the budget to 70,000; its capped amount is 100,000.
        before.lines[0].granted = Money::yuan(70_000);
        before.granted_total = Money::yuan(170_000);
        before.unallocated = Money::yuan(80_000);

        let raised = apply(&before, "A", Conclusion::Amount(Money::yuan(100_000)))
            .unwrap()
            .unwrap();
        assert_eq!(raised.lines[0].granted, Money::yuan(100_000));
        let reason = raised.lines[0].reasons.last().unwrap();
        assert_eq!(
            (reason.rule, reason.effect),
            (RuleId::ProcObject, Effect::Pass)
        );
        assert!(reason.zh.contains("100000"), "{}", reason.zh);
        assert_eq!(raised.granted_total, Money::yuan(200_000));
        assert_eq!(raised.unallocated, Money::yuan(50_000));
        assert_eq!(raised.lines[1], before.lines[1]);

        // CAP-YEAR / CAP-TIMES: never above the line's capped amount.
        assert_eq!(
            apply(
                &before,
                "A",
                Conclusion::Amount(Money::parse("100000.01").unwrap())
            ),
            Err(Refusal::AboveCaps {
                capped: Money::yuan(100_000)
            })
        );

        // BUDGET: the raise must fit what is unallocated.
        let mut tight = before.clone();
        tight.unallocated = Money::yuan(20_000);
        assert_eq!(
            apply(
                &tight,
                "A",
                Conclusion::Amount(Money::parse("90000.01").unwrap())
            ),
            Err(Refusal::OverBudget {
                unallocated: Money::yuan(20_000)
            })
        );
        let exact = apply(&tight, "A", Conclusion::Amount(Money::yuan(90_000)))
            .unwrap()
            .unwrap();
        assert_eq!(exact.lines[0].granted, Money::yuan(90_000));
    }

    /// PROC-OBJECT: a new amount is a change (not zero: removing is `Upheld`; not the same:
    /// that is `Dismissed`), and a conclusion concerns a line of the list.
    #[test]
    fn proc_object_a_new_amount_is_a_change_of_a_listed_line() {
        let before = list();
        for m in [Money::ZERO, Money::yuan(100_000)] {
            assert_eq!(
                apply(&before, "A", Conclusion::Amount(m)),
                Err(Refusal::NotAChange {
                    current: Money::yuan(100_000)
                })
            );
        }
        assert_eq!(
            apply(&before, "Z", Conclusion::Upheld),
            Err(Refusal::NotOnList)
        );
    }
}
