//! A seeded app for the benchmarks (`benches/load.rs`, `benches/lighthouse.rs`): the local
//! host as its own process (the `e2e-host` binary) with the project's migrations, and a
//! history — the 2025 round through its published proposed list (a real notice with a
//! dozen entries), then the 2026 round open for applications.

use std::path::Path;

use crate::Answer;
use crate::fixtures::{application, invention, round, utility_model, well_known_trademark};
use crate::host_process::{HostProcess, migration_args, spawn, variable_args};
use serde_json::{Value, json};

pub const ADMIN: &str = "bench-admin-token-0123456789";
pub const OFFICER: &str = "bench-officer-token-0123456789";

pub fn start(
    host_binary: &Path,
    manifest: &Path,
    state: &Path,
    clock: &str,
    extra: &[&str],
) -> HostProcess {
    let mut args = vec!["--from".to_owned(), manifest.display().to_string()];
    args.extend(variable_args(&[
        ("admin_token", ADMIN),
        ("officer_token", OFFICER),
        ("clock_override", clock),
        // Thousands of submissions from one loopback address, on purpose.
        ("applications_per_address_hour", "0"),
    ]));
    args.extend(migration_args());
    args.extend(extra.iter().map(|s| s.to_string()));
    spawn(host_binary, state, &args)
}

pub async fn call(
    host: &HostProcess,
    method: &str,
    path: &str,
    token: &str,
    body: &Value,
) -> Answer {
    let token = Some(token).filter(|t| !t.is_empty());
    crate::app::call(host.addr, method, path, token, body).await
}

pub fn ok(r: Answer, what: &str) -> Answer {
    assert!(
        (200..300).contains(&r.status),
        "{what}: {} {}",
        r.status,
        r.text()
    );
    r
}

/// A published proposed list of 2025 (so the feed has a real notice with a dozen entries),
/// then the 2026 round open for applications. Answers the host at the moment of the load.
pub async fn seed(
    host_binary: &Path,
    manifest: &Path,
    state: &Path,
    extra: &[&str],
) -> HostProcess {
    let rights = [invention(), utility_model(), well_known_trademark()];
    let h = start(
        host_binary,
        manifest,
        state,
        "2025-04-15T10:00:00+08:00",
        &[],
    );
    ok(
        call(&h, "POST", "/api/rounds", ADMIN, &round(2025)).await,
        "round 2025",
    );
    let mut ids = Vec::new();
    for n in 1..=12u32 {
        let body = application(
            2025,
            n,
            &format!("JK-2025-{n:04}"),
            if n % 3 == 0 {
                "new_generation_it"
            } else {
                "manufacturing"
            },
            rights[n as usize % 3].clone(),
            "150000.00",
        );
        let r = ok(
            call(&h, "POST", "/api/applications", "", &body).await,
            "apply",
        );
        ids.push(r.json()["id"].as_str().expect("an id").to_owned());
    }
    drop(h);
    let h = start(
        host_binary,
        manifest,
        state,
        "2025-05-06T10:00:00+08:00",
        &[],
    );
    for to in ["closed", "under_review"] {
        let r = call(
            &h,
            "POST",
            "/api/rounds/2025/stage",
            ADMIN,
            &json!({"to": to}),
        )
        .await;
        ok(r, to);
    }
    let review =
        crate::fixtures::review(2025, &["market_supervision", "tax", "emergency_management"]);
    for id in &ids {
        let path = format!("/api/applications/{id}/review");
        ok(call(&h, "POST", &path, OFFICER, &review).await, "review");
    }
    let r = call(
        &h,
        "POST",
        "/api/rounds/2025/allocation",
        ADMIN,
        &Value::Null,
    )
    .await;
    ok(r, "allocation");
    let notice = json!({"kind": "proposed_list", "round_year": 2025});
    ok(
        call(&h, "POST", "/api/notices", OFFICER, &notice).await,
        "notice",
    );
    drop(h);
    let h = start(
        host_binary,
        manifest,
        state,
        "2026-04-15T10:00:00+08:00",
        extra,
    );
    ok(
        call(&h, "POST", "/api/rounds", ADMIN, &round(2026)).await,
        "round 2026",
    );
    h
}
