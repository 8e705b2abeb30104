//! The local host as a separate process (the `e2e-host` binary of this package, which is
//! `localspin`'s command line): for tests that kill it, and for benchmarks that measure
//! its start-up and profile it apart from the load generator.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running host process.
pub struct HostProcess {
    pub child: Child,
    pub addr: SocketAddr,
    /// From spawning the process to its first `serving on` line: loading the manifest,
    /// compiling every component, running the start-up SQL, binding the port.
    pub ready_after: Duration,
}

/// Starts `exe` (pass `env!("CARGO_BIN_EXE_e2e-host")`) on a free port with `args`
/// (`--from`, `--state-dir`, `--variable`, …) and an empty environment; its standard error
/// goes to `host-stderr.txt` in `state`. Waits until it serves.
pub fn spawn(exe: &Path, state: &Path, args: &[String]) -> HostProcess {
    let stderr = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(state.join("host-stderr.txt"))
        .expect("the state folder is writable");
    let started = Instant::now();
    let mut child = Command::new(exe)
        .args(["--listen", "127.0.0.1:0", "--state-dir"])
        .arg(state)
        .args(args)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let addr = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(a) = line.strip_prefix("localspin: serving on http://") {
                    break a.trim().parse().expect("an address");
                }
            }
            _ => {
                let _ = child.kill();
                let log =
                    std::fs::read_to_string(state.join("host-stderr.txt")).unwrap_or_default();
                panic!("the host exited before serving:\n{log}");
            }
        }
    };
    let ready_after = started.elapsed();
    // Keep draining its standard output so the pipe never fills.
    std::thread::spawn(move || for _ in lines {});
    HostProcess {
        child,
        addr,
        ready_after,
    }
}

/// `--sqlite SQL` for each of the project's migrations, as `cargo xtask up` applies them.
pub fn migration_args() -> Vec<String> {
    crate::migrations()
        .into_iter()
        .flat_map(|sql| ["--sqlite".to_owned(), sql])
        .collect()
}

/// `--variable name=value` for each pair.
pub fn variable_args(vars: &[(&str, &str)]) -> Vec<String> {
    vars.iter()
        .flat_map(|(k, v)| ["--variable".to_owned(), format!("{k}={v}")])
        .collect()
}

impl HostProcess {
    /// Kills the process at once (SIGKILL: no clean shutdown) and reaps it.
    pub fn kill(self) {
        drop(self);
    }
}

impl Drop for HostProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
