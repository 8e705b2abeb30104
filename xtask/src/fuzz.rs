//! `cargo xtask fuzz [target] [seconds]`: builds the libFuzzer targets of `fuzz/` on the
//! stable toolchain, with the coverage instrumentation `cargo fuzz` uses, and runs each
//! for a bounded time over its committed seed corpus.
//!
//! - the build goes to `fuzz/target/` (ignored by git), never to the workspace's target;
//! - new corpus entries go to a temporary folder (libFuzzer writes to its first corpus
//!   folder), so the committed seeds under `fuzz/corpus/<target>/` never change;
//! - a crash input goes to `fuzz/artifacts/<target>/` (ignored by git), and the run fails
//!   naming it and the command that replays it.
//!
//! The time per target is `FUZZ_SECONDS` (45 by default) or the second argument; zero
//! only replays the seed corpus.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use crate::{Result, cargo, root, run};

/// Every target, in the order they run.
pub const TARGETS: [&str; 3] = ["rules_json", "validators", "requests"];

/// Seconds per target when neither an argument nor `FUZZ_SECONDS` says otherwise.
const DEFAULT_SECONDS: u64 = 45;

/// The flags `cargo fuzz build --sanitizer none` passes to rustc (SanitizerCoverage for
/// libFuzzer's feedback, compare tracing, `cfg(fuzzing)`), none of which needs nightly.
/// Debug assertions and overflow checks come from `fuzz/Cargo.toml`'s release profile.
const RUSTFLAGS: &[&str] = &[
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=4",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
    "-Cllvm-args=-sanitizer-coverage-stack-depth",
    "-Cllvm-args=-simplifycfg-branch-fold-threshold=0",
    "--cfg",
    "fuzzing",
    "-Clink-dead-code",
];

/// `cargo xtask fuzz [target|all] [seconds]`.
pub fn main(args: &[String]) -> Result<()> {
    let (targets, seconds) = parse_args(args)?;
    run_targets(&targets, seconds)
}

/// The bounded run of every target that `cargo xtask test` makes.
pub fn all() -> Result<()> {
    run_targets(&TARGETS, seconds_from_env()?)
}

fn parse_args(args: &[String]) -> Result<(Vec<&'static str>, u64)> {
    let mut targets: Vec<&'static str> = TARGETS.to_vec();
    let mut seconds = None;
    for a in args {
        if let Ok(n) = a.parse::<u64>() {
            seconds = Some(n);
        } else if a == "all" {
            targets = TARGETS.to_vec();
        } else if let Some(t) = TARGETS.iter().find(|t| **t == a.as_str()) {
            targets = vec![t];
        } else {
            return Err(format!(
                "unknown fuzz target {a:?}; usage: cargo xtask fuzz [{}|all] [seconds]",
                TARGETS.join("|")
            ));
        }
    }
    let seconds = match seconds {
        Some(n) => n,
        None => seconds_from_env()?,
    };
    Ok((targets, seconds))
}

fn seconds_from_env() -> Result<u64> {
    match std::env::var("FUZZ_SECONDS") {
        Ok(v) => v
            .trim()
            .parse()
            .map_err(|_| format!("FUZZ_SECONDS must be a whole number of seconds, not {v:?}")),
        Err(_) => Ok(DEFAULT_SECONDS),
    }
}

fn fuzz_dir() -> PathBuf {
    root().join("fuzz")
}

