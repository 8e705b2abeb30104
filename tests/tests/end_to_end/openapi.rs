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
        // A `:name` segment of the route stands for any `{…}` parameter of the document.
        let prefix: Vec<&str> = route.trim_end_matches("/...").split('/').collect();
        let covers = |p: &str| {
            let segs: Vec<&str> = p.split('/').collect();
            segs.len() >= prefix.len()
                && prefix.iter().zip(&segs).enumerate().all(|(i, (r, d))| {
                    r == d
                        || (r.starts_with(':') && d.starts_with('{'))
                        // The last segment may go on with a suffix (`/export.csv`).
                        || (i + 1 == prefix.len() && d.starts_with(&format!("{r}.")))
                })
        };
        assert!(
            paths.keys().any(|p| covers(p)),
            "spin.toml route {route} is not in the OpenAPI document"
        );
    }
    host.stop().await;
}

/// The other way round: every path a component's route table handles is documented (an
/// undocumented sub-path escapes both the contract test and the authorisation matrix),
/// and every documented operation declares exactly its path's parameters and the error
/// answers. The route tables are read from the components' sources: each arm such as
/// `["api", "objections", id, "conclusion"]` (and calculation's sub-table under
/// `allocation`) must match a documented path, literal for literal.
#[test]
fn every_routed_path_is_documented_with_its_parameters() {
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(e2e::root().join("web/api/openapi.json")).unwrap(),
    )
    .unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let documented: Vec<Vec<&str>> = paths
        .keys()
        .map(|p| p.trim_start_matches('/').split('/').collect())
        .collect();
    // A segment of an arm: a literal ("objections") or a binding (id).
    let fits = |arm: &[String], path: &[&str]| {
        arm.len() == path.len()
            && arm
                .iter()
                .zip(path)
                .all(|(a, p)| match a.strip_prefix('"') {
                    Some(lit) => lit.trim_end_matches('"') == *p,
                    None => p.starts_with('{') || a == "file",
                })
    };
    let mut arms = 0;
    for component in e2e::with_database() {
        let src =
            std::fs::read_to_string(e2e::root().join(format!("functions/{component}/src/lib.rs")))
                .unwrap();
        let mut prefix: Vec<String> = Vec::new();
        for line in src.lines().map(str::trim) {
            // `["api", "rounds", year] => {` or `(["approval"], _) => {`
            let Some(open) = line.find('[') else { continue };
            let Some(close) = line.find(']') else {
                continue;
            };
            if !(line.starts_with('[') || line.starts_with("([")) || !line.contains("=>") {
                continue;
            }
            let mut segments: Vec<String> = line[open + 1..close]
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            if segments.last().is_some_and(|s| s.ends_with("@ ..")) {
                segments.pop();
                prefix = segments; // the sub-table's arms follow
                continue;
            }
            if line.starts_with("([") {
                segments = prefix.iter().cloned().chain(segments).collect();
            }
            arms += 1;
            assert!(
                documented.iter().any(|d| fits(&segments, d)),
                "{component}: the routed path {segments:?} is not in the OpenAPI document"
            );
        }
    }
    assert!(arms >= 35, "the route tables were read ({arms} arms)");

    for (path, ops) in paths {
        let mut in_path: Vec<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        in_path.sort();
        for (method, op) in ops.as_object().unwrap() {
            let mut declared: Vec<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            declared.sort();
            assert_eq!(declared, in_path, "{method} {path}: path parameters");
            assert!(
                op["responses"]["4XX"].is_object(),
                "{method} {path}: the error answers are not documented"
            );
        }
    }
}

/// The tests' list of the app's components is the manifest's: a component added to
/// spin.toml is built, health-checked and covered by the route checks.
#[test]
fn the_tests_know_every_component_of_the_manifest() {
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(e2e::app_manifest()).unwrap()).unwrap();
    let mut declared: Vec<&str> = manifest["component"]
        .as_table()
        .expect("components")
        .keys()
        .map(String::as_str)
        .collect();
    let mut known = e2e::COMPONENTS.to_vec();
    declared.sort_unstable();
    known.sort_unstable();
    assert_eq!(declared, known);
}
