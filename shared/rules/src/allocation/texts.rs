//! The allocation's lines with their reasons in zh and en: written once per line, at the
//! end, amounts by `Money::text` and pieces joined by `concat` (one allocation of the exact
//! size, no formatting machinery), since a round may hold 100,000 lines (issue 17). The words are those of the rules before: tests pin
//! them (tests/allocation_reference.rs).

use super::{AllocationLine, ApprovedApplication, Step};
use crate::decision::{Effect, Reason};
use crate::money::Money;
use crate::rule::RuleId::*;

pub(super) struct Texts {
    cap: Money,
    max_times: usize,
    /// BUDGET, proportional: the texts' common beginnings (zh, en), when it scaled.
    scaled: Option<(String, String)>,
}

impl Texts {
    /// `scaling`: the requested total and the budget, in fen, when proportional
    /// scaling was applied.
    pub(super) fn new(cap: Money, max_times: usize, scaling: Option<(i128, i128)>) -> Texts {
        let scaled = scaling.map(|(requested_fen, budget_fen)| {
            let factor = rust_decimal::Decimal::from_i128_with_scale(budget_fen, 0)
                / rust_decimal::Decimal::from_i128_with_scale(requested_fen, 0);
            let factor = factor.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::ToZero);
            let (requested, budget) = (Money::from_fen(requested_fen), Money::from_fen(budget_fen));
            let zh = format!(
                "申报总额 {requested} 元超过预算 {budget} 元，按同一比例（约 {factor}）核减并向下取整到分："
            );
            let en = format!(
                "The round asks {requested} CNY against a budget of {budget} CNY: scaled by one factor (about {factor}), rounded down to the fen: "
            );
            (zh, en)
        });
        Texts {
            cap,
            max_times,
            scaled,
        }
    }

    pub(super) fn line(&self, app: &ApprovedApplication, step: &Step) -> AllocationLine {
        let refused = step.times >= self.max_times;
        // Proportional scaling explains every line it touched; first come, first served
        // only the lines it cut.
        let budget = step.capped != 0 && (self.scaled.is_some() || step.granted < step.capped);
        let mut reasons =
            Vec::with_capacity(refused as usize + step.cut as usize + budget as usize);
        if refused {
            let (times, max) = (step.times, self.max_times);
            reasons.push(Reason::new(
                CapTimes,
                Effect::Refuse,
                format!("已累计受补助{times}次，达到{max}次上限。"),
                format!("Already subsidised {times} times; the limit is {max}."),
            ));
        }
        let capped = Money::from_fen(step.capped as i128);
        if step.cut {
            // Only a ceiling that CAP-TIMES let through is ever cut.
            let (cap, before, after) = (self.cap.text(), app.ceiling_amount.text(), capped.text());
            let (cap, before, after) = (cap.as_str(), before.as_str(), after.as_str());
            #[rustfmt::skip]
            let (zh, en) = (
                ["每家企业每年最高", cap, "元：", before, " 元核减为 ", after, " 元。"],
                ["At most ", cap, " CNY per enterprise per year: ", before, " CNY cut to ", after, " CNY."],
            );
            reasons.push(Reason::new(
                CapYear,
                Effect::Limit,
                zh.concat(),
                en.concat(),
            ));
        }
        let granted = Money::from_fen(step.granted as i128);
        if budget {
            let amount = granted.text();
            let amount = amount.as_str();
            #[rustfmt::skip]
            let (zh, en) = match &self.scaled {
                Some((zh, en)) => ([zh, amount, " 元。"], [en, amount, " CNY."]),
                None => (
                    ["按申报先后分配预算，余额仅剩 ", amount, " 元。"],
                    ["Budget allocated in order of application; only ", amount, " CNY was left."],
                ),
            };
            reasons.push(Reason::new(Budget, Effect::Limit, zh.concat(), en.concat()));
        }
        AllocationLine {
            id: app.id.clone(),
            enterprise: app.enterprise.clone(),
            ceiling_amount: app.ceiling_amount,
            capped_amount: capped,
            granted,
            reasons,
        }
    }
}
