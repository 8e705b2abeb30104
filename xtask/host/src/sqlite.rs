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

/// The databases of the app, by label.
#[derive(Default)]
pub struct Databases {
    dbs: HashMap<String, PathBuf>,
    /// One idle connection per database for the host's lifetime. Without it, every
    /// request's connection is the last one when it closes, and SQLite then checkpoints
    /// the WAL into the database, syncs and deletes it: several milliseconds per request.
    _keepers: Vec<Mutex<rusqlite::Connection>>,
    /// One writer at a time per database, in arrival order (see `Connection::writing`).
    writers: HashMap<String, Arc<tokio::sync::Mutex<()>>>,
}

impl Databases {
    /// Opens (creating it if needed) `default` at `<state_dir>/sqlite_db.db`.
    /// With `queue_writers`, writers take turns in the host's queue (`Connection::writing`).
    pub fn open_default(state_dir: &Path, queue_writers: bool) -> Result<Self> {
        std::fs::create_dir_all(state_dir)
            .with_context(|| format!("cannot create the state folder {}", state_dir.display()))?;
        let path = state_dir.join("sqlite_db.db");
        // Opened here so that a bad path fails at start-up, not on the first request.
        let keeper = open_file(&path)?;
        let mut dbs = HashMap::new();
        dbs.insert("default".to_owned(), path);
        let mut writers = HashMap::new();
        if queue_writers {
            writers.insert("default".to_owned(), Arc::default());
        }
        Ok(Databases {
            dbs,
            _keepers: vec![Mutex::new(keeper)],
            writers,
        })
    }

    pub fn default_path(state_dir: &Path) -> PathBuf {
        state_dir.join("sqlite_db.db")
    }

    pub fn contains(&self, label: &str) -> bool {
        self.dbs.contains_key(label)
    }

    /// A new connection to the database `label`; `None` when the host does not know it.
    pub fn get(&self, label: &str) -> Option<Arc<Mutex<rusqlite::Connection>>> {
        let path = self.dbs.get(label)?;
        open_file(path).ok().map(|c| Arc::new(Mutex::new(c)))
    }

    /// The queue of writers to `label`.
    pub fn writer_queue(&self, label: &str) -> Option<Arc<tokio::sync::Mutex<()>>> {
        self.writers.get(label).cloned()
    }

    /// Runs a batch of statements (Spin's `--sqlite` statements and migration files).
    pub fn execute_batch(&self, label: &str, sql: &str) -> Result<()> {
        let db = self.get(label).context("no such database")?;
        let conn = db.lock().unwrap_or_else(|p| p.into_inner());
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
    pub db: Arc<Mutex<rusqlite::Connection>>,
    pub label: String,
    pub last_insert_rowid: i64,
    pub changes: u64,
    /// Held from `BEGIN` to `COMMIT`/`ROLLBACK` (or until the connection is dropped).
    /// Writers then wait their turn in order, instead of in SQLite's busy handler, which
    /// polls with sleeps of up to 100 ms: under a burst of submissions that made the
    /// slowest answers wait most of a second while the lock sat free.
    pub writing: Option<tokio::sync::OwnedMutexGuard<()>>,
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
