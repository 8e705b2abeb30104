//! Idempotency keys: a client that retries a write with the same `Idempotency-Key` gets
//! the first answer again, not a second record; the same key with a different request is
//! refused. Kept per component.

use crate::sql::{Sql, Statement, StoreError};

/// The first request made with a key and the answer it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remembered {
    /// SHA-256 of the request as the component normalised it.
    pub request_hash: String,
    /// The first answer's body.
    pub response_json: String,
}

pub const FIND: Statement = Statement::new(
    "idempotency.find",
    "SELECT request_hash, response_json FROM idempotency_keys WHERE component = ? AND key = ?",
);
pub const REMEMBER: Statement = Statement::new(
    "idempotency.remember",
    "INSERT INTO idempotency_keys (key, component, request_hash, status, response_json) \
     VALUES (?, ?, ?, ?, ?)",
);

/// What `component` remembers of `key`.
pub async fn find(
    db: &impl Sql,
    component: &str,
    key: &str,
) -> Result<Option<Remembered>, StoreError> {
    let rows = db.query(&FIND, vec![component.into(), key.into()]).await?;
    rows.first()
        .map(|r| {
            Ok(Remembered {
                request_hash: r.text("request_hash")?.to_owned(),
                response_json: r.text("response_json")?.to_owned(),
            })
        })
        .transpose()
}

/// Remembers the answer (`status`, `response_json`) to the first request with `key`.
pub async fn remember(
    db: &impl Sql,
    component: &str,
    key: &str,
    status: u16,
    remembered: &Remembered,
) -> Result<(), StoreError> {
    db.execute(
        &REMEMBER,
        vec![
            key.into(),
            component.into(),
            remembered.request_hash.as_str().into(),
            i64::from(status).into(),
            remembered.response_json.as_str().into(),
        ],
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::{block_on, migrated};

    #[test]
    fn a_key_is_remembered_once_per_component() {
        let db = migrated();
        let r = Remembered {
            request_hash: "h1".into(),
            response_json: "{\"id\":\"MTG-2026-00001\"}".into(),
        };
        block_on(async {
            assert_eq!(find(&db, "intake", "k").await.unwrap(), None);
            remember(&db, "intake", "k", 201, &r).await.unwrap();
            assert_eq!(find(&db, "intake", "k").await.unwrap(), Some(r.clone()));
            assert_eq!(find(&db, "objections", "k").await.unwrap(), None);
            assert!(matches!(
                remember(&db, "intake", "k", 201, &r).await,
                Err(StoreError::Duplicate { .. })
            ));
        });
    }
}
