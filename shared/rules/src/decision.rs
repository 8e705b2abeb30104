//! What the rules answer: the decision, per loan and overall, with every reason tied to
//! its rule ID, in Chinese and English.

mod json;

use crate::money::{Money, Rate};
use crate::params::Readings;
use crate::rule::RuleId;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// How a reason bears on the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// The rule is met.
    Pass,
    /// The rule is not met: the application (or the loan named) is refused.
    Refuse,
    /// The rule sets or lowers an amount (a rate, a cap).
    Limit,
    /// Information: what was assumed, what still has to happen.
    Note,
}

/// One reason of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub rule: RuleId,
    pub effect: Effect,
    /// The loan's contract number, when the reason is about one loan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loan: Option<String>,
    /// The texts: most are fixed (borrowed, not copied into every decision).
    pub zh: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

impl Reason {
    pub fn new(
        rule: RuleId,
        effect: Effect,
        zh: impl Into<Cow<'static, str>>,
        en: impl Into<Cow<'static, str>>,
    ) -> Self {
        Reason {
            rule,
            effect,
            loan: None,
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn for_loan(mut self, contract_number: &str) -> Self {
        self.loan = Some(contract_number.to_string());
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Eligible,
    Refused,
}

/// The decision on one loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanDecision {
    pub contract_number: String,
    pub eligible: bool,
    /// The ceiling rate (SUB-BASE 50% or SUB-KEY 60%); absent when the loan is refused.
    pub rate: Option<Rate>,
    /// The rule that set the rate.
    pub rate_rule: Option<RuleId>,
    /// The interest the rate applies to (verified figure when there is one).
    pub interest_counted: Money,
    /// `rate × interest`, rounded down to the fen; zero when refused.
    pub ceiling_amount: Money,
    /// Every rule the loan fails.
    pub refused_by: Vec<RuleId>,
}

/// A cap that lowered the amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapApplied {
    pub rule: RuleId,
    pub before: Money,
    pub after: Money,
}

/// The whole decision on an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    /// True until officers have recorded the review (PROC-REVIEW).
    pub provisional: bool,
    /// The year the caps are counted in (reading 3).
    pub year: i32,
    pub loans: Vec<LoanDecision>,
    /// Sum of the loans' ceiling amounts.
    pub ceiling_total: Money,
    pub caps: Vec<CapApplied>,
    /// The amount after every cap; the budget may still scale it (BUDGET, reading 5).
    pub amount: Money,
    /// Every rule the application fails (empty when eligible), each once, in order.
    pub refused_by: Vec<RuleId>,
    /// Every reason, in the order the rules were applied.
    pub reasons: Vec<Reason>,
    /// The readings the decision was made under.
    pub readings: Readings,
}

impl Decision {
    pub fn is_eligible(&self) -> bool {
        self.outcome == Outcome::Eligible
    }

    /// The reasons citing a rule.
    pub fn reasons_for(&self, rule: RuleId) -> impl Iterator<Item = &Reason> {
        self.reasons.iter().filter(move |r| r.rule == rule)
    }
}
