//! The app's persistence, in one place: the SQLite schema ([`schema`], the migrations),
//! every SQL statement the components run, and typed rows that fail loudly.
//!
//! - [`sql`]: the vocabulary — [`Value`], named [`Statement`]s, [`Rows`] read by column
//!   name, and [`StoreError`]. A stored value that cannot be read as what it must be is
//!   [`StoreError::Unreadable`], naming the statement and column; never a default.
//! - [`Sql`]: the one trait the aggregates are written against, implemented for Spin's
//!   SQLite (feature `spin`, the components) and for rusqlite (feature `native`, so every
//!   statement is tested natively against the real migrations).
//! - One module per aggregate, each with its row structs and its statements as named
//!   constants: [`rounds`], …
//!
//! Nothing here holds policy (that is `shared/rules`) or HTTP (that is `shared/service`).

pub mod accounts;
pub mod allocations;
pub mod applications;
pub mod approvals;
pub mod audit;
pub mod credit;
pub mod documents;
pub mod history;
pub mod idempotency;
pub mod names;
pub mod notices;
pub mod objections;
pub mod payments;
pub mod progress;
pub mod public;
pub mod rate;
pub mod recovery;
pub mod rounds;
pub mod schema;
pub mod sql;
pub mod tx;

#[cfg(feature = "native")]
pub mod native;
#[cfg(feature = "spin")]
pub mod spin;
#[cfg(test)]
mod testing;

pub use sql::{Row, Rows, Sql, Statement, StoreError, Value};

/// A moment as stored (and shown): RFC 3339 in Beijing time (+08:00), whole seconds.
pub fn moment(t: chrono::DateTime<chrono::FixedOffset>) -> String {
    t.with_timezone(&rules::calendar::shanghai())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}
