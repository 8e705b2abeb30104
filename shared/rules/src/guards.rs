//! The round's workflow actions, each a pure guard over a snapshot of the round: the rules
//! that allow it, or the rule that forbids it with the items in the way (application or
//! objection numbers). Components load the snapshot inside the action's transaction, ask
//! here, store and answer — so the check and the write see the same round.
//!
//! | action | allowed by | forbidden while |
//! |---|---|---|
//! | [`Action::Review`] | PROC-REVIEW, PROC-CREDIT | the round is not under review (PROC-REVIEW) |
//! | [`Action::Allocate`] | PROC-REVIEW, CAP-YEAR, CAP-TIMES, BUDGET | not under review or allocated (BUDGET); an application received in time is undecided (PROC-REVIEW) |
//! | [`Action::Conclude`] | PROC-OBJECT | the list is no longer on notice (PROC-APPROVE) |
//! | a new round ([`check_new_round`]) | PROC-GUIDE, reading 9 | its covered period overlaps another round's (one loan could be subsidised twice) |
//! | a payment ([`check_payment`]) | PROC-APPROVE, FRAUD, DISCLOSE | the list is not approved, or the payment is dated before the approval (PROC-APPROVE); the enterprise is under a fraud ban on the payment date (FRAUD) |
//! | [`Action::Approve`] | PROC-NOTICE, PROC-OBJECT, PROC-APPROVE | the notice period runs (PROC-APPROVE) or never ran (PROC-NOTICE); an objection has no re-review conclusion (PROC-OBJECT) |

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::calendar::NoticePeriod;
use crate::decision::{Effect, Reason};
use crate::model::{FraudFinding, Round};
use crate::params::{Parameters, same_date_years_on};
use crate::procedure::{Stage, StageContext, check_transition};
use crate::rule::RuleId::{self, *};

/// What the guards need to know of a round, read in one transaction.
#[derive(Debug, Clone)]
pub struct RoundSnapshot {
    pub year: i32,
    pub stage: Stage,
    /// The moment of the action.
    pub now: DateTime<FixedOffset>,
    /// The proposed list's notice period, once published (PROC-NOTICE).
    pub notice: Option<NoticePeriod>,
    /// The district government's approval of the list, once given (PROC-APPROVE).
    pub approved_on: Option<NaiveDate>,
    /// Applications received in time and not yet decided by review (still `submitted`),
    /// by number.
    pub undecided: Vec<String>,
    /// Objections to the round's list without a re-review conclusion, by tracking number.
    pub open_objections: Vec<String>,
}

/// A workflow action on a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Record an application's review (its decision may change it until the list).
    Review,
    /// Compute (or recompute) the proposed list.
    Allocate,
    /// Give a re-review conclusion on an objection.
    Conclude,
    /// Record the district government's approval of the list.
    Approve,
}

/// Why an action may not happen now, and what stands in its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub reason: Reason,
    /// The applications or objections, by number, that must be dealt with first.
    pub items: Vec<String>,
}

impl From<Reason> for Refusal {
    fn from(reason: Reason) -> Self {
        Refusal {
            reason,
            items: Vec::new(),
        }
    }
}

/// Whether `action` may happen on the round as `round` shows it: the rules that allow it,
/// or the refusal.
pub fn check(action: Action, round: &RoundSnapshot) -> Result<&'static [RuleId], Refusal> {
    match action {
        Action::Review => review(round),
        Action::Allocate => allocate(round),
        Action::Conclude => conclude(round),
        Action::Approve => approve(round),
    }
}

fn refuse(rule: RuleId, zh: String, en: String) -> Reason {
    Reason::new(rule, Effect::Refuse, zh, en)
}

/// PROC-REVIEW: applications are reviewed while the round is under review — not before the
/// window closed, and not once the list is computed from the decisions.
fn review(round: &RoundSnapshot) -> Result<&'static [RuleId], Refusal> {
    if round.stage != Stage::UnderReview {
        return Err(refuse(
            ProcReview,
            format!(
                "{}年度申报当前阶段为“{}”，不在评审阶段。",
                round.year,
                round.stage.zh()
            ),
            format!(
                "The {} round is {}, not under review.",
                round.year,
                round.stage.en()
            ),
        )
        .into());
    }
    Ok(&[ProcReview, ProcCredit])
}

