//! `localspin`'s command line, built with the end-to-end tests (see `e2e::host_process`).

fn main() -> std::process::ExitCode {
    localspin::cli::main()
}
