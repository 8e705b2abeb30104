//! Lighthouse 12 on every public page (issue 16: at least 95 in each of its four
//! categories, mobile). Not a timed test: run it with `cargo bench -p e2e --bench
//! lighthouse` and read the table it prints (docs/BENCHMARKS.md keeps the last one). It
//! exits non-zero when a page scores under 95 in a category.
//!
//! The app runs on the local host (its own process) with the history of `e2e::seeded`: a
//! published proposed list and an open round, so the pages show what a visitor sees in
//! season. Needs `lighthouse` (`npm install -g lighthouse@12`, or `LIGHTHOUSE=<path>`) and
//! Chromium (`chromium` on the PATH, or `CHROME_PATH`); without them it says so and stops.
//! The reports are written to `target/lighthouse/<page>.json`.

use std::path::{Path, PathBuf};
use std::process::Command;

use e2e::seeded::{call, seed};
use e2e::{TempDir, ensure_built, root};
use serde_json::Value;

/// The lowest score a page may have in any category.
const GOAL: f64 = 95.0;
const CATEGORIES: [&str; 4] = ["performance", "accessibility", "best-practices", "seo"];

/// `name` from the environment variable `var`, else the first of `commands` on the PATH.
fn tool(var: &str, commands: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    commands.iter().find_map(|c| {
        std::env::split_paths(&path)
            .map(|d| d.join(c))
            .find(|p| p.is_file())
    })
}

fn main() {
    let Some(lighthouse) = tool("LIGHTHOUSE", &["lighthouse"]) else {
        println!(
            "lighthouse: skipped — no `lighthouse` on the PATH (npm install -g lighthouse@12)"
        );
        return;
    };
    let Some(chrome) = tool(
        "CHROME_PATH",
        &["chromium", "chromium-browser", "google-chrome"],
    ) else {
        println!("lighthouse: skipped — no Chromium (apt install chromium, or set CHROME_PATH)");
        return;
    };
    ensure_built();
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let state = TempDir::new("bench-lighthouse");
    let host = rt.block_on(seed(
        Path::new(env!("CARGO_BIN_EXE_e2e-host")),
        &e2e::app_manifest(),
        &state.0,
        &[],
    ));
    let notices = rt
        .block_on(call(&host, "GET", "/api/notices", "", &Value::Null))
        .json();
    let notice = notices["notices"][0]["id"]
        .as_str()
        .expect("the seeded notice")
        .to_owned();
    let out = root().join("target/lighthouse");
    std::fs::create_dir_all(&out).expect("target/lighthouse");
    let pages = [
        "/".to_owned(),
        "/apply.html".to_owned(),
        "/notices.html".to_owned(),
        "/guide.html".to_owned(),
        "/policy.html".to_owned(),
        "/objection.html".to_owned(),
        "/notices".to_owned(),
        format!("/notices/{notice}"),
    ];
    println!("| page | performance | accessibility | best practices | SEO | CLS | LCP |");
    println!("|---|---|---|---|---|---|---|");
    let mut short = Vec::new();
    for page in &pages {
        let slug = match page.trim_matches('/').replace(['/', '.'], "_") {
            s if s.is_empty() => "index".to_owned(),
            s => s,
        };
        let report = out.join(format!("{slug}.json"));
        let status = Command::new(&lighthouse)
            .arg(format!("http://{}{page}", host.addr))
            .args(["--quiet", "--output=json"])
            .arg(format!("--output-path={}", report.display()))
            .arg("--chrome-flags=--headless=new --no-sandbox")
            .env("CHROME_PATH", &chrome)
            .status()
            .expect("lighthouse runs");
        assert!(status.success(), "lighthouse on {page}: {status}");
        let r: Value = serde_json::from_slice(&std::fs::read(&report).expect("the report"))
            .expect("a JSON report");
        let scores: Vec<f64> = CATEGORIES
            .iter()
            .map(|c| r["categories"][c]["score"].as_f64().unwrap_or(0.0) * 100.0)
            .collect();
        for (c, s) in CATEGORIES.iter().zip(&scores) {
            if *s < GOAL {
                short.push(format!("{page}: {c} {s:.0}"));
            }
        }
        let audit = |id: &str| {
            r["audits"][id]["displayValue"]
                .as_str()
                .unwrap_or("?")
                .to_owned()
        };
        println!(
            "| `{page}` | {:.0} | {:.0} | {:.0} | {:.0} | {} | {} |",
            scores[0],
            scores[1],
            scores[2],
            scores[3],
            audit("cumulative-layout-shift"),
            audit("largest-contentful-paint")
        );
    }
    drop(host);
    drop(state);
    if !short.is_empty() {
        eprintln!("under {GOAL}: {}", short.join("; "));
        std::process::exit(1);
    }
}
