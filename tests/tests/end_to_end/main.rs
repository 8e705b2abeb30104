//! Every end-to-end test in one binary, so the host (wasmtime) is linked once rather than
//! once per file. Each module is one concern; `cargo test -p e2e --test end_to_end <module>`
//! runs one of them.

mod accounts;
mod app;
mod authz;
mod browser;
mod common;
mod console;
mod contract;
mod driver;
mod faults;
mod host;
mod hostile;
mod lawful;
mod notices;
mod openapi;
mod published;
mod round;
mod schema;
mod stored;
