//! Published notices (PROC-NOTICE, DISCLOSE): a notice is stored once, as published
//! (`publish::Notice`), and never edited or deleted (triggers in the schema refuse it);
//! anything said later is an update appended to it (PROC-OBJECT re-review conclusions,
//! corrections), numbered 1, 2, … per notice. Beside the public text, each entry keeps
//! privately whose application it is (and, for payments, which payment). Written by
//! notices (publication, corrections) and objections (re-review conclusions); read by
//! notices, objections and calculation (the notice period before PROC-APPROVE).

use chrono::{DateTime, FixedOffset};
use publish::{Notice, NoticeKind, NoticeUpdate, UpdateKind};
use rules::Money;
use rules::calendar::NoticePeriod;

use crate::sql::{Row, Sql, Statement, StoreError, Value};

/// Whose an entry of a notice is: what the public text leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateEntry {
    /// 序号 on the notice.
    pub number: u32,
    pub application_id: String,
    pub uscc: String,
    /// DISCLOSE: the payment an entry of a payments notice discloses.
    pub payment_id: Option<String>,
}

/// A payment not disclosed yet, with what its notice entry shows (DISCLOSE).
#[derive(Debug, Clone, PartialEq)]
pub struct UndisclosedPayment {
    pub payment_id: String,
    pub application_id: String,
    pub uscc: String,
    pub amount: Money,
    pub enterprise_name: String,
    /// From the newest version of the list the application was on ('' if none).
    pub rights_zh: String,
    pub rights_en: String,
}

pub const ALL: Statement = Statement::new(
    "notices.all",
    "SELECT notice_json FROM notices ORDER BY published_at DESC, id",
);
pub const BY_ID: Statement = Statement::new(
    "notices.by_id",
    "SELECT notice_json FROM notices WHERE id = ?",
);
pub const ALL_UPDATES: Statement = Statement::new(
    "notices.all_updates",
    "SELECT notice_id, seq, at, kind, entry, new_amount_cny, text_zh, text_en \
     FROM notice_updates ORDER BY notice_id, seq",
);
pub const UPDATES_OF: Statement = Statement::new(
    "notices.updates_of",
    "SELECT notice_id, seq, at, kind, entry, new_amount_cny, text_zh, text_en \
     FROM notice_updates WHERE notice_id = ? ORDER BY seq",
);
pub const INSERT: Statement = Statement::new(
    "notices.insert",
    "INSERT INTO notices (id, round_year, kind, allocation_version, published_at, \
     period_ends_at, notice_json, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
);
pub const INSERT_ENTRY: Statement = Statement::new(
    "notices.insert_entry",
    "INSERT INTO notice_entries (notice_id, number, application_id, uscc, payment_id) \
     VALUES (?, ?, ?, ?, ?)",
);
pub const ENTRY: Statement = Statement::new(
    "notices.entry",
    "SELECT number, application_id, uscc, payment_id FROM notice_entries \
     WHERE notice_id = ? AND number = ?",
);
pub const COUNT_OF_KIND: Statement = Statement::new(
    "notices.count_of_kind",
    "SELECT count(*) AS n FROM notices WHERE round_year = ? AND kind = ?",
);
pub const PROPOSED_LIST_PERIOD: Statement = Statement::new(
    "notices.proposed_list_period",
    "SELECT notice_json FROM notices WHERE round_year = ? AND kind = 'proposed_list'",
);
pub const NEXT_UPDATE: Statement = Statement::new(
    "notices.next_update",
    "SELECT coalesce(max(seq), 0) + 1 AS next FROM notice_updates WHERE notice_id = ?",
);
pub const INSERT_UPDATE: Statement = Statement::new(
    "notices.insert_update",
    "INSERT INTO notice_updates (notice_id, seq, at, kind, entry, new_amount_cny, \
     text_zh, text_en, objection_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
);
pub const UNDISCLOSED_PAYMENTS: Statement = Statement::new(
    "notices.undisclosed_payments",
    "SELECT p.id AS payment_id, p.application_id, p.uscc, p.amount_cny, a.enterprise_name, \
     coalesce((SELECT l.rights_zh FROM allocation_lines l WHERE l.application_id = p.application_id \
               ORDER BY l.version DESC LIMIT 1), '') AS rights_zh, \
     coalesce((SELECT l.rights_en FROM allocation_lines l WHERE l.application_id = p.application_id \
               ORDER BY l.version DESC LIMIT 1), '') AS rights_en \
     FROM payments p JOIN applications a ON a.id = p.application_id \
     WHERE p.round_year = ? AND p.id NOT IN \
       (SELECT payment_id FROM notice_entries WHERE payment_id IS NOT NULL) \
     ORDER BY p.paid_on, p.id",
);

