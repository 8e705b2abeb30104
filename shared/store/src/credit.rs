//! The register of credit findings against enterprises (PROC-CREDIT): added, corrected,
//! marked repaired (信用修复) or withdrawn by officers (intake). A withdrawn finding is kept,
//! marked; decisions read the others. Each change is audited by the caller.

use chrono::NaiveDate;
use rules::model::{CreditFinding, CreditFindingKind};

use crate::names;
use crate::sql::{Row, Sql, Statement, StoreError};

/// A finding as registered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Registered {
    pub id: i64,
    pub uscc: String,
    /// As the rules read it (`resolved_on` is the repair date).
    pub finding: CreditFinding,
    /// When it was withdrawn (entered in error); it then never counts.
    pub withdrawn_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

pub const INSERT: Statement = Statement::new(
    "credit.insert",
    "INSERT INTO credit_findings (uscc, kind, found_on, source, repaired_on, created_at, \
     updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
);

pub const BY_ID: Statement = Statement::new(
    "credit.by_id",
    "SELECT id, uscc, kind, found_on, source, repaired_on, withdrawn_at, created_at, \
     updated_at FROM credit_findings WHERE id = ?",
);
pub const OF_ENTERPRISE: Statement = Statement::new(
    "credit.of_enterprise",
    "SELECT id, uscc, kind, found_on, source, repaired_on, withdrawn_at, created_at, \
     updated_at FROM credit_findings WHERE uscc = ? ORDER BY found_on, id",
);
pub const CORRECT: Statement = Statement::new(
    "credit.correct",
    "UPDATE credit_findings SET kind = ?, found_on = ?, source = ?, updated_at = ? \
     WHERE id = ? AND withdrawn_at IS NULL",
);
pub const REPAIR: Statement = Statement::new(
    "credit.repair",
    "UPDATE credit_findings SET repaired_on = ?, updated_at = ? \
     WHERE id = ? AND withdrawn_at IS NULL",
);
pub const WITHDRAW: Statement = Statement::new(
    "credit.withdraw",
    "UPDATE credit_findings SET withdrawn_at = ?, updated_at = ? \
     WHERE id = ? AND withdrawn_at IS NULL",
);

fn registered(row: &Row<'_>) -> Result<Registered, StoreError> {
    let kind: CreditFindingKind = row.named("kind")?;
    Ok(Registered {
        id: row.int("id")?,
        uscc: row.text("uscc")?.to_owned(),
        finding: CreditFinding {
            kind,
            date: row.parse("found_on")?,
            source: row.text("source")?.to_owned(),
            resolved_on: row.opt_parse("repaired_on")?,
        },
        withdrawn_at: row.opt_text("withdrawn_at")?.map(str::to_owned),
        created_at: row.text("created_at")?.to_owned(),
        updated_at: row.text("updated_at")?.to_owned(),
    })
}

/// Registers a finding against `uscc`; answers its id.
pub async fn add(
    db: &impl Sql,
    uscc: &str,
    f: &CreditFinding,
    at: &str,
) -> Result<i64, StoreError> {
    db.execute(
        &INSERT,
        vec![
            uscc.into(),
            names::name(&f.kind).into(),
            f.date.to_string().into(),
            f.source.as_str().into(),
            f.resolved_on.map(|d| d.to_string()).into(),
            at.into(),
            at.into(),
        ],
    )
    .await?;
    Ok(db.last_insert_rowid().await)
}

/// One finding, withdrawn or not.
pub async fn find(db: &impl Sql, id: i64) -> Result<Option<Registered>, StoreError> {
    let rows = db.query(&BY_ID, vec![id.into()]).await?;
    rows.first().map(|r| registered(&r)).transpose()
}

/// Every finding against `uscc`, withdrawn ones included, by date.
pub async fn of_enterprise(db: &impl Sql, uscc: &str) -> Result<Vec<Registered>, StoreError> {
    db.query(&OF_ENTERPRISE, vec![uscc.into()])
        .await?
        .read(registered)
}

