//! Payments (PROC-APPROVE, DISCLOSE): one per application on the approved list, never
//! more (the schema's UNIQUE on the application). Written by calculation; each payment is
//! also a subsidy in the enterprise's history (`history`), in the same transaction. Read
//! for the public disclosure and the office's exports.

use chrono::NaiveDate;
use rules::Money;
use rules::oversight::Payment;

use crate::applications::Status;
use crate::sql::{Row, Sql, Statement, StoreError};

/// A payment to record.
#[derive(Debug, Clone)]
pub struct NewPayment<'a> {
    /// `PAY-<application id>`.
    pub id: &'a str,
    pub round_year: i32,
    pub application_id: &'a str,
    pub uscc: &'a str,
    pub amount: Money,
    pub paid_on: NaiveDate,
    pub bank_reference: &'a str,
    pub at: &'a str,
}

/// Which list an export shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// The newest version of the proposed list.
    Proposed,
    /// Its entries approved (PROC-APPROVE), paid or not yet.
    Approved,
    /// Its entries paid.
    Paid,
}

/// One line of an exported list: the list's line with the application's status and, once
/// paid, the payment.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportLine {
    pub number: u32,
    pub application_id: String,
    pub uscc: String,
    pub enterprise_name: String,
    pub rights_zh: String,
    pub ceiling: Money,
    /// The amount of this list: as proposed, or (approved and paid lists) as the
    /// government approved it (PROC-APPROVE).
    pub granted: Money,
    pub status: Status,
    pub paid_on: Option<NaiveDate>,
    pub bank_reference: Option<String>,
}

pub const INSERT: Statement = Statement::new(
    "payments.insert",
    "INSERT INTO payments (id, round_year, application_id, uscc, amount_cny, paid_on, \
     bank_reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
);
pub const ALL: Statement = Statement::new(
    "payments.all",
    "SELECT p.round_year, p.application_id, p.uscc, a.enterprise_name, p.paid_on, p.amount_cny \
     FROM payments p JOIN applications a ON a.id = p.application_id ORDER BY p.paid_on, p.id",
);
pub const EXPORT: Statement = Statement::new(
    "payments.export",
    "SELECT l.number, l.application_id, l.uscc, l.enterprise_name, l.rights_zh, l.ceiling_cny, \
     l.granted_cny, g.amount_cny AS approved_cny, a.status, p.paid_on, p.bank_reference \
     FROM allocation_lines l \
     JOIN applications a ON a.id = l.application_id \
     LEFT JOIN approval_lines g ON g.round_year = l.round_year \
       AND g.application_id = l.application_id \
     LEFT JOIN payments p ON p.application_id = l.application_id \
     WHERE l.round_year = ? AND l.version = ? AND l.granted_cny != '0.00' ORDER BY l.number",
);

/// Records a payment.
pub async fn add(db: &impl Sql, p: &NewPayment<'_>) -> Result<(), StoreError> {
    db.execute(
        &INSERT,
        vec![
            p.id.into(),
            p.round_year.into(),
            p.application_id.into(),
            p.uscc.into(),
            p.amount.into(),
            p.paid_on.to_string().into(),
            p.bank_reference.into(),
            p.at.into(),
        ],
    )
    .await?;
    Ok(())
}

/// DISCLOSE: every payment made, in the order paid.
pub async fn all(db: &impl Sql) -> Result<Vec<Payment>, StoreError> {
    db.query(&ALL, vec![]).await?.read(|r| {
        Ok(Payment {
            year: r.int_as("round_year")?,
            application_id: r.text("application_id")?.to_owned(),
            enterprise_code: r.text("uscc")?.to_owned(),
            enterprise_name: r.text("enterprise_name")?.to_owned(),
            paid_on: r.parse("paid_on")?,
            amount: r.money("amount_cny")?,
        })
    })
}

fn export_line(r: &Row<'_>) -> Result<(ExportLine, Option<Money>), StoreError> {
    let status: Status = r.named("status")?;
    let approved = r.opt_money("approved_cny")?;
    Ok((
        ExportLine {
            number: r.int_as("number")?,
            application_id: r.text("application_id")?.to_owned(),
            uscc: r.text("uscc")?.to_owned(),
            enterprise_name: r.text("enterprise_name")?.to_owned(),
            rights_zh: r.text("rights_zh")?.to_owned(),
            ceiling: r.money("ceiling_cny")?,
            granted: r.money("granted_cny")?,
            status,
            paid_on: r.opt_parse("paid_on")?,
            bank_reference: r.opt_text("bank_reference")?.map(str::to_owned),
        },
        approved,
    ))
}

