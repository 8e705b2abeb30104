//! The round's procedure as the components run it: the round's stage and its moves
//! ([`stage`]; PROC-GUIDE … PROC-APPROVE, payment) and the proposed list's versions and
//! re-review ([`list`]; PROC-OBJECT); the snapshot each workflow action's guard judges
//! ([`guard`]; `rules::guards`); the lines a fraud determination stops ([`fraud`]; FRAUD);
//! an application completed with the enterprise's records and decided ([`case`]); the round
//! as shown ([`view`]); an objection as the office reads it ([`objection`]). The rules decide (`rules::procedure`,
//! `rules::re_review`), the store writes (`store::rounds`, `store::allocations`); this crate
//! only joins them and says no in the API's words.
//!
//! None of these functions opens a transaction: the caller runs them inside its own
//! `Db::transaction`, together with its other writes, so the guard and the write are one.

pub mod case;
pub mod fraud;
pub mod guard;
pub mod list;
pub mod objection;
pub mod stage;
pub mod view;
