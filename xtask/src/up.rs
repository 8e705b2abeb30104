//! `cargo xtask up [options]`: serves spin.toml on the local Spin host (`xtask/host`).
//!
//! The components and the browser bundle are built first (`build_all`); the project's
//! migrations (`shared/service/migrations/*.sql`, in name order) run against `default`
//! before any `--sqlite` the caller adds. Options: see `localspin::cli::USAGE`.

use std::path::PathBuf;

use crate::{Result, root};

/// The project's migration files, in the order they apply.
pub fn migration_files() -> Result<Vec<PathBuf>> {
    let dir = root().join("shared/service/migrations");
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
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("usage: cargo xtask up [options]\n{}", localspin::cli::USAGE);
        return Ok(());
    }
    let mut config = localspin::Config::new(root().join("spin.toml"));
    for f in migration_files()? {
        let sql = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        config.sqlite_statements.push(sql);
    }
    localspin::cli::parse(args, &mut config).map_err(|e| format!("{e:#}"))?;
    // A local run needs no setup: tokens not given (`--variable`, SPIN_VARIABLE_*) are
    // made up for this run and printed, never written anywhere.
    for name in ["admin_token", "officer_token"] {
        let env = format!("SPIN_VARIABLE_{}", name.to_uppercase());
        if std::env::var_os(&env).is_none() && !config.variables.iter().any(|(k, _)| k == name) {
            let token = dev_token()?;
            println!("xtask: {name} for this run (set {env} to choose one): {token}");
            config.variables.push((name.into(), token));
        }
    }
    println!(
        "xtask: applying {} migration file(s) to `default`",
        migration_files()?.len()
    );
    localspin::cli::serve(config).map_err(|e| format!("{e:#}"))
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
