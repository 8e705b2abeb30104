//! `spin:sqlite/sqlite@3.1.0` on rusqlite.
//!
//! The `default` database is `<state dir>/sqlite_db.db` (`.spin/` beside spin.toml unless
//! `--state-dir` moves it). A component may open only the databases its manifest entry
//! lists in `sqlite_databases` (otherwise `access-denied`); a listed label the host does not
//! know gives `no-such-database`. Like Spin, every `open` gets a connection of its own, so
//! one request's transaction (`BEGIN IMMEDIATE` … `COMMIT`) is isolated from the others
//! (SQLite's lock and a busy timeout order them); statements run on the blocking pool. Each `execute` runs one
//! statement; `execute-async` streams the rows it read, then reports the outcome on its
//! future.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use rusqlite::types::{Value as SqlValue, ValueRef};

use crate::bindings::spin::sqlite::sqlite::{Error, QueryResult, RowResult, Value};

/// A connection shared between a request's resource and the blocking pool.
pub type SharedConn = Arc<Mutex<rusqlite::Connection>>;

/// The databases of the app, by label.
#[derive(Default)]
pub struct Databases {
    dbs: HashMap<String, Arc<Database>>,
}

/// One database file, its idle connections and its queue of writers.
pub struct Database {
    path: PathBuf,
    /// Connections of finished requests, with no transaction open, for the next ones.
    /// A new connection parses the schema on its first statement (a visible share of a
    /// read route's time), and when the last connection to a WAL database closes,
    /// SQLite checkpoints, syncs and deletes the WAL: a few milliseconds per request.
    idle: Mutex<Vec<SharedConn>>,
    /// One writer at a time, in arrival order (see `Connection::writing`).
    writers: Option<Arc<tokio::sync::Mutex<()>>>,
}

/// Idle connections kept per database.
const IDLE_MAX: usize = 32;

impl Database {
    /// An idle connection, or a new one.
    fn take(&self) -> Result<SharedConn> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match idle {
            Some(c) => Ok(c),
            None => Ok(Arc::new(Mutex::new(open_file(&self.path)?))),
        }
    }

    /// Takes back a connection whose request is over, unless it is still busy (a
    /// statement of a timed-out request) or a transaction cannot be rolled back.
    fn give_back(&self, conn: &SharedConn) {
        let Ok(c) = conn.try_lock() else { return };
        if !c.is_autocommit() && c.execute_batch("ROLLBACK").is_err() {
            return;
        }
        drop(c);
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < IDLE_MAX {
            idle.push(conn.clone());
        }
    }
}

impl Databases {
    /// Opens (creating it if needed) `default` at `<state_dir>/sqlite_db.db`.
    /// With `queue_writers`, writers take turns in the host's queue (`Connection::writing`).
    pub fn open_default(state_dir: &Path, queue_writers: bool) -> Result<Self> {
        std::fs::create_dir_all(state_dir)
            .with_context(|| format!("cannot create the state folder {}", state_dir.display()))?;
        let path = state_dir.join("sqlite_db.db");
        // Opened here so that a bad path fails at start-up, not on the first request;
        // it stays open in the pool, so the WAL is never checkpointed away on close.
        let first = open_file(&path)?;
        let db = Database {
            path,
            idle: Mutex::new(vec![Arc::new(Mutex::new(first))]),
            writers: queue_writers.then(Arc::default),
        };
        let mut dbs = HashMap::new();
        dbs.insert("default".to_owned(), Arc::new(db));
        Ok(Databases { dbs })
    }

    pub fn contains(&self, label: &str) -> bool {
        self.dbs.contains_key(label)
    }

    /// A connection to the database `label` for a request; `None` when the host does not
    /// know it (or cannot open it).
    pub fn connect(&self, label: &str) -> Option<Connection> {
        let database = self.dbs.get(label)?.clone();
        let db = database.take().ok()?;
        Some(Connection {
            db,
            database,
            last_insert_rowid: 0,
            changes: 0,
            writing: None,
        })
    }

    /// Runs a batch of statements (Spin's `--sqlite` statements and migration files).
    pub fn execute_batch(&self, label: &str, sql: &str) -> Result<()> {
        let c = self.connect(label).context("no such database")?;
        let conn = c.db.lock().unwrap_or_else(|p| p.into_inner());
        conn.execute_batch(sql)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::TransactionEdge::{self, *};

    #[test]
    fn transaction_edges_are_recognised() {
        for (sql, edge) in [
            ("BEGIN IMMEDIATE", Begin),
            ("  begin;", Begin),
            ("COMMIT", End),
            ("end transaction", End),
            ("ROLLBACK", End),
            ("rollback to sp1", Inside),
            ("INSERT INTO t VALUES (1)", Inside),
            ("", Inside),
        ] {
            assert_eq!(TransactionEdge::of(sql), edge, "{sql}");
        }
    }
}

fn open_file(path: &Path) -> Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)
        .with_context(|| format!("cannot open the database {}", path.display()))?;
    // Writers queue on SQLite's lock; a long timeout keeps bursts from failing.
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    // WAL lets an operator read the file (sqlite3 .spin/sqlite_db.db) while the host runs.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    Ok(conn)
}

