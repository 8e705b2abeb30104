//! Building the Spin components (`functions/*`) and the test-only fixture component.

use crate::{Result, cargo, run};

/// The app's components, as named in spin.toml (each a crate of the same name).
pub const COMPONENTS: &[&str] = &["intake", "calculation", "notices", "objections", "assets"];

/// Components only the end-to-end tests and the benchmark load (tests/fixtures/).
pub const FIXTURES: &[&str] = &["probe"];

/// Builds every component to `target/wasm32-wasip2/wasm/<name>.wasm` in one cargo call
/// (the same command as each `[component.x.build]`, so `spin build` produces the same).
pub fn build() -> Result<()> {
    let mut cmd = cargo();
    cmd.args(["build", "--profile", "wasm", "--target", "wasm32-wasip2"]);
    for c in COMPONENTS.iter().chain(FIXTURES) {
        cmd.args(["-p", c]);
    }
    run(&mut cmd)
}
