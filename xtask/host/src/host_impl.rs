//! The host side of `spin:sqlite@3.1.0`, `spin:key-value@3.0.0` and `spin:variables@3.0.0`.

use std::time::Instant;

use wasmtime::component::{Accessor, FutureReader, HasData, Resource, StreamReader};

use crate::Ctx;
use crate::bindings::spin::key_value::key_value::{
    self as kv, Error as KvError, HostStore, HostStoreWithStore,
};
use crate::bindings::spin::sqlite::sqlite::{
    self, Error, HostConnection, HostConnectionWithStore, QueryResult, RowResult, Value,
};
use crate::bindings::spin::variables::variables::{self, Error as VarError};
use crate::key_value::Store;
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

impl Ctx {
    /// An open store of this request (a copy of the handle's label and connection).
    fn kv_store(&self, r: &Resource<Store>) -> Result<Store, KvError> {
        self.table.get(r).cloned().map_err(|_| KvError::NoSuchStore)
    }
}

/// Runs one key-value call on the blocking pool, its time counted for `server-timing`.
async fn kv_blocking<U, T: Send + 'static>(
    accessor: &Accessor<U, SpinHost>,
    call: impl FnOnce() -> Result<T, KvError> + Send + 'static,
) -> Result<T, KvError> {
    let started = Instant::now();
    let outcome = tokio::task::spawn_blocking(call).await;
    let running = started.elapsed();
    accessor.with(|mut access| {
        let t = &mut access.get().kv_time;
        t.calls += 1;
        t.running += running;
    });
    outcome.map_err(|e| KvError::Other(e.to_string()))?
}

/// The store a call names and the blocking pool's answer to `call` on it.
async fn kv_call<U, T: Send + 'static>(
    accessor: &Accessor<U, SpinHost>,
    this: &Resource<Store>,
    call: impl FnOnce(Store) -> Result<T, KvError> + Send + 'static,
) -> Result<T, KvError> {
    let store = accessor.with(|mut access| access.get().kv_store(this))?;
    kv_blocking(accessor, move || call(store)).await
}

impl kv::Host for Ctx {}

impl HostStore for Ctx {
    fn drop(&mut self, this: Resource<Store>) -> wasmtime::Result<()> {
        self.table.delete(this)?;
        Ok(())
    }
}

impl<U> HostStoreWithStore<U> for SpinHost {
    async fn open(accessor: &Accessor<U, Self>, label: String) -> Result<Resource<Store>, KvError> {
        // Spin checks the component's list first: an undeclared label is access-denied
        // whether or not the store exists.
        let stores = accessor.with(|mut access| {
            let ctx = access.get();
            ctx.component
                .key_value_stores
                .contains(&label)
                .then(|| ctx.kv.clone())
        });
        let Some(stores) = stores else {
            return Err(KvError::AccessDenied);
        };
        let store = kv_blocking(accessor, move || stores.open(&label)).await?;
        accessor.with(|mut access| {
            access
                .get()
                .table
                .push(store)
                .map_err(|_| KvError::StoreTableFull)
        })
    }

    async fn get(
        accessor: &Accessor<U, Self>,
        this: Resource<Store>,
        key: String,
    ) -> Result<Option<Vec<u8>>, KvError> {
        kv_call(accessor, &this, move |s| s.get(&key)).await
    }

    async fn set(
        accessor: &Accessor<U, Self>,
        this: Resource<Store>,
        key: String,
        value: Vec<u8>,
    ) -> Result<(), KvError> {
        kv_call(accessor, &this, move |s| s.set(&key, &value)).await
    }

    async fn delete(
        accessor: &Accessor<U, Self>,
        this: Resource<Store>,
        key: String,
    ) -> Result<(), KvError> {
        kv_call(accessor, &this, move |s| s.delete(&key)).await
    }

    async fn exists(
        accessor: &Accessor<U, Self>,
        this: Resource<Store>,
        key: String,
    ) -> Result<bool, KvError> {
        kv_call(accessor, &this, move |s| s.exists(&key)).await
    }

    async fn get_keys(
        accessor: &Accessor<U, Self>,
        this: Resource<Store>,
    ) -> wasmtime::Result<(StreamReader<String>, FutureReader<Result<(), KvError>>)> {
        // A handle the host does not hold traps here, as in Spin (no error result).
        let store = accessor
            .with(|mut access| access.get().kv_store(&this))
            .map_err(|e| wasmtime::format_err!("get-keys: {e}"))?;
        // Read whole, then streamed: Spin streams from the query itself, holding the
        // store's connection until the guest has read the last key.
        let (keys, result) = match kv_blocking(accessor, move || store.keys()).await {
            Ok(keys) => (keys, Ok(())),
            Err(e) => (Vec::new(), Err(e)),
        };
        accessor.with(|mut access| {
            let keys = StreamReader::new(&mut access, keys)?;
            let result =
                FutureReader::new(&mut access, async move { wasmtime::error::Ok(result) })?;
            Ok((keys, result))
        })
    }
}