/// PROC-REVIEW, BUDGET: the list is computed from decided applications only, so that none
/// silently falls off it.
fn allocate(round: &RoundSnapshot) -> Result<&'static [RuleId], Refusal> {
    if !matches!(round.stage, Stage::UnderReview | Stage::Allocated) {
        return Err(refuse(
            Budget,
            format!(
                "只有评审阶段或已分配的年度可以计算拟补助名单（当前：{}）。",
                round.stage.zh()
            ),
            format!(
                "The list is computed during review or after allocation (now: {}).",
                round.stage.en()
            ),
        )
        .into());
    }
    if !round.undecided.is_empty() {
        let list = round.undecided.join("、");
        return Err(Refusal {
            reason: refuse(
                ProcReview,
                format!(
                    "以下 {} 份按期受理的申报尚未作出评审结论，须逐一评审（或由企业撤回）后方可计算拟补助名单：{list}。",
                    round.undecided.len()
                ),
                format!(
                    "{} application(s) received in time have no review decision yet; each must be reviewed (or withdrawn) before the list is computed: {}.",
                    round.undecided.len(),
                    round.undecided.join(", ")
                ),
            ),
            items: round.undecided.clone(),
        });
    }
    Ok(&[ProcReview, CapYear, CapTimes, Budget])
}

/// PROC-OBJECT: a re-review conclusion may be given while the list is on notice — during
/// the period and after it, until the district government approves the list.
fn conclude(round: &RoundSnapshot) -> Result<&'static [RuleId], Refusal> {
    if round.stage != Stage::InNotice {
        return Err(refuse(
            ProcApprove,
            format!("该年度名单已进入“{}”阶段，不能再改变。", round.stage.zh()),
            format!(
                "The round is at stage \"{}\": its list can no longer change.",
                round.stage.en()
            ),
        )
        .into());
    }
    Ok(&[ProcObject])
}

/// PROC-NOTICE, PROC-OBJECT, PROC-APPROVE: 公示期间有异议的项目，由区知识产权局重审，并作出重审结论。
/// 公示期结束后 … 报请区政府会议审议 — the list goes to the government only after its
/// period and once every objection has its conclusion.
fn approve(round: &RoundSnapshot) -> Result<&'static [RuleId], Refusal> {
    let ctx = StageContext {
        now: Some(round.now),
        window_closes_at: None,
        notice: round.notice.clone(),
    };
    check_transition(round.stage, Stage::Approved, &ctx)?;
    if !round.open_objections.is_empty() {
        return Err(Refusal {
            reason: refuse(
                ProcObject,
                format!(
                    "以下 {} 件异议尚未作出重审结论，须先重审后方可报请区政府审议：{}。",
                    round.open_objections.len(),
                    round.open_objections.join("、")
                ),
                format!(
                    "{} objection(s) have no re-review conclusion yet; they must be concluded before the list goes to the district government: {}.",
                    round.open_objections.len(),
                    round.open_objections.join(", ")
                ),
            ),
            items: round.open_objections.clone(),
        });
    }
    Ok(&[ProcNotice, ProcObject, ProcApprove])
}

/// PROC-GUIDE, reading 9: a new round covers loans repaid in a period no other round
/// covers — otherwise one loan could be subsidised in two rounds. The refusal names the
/// rounds it overlaps.
pub fn check_new_round(new: &Round, others: &[Round]) -> Result<(), Refusal> {
    let p = new.covered_period;
    let overlapping: Vec<&Round> = others
        .iter()
        .filter(|o| o.year != new.year)
        .filter(|o| o.covered_period.from <= p.to && p.from <= o.covered_period.to)
        .collect();
    if overlapping.is_empty() {
        return Ok(());
    }
    let named = |sep: &str| {
        overlapping
            .iter()
            .map(|o| {
                format!(
                    "{} ({} – {})",
                    o.year, o.covered_period.from, o.covered_period.to
                )
            })
            .collect::<Vec<_>>()
            .join(sep)
    };
    Err(Refusal {
        reason: refuse(
            ProcGuide,
            format!(
                "贷款覆盖期间 {} 至 {} 与以下年度的覆盖期间重叠，同一笔贷款可能重复补助：{}。",
                p.from,
                p.to,
                named("、")
            ),
            format!(
                "The covered period {} to {} overlaps that of these rounds, so one loan could be subsidised twice: {}.",
                p.from,
                p.to,
                named(", ")
            ),
        ),
        items: overlapping.iter().map(|o| o.year.to_string()).collect(),
    })
}

