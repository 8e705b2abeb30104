//! Objections to a proposed list during its notice period (PROC-OBJECT): the objection and
//! its re-review conclusion, who objected (private: officers only), the evidence files,
//! and the per-address hourly count that keeps a flood out. Written and read by the
//! objections component only; a conclusion's effect on the list goes through
//! `allocations`, `applications` and `notices`.

use rules::Money;

use crate::sql::{Row, Sql, Statement, StoreError, Value};

/// Where an objection stands; stored and shown by its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Received; under re-review.
    Received,
    /// The objection holds: the entry is removed.
    Upheld,
    /// It holds in part: the amount is lowered.
    PartlyUpheld,
    /// It does not hold: the entry stands.
    Dismissed,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Received,
        Status::Upheld,
        Status::PartlyUpheld,
        Status::Dismissed,
    ];

    /// The name stored and shown.
    pub fn name(self) -> &'static str {
        crate::names::name(&self)
    }
}

/// An objection as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectionRow {
    /// `YY-<year>-<seq>`.
    pub tracking_number: String,
    pub notice_id: String,
    /// 序号 of the entry objected to.
    pub entry: u32,
    pub application_id: String,
    pub filed_at: String,
    pub grounds: String,
    pub status: Status,
    /// Partly upheld: the amount after re-review.
    pub new_amount: Option<Money>,
    pub reasons_zh: Option<String>,
    pub reasons_en: Option<String>,
    pub concluded_at: Option<String>,
    /// The number of the notice update the conclusion produced.
    pub notice_update: Option<u32>,
    /// SHA-256 of the objector's private token (the token is never stored).
    pub token_hash: String,
}

/// Who objected (private).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objector {
    pub name: String,
    pub contact: String,
    pub relation: String,
}

/// An evidence file's description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// 1, 2, … in the order filed.
    pub number: u32,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

/// A new objection with its objector and evidence (`Evidence::number` is ignored: files
/// are numbered in order).
#[derive(Debug, Clone)]
pub struct NewObjection<'a> {
    pub round_year: i32,
    pub notice_id: &'a str,
    pub entry: u32,
    pub application_id: &'a str,
    pub filed_at: &'a str,
    pub token_hash: &'a str,
    pub grounds: &'a str,
    /// SHA-256 of notice, entry, contact and grounds, normalised: the same objection twice
    /// is [`StoreError::Duplicate`].
    pub dedup_hash: &'a str,
    pub objector: &'a Objector,
    pub evidence: &'a [(Evidence, Vec<u8>)],
}

/// A re-review conclusion, as stored.
#[derive(Debug, Clone)]
pub struct Conclusion<'a> {
    pub status: Status,
    pub new_amount: Option<Money>,
    pub reasons_zh: &'a str,
    pub reasons_en: &'a str,
    pub at: &'a str,
    pub notice_update: u32,
}

