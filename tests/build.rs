//! Finds a real Spin for the end-to-end tests (`src/spin.rs`): `SPIN_BIN` if set (empty
//! means none), else `../shared/tools/spin/spin` beside the
//! workspace, else `spin` on `PATH`. When one is found, `cfg(has_spin)` is set and its
//! path is `E2E_SPIN_BIN`; when none is, the real-Spin tests are compiled ignored.
//!
//! Likewise Chromium and chromedriver for the browser tests: `cfg(has_browser)` with
//! `E2E_CHROMIUM` and `E2E_CHROMEDRIVER`, or the browser tests are compiled ignored (listed
//! as such, with the install command) — except under CI (`CI` set), where a missing
//! browser stops the build.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_spin)");
    println!("cargo::rerun-if-env-changed=SPIN_BIN");
    let found = match std::env::var("SPIN_BIN") {
        Ok(given) => Some(PathBuf::from(given)).filter(|p| is_executable(p)),
        Err(_) => beside_workspace().or_else(on_path),
    };
    if let Some(bin) = found {
        println!("cargo::rerun-if-changed={}", bin.display());
        println!("cargo::rustc-cfg=has_spin");
        println!("cargo::rustc-env=E2E_SPIN_BIN={}", bin.display());
    }

    println!("cargo::rustc-check-cfg=cfg(has_browser)");
    println!("cargo::rerun-if-env-changed=CI");
    let chromium = program(&["/usr/lib/chromium/chromium", "chromium", "chromium-browser"]);
    let chromedriver = program(&["/usr/lib/chromium/chromedriver", "chromedriver"]);
    match (chromium, chromedriver) {
        (Some(chromium), Some(chromedriver)) => {
            println!("cargo::rustc-cfg=has_browser");
            println!("cargo::rustc-env=E2E_CHROMIUM={}", chromium.display());
            println!(
                "cargo::rustc-env=E2E_CHROMEDRIVER={}",
                chromedriver.display()
            );
        }
        _ if std::env::var_os("CI").is_some() => panic!(
            "CI runs the browser tests: install Chromium and chromedriver \
             (apt-get install chromium chromium-driver)"
        ),
        _ => println!(
            "cargo::warning=no Chromium/chromedriver: the browser tests are ignored \
             (apt-get install chromium chromium-driver)"
        ),
    }
}

/// The first of `names` that is an executable file (absolute, or on `PATH`).
fn program(names: &[&str]) -> Option<PathBuf> {
    names.iter().find_map(|n| {
        let p = PathBuf::from(n);
        if p.is_absolute() {
            return is_executable(&p).then_some(p);
        }
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|d| d.join(n))
            .find(|p| is_executable(p))
    })
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `../shared/tools/spin/spin` next to the workspace (this workplace's copy of Spin 4.1).
fn beside_workspace() -> Option<PathBuf> {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let bin = manifest.parent()?.parent()?.join("shared/tools/spin/spin");
    is_executable(&bin).then_some(bin)
}

fn on_path() -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join("spin"))
        .find(|p| is_executable(p))
}
