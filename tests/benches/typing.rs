//! The browser's time to an answer after typing (issue 17). Not a timed test: run it with
//! `cargo bench -p e2e --bench typing` and read the table it prints (docs/BENCHMARKS.md).
//!
//! Headless Chromium opens the pre-check page on the local host (its own process, with
//! `e2e::seeded`'s open round), fills the documented example and types one character at a
//! time into the loan's contract number, waiting for each answer. The page times itself
//! with performance marks (`web/js/index.js`): `precheck-answer` from the last keystroke to
//! the answer drawn (at the next frame; until issue 17 the page first waited 120 ms for the
//! typing to pause), and `precheck-work`, the checks (the rules in Wasm) and the drawing
//! alone. Without Chromium and chromedriver it says so and stops.

#[cfg(has_browser)]
#[path = "../tests/end_to_end/driver.rs"]
mod driver;

/// Keystrokes measured, after `WARMUP` not kept.
#[cfg(has_browser)]
const KEYS: usize = 60;
#[cfg(has_browser)]
const WARMUP: usize = 10;

#[cfg(not(has_browser))]
fn main() {
    println!(
        "typing: skipped — no Chromium/chromedriver (apt-get install chromium chromium-driver)"
    );
}

#[cfg(has_browser)]
fn main() {
    // `cargo test --benches` runs benches in test mode: do nothing there.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    use e2e::{TempDir, ensure_built, root};
    use fantoccini::Locator;
    use serde_json::Value;
    use std::path::Path;
    use std::time::{Duration, Instant};

    ensure_built();
    assert!(
        root().join("web/pkg/precheck.js").exists(),
        "the browser bundle is missing: run `cargo xtask web`"
    );
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    rt.block_on(async {
        let state = TempDir::new("bench-typing");
        let host = e2e::seeded::seed(
            Path::new(env!("CARGO_BIN_EXE_e2e-host")),
            &e2e::app_manifest(),
            &state.0,
            &[],
        )
        .await;
        let d = driver::driver();
        let c = driver::browser(&d).await;
        let until = |script: &'static str, what: &'static str| {
            let c = c.clone();
            async move {
                let end = Instant::now() + Duration::from_secs(20);
                loop {
                    let v = c.execute(script, vec![]).await.expect("script runs");
                    if v.as_bool() == Some(true) {
                        return;
                    }
                    if Instant::now() > end {
                        let page = c.execute("return document.body.innerText", vec![]).await;
                        panic!("timed out waiting for {what}; the page says: {page:?}");
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }
        };
        c.goto(&format!("http://{}/", host.addr)).await.expect("the page");
        until(
            "return document.getElementById('round').textContent.includes('2026')",
            "the round",
        )
        .await;
        // Inside the round's window, as the seeded host's clock is.
        c.execute(
            "const el = document.getElementById('as-of'); el.value = '2026-04-15T10:00';
             el.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![],
        )
        .await
        .expect("script runs");
        c.find(Locator::Css("#example"))
            .await
            .expect("the example button")
            .click()
            .await
            .expect("click");
        until(
            "const o = document.getElementById('outcome'); return !!o && o.dataset.outcome === 'eligible'",
            "the example's answer",
        )
        .await;
        let field = c
            .find(Locator::Css(".loan [data-f=contract_number]"))
            .await
            .expect("the contract number");
        let count = "return performance.getEntriesByName('precheck-answer').length";
        for i in 0..WARMUP + KEYS {
            if i == WARMUP {
                c.execute("performance.clearMeasures()", vec![])
                    .await
                    .expect("script runs");
            }
            let before = c.execute(count, vec![]).await.expect("script runs");
            field
                .send_keys(&((i % 10).to_string()))
                .await
                .expect("a keystroke");
            let end = Instant::now() + Duration::from_secs(20);
            while c.execute(count, vec![]).await.expect("script runs") == before {
                assert!(Instant::now() < end, "no answer to keystroke {i}");
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
        until(
            "const o = document.getElementById('outcome'); return !!o && o.dataset.outcome === 'eligible'",
            "the answer still eligible",
        )
        .await;
        let durations = |name: &str| {
            let c = c.clone();
            let script =
                format!("return performance.getEntriesByName('{name}').map((e) => e.duration)");
            async move {
                let v = c.execute(&script, vec![]).await.expect("script runs");
                let mut d: Vec<f64> = match v {
                    Value::Array(a) => a.iter().filter_map(Value::as_f64).collect(),
                    _ => Vec::new(),
                };
                d.sort_by(f64::total_cmp);
                d
            }
        };
        let answer = durations("precheck-answer").await;
        let work = durations("precheck-work").await;
        assert!(answer.len() >= KEYS, "{} answers to {KEYS} keystrokes", answer.len());
        let pct = |d: &[f64], p: f64| d[((d.len() as f64 * p).ceil() as usize).clamp(1, d.len()) - 1];
        println!("Chromium ({}), {KEYS} keystrokes after {WARMUP}\n", env!("E2E_CHROMIUM"));
        println!("| measure | answers | p50 ms | p90 ms | max ms |");
        println!("|---|---|---|---|---|");
        for (label, d) in [
            ("keystroke → answer drawn (`precheck-answer`)", &answer),
            ("the checks and drawing alone (`precheck-work`)", &work),
        ] {
            println!(
                "| {label} | {} | {:.1} | {:.1} | {:.1} |",
                d.len(),
                pct(d, 0.5),
                pct(d, 0.9),
                d[d.len() - 1]
            );
        }
        c.close().await.expect("the browser closes");
        drop(d);
        drop(host);
    });
}
