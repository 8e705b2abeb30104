//! The wasm targets every build needs, installed when missing.
//!
//! `rust-toolchain.toml` names them, but rustup adds a toolchain file's targets only when
//! it installs the toolchain itself: on a machine whose stable toolchain was already there
//! (the common case) they are missing and the first wasm build fails with "can't find
//! crate for `core`". So xtask asks the compiler whether each target's standard library is
//! present and, if not, runs `rustup target add` and says so.

use std::process::Command;

use crate::{Result, root, run};

/// The targets of `rust-toolchain.toml`: Spin components and the browser bundle.
pub const WASM_TARGETS: [&str; 2] = ["wasm32-wasip2", "wasm32-unknown-unknown"];

/// Makes sure every target in [`WASM_TARGETS`] can be built for.
pub fn ensure() -> Result<()> {
    let missing: Vec<&str> = WASM_TARGETS.into_iter().filter(|t| !installed(t)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!(
        "xtask: the Rust standard library for {} is not installed; installing it with `rustup target add` (rust-toolchain.toml names it)",
        missing.join(" and ")
    );
    let mut cmd = Command::new("rustup");
    cmd.args(["target", "add"]).args(&missing);
    run(&mut cmd).map_err(|e| {
        format!(
            "{e}\nxtask: could not install the wasm targets {}. With rustup: `rustup target add {}`; \
             a toolchain without rustup needs its distribution's wasm standard library",
            missing.join(", "),
            missing.join(" ")
        )
    })?;
    match missing.iter().find(|t| !installed(t)) {
        None => Ok(()),
        Some(t) => Err(format!(
            "xtask: `rustup target add {t}` ran but rustc still has no standard library for {t}"
        )),
    }
}

/// Whether the active toolchain (the one `rust-toolchain.toml` selects in the workspace)
/// has the standard library for `target`: its target libdir exists and holds `libcore`.
fn installed(target: &str) -> bool {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Ok(out) = Command::new(rustc)
        .args(["--print", "target-libdir", "--target", target])
        .current_dir(root())
        .output()
    else {
        return false;
    };
    if !out.status.success() {
        return false;
    }
    let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
    std::fs::read_dir(&dir).is_ok_and(|entries| {
        entries.filter_map(|e| e.ok()).any(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with("libcore-") && n.ends_with(".rlib"))
        })
    })
}
