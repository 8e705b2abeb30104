//! Applications: as submitted (the payload, `rules::Application`), the latest decision, the
//! review record and the loans they claim (SUB-LOAN: one loan counted once per round); their
//! documents are [`crate::documents`]. Written by intake (submission, withdrawal, review), by
//! calculation (allocation, approval, payment) and by objections (a re-review's outcome).

use chrono::{DateTime, FixedOffset};
use rules::model::Application;
use rules::{Decision, Money};

use crate::sql::{Row, Sql, Statement, StoreError, Value};

/// Where an application stands; stored and shown by its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Received; the pre-check's decision stands until review.
    Submitted,
    /// Withdrawn by the enterprise inside the window.
    Withdrawn,
    /// Reviewed (PROC-REVIEW) and eligible.
    Eligible,
    /// Reviewed and refused, or granted nothing by the allocation.
    Refused,
    /// On the proposed list.
    Proposed,
    /// Taken off the list by a re-review (PROC-OBJECT), rejected by the district
    /// government (PROC-APPROVE), or stopped before payment by a fraud determination
    /// (FRAUD).
    Removed,
    /// Approved by the district government (PROC-APPROVE).
    Approved,
    /// Paid.
    Paid,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Submitted,
        Status::Withdrawn,
        Status::Eligible,
        Status::Refused,
        Status::Proposed,
        Status::Removed,
        Status::Approved,
        Status::Paid,
    ];

    /// The name stored and shown (`submitted`, …).
    pub fn name(self) -> &'static str {
        crate::names::name(&self)
    }

    /// Still before the allocation: review and documents may change it.
    pub fn in_review(self) -> bool {
        matches!(self, Status::Submitted | Status::Eligible | Status::Refused)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An application as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationRow {
    /// `MTG-<year>-<seq>`.
    pub id: String,
    pub round_year: i32,
    pub uscc: String,
    pub enterprise_name: String,
    pub status: Status,
    /// SHA-256 of the receipt token (the token itself is never stored).
    pub receipt_hash: String,
    /// As submitted, and as the review completed it (verified interest, findings).
    pub payload: Application,
    /// The officers' review record, once reviewed.
    pub review: Option<serde_json::Value>,
    pub decision: Decision,
    pub submitted_at: DateTime<FixedOffset>,
    /// As stored (the answer shows the moment as it was recorded).
    pub submitted_at_text: String,
}

/// One line of an officer's list of applications.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub id: String,
    pub round_year: i32,
    pub uscc: String,
    pub enterprise_name: String,
    pub status: Status,
    /// The decision's amount (before BUDGET).
    pub amount: Money,
    pub submitted_at: String,
    /// The kinds of document uploaded so far.
    pub document_kinds: Vec<String>,
    /// Whether a review record is kept, final or not (PROC-REVIEW).
    pub reviewed: bool,
    /// Department opinions asked and not yet answered, in the review record.
    pub opinions_awaited: i64,
    /// Whether the review record holds the credit report (PROC-CREDIT).
    pub credit_report: bool,
}

/// A new application, as intake stores it.
#[derive(Debug, Clone)]
pub struct NewApplication<'a> {
    pub round_year: i32,
    pub receipt_hash: &'a str,
    pub payload: &'a Application,
    pub decision: &'a Decision,
    pub at: &'a str,
}

