//! An enterprise's record across years (CAP-YEAR, CAP-TIMES, FRAUD): the subsidies it
//! received — imported from before this system by officers, or paid by it — and the fraud
//! determinations against it. Written by intake (imports, findings) and by calculation
//! (a payment is a subsidy); read by both to decide and allocate.

use chrono::NaiveDate;
use rules::Money;
use rules::model::{FraudFinding, FraudKind, SubsidyRecord};

use crate::names;
use crate::sql::{Row, Sql, Statement, StoreError};

/// Where a recorded subsidy came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Imported by an officer from the office's records before this system.
    Import,
    /// Paid by this system (the payment's id is the reference).
    Payment,
}

/// A fraud determination as stored, with what it decided.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    pub finding: FraudFinding,
    /// FRAUD: everything paid, to be recovered.
    pub to_recover: Money,
    /// FRAUD (reading 8): the first day the enterprise may apply again.
    pub may_apply_from: NaiveDate,
}

pub const SUBSIDIES_OF: Statement = Statement::new(
    "history.subsidies_of",
    "SELECT year, amount_cny, recovered, reference FROM subsidy_history WHERE uscc = ? \
     ORDER BY year, id",
);
pub const INSERT_SUBSIDY: Statement = Statement::new(
    "history.insert_subsidy",
    "INSERT INTO subsidy_history (uscc, year, amount_cny, recovered, source, reference, created_at) \
     VALUES (?, ?, ?, ?, ?, ?, ?)",
);
pub const FINDINGS_OF: Statement = Statement::new(
    "history.findings_of",
    "SELECT kind, determined_on, reference, to_recover_cny, may_apply_from FROM fraud_findings \
     WHERE uscc = ? ORDER BY id",
);
pub const INSERT_FINDING: Statement = Statement::new(
    "history.insert_finding",
    "INSERT INTO fraud_findings (uscc, kind, determined_on, reference, to_recover_cny, \
     may_apply_from, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
);

fn subsidy(row: &Row<'_>) -> Result<SubsidyRecord, StoreError> {
    Ok(SubsidyRecord {
        year: row.int_as("year")?,
        amount: row.money("amount_cny")?,
        recovered: row.flag("recovered")?,
        reference: row.text("reference")?.to_owned(),
    })
}

fn finding(row: &Row<'_>) -> Result<FindingRow, StoreError> {
    let kind: FraudKind = row.named("kind")?;
    Ok(FindingRow {
        finding: FraudFinding {
            kind,
            determined_on: row.parse("determined_on")?,
            reference: row.text("reference")?.to_owned(),
        },
        to_recover: row.money("to_recover_cny")?,
        may_apply_from: row.parse("may_apply_from")?,
    })
}

/// CAP-YEAR, CAP-TIMES: the subsidies recorded for `uscc`, in year order.
pub async fn subsidies(db: &impl Sql, uscc: &str) -> Result<Vec<SubsidyRecord>, StoreError> {
    db.query(&SUBSIDIES_OF, vec![uscc.into()])
        .await?
        .read(subsidy)
}

/// Records a subsidy `uscc` received.
pub async fn add_subsidy(
    db: &impl Sql,
    uscc: &str,
    record: &SubsidyRecord,
    source: Source,
    at: &str,
) -> Result<(), StoreError> {
    db.execute(
        &INSERT_SUBSIDY,
        vec![
            uscc.into(),
            record.year.into(),
            record.amount.into(),
            record.recovered.into(),
            names::name(&source).into(),
            record.reference.as_str().into(),
            at.into(),
        ],
    )
    .await?;
    Ok(())
}

/// FRAUD: the determinations against `uscc`, oldest first.
pub async fn findings(db: &impl Sql, uscc: &str) -> Result<Vec<FindingRow>, StoreError> {
    db.query(&FINDINGS_OF, vec![uscc.into()])
        .await?
        .read(finding)
}

