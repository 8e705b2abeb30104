//! The real Spin 4.1 as a host for the end-to-end tests, beside the local host.
//!
//! The binary is found when the tests are compiled (`tests/build.rs`): `SPIN_BIN` if set
//! (empty: none), else
//! `../shared/tools/spin/spin` beside the workspace, else `spin` on `PATH`. Without one,
//! the real-Spin tests are compiled `#[ignore]`d with that reason, so `cargo test` lists
//! them as ignored instead of passing them silently.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Spin binary the tests were compiled against, if any.
pub fn binary() -> Option<PathBuf> {
    option_env!("E2E_SPIN_BIN")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

/// What a real-Spin host is started with.
pub struct SpinConfig<'a> {
    /// The manifest (`spin.toml` of the app or a fixture).
    pub manifest: &'a Path,
    /// Spin's `--state-dir`: `sqlite_db.db` (the `default` database) and `logs/` go there.
    pub state: &'a Path,
    /// Spin variables, passed as `SPIN_VARIABLE_<NAME>`.
    pub variables: &'a [(&'a str, &'a str)],
    /// Files of SQL run against `default` before serving (`--sqlite @file`).
    pub sqlite_files: Vec<PathBuf>,
    /// `--runtime-config-file`, for databases other than `default`.
    pub runtime_config: Option<PathBuf>,
}

/// A running `spin up` (its own process group: `spin up` runs `spin trigger http` as a
/// child, and both must go when the test ends).
pub struct SpinProcess {
    child: Child,
    pub addr: SocketAddr,
    /// From spawning `spin up` to its `Serving` line.
    pub ready_after: Duration,
}

/// A free port on the loopback (bound, read, released: Spin takes an address, not a
/// listener).
fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
}

impl SpinProcess {
    /// Starts `spin up` and waits until it serves. Panics (naming Spin's own output) when
    /// it does not start within two minutes.
    pub fn start(c: &SpinConfig<'_>) -> SpinProcess {
        let bin = binary().expect("the real-Spin tests are ignored when there is no Spin binary");
        let addr = free_addr();
        let stderr_path = c.state.join("spin-stderr.txt");
        let stderr = std::fs::File::create(&stderr_path).expect("the state folder is writable");
        let mut cmd = Command::new(&bin);
        cmd.arg("up")
            .arg("--from")
            .arg(c.manifest)
            .arg("--listen")
            .arg(addr.to_string())
            .arg("--state-dir")
            .arg(c.state);
        for f in &c.sqlite_files {
            cmd.arg("--sqlite").arg(format!("@{}", f.display()));
        }
        if let Some(rc) = &c.runtime_config {
            cmd.arg("--runtime-config-file").arg(rc);
        }
        // Only what Spin needs from the environment: the developer's SPIN_VARIABLE_* and
        // proxies must not leak in.
        cmd.env_clear();
        for keep in ["PATH", "HOME", "TMPDIR"] {
            if let Some(v) = std::env::var_os(keep) {
                cmd.env(keep, v);
            }
        }
        for (k, v) in c.variables {
            cmd.env(format!("SPIN_VARIABLE_{}", k.to_uppercase()), v);
        }
        let started = Instant::now();
        let mut child = cmd
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let stdout = child.stdout.take().expect("piped");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if !sent && line.starts_with("Serving http://") {
                    let _ = tx.send(());
                    sent = true;
                }
            }
        });
        let mut process = SpinProcess {
            child,
            addr,
            ready_after: Duration::ZERO,
        };
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(()) => {
                process.ready_after = started.elapsed();
                process
            }
            Err(_) => {
                drop(process);
                let log = std::fs::read_to_string(&stderr_path).unwrap_or_default();
                panic!("spin up did not serve within two minutes:\n{log}");
            }
        }
    }
}

impl Drop for SpinProcess {
    fn drop(&mut self) {
        // The whole group: `spin up` and its `spin trigger http`.
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `spin up` on a manifest Spin must refuse, and answers what it said (stdout and
/// stderr) once it has exited. Panics if it serves instead, or is still running after two
/// minutes.
pub fn refuses(manifest: &Path, state: &Path) -> String {
    let bin = binary().expect("the real-Spin tests are ignored when there is no Spin binary");
    let out_path = state.join("spin-refusal.txt");
    let out = std::fs::File::create(&out_path).expect("the state folder is writable");
    let mut cmd = Command::new(&bin);
    cmd.arg("up")
        .arg("--from")
        .arg(manifest)
        .arg("--listen")
        .arg(free_addr().to_string())
        .arg("--state-dir")
        .arg(state)
        .env_clear();
    for keep in ["PATH", "HOME", "TMPDIR"] {
        if let Some(v) = std::env::var_os(keep) {
            cmd.env(keep, v);
        }
    }
    let child = cmd
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("a second handle"))
        .stderr(out)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
    // Dropped (killed with its group) whichever way this ends.
    let mut process = SpinProcess {
        child,
        addr: free_addr(),
        ready_after: Duration::ZERO,
    };
    let started = Instant::now();
    let status = loop {
        if let Some(status) = process.child.try_wait().expect("spin up can be waited for") {
            break status;
        }
        let said = std::fs::read_to_string(&out_path).unwrap_or_default();
        assert!(
            !said.contains("Serving http://"),
            "spin up served a manifest it should refuse:\n{said}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "spin up neither served nor stopped within two minutes:\n{said}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let said = std::fs::read_to_string(&out_path).unwrap_or_default();
    assert!(!status.success(), "spin up exited successfully:\n{said}");
    said
}

/// The fixture manifest (`tests/fixtures/spin.toml`) on the real Spin: its second database
/// `elsewhere` is declared in a runtime config written to `state` (Spin knows only
/// `default` without one).
pub fn start_fixture(state: &Path, variables: &[(&str, &str)]) -> SpinProcess {
    let rc = state.join("runtime-config.toml");
    let db = state.join("elsewhere.db");
    std::fs::write(
        &rc,
        format!(
            "[sqlite_database.elsewhere]\ntype = \"spin\"\npath = \"{}\"\n",
            db.display()
        ),
    )
    .expect("the state folder is writable");
    SpinProcess::start(&SpinConfig {
        manifest: &crate::fixture_manifest(),
        state,
        variables,
        sqlite_files: Vec::new(),
        runtime_config: Some(rc),
    })
}