pub const BY_ID: Statement = Statement::new(
    "objections.by_id",
    "SELECT id, notice_id, entry, application_id, filed_at, grounds, status, new_amount_cny, \
     reasons_zh, reasons_en, concluded_at, notice_update, token_hash FROM objections WHERE id = ?",
);
pub const OF_NOTICE: Statement = Statement::new(
    "objections.of_notice",
    "SELECT id, notice_id, entry, application_id, filed_at, grounds, status, new_amount_cny, \
     reasons_zh, reasons_en, concluded_at, notice_update, token_hash FROM objections \
     WHERE notice_id = ? ORDER BY entry, seq",
);
pub const COUNT_BY_STATUS: Statement = Statement::new(
    "objections.count_by_status",
    "SELECT status, count(*) AS n FROM objections GROUP BY status ORDER BY status",
);
pub const OPEN_IN_ROUND: Statement = Statement::new(
    "objections.open_in_round",
    "SELECT o.id FROM objections o JOIN notices n ON n.id = o.notice_id \
     WHERE n.round_year = ? AND o.status = 'received' ORDER BY o.seq",
);
pub const LAST_CONCLUSION_IN_ROUND: Statement = Statement::new(
    "objections.last_conclusion_in_round",
    "SELECT max(o.concluded_at) AS at FROM objections o JOIN notices n ON n.id = o.notice_id \
     WHERE n.round_year = ? AND o.concluded_at IS NOT NULL",
);
pub const BY_DEDUP: Statement = Statement::new(
    "objections.by_dedup",
    "SELECT id FROM objections WHERE dedup_hash = ?",
);
pub const NEXT_SEQ: Statement = Statement::new(
    "objections.next_seq",
    "SELECT coalesce(max(seq), 0) + 1 AS next FROM objections",
);
pub const INSERT: Statement = Statement::new(
    "objections.insert",
    "INSERT INTO objections (id, seq, notice_id, entry, application_id, filed_at, \
     token_hash, grounds, dedup_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
);
pub const INSERT_OBJECTOR: Statement = Statement::new(
    "objections.insert_objector",
    "INSERT INTO objectors (objection_id, name, contact, relation) VALUES (?, ?, ?, ?)",
);
pub const OBJECTOR: Statement = Statement::new(
    "objections.objector",
    "SELECT name, contact, relation FROM objectors WHERE objection_id = ?",
);
pub const INSERT_EVIDENCE: Statement = Statement::new(
    "objections.insert_evidence",
    "INSERT INTO objection_evidence (objection_id, number, file_name, content_type, \
     size_bytes, sha256, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
);
pub const EVIDENCE_OF: Statement = Statement::new(
    "objections.evidence_of",
    "SELECT number, file_name, content_type, size_bytes, sha256 FROM objection_evidence \
     WHERE objection_id = ? ORDER BY number",
);
pub const EVIDENCE_DATA: Statement = Statement::new(
    "objections.evidence_data",
    "SELECT number, file_name, content_type, size_bytes, sha256, data FROM objection_evidence \
     WHERE objection_id = ? AND number = ?",
);
pub const CONCLUDE: Statement = Statement::new(
    "objections.conclude",
    "UPDATE objections SET status = ?, new_amount_cny = ?, reasons_zh = ?, reasons_en = ?, \
     concluded_at = ?, notice_update = ? WHERE id = ? AND status = 'received'",
);
fn objection(row: &Row<'_>) -> Result<ObjectionRow, StoreError> {
    let status: Status = row.named("status")?;
    let notice_update = row
        .opt_int("notice_update")?
        .map(|n| u32::try_from(n).map_err(|_| row.unreadable("notice_update", format!("{n}"))))
        .transpose()?;
    Ok(ObjectionRow {
        tracking_number: row.text("id")?.to_owned(),
        notice_id: row.text("notice_id")?.to_owned(),
        entry: row.int_as("entry")?,
        application_id: row.text("application_id")?.to_owned(),
        filed_at: row.text("filed_at")?.to_owned(),
        grounds: row.text("grounds")?.to_owned(),
        status,
        new_amount: row.opt_money("new_amount_cny")?,
        reasons_zh: row.opt_text("reasons_zh")?.map(str::to_owned),
        reasons_en: row.opt_text("reasons_en")?.map(str::to_owned),
        concluded_at: row.opt_text("concluded_at")?.map(str::to_owned),
        notice_update,
        token_hash: row.text("token_hash")?.to_owned(),
    })
}

fn evidence(row: &Row<'_>) -> Result<Evidence, StoreError> {
    Ok(Evidence {
        number: row.int_as("number")?,
        file_name: row.text("file_name")?.to_owned(),
        content_type: row.text("content_type")?.to_owned(),
        size_bytes: row.int("size_bytes")?,
        sha256: row.text("sha256")?.to_owned(),
    })
}

/// The objection `tracking_number`, if there is one.
pub async fn find(
    db: &impl Sql,
    tracking_number: &str,
) -> Result<Option<ObjectionRow>, StoreError> {
    let rows = db.query(&BY_ID, vec![tracking_number.into()]).await?;
    rows.first().map(|r| objection(&r)).transpose()
}

/// The objections to a notice, by entry and in the order filed.
pub async fn of_notice(db: &impl Sql, notice_id: &str) -> Result<Vec<ObjectionRow>, StoreError> {
    db.query(&OF_NOTICE, vec![notice_id.into()])
        .await?
        .read(objection)
}

/// PROC-OBJECT: the round's objections still without a re-review conclusion, by tracking
/// number, in the order filed.
pub async fn open_in_round(db: &impl Sql, year: i32) -> Result<Vec<String>, StoreError> {
    db.query(&OPEN_IN_ROUND, vec![year.into()])
        .await?
        .read(|r| Ok(r.text("id")?.to_owned()))
}

/// PROC-OBJECT: when the round's last re-review conclusion was given, if any (moments are
/// stored at +08:00, so the latest text is the latest moment).
pub async fn last_conclusion_in_round(
    db: &impl Sql,
    year: i32,
) -> Result<Option<chrono::DateTime<chrono::FixedOffset>>, StoreError> {
    let rows = db
        .query(&LAST_CONCLUSION_IN_ROUND, vec![year.into()])
        .await?;
    Ok(rows
        .first()
        .map(|r| r.opt_parse::<chrono::DateTime<chrono::FixedOffset>>("at"))
        .transpose()?
        .flatten())
}