pub const BY_ID: Statement = Statement::new(
    "applications.by_id",
    "SELECT id, round_year, uscc, enterprise_name, status, receipt_hash, payload_json, \
     review_json, decision_json, submitted_at FROM applications WHERE id = ?",
);
pub const REVIEWED_IN_ROUND: Statement = Statement::new(
    "applications.reviewed_in_round",
    "SELECT id, round_year, uscc, enterprise_name, status, receipt_hash, payload_json, \
     review_json, decision_json, submitted_at FROM applications WHERE round_year = ? \
     AND status IN ('eligible', 'proposed', 'refused') AND review_json IS NOT NULL ORDER BY id",
);
/// An application as the officers' list shows it, with what its review waits for: the
/// kinds of document in, whether a review record is kept, the opinions it still awaits and
/// whether it holds the credit report. `$tail` chooses and orders.
macro_rules! summaries {
    ($tail:literal) => {
        concat!(
            "SELECT id, round_year, uscc, enterprise_name, status, amount_cny, submitted_at, \
             (SELECT group_concat(kind) FROM (SELECT DISTINCT kind FROM documents d \
              WHERE d.application_id = applications.id ORDER BY kind)) AS document_kinds, \
             review_json IS NOT NULL AS reviewed, \
             (SELECT count(*) FROM json_each(applications.review_json, '$.opinions') o \
              WHERE json_extract(o.value, '$.answered_on') IS NULL) AS opinions_awaited, \
             json_extract(review_json, '$.credit_report') IS NOT NULL AS credit_report \
             FROM applications ",
            $tail
        )
    };
}
pub const SUMMARIES_OF_ROUND: Statement = Statement::new(
    "applications.summaries_of_round",
    summaries!("WHERE round_year = ? ORDER BY seq"),
);
pub const SUMMARIES: Statement = Statement::new(
    "applications.summaries",
    summaries!("ORDER BY round_year DESC, seq"),
);
pub const NEXT_SEQ: Statement = Statement::new(
    "applications.next_seq",
    "SELECT coalesce(max(seq), 0) + 1 AS next FROM applications WHERE round_year = ?",
);
pub const INSERT: Statement = Statement::new(
    "applications.insert",
    "INSERT INTO applications (id, round_year, seq, uscc, enterprise_name, submitted_at, \
     status, receipt_hash, payload_json, decision_json, amount_cny, updated_at) \
     VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?)",
);
pub const SET_RECEIPT: Statement = Statement::new(
    "applications.set_receipt",
    "UPDATE applications SET receipt_hash = ? WHERE id = ?",
);
pub const SET_STATUS: Statement = Statement::new(
    "applications.set_status",
    "UPDATE applications SET status = ?, updated_at = ? WHERE id = ?",
);
pub const MOVE_STATUS: Statement = Statement::new(
    "applications.move_status",
    "UPDATE applications SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
);
pub const MOVE_ROUND_STATUS: Statement = Statement::new(
    "applications.move_round_status",
    "UPDATE applications SET status = ?, updated_at = ? WHERE round_year = ? AND status = ?",
);
pub const COUNT_WITH_STATUS: Statement = Statement::new(
    "applications.count_with_status",
    "SELECT count(*) AS n FROM applications WHERE round_year = ? AND status = ?",
);
pub const UNDECIDED_IN_ROUND: Statement = Statement::new(
    "applications.undecided_in_round",
    "SELECT id FROM applications WHERE round_year = ? AND status = 'submitted' ORDER BY id",
);
pub const OF_ENTERPRISE_WITH_STATUS: Statement = Statement::new(
    "applications.of_enterprise_with_status",
    "SELECT id, round_year FROM applications WHERE uscc = ? AND status = ? ORDER BY id",
);
pub const RECEIPT_HASH: Statement = Statement::new(
    "applications.receipt_hash",
    "SELECT receipt_hash FROM applications WHERE id = ?",
);
pub const FILED_IN_ROUND: Statement = Statement::new(
    "applications.filed_in_round",
    "SELECT id, uscc, payload_json FROM applications WHERE round_year = ? \
     AND status != 'withdrawn' ORDER BY id",
);
pub const INSERT_VOID: Statement = Statement::new(
    "applications.insert_void",
    "INSERT INTO application_voids (application_id, reason, actor, voided_at) VALUES (?, ?, ?, ?)",
);
pub const VOID_OF: Statement = Statement::new(
    "applications.void_of",
    "SELECT reason, actor, voided_at FROM application_voids WHERE application_id = ?",
);
pub const SET_REVIEW: Statement = Statement::new(
    "applications.set_review",
    "UPDATE applications SET status = ?, review_json = ?, payload_json = ?, decision_json = ?, \
     amount_cny = ?, updated_at = ? WHERE id = ?",
);
pub const LOAN_HOLDER: Statement = Statement::new(
    "applications.loan_holder",
    "SELECT application_id FROM application_loans \
     WHERE round_year = ? AND uscc = ? AND contract_number = ?",
);
pub const LOAN_ON_OTHER_LISTS: Statement = Statement::new(
    "applications.loan_on_other_lists",
    "SELECT a.id, a.round_year, a.uscc, a.enterprise_name, a.status, a.receipt_hash, \
     a.payload_json, a.review_json, a.decision_json, a.submitted_at \
     FROM application_loans al JOIN applications a ON a.id = al.application_id \
     WHERE al.round_year <> ? AND al.uscc = ? AND al.contract_number = ? \
       AND a.status IN ('proposed', 'approved', 'paid') ORDER BY al.round_year",
);
pub const CLAIM_LOAN: Statement = Statement::new(
    "applications.claim_loan",
    "INSERT INTO application_loans (round_year, uscc, contract_number, application_id) \
     VALUES (?, ?, ?, ?)",
);
pub const CORRECT: Statement = Statement::new(
    "applications.correct",
    "UPDATE applications SET enterprise_name = ?, payload_json = ?, decision_json = ?, \
     amount_cny = ?, updated_at = ? WHERE id = ? AND status = 'submitted'",
);
pub const RELEASE_LOANS: Statement = Statement::new(
    "applications.release_loans",
    "DELETE FROM application_loans WHERE application_id = ?",
);

