//! The browser bundle: `web/precheck` (the rules crate) compiled for
//! `wasm32-unknown-unknown`, bound with the wasm-bindgen CLI support library pinned to the
//! exact version of the `wasm-bindgen` crate, written to `web/pkg/`.

use crate::{Result, cargo, root, run};
use std::path::{Path, PathBuf};

/// Sizes of the bundle, raw and gzipped (what a browser downloads).
pub struct BundleSize {
    pub files: Vec<(String, u64, u64)>,
}

impl BundleSize {
    pub fn total(&self) -> (u64, u64) {
        self.files
            .iter()
            .fold((0, 0), |(r, g), (_, fr, fg)| (r + fr, g + fg))
    }
}

pub fn build() -> Result<BundleSize> {
    run(cargo().args([
        "build",
        "--package",
        "precheck",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "web",
    ]))?;
    let input = root().join("target/wasm32-unknown-unknown/web/precheck.wasm");
    let out = root().join("web/pkg");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&input)
        .web(true)
        .map_err(|e| e.to_string())?
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(&out)
        .map_err(|e| format!("wasm-bindgen: {e}"))?;
    let size = measure(&[out.join("precheck_bg.wasm"), out.join("precheck.js")])?;
    for (name, raw, gz) in &size.files {
        println!("web/pkg/{name}: {raw} bytes raw, {gz} bytes gzipped");
    }
    let (raw, gz) = size.total();
    println!(
        "browser bundle: {raw} bytes raw ({:.1} KiB), {gz} bytes gzipped ({:.1} KiB)",
        raw as f64 / 1024.0,
        gz as f64 / 1024.0
    );
    if gz >= LIMIT_GZIPPED {
        return Err(format!(
            "the browser bundle is {gz} bytes gzipped: over the {LIMIT_GZIPPED}-byte budget (issue 6)"
        ));
    }
    crate::encode::site()?;
    Ok(size)
}

/// The bundle's budget: under 150 KB gzipped (JS glue + wasm).
pub const LIMIT_GZIPPED: u64 = 150_000;

fn measure(paths: &[PathBuf]) -> Result<BundleSize> {
    let mut files = Vec::new();
    for p in paths {
        let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
        files.push((file_name(p), bytes.len() as u64, gzip_len(&bytes)));
    }
    Ok(BundleSize { files })
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// gzip -9, as a web server would serve it.
pub fn gzip_len(bytes: &[u8]) -> u64 {
    crate::encode::gzip_of(bytes).map_or(0, |g| g.len() as u64)
}
