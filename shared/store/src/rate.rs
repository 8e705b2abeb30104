//! Flood limits' counts: writes per client per hour (`write_rate`), for every limit on a
//! public write (objections, applications). The caller names the client (a hash that
//! includes the limit's name) and the hour.

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
}
