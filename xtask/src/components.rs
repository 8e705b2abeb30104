//! Building the Spin components (`functions/*`) and the test-only fixture component.

use crate::{Result, cargo, run};

/// The app's components, as named in spin.toml (each a crate of the same name).
pub const COMPONENTS: &[&str] = &[
    "intake",
    "review",
    "calculation",
    "notices",
    "objections",
    "accounts",
    "assets",
];

/// Components only the end-to-end tests and the benchmark load (tests/fixtures/).
pub const FIXTURES: &[&str] = &["probe"];

/// Builds one component of the app (`spin build` runs this through `cargo xtask component`).
pub fn build_one(name: &str) -> Result<()> {
    if !COMPONENTS.contains(&name) {
        return Err(format!(
            "no component `{name}`: the app's are {}",
            COMPONENTS.join(", ")
        ));
    }
    run(cargo().args([
        "build",
        "--profile",
        "wasm",
        "--target",
        "wasm32-wasip2",
        "-p",
        name,
    ]))
}

/// Builds every component to `target/wasm32-wasip2/wasm/<name>.wasm` in one cargo call
/// (the same command `[component.x.build]` runs for each, so `spin build` produces the same).
pub fn build() -> Result<()> {
    let mut cmd = cargo();
    cmd.args(["build", "--profile", "wasm", "--target", "wasm32-wasip2"]);
    for c in COMPONENTS.iter().chain(FIXTURES) {
        cmd.args(["-p", c]);
    }
    run(&mut cmd)
}
