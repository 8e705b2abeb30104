//! The round's proposed list (拟补助名单) in versions: each computation (CAP-YEAR,
//! CAP-TIMES, BUDGET) and each re-review that changes it (PROC-OBJECT) adds a version; no
//! version is ever changed. A version is the whole allocation (`rules::Allocation`, as
//! computed) and its lines as published: the 序号, who, which rights, how much.
//! Written by calculation (allocation) and by objections (re-review, through
//! [`add_re_review_version`]); read by notices (publication) and calculation (approval,
//! payment).

use rules::Money;
use rules::allocation::Allocation;

use crate::sql::{Row, Sql, Statement, StoreError};

/// Why a version exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Computed from the reviewed applications (CAP-YEAR, CAP-TIMES, BUDGET).
    Allocation,
    /// Changed by a re-review conclusion (PROC-OBJECT).
    ReReview,
}

/// One version of a round's list.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub number: i64,
    /// What it was computed from (a digest), so that recomputing the same input is a no-op.
    pub input_hash: String,
    pub allocation: Allocation,
}

/// A line of a version as published: the 序号 and what the notice shows beside the
/// application and credit code (which only officers see).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub application_id: String,
    /// 序号 on the notice, from 1.
    pub number: u32,
    pub uscc: String,
    pub enterprise_name: String,
    /// The kinds of pledged rights, e.g. 发明专利.
    pub rights_zh: String,
    pub rights_en: String,
    /// The application's ceiling before BUDGET.
    pub ceiling: Money,
    pub granted: Money,
}

pub const LATEST: Statement = Statement::new(
    "allocations.latest",
    "SELECT version, input_hash, allocation_json FROM allocations WHERE round_year = ? \
     ORDER BY version DESC LIMIT 1",
);
pub const BY_NUMBER: Statement = Statement::new(
    "allocations.by_number",
    "SELECT version, input_hash, allocation_json FROM allocations \
     WHERE round_year = ? AND version = ?",
);
pub const INSERT: Statement = Statement::new(
    "allocations.insert",
    "INSERT INTO allocations (round_year, version, computed_at, reason, input_hash, allocation_json) \
     VALUES (?, ?, ?, ?, ?, ?)",
);
pub const INSERT_LINE: Statement = Statement::new(
    "allocations.insert_line",
    "INSERT INTO allocation_lines (round_year, version, application_id, number, uscc, \
     enterprise_name, rights_zh, rights_en, ceiling_cny, granted_cny) \
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
);
/// A version's lines carried into the next, with one application's amount changed.
pub const CARRY_LINES: Statement = Statement::new(
    "allocations.carry_lines",
    "INSERT INTO allocation_lines (round_year, version, application_id, number, uscc, \
     enterprise_name, rights_zh, rights_en, ceiling_cny, granted_cny) \
     SELECT round_year, ?, application_id, number, uscc, enterprise_name, rights_zh, \
     rights_en, ceiling_cny, CASE WHEN application_id = ? THEN ? ELSE granted_cny END \
     FROM allocation_lines WHERE round_year = ? AND version = ?",
);
pub const LINES: Statement = Statement::new(
    "allocations.lines",
    "SELECT application_id, number, uscc, enterprise_name, rights_zh, rights_en, \
     ceiling_cny, granted_cny FROM allocation_lines WHERE round_year = ? AND version = ? \
     ORDER BY number, application_id",
);

fn version(row: &Row<'_>) -> Result<Version, StoreError> {
    Ok(Version {
        number: row.int("version")?,
        input_hash: row.text("input_hash")?.to_owned(),
        allocation: row.json("allocation_json")?,
    })
}

fn line(row: &Row<'_>) -> Result<Line, StoreError> {
    let number: u32 = row.int_as("number")?;
    if number == 0 {
        return Err(row.unreadable("number", "序号 starts at 1"));
    }
    Ok(Line {
        application_id: row.text("application_id")?.to_owned(),
        number,
        uscc: row.text("uscc")?.to_owned(),
        enterprise_name: row.text("enterprise_name")?.to_owned(),
        rights_zh: row.text("rights_zh")?.to_owned(),
        rights_en: row.text("rights_en")?.to_owned(),
        ceiling: row.money("ceiling_cny")?,
        granted: row.money("granted_cny")?,
    })
}

/// The newest version of the list of `year`, if one was computed.
pub async fn latest(db: &impl Sql, year: i32) -> Result<Option<Version>, StoreError> {
    let rows = db.query(&LATEST, vec![year.into()]).await?;
    rows.first().map(|r| version(&r)).transpose()
}

/// Version `number` of the list of `year`.
pub async fn by_number(
    db: &impl Sql,
    year: i32,
    number: i64,
) -> Result<Option<Version>, StoreError> {
    let rows = db
        .query(&BY_NUMBER, vec![year.into(), number.into()])
        .await?;
    rows.first().map(|r| version(&r)).transpose()
}