/// The lines of version `version` of the round's list granted something, as `kind` shows
/// them, by 序号.
pub async fn export(
    db: &impl Sql,
    year: i32,
    version: i64,
    kind: ListKind,
) -> Result<Vec<ExportLine>, StoreError> {
    let lines = db
        .query(&EXPORT, vec![year.into(), version.into()])
        .await?
        .read(export_line)?;
    Ok(lines
        .into_iter()
        .filter(|(l, _)| match kind {
            ListKind::Proposed => true,
            ListKind::Approved => matches!(l.status, Status::Approved | Status::Paid),
            ListKind::Paid => l.status == Status::Paid,
        })
        .map(|(mut l, approved)| {
            if kind != ListKind::Proposed
                && let Some(a) = approved
            {
                l.granted = a;
            }
            l
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocations::{Line, Reason, Version, add_line, add_version};
    use crate::native::block_on;
    use crate::testing::with_applications;

    fn seeded() -> rusqlite::Connection {
        let db = with_applications(2);
        // Any allocation will do: the lines carry what the lists show.
        let allocation = rules::allocate(
            &rules::AllocationRequest {
                year: 2026,
                budget: Money::yuan(200_000),
                applications: vec![],
                history: Default::default(),
            },
            &rules::Parameters::default(),
        )
        .unwrap();
        block_on(async {
            let v = Version {
                number: 1,
                input_hash: "h".into(),
                allocation,
            };
            add_version(&db, 2026, &v, Reason::Allocation, "t")
                .await
                .unwrap();
            for (i, granted) in [(1u32, 90_000u64), (2, 0)] {
                let line = Line {
                    application_id: format!("MTG-2026-{i:05}"),
                    number: i,
                    uscc: format!("91110109MA{i:08}"),
                    enterprise_name: "北京测试企业有限公司".into(),
                    rights_zh: "发明专利".into(),
                    rights_en: "invention patent".into(),
                    ceiling: Money::yuan(100_000),
                    granted: Money::yuan(granted),
                };
                add_line(&db, 2026, 1, &line).await.unwrap();
            }
            crate::applications::set_status(&db, "MTG-2026-00001", Status::Approved, "t")
                .await
                .unwrap();
        });
        db
    }

    /// DISCLOSE, PROC-APPROVE: a payment is recorded once, disclosed, and the exports
    /// show each list as it stands.
    #[test]
    fn a_payment_is_recorded_once_and_shown_in_the_lists() {
        let db = seeded();
        let paid_on = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let p = NewPayment {
            id: "PAY-MTG-2026-00001",
            round_year: 2026,
            application_id: "MTG-2026-00001",
            uscc: "91110109MA00000001",
            amount: Money::yuan(90_000),
            paid_on,
            bank_reference: "BJB-1",
            at: "t",
        };
        block_on(async {
            assert_eq!(
                export(&db, 2026, 1, ListKind::Proposed)
                    .await
                    .unwrap()
                    .len(),
                1,
                "granted 0.00 is left out"
            );
            assert_eq!(
                export(&db, 2026, 1, ListKind::Approved)
                    .await
                    .unwrap()
                    .len(),
                1
            );
            assert!(
                export(&db, 2026, 1, ListKind::Paid)
                    .await
                    .unwrap()
                    .is_empty()
            );
            add(&db, &p).await.unwrap();
            assert!(matches!(
                add(&db, &p).await,
                Err(StoreError::Duplicate { .. })
            ));
            crate::applications::set_status(&db, "MTG-2026-00001", Status::Paid, "t")
                .await
                .unwrap();
            let paid = export(&db, 2026, 1, ListKind::Paid).await.unwrap();
            assert_eq!(paid[0].paid_on, Some(paid_on));
            assert_eq!(paid[0].bank_reference.as_deref(), Some("BJB-1"));
            let all = all(&db).await.unwrap();
            assert_eq!(all.len(), 1);
            assert_eq!(all[0].amount, Money::yuan(90_000));
        });
        db.execute_batch("UPDATE payments SET paid_on = 'July'")
            .unwrap();
        assert!(matches!(
            block_on(all(&db)),
            Err(StoreError::Unreadable { column, .. }) if column == "paid_on"
        ));
    }
}
