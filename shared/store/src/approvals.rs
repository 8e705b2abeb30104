//! The district government's decision on each line of a round's list (PROC-APPROVE):
//! approved, reduced or rejected, with the amount it approved. Written once by calculation
//! with the approval (never changed: the schema refuses it); read by payments and exports.

use rules::approval::ApprovedLine;

use crate::names;
use crate::sql::{Row, Sql, Statement, StoreError};

pub const INSERT: Statement = Statement::new(
    "approvals.insert",
    "INSERT INTO approval_lines (round_year, application_id, decision, amount_cny, note) \
     VALUES (?, ?, ?, ?, ?)",
);
pub const OF_ROUND: Statement = Statement::new(
    "approvals.of_round",
    "SELECT application_id, decision, amount_cny, note FROM approval_lines \
     WHERE round_year = ? ORDER BY application_id",
);
pub const OF_LINE: Statement = Statement::new(
    "approvals.of_line",
    "SELECT application_id, decision, amount_cny, note FROM approval_lines \
     WHERE round_year = ? AND application_id = ?",
);

fn line(row: &Row<'_>) -> Result<ApprovedLine, StoreError> {
    Ok(ApprovedLine {
        application_id: row.text("application_id")?.to_owned(),
        decision: row.named("decision")?,
        amount: row.money("amount_cny")?,
        note: row.text("note")?.to_owned(),
    })
}

/// Records the government's decision on one line of the round of `year`.
pub async fn add(db: &impl Sql, year: i32, l: &ApprovedLine) -> Result<(), StoreError> {
    db.execute(
        &INSERT,
        vec![
            year.into(),
            l.application_id.as_str().into(),
            names::name(&l.decision).into(),
            l.amount.into(),
            l.note.as_str().into(),
        ],
    )
    .await?;
    Ok(())
}

/// The decisions on the round's lines, by application number.
pub async fn of_round(db: &impl Sql, year: i32) -> Result<Vec<ApprovedLine>, StoreError> {
    db.query(&OF_ROUND, vec![year.into()]).await?.read(line)
}

/// The decision on one line, if the government ruled on the round line by line (rounds
/// approved before this record existed have none: their list was approved as a whole).
pub async fn of_line(
    db: &impl Sql,
    year: i32,
    application_id: &str,
) -> Result<Option<ApprovedLine>, StoreError> {
    let rows = db
        .query(&OF_LINE, vec![year.into(), application_id.into()])
        .await?;
    rows.first().map(|r| line(&r)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::block_on;
    use crate::testing::with_applications;
    use rules::Money;
    use rules::approval::LineDecision;

    /// PROC-APPROVE: each line's decision is read back as recorded, and never changed.
    #[test]
    fn the_governments_decision_per_line_is_kept_as_made() {
        let db = with_applications(2);
        let reduced = ApprovedLine {
            application_id: "MTG-2026-00001".into(),
            decision: LineDecision::Reduced,
            amount: Money::yuan(60_000),
            note: "第12次常务会议".into(),
        };
        let rejected = ApprovedLine {
            application_id: "MTG-2026-00002".into(),
            decision: LineDecision::Rejected,
            amount: Money::ZERO,
            note: String::new(),
        };
        block_on(async {
            assert_eq!(of_line(&db, 2026, "MTG-2026-00001").await.unwrap(), None);
            add(&db, 2026, &reduced).await.unwrap();
            add(&db, 2026, &rejected).await.unwrap();
            assert_eq!(
                of_line(&db, 2026, "MTG-2026-00001").await.unwrap(),
                Some(reduced.clone())
            );
            assert_eq!(of_round(&db, 2026).await.unwrap(), [reduced, rejected]);
        });
        assert!(
            db.execute_batch("UPDATE approval_lines SET amount_cny = '1.00'")
                .is_err(),
            "never edited"
        );
        assert!(
            db.execute_batch("UPDATE approval_lines SET decision = 'vetoed'")
                .is_err()
        );
        db.execute_batch(
            "DROP TRIGGER approval_lines_no_update; \
             UPDATE approval_lines SET decision = 'vetoed' WHERE application_id = 'MTG-2026-00002'",
        )
        .unwrap_err();
    }
}