fn status(row: &Row<'_>) -> Result<Status, StoreError> {
    row.named("status")
}

fn full(row: &Row<'_>) -> Result<ApplicationRow, StoreError> {
    let submitted_at_text = row.text("submitted_at")?.to_owned();
    let submitted_at = DateTime::parse_from_rfc3339(&submitted_at_text)
        .map_err(|e| row.unreadable("submitted_at", format!("{submitted_at_text:?}: {e}")))?;
    Ok(ApplicationRow {
        id: row.text("id")?.to_owned(),
        round_year: row.int_as("round_year")?,
        uscc: row.text("uscc")?.to_owned(),
        enterprise_name: row.text("enterprise_name")?.to_owned(),
        status: status(row)?,
        receipt_hash: row.text("receipt_hash")?.to_owned(),
        payload: row.input_json("payload_json")?,
        review: row.opt_json("review_json")?,
        decision: row.json("decision_json")?,
        submitted_at,
        submitted_at_text,
    })
}

fn summary(row: &Row<'_>) -> Result<Summary, StoreError> {
    Ok(Summary {
        id: row.text("id")?.to_owned(),
        round_year: row.int_as("round_year")?,
        uscc: row.text("uscc")?.to_owned(),
        enterprise_name: row.text("enterprise_name")?.to_owned(),
        status: status(row)?,
        amount: row.money("amount_cny")?,
        submitted_at: row.text("submitted_at")?.to_owned(),
        document_kinds: row
            .opt_text("document_kinds")?
            .map(|k| k.split(',').map(str::to_owned).collect())
            .unwrap_or_default(),
        reviewed: row.flag("reviewed")?,
        opinions_awaited: row.int("opinions_awaited")?,
        credit_report: row.flag("credit_report")?,
    })
}

fn json(statement: &'static str, v: &impl serde::Serialize) -> Result<Value, StoreError> {
    serde_json::to_string(v)
        .map(Value::Text)
        .map_err(|e| StoreError::Failed {
            statement,
            message: format!("does not serialise: {e}"),
        })
}

/// The application `id`, if there is one.
pub async fn find(db: &impl Sql, id: &str) -> Result<Option<ApplicationRow>, StoreError> {
    let rows = db.query(&BY_ID, vec![id.into()]).await?;
    rows.first().map(|r| full(&r)).transpose()
}

/// The reviewed applications of a round that the allocation considers, by id.
pub async fn reviewed_in_round(
    db: &impl Sql,
    year: i32,
) -> Result<Vec<ApplicationRow>, StoreError> {
    db.query(&REVIEWED_IN_ROUND, vec![year.into()])
        .await?
        .read(full)
}

/// Every application of a round (`Some(year)`) or of all rounds, for officers.
pub async fn summaries(db: &impl Sql, year: Option<i32>) -> Result<Vec<Summary>, StoreError> {
    let rows = match year {
        Some(y) => db.query(&SUMMARIES_OF_ROUND, vec![y.into()]).await?,
        None => db.query(&SUMMARIES, vec![]).await?,
    };
    rows.read(summary)
}