/// The lines of version `number`, by 序号. Their 序号 are unique (the schema's key is the
/// application; a repeated 序号 is damage, reported as such).
pub async fn lines(db: &impl Sql, year: i32, number: i64) -> Result<Vec<Line>, StoreError> {
    let rows = db.query(&LINES, vec![year.into(), number.into()]).await?;
    let lines = rows.read(line)?;
    if let Some(w) = lines.windows(2).find(|w| w[0].number == w[1].number) {
        return Err(StoreError::Unreadable {
            statement: LINES.name,
            column: "number".into(),
            reason: format!("序号 {} appears twice", w[0].number),
        });
    }
    Ok(lines)
}

/// Adds version `number` (its lines follow with [`add_line`]).
pub async fn add_version(
    db: &impl Sql,
    year: i32,
    version: &Version,
    reason: Reason,
    at: &str,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(&version.allocation).map_err(|e| StoreError::Failed {
        statement: INSERT.name,
        message: format!("the allocation does not serialise: {e}"),
    })?;
    db.execute(
        &INSERT,
        vec![
            year.into(),
            version.number.into(),
            at.into(),
            crate::names::name(&reason).into(),
            version.input_hash.as_str().into(),
            json.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Adds a line to version `number`.
pub async fn add_line(
    db: &impl Sql,
    year: i32,
    number: i64,
    line: &Line,
) -> Result<(), StoreError> {
    db.execute(
        &INSERT_LINE,
        vec![
            year.into(),
            number.into(),
            line.application_id.as_str().into(),
            line.number.into(),
            line.uscc.as_str().into(),
            line.enterprise_name.as_str().into(),
            line.rights_zh.as_str().into(),
            line.rights_en.as_str().into(),
            line.ceiling.into(),
            line.granted.into(),
        ],
    )
    .await?;
    Ok(())
}

/// PROC-OBJECT, across aggregates: a re-review's new version of the list (see
/// [`add_re_review_version`]) and the application's new status (`removed`, or still
/// `proposed` at a lower amount), together.
pub async fn record_re_review(
    db: &impl Sql,
    year: i32,
    previous: i64,
    allocation: &Allocation,
    application_id: &str,
    status: crate::applications::Status,
    at: &str,
) -> Result<i64, StoreError> {
    let granted = allocation
        .lines
        .iter()
        .find(|l| l.id == application_id)
        .map(|l| l.granted)
        .ok_or_else(|| StoreError::Failed {
            statement: CARRY_LINES.name,
            message: format!("{application_id} is not a line of the new allocation"),
        })?;
    let next =
        add_re_review_version(db, year, previous, allocation, application_id, granted, at).await?;
    crate::applications::set_status(db, application_id, status, at).await?;
    Ok(next)
}

/// PROC-OBJECT: the version after `previous` that a re-review made — `allocation` as the
/// rules recomputed it, and `previous`'s lines with `application_id` now granted `granted`.
pub async fn add_re_review_version(
    db: &impl Sql,
    year: i32,
    previous: i64,
    allocation: &Allocation,
    application_id: &str,
    granted: Money,
    at: &str,
) -> Result<i64, StoreError> {
    let next = previous + 1;
    add_version(
        db,
        year,
        &Version {
            number: next,
            input_hash: format!("re_review:{application_id}:{next}"),
            allocation: allocation.clone(),
        },
        Reason::ReReview,
        at,
    )
    .await?;
    db.execute(
        &CARRY_LINES,
        vec![
            next.into(),
            application_id.into(),
            granted.into(),
            year.into(),
            previous.into(),
        ],
    )
    .await?;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::block_on;
    use crate::testing::with_applications;
    use rules::allocation::{AllocationRequest, ApprovedApplication};

    fn allocation() -> Allocation {
        let app = |id: &str, uscc: &str, amount: u64, at: &str| ApprovedApplication {
            id: id.into(),
            enterprise: uscc.into(),
            submitted_at: chrono::DateTime::parse_from_rfc3339(at).unwrap(),
            ceiling_amount: Money::yuan(amount),
        };
        rules::allocate(
            &AllocationRequest {
                year: 2026,
                budget: Money::yuan(150_000),
                applications: vec![
                    app(
                        "MTG-2026-00001",
                        "91110109MA00000011",
                        100_000,
                        "2026-04-02T10:00:00+08:00",
                    ),
                    app(
                        "MTG-2026-00002",
                        "91110109MA00000029",
                        100_000,
                        "2026-04-03T10:00:00+08:00",
                    ),
                ],
                history: Default::default(),
            },
            &rules::Parameters::default(),
        )
        .unwrap()
    }

    fn line(id: &str, number: u32, granted: Money) -> Line {
        Line {
            application_id: id.into(),
            number,
            uscc: "91110109MA00000011".into(),
            enterprise_name: "北京测试企业有限公司".into(),
            rights_zh: "发明专利".into(),
            rights_en: "invention patent".into(),
            ceiling: Money::yuan(100_000),
            granted,
        }
    }

    /// Version 1 of `a` with its lines numbered 1, 2, ….
    async fn first_version(db: &rusqlite::Connection, a: &Allocation) -> Version {
        let v = Version {
            number: 1,
            input_hash: "abc".into(),
            allocation: a.clone(),
        };
        add_version(db, 2026, &v, Reason::Allocation, "t")
            .await
            .unwrap();
        for (i, l) in a.lines.iter().enumerate() {
            add_line(db, 2026, 1, &line(&l.id, i as u32 + 1, l.granted))
                .await
                .unwrap();
        }
        v
    }

    /// BUDGET, PROC-OBJECT: versions are added, never changed; a re-review carries the
    /// lines with one amount changed.
    #[test]
    fn versions_are_added_and_a_re_review_changes_one_line() {
        let db = with_applications(2);
        let a = allocation();
        block_on(async {
            assert_eq!(latest(&db, 2026).await.unwrap(), None);
            let v1 = first_version(&db, &a).await;
            assert_eq!(latest(&db, 2026).await.unwrap(), Some(v1.clone()));
            let next =
                add_re_review_version(&db, 2026, 1, &a, "MTG-2026-00002", Money::yuan(10_000), "t")
                    .await
                    .unwrap();
            assert_eq!(next, 2);
            assert_eq!(latest(&db, 2026).await.unwrap().unwrap().number, 2);
            assert_eq!(by_number(&db, 2026, 1).await.unwrap(), Some(v1));
            let before = lines(&db, 2026, 1).await.unwrap();
            let after = lines(&db, 2026, 2).await.unwrap();
            assert_eq!(before.len(), 2);
            assert_eq!(after[0], before[0]);
            assert_eq!(after[1].granted, Money::yuan(10_000));
            assert_eq!(after[1].number, before[1].number);
        });
    }

    /// PROC-OBJECT: a re-review's version and the application's status change together.
    #[test]
    fn a_re_review_adds_a_version_and_moves_the_application() {
        let db = with_applications(2);
        let a = allocation();
        block_on(async {
            first_version(&db, &a).await;
            let after =
                rules::re_review::apply(&a, "MTG-2026-00001", rules::re_review::Conclusion::Upheld)
                    .unwrap()
                    .unwrap();
            let next = record_re_review(
                &db,
                2026,
                1,
                &after,
                "MTG-2026-00001",
                crate::applications::Status::Removed,
                "t",
            )
            .await
            .unwrap();
            assert_eq!(next, 2);
            assert_eq!(latest(&db, 2026).await.unwrap().unwrap().allocation, after);
            assert_eq!(lines(&db, 2026, 2).await.unwrap()[0].granted, Money::ZERO);
            // (The seeded applications' payloads are placeholders: read their summaries.)
            let apps = crate::applications::summaries(&db, Some(2026))
                .await
                .unwrap();
            assert_eq!(apps[0].status, crate::applications::Status::Removed);
            assert_eq!(apps[1].status, crate::applications::Status::Eligible);
        });
    }

    /// Issue 17: an allocation stored before the rules kept a line's reasons as figures
    /// reads back and serialises byte for byte as it was stored.
    #[test]
    fn allocations_stored_before_issue_17_read_back_unchanged() {
        let db = with_applications(2);
        let stored =
            include_str!("../../rules/tests/data/allocations-stored-before-issue-17.jsonl");
        block_on(async {
            for (number, json) in (1i64..).zip(stored.lines()) {
                let row = vec![
                    2026.into(),
                    number.into(),
                    "t".into(),
                    "allocation".into(),
                    "h".into(),
                    json.into(),
                ];
                Sql::execute(&db, &INSERT, row).await.unwrap();
                let read = by_number(&db, 2026, number).await.unwrap().unwrap();
                assert_eq!(serde_json::to_string(&read.allocation).unwrap(), json);
            }
        });
    }

    #[test]
    fn damaged_lines_or_versions_are_unreadable() {
        for (sql, column) in [
            (
                "UPDATE allocation_lines SET granted_cny = 'a lot'",
                "granted_cny",
            ),
            ("UPDATE allocation_lines SET number = 1", "number"),
            ("UPDATE allocation_lines SET number = 0", "number"),
            (
                "UPDATE allocations SET allocation_json = '[]'",
                "allocation_json",
            ),
        ] {
            let db = with_applications(2);
            let a = allocation();
            block_on(first_version(&db, &a));
            db.execute_batch(sql).unwrap();
            let err = if sql.contains("allocations ") {
                block_on(latest(&db, 2026)).map(|_| ()).unwrap_err()
            } else {
                block_on(lines(&db, 2026, 1)).map(|_| ()).unwrap_err()
            };
            match err {
                StoreError::Unreadable { column: c, .. } => assert_eq!(c, column, "{sql}"),
                other => panic!("{sql}: {other:?}"),
            }
        }
    }
}
