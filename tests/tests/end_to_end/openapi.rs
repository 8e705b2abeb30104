//! The OpenAPI document served at `/api/openapi.json` is kept true: every documented
//! operation is routed to a handler, and every route of spin.toml is documented.

use e2e::{TempDir, app_manifest, config, ensure_built, get, migrations, request};

#[tokio::test(flavor = "multi_thread")]
async fn openapi_document_matches_the_routes() {
    ensure_built();
    let state = TempDir::new("openapi");
    let mut c = config(&app_manifest(), &state.0);
    c.variables.push((
        "admin_token".into(),
        "admin-token-for-openapi-test-01".into(),
    ));
    c.variables.push((
        "officer_token".into(),
        "officer-token-for-openapi-test-1".into(),
    ));
    c.sqlite_statements = migrations();
    let host = localspin::start(c).await.expect("the app starts");
    let r = get(host.addr, "/api/openapi.json").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let code = rules::uscc::CreditCode::with_check_char("91110109MA0000001")
        .unwrap()
        .as_str()
        .to_owned();
    for (path, ops) in paths {
        let concrete = path
            .replace("{year}", "2026")
            .replace("{id}", "MTG-2026-00001")
            .replace("{code}", &code);
        for method in ops.as_object().unwrap().keys() {
            let m = method.to_uppercase();
            let r = request(
                host.addr,
                &m,
                &concrete,
                &[("content-type", "application/json")],
                b"",
            )
            .await
            .unwrap();
            let routed = r.status != 404
                || r.json()["error"]["code"]
                    .as_str()
                    .is_some_and(|c| c != "not_found");
            assert!(
                routed,
                "{m} {path} is documented but not routed: {}",
                r.text()
            );
            assert_ne!(r.status, 405, "{m} {path}: {}", r.text());
        }
    }
    // Every route of the manifest is documented (a wildcard by some path under it).
    let manifest = std::fs::read_to_string(app_manifest()).unwrap();
    for line in manifest.lines() {
        let Some(route) = line
            .strip_prefix("route = \"")
            .and_then(|r| r.strip_suffix('"'))
        else {
            continue;
        };
        if route == "/..." {
            continue; // the static site
        }
        let prefix = route.trim_end_matches("/...").replace(":year", "{year}");
        assert!(
            paths.keys().any(|p| p == &prefix
                || p.starts_with(&format!("{prefix}/"))
                || p.starts_with(&format!("{prefix}."))),
            "spin.toml route {route} is not in the OpenAPI document"
        );
    }
    host.stop().await;
}