/// SUB-LOAN: the application of the round that already claims this enterprise's loan
/// contract, if any.
pub async fn loan_holder(
    db: &impl Sql,
    year: i32,
    uscc: &str,
    contract_number: &str,
) -> Result<Option<String>, StoreError> {
    let rows = db
        .query(
            &LOAN_HOLDER,
            vec![year.into(), uscc.into(), contract_number.into()],
        )
        .await?;
    Ok(match rows.first() {
        Some(r) => Some(r.text("application_id")?.to_owned()),
        None => None,
    })
}

/// The applications of other rounds that claimed the enterprise's loan `contract_number`
/// and are on a list (proposed, approved or paid), oldest round first.
pub async fn loan_on_other_lists(
    db: &impl Sql,
    year: i32,
    uscc: &str,
    contract_number: &str,
) -> Result<Vec<ApplicationRow>, StoreError> {
    db.query(
        &LOAN_ON_OTHER_LISTS,
        vec![year.into(), uscc.into(), contract_number.into()],
    )
    .await?
    .read(full)
}

/// Whether `id` is written as an application number of the `year` round
/// (`MTG-2026-00001`: the round, then its sequence number in five or more digits).
pub fn is_number_of(id: &str, year: i32) -> bool {
    id.strip_prefix(&format!("MTG-{year}-"))
        .is_some_and(|seq| seq.len() >= 5 && seq.bytes().all(|b| b.is_ascii_digit()))
}

/// Stores a new application with the next number of its round and claims its loans;
/// answers its id.
pub async fn insert(db: &impl Sql, new: &NewApplication<'_>) -> Result<String, StoreError> {
    let rows = db.query(&NEXT_SEQ, vec![new.round_year.into()]).await?;
    let seq = rows
        .first()
        .map(|r| r.int("next"))
        .transpose()?
        .unwrap_or(1);
    let id = format!("MTG-{}-{seq:05}", new.round_year);
    let uscc = new.payload.enterprise.credit_code.as_str();
    db.execute(
        &INSERT,
        vec![
            id.as_str().into(),
            new.round_year.into(),
            seq.into(),
            uscc.into(),
            new.payload.enterprise.name.trim().into(),
            new.at.into(),
            new.receipt_hash.into(),
            json(INSERT.name, new.payload)?,
            json(INSERT.name, new.decision)?,
            new.decision.amount.into(),
            new.at.into(),
        ],
    )
    .await?;
    for loan in &new.payload.loans {
        db.execute(
            &CLAIM_LOAN,
            vec![
                new.round_year.into(),
                uscc.into(),
                loan.key().into(),
                id.as_str().into(),
            ],
        )
        .await?;
    }
    Ok(id)
}

/// A new receipt token's digest (an idempotent retry gets a token that works).
pub async fn set_receipt(db: &impl Sql, id: &str, receipt_hash: &str) -> Result<(), StoreError> {
    db.execute(&SET_RECEIPT, vec![receipt_hash.into(), id.into()])
        .await?;
    Ok(())
}

/// Sets the status of `id`, whatever it was.
pub async fn set_status(db: &impl Sql, id: &str, to: Status, at: &str) -> Result<(), StoreError> {
    db.execute(&SET_STATUS, vec![to.name().into(), at.into(), id.into()])
        .await?;
    Ok(())
}

/// Moves `id` from `from` to `to`; false when it was not at `from`.
pub async fn move_status(
    db: &impl Sql,
    id: &str,
    from: Status,
    to: Status,
    at: &str,
) -> Result<bool, StoreError> {
    let changed = db
        .execute(
            &MOVE_STATUS,
            vec![to.name().into(), at.into(), id.into(), from.name().into()],
        )
        .await?;
    Ok(changed == 1)
}

/// Moves every application of a round at `from` to `to`; answers how many moved.
pub async fn move_round_status(
    db: &impl Sql,
    year: i32,
    from: Status,
    to: Status,
    at: &str,
) -> Result<u64, StoreError> {
    db.execute(
        &MOVE_ROUND_STATUS,
        vec![to.name().into(), at.into(), year.into(), from.name().into()],
    )
    .await
}

/// PROC-REVIEW: the round's applications received in time and not yet decided by review
/// (still `submitted`), by number.
pub async fn undecided_in_round(db: &impl Sql, year: i32) -> Result<Vec<String>, StoreError> {
    db.query(&UNDECIDED_IN_ROUND, vec![year.into()])
        .await?
        .read(|r| Ok(r.text("id")?.to_owned()))
}

