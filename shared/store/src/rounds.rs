//! Rounds (PROC-GUIDE): one per year, created from the year's application guide, moving
//! open → closed → under_review → allocated → in_notice → approved → paid (never skipped
//! or undone: the transitions are checked by `rules::procedure` before
//! [`set_stage`] is called). Written by intake (creation, the early stages) and by
//! calculation (allocation, PROC-APPROVE, payment); the later stages by notices.

use chrono::NaiveDate;
use rules::Round;
use rules::procedure::Stage;

use crate::sql::{Row, Sql, Statement, StoreError, Value};

/// A round as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundRow {
    /// The guide's terms: window, covered period, budget, extra key industries.
    pub round: Round,
    pub stage: Stage,
    /// PROC-APPROVE: the district government's approval, once given.
    pub approved_on: Option<NaiveDate>,
    pub approval_reference: Option<String>,
}

/// The stage as stored in `rounds.stage`.
pub fn stage_name(s: Stage) -> &'static str {
    crate::names::name(&s)
}

/// A stored stage name, read back.
pub fn parse_stage(s: &str) -> Option<Stage> {
    crate::names::parse(s)
}

/// A round's row, the round read by the request reader ([`Row::input_json`],
/// `rules::reader`): the components read rounds from requests (intake) and pre-check
/// requests (calculation) with it, so they carry one round reader, not serde's as well.
fn read(row: &Row<'_>) -> Result<RoundRow, StoreError> {
    with_round(row, row.input_json("round_json")?)
}

fn with_round(row: &Row<'_>, round: Round) -> Result<RoundRow, StoreError> {
    let year: i32 = row.int_as("year")?;
    if round.year != year {
        return Err(row.unreadable(
            "round_json",
            format!("the guide is for {}, the row for {year}", round.year),
        ));
    }
    Ok(RoundRow {
        round,
        stage: row.named("stage")?,
        approved_on: row.opt_parse("approved_on")?,
        approval_reference: row.opt_text("approval_reference")?.map(str::to_owned),
    })
}

pub const LIST: Statement = Statement::new(
    "rounds.list",
    "SELECT year, round_json, stage, approved_on, approval_reference FROM rounds \
     ORDER BY year DESC",
);
pub const NEWEST: Statement = Statement::new(
    "rounds.newest",
    "SELECT year, round_json, stage, approved_on, approval_reference FROM rounds \
     ORDER BY year DESC LIMIT 1",
);
pub const BY_YEAR: Statement = Statement::new(
    "rounds.by_year",
    "SELECT year, round_json, stage, approved_on, approval_reference FROM rounds \
     WHERE year = ?",
);
pub const NEWEST_OPEN: Statement = Statement::new(
    "rounds.newest_open",
    "SELECT year, round_json, stage, approved_on, approval_reference FROM rounds \
     WHERE stage = 'open' ORDER BY year DESC LIMIT 1",
);
pub const STAGE: Statement =
    Statement::new("rounds.stage", "SELECT stage FROM rounds WHERE year = ?");
pub const INSERT: Statement = Statement::new(
    "rounds.insert",
    "INSERT INTO rounds (year, round_json, stage, created_at, updated_at) \
     VALUES (?, ?, 'open', ?, ?)",
);
pub const SET_STAGE: Statement = Statement::new(
    "rounds.set_stage",
    "UPDATE rounds SET stage = ?, updated_at = ? WHERE year = ? AND stage = ?",
);
pub const SET_APPROVAL: Statement = Statement::new(
    "rounds.set_approval",
    "UPDATE rounds SET approved_on = ?, approval_reference = ?, updated_at = ? WHERE year = ?",
);

/// Every round, newest first.
pub async fn list(db: &impl Sql) -> Result<Vec<RoundRow>, StoreError> {
    db.query(&LIST, vec![]).await?.read(read)
}

/// The newest round (what the public pre-check page checks against).
pub async fn newest(db: &impl Sql) -> Result<Option<RoundRow>, StoreError> {
    first(db.query(&NEWEST, vec![]).await?.read(read)?)
}

/// The round of `year`, if there is one.
pub async fn find(db: &impl Sql, year: i32) -> Result<Option<RoundRow>, StoreError> {
    first(db.query(&BY_YEAR, vec![year.into()]).await?.read(read)?)
}

/// The newest round open for applications, if any.
pub async fn newest_open(db: &impl Sql) -> Result<Option<RoundRow>, StoreError> {
    first(db.query(&NEWEST_OPEN, vec![]).await?.read(read)?)
}

fn first(rows: Vec<RoundRow>) -> Result<Option<RoundRow>, StoreError> {
    Ok(rows.into_iter().next())
}

/// The stage of the round of `year`, if there is one (read alone: the guards of every
/// stage change run on it inside the change's transaction).
pub async fn stage(db: &impl Sql, year: i32) -> Result<Option<Stage>, StoreError> {
    let rows = db.query(&STAGE, vec![year.into()]).await?;
    rows.first().map(|r| r.named("stage")).transpose()
}

