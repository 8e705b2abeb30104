//! A stored value that cannot be read is an error that is logged, never a silent default
//! (issue 12). The case that matters most: an enterprise's earlier subsidy whose amount is
//! damaged in the database must not count as 0.00 toward CAP-YEAR and CAP-TIMES, which
//! would let the enterprise be paid more, or more often, than the measures allow. The
//! 500 carries a request id (`x-request-id`) that starts the log line about it.

use e2e::TempDir;
use e2e::app::{ADMIN, App, OFFICER, assert_error, call, database_file};
use e2e::fixtures::{self, credit_code};
use serde_json::{Value, json};

fn applications(state: &TempDir) -> i64 {
    rusqlite::Connection::open(database_file(state))
        .unwrap()
        .query_row("SELECT count(*) FROM applications", [], |r| r.get(0))
        .unwrap()
}

e2e::on_both_hosts! {
/// CAP-YEAR, CAP-TIMES: an earlier subsidy whose amount is unreadable makes the
/// enterprise's history and any decision that needs it a logged 500 naming the statement
/// and column, and nothing is stored; it is never read as 0.00.
async fn a_damaged_earlier_subsidy_is_a_logged_error_never_zero(rt) {
    let state = TempDir::new("stored-damaged-subsidy");
    let host = App::on(rt).at("2026-04-15T10:00:00+08:00").start(&state).await;
    let a = host.addr;
    let r = call(a, "POST", "/api/rounds", Some(ADMIN), &fixtures::round(2026)).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let code = credit_code(7);
    let r = call(
        a,
        "POST",
        &format!("/api/enterprises/{code}/history"),
        Some(OFFICER),
        &json!({"records": [{"year": 2025, "amount": "90000.00"}]}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["history"][0]["amount"], "90000.00");

    let damaged = rusqlite::Connection::open(database_file(&state))
        .unwrap()
        .execute("UPDATE subsidy_history SET amount_cny = 'ninety thousand'", [])
        .unwrap();
    assert_eq!(damaged, 1);

    let enterprise = format!("/api/enterprises/{code}");
    let r = call(a, "GET", &enterprise, Some(OFFICER), &Value::Null).await;
    let e = assert_error(&r, 500, "stored_value_unreadable");
    let request_id = r
        .header("x-request-id")
        .expect("a server error carries a request id")
        .to_owned();
    assert!(
        !r.text().contains("ninety thousand") && !r.text().contains("\"0.00\""),
        "the answer neither leaks the stored text nor shows a default: {e}"
    );

    // Submitting an application decides it against that history: refused with the same
    // error, and nothing stored.
    let app = fixtures::application(2026, 7, "JK-0007", "manufacturing", fixtures::invention(), "120000.00");
    let r = call(a, "POST", "/api/applications", None, &app).await;
    assert_error(&r, 500, "stored_value_unreadable");
    let submission_id = r.header("x-request-id").expect("a request id").to_owned();
    assert_eq!(applications(&state), 0);

    host.stop().await;
    // The enterprise is read by the review component, the submission by intake: each
    // logs its own 500.
    for (component, request_id, path) in [
        ("review", &request_id, enterprise.as_str()),
        ("intake", &submission_id, "/api/applications"),
    ] {
        let log = std::fs::read_to_string(state.0.join(format!("logs/{component}_stderr.txt")))
            .unwrap_or_default();
        assert!(
            log.contains("history.subsidies_of") && log.contains("amount_cny"),
            "{component}'s log names the statement and column: {log:?}"
        );
        assert!(
            log.lines().any(|l| l.starts_with(request_id.as_str()) && l.contains(path)),
            "{component}'s log line of the 500 starts with its request id {request_id} and names the request: {log:?}"
        );
    }
}
}