/// The applications of the enterprise `uscc` at `status`, with their round, by number.
pub async fn of_enterprise_with_status(
    db: &impl Sql,
    uscc: &str,
    status: Status,
) -> Result<Vec<(String, i32)>, StoreError> {
    db.query(
        &OF_ENTERPRISE_WITH_STATUS,
        vec![uscc.into(), status.name().into()],
    )
    .await?
    .read(|r| Ok((r.text("id")?.to_owned(), r.int_as("round_year")?)))
}

/// How many applications of a round are at `status`.
pub async fn count_with_status(
    db: &impl Sql,
    year: i32,
    status: Status,
) -> Result<i64, StoreError> {
    let rows = db
        .query(&COUNT_WITH_STATUS, vec![year.into(), status.name().into()])
        .await?;
    rows.first()
        .map(|r| r.int("n"))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// The enterprise withdraws `id`: only from `submitted`, and its loans are free again.
/// False when it was no longer `submitted`.
pub async fn withdraw(db: &impl Sql, id: &str, at: &str) -> Result<bool, StoreError> {
    if !move_status(db, id, Status::Submitted, Status::Withdrawn, at).await? {
        return Ok(false);
    }
    db.execute(&RELEASE_LOANS, vec![id.into()]).await?;
    Ok(true)
}

/// The enterprise corrects `id` (still `submitted`): what it declares and the decision on
/// it are replaced, and its loans claimed anew (the caller checked them free). False when
/// it was no longer `submitted`.
pub async fn correct(
    db: &impl Sql,
    id: &str,
    round_year: i32,
    payload: &Application,
    decision: &Decision,
    at: &str,
) -> Result<bool, StoreError> {
    let changed = db
        .execute(
            &CORRECT,
            vec![
                payload.enterprise.name.trim().into(),
                json(CORRECT.name, payload)?,
                json(CORRECT.name, decision)?,
                decision.amount.into(),
                at.into(),
                id.into(),
            ],
        )
        .await?;
    if changed == 0 {
        return Ok(false);
    }
    db.execute(&RELEASE_LOANS, vec![id.into()]).await?;
    for loan in &payload.loans {
        db.execute(
            &CLAIM_LOAN,
            vec![
                round_year.into(),
                payload.enterprise.credit_code.as_str().into(),
                loan.key().into(),
                id.into(),
            ],
        )
        .await?;
    }
    Ok(true)
}

/// The digest of `id`'s receipt token, if the application exists (read alone, so callers
/// are judged before the application is).
pub async fn receipt_hash(db: &impl Sql, id: &str) -> Result<Option<String>, StoreError> {
    let rows = db.query(&RECEIPT_HASH, vec![id.into()]).await?;
    rows.first()
        .map(|r| Ok(r.text("receipt_hash")?.to_owned()))
        .transpose()
}

/// An application of a round as filed: its number, the enterprise and what it declared.
#[derive(Debug, Clone)]
pub struct Filed {
    pub id: String,
    pub uscc: String,
    pub payload: Application,
}

/// The round's applications not withdrawn, as filed (the review's flags compare them).
pub async fn filed_in_round(db: &impl Sql, year: i32) -> Result<Vec<Filed>, StoreError> {
    db.query(&FILED_IN_ROUND, vec![year.into()])
        .await?
        .read(|r| {
            Ok(Filed {
                id: r.text("id")?.to_owned(),
                uscc: r.text("uscc")?.to_owned(),
                payload: r.input_json("payload_json")?,
            })
        })
}

/// Why and by whom the office voided an application.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Voided {
    pub reason: String,
    pub actor: String,
    pub voided_at: String,
}

/// The office voids `id` from `from` (before the list): it becomes `withdrawn`, its loans
/// are free again, and the reason is kept. False when it was no longer at `from`.
pub async fn void(db: &impl Sql, id: &str, from: Status, v: &Voided) -> Result<bool, StoreError> {
    if !move_status(db, id, from, Status::Withdrawn, &v.voided_at).await? {
        return Ok(false);
    }
    db.execute(&RELEASE_LOANS, vec![id.into()]).await?;
    db.execute(
        &INSERT_VOID,
        vec![
            id.into(),
            v.reason.as_str().into(),
            v.actor.as_str().into(),
            v.voided_at.as_str().into(),
        ],
    )
    .await?;
    Ok(true)
}

