//! PROC-OBJECT: the proposed list after a re-review of an objection raised in the notice
//! period. An objection that holds takes the entry off the list; one that holds in part
//! lowers its amount (never raises it); one that does not hold changes nothing. The rest
//! of the list stands as published: budget a re-review frees stays unallocated (the
//! measures say nothing of re-allocating it, and every other entry was on the notice).

use crate::allocation::Allocation;
use crate::decision::{Effect, Reason};
use crate::money::Money;
use crate::rule::RuleId;

/// A re-review's conclusion about one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conclusion {
    /// The objection holds: the entry leaves the list.
    Upheld,
    /// It holds in part: the amount becomes this.
    PartlyUpheld(Money),
    /// It does not hold: the list stands.
    Dismissed,
}

/// Why a conclusion cannot be applied to the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The application is not a line of the list.
    NotOnList,
    /// A partly upheld objection cannot raise the amount above what was proposed.
    AboveProposed { proposed: Money },
}

/// The list after `conclusion` about application `id`: `None` when nothing changes
/// (dismissed), else the new allocation, with the line's amount, its reason and the totals
/// updated.
pub fn apply(
    allocation: &Allocation,
    id: &str,
    conclusion: Conclusion,
) -> Result<Option<Allocation>, Refusal> {
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
        Conclusion::PartlyUpheld(m) => (
            m,
            Reason::new(
                RuleId::ProcObject,
                Effect::Limit,
                format!("公示期异议经重审部分成立，补助调整为 {m} 元。"),
                format!("An objection was partly upheld on re-review: the amount becomes {m} CNY."),
            ),
        ),
    };
    let mut next = allocation.clone();
    let line = next
        .lines
        .iter_mut()
        .find(|l| l.id == id)
        .ok_or(Refusal::NotOnList)?;
    if granted > line.granted {
        return Err(Refusal::AboveProposed {
            proposed: line.granted,
        });
    }
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

    /// PROC-OBJECT: upheld removes the entry, partly upheld lowers it, dismissed changes
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

        let partly = apply(&before, "B", Conclusion::PartlyUpheld(Money::yuan(40_000)))
            .unwrap()
            .unwrap();
        assert_eq!(partly.lines[1].granted, Money::yuan(40_000));
        assert_eq!(
            partly.lines[1].reasons.last().unwrap().effect,
            Effect::Limit
        );
        assert_eq!(partly.granted_total, Money::yuan(140_000));
    }

    /// PROC-OBJECT: a re-review never raises an amount, and concerns a line of the list.
    #[test]
    fn proc_object_never_raises_and_needs_a_line() {
        let before = list();
        assert_eq!(
            apply(&before, "A", Conclusion::PartlyUpheld(Money::yuan(100_001))),
            Err(Refusal::AboveProposed {
                proposed: Money::yuan(100_000)
            })
        );
        assert_eq!(
            apply(&before, "Z", Conclusion::Upheld),
            Err(Refusal::NotOnList)
        );
    }
}
