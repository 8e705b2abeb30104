//! The store on rusqlite: the same statements, natively, so each aggregate's SQL is tested
//! against the real migrations without a host.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ToSql};

use crate::sql::{Rows, Sql, Statement, StoreError, Value};

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Integer(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Real(r) => ToSqlOutput::Borrowed(ValueRef::Real(*r)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

fn read(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// A database with every migration applied, in memory: what the store's tests run on.
pub fn migrated() -> Connection {
    let db = Connection::open_in_memory().expect("an in-memory database");
    for m in crate::schema::MIGRATIONS {
        db.execute_batch(m.sql)
            .unwrap_or_else(|e| panic!("migration {}: {e}", m.id));
    }
    db
}

/// Runs a future whose every step is ready at once (rusqlite never waits), as the store's
/// native callers do.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(v) => v,
        std::task::Poll::Pending => unreachable!("rusqlite statements complete synchronously"),
    }
}

impl Sql for Connection {
    async fn query(&self, statement: &Statement, params: Vec<Value>) -> Result<Rows, StoreError> {
        let fail = |e: rusqlite::Error| StoreError::from_message(statement.name, e.to_string());
        let mut stmt = self.prepare_cached(statement.sql).map_err(fail)?;
        let columns: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
        let n = columns.len();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(fail)?;
        let mut values = Vec::new();
        while let Some(row) = rows.next().map_err(fail)? {
            values.push(
                (0..n)
                    .map(|i| row.get_ref(i).map(read))
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map_err(fail)?,
            );
        }
        Ok(Rows {
            statement: statement.name,
            columns,
            values,
        })
    }

    async fn execute(&self, statement: &Statement, params: Vec<Value>) -> Result<u64, StoreError> {
        self.query(statement, params).await?;
        Ok(self.changes())
    }

    async fn last_insert_rowid(&self) -> i64 {
        Connection::last_insert_rowid(self)
    }
}
