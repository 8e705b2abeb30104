//! An instance's state ([`Ctx`]: WASI with the component's files and logs, `wasi:http`
//! with outbound requests denied, SQLite, key-value) in its store, which lives as long as
//! the instance: one request, or up to 128 in turn (`app::Idle`).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use wasmtime::component::ResourceTable;
use wasmtime::{Store, UpdateDeadline};
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks, WasiHttpView};

use crate::{App, ComponentRt, key_value, sqlite};

/// The state of one instance.
pub struct Ctx {
    pub(crate) table: ResourceTable,
    pub(crate) wasi: WasiCtx,
    pub(crate) http: WasiHttpCtx,
    pub(crate) hooks: DenyOutbound,
    pub(crate) component: Arc<ComponentRt>,
    pub(crate) dbs: Arc<sqlite::Databases>,
    pub(crate) kv: Arc<key_value::KeyValue>,
    /// Where the current request's time went, for `server-timing` (reset per request).
    pub(crate) sqlite_time: SqliteTime,
    pub(crate) kv_time: KvTime,
}

/// Time a request spent on key-value calls (`open` included: the first opens the file).
#[derive(Default)]
pub(crate) struct KvTime {
    pub calls: u32,
    pub running: Duration,
}

/// Time a request spent on SQLite statements and waiting for its turn to write.
#[derive(Default)]
pub(crate) struct SqliteTime {
    pub statements: u32,
    pub running: Duration,
    pub queued: Duration,
}

impl WasiView for Ctx {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for Ctx {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// Outbound HTTP is not allowed (no component declares `allowed_outbound_hosts`).
pub(crate) struct DenyOutbound;

impl WasiHttpHooks for DenyOutbound {
    fn send_request(
        &mut self,
        _request: http::Request<wasmtime_wasi_http::WasiBody>,
        _options: Option<wasmtime_wasi_http::RequestOptions>,
        _fut: Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>,
    ) -> Box<
        dyn Future<
                Output = Result<
                    (
                        http::Response<wasmtime_wasi_http::WasiBody>,
                        Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>,
                    ),
                    wasmtime_wasi_http::Error,
                >,
            > + Send,
    > {
        Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) })
    }
}

impl App {
    /// A fresh store for an instance of `c`, yielding at every epoch tick.
    pub(crate) fn new_store(&self, c: &Arc<ComponentRt>) -> Result<Store<Ctx>> {
        let mut wasi = WasiCtxBuilder::new();
        wasi.stdout(c.stdout.clone()).stderr(c.stderr.clone());
        wasi.envs(&c.environment);
        // The mounted files are small and local: reading them on this thread is quicker
        // than a hop to the blocking pool for every call (the static page's answer took
        // about twice as long that way; docs/BENCHMARKS.md). Set before the preopens.
        wasi.allow_blocking_current_thread(true);
        for (host, guest) in &c.mounts {
            wasi.preopened_dir(host, guest, FsPerms::ReadOnly)?;
        }
        let ctx = Ctx {
            table: ResourceTable::new(),
            wasi: wasi.build(),
            http: WasiHttpCtx::new(),
            hooks: DenyOutbound,
            component: c.clone(),
            dbs: self.dbs.clone(),
            kv: self.kv.clone(),
            sqlite_time: SqliteTime::default(),
            kv_time: KvTime::default(),
        };
        let mut store = Store::new(&self.engine, ctx);
        // Wasm yields to the executor at every epoch tick, so a busy loop cannot hold a
        // thread and the request timeout can fire.
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(|_| Ok(UpdateDeadline::Yield(1)));
        Ok(store)
    }
}
