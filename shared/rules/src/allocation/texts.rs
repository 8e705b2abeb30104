//! The words of the allocation's reasons in zh and en, written from their figures when a
//! line is serialised or read (see `reasons`), amounts by `Money::text`. The words are
//! those of the rules before issue 17: tests pin them byte for byte
//! (tests/allocation_reference.rs).

use super::reasons::{Budget, Cut, Said, Scaled};
use crate::money::{Money, MoneyText};
use std::fmt::{self, Display, Formatter};

impl Scaled {
    /// BUDGET, proportional: the beginning of every scaled line's texts, from the requested
    /// total and the budget in fen.
    pub(super) fn new(requested_fen: i128, budget_fen: i128) -> Scaled {
        use rust_decimal::{Decimal, RoundingStrategy};
        let factor = Decimal::from_i128_with_scale(budget_fen, 0)
            / Decimal::from_i128_with_scale(requested_fen, 0);
        let factor = factor.round_dp_with_strategy(6, RoundingStrategy::ToZero);
        let (requested, budget) = (Money::from_fen(requested_fen), Money::from_fen(budget_fen));
        Scaled {
            zh: format!(
                "申报总额 {requested} 元超过预算 {budget} 元，按同一比例（约 {factor}）核减并向下取整到分："
            ),
            en: format!(
                "The round asks {requested} CNY against a budget of {budget} CNY: scaled by one factor (about {factor}), rounded down to the fen: "
            ),
        }
    }
}

/// One reason's text in one language.
pub(super) struct Text<'a> {
    said: Said<'a>,
    zh: bool,
}

impl<'a> Text<'a> {
    pub(super) fn zh(said: Said<'a>) -> Text<'a> {
        Text { said, zh: true }
    }

    pub(super) fn en(said: Said<'a>) -> Text<'a> {
        Text { said, zh: false }
    }
}

impl Display for Text<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match (self.said, self.zh) {
            (Said::Times(times, max), true) => {
                write!(f, "已累计受补助{times}次，达到{max}次上限。")
            }
            (Said::Times(times, max), false) => {
                write!(f, "Already subsidised {times} times; the limit is {max}.")
            }
            // Pieces written one by one: `write!`'s machinery cost more than the words.
            (Said::Cut(&Cut { cap, before, after }), zh) => {
                let (cap, before, after) = (text(cap), text(before), text(after));
                let (cap, before, after) = (cap.as_str(), before.as_str(), after.as_str());
                #[rustfmt::skip]
                let pieces = if zh {
                    ["每家企业每年最高", cap, "元：", before, " 元核减为 ", after, " 元。"]
                } else {
                    ["At most ", cap, " CNY per enterprise per year: ", before, " CNY cut to ", after, " CNY."]
                };
                pieces.iter().try_for_each(|p| f.write_str(p))
            }
            (Said::Budget(Budget { granted, scaled }), zh) => {
                let granted = text(*granted);
                let granted = granted.as_str();
                #[rustfmt::skip]
                let pieces = match (scaled, zh) {
                    (Some(s), true) => [s.zh.as_str(), granted, " 元。"],
                    (Some(s), false) => [s.en.as_str(), granted, " CNY."],
                    (None, true) => ["按申报先后分配预算，余额仅剩 ", granted, " 元。"],
                    (None, false) => ["Budget allocated in order of application; only ", granted, " CNY was left."],
                };
                pieces.iter().try_for_each(|p| f.write_str(p))
            }
        }
    }
}

fn text(fen: i64) -> MoneyText {
    Money::from_fen(fen as i128).text()
}