/// How many objections stand at each status (statuses without any are left out).
pub async fn count_by_status(db: &impl Sql) -> Result<Vec<(Status, i64)>, StoreError> {
    db.query(&COUNT_BY_STATUS, vec![])
        .await?
        .read(|r| Ok((r.named("status")?, r.int("n")?)))
}

/// The tracking number of the same objection filed before, if any.
pub async fn same_as(db: &impl Sql, dedup_hash: &str) -> Result<Option<String>, StoreError> {
    let rows = db.query(&BY_DEDUP, vec![dedup_hash.into()]).await?;
    rows.first()
        .map(|r| r.text("id").map(str::to_owned))
        .transpose()
}

/// Who filed `tracking_number` (officers only).
pub async fn objector(
    db: &impl Sql,
    tracking_number: &str,
) -> Result<Option<Objector>, StoreError> {
    let rows = db.query(&OBJECTOR, vec![tracking_number.into()]).await?;
    rows.first()
        .map(|r| {
            Ok(Objector {
                name: r.text("name")?.to_owned(),
                contact: r.text("contact")?.to_owned(),
                relation: r.text("relation")?.to_owned(),
            })
        })
        .transpose()
}

/// The evidence files of `tracking_number`, in order.
pub async fn evidence_of(
    db: &impl Sql,
    tracking_number: &str,
) -> Result<Vec<Evidence>, StoreError> {
    db.query(&EVIDENCE_OF, vec![tracking_number.into()])
        .await?
        .read(evidence)
}

/// Evidence file `number` of `tracking_number`, with its bytes.
pub async fn evidence_file(
    db: &impl Sql,
    tracking_number: &str,
    number: i64,
) -> Result<Option<(Evidence, Vec<u8>)>, StoreError> {
    let rows = db
        .query(&EVIDENCE_DATA, vec![tracking_number.into(), number.into()])
        .await?;
    rows.first()
        .map(|r| Ok((evidence(&r)?, r.blob("data")?.to_vec())))
        .transpose()
}

/// Files an objection with its objector and evidence; answers its tracking number.
pub async fn insert(db: &impl Sql, new: &NewObjection<'_>) -> Result<String, StoreError> {
    let rows = db.query(&NEXT_SEQ, vec![]).await?;
    let seq = rows
        .first()
        .map(|r| r.int("next"))
        .transpose()?
        .unwrap_or(1);
    let id = format!("YY-{}-{seq:06}", new.round_year);
    db.execute(
        &INSERT,
        vec![
            id.as_str().into(),
            seq.into(),
            new.notice_id.into(),
            new.entry.into(),
            new.application_id.into(),
            new.filed_at.into(),
            new.token_hash.into(),
            new.grounds.into(),
            new.dedup_hash.into(),
        ],
    )
    .await?;
    db.execute(
        &INSERT_OBJECTOR,
        vec![
            id.as_str().into(),
            new.objector.name.as_str().into(),
            new.objector.contact.as_str().into(),
            new.objector.relation.as_str().into(),
        ],
    )
    .await?;
    for ((e, data), number) in new.evidence.iter().zip(1u32..) {
        db.execute(
            &INSERT_EVIDENCE,
            vec![
                id.as_str().into(),
                number.into(),
                e.file_name.as_str().into(),
                e.content_type.as_str().into(),
                e.size_bytes.into(),
                e.sha256.as_str().into(),
                Value::Blob(data.clone()),
            ],
        )
        .await?;
    }
    Ok(id)
}