/// The `connection` resource.
pub struct Connection {
    pub db: SharedConn,
    database: Arc<Database>,
    pub last_insert_rowid: i64,
    pub changes: u64,
    /// Held from `BEGIN` to `COMMIT`/`ROLLBACK` (or until the connection is dropped).
    /// Writers then wait their turn in order, instead of in SQLite's busy handler, which
    /// polls with sleeps of up to 100 ms: under a burst of submissions that made the
    /// slowest answers wait most of a second while the lock sat free.
    pub writing: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Connection {
    /// The queue this connection's writers wait in, if the host queues them.
    pub fn writer_queue(&self) -> Option<Arc<tokio::sync::Mutex<()>>> {
        self.database.writers.clone()
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        // Rolled back (if need be) and pooled before `writing` lets the next writer in.
        self.database.give_back(&self.db);
    }
}

/// Where a statement stands to an explicit transaction.
#[derive(Debug, PartialEq, Eq)]
pub enum TransactionEdge {
    Begin,
    End,
    Inside,
}

impl TransactionEdge {
    pub fn of(statement: &str) -> Self {
        let words: Vec<String> = statement
            .split_whitespace()
            .take(2)
            .map(|w| w.trim_end_matches(';').to_ascii_uppercase())
            .collect();
        match (
            words.first().map(String::as_str),
            words.get(1).map(String::as_str),
        ) {
            (Some("BEGIN"), _) => TransactionEdge::Begin,
            // `ROLLBACK TO savepoint` stays inside the transaction.
            (Some("ROLLBACK"), Some("TO")) => TransactionEdge::Inside,
            (Some("COMMIT" | "END" | "ROLLBACK"), _) => TransactionEdge::End,
            _ => TransactionEdge::Inside,
        }
    }
}

fn to_sql(v: Value) -> SqlValue {
    match v {
        Value::Integer(i) => SqlValue::Integer(i),
        Value::Real(f) => SqlValue::Real(f),
        Value::Text(s) => SqlValue::Text(s),
        Value::Blob(b) => SqlValue::Blob(b),
        Value::Null => SqlValue::Null,
    }
}

fn from_sql(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

fn io(e: impl std::fmt::Display) -> Error {
    Error::Io(e.to_string())
}

/// What one statement produced.
pub struct Outcome {
    pub columns: Vec<String>,
    pub rows: Vec<RowResult>,
    /// An error met while stepping, after `rows` were read.
    pub late_error: Option<Error>,
    pub last_insert_rowid: i64,
    pub changes: u64,
}

/// Runs exactly one statement (more is an error, as in Spin).
pub fn run(
    db: &Mutex<rusqlite::Connection>,
    statement: &str,
    params: Vec<Value>,
) -> Result<Outcome, Error> {
    let conn = db.lock().unwrap_or_else(|p| p.into_inner());
    let mut stmt = conn.prepare_cached(statement).map_err(io)?;
    let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    let n = columns.len();
    let params: Vec<SqlValue> = params.into_iter().map(to_sql).collect();
    let mut rows_out = Vec::new();
    let mut late_error = None;
    {
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(io)?;
        loop {
            match rows.next() {
                Ok(Some(row)) => {
                    let mut values = Vec::with_capacity(n);
                    for i in 0..n {
                        values.push(row.get_ref(i).map(from_sql).unwrap_or(Value::Null));
                    }
                    rows_out.push(RowResult { values });
                }
                Ok(None) => break,
                Err(e) => {
                    late_error = Some(io(e));
                    break;
                }
            }
        }
    }
    drop(stmt);
    Ok(Outcome {
        columns,
        rows: rows_out,
        late_error,
        last_insert_rowid: conn.last_insert_rowid(),
        changes: conn.changes(),
    })
}

/// The synchronous `execute`: all rows at once, any error as the result.
pub fn run_sync(
    db: &Mutex<rusqlite::Connection>,
    statement: &str,
    params: Vec<Value>,
) -> Result<(QueryResult, i64, u64), Error> {
    let o = run(db, statement, params)?;
    if let Some(e) = o.late_error {
        return Err(e);
    }
    Ok((
        QueryResult {
            columns: o.columns,
            rows: o.rows,
        },
        o.last_insert_rowid,
        o.changes,
    ))
}
