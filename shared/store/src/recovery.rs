//! The clawback (FRAUD, 全额追回): claims — one subsidy due back in full, made due by a
//! fraud determination — and the money received back against each, with date and
//! reference. Written by intake (determinations and recoveries); read by intake (the
//! enterprise's account) and calculation (disclosed beside the payments). Never edited.

use chrono::NaiveDate;
use rules::Money;
use rules::recovery::{Balance, Claim, Subsidy};

use crate::sql::{Row, Sql, Statement, StoreError};

/// Money received back against a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub received_on: NaiveDate,
    pub amount: Money,
    /// The receipt (缴款书 or bank reference): officers only, not disclosed.
    pub reference: String,
}

/// A claim as stored, with its determination's date and what was received against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRow {
    pub id: i64,
    pub uscc: String,
    pub subsidy_id: i64,
    pub year: i32,
    pub reference: String,
    /// The date of the determination that made it due (no recovery is dated before it).
    pub determined_on: NaiveDate,
    pub received: Vec<Received>,
    pub balance: Balance,
}

pub const UNCLAIMED: Statement = Statement::new(
    "recovery.unclaimed",
    "SELECT id, year, amount_cny, reference FROM subsidy_history h \
     WHERE uscc = ? AND recovered = 0 \
     AND NOT EXISTS (SELECT 1 FROM recovery_claims c WHERE c.subsidy_id = h.id) \
     ORDER BY year, id",
);
pub const INSERT_CLAIM: Statement = Statement::new(
    "recovery.insert_claim",
    "INSERT INTO recovery_claims (uscc, finding_id, subsidy_id, year, reference, due_cny, \
     created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
);
pub const CLAIMS_OF: Statement = Statement::new(
    "recovery.claims_of",
    "SELECT c.id, c.uscc, c.subsidy_id, c.year, c.reference, c.due_cny, f.determined_on \
     FROM recovery_claims c JOIN fraud_findings f ON f.id = c.finding_id \
     WHERE c.uscc = ? ORDER BY c.year, c.id",
);
pub const CLAIM_BY_ID: Statement = Statement::new(
    "recovery.claim_by_id",
    "SELECT c.id, c.uscc, c.subsidy_id, c.year, c.reference, c.due_cny, f.determined_on \
     FROM recovery_claims c JOIN fraud_findings f ON f.id = c.finding_id WHERE c.id = ?",
);
pub const ALL_CLAIMS: Statement = Statement::new(
    "recovery.all_claims",
    "SELECT c.id, c.uscc, c.subsidy_id, c.year, c.reference, c.due_cny, f.determined_on \
     FROM recovery_claims c JOIN fraud_findings f ON f.id = c.finding_id \
     ORDER BY c.uscc, c.year, c.id",
);
// What was received, read in one statement per listing (not one per claim).
pub const RECEIVED_FOR: Statement = Statement::new(
    "recovery.received_for",
    "SELECT claim_id, received_on, amount_cny, reference FROM recoveries \
     WHERE claim_id = ? ORDER BY received_on, id",
);
pub const RECEIVED_OF: Statement = Statement::new(
    "recovery.received_of",
    "SELECT r.claim_id, r.received_on, r.amount_cny, r.reference FROM recoveries r \
     JOIN recovery_claims c ON c.id = r.claim_id WHERE c.uscc = ? \
     ORDER BY r.received_on, r.id",
);
pub const RECEIVED_ALL: Statement = Statement::new(
    "recovery.received_all",
    "SELECT claim_id, received_on, amount_cny, reference FROM recoveries \
     ORDER BY received_on, id",
);
pub const INSERT_RECEIVED: Statement = Statement::new(
    "recovery.insert_received",
    "INSERT INTO recoveries (claim_id, received_on, amount_cny, reference, created_at) \
     VALUES (?, ?, ?, ?, ?)",
);
pub const MARK_RECOVERED: Statement = Statement::new(
    "recovery.mark_recovered",
    "UPDATE subsidy_history SET recovered = 1 WHERE id = ? AND recovered = 0",
);

fn unclaimed_subsidy(row: &Row<'_>) -> Result<Subsidy, StoreError> {
    Ok(Subsidy {
        id: row.int("id")?,
        year: row.int_as("year")?,
        reference: row.text("reference")?.to_owned(),
        amount: row.money("amount_cny")?,
    })
}

