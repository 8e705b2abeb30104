//! Flood limits' counts: writes per client per hour (`write_rate`), for every limit on a
//! public write (objections, applications), and the proof-of-work challenges spent
//! (`spent_challenges`). The caller names the client (a hash that includes the limit's
//! name) and the hour.

use crate::sql::{Sql, Statement, StoreError};

pub const USED: Statement = Statement::new(
    "rate.used",
    "SELECT count FROM write_rate WHERE client = ? AND hour = ?",
);
pub const COUNT: Statement = Statement::new(
    "rate.count",
    "INSERT INTO write_rate (client, hour, count) VALUES (?, ?, 1) \
     ON CONFLICT (client, hour) DO UPDATE SET count = count + 1",
);

pub const SPEND: Statement = Statement::new(
    "rate.spend",
    "INSERT INTO spent_challenges (challenge_hash, spent_at) VALUES (?, ?) \
     ON CONFLICT (challenge_hash) DO NOTHING",
);

/// Spends a proof-of-work challenge (by its hash): true the first time, false when it was
/// spent already.
pub async fn spend(db: &impl Sql, challenge_hash: &str, at: &str) -> Result<bool, StoreError> {
    let changed = db
        .execute(&SPEND, vec![challenge_hash.into(), at.into()])
        .await?;
    Ok(changed == 1)
}

/// How many writes `client` made in `hour`.
pub async fn used(db: &impl Sql, client: &str, hour: &str) -> Result<i64, StoreError> {
    let rows = db.query(&USED, vec![client.into(), hour.into()]).await?;
    Ok(rows
        .first()
        .map(|r| r.int("count"))
        .transpose()?
        .unwrap_or(0))
}

/// Counts one more write by `client` in `hour`.
pub async fn count(db: &impl Sql, client: &str, hour: &str) -> Result<(), StoreError> {
    db.execute(&COUNT, vec![client.into(), hour.into()]).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::block_on;

    #[test]
    fn writes_are_counted_per_client_and_hour() {
        let db = crate::native::migrated();
        block_on(async {
            assert_eq!(used(&db, "c", "2026-05-07T09").await.unwrap(), 0);
            count(&db, "c", "2026-05-07T09").await.unwrap();
            count(&db, "c", "2026-05-07T09").await.unwrap();
            count(&db, "c", "2026-05-07T10").await.unwrap();
            assert_eq!(used(&db, "c", "2026-05-07T09").await.unwrap(), 2);
            assert_eq!(used(&db, "other", "2026-05-07T09").await.unwrap(), 0);
        });
    }

    #[test]
    fn a_challenge_is_spent_once() {
        let db = crate::native::migrated();
        block_on(async {
            assert!(spend(&db, "h", "t").await.unwrap());
            assert!(!spend(&db, "h", "t2").await.unwrap());
            assert!(spend(&db, "other", "t").await.unwrap());
        });
    }
}