/// The stored name of a notice's kind.
pub fn kind_name(kind: NoticeKind) -> &'static str {
    crate::names::name(&kind)
}

/// The stored name of an update's kind (the CHECK of `notice_updates.kind`).
pub fn update_kind_name(kind: UpdateKind) -> &'static str {
    crate::names::name(&kind)
}

fn time(row: &Row<'_>, column: &str) -> Result<DateTime<FixedOffset>, StoreError> {
    let text = row.text(column)?;
    DateTime::parse_from_rfc3339(text).map_err(|e| row.unreadable(column, format!("{text:?}: {e}")))
}

fn update(row: &Row<'_>) -> Result<(String, NoticeUpdate), StoreError> {
    let kind: UpdateKind = row.named("kind")?;
    let entry = row
        .opt_int("entry")?
        .map(|e| u32::try_from(e).map_err(|_| row.unreadable("entry", format!("{e} is no 序号"))))
        .transpose()?;
    Ok((
        row.text("notice_id")?.to_owned(),
        NoticeUpdate {
            seq: row.int_as("seq")?,
            at: time(row, "at")?,
            kind,
            entry,
            new_amount: row.opt_money("new_amount_cny")?,
            text_zh: row.text("text_zh")?.to_owned(),
            text_en: row.text("text_en")?.to_owned(),
        },
    ))
}

fn attach(notices: &mut [Notice], updates: Vec<(String, NoticeUpdate)>) {
    for (id, u) in updates {
        if let Some(n) = notices.iter_mut().find(|n| n.id == id) {
            n.updates.push(u);
        }
    }
}

/// Every published notice with its updates, newest first.
pub async fn all(db: &impl Sql) -> Result<Vec<Notice>, StoreError> {
    let mut notices = db
        .query(&ALL, vec![])
        .await?
        .read(|r| r.json("notice_json"))?;
    let updates = db.query(&ALL_UPDATES, vec![]).await?.read(update)?;
    attach(&mut notices, updates);
    Ok(notices)
}

/// The notice `id` with its updates, if published.
pub async fn find(db: &impl Sql, id: &str) -> Result<Option<Notice>, StoreError> {
    let Some(mut notice) = find_as_published(db, id).await? else {
        return Ok(None);
    };
    let updates = db.query(&UPDATES_OF, vec![id.into()]).await?.read(update)?;
    attach(std::slice::from_mut(&mut notice), updates);
    Ok(Some(notice))
}

/// The notice as published, without the updates appended since: its kind, period and
/// entries as they first stood (what an objection is checked against).
pub async fn find_as_published(db: &impl Sql, id: &str) -> Result<Option<Notice>, StoreError> {
    let rows = db.query(&BY_ID, vec![id.into()]).await?;
    rows.first()
        .map(|r| r.json::<Notice>("notice_json"))
        .transpose()
}

