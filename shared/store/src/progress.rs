//! An application's way through the round, as its enterprise follows it (issue 16): the
//! proposed list it was published on (the notice, its period, the amount proposed and the
//! amount now), what the notice later said of its entry (re-review conclusions,
//! corrections), objections still open against it, the district government's decision on
//! its line and the payment. Small rows read from the aggregates that own them (notices,
//! allocations, objections, approvals, payments); written by none of them here.

use rules::Money;
use rules::approval::LineDecision;
use serde::Serialize;

use crate::applications::Status;
use crate::sql::{Row, Sql, Statement, StoreError};

/// Everything after the review, as far as it has gone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// When it was withdrawn (by the enterprise, or voided by the office); `withdrawn` only.
    pub withdrawn_at: Option<String>,
    /// The proposed list it was published on (PROC-NOTICE).
    pub listed: Option<Listed>,
    /// What the notices later said of its entries (PROC-OBJECT re-reviews, corrections).
    pub updates: Vec<EntryUpdate>,
    /// Objections against its entry with no re-review conclusion yet.
    pub objections_open: i64,
    /// The district government's decision on its line (PROC-APPROVE).
    pub approval: Option<Approval>,
    pub payment: Option<Paid>,
}

/// Its entry on the proposed list as published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listed {
    pub notice_id: String,
    /// 序号 on the notice.
    pub entry: u32,
    pub published_at: String,
    /// The exclusive end of the notice period (objections are taken before it).
    pub period_ends_at: String,
    /// The amount published.
    pub amount: Money,
    /// The amount of the newest version of the list (after re-reviews); 0 when removed.
    pub amount_now: Money,
}

/// An update a notice published about its entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryUpdate {
    pub notice_id: String,
    pub at: String,
    pub kind: publish::UpdateKind,
    pub new_amount: Option<Money>,
    pub text_zh: String,
    pub text_en: String,
}

/// The government's decision on its line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Approval {
    /// The meeting's date.
    pub approved_on: String,
    pub reference: String,
    pub decision: LineDecision,
    /// What it approved: what is paid (0 when rejected).
    pub amount: Money,
    pub note: String,
}

/// The payment (DISCLOSE).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paid {
    pub amount: Money,
    pub paid_on: String,
    /// The payments notice that disclosed it, once published.
    pub notice_id: Option<String>,
}

pub const WITHDRAWN_AT: Statement = Statement::new(
    "progress.withdrawn_at",
    "SELECT updated_at FROM applications WHERE id = ? AND status = 'withdrawn'",
);
pub const LISTED: Statement = Statement::new(
    "progress.listed",
    "SELECT n.id AS notice_id, e.number, n.published_at, n.period_ends_at, l.granted_cny, \
     (SELECT c.granted_cny FROM allocation_lines c WHERE c.round_year = n.round_year \
      AND c.application_id = e.application_id ORDER BY c.version DESC LIMIT 1) AS now_cny \
     FROM notice_entries e JOIN notices n ON n.id = e.notice_id \
     JOIN allocation_lines l ON l.round_year = n.round_year AND l.version = n.allocation_version \
      AND l.application_id = e.application_id \
     WHERE e.application_id = ? AND n.kind = 'proposed_list'",
);
pub const UPDATES: Statement = Statement::new(
    "progress.updates",
    "SELECT u.notice_id, u.at, u.kind, u.new_amount_cny, u.text_zh, u.text_en \
     FROM notice_updates u JOIN notice_entries e ON e.notice_id = u.notice_id \
      AND e.number = u.entry \
     WHERE e.application_id = ? ORDER BY u.at, u.notice_id, u.seq",
);
pub const OPEN_OBJECTIONS: Statement = Statement::new(
    "progress.open_objections",
    "SELECT count(*) AS n FROM objections WHERE application_id = ? AND status = 'received'",
);
pub const APPROVAL: Statement = Statement::new(
    "progress.approval",
    "SELECT r.approved_on, r.approval_reference, g.decision, g.amount_cny, g.note \
     FROM rounds r LEFT JOIN approval_lines g ON g.round_year = r.year \
      AND g.application_id = ? \
     WHERE r.year = ? AND r.approved_on IS NOT NULL",
);
pub const PAID: Statement = Statement::new(
    "progress.paid",
    "SELECT p.amount_cny, p.paid_on, \
     (SELECT e.notice_id FROM notice_entries e WHERE e.payment_id = p.id LIMIT 1) AS notice_id \
     FROM payments p WHERE p.application_id = ?",
);

