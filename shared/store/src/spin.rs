//! The store on Spin's SQLite (`spin:sqlite@3.1.0`): every statement's rows are drained
//! and its result awaited, one statement per call.

use spin_sdk::sqlite::{Connection, Error, Value as SpinValue};

use crate::sql::{Rows, Sql, Statement, StoreError, Value};

/// A connection to the app's `default` database.
pub struct SpinDb {
    connection: Connection,
    /// Whether a statement written to a public table ran ([`crate::public`]).
    wrote_public: std::cell::Cell<bool>,
}

impl SpinDb {
    /// Opens `default` (declared by every component that has a store).
    pub async fn open_default() -> Result<Self, StoreError> {
        let connection = Connection::open_default()
            .await
            .map_err(|e| error("open", e))?;
        Ok(SpinDb {
            connection,
            wrote_public: Default::default(),
        })
    }

    /// Whether a statement that writes what the public reads has run on this connection
    /// since the last call (which forgets it).
    pub fn take_wrote_public(&self) -> bool {
        self.wrote_public.take()
    }
}

fn error(statement: &'static str, e: Error) -> StoreError {
    match e {
        Error::NoSuchDatabase => StoreError::Unavailable {
            reason: "no-such-database".into(),
        },
        Error::AccessDenied => StoreError::Unavailable {
            reason: "access-denied: the component declares no database".into(),
        },
        Error::InvalidConnection => StoreError::Failed {
            statement,
            message: "invalid-connection".into(),
        },
        Error::DatabaseFull => StoreError::Failed {
            statement,
            message: "database-full".into(),
        },
        Error::Io(m) => StoreError::from_message(statement, m),
    }
}

fn to_spin(v: Value) -> SpinValue {
    match v {
        Value::Null => SpinValue::Null,
        Value::Integer(i) => SpinValue::Integer(i),
        Value::Real(r) => SpinValue::Real(r),
        Value::Text(s) => SpinValue::Text(s),
        Value::Blob(b) => SpinValue::Blob(b),
    }
}

fn from_spin(v: SpinValue) -> Value {
    match v {
        SpinValue::Null => Value::Null,
        SpinValue::Integer(i) => Value::Integer(i),
        SpinValue::Real(r) => Value::Real(r),
        SpinValue::Text(s) => Value::Text(s),
        SpinValue::Blob(b) => Value::Blob(b),
    }
}

impl Sql for SpinDb {
    async fn query(&self, statement: &Statement, params: Vec<Value>) -> Result<Rows, StoreError> {
        if crate::public::writes_public(statement.sql) {
            self.wrote_public.set(true);
        }
        let result = self
            .connection
            .execute(statement.sql, params.into_iter().map(to_spin))
            .await
            .map_err(|e| error(statement.name, e))?;
        let columns = result.columns().to_vec();
        let rows = result
            .collect()
            .await
            .map_err(|e| error(statement.name, e))?;
        Ok(Rows {
            statement: statement.name,
            columns,
            values: rows
                .into_iter()
                .map(|r| r.values.into_iter().map(from_spin).collect())
                .collect(),
        })
    }

    async fn execute(&self, statement: &Statement, params: Vec<Value>) -> Result<u64, StoreError> {
        self.query(statement, params).await?;
        Ok(self.connection.changes().await)
    }

    async fn last_insert_rowid(&self) -> i64 {
        self.connection.last_insert_rowid().await
    }
}
