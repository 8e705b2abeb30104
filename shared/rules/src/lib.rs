//! # The Mentougou IP pledge financing interest subsidy, as rules
//!
//! 门头沟区知识产权质押融资发展促进管理办法（试行）: the single source of policy truth for
//! every component of the system and for the browser pre-check.
//!
//! Pure: no I/O, no clock, no randomness. Today's date, the round and every policy
//! parameter are inputs. Every decision names the rule IDs of `RULES.md` that produced it
//! ([`rule::RuleId`]), with its text in Chinese and English.
//!
//! | concern | module | rules |
//! |---|---|---|
//! | rule catalogue | [`rule`] | all |
//! | parameters and readings (data) | [`params`] | readings 1–10 |
//! | input types | [`model`] | |
//! | one application's decision | [`precheck`] | SCOPE-*, SUB-*, CAP-*, PROC-GUIDE/LATE/FREE/REVIEW/CREDIT, TRUTH, FRAUD, VALID |
//! | the round's allocation | [`allocation`] | CAP-YEAR, CAP-TIMES, BUDGET |
//! | the government's decision, line by line | [`approval`] | PROC-APPROVE |
//! | working days, notice period | [`calendar`] | PROC-NOTICE, PROC-OBJECT |
//! | stages of a round | [`procedure`] | PROC-GUIDE, PROC-NOTICE, PROC-OBJECT, PROC-APPROVE |
//! | what the review should look at twice (a right pledged elsewhere) | [`flags`] | SCOPE-OWN, SUB-LOAN |
//! | the round's workflow guards | [`guards`] | PROC-REVIEW, PROC-OBJECT, PROC-APPROVE, BUDGET |
//! | a re-review's change to the list | [`re_review`] | PROC-OBJECT, CAP-YEAR, BUDGET |
//! | fraud's consequence and disclosure | [`oversight`] | FRAUD, DISCLOSE |
//! | the clawback (全额追回), claim by claim | [`recovery`] | FRAUD |
//! | validators | [`uscc`], [`patent`], [`money`] | SCOPE-ENT, SUB-KEY, reading 6 |
//! | reading requests (JSON), with field paths | [`reader`], [`input`] | |
//! | writing answers (JSON) and the texts' dates | [`json_write`], [`written`] | |
//! | 大写金额 | [`numerals`] | notices |
//!
//! ## JSON
//!
//! Every input and output type is (de)serialised with serde. Inputs are strict: unknown
//! fields are rejected and each error names its field ([`input::InputError`]). A pre-check
//! request, an application and a round are read by the crate's own [`reader`] (the same
//! values and refusals as serde, faster and far smaller in the browser), and a decision, the
//! input errors and the rule catalogue are written by hand ([`Decision::to_json`],
//! [`InputError::to_json`], [`rule::catalogue_json`]: serde_json's bytes). Money is a
//! decimal string with at most two places (`"200000.00"`), dates are ISO 8601
//! (`"2026-03-31"`), moments RFC 3339 with their offset (`"2026-04-01T09:00:00+08:00"`).
//!
//! A pre-check request ([`model::PrecheckRequest`]):
//!
//! ```json
#![doc = include_str!("../data/example-precheck-request.json")]
//! ```
//!
//! and its answer ([`decision::Decision`]), abridged here to the first reasons — the
//! complete answer is `data/example-precheck-answer.json`, kept true by a golden-file test
//! (`tests/documentation.rs`):
//!
//! ```json
//! {
//!   "outcome": "eligible",
//!   "provisional": true,
//!   "year": 2026,
//!   "loans": [{ "contract_number": "BJ-2025-0001", "eligible": true, "rate": "0.60",
//!               "rate_rule": "SUB-KEY", "interest_counted": "200000.00",
//!               "ceiling_amount": "120000.00", "refused_by": [] }],
//!   "ceiling_total": "120000.00",
//!   "caps": [],
//!   "amount": "120000.00",
//!   "refused_by": [],
//!   "reasons": [
//!     { "rule": "VALID", "effect": "pass", "zh": "本办法有效期为 …", "en": "The measures are in force …" },
//!     { "rule": "PROC-LATE", "effect": "pass", "zh": "在申报期内 …", "en": "Inside the application window …" }
//!   ],
//!   "readings": { "key_rate": "key_industry_patent_or_any_well_known_trademark", "budget": "proportional" }
//! }
//! ```
//!
//! In Rust:
//!
//! ```
//! let params = rules::Parameters::default();
//! let request = include_str!("../data/example-precheck-request.json");
//! let decision = rules::precheck_json(request, &params).unwrap();
//! assert!(decision.is_eligible());
//! assert_eq!(decision.amount.to_string(), "120000.00");
//! assert_eq!(decision.loans[0].rate_rule, Some(rules::RuleId::SubKey));
//! ```

pub mod allocation;
pub mod approval;
pub mod calendar;
pub mod compat;
mod compat_table;
pub mod decision;
pub mod flags;
pub mod guards;
pub mod input;
pub mod json_path;
pub mod json_write;
pub mod model;
pub mod money;
pub mod numerals;
pub mod oversight;
pub mod params;
pub mod patent;
pub mod precheck;
pub mod procedure;
pub mod re_review;
pub mod reader;
pub mod recovery;
pub mod rule;
pub mod text;
pub mod uscc;
pub mod written;

pub use allocation::{Allocation, AllocationRequest, allocate};
pub use calendar::{Calendar, NoticePeriod};
pub use decision::{Decision, Effect, Outcome, Reason};
pub use input::{FieldError, InputError};
pub use model::{Application, PrecheckRequest, Round};
pub use money::{Money, Rate};
pub use params::Parameters;
pub use precheck::{precheck, precheck_json};
pub use rule::RuleId;