/// Whether (and why) the office voided `id`.
pub async fn voided(db: &impl Sql, id: &str) -> Result<Option<Voided>, StoreError> {
    let rows = db.query(&VOID_OF, vec![id.into()]).await?;
    rows.first()
        .map(|r| {
            Ok(Voided {
                reason: r.text("reason")?.to_owned(),
                actor: r.text("actor")?.to_owned(),
                voided_at: r.text("voided_at")?.to_owned(),
            })
        })
        .transpose()
}

/// PROC-REVIEW: the review record, the payload it completed and the new decision.
pub async fn set_review(
    db: &impl Sql,
    id: &str,
    status: Status,
    review: &impl serde::Serialize,
    payload: &Application,
    decision: &Decision,
    at: &str,
) -> Result<(), StoreError> {
    db.execute(
        &SET_REVIEW,
        vec![
            status.name().into(),
            json(SET_REVIEW.name, review)?,
            json(SET_REVIEW.name, payload)?,
            json(SET_REVIEW.name, decision)?,
            decision.amount.into(),
            at.into(),
            id.into(),
        ],
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_numbers_are_of_their_round() {
        assert!(super::is_number_of("MTG-2026-00001", 2026));
        assert!(super::is_number_of("MTG-2026-123456", 2026));
        for other in [
            "MTG-2025-00001",
            "MTG-2026-0001",
            "MTG-2026-0000x",
            "mtg-2026-00001",
            "'; DROP",
            "",
        ] {
            assert!(!super::is_number_of(other, 2026), "{other}");
        }
    }
    use crate::native::{block_on, migrated};
    use crate::testing::round;

    fn example() -> (Application, Decision) {
        let request: serde_json::Value = serde_json::from_str(include_str!(
            "../../rules/data/example-precheck-request.json"
        ))
        .unwrap();
        let req: rules::PrecheckRequest = serde_json::from_value(request).unwrap();
        let decision = rules::precheck(&req, &rules::Parameters::default());
        (req.application, decision)
    }

    fn db() -> rusqlite::Connection {
        let db = migrated();
        block_on(crate::rounds::insert(&db, &round(2026), "t")).unwrap();
        db
    }

    const AT: &str = "2026-04-15T10:00:00+08:00";

    /// `app` submitted to the 2026 round: its number.
    async fn submitted(
        db: &rusqlite::Connection,
        app: &Application,
        decision: &Decision,
    ) -> String {
        let new = NewApplication {
            round_year: 2026,
            receipt_hash: "r",
            payload: app,
            decision,
            at: AT,
        };
        insert(db, &new).await.unwrap()
    }

    /// A void makes the application `withdrawn`, frees its loans and keeps the reason,
    /// once; never from a status it is not at.
    #[test]
    fn a_void_frees_the_loans_and_keeps_the_reason() {
        let db = db();
        let (app, decision) = example();
        let uscc = app.enterprise.credit_code.as_str().to_owned();
        block_on(async {
            let id = submitted(&db, &app, &decision).await;
            let key = app.loans[0].key();
            assert!(loan_holder(&db, 2026, &uscc, &key).await.unwrap().is_some());
            let v = Voided {
                reason: "冒名申报".into(),
                actor: "officer:1".into(),
                voided_at: AT.into(),
            };
            assert!(
                !void(&db, &id, Status::Eligible, &v).await.unwrap(),
                "not at eligible"
            );
            assert_eq!(voided(&db, &id).await.unwrap(), None);
            assert_eq!(receipt_hash(&db, &id).await.unwrap().as_deref(), Some("r"));
            assert_eq!(receipt_hash(&db, "MTG-2026-99999").await.unwrap(), None);
            assert_eq!(filed_in_round(&db, 2026).await.unwrap().len(), 1);
            assert!(void(&db, &id, Status::Submitted, &v).await.unwrap());
            assert!(
                filed_in_round(&db, 2026).await.unwrap().is_empty(),
                "withdrawn"
            );
            assert_eq!(
                find(&db, &id).await.unwrap().unwrap().status,
                Status::Withdrawn
            );
            assert_eq!(voided(&db, &id).await.unwrap(), Some(v.clone()));
            assert!(loan_holder(&db, 2026, &uscc, &key).await.unwrap().is_none());
            assert!(
                !void(&db, &id, Status::Submitted, &v).await.unwrap(),
                "once"
            );
        });
    }

    /// Issue 16: a correction replaces what was declared and the decision, claims the new
    /// loans and frees the old; only while `submitted`, under the same number.
    #[test]
    fn a_correction_replaces_the_application_and_its_loans() {
        let db = db();
        let (app, decision) = example();
        let uscc = app.enterprise.credit_code.as_str().to_owned();
        block_on(async {
            let id = submitted(&db, &app, &decision).await;
            let old = app.loans[0].key();
            let mut fixed = app.clone();
            fixed.enterprise.name = "北京更正后的名称有限公司".into();
            fixed.loans[0].contract_number = "BJ-CORRECTED-1".into();
            let new = fixed.loans[0].key();
            let mut redecided = decision.clone();
            redecided.amount = Money::yuan(1234);
            assert!(
                correct(&db, &id, 2026, &fixed, &redecided, AT)
                    .await
                    .unwrap()
            );
            let stored = find(&db, &id).await.unwrap().unwrap();
            assert_eq!(stored.payload, fixed);
            assert_eq!(stored.decision.amount, Money::yuan(1234));
            assert_eq!(stored.status, Status::Submitted);
            assert_eq!(receipt_hash(&db, &id).await.unwrap().as_deref(), Some("r"));
            assert!(
                loan_holder(&db, 2026, &uscc, &old).await.unwrap().is_none(),
                "freed"
            );
            assert_eq!(
                loan_holder(&db, 2026, &uscc, &new)
                    .await
                    .unwrap()
                    .as_deref(),
                Some(id.as_str())
            );
            assert!(withdraw(&db, &id, AT).await.unwrap());
            assert!(
                !correct(&db, &id, 2026, &app, &decision, AT).await.unwrap(),
                "not once withdrawn"
            );
            assert_eq!(find(&db, &id).await.unwrap().unwrap().payload, fixed);
        });
    }

    /// SUB-LOAN: a loan on another round's list is found from a later round, with the
    /// application that holds it; not from its own round, and not once it leaves the list.
    #[test]
    fn a_loan_on_another_rounds_list_is_found() {
        let db = db();
        let (app, decision) = example();
        let uscc = app.enterprise.credit_code.as_str().to_owned();
        let contract = app.loans[0].key();
        block_on(async {
            let id = submitted(&db, &app, &decision).await;
            let found = || loan_on_other_lists(&db, 2027, &uscc, &contract);
            assert!(found().await.unwrap().is_empty(), "submitted is on no list");
            set_status(&db, &id, Status::Proposed, AT).await.unwrap();
            let on = found().await.unwrap();
            assert_eq!(on.len(), 1);
            assert_eq!((on[0].id.as_str(), on[0].round_year), (id.as_str(), 2026));
            assert!(
                loan_on_other_lists(&db, 2026, &uscc, &contract)
                    .await
                    .unwrap()
                    .is_empty(),
                "its own round is not another"
            );
            assert!(
                loan_on_other_lists(&db, 2027, &uscc, "OTHER-1")
                    .await
                    .unwrap()
                    .is_empty()
            );
            set_status(&db, &id, Status::Removed, AT).await.unwrap();
            assert!(found().await.unwrap().is_empty(), "removed by re-review");
        });
    }

    /// SUB-LOAN: an application is numbered in its round, claims its loans, and frees
    /// them when withdrawn.
    #[test]
    fn an_application_is_stored_read_reviewed_and_withdrawn() {
        let db = db();
        let (app, decision) = example();
        block_on(async {
            let id = submitted(&db, &app, &decision).await;
            assert_eq!(id, "MTG-2026-00001");
            let row = find(&db, &id).await.unwrap().unwrap();
            assert_eq!(row.payload, app);
            assert_eq!(row.decision, decision);
            assert_eq!(row.status, Status::Submitted);
            assert_eq!(row.submitted_at_text, AT);
            let uscc = app.enterprise.credit_code.as_str();
            let contract = app.loans[0].key();
            let contract = contract.as_str();
            assert_eq!(
                loan_holder(&db, 2026, uscc, contract)
                    .await
                    .unwrap()
                    .as_deref(),
                Some(id.as_str())
            );
            let s = summaries(&db, Some(2026)).await.unwrap();
            assert_eq!(s.len(), 1);
            assert_eq!(s[0].amount, decision.amount);
            assert!(s[0].document_kinds.is_empty() && !s[0].reviewed);
            // What the officers' queue shows: documents in, opinions awaited, the credit
            // report not yet recorded (read from the stored review record).
            db.execute_batch(&format!(
                "INSERT INTO documents (id, application_id, kind, content_type, size_bytes, \
                 sha256, data, uploaded_at) VALUES \
                 ('d1', '{id}', 'loan_contract', 'application/pdf', 1, 'x', x'00', '{AT}'), \
                 ('d2', '{id}', 'loan_contract', 'application/pdf', 1, 'y', x'00', '{AT}'), \
                 ('d3', '{id}', 'interest_statement', 'application/pdf', 1, 'z', x'00', '{AT}'); \
                 UPDATE applications SET review_json = '{{\"opinions\": [\
                 {{\"department\": \"tax\", \"answered_on\": \"2026-05-05\"}}, \
                 {{\"department\": \"fire_rescue\"}}]}}' WHERE id = '{id}';"
            ))
            .unwrap();
            let s = summaries(&db, Some(2026)).await.unwrap();
            assert_eq!(s[0].document_kinds, ["interest_statement", "loan_contract"]);
            assert!(s[0].reviewed);
            assert_eq!(s[0].opinions_awaited, 1);
            assert!(!s[0].credit_report);
            assert!(summaries(&db, Some(2025)).await.unwrap().is_empty());
            assert_eq!(
                undecided_in_round(&db, 2026).await.unwrap(),
                std::slice::from_ref(&id)
            );
            assert!(undecided_in_round(&db, 2025).await.unwrap().is_empty());

            assert!(withdraw(&db, &id, AT).await.unwrap());
            assert!(
                undecided_in_round(&db, 2026).await.unwrap().is_empty(),
                "a withdrawn application is decided"
            );
            assert!(
                !withdraw(&db, &id, AT).await.unwrap(),
                "only from submitted"
            );
            assert_eq!(loan_holder(&db, 2026, uscc, contract).await.unwrap(), None);
            assert_eq!(
                count_with_status(&db, 2026, Status::Withdrawn)
                    .await
                    .unwrap(),
                1
            );
            let second = submitted(&db, &app, &decision).await;
            assert_eq!(second, "MTG-2026-00002");
            set_review(
                &db,
                &second,
                Status::Eligible,
                &serde_json::json!({"note": "ok"}),
                &app,
                &decision,
                AT,
            )
            .await
            .unwrap();
            assert_eq!(reviewed_in_round(&db, 2026).await.unwrap().len(), 1);
        });
    }

    #[test]
    fn a_damaged_application_is_unreadable() {
        let (app, decision) = example();
        for (sql, column) in [
            ("UPDATE applications SET status = 'lost'", "status"),
            (
                "UPDATE applications SET payload_json = '{}'",
                "payload_json",
            ),
            (
                "UPDATE applications SET decision_json = 'null'",
                "decision_json",
            ),
            (
                "UPDATE applications SET submitted_at = 'spring'",
                "submitted_at",
            ),
            ("UPDATE applications SET amount_cny = '1e5'", "amount_cny"),
        ] {
            let db = db();
            // The schema's CHECK on status would refuse the damage this test needs.
            db.execute_batch("PRAGMA ignore_check_constraints = ON")
                .unwrap();
            block_on(insert(
                &db,
                &NewApplication {
                    round_year: 2026,
                    receipt_hash: "r",
                    payload: &app,
                    decision: &decision,
                    at: AT,
                },
            ))
            .unwrap();
            db.execute_batch(sql).unwrap();
            let err = if column == "amount_cny" {
                block_on(summaries(&db, None)).map(|_| ()).unwrap_err()
            } else {
                block_on(find(&db, "MTG-2026-00001"))
                    .map(|_| ())
                    .unwrap_err()
            };
            match err {
                StoreError::Unreadable { column: c, .. } => assert_eq!(c, column, "{sql}"),
                other => panic!("{sql}: {other:?}"),
            }
        }
    }
}
