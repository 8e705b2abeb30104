//! The enterprise's caps: CAP-TIMES (earlier subsidised rounds, reading 4) and CAP-YEAR
//! (the yearly ceiling less what the year already gave, reading 3).

use crate::decision::{CapApplied, Effect, Reason};
use crate::model::Application;
use crate::money::Money;
use crate::params::Parameters;
use crate::rule::RuleId::*;

/// CAP-TIMES: earlier rounds with any subsidy, recovered ones included (reading 4).
pub(super) fn check_times(
    app: &Application,
    params: &Parameters,
    year: i32,
    out: &mut Vec<Reason>,
) {
    let times = earlier_times(&app.history, year);
    let max = params.caps.max_times as usize;
    if times >= max {
        out.push(Reason::new(
            CapTimes,
            Effect::Refuse,
            format!("已累计受补助{times}次，达到{max}次上限。"),
            format!("Already subsidised {times} times; the limit is {max}."),
        ));
    } else {
        out.push(Reason::new(
            CapTimes,
            Effect::Pass,
            format!("此前受补助{times}次（上限{max}次）。"),
            format!("Subsidised {times} times before (limit {max})."),
        ));
    }
}

/// Reading 4: the number of distinct earlier round years with any subsidy.
pub fn earlier_times(history: &[crate::model::SubsidyRecord], year: i32) -> usize {
    let years: std::collections::BinaryHeap<i32> = history
        .iter()
        .filter(|h| h.year != year && !h.amount.is_zero())
        .map(|h| h.year)
        .collect();
    // A heap's sort: in the browser bundle a tenth of the bytes of `sort_unstable`'s.
    let mut years = years.into_sorted_vec();
    years.dedup();
    years.len()
}

/// CAP-YEAR: at most 300,000 in the round's year, less what the enterprise already
/// received that year (reading 3).
pub(super) fn apply_cap_year(
    app: &Application,
    params: &Parameters,
    year: i32,
    total: Money,
    caps: &mut Vec<CapApplied>,
    out: &mut Vec<Reason>,
) -> Money {
    let cap = params.caps.per_enterprise_per_year;
    let already: Money = app
        .history
        .iter()
        .filter(|h| h.year == year)
        .map(|h| h.amount)
        .sum();
    let room = cap.saturating_sub(already);
    if total <= room {
        out.push(Reason::new(
            CapYear,
            Effect::Pass,
            format!("{year}年度合计 {total} 元，未超过每年{cap}元上限。"),
            format!("{total} CNY in {year}, within the yearly cap of {cap} CNY."),
        ));
        return total;
    }
    caps.push(CapApplied {
        rule: CapYear,
        before: total,
        after: room,
    });
    let effect = if room.is_zero() {
        Effect::Refuse
    } else {
        Effect::Limit
    };
    out.push(Reason::new(
        CapYear,
        effect,
        format!(
            "每家企业每年最高{cap}元{}：{total} 元核减为 {room} 元。",
            if already.is_zero() {
                String::new()
            } else {
                format!("（本年度已获 {already} 元）")
            }
        ),
        format!(
            "At most {cap} CNY per enterprise per year{}: {total} CNY cut to {room} CNY.",
            if already.is_zero() {
                String::new()
            } else {
                format!(" ({already} CNY already received this year)")
            }
        ),
    ));
    room
}