/// The host's target triple: naming it keeps RUSTFLAGS away from build scripts and
/// proc-macros, as cargo-fuzz does.
fn host_triple() -> Result<String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc)
        .arg("-vV")
        .current_dir(root())
        .output()
        .map_err(|e| format!("rustc -vV: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "rustc -vV names no host".to_owned())
}

/// Builds the fuzz crate's targets; answers the folder holding the binaries.
fn build(targets: &[&str]) -> Result<PathBuf> {
    let dir = fuzz_dir();
    let triple = host_triple()?;
    let mut flags = RUSTFLAGS.join(" ");
    if let Ok(extra) = std::env::var("RUSTFLAGS") {
        flags.push(' ');
        flags.push_str(&extra);
    }
    let mut cmd = cargo();
    cmd.args(["build", "--release", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .arg("--target")
        .arg(&triple)
        .arg("--target-dir")
        .arg(dir.join("target"))
        .env("RUSTFLAGS", flags)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env("CARGO_FUZZ", "1");
    for t in targets {
        cmd.args(["--bin", t]);
    }
    let started = Instant::now();
    run(&mut cmd)?;
    eprintln!(
        "fuzz: built {} in {:.0?}",
        targets.join(", "),
        started.elapsed()
    );
    Ok(dir.join("target").join(triple).join("release"))
}

fn run_targets(targets: &[&str], seconds: u64) -> Result<()> {
    let bin_dir = build(targets)?;
    let mut failures = Vec::new();
    for t in targets {
        if let Err(e) = run_target(&bin_dir, t, seconds) {
            eprintln!("fuzz: {e}");
            failures.push(*t);
        }
    }
    if failures.is_empty() {
        eprintln!(
            "fuzz: {} target(s) ran {seconds} s each, no crash",
            targets.len()
        );
        Ok(())
    } else {
        Err(format!("fuzz target(s) failed: {}", failures.join(", ")))
    }
}

fn run_target(bin_dir: &Path, target: &str, seconds: u64) -> Result<()> {
    let dir = fuzz_dir();
    let seeds = dir.join("corpus").join(target);
    let artifacts = dir.join("artifacts").join(target);
    std::fs::create_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;
    // libFuzzer adds what it finds to the first folder: a fresh one, not the seeds.
    let scratch =
        std::env::temp_dir().join(format!("mentougou-fuzz-{target}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;

    let bin = bin_dir.join(target);
    let mut cmd = Command::new(&bin);
    // Zero seconds replays the seeds once (libFuzzer reads `-max_total_time=0` as "forever").
    cmd.arg(if seconds == 0 {
        "-runs=0".to_owned()
    } else {
        format!("-max_total_time={seconds}")
    })
    .arg(format!("-artifact_prefix={}/", artifacts.display()))
    .arg("-timeout=10")
    .arg("-rss_limit_mb=2048")
    .arg("-print_final_stats=1");
    let dict = dir.join("dict").join(format!("{target}.dict"));
    if dict.is_file() {
        cmd.arg(format!("-dict={}", dict.display()));
    }
    cmd.arg(&scratch).arg(&seeds);
    eprintln!("fuzz: {target} for {seconds} s over {}", seeds.display());
    let started = SystemTime::now();
    let result = run(&mut cmd);
    let found = std::fs::read_dir(&scratch).map_or(0, |d| d.count());
    let _ = std::fs::remove_dir_all(&scratch);
    match result {
        Ok(()) => {
            eprintln!("fuzz: {target}: no crash; {found} new corpus entries (discarded)");
            Ok(())
        }
        Err(e) => {
            let crashes = new_files(&artifacts, started);
            let mut msg = format!("{target} crashed ({e})");
            for c in &crashes {
                let rel = c.strip_prefix(root()).unwrap_or(c);
                msg.push_str(&format!(
                    "\n  input: {}\n  replay: {} {}\n      or: cd fuzz && cargo fuzz run -s none {target} {}",
                    rel.display(),
                    bin.strip_prefix(root()).unwrap_or(&bin).display(),
                    rel.display(),
                    c.strip_prefix(&dir).unwrap_or(c).display(),
                ));
            }
            msg.push_str(
                "\n  then add the input to the seed corpus and a regression test to the crate",
            );
            Err(msg)
        }
    }
}

/// Files in `dir` written since `since` (the artifacts of this run).
fn new_files(dir: &Path, since: SystemTime) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|m| m >= since)
        })
        .map(|e| e.path())
        .collect();
    files.sort();
    files
}