fn owned(r: &Row<'_>, column: &str) -> Result<String, StoreError> {
    Ok(r.text(column)?.to_owned())
}

/// How far application `id` of the round of `year`, now at `status`, has gone.
pub async fn of(
    db: &impl Sql,
    id: &str,
    year: i32,
    status: Status,
) -> Result<Progress, StoreError> {
    let withdrawn_at = match status {
        Status::Withdrawn => db
            .query(&WITHDRAWN_AT, vec![id.into()])
            .await?
            .first()
            .map(|r| owned(&r, "updated_at"))
            .transpose()?,
        _ => None,
    };
    let listed = db
        .query(&LISTED, vec![id.into()])
        .await?
        .first()
        .map(|r| {
            Ok::<_, StoreError>(Listed {
                notice_id: owned(&r, "notice_id")?,
                entry: r.int_as("number")?,
                published_at: owned(&r, "published_at")?,
                period_ends_at: owned(&r, "period_ends_at")?,
                amount: r.money("granted_cny")?,
                amount_now: r.money("now_cny")?,
            })
        })
        .transpose()?;
    let updates = db.query(&UPDATES, vec![id.into()]).await?.read(|r| {
        Ok(EntryUpdate {
            notice_id: owned(r, "notice_id")?,
            at: owned(r, "at")?,
            kind: r.named("kind")?,
            new_amount: r.opt_money("new_amount_cny")?,
            text_zh: owned(r, "text_zh")?,
            text_en: owned(r, "text_en")?,
        })
    })?;
    let objections_open = db
        .query(&OPEN_OBJECTIONS, vec![id.into()])
        .await?
        .first()
        .map(|r| r.int("n"))
        .transpose()?
        .unwrap_or_default();
    let approval = db
        .query(&APPROVAL, vec![id.into(), year.into()])
        .await?
        .first()
        .map(|r| {
            let line = match r.opt_text("decision")? {
                Some(_) => Some((
                    r.named("decision")?,
                    r.money("amount_cny")?,
                    owned(&r, "note")?,
                )),
                // A round approved as a whole (before lines were recorded): its listed
                // applications were approved as listed.
                None => match (&listed, status) {
                    (Some(l), Status::Approved | Status::Paid) => {
                        Some((LineDecision::Approved, l.amount_now, String::new()))
                    }
                    _ => None,
                },
            };
            let approved_on = owned(&r, "approved_on")?;
            let reference = owned(&r, "approval_reference")?;
            Ok::<_, StoreError>(line.map(|(decision, amount, note)| Approval {
                approved_on,
                reference,
                decision,
                amount,
                note,
            }))
        })
        .transpose()?
        .flatten();
    let payment = db
        .query(&PAID, vec![id.into()])
        .await?
        .first()
        .map(|r| {
            Ok::<_, StoreError>(Paid {
                amount: r.money("amount_cny")?,
                paid_on: owned(&r, "paid_on")?,
                notice_id: r.opt_text("notice_id")?.map(str::to_owned),
            })
        })
        .transpose()?;
    Ok(Progress {
        withdrawn_at,
        listed,
        updates,
        objections_open,
        approval,
        payment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::block_on;
    use crate::testing::with_applications;

    const ONE: &str = "MTG-2026-00001";
    const TWO: &str = "MTG-2026-00002";

    /// The 2026 list (version 1: both lines; version 2 after a re-review: the first at
    /// 80,000) on notice, an update about the first entry and an objection still open
    /// against the second.
    fn on_notice() -> rusqlite::Connection {
        let db = with_applications(3);
        db.execute_batch(
            "INSERT INTO allocations VALUES (2026, 1, 't', 'allocation', 'h1', '{}');
             INSERT INTO allocations VALUES (2026, 2, 't', 're_review', 'h2', '{}');
             INSERT INTO allocation_lines VALUES
               (2026, 1, 'MTG-2026-00001', 1, '91110109MA00000001', 'A', '发明专利', 'invention patent', '100000.00', '100000.00'),
               (2026, 1, 'MTG-2026-00002', 2, '91110109MA00000002', 'B', '发明专利', 'invention patent', '90000.00', '90000.00'),
               (2026, 2, 'MTG-2026-00001', 1, '91110109MA00000001', 'A', '发明专利', 'invention patent', '100000.00', '80000.00'),
               (2026, 2, 'MTG-2026-00002', 2, '91110109MA00000002', 'B', '发明专利', 'invention patent', '90000.00', '90000.00');
             INSERT INTO notices VALUES ('2026-proposed', 2026, 'proposed_list', 1,
               '2026-09-18T10:00:00+08:00', '2026-09-25T00:00:00+08:00', '{}', 'officer');
             INSERT INTO notice_entries VALUES ('2026-proposed', 1, 'MTG-2026-00001', '91110109MA00000001', NULL),
               ('2026-proposed', 2, 'MTG-2026-00002', '91110109MA00000002', NULL);
             INSERT INTO notice_updates VALUES ('2026-proposed', 1, '2026-09-28T10:00:00+08:00',
               're_review_partly_upheld', 1, '80000.00', '经重审调整为80,000.00元', 'Re-reviewed: 80,000.00', 'YY-2026-000001');
             INSERT INTO objections (id, seq, notice_id, entry, application_id, filed_at, token_hash,
               grounds, dedup_hash) VALUES ('YY-2026-000002', 2, '2026-proposed', 2, 'MTG-2026-00002',
               '2026-09-19T10:00:00+08:00', 'h', '理由理由理由理由理由', 'd');",
        )
        .unwrap();
        db
    }

    /// Issue 16: the enterprise sees the list it is on, the amount published and the
    /// amount after the re-review, the notice's update and an open objection.
    #[test]
    fn an_entry_on_notice_shows_its_amounts_updates_and_open_objections() {
        let db = on_notice();
        block_on(async {
            let p = of(&db, ONE, 2026, Status::Proposed).await.unwrap();
            let listed = p.listed.clone().expect("on the list");
            assert_eq!(
                (listed.notice_id.as_str(), listed.entry),
                ("2026-proposed", 1)
            );
            assert_eq!(listed.amount, Money::yuan(100_000));
            assert_eq!(listed.amount_now, Money::yuan(80_000));
            assert_eq!(listed.period_ends_at, "2026-09-25T00:00:00+08:00");
            assert_eq!(p.updates.len(), 1);
            assert_eq!(p.updates[0].kind, publish::UpdateKind::ReReviewPartlyUpheld);
            assert_eq!(p.updates[0].new_amount, Some(Money::yuan(80_000)));
            assert_eq!(p.objections_open, 0);
            assert_eq!((p.approval, p.payment, p.withdrawn_at), (None, None, None));
            let two = of(&db, TWO, 2026, Status::Proposed).await.unwrap();
            assert_eq!(two.objections_open, 1);
            assert!(
                two.updates.is_empty(),
                "the first entry's update is not its"
            );
            // Not on the list: nothing after the review.
            let three = of(&db, "MTG-2026-00003", 2026, Status::Refused)
                .await
                .unwrap();
            assert_eq!(three.listed, None);
        });
    }

    /// PROC-APPROVE, DISCLOSE: the government's decision on each line (reduced, rejected)
    /// with the meeting's date and reference, then the payment and its notice.
    #[test]
    fn the_governments_decision_and_the_payment_follow_the_list() {
        let db = on_notice();
        db.execute_batch(
            "UPDATE rounds SET approved_on = '2026-10-12', approval_reference = '门政会〔2026〕12号';
             INSERT INTO approval_lines VALUES (2026, 'MTG-2026-00001', 'reduced', '60000.00', '核减'),
               (2026, 'MTG-2026-00002', 'rejected', '0.00', '');
             INSERT INTO payments VALUES ('PAY-MTG-2026-00001', 2026, 'MTG-2026-00001',
               '91110109MA00000001', '60000.00', '2026-10-20', 'BANK-1', 't');
             INSERT INTO notices VALUES ('2026-payments-1', 2026, 'payments', NULL,
               '2026-10-21T10:00:00+08:00', NULL, '{}', 'officer');
             INSERT INTO notice_entries VALUES ('2026-payments-1', 1, 'MTG-2026-00001',
               '91110109MA00000001', 'PAY-MTG-2026-00001');",
        )
        .unwrap();
        block_on(async {
            let p = of(&db, ONE, 2026, Status::Paid).await.unwrap();
            let a = p.approval.expect("approved");
            assert_eq!(a.decision, LineDecision::Reduced);
            assert_eq!(a.amount, Money::yuan(60_000));
            assert_eq!(
                (
                    a.approved_on.as_str(),
                    a.reference.as_str(),
                    a.note.as_str()
                ),
                ("2026-10-12", "门政会〔2026〕12号", "核减")
            );
            let paid = p.payment.expect("paid");
            assert_eq!(paid.amount, Money::yuan(60_000));
            assert_eq!(paid.paid_on, "2026-10-20");
            assert_eq!(paid.notice_id.as_deref(), Some("2026-payments-1"));
            let two = of(&db, TWO, 2026, Status::Removed).await.unwrap();
            assert_eq!(
                two.approval.expect("ruled").decision,
                LineDecision::Rejected
            );
            assert_eq!(two.payment, None);
            // An application never listed has no decision of the government.
            let three = of(&db, "MTG-2026-00003", 2026, Status::Refused)
                .await
                .unwrap();
            assert_eq!(three.approval, None);
        });
    }

    /// A round approved as a whole (no line recorded): a listed, approved application was
    /// approved as listed, at the list's newest amount.
    #[test]
    fn a_round_approved_as_a_whole_approves_its_lines_as_listed() {
        let db = on_notice();
        db.execute_batch("UPDATE rounds SET approved_on = '2026-10-12', approval_reference = 'R'")
            .unwrap();
        block_on(async {
            let a = of(&db, ONE, 2026, Status::Approved)
                .await
                .unwrap()
                .approval
                .expect("approved");
            assert_eq!(
                (a.decision, a.amount),
                (LineDecision::Approved, Money::yuan(80_000))
            );
            let removed = of(&db, TWO, 2026, Status::Removed).await.unwrap();
            assert_eq!(removed.approval, None);
        });
    }

    /// A withdrawn application says when.
    #[test]
    fn a_withdrawal_is_dated() {
        let db = with_applications(1);
        db.execute_batch("UPDATE applications SET status = 'submitted'")
            .unwrap();
        block_on(async {
            assert!(
                crate::applications::withdraw(&db, ONE, "2026-04-20T09:00:00+08:00")
                    .await
                    .unwrap()
            );
            let p = of(&db, ONE, 2026, Status::Withdrawn).await.unwrap();
            assert_eq!(p.withdrawn_at.as_deref(), Some("2026-04-20T09:00:00+08:00"));
            assert_eq!(p.listed, None);
        });
    }
}
