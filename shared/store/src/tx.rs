//! Transactions: every write, and the checks that guard it, run inside one.

use crate::sql::{Sql, Statement, StoreError};

/// `BEGIN IMMEDIATE`: the write lock is taken at once, so two requests cannot both read
/// and then both write.
pub const BEGIN: Statement = Statement::new("tx.begin", "BEGIN IMMEDIATE");
pub const COMMIT: Statement = Statement::new("tx.commit", "COMMIT");
pub const ROLLBACK: Statement = Statement::new("tx.rollback", "ROLLBACK");

/// Runs `work` inside a write transaction: committed when it succeeds, rolled back when it
/// fails (or when the commit does), so a failed request leaves the database as it was.
/// `E` is the caller's error type (the components' `ApiError`), so guards inside `work`
/// can refuse with their own answers.
pub async fn transaction<S, T, E, F, Fut>(db: &S, work: F) -> Result<T, E>
where
    S: Sql,
    E: From<StoreError>,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    db.execute(&BEGIN, Vec::new()).await?;
    let outcome = match work().await {
        Ok(v) => db
            .execute(&COMMIT, Vec::new())
            .await
            .map(|_| v)
            .map_err(E::from),
        Err(e) => Err(e),
    };
    if outcome.is_err() {
        // Its own failure (no transaction left open) is not worth reporting over the first.
        let _ = db.execute(&ROLLBACK, Vec::new()).await;
    }
    outcome
}