/// PROC-GUIDE: stores a new round at stage `open` (a round for the same year is
/// [`StoreError::Duplicate`]).
pub async fn insert(db: &impl Sql, round: &Round, at: &str) -> Result<(), StoreError> {
    let json = serde_json::to_string(round).map_err(|e| StoreError::Failed {
        statement: INSERT.name,
        message: format!("the round does not serialise: {e}"),
    })?;
    db.execute(
        &INSERT,
        vec![round.year.into(), json.into(), at.into(), at.into()],
    )
    .await?;
    Ok(())
}

/// Moves the round of `year` from `from` to `to`; false when it was not at `from` (the
/// caller checked the transition against the rules first).
pub async fn set_stage(
    db: &impl Sql,
    year: i32,
    from: Stage,
    to: Stage,
    at: &str,
) -> Result<bool, StoreError> {
    let changed = db
        .execute(
            &SET_STAGE,
            vec![
                stage_name(to).into(),
                at.into(),
                year.into(),
                stage_name(from).into(),
            ],
        )
        .await?;
    Ok(changed == 1)
}

/// PROC-APPROVE: records the district government's approval of the round of `year`.
pub async fn set_approval(
    db: &impl Sql,
    year: i32,
    approved_on: NaiveDate,
    reference: &str,
    at: &str,
) -> Result<(), StoreError> {
    db.execute(
        &SET_APPROVAL,
        vec![
            approved_on.to_string().into(),
            reference.into(),
            at.into(),
            Value::from(year),
        ],
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::{block_on, migrated};
    use crate::testing::round;

    #[test]
    fn a_round_is_stored_listed_moved_and_approved() {
        let db = migrated();
        block_on(async {
            insert(&db, &round(2025), "2025-03-01T09:00:00+08:00")
                .await
                .unwrap();
            insert(&db, &round(2026), "2026-03-01T09:00:00+08:00")
                .await
                .unwrap();
            let all = list(&db).await.unwrap();
            assert_eq!(
                all.iter().map(|r| r.round.year).collect::<Vec<_>>(),
                [2026, 2025]
            );
            assert_eq!(newest(&db).await.unwrap().unwrap().round, round(2026));
            assert_eq!(stage(&db, 2026).await.unwrap(), Some(Stage::Open));
            assert_eq!(stage(&db, 2024).await.unwrap(), None);
            assert!(find(&db, 2024).await.unwrap().is_none());

            assert!(
                set_stage(&db, 2026, Stage::Open, Stage::Closed, "t")
                    .await
                    .unwrap()
            );
            // Not at `from` any more: nothing changes.
            assert!(
                !set_stage(&db, 2026, Stage::Open, Stage::Closed, "t")
                    .await
                    .unwrap()
            );
            assert_eq!(newest_open(&db).await.unwrap().unwrap().round.year, 2025);

            let on = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
            set_approval(&db, 2026, on, "门政发〔2026〕1号", "t")
                .await
                .unwrap();
            let r = find(&db, 2026).await.unwrap().unwrap();
            assert_eq!(r.approved_on, Some(on));
            assert_eq!(r.approval_reference.as_deref(), Some("门政发〔2026〕1号"));
        });
    }

    #[test]
    fn a_second_round_for_a_year_is_a_duplicate() {
        let db = migrated();
        block_on(async {
            insert(&db, &round(2026), "t").await.unwrap();
            assert_eq!(
                insert(&db, &round(2026), "t").await,
                Err(StoreError::Duplicate {
                    statement: "rounds.insert"
                })
            );
        });
    }

    /// PROC-GUIDE: a round whose stored terms are damaged is an error naming the column,
    /// never a round read with default terms.
    #[test]
    fn a_damaged_round_is_unreadable() {
        let db = migrated();
        block_on(async {
            insert(&db, &round(2026), "t").await.unwrap();
        });
        for (sql, column) in [
            ("UPDATE rounds SET round_json = '{}'", "round_json"),
            (
                "UPDATE rounds SET round_json = '{\"year\": 2026'",
                "round_json",
            ),
            (
                "UPDATE rounds SET round_json = replace(round_json, '2026', '2027')",
                "round_json",
            ),
            (
                "UPDATE rounds SET approved_on = '2026-13-01'",
                "approved_on",
            ),
        ] {
            let db = migrated();
            block_on(async {
                insert(&db, &round(2026), "t").await.unwrap();
            });
            db.execute_batch(sql).unwrap();
            let err = block_on(find(&db, 2026)).unwrap_err();
            match err.clone() {
                StoreError::Unreadable { column: c, .. } => assert_eq!(c, column, "{sql}"),
                other => panic!("{sql}: {other:?}"),
            }
            assert!(block_on(list(&db)).is_err(), "{sql}");
        }
    }
}
