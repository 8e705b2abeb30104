//! The app's own `spin.toml` and components on the local host, with the project's
//! migrations applied the way `cargo xtask up` applies them.

use e2e::{TempDir, app_manifest, config, ensure_built, get, migrations, request};

const ADMIN: &str = "admin-token-for-the-tests-0123";
const OFFICER: &str = "officer-token-for-the-tests-0123";

async fn start(state: &TempDir) -> localspin::Running {
    ensure_built();
    let mut c = config(&app_manifest(), &state.0);
    c.variables.push(("admin_token".into(), ADMIN.into()));
    c.variables.push(("officer_token".into(), OFFICER.into()));
    c.sqlite_statements = migrations();
    localspin::start(c).await.expect("the app starts")
}

fn assert_error_shape(v: &serde_json::Value, status: u16, code: &str) {
    let e = &v["error"];
    assert_eq!(e["status"], status, "{v}");
    assert_eq!(e["code"], code, "{v}");
    assert!(e.get("field").is_some(), "{v}");
    assert!(!e["message_zh"].as_str().unwrap().is_empty(), "{v}");
    assert!(!e["message_en"].as_str().unwrap().is_empty(), "{v}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_component_answers_its_health_route_with_the_current_schema() {
    let state = TempDir::new("app-health");
    let host = start(&state).await;
    for c in ["intake", "calculation", "notices", "objections"] {
        let r = get(host.addr, &format!("/api/health/{c}")).await;
        assert_eq!(r.status, 200, "{c}: {}", r.text());
        let v = r.json();
        assert_eq!(v["component"], c);
        assert_eq!(v["database"], "ok");
        assert_eq!(v["schema"], "0004_objections");
    }
    let v = get(host.addr, "/api/health/assets").await.json();
    assert_eq!(v["component"], "assets");
    host.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_public_routes_reach_the_right_component() {
    let state = TempDir::new("app-routes");
    let host = start(&state).await;
    let a = host.addr;
    // `/api/rounds/:year/allocation/...` (calculation) beats `/api/rounds/...` (intake).
    let r = get(a, "/api/rounds/2026/allocation").await;
    assert_error_shape(&r.json(), 401, "unauthorized");
    let r = get(a, "/api/rounds/2026").await;
    assert_error_shape(&r.json(), 404, "round_not_found");
    assert_eq!(r.json()["error"]["field"], "year");
    let r = get(a, "/api/rounds/abc").await;
    assert_error_shape(&r.json(), 400, "invalid_field");
    assert_eq!(
        get(a, "/api/rounds").await.json()["rounds"],
        serde_json::json!([])
    );
    assert_eq!(
        get(a, "/api/notices").await.json()["notices"],
        serde_json::json!([])
    );
    assert_error_shape(&get(a, "/feeds/atom.xml").await.json(), 404, "not_found");
    assert_error_shape(
        &get(a, "/api/precheck").await.json(),
        405,
        "method_not_allowed",
    );
    let r = get(a, "/api/objections").await;
    assert_error_shape(&r.json(), 401, "unauthorized");
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    let auth = format!("Bearer {OFFICER}");
    let r = request(
        a,
        "GET",
        "/api/objections",
        &[("authorization", &auth)],
        &[],
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    host.stop().await;
}
