//! Helpers over `spin_sdk::sqlite` (the one place components touch SQL plumbing).
//!
//! Spin's SQLite streams rows and reports the statement's outcome on a separate future:
//! every helper here drains the rows and awaits that outcome, even for statements that
//! return nothing, and runs exactly one statement per call.

use spin_sdk::sqlite::{Connection, Error, RowResult, Value};

use crate::error::ApiError;

pub use spin_sdk::sqlite::Value as SqlValue;

/// An open connection to the app's `default` database.
pub struct Db(Connection);

/// The rows of one statement, fully read.
pub struct Rows {
    pub columns: Vec<String>,
    pub rows: Vec<RowResult>,
}

impl Rows {
    /// The index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The first row's value of `name`, converted.
    pub fn first<'a, T: TryFrom<&'a Value>>(&'a self, name: &str) -> Option<T> {
        let i = self.column(name)?;
        self.rows.first()?.get(i)
    }
}

/// Maps a SQLite error to the API error shape (never leaking SQL to clients in zh/en
/// prose beyond a short detail).
pub fn map_error(e: Error) -> ApiError {
    match e {
        Error::NoSuchDatabase => ApiError::server_misconfigured("no-such-database"),
        Error::AccessDenied => {
            ApiError::server_misconfigured("access-denied: the component declares no database")
        }
        Error::InvalidConnection => ApiError::database("invalid-connection"),
        Error::DatabaseFull => ApiError::database("database-full"),
        Error::Io(m) if m.contains("UNIQUE constraint failed") => {
            ApiError::conflict("该记录已存在。", "This record already exists.")
        }
        Error::Io(m) => ApiError::database(&m),
    }
}

impl Db {
    /// Opens the `default` database.
    pub async fn open() -> Result<Self, ApiError> {
        Connection::open_default().await.map(Db).map_err(map_error)
    }

    /// Runs one statement and returns all its rows.
    pub async fn query(
        &self,
        sql: &str,
        params: impl IntoIterator<Item = Value>,
    ) -> Result<Rows, ApiError> {
        let result = self.0.execute(sql, params).await.map_err(map_error)?;
        let columns = result.columns().to_vec();
        let rows = result.collect().await.map_err(map_error)?;
        Ok(Rows { columns, rows })
    }

    /// Runs one statement that returns no rows; answers the number of rows changed.
    pub async fn execute(
        &self,
        sql: &str,
        params: impl IntoIterator<Item = Value>,
    ) -> Result<u64, ApiError> {
        self.query(sql, params).await?;
        Ok(self.0.changes().await)
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE`: the write lock is taken now, so two
    /// requests cannot both read and then both write).
    pub async fn begin(&self) -> Result<(), ApiError> {
        self.execute("BEGIN IMMEDIATE", []).await.map(|_| ())
    }

    pub async fn commit(&self) -> Result<(), ApiError> {
        self.execute("COMMIT", []).await.map(|_| ())
    }

    /// Rolls back; used on every error path after [`Db::begin`], so its own failure (no
    /// transaction open) is not an error worth reporting over the first one.
    pub async fn rollback(&self) {
        let _ = self.execute("ROLLBACK", []).await;
    }

    /// Runs `work` inside a write transaction: committed when it succeeds, rolled back
    /// when it fails, so a failed request leaves the database as it was.
    pub async fn transaction<T, F, Fut>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, ApiError>>,
    {
        self.begin().await?;
        match work().await {
            Ok(v) => match self.commit().await {
                Ok(()) => Ok(v),
                Err(e) => {
                    self.rollback().await;
                    Err(e)
                }
            },
            Err(e) => {
                self.rollback().await;
                Err(e)
            }
        }
    }

    /// The rowid of the last insert on this connection.
    pub async fn last_insert_rowid(&self) -> i64 {
        self.0.last_insert_rowid().await
    }

    /// The newest applied migration id (the health routes report it).
    pub async fn schema_version(&self) -> Result<Option<String>, ApiError> {
        let rows = self
            .query("SELECT max(id) AS id FROM schema_migrations", [])
            .await?;
        Ok(rows.first::<&str>("id").map(str::to_owned))
    }

    /// Appends an entry to the audit trail.
    pub async fn audit(
        &self,
        actor: &str,
        component: &str,
        action: &str,
        subject: Option<&str>,
        detail_json: &str,
    ) -> Result<(), ApiError> {
        self.execute(
            "INSERT INTO audit_log (actor, component, action, subject, detail_json) \
             VALUES (?, ?, ?, ?, ?)",
            [
                Value::from(actor),
                Value::from(component),
                Value::from(action),
                Value::from(subject.map(str::to_owned)),
                Value::from(detail_json),
            ],
        )
        .await
        .map(|_| ())
    }
}
