//! `localspin`: a local host that serves a Spin 4.1 manifest on wasmtime 48.
//!
//! Spin itself is not on any package registry, so the project carries this host for
//! `cargo xtask up` and the end-to-end tests. It implements what the app's components
//! use, the way Spin 4.1 does: HTTP triggers and routing with Spin's request headers,
//! `wasi:http@0.3.0` services (spin-sdk 7), WASI 0.2 and 0.3, `spin:sqlite@3.1.0`,
//! `spin:key-value@3.0.0` (the `default` store in `<state>/sqlite_key_value.db`, Spin's
//! file and table; a component's `key_value_stores` checked as Spin checks them),
//! `spin:variables@3.0.0`, read-only `files` mounts and per-component logs. Each
//! component is compiled once and instantiated from a pre-instantiated form (pooling
//! allocator); an instance serves up to 128 requests in turn, each within 1 s of the last,
//! as Spin 4.1 reuses a WASIp3 instance. A trap answers 500, a request running
//! past the timeout 504; the host stays up either way. Outbound HTTP is denied.

pub mod cli;
pub mod key_value;
pub mod manifest;
pub mod router;
pub mod sqlite;
pub mod variables;

mod answer;
mod app;
mod body;
mod config;
mod engine;
mod files;
mod host_impl;
mod instance;
mod request;
mod server;

pub use app::{App, ComponentRt};
pub use config::Config;
pub use instance::Ctx;
pub use request::handle;
pub use server::{Running, start};

pub(crate) mod bindings {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "localspin:host/host",
        // As in Spin: a failure to hand over the keys' stream traps (the function has no
        // error result of its own).
        imports: {
            "spin:key-value/key-value.[method]store.get-keys": trappable,
        },
        with: {
            "spin:key-value/key-value.store": crate::key_value::Store,
            "spin:sqlite/sqlite.connection": crate::sqlite::Connection,
        },
    });
}
