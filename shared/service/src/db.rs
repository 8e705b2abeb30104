//! The component's connection to the store: `default`, opened once per request, its
//! statements in `shared/store` (one module per aggregate), its writes in one transaction.

use crate::error::ApiError;

/// An open connection to the app's `default` database.
pub struct Db(store::spin::SpinDb);

impl Db {
    /// Opens the `default` database.
    pub async fn open() -> Result<Self, ApiError> {
        Ok(Db(store::spin::SpinDb::open_default().await?))
    }

    /// The store's connection, for `store::<aggregate>::…` calls.
    pub fn store(&self) -> &store::spin::SpinDb {
        &self.0
    }

    /// Runs `work` inside a write transaction (`BEGIN IMMEDIATE`): committed when it
    /// succeeds, rolled back when it fails, so a failed request leaves the database as it
    /// was. The checks that guard a write belong inside `work`. A commit that wrote what
    /// the public reads makes the public answers kept so far stale (`published`).
    pub async fn transaction<T, F, Fut>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, ApiError>>,
    {
        let outcome = store::tx::transaction(&self.0, work).await;
        if self.0.take_wrote_public() && outcome.is_ok() {
            crate::published::changed().await;
        }
        outcome
    }

    /// The newest applied migration id (the health routes report it).
    pub async fn schema_version(&self) -> Result<Option<String>, ApiError> {
        Ok(store::schema::applied(&self.0).await?)
    }

    /// Appends an entry to the audit trail, under no particular rule.
    pub async fn audit(
        &self,
        actor: &str,
        component: &str,
        action: &str,
        subject: Option<&str>,
        detail_json: &str,
    ) -> Result<(), ApiError> {
        self.audit_entry(&store::audit::Entry {
            actor,
            component,
            action,
            subject,
            rules: &[],
            detail_json,
        })
        .await
    }

    /// Appends an entry to the audit trail.
    pub async fn audit_entry(&self, entry: &store::audit::Entry<'_>) -> Result<(), ApiError> {
        let at = crate::clock::format(crate::clock::now().await);
        Ok(store::audit::append(&self.0, &at, entry).await?)
    }
}
