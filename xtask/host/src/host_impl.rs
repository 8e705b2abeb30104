//! The host side of `spin:sqlite@3.1.0` and `spin:variables@3.0.0`.

use std::time::Instant;

use wasmtime::component::{Accessor, FutureReader, HasData, Resource, StreamReader};

use crate::Ctx;
use crate::bindings::spin::sqlite::sqlite::{
    self, Error, HostConnection, HostConnectionWithStore, QueryResult, RowResult, Value,
};
use crate::bindings::spin::variables::variables::{self, Error as VarError};
use crate::sqlite::{Connection, TransactionEdge, run, run_sync};

/// The `HasData` marker the bindings are linked with.
pub struct SpinHost;

impl HasData for SpinHost {
    type Data<'a> = &'a mut Ctx;
}

impl Ctx {
    fn open_db(&mut self, database: &str) -> Result<Resource<Connection>, Error> {
        if !self
            .component
            .sqlite_databases
            .iter()
            .any(|d| d == database)
        {
            return Err(Error::AccessDenied);
        }
        let Some(connection) = self.dbs.connect(database) else {
            return Err(Error::NoSuchDatabase);
        };
        self.table
            .push(connection)
            .map_err(|e| Error::Io(e.to_string()))
    }

    fn conn(&self, r: &Resource<Connection>) -> Result<&Connection, Error> {
        self.table.get(r).map_err(|_| Error::InvalidConnection)
    }
}

impl sqlite::Host for Ctx {}

impl HostConnection for Ctx {
    fn open(&mut self, database: String) -> Result<Resource<Connection>, Error> {
        self.open_db(&database)
    }

    fn execute(
        &mut self,
        this: Resource<Connection>,
        statement: String,
        parameters: Vec<Value>,
    ) -> Result<QueryResult, Error> {
        let db = self.conn(&this)?.db.clone();
        // The synchronous call runs the statement on this thread (statements are short;
        // spin-sdk 7 uses the async functions below).
        let started = Instant::now();
        let ran = run_sync(&db, &statement, parameters);
        self.sqlite_time.statements += 1;
        self.sqlite_time.running += started.elapsed();
        let (result, rowid, changes) = ran?;
        if let Ok(c) = self.table.get_mut(&this) {
            c.last_insert_rowid = rowid;
            c.changes = changes;
        }
        Ok(result)
    }

    fn last_insert_rowid(&mut self, this: Resource<Connection>) -> i64 {
        self.conn(&this).map(|c| c.last_insert_rowid).unwrap_or(0)
    }

    fn changes(&mut self, this: Resource<Connection>) -> u64 {
        self.conn(&this).map(|c| c.changes).unwrap_or(0)
    }

    fn drop(&mut self, this: Resource<Connection>) -> wasmtime::Result<()> {
        self.table.delete(this)?;
        Ok(())
    }
}

impl<U> HostConnectionWithStore<U> for SpinHost {
    async fn open_async(
        accessor: &Accessor<U, Self>,
        database: String,
    ) -> Result<Resource<Connection>, Error> {
        accessor.with(|mut access| access.get().open_db(&database))
    }

    async fn execute_async(
        accessor: &Accessor<U, Self>,
        this: Resource<Connection>,
        statement: String,
        parameters: Vec<Value>,
    ) -> Result<
        (
            Vec<String>,
            StreamReader<RowResult>,
            FutureReader<Result<(), Error>>,
        ),
        Error,
    > {
        let edge = TransactionEdge::of(&statement);
        let (db, queue) = accessor.with(|mut access| {
            let ctx = access.get();
            let c = ctx.conn(&this)?;
            let queue = match edge {
                TransactionEdge::Begin if c.writing.is_none() => c.writer_queue(),
                _ => None,
            };
            Ok::<_, Error>((c.db.clone(), queue))
        })?;
        // Wait for the writer before this one to commit (see `Connection::writing`).
        let waiting = Instant::now();
        let turn = match queue {
            Some(q) => Some(q.lock_owned().await),
            None => None,
        };
        let queued = waiting.elapsed();
        let started = Instant::now();
        let outcome = tokio::task::spawn_blocking(move || run(&db, &statement, parameters))
            .await
            .map_err(|e| Error::Io(e.to_string()));
        let running = started.elapsed();
        let began = matches!(outcome, Ok(Ok(ref o)) if o.late_error.is_none());
        accessor.with(|mut access| {
            let ctx = access.get();
            ctx.sqlite_time.statements += 1;
            ctx.sqlite_time.running += running;
            ctx.sqlite_time.queued += queued;
            if let Ok(c) = ctx.table.get_mut(&this) {
                match edge {
                    TransactionEdge::Begin if began && turn.is_some() => c.writing = turn,
                    TransactionEdge::End => c.writing = None,
                    _ => {}
                }
            }
        });
        let outcome = outcome??;
        accessor.with(|mut access| {
            if let Ok(c) = access.get().table.get_mut(&this) {
                c.last_insert_rowid = outcome.last_insert_rowid;
                c.changes = outcome.changes;
            }
            let late = outcome.late_error;
            let rows = StreamReader::new(&mut access, outcome.rows)
                .map_err(|e| Error::Io(e.to_string()))?;
            let result = FutureReader::new(&mut access, async move {
                wasmtime::error::Ok(match late {
                    Some(e) => Err(e),
                    None => Ok(()),
                })
            })
            .map_err(|e| Error::Io(e.to_string()))?;
            Ok((outcome.columns, rows, result))
        })
    }

    async fn last_insert_rowid_async(
        accessor: &Accessor<U, Self>,
        this: Resource<Connection>,
    ) -> i64 {
        accessor.with(|mut access| {
            access
                .get()
                .conn(&this)
                .map(|c| c.last_insert_rowid)
                .unwrap_or(0)
        })
    }

    async fn changes_async(accessor: &Accessor<U, Self>, this: Resource<Connection>) -> u64 {
        accessor.with(|mut access| access.get().conn(&this).map(|c| c.changes).unwrap_or(0))
    }
}

impl variables::Host for Ctx {}

impl<U> variables::HostWithStore<U> for SpinHost {
    async fn get(accessor: &Accessor<U, Self>, name: String) -> Result<String, VarError> {
        if !crate::variables::valid_name(&name) {
            return Err(VarError::InvalidName(name));
        }
        accessor.with(|mut access| {
            access
                .get()
                .component
                .variables
                .get(&name)
                .cloned()
                .ok_or(VarError::Undefined(name))
        })
    }
}
