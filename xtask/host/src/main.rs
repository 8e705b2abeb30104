//! `localspin [options]`: serves a Spin manifest locally (see `localspin::cli::USAGE`).
//! `cargo xtask up` is the usual way in: it builds everything and applies migrations first.

fn main() -> std::process::ExitCode {
    localspin::cli::main()
}