/// PROC-OBJECT: records the re-review conclusion of `tracking_number`; false when it
/// already had one.
pub async fn conclude(
    db: &impl Sql,
    tracking_number: &str,
    c: &Conclusion<'_>,
) -> Result<bool, StoreError> {
    let changed = db
        .execute(
            &CONCLUDE,
            vec![
                c.status.name().into(),
                c.new_amount.into(),
                c.reasons_zh.into(),
                c.reasons_en.into(),
                c.at.into(),
                c.notice_update.into(),
                tracking_number.into(),
            ],
        )
        .await?;
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::block_on;
    use crate::testing::with_applications;

    /// A database with the 2026 round, one application and a notice to object to.
    fn db() -> rusqlite::Connection {
        let db = with_applications(1);
        db.execute_batch(
            "INSERT INTO notices (id, round_year, kind, allocation_version, published_at, \
             period_ends_at, notice_json, created_by) VALUES ('2026-proposed', 2026, \
             'proposed_list', 1, '2026-05-06T10:00:00+08:00', '2026-05-13T00:00:00+08:00', '{}', 'officer')",
        )
        .unwrap();
        db
    }

    fn someone() -> Objector {
        Objector {
            name: "张三".into(),
            contact: "13800000000".into(),
            relation: "同行企业".into(),
        }
    }

    fn new<'a>(
        dedup: &'a str,
        who: &'a Objector,
        files: &'a [(Evidence, Vec<u8>)],
    ) -> NewObjection<'a> {
        NewObjection {
            round_year: 2026,
            notice_id: "2026-proposed",
            entry: 1,
            application_id: "MTG-2026-00001",
            filed_at: "2026-05-07T09:00:00+08:00",
            token_hash: "t",
            grounds: "该企业贷款曾逾期，不符合按期还本付息的条件。",
            dedup_hash: dedup,
            objector: who,
            evidence: files,
        }
    }

    /// PROC-OBJECT: an objection is filed once, read back, and concluded once.
    #[test]
    fn an_objection_is_filed_read_and_concluded_once() {
        let db = db();
        let who = someone();
        let pdf = b"%PDF-1.4\n".to_vec();
        let files = [(
            Evidence {
                number: 0,
                file_name: "逾期记录.pdf".into(),
                content_type: "application/pdf".into(),
                size_bytes: pdf.len() as i64,
                sha256: "s".into(),
            },
            pdf.clone(),
        )];
        block_on(async {
            let id = insert(&db, &new("d1", &who, &files)).await.unwrap();
            assert_eq!(id, "YY-2026-000001");
            assert!(matches!(
                insert(&db, &new("d1", &who, &[])).await,
                Err(StoreError::Duplicate { .. })
            ));
            assert_eq!(
                same_as(&db, "d1").await.unwrap().as_deref(),
                Some(id.as_str())
            );
            assert_eq!(same_as(&db, "d2").await.unwrap(), None);
            let row = find(&db, &id).await.unwrap().unwrap();
            assert_eq!(row.status, Status::Received);
            assert_eq!(row.entry, 1);
            assert_eq!(
                open_in_round(&db, 2026).await.unwrap(),
                std::slice::from_ref(&id)
            );
            assert!(open_in_round(&db, 2025).await.unwrap().is_empty());
            assert_eq!(last_conclusion_in_round(&db, 2026).await.unwrap(), None);
            assert_eq!(of_notice(&db, "2026-proposed").await.unwrap(), [row]);
            assert_eq!(objector(&db, &id).await.unwrap(), Some(who.clone()));
            let listed = evidence_of(&db, &id).await.unwrap();
            assert_eq!(listed[0].number, 1);
            assert_eq!(evidence_file(&db, &id, 1).await.unwrap().unwrap().1, pdf);
            assert_eq!(evidence_file(&db, &id, 2).await.unwrap(), None);

            let c = Conclusion {
                status: Status::PartlyUpheld,
                new_amount: Some(Money::yuan(50_000)),
                reasons_zh: "部分成立",
                reasons_en: "partly upheld",
                at: "2026-05-10T10:00:00+08:00",
                notice_update: 1,
            };
            assert!(conclude(&db, &id, &c).await.unwrap());
            assert!(open_in_round(&db, 2026).await.unwrap().is_empty());
            assert_eq!(
                last_conclusion_in_round(&db, 2026)
                    .await
                    .unwrap()
                    .map(|t| t.to_rfc3339()),
                Some("2026-05-10T10:00:00+08:00".to_owned())
            );
            assert_eq!(last_conclusion_in_round(&db, 2025).await.unwrap(), None);
            assert!(
                !conclude(&db, &id, &c).await.unwrap(),
                "one conclusion only"
            );
            let row = find(&db, &id).await.unwrap().unwrap();
            assert_eq!(row.new_amount, Some(Money::yuan(50_000)));
            assert_eq!(row.notice_update, Some(1));
            assert_eq!(
                count_by_status(&db).await.unwrap(),
                [(Status::PartlyUpheld, 1)]
            );
        });
    }

    #[test]
    fn a_damaged_objection_is_unreadable() {
        for (sql, column) in [
            ("UPDATE objections SET status = 'pending'", "status"),
            (
                "UPDATE objections SET new_amount_cny = 'half'",
                "new_amount_cny",
            ),
            ("UPDATE objections SET entry = -1", "entry"),
        ] {
            let db = db();
            db.execute_batch("PRAGMA ignore_check_constraints = ON")
                .unwrap();
            let who = someone();
            block_on(insert(&db, &new("d", &who, &[]))).unwrap();
            db.execute_batch(sql).unwrap();
            match block_on(find(&db, "YY-2026-000001")).unwrap_err() {
                StoreError::Unreadable { column: c, .. } => assert_eq!(c, column, "{sql}"),
                other => panic!("{sql}: {other:?}"),
            }
        }
    }
}