/// PROC-APPROVE, FRAUD: a line is paid only once the list is approved, on or after the
/// approval's date, and never to an enterprise under a fraud ban on the payment date — a
/// determination made after the approval stops every line not yet paid.
pub fn check_payment(
    round: &RoundSnapshot,
    paid_on: NaiveDate,
    fraud_findings: &[FraudFinding],
    params: &Parameters,
) -> Result<&'static [RuleId], Refusal> {
    if round.stage != Stage::Approved {
        return Err(refuse(
            ProcApprove,
            format!("区政府审议通过后方可拨付（当前：{}）。", round.stage.zh()),
            format!(
                "Payments follow the district government's approval (now: {}).",
                round.stage.en()
            ),
        )
        .into());
    }
    if let Some(approved) = round.approved_on
        && paid_on < approved
    {
        return Err(refuse(
            ProcApprove,
            format!("拨付日期 {paid_on} 早于区政府审议通过日期 {approved}。"),
            format!(
                "The payment date {paid_on} is before the government's approval on {approved}."
            ),
        )
        .into());
    }
    let banning: Vec<&FraudFinding> = fraud_findings
        .iter()
        .filter(|f| {
            f.determined_on <= paid_on
                && paid_on < same_date_years_on(f.determined_on, params.fraud_ban_years)
        })
        .collect();
    if let Some(f) = banning.first() {
        return Err(Refusal {
            reason: refuse(
                Fraud,
                format!(
                    "该企业于 {} 被认定存在弄虚作假、骗取补助或知识产权侵权行为，不予拨付，已拨付的资金全额追回。",
                    f.determined_on
                ),
                format!(
                    "Fraud, deception or IP infringement was determined against the enterprise on {}: nothing is paid, and what was paid is recovered in full.",
                    f.determined_on
                ),
            ),
            items: banning
                .iter()
                .map(|f| {
                    if f.reference.is_empty() {
                        f.determined_on.to_string()
                    } else {
                        f.reference.clone()
                    }
                })
                .collect(),
        });
    }
    Ok(&[ProcApprove, Fraud, Disclose])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use crate::params::Parameters;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn round(stage: Stage) -> RoundSnapshot {
        RoundSnapshot {
            year: 2026,
            stage,
            now: at("2026-05-06T10:00:00+08:00"),
            notice: None,
            approved_on: None,
            undecided: Vec::new(),
            open_objections: Vec::new(),
        }
    }

    /// A list published on Wednesday 2026-05-06: five working days, to 2026-05-12.
    fn published(mut r: RoundSnapshot, now: &str) -> RoundSnapshot {
        let period = crate::procedure::notice_period(
            &Calendar::official(),
            &Parameters::default(),
            at("2026-05-06T10:00:00+08:00"),
        )
        .unwrap();
        r.notice = Some(period);
        r.now = at(now);
        r
    }

    fn covering(year: i32, from: &str, to: &str) -> Round {
        Round {
            year,
            window: crate::model::Window {
                opens_at: at(&format!("{year}-04-01T09:00:00+08:00")),
                closes_at: at(&format!("{year}-04-30T17:00:00+08:00")),
            },
            covered_period: crate::model::Period {
                from: from.parse().unwrap(),
                to: to.parse().unwrap(),
            },
            budget: crate::Money::yuan(1_000_000),
            guide_reference: String::new(),
            extra_key_industries: Vec::new(),
            guide: None,
        }
    }

    /// A refusal's texts do not name its rule: the API adds the rule ID once, after them
    /// (`ApiError::refused`), so a text that named it would say it twice.
    #[test]
    fn refusals_leave_the_rule_id_to_the_answer() {
        let actions = [
            Action::Review,
            Action::Allocate,
            Action::Conclude,
            Action::Approve,
        ];
        let mut refusals = Vec::new();
        for stage in Stage::ALL {
            for action in actions {
                refusals.extend(check(action, &round(stage)).err());
            }
            let paid_on = "2026-05-06".parse().unwrap();
            refusals
                .extend(check_payment(&round(stage), paid_on, &[], &Parameters::default()).err());
        }
        assert!(refusals.len() > 20, "{}", refusals.len());
        for r in refusals {
            let code = r.reason.rule.code();
            assert!(
                !r.reason.zh.contains(code) && !r.reason.en.contains(code),
                "{r:?}"
            );
        }
    }

    #[test]
    fn proc_guide_covered_periods_of_rounds_never_overlap() {
        let y2025 = covering(2025, "2024-01-01", "2024-12-31");
        let y2026 = covering(2026, "2025-01-01", "2025-12-31");
        assert_eq!(
            check_new_round(&y2026, std::slice::from_ref(&y2025)),
            Ok(())
        );
        // One shared day is an overlap: a loan repaid on 31 December 2024 would be in both.
        let greedy = covering(2027, "2024-12-31", "2025-12-31");
        let refusal = check_new_round(&greedy, &[y2025.clone(), y2026.clone()]).unwrap_err();
        assert_eq!(refusal.reason.rule, ProcGuide);
        assert_eq!(refusal.items, ["2025", "2026"]);
        assert!(refusal.reason.zh.contains("2025 (2024-01-01 – 2024-12-31)"));
        // The round itself (same year) is not its own rival.
        assert_eq!(
            check_new_round(&y2026, std::slice::from_ref(&y2026)),
            Ok(())
        );
        // Inside another round's period, wholly.
        let inside = covering(2027, "2025-03-01", "2025-03-31");
        assert_eq!(
            check_new_round(&inside, &[y2026]).unwrap_err().items,
            ["2026"]
        );
    }

    #[test]
    fn fraud_a_determination_after_approval_stops_every_unpaid_line() {
        let mut r = round(Stage::Approved);
        r.approved_on = Some("2026-05-20".parse().unwrap());
        let params = Parameters::default();
        let paid_on = "2026-06-10".parse().unwrap();
        assert_eq!(
            check_payment(&r, paid_on, &[], &params).unwrap(),
            [ProcApprove, Fraud, Disclose]
        );
        let finding = FraudFinding {
            kind: crate::model::FraudKind::FalseDocuments,
            determined_on: "2026-06-01".parse().unwrap(),
            reference: "门知执〔2026〕3号".into(),
        };
        let refusal =
            check_payment(&r, paid_on, std::slice::from_ref(&finding), &params).unwrap_err();
        assert_eq!(refusal.reason.rule, Fraud);
        assert_eq!(refusal.items, ["门知执〔2026〕3号"]);
        // Paid before the determination: that payment stood (it is recovered, not refused).
        let before = "2026-05-25".parse().unwrap();
        assert!(check_payment(&r, before, std::slice::from_ref(&finding), &params).is_ok());
    }

    #[test]
    fn proc_approve_no_payment_before_the_approval_or_without_it() {
        let mut r = round(Stage::Approved);
        r.approved_on = Some("2026-05-20".parse().unwrap());
        let params = Parameters::default();
        let early = check_payment(&r, "2026-05-19".parse().unwrap(), &[], &params).unwrap_err();
        assert_eq!(early.reason.rule, ProcApprove);
        assert!(early.reason.zh.contains("2026-05-20"));
        assert!(check_payment(&r, "2026-05-20".parse().unwrap(), &[], &params).is_ok());
        for stage in [Stage::InNotice, Stage::Paid, Stage::Allocated] {
            let r = round(stage);
            let refusal =
                check_payment(&r, "2026-06-10".parse().unwrap(), &[], &params).unwrap_err();
            assert_eq!(refusal.reason.rule, ProcApprove, "{stage:?}");
        }
    }

    #[test]
    fn proc_review_allocation_waits_for_every_application_to_be_decided() {
        let mut r = round(Stage::UnderReview);
        r.undecided = vec!["MTG-2026-00003".into(), "MTG-2026-00007".into()];
        let refusal = check(Action::Allocate, &r).unwrap_err();
        assert_eq!(refusal.reason.rule, ProcReview);
        assert_eq!(refusal.reason.effect, Effect::Refuse);
        assert_eq!(refusal.items, ["MTG-2026-00003", "MTG-2026-00007"]);
        assert!(refusal.reason.zh.contains("MTG-2026-00003、MTG-2026-00007"));
        assert!(refusal.reason.en.contains("2 application(s)"));
        r.undecided.clear();
        assert_eq!(
            check(Action::Allocate, &r).unwrap(),
            [ProcReview, CapYear, CapTimes, Budget]
        );
    }

    #[test]
    fn proc_review_a_review_only_while_the_round_is_under_review() {
        for stage in Stage::ALL {
            let allowed = check(Action::Review, &round(stage));
            assert_eq!(allowed.is_ok(), stage == Stage::UnderReview, "{stage:?}");
            if let Err(r) = allowed {
                assert_eq!(r.reason.rule, ProcReview, "{stage:?}");
                assert!(r.reason.zh.contains(stage.zh()), "{}", r.reason.zh);
            }
        }
        assert_eq!(
            check(Action::Review, &round(Stage::UnderReview)).unwrap(),
            [ProcReview, ProcCredit]
        );
    }

    #[test]
    fn budget_allocation_only_under_review_or_after_allocation() {
        for stage in Stage::ALL {
            let allowed = check(Action::Allocate, &round(stage));
            let expected = matches!(stage, Stage::UnderReview | Stage::Allocated);
            assert_eq!(allowed.is_ok(), expected, "{stage:?}");
            if let Err(r) = allowed {
                assert_eq!(r.reason.rule, Budget, "{stage:?}");
                assert!(r.items.is_empty());
            }
        }
    }

    #[test]
    fn proc_object_approval_waits_for_every_re_review_conclusion() {
        let mut r = published(round(Stage::InNotice), "2026-05-20T10:00:00+08:00");
        r.open_objections = vec!["YY-2026-00001".into()];
        let refusal = check(Action::Approve, &r).unwrap_err();
        assert_eq!(refusal.reason.rule, ProcObject);
        assert_eq!(refusal.items, ["YY-2026-00001"]);
        assert!(refusal.reason.zh.contains("YY-2026-00001"));
        r.open_objections.clear();
        assert_eq!(
            check(Action::Approve, &r).unwrap(),
            [ProcNotice, ProcObject, ProcApprove]
        );
    }

    #[test]
    fn proc_approve_the_period_comes_first_then_the_objections() {
        // Inside the period an open objection is not yet the obstacle: the period is.
        let mut r = published(round(Stage::InNotice), "2026-05-08T10:00:00+08:00");
        r.open_objections = vec!["YY-2026-00001".into()];
        let refusal = check(Action::Approve, &r).unwrap_err();
        assert_eq!(refusal.reason.rule, ProcApprove);
        assert!(refusal.items.is_empty());
        // Never published: PROC-NOTICE.
        let refusal = check(Action::Approve, &round(Stage::InNotice)).unwrap_err();
        assert_eq!(refusal.reason.rule, ProcNotice);
        // Not on notice at all: the stages' order (PROC-GUIDE).
        let refusal = check(Action::Approve, &round(Stage::Allocated)).unwrap_err();
        assert_eq!(refusal.reason.rule, ProcGuide);
    }

    #[test]
    fn proc_object_conclusions_stay_possible_after_the_period_until_approval() {
        let during = published(round(Stage::InNotice), "2026-05-08T10:00:00+08:00");
        assert_eq!(check(Action::Conclude, &during).unwrap(), [ProcObject]);
        let after = published(round(Stage::InNotice), "2026-06-30T10:00:00+08:00");
        assert_eq!(check(Action::Conclude, &after).unwrap(), [ProcObject]);
        for stage in [Stage::Approved, Stage::Paid, Stage::Allocated] {
            let refusal = check(Action::Conclude, &round(stage)).unwrap_err();
            assert_eq!(refusal.reason.rule, ProcApprove, "{stage:?}");
        }
    }
}