/// The findings that count against `uscc` (not withdrawn), as the rules read them.
pub async fn counting(db: &impl Sql, uscc: &str) -> Result<Vec<CreditFinding>, StoreError> {
    Ok(of_enterprise(db, uscc)
        .await?
        .into_iter()
        .filter(|r| r.withdrawn_at.is_none())
        .map(|r| r.finding)
        .collect())
}

/// Corrects a finding's kind, date and source; `false` when it is withdrawn or unknown.
pub async fn correct(
    db: &impl Sql,
    id: i64,
    kind: CreditFindingKind,
    date: NaiveDate,
    source: &str,
    at: &str,
) -> Result<bool, StoreError> {
    let n = db
        .execute(
            &CORRECT,
            vec![
                names::name(&kind).into(),
                date.to_string().into(),
                source.into(),
                at.into(),
                id.into(),
            ],
        )
        .await?;
    Ok(n > 0)
}

/// Marks a finding repaired (信用修复) from `on`; `false` when withdrawn or unknown.
pub async fn repair(db: &impl Sql, id: i64, on: NaiveDate, at: &str) -> Result<bool, StoreError> {
    let n = db
        .execute(&REPAIR, vec![on.to_string().into(), at.into(), id.into()])
        .await?;
    Ok(n > 0)
}

/// Withdraws a finding entered in error; `false` when already withdrawn or unknown.
pub async fn withdraw(db: &impl Sql, id: i64, at: &str) -> Result<bool, StoreError> {
    let n = db
        .execute(&WITHDRAW, vec![at.into(), at.into(), id.into()])
        .await?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::{block_on, migrated};

    const E: &str = "91110109MA01C3KP2P";

    fn accident() -> CreditFinding {
        CreditFinding {
            kind: CreditFindingKind::MajorWorkSafetyAccident,
            date: "2026-05-10".parse().unwrap(),
            source: "区应急管理局".into(),
            resolved_on: None,
        }
    }

    /// PROC-CREDIT: a finding is added, corrected, repaired and withdrawn; the withdrawn
    /// one stays registered and no longer counts; nothing changes a withdrawn finding.
    #[test]
    fn a_finding_lives_in_the_register() {
        let db = migrated();
        block_on(async {
            let id = add(&db, E, &accident(), "t1").await.unwrap();
            assert_eq!(counting(&db, E).await.unwrap(), [accident()]);
            let date: NaiveDate = "2026-05-11".parse().unwrap();
            let kind = CreditFindingKind::SeriousBadCreditRecord;
            assert!(
                correct(&db, id, kind, date, "信用中国（北京）", "t2")
                    .await
                    .unwrap()
            );
            let repaired: NaiveDate = "2026-05-20".parse().unwrap();
            assert!(repair(&db, id, repaired, "t3").await.unwrap());
            let r = find(&db, id).await.unwrap().unwrap();
            assert_eq!(r.finding.kind, kind);
            assert_eq!(r.finding.date, date);
            assert_eq!(r.finding.resolved_on, Some(repaired));
            assert_eq!((r.created_at.as_str(), r.updated_at.as_str()), ("t1", "t3"));

            assert!(withdraw(&db, id, "t4").await.unwrap());
            assert!(!withdraw(&db, id, "t5").await.unwrap(), "once");
            assert!(!repair(&db, id, repaired, "t5").await.unwrap());
            assert!(counting(&db, E).await.unwrap().is_empty());
            let all = of_enterprise(&db, E).await.unwrap();
            assert_eq!(all.len(), 1);
            assert_eq!(all[0].withdrawn_at.as_deref(), Some("t4"));
            assert!(!withdraw(&db, 999, "t5").await.unwrap(), "unknown");
            assert_eq!(find(&db, 999).await.unwrap(), None);
        });
    }

    #[test]
    fn a_damaged_finding_is_unreadable() {
        let db = migrated();
        block_on(async {
            add(&db, E, &accident(), "t").await.unwrap();
        });
        db.execute_batch("UPDATE credit_findings SET found_on = 'last spring'")
            .unwrap();
        let e = block_on(counting(&db, E)).unwrap_err();
        assert!(
            matches!(e, StoreError::Unreadable { ref column, .. } if column == "found_on"),
            "{e:?}"
        );
    }
}