fn received(row: &Row<'_>) -> Result<(i64, Received), StoreError> {
    Ok((
        row.int("claim_id")?,
        Received {
            received_on: row.parse("received_on")?,
            amount: row.money("amount_cny")?,
            reference: row.text("reference")?.to_owned(),
        },
    ))
}

/// A claim row without its recoveries yet (added by [`with_received`]).
fn claim(row: &Row<'_>) -> Result<ClaimRow, StoreError> {
    Ok(ClaimRow {
        id: row.int("id")?,
        uscc: row.text("uscc")?.to_owned(),
        subsidy_id: row.int("subsidy_id")?,
        year: row.int_as("year")?,
        reference: row.text("reference")?.to_owned(),
        determined_on: row.parse("determined_on")?,
        received: Vec::new(),
        balance: Balance::of(row.money("due_cny")?, []),
    })
}

/// The claims with what was received against each (`received`: claim id and money, in
/// date order) and their balances.
fn with_received(mut claims: Vec<ClaimRow>, received: Vec<(i64, Received)>) -> Vec<ClaimRow> {
    for (claim_id, r) in received {
        if let Some(c) = claims.iter_mut().find(|c| c.id == claim_id) {
            c.received.push(r);
        }
    }
    for c in &mut claims {
        c.balance = Balance::of(c.balance.due, c.received.iter().map(|r| r.amount));
    }
    claims
}

/// FRAUD: the subsidies of `uscc` neither recovered nor already due back.
pub async fn unclaimed(db: &impl Sql, uscc: &str) -> Result<Vec<Subsidy>, StoreError> {
    db.query(&UNCLAIMED, vec![uscc.into()])
        .await?
        .read(unclaimed_subsidy)
}

