//! `localspin [options]`: serves a Spin manifest locally (see `localspin::cli::USAGE`).
//! `cargo xtask up` is the usual way in: it builds everything and applies migrations first.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("usage: localspin [options]\n{}", localspin::cli::USAGE);
        return ExitCode::SUCCESS;
    }
    let mut config = localspin::Config::new("spin.toml");
    let result =
        localspin::cli::parse(&args, &mut config).and_then(|()| localspin::cli::serve(config));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("localspin: {e:#}");
            ExitCode::FAILURE
        }
    }
}
