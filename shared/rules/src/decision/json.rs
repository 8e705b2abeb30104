//! The decision's JSON, written directly (issue 17): byte for byte what serde_json writes
//! for the derived `Serialize` (`tests/answer_json.rs` compares them), at several times
//! its speed, with the pieces of [`crate::json_write`].

use super::{CapApplied, Decision, Effect, LoanDecision, Outcome, Reason};
use crate::json_write::{push_bool, push_list, push_str, push_strings_object};
use crate::money::{Money, Rate};
use crate::params::Readings;
use crate::rule::RuleId;

impl Decision {
    /// The decision as JSON, as `serde_json::to_string` writes it.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(4096);
        self.write_json(&mut out);
        out
    }

    /// Appends the decision's JSON to `out`.
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"outcome\":");
        push_str(out, outcome(self.outcome));
        out.push_str(",\"provisional\":");
        push_bool(out, self.provisional);
        out.push_str(",\"year\":");
        out.push_str(&self.year.to_string());
        out.push_str(",\"loans\":");
        push_list(out, &self.loans, write_loan);
        out.push_str(",\"ceiling_total\":");
        push_money(out, self.ceiling_total);
        out.push_str(",\"caps\":");
        push_list(out, &self.caps, write_cap);
        out.push_str(",\"amount\":");
        push_money(out, self.amount);
        out.push_str(",\"refused_by\":");
        push_list(out, &self.refused_by, |out, r| push_str(out, r.code()));
        out.push_str(",\"reasons\":");
        push_list(out, &self.reasons, write_reason);
        out.push_str(",\"readings\":");
        write_readings(out, &self.readings);
        out.push('}');
    }
}

fn write_loan(out: &mut String, l: &LoanDecision) {
    out.push_str("{\"contract_number\":");
    push_str(out, &l.contract_number);
    out.push_str(",\"eligible\":");
    push_bool(out, l.eligible);
    out.push_str(",\"rate\":");
    match l.rate {
        Some(rate) => push_rate(out, rate),
        None => out.push_str("null"),
    }
    out.push_str(",\"rate_rule\":");
    match l.rate_rule {
        Some(rule) => push_str(out, rule.code()),
        None => out.push_str("null"),
    }
    out.push_str(",\"interest_counted\":");
    push_money(out, l.interest_counted);
    out.push_str(",\"ceiling_amount\":");
    push_money(out, l.ceiling_amount);
    out.push_str(",\"refused_by\":");
    push_list(out, &l.refused_by, |out, r: &RuleId| {
        push_str(out, r.code())
    });
    out.push('}');
}

fn write_cap(out: &mut String, c: &CapApplied) {
    out.push_str("{\"rule\":");
    push_str(out, c.rule.code());
    out.push_str(",\"before\":");
    push_money(out, c.before);
    out.push_str(",\"after\":");
    push_money(out, c.after);
    out.push('}');
}

fn write_readings(out: &mut String, r: &Readings) {
    push_strings_object(
        out,
        &[
            ("key_rate", r.key_rate.json_name()),
            ("ceiling", r.ceiling.json_name()),
            ("cap_year_basis", r.cap_year_basis.json_name()),
            ("times", r.times.json_name()),
            ("budget", r.budget.json_name()),
            ("rounding", r.rounding.json_name()),
            ("notice_day_one", r.notice_day_one.json_name()),
            ("ban", r.ban.json_name()),
            ("covered_loans", r.covered_loans.json_name()),
            ("validity", r.validity.json_name()),
            ("credit_window", r.credit_window.json_name()),
        ],
    );
}

fn write_reason(out: &mut String, r: &Reason) {
    out.push_str("{\"rule\":");
    push_str(out, r.rule.code());
    out.push_str(",\"effect\":");
    push_str(out, effect(r.effect));
    if let Some(loan) = &r.loan {
        out.push_str(",\"loan\":");
        push_str(out, loan);
    }
    out.push_str(",\"zh\":");
    push_str(out, &r.zh);
    out.push_str(",\"en\":");
    push_str(out, &r.en);
    out.push('}');
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Eligible => "eligible",
        Outcome::Refused => "refused",
    }
}

fn effect(e: Effect) -> &'static str {
    match e {
        Effect::Pass => "pass",
        Effect::Refuse => "refuse",
        Effect::Limit => "limit",
        Effect::Note => "note",
    }
}

fn push_money(out: &mut String, m: Money) {
    out.push('"');
    out.push_str(m.text().as_str());
    out.push('"');
}

fn push_rate(out: &mut String, r: Rate) {
    push_str(out, &rust_decimal::Decimal::from(r).to_string());
}