/// FRAUD: records what the determination `finding_id` made due from `uscc`.
pub async fn add_claims(
    db: &impl Sql,
    uscc: &str,
    finding_id: i64,
    claims: &[Claim],
    at: &str,
) -> Result<(), StoreError> {
    for c in claims {
        db.execute(
            &INSERT_CLAIM,
            vec![
                uscc.into(),
                finding_id.into(),
                c.subsidy.into(),
                c.year.into(),
                c.reference.as_str().into(),
                c.due.into(),
                at.into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// The claims against `uscc`, each with its account.
pub async fn claims_of(db: &impl Sql, uscc: &str) -> Result<Vec<ClaimRow>, StoreError> {
    let claims = db.query(&CLAIMS_OF, vec![uscc.into()]).await?.read(claim)?;
    let received = db
        .query(&RECEIVED_OF, vec![uscc.into()])
        .await?
        .read(received)?;
    Ok(with_received(claims, received))
}

/// Every claim, enterprise by enterprise (DISCLOSE).
pub async fn all(db: &impl Sql) -> Result<Vec<ClaimRow>, StoreError> {
    let claims = db.query(&ALL_CLAIMS, vec![]).await?.read(claim)?;
    let received = db.query(&RECEIVED_ALL, vec![]).await?.read(received)?;
    Ok(with_received(claims, received))
}

/// One claim with its account.
pub async fn find(db: &impl Sql, id: i64) -> Result<Option<ClaimRow>, StoreError> {
    let claims = db.query(&CLAIM_BY_ID, vec![id.into()]).await?.read(claim)?;
    let received = db
        .query(&RECEIVED_FOR, vec![id.into()])
        .await?
        .read(received)?;
    Ok(with_received(claims, received).pop())
}

/// FRAUD: records money received back against claim `claim`; when `settled`, the subsidy
/// is marked recovered in the enterprise's history.
pub async fn receive(
    db: &impl Sql,
    claim: &ClaimRow,
    r: &Received,
    settled: bool,
    at: &str,
) -> Result<(), StoreError> {
    db.execute(
        &INSERT_RECEIVED,
        vec![
            claim.id.into(),
            r.received_on.to_string().into(),
            r.amount.into(),
            r.reference.as_str().into(),
            at.into(),
        ],
    )
    .await?;
    if settled {
        db.execute(&MARK_RECOVERED, vec![claim.subsidy_id.into()])
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{self, FindingRow, Source};
    use crate::native::{block_on, migrated};
    use rules::model::{FraudFinding, FraudKind, SubsidyRecord};

    const E: &str = "91110109MA01C3KP2P";

    fn yuan(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn subsidy(year: i32, amount: &str, reference: &str) -> SubsidyRecord {
        SubsidyRecord {
            year,
            amount: yuan(amount),
            recovered: false,
            reference: reference.into(),
        }
    }

    fn finding(on: &str) -> FindingRow {
        FindingRow {
            finding: FraudFinding {
                kind: FraudKind::FalseDocuments,
                determined_on: on.parse().unwrap(),
                reference: "门知执〔2026〕3号".into(),
            },
            to_recover: yuan("0.00"),
            may_apply_from: "2029-06-10".parse().unwrap(),
        }
    }

    /// FRAUD: a determination's claims, instalments received against one, the balance,
    /// and the subsidy marked recovered when settled; a second determination claims only
    /// what is not yet due back.
    #[test]
    fn claims_and_recoveries_keep_the_account() {
        let db = migrated();
        block_on(async {
            for (y, m, r) in [
                (2024, "70000.00", "门知〔2024〕5号"),
                (2026, "48000.00", "PAY-MTG-2026-00001"),
            ] {
                history::add_subsidy(&db, E, &subsidy(y, m, r), Source::Payment, "t")
                    .await
                    .unwrap();
            }
            let open = unclaimed(&db, E).await.unwrap();
            assert_eq!(open.len(), 2);
            let due = rules::recovery::claims(&open);
            let f = history::add_finding(&db, E, &finding("2026-06-10"), "t")
                .await
                .unwrap();
            add_claims(&db, E, f, &due, "t").await.unwrap();
            assert!(unclaimed(&db, E).await.unwrap().is_empty(), "claimed once");

            let claims = claims_of(&db, E).await.unwrap();
            assert_eq!(claims.len(), 2);
            let c = &claims[1];
            assert_eq!((c.year, c.reference.as_str()), (2026, "PAY-MTG-2026-00001"));
            assert_eq!(c.balance.outstanding, yuan("48000.00"));
            assert_eq!(c.determined_on, "2026-06-10".parse().unwrap());

            let part = Received {
                received_on: "2026-06-20".parse().unwrap(),
                amount: yuan("20000.00"),
                reference: "缴款书 0001".into(),
            };
            receive(&db, c, &part, false, "t").await.unwrap();
            let rest = Received {
                amount: yuan("28000.00"),
                ..part.clone()
            };
            receive(&db, c, &rest, true, "t").await.unwrap();
            let c = find(&db, c.id).await.unwrap().unwrap();
            assert_eq!(c.received.len(), 2);
            assert_eq!(c.balance.recovered, yuan("48000.00"));
            assert!(c.balance.settled());
            let history = history::subsidies(&db, E).await.unwrap();
            assert_eq!(
                history.iter().map(|h| h.recovered).collect::<Vec<_>>(),
                [false, true],
                "the settled subsidy is marked recovered and still in the history"
            );
            assert_eq!(all(&db).await.unwrap().len(), 2);
            assert_eq!(find(&db, 999).await.unwrap(), None);

            // Nothing is ever edited.
            assert!(
                db.execute_batch("UPDATE recoveries SET amount_cny = '1.00'")
                    .is_err()
            );
            assert!(db.execute_batch("DELETE FROM recovery_claims").is_err());
        });
    }

    #[test]
    fn a_damaged_claim_is_unreadable() {
        let db = migrated();
        block_on(async {
            history::add_subsidy(
                &db,
                E,
                &subsidy(2026, "48000.00", "PAY-1"),
                Source::Payment,
                "t",
            )
            .await
            .unwrap();
            let f = history::add_finding(&db, E, &finding("2026-06-10"), "t")
                .await
                .unwrap();
            let due = rules::recovery::claims(&unclaimed(&db, E).await.unwrap());
            add_claims(&db, E, f, &due, "t").await.unwrap();
        });
        db.execute_batch(
            "DROP TRIGGER recovery_claims_no_update; UPDATE recovery_claims SET due_cny = 'lots'",
        )
        .unwrap();
        let e = block_on(claims_of(&db, E)).unwrap_err();
        assert!(
            matches!(e, StoreError::Unreadable { ref column, .. } if column == "due_cny"),
            "{e:?}"
        );
    }
}
