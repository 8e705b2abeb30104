//! What the store's tests share: a migrated database with a round and applications in it
//! (the schema enforces its foreign keys under rusqlite's bundled SQLite).

use rules::Round;

use crate::native::{block_on, migrated};

/// The documented example round, for `year`.
pub fn round(year: i32) -> Round {
    let request: serde_json::Value = serde_json::from_str(include_str!(
        "../../rules/data/example-precheck-request.json"
    ))
    .expect("the documented example request");
    let mut r: Round = serde_json::from_value(request["round"].clone()).expect("its round");
    r.year = year;
    r
}

/// A migrated database holding the 2026 round and applications `MTG-2026-00001` …
/// `MTG-2026-0000n`.
pub fn with_applications(n: u32) -> rusqlite::Connection {
    let db = migrated();
    block_on(crate::rounds::insert(&db, &round(2026), "t")).unwrap();
    for i in 1..=n {
        db.execute(
            "INSERT INTO applications (id, round_year, seq, uscc, enterprise_name, submitted_at, \
             status, receipt_hash, payload_json, decision_json, amount_cny, updated_at) \
             VALUES (?1, 2026, ?2, ?3, '北京测试企业有限公司', '2026-04-02T10:00:00+08:00', \
             'eligible', 'h', '{}', '{}', '100000.00', 't')",
            rusqlite::params![format!("MTG-2026-{i:05}"), i, format!("91110109MA{i:08}")],
        )
        .unwrap();
    }
    db
}
