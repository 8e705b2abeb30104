//! `cargo xtask up [options]`: serves spin.toml on the local Spin host (`xtask/host`,
//! the `localspin` binary).
//!
//! The components and the browser bundle are built first (`build_all`); the project's
//! migrations (`shared/store/migrations/*.sql`, in name order) run against `default`
//! before any `--sqlite` the caller adds. The host runs as its own process (`target/release/localspin`), so `xtask`
//! itself never links wasmtime and `cargo xtask test` builds it only for the tests.
//! Options: `cargo xtask up --help`.

use std::path::PathBuf;

use crate::{Result, cargo, root, run};

/// The project's migration files, in the order they apply.
pub fn migration_files() -> Result<Vec<PathBuf>> {
    let dir = root().join("shared/store/migrations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    Ok(files)
}

/// Serves the app until Ctrl-C (the caller has built everything).
pub fn serve(args: &[String]) -> Result<()> {
    // Built first, then run as a plain process: a running `cargo run` would keep cargo's
    // lock on target/ and block every other build while the app is up.
    run(cargo().args(["build", "--quiet", "--release", "--package", "localspin"]))?;
    let mut cmd = std::process::Command::new(root().join("target/release/localspin"));
    // Compiled components are kept, so a restart takes a tenth of a second, not seconds.
    cmd.arg("--compile-cache")
        .arg(root().join("target/wasmtime-cache"));
    let files = migration_files()?;
    for f in &files {
        cmd.arg("--sqlite").arg(format!("@{}", f.display()));
    }
    if !args.iter().any(|a| a == "--help" || a == "-h") {
        println!(
            "xtask: applying {} migration file(s) to `default`",
            files.len()
        );
    }
    // A local run needs no setup: tokens not given (`--variable`, SPIN_VARIABLE_*) are
    // made up for this run and printed, never written anywhere.
    for name in ["admin_token", "officer_token", "first_admin_password"] {
        let env = format!("SPIN_VARIABLE_{}", name.to_uppercase());
        let given = std::env::var_os(&env).is_some()
            || args.iter().any(|a| a.contains(&format!("{name}=")));
        if !given {
            let token = dev_token()?;
            println!("xtask: {name} for this run (set {env} to choose one): {token}");
            if name == "first_admin_password" {
                println!(
                    "xtask: before any account exists, the console (/console/) takes user name \
                     `admin` with that password (SPIN_VARIABLE_FIRST_ADMIN_USERNAME to choose)"
                );
            }
            cmd.env(&env, token);
        }
    }
    if std::env::var_os("SPIN_VARIABLE_FIRST_ADMIN_USERNAME").is_none()
        && !args.iter().any(|a| a.contains("first_admin_username="))
    {
        cmd.env("SPIN_VARIABLE_FIRST_ADMIN_USERNAME", "admin");
    }
    run(cmd.args(args))
}

/// 24 random bytes as hex, from the operating system.
fn dev_token() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 24];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("/dev/urandom: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
