//! PROC-APPROVE: the district government's decision on the list, line by line. Its meeting
//! may approve the list as proposed, or with some projects rejected or reduced (never
//! raised: it approves what was on public notice); only what it approved is paid.

use serde::{Deserialize, Serialize};

use crate::input::FieldError;
use crate::money::Money;

/// What the government decided on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineDecision {
    /// Approved as listed.
    Approved,
    /// Approved with a lower amount.
    Reduced,
    /// Not approved: nothing is paid.
    Rejected,
}

/// The government's decision on one line, as the office records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineRuling {
    pub application_id: String,
    pub decision: LineDecision,
    /// The approved amount, for `reduced` only: above 0.00 and below the listed amount.
    #[serde(default)]
    pub amount: Option<Money>,
    #[serde(default)]
    pub note: String,
}

/// A line of the list as approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovedLine {
    pub application_id: String,
    pub decision: LineDecision,
    /// What is paid (0.00 when rejected).
    pub amount: Money,
    pub note: String,
}

/// Every listed line (`(application id, listed amount)`, amounts above zero) with the
/// government's rulings applied; a line without a ruling is approved as listed. An error
/// names the ruling's field (`lines[i].…`).
pub fn apply(
    listed: &[(String, Money)],
    rulings: &[LineRuling],
) -> Result<Vec<ApprovedLine>, FieldError> {
    for (i, r) in rulings.iter().enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        let Some((_, granted)) = listed.iter().find(|(id, _)| *id == r.application_id) else {
            return Err(FieldError::new(
                &at("application_id"),
                "not_on_list",
                format!("{} 不在拟补助名单中", r.application_id),
                format!("{} is not on the proposed list", r.application_id),
            ));
        };
        if rulings[..i]
            .iter()
            .any(|e| e.application_id == r.application_id)
        {
            return Err(FieldError::new(
                &at("application_id"),
                "duplicate",
                format!("{} 的审议结果重复", r.application_id),
                format!("{} is ruled on twice", r.application_id),
            ));
        }
        match (r.decision, r.amount) {
            (LineDecision::Reduced, Some(m)) if !m.is_zero() && m < *granted => {}
            (LineDecision::Reduced, _) => {
                return Err(FieldError::new(
                    &at("amount"),
                    "out_of_range",
                    format!("核减后的金额须大于 0 且低于名单金额 {granted} 元"),
                    format!("a reduced amount must be above 0 and below the listed {granted} CNY"),
                ));
            }
            (_, Some(_)) => {
                return Err(FieldError::new(
                    &at("amount"),
                    "not_allowed",
                    "只有核减时才填写金额".into(),
                    "only a reduction carries an amount".into(),
                ));
            }
            _ => {}
        }
    }
    Ok(listed
        .iter()
        .map(|(id, granted)| {
            let ruling = rulings.iter().find(|r| r.application_id == *id);
            let decision = ruling.map_or(LineDecision::Approved, |r| r.decision);
            let amount = match decision {
                LineDecision::Approved => *granted,
                LineDecision::Reduced => ruling.and_then(|r| r.amount).unwrap_or(*granted),
                LineDecision::Rejected => Money::ZERO,
            };
            ApprovedLine {
                application_id: id.clone(),
                decision,
                amount,
                note: ruling.map(|r| r.note.trim().to_owned()).unwrap_or_default(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed() -> Vec<(String, Money)> {
        vec![
            ("MTG-2026-00001".into(), Money::yuan(50_000)),
            ("MTG-2026-00002".into(), Money::yuan(80_000)),
            ("MTG-2026-00003".into(), Money::yuan(20_000)),
        ]
    }

    fn ruling(id: &str, decision: LineDecision, amount: Option<Money>) -> LineRuling {
        LineRuling {
            application_id: id.into(),
            decision,
            amount,
            note: "区政府会议".into(),
        }
    }

    #[test]
    fn proc_approve_the_list_as_proposed_when_nothing_is_ruled() {
        let lines = apply(&listed(), &[]).unwrap();
        assert!(lines.iter().all(|l| l.decision == LineDecision::Approved));
        assert_eq!(
            lines.iter().map(|l| l.amount).sum::<Money>(),
            Money::yuan(150_000)
        );
    }

    #[test]
    fn proc_approve_lines_rejected_or_reduced_are_paid_what_was_approved() {
        let lines = apply(
            &listed(),
            &[
                ruling(
                    "MTG-2026-00002",
                    LineDecision::Reduced,
                    Some(Money::yuan(60_000)),
                ),
                ruling("MTG-2026-00003", LineDecision::Rejected, None),
            ],
        )
        .unwrap();
        let amounts: Vec<Money> = lines.iter().map(|l| l.amount).collect();
        assert_eq!(
            amounts,
            [Money::yuan(50_000), Money::yuan(60_000), Money::ZERO]
        );
        assert_eq!(lines[2].decision, LineDecision::Rejected);
        assert_eq!(lines[1].note, "区政府会议");
    }

    #[test]
    fn proc_approve_never_raises_and_names_the_faulty_ruling() {
        let field = |rs: &[LineRuling]| apply(&listed(), rs).unwrap_err().field;
        let up = ruling(
            "MTG-2026-00001",
            LineDecision::Reduced,
            Some(Money::yuan(50_000)),
        );
        assert_eq!(field(&[up]), "lines[0].amount");
        let zero = ruling("MTG-2026-00001", LineDecision::Reduced, Some(Money::ZERO));
        assert_eq!(field(&[zero]), "lines[0].amount");
        let none = ruling("MTG-2026-00001", LineDecision::Reduced, None);
        assert_eq!(field(&[none]), "lines[0].amount");
        let priced = ruling("MTG-2026-00001", LineDecision::Rejected, Some(Money::ZERO));
        assert_eq!(field(&[priced]), "lines[0].amount");
        let stranger = ruling("MTG-2026-00009", LineDecision::Rejected, None);
        assert_eq!(field(&[stranger]), "lines[0].application_id");
        let twice = ruling("MTG-2026-00003", LineDecision::Rejected, None);
        assert_eq!(field(&[twice.clone(), twice]), "lines[1].application_id");
    }
}