/// FRAUD: records a determination and what it decided; answers its id.
pub async fn add_finding(
    db: &impl Sql,
    uscc: &str,
    row: &FindingRow,
    at: &str,
) -> Result<i64, StoreError> {
    db.execute(
        &INSERT_FINDING,
        vec![
            uscc.into(),
            names::name(&row.finding.kind).into(),
            row.finding.determined_on.to_string().into(),
            row.finding.reference.as_str().into(),
            row.to_recover.into(),
            row.may_apply_from.to_string().into(),
            at.into(),
        ],
    )
    .await?;
    Ok(db.last_insert_rowid().await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::{block_on, migrated};

    const E: &str = "91110109MA00000070";

    fn record(year: i32, amount: &str) -> SubsidyRecord {
        SubsidyRecord {
            year,
            amount: Money::parse(amount).unwrap(),
            recovered: false,
            reference: String::new(),
        }
    }

    #[test]
    fn subsidies_and_findings_are_read_back_as_written() {
        let db = migrated();
        block_on(async {
            add_subsidy(&db, E, &record(2024, "70000.00"), Source::Import, "t")
                .await
                .unwrap();
            let mut recovered = record(2022, "50000.00");
            recovered.recovered = true;
            recovered.reference = "门知〔2022〕9号".into();
            add_subsidy(&db, E, &recovered, Source::Payment, "t")
                .await
                .unwrap();
            assert_eq!(
                subsidies(&db, E).await.unwrap(),
                [recovered, record(2024, "70000.00")]
            );
            assert!(
                subsidies(&db, "91110109MA00000089")
                    .await
                    .unwrap()
                    .is_empty()
            );

            let row = FindingRow {
                finding: FraudFinding {
                    kind: FraudKind::ObtainedByDeception,
                    determined_on: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
                    reference: "门知罚〔2025〕3号".into(),
                },
                to_recover: Money::parse("120000.00").unwrap(),
                may_apply_from: NaiveDate::from_ymd_opt(2028, 6, 1).unwrap(),
            };
            add_finding(&db, E, &row, "t").await.unwrap();
            assert_eq!(findings(&db, E).await.unwrap(), [row]);
        });
    }

    /// CAP-YEAR, CAP-TIMES: a damaged earlier subsidy is unreadable, never 0.00 (which
    /// would leave room under both caps that the enterprise does not have).
    #[test]
    fn a_damaged_subsidy_or_finding_is_unreadable_never_a_default() {
        for (sql, column) in [
            (
                "UPDATE subsidy_history SET amount_cny = 'ninety thousand'",
                "amount_cny",
            ),
            (
                "UPDATE subsidy_history SET amount_cny = '-90000.00'",
                "amount_cny",
            ),
            ("UPDATE subsidy_history SET amount_cny = NULL", "amount_cny"),
            ("UPDATE subsidy_history SET recovered = 7", "recovered"),
            ("UPDATE subsidy_history SET year = 'last year'", "year"),
            ("UPDATE fraud_findings SET kind = 'jaywalking'", "kind"),
            (
                "UPDATE fraud_findings SET determined_on = 'yesterday'",
                "determined_on",
            ),
            (
                "UPDATE fraud_findings SET to_recover_cny = ''",
                "to_recover_cny",
            ),
        ] {
            let db = migrated();
            // NOT NULL columns refuse a NULL update; the damage must be real to test it.
            db.execute_batch("PRAGMA ignore_check_constraints = ON")
                .unwrap();
            block_on(async {
                add_subsidy(&db, E, &record(2025, "90000.00"), Source::Import, "t")
                    .await
                    .unwrap();
                let row = FindingRow {
                    finding: FraudFinding {
                        kind: FraudKind::FalseDocuments,
                        determined_on: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
                        reference: String::new(),
                    },
                    to_recover: Money::parse("90000.00").unwrap(),
                    may_apply_from: NaiveDate::from_ymd_opt(2028, 6, 1).unwrap(),
                };
                add_finding(&db, E, &row, "t").await.unwrap();
            });
            if db.execute_batch(sql).is_err() {
                // A NOT NULL column: the schema itself refuses that damage.
                assert!(sql.contains("NULL"), "{sql}");
                continue;
            }
            let err = if sql.contains("fraud_findings") {
                block_on(findings(&db, E)).map(|_| ()).unwrap_err()
            } else {
                block_on(subsidies(&db, E)).map(|_| ()).unwrap_err()
            };
            match err {
                StoreError::Unreadable { column: c, .. } => assert_eq!(c, column, "{sql}"),
                other => panic!("{sql}: {other:?}"),
            }
        }
    }
}