/// Publishes `notice` (its updates are appended later, never stored with it). A proposed
/// list names the version of the list it publishes and the exclusive end of its period.
pub async fn add(
    db: &impl Sql,
    notice: &Notice,
    allocation_version: Option<i64>,
    period_ends_at: Option<&str>,
    created_by: &str,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(notice).map_err(|e| StoreError::Failed {
        statement: INSERT.name,
        message: format!("the notice does not serialise: {e}"),
    })?;
    db.execute(
        &INSERT,
        vec![
            notice.id.as_str().into(),
            notice.round_year.into(),
            kind_name(notice.kind).into(),
            allocation_version.into(),
            crate::moment(notice.published_at).into(),
            period_ends_at.into(),
            json.into(),
            created_by.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Records whose entry `entry.number` of `notice_id` is.
pub async fn add_entry(
    db: &impl Sql,
    notice_id: &str,
    entry: &PrivateEntry,
) -> Result<(), StoreError> {
    db.execute(
        &INSERT_ENTRY,
        vec![
            notice_id.into(),
            entry.number.into(),
            entry.application_id.as_str().into(),
            entry.uscc.as_str().into(),
            entry.payment_id.as_deref().into(),
        ],
    )
    .await?;
    Ok(())
}

/// Whose entry `number` of `notice_id` is, if the notice has it.
pub async fn entry(
    db: &impl Sql,
    notice_id: &str,
    number: u32,
) -> Result<Option<PrivateEntry>, StoreError> {
    let rows = db
        .query(&ENTRY, vec![notice_id.into(), number.into()])
        .await?;
    rows.first()
        .map(|r| {
            Ok(PrivateEntry {
                number: r.int_as("number")?,
                application_id: r.text("application_id")?.to_owned(),
                uscc: r.text("uscc")?.to_owned(),
                payment_id: r.opt_text("payment_id")?.map(str::to_owned),
            })
        })
        .transpose()
}

/// How many notices of `kind` the round of `year` has.
pub async fn count_of_kind(db: &impl Sql, year: i32, kind: NoticeKind) -> Result<i64, StoreError> {
    let rows = db
        .query(&COUNT_OF_KIND, vec![year.into(), kind_name(kind).into()])
        .await?;
    Ok(rows.first().map(|r| r.int("n")).transpose()?.unwrap_or(0))
}

/// PROC-NOTICE: the notice period of the round's proposed list as it was published (the
/// period the public was told), once published. A proposed list without its period is
/// unreadable.
pub async fn proposed_list_period(
    db: &impl Sql,
    year: i32,
) -> Result<Option<NoticePeriod>, StoreError> {
    /// Only the period of the stored notice.
    #[derive(serde::Deserialize)]
    struct Published {
        period: Option<NoticePeriod>,
    }
    let rows = db.query(&PROPOSED_LIST_PERIOD, vec![year.into()]).await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let published: Published = row.json("notice_json")?;
    published
        .period
        .map(Some)
        .ok_or_else(|| row.unreadable("notice_json", "a proposed list without its period"))
}

/// Appends `update` to the notice `notice_id` under the next number, which it answers
/// (`update.seq` is ignored). The caller holds a write transaction, so the number cannot
/// be taken twice.
pub async fn append_update(
    db: &impl Sql,
    notice_id: &str,
    update: &NoticeUpdate,
    objection_id: Option<&str>,
) -> Result<u32, StoreError> {
    let rows = db.query(&NEXT_UPDATE, vec![notice_id.into()]).await?;
    let next: u32 = match rows.first() {
        Some(r) => r.int_as("next")?,
        None => 1,
    };
    db.execute(
        &INSERT_UPDATE,
        vec![
            notice_id.into(),
            next.into(),
            crate::moment(update.at).into(),
            update_kind_name(update.kind).into(),
            update.entry.into(),
            update.new_amount.into(),
            update.text_zh.as_str().into(),
            update.text_en.as_str().into(),
            Value::from(objection_id),
        ],
    )
    .await?;
    Ok(next)
}

/// DISCLOSE: the round's payments not yet on a payments notice, in the order paid.
pub async fn undisclosed_payments(
    db: &impl Sql,
    year: i32,
) -> Result<Vec<UndisclosedPayment>, StoreError> {
    db.query(&UNDISCLOSED_PAYMENTS, vec![year.into()])
        .await?
        .read(|r| {
            Ok(UndisclosedPayment {
                payment_id: r.text("payment_id")?.to_owned(),
                application_id: r.text("application_id")?.to_owned(),
                uscc: r.text("uscc")?.to_owned(),
                amount: r.money("amount_cny")?,
                enterprise_name: r.text("enterprise_name")?.to_owned(),
                rights_zh: r.text("rights_zh")?.to_owned(),
                rights_en: r.text("rights_en")?.to_owned(),
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::block_on;
    use crate::testing::with_applications;
    use publish::{Contact, NoticeEntry};

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn payments_notice() -> Notice {
        Notice {
            id: "2026-payments-1".into(),
            round_year: 2026,
            kind: NoticeKind::Payments,
            title_zh: "拨付情况（第1批）".into(),
            title_en: "Payments (batch 1)".into(),
            published_at: at("2026-07-01T10:00:00+08:00"),
            period: None,
            entries: vec![NoticeEntry {
                number: 1,
                enterprise_name: "北京测试企业有限公司".into(),
                rights_zh: "发明专利".into(),
                rights_en: "invention patent".into(),
                amount: Money::yuan(90_000),
            }],
            updates: Vec::new(),
            contact: Contact::default(),
        }
    }

    fn correction(text: &str) -> NoticeUpdate {
        NoticeUpdate {
            seq: 0,
            at: at("2026-07-02T09:30:00+08:00"),
            kind: UpdateKind::Correction,
            entry: Some(1),
            new_amount: Some(Money::yuan(80_000)),
            text_zh: text.into(),
            text_en: "corrected".into(),
        }
    }

    /// PROC-NOTICE, DISCLOSE: a notice is read back as published, with its updates
    /// numbered in order; whose each entry is stays beside it.
    #[test]
    fn a_notice_is_published_updated_and_read_back() {
        let db = with_applications(1);
        let n = payments_notice();
        block_on(async {
            add(&db, &n, None, None, "officer:ab12").await.unwrap();
            let private = PrivateEntry {
                number: 1,
                application_id: "MTG-2026-00001".into(),
                uscc: "91110109MA00000001".into(),
                payment_id: None,
            };
            add_entry(&db, &n.id, &private).await.unwrap();
            assert_eq!(entry(&db, &n.id, 1).await.unwrap(), Some(private));
            assert_eq!(entry(&db, &n.id, 2).await.unwrap(), None);
            assert_eq!(find(&db, &n.id).await.unwrap(), Some(n.clone()));
            assert_eq!(
                append_update(&db, &n.id, &correction("一"), None)
                    .await
                    .unwrap(),
                1
            );
            assert_eq!(
                append_update(&db, &n.id, &correction("二"), None)
                    .await
                    .unwrap(),
                2
            );
            let read = find(&db, &n.id).await.unwrap().unwrap();
            assert_eq!(
                read.updates
                    .iter()
                    .map(|u| (u.seq, u.text_zh.as_str()))
                    .collect::<Vec<_>>(),
                [(1, "一"), (2, "二")]
            );
            assert_eq!(read.updates[0].new_amount, Some(Money::yuan(80_000)));
            assert_eq!(all(&db).await.unwrap(), [read]);
            assert_eq!(
                count_of_kind(&db, 2026, NoticeKind::Payments)
                    .await
                    .unwrap(),
                1
            );
            assert_eq!(
                count_of_kind(&db, 2026, NoticeKind::ProposedList)
                    .await
                    .unwrap(),
                0
            );
            assert_eq!(proposed_list_period(&db, 2026).await.unwrap(), None);
        });
        assert!(
            db.execute_batch("UPDATE notices SET title_zh = 'x'")
                .is_err(),
            "never edited"
        );
        assert!(
            db.execute_batch("DELETE FROM notice_updates").is_err(),
            "never deleted"
        );
    }

    /// PROC-NOTICE: the proposed list's period is read back as published.
    #[test]
    fn the_proposed_lists_period_is_read_as_published() {
        let db = with_applications(1);
        let published = at("2026-05-06T10:00:00+08:00");
        let period = rules::procedure::notice_period(
            &rules::Calendar::official(),
            &rules::Parameters::default(),
            published,
        )
        .unwrap();
        let mut n = payments_notice();
        n.id = "2026-proposed".into();
        n.kind = NoticeKind::ProposedList;
        n.published_at = published;
        n.period = Some(period.clone());
        block_on(async {
            assert_eq!(proposed_list_period(&db, 2026).await.unwrap(), None);
            let ends = crate::moment(period.ends_at);
            add(&db, &n, Some(1), Some(&ends), "officer:ab12")
                .await
                .unwrap();
            assert_eq!(proposed_list_period(&db, 2026).await.unwrap(), Some(period));
            assert_eq!(proposed_list_period(&db, 2025).await.unwrap(), None);
        });
    }

    #[test]
    fn every_update_kind_is_one_the_schema_accepts() {
        let sql = crate::schema::MIGRATIONS
            .iter()
            .find(|m| m.id == "0003_notices")
            .unwrap()
            .sql;
        for k in [
            UpdateKind::ReReviewUpheld,
            UpdateKind::ReReviewPartlyUpheld,
            UpdateKind::ReReviewDismissed,
            UpdateKind::Correction,
        ] {
            assert!(sql.contains(&format!("'{}'", update_kind_name(k))), "{k:?}");
        }
    }

    #[test]
    fn a_damaged_update_is_unreadable() {
        for (sql, column) in [
            ("UPDATE notice_updates SET kind = 'rumour'", "kind"),
            ("UPDATE notice_updates SET at = 'later'", "at"),
            (
                "UPDATE notice_updates SET new_amount_cny = 'less'",
                "new_amount_cny",
            ),
        ] {
            let db = with_applications(1);
            let n = payments_notice();
            block_on(async {
                add(&db, &n, None, None, "officer").await.unwrap();
                append_update(&db, &n.id, &correction("一"), None)
                    .await
                    .unwrap();
            });
            // Updates are never edited: the damage has to get past the schema's guards.
            db.execute_batch(
                "PRAGMA ignore_check_constraints = ON; DROP TRIGGER notice_updates_no_update;",
            )
            .unwrap();
            db.execute_batch(sql).unwrap();
            match block_on(find(&db, &n.id)).unwrap_err() {
                StoreError::Unreadable { column: c, .. } => assert_eq!(c, column, "{sql}"),
                other => panic!("{sql}: {other:?}"),
            }
        }
    }
}
