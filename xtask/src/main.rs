//! `cargo xtask <command>`: the project's build and run tasks.
//!
//! - `up`    builds everything and serves `spin.toml` on the local Spin host
//! - `build` builds every Spin component (wasm32-wasip2) and the browser bundle
//! - `component <name>` builds one Spin component (spin.toml's build commands); `assets`
//!   also builds the browser bundle it serves
//! - `web`   builds only the browser bundle (`web/pkg/`) and reports its size
//! - `test`  builds everything, runs every test of the workspace, then each fuzz target
//!   for `FUZZ_SECONDS` (45 by default)
//! - `fuzz`  `[target|all] [seconds]`: builds `fuzz/` on stable and runs its libFuzzer
//!   targets for a bounded time over the committed seed corpus

mod components;
mod encode;
mod fuzz;
mod targets;
mod up;
mod web;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("web") => targets::ensure().and_then(|()| web::build()).map(|_| ()),
        Some("build") => build_all(),
        Some("component") => component(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("up") => up(&args[1..]),
        Some("fuzz") => fuzz::main(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <up|build|component|web|test|fuzz> [args]");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T> = std::result::Result<T, String>;

/// The workspace root (the folder holding `spin.toml`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Runs a command in the workspace root, failing on a non-zero exit.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .current_dir(root())
        .status()
        .map_err(|e| format!("{}: {e}", shown(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed: {status}", shown(cmd)))
    }
}

/// A command as an error message names it: the program and its arguments, never its
/// environment (the made-up tokens travel there), and no value of a `*token*=` or
/// `*secret*=` argument.
fn shown(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        parts.push(match arg.split_once('=') {
            Some((name, _)) if name.contains("token") || name.contains("secret") => {
                format!("{name}=…")
            }
            _ => arg.into_owned(),
        });
    }
    parts.join(" ")
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn build_all() -> Result<()> {
    targets::ensure()?;
    components::build()?;
    web::build()?;
    Ok(())
}

fn component(args: &[String]) -> Result<()> {
    let [name] = args else {
        return Err(format!(
            "usage: cargo xtask component <{}>",
            components::COMPONENTS.join("|")
        ));
    };
    targets::ensure()?;
    components::build_one(name)?;
    if name == "assets" {
        web::build()?;
    }
    Ok(())
}

fn test(extra: &[String]) -> Result<()> {
    build_all()?;
    // The end-to-end tests also run on the real Spin when `tests/build.rs` finds one
    // (`SPIN_BIN`, `../shared/tools/spin/spin`, `spin` on PATH); otherwise they are
    // listed as ignored, with the reason.
    let mut cmd = cargo();
    cmd.args(["test", "--workspace"]).args(extra);
    // One test at a time: the end-to-end tests start hosts, real Spin processes and
    // hundreds of concurrent clients, and on two cores two such tests at once starve
    // each other into connection resets. Sequential, the suite is ~20 s longer and
    // every test has the machine to itself. (`cargo xtask test -- --test-threads=N`
    // chooses otherwise.)
    if !extra.iter().any(|a| a == "--") {
        cmd.args(["--", "--test-threads=1"]);
    }
    run(&mut cmd)?;
    fuzz::all()
}

fn up(args: &[String]) -> Result<()> {
    if !args.iter().any(|a| a == "--help" || a == "-h") {
        build_all()?;
    }
    up::serve(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14: a failing host must not print the tokens again.
    #[test]
    fn a_command_is_shown_without_its_secrets() {
        let mut cmd = Command::new("localspin");
        cmd.env("SPIN_VARIABLE_ADMIN_TOKEN", "s3cret-admin").args([
            "--variable",
            "officer_token=s3cret-officer",
            "--timeout",
            "30",
        ]);
        let text = shown(&cmd);
        assert!(!text.contains("s3cret"), "{text}");
        assert_eq!(text, "localspin --variable officer_token=… --timeout 30");
    }
}
