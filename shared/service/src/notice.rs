//! Notice updates (PROC-NOTICE, PROC-OBJECT): the one way anything is added to a published
//! notice. A notice is never edited; a correction (notices component) or a re-review
//! conclusion (objections component) is a new row of `notice_updates`, numbered 1, 2, …
//! per notice, with its own time. Both components call [`append_update`] inside their own
//! transaction.

use crate::db::{Db, SqlValue};
use crate::error::ApiError;

/// What an update does (the stored `kind`, as `publish::UpdateKind` serialises it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateKind {
    ReReviewUpheld,
    ReReviewPartlyUpheld,
    ReReviewDismissed,
    Correction,
}

impl UpdateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateKind::ReReviewUpheld => "re_review_upheld",
            UpdateKind::ReReviewPartlyUpheld => "re_review_partly_upheld",
            UpdateKind::ReReviewDismissed => "re_review_dismissed",
            UpdateKind::Correction => "correction",
        }
    }
}

/// One update to append.
#[derive(Debug, Clone)]
pub struct NewUpdate<'a> {
    pub notice_id: &'a str,
    /// RFC 3339, Beijing time (`crate::clock::format`).
    pub at: &'a str,
    pub kind: UpdateKind,
    pub entry: Option<u32>,
    pub new_amount: Option<rules::Money>,
    pub text_zh: &'a str,
    pub text_en: &'a str,
    pub objection_id: Option<&'a str>,
}

/// Appends an update to a published notice; answers its number. The caller holds a write
/// transaction (`Db::transaction`), so the number cannot be taken twice.
pub async fn append_update(db: &Db, u: &NewUpdate<'_>) -> Result<u32, ApiError> {
    let rows = db
        .query(
            "SELECT coalesce(max(seq), 0) + 1 AS next FROM notice_updates WHERE notice_id = ?",
            [SqlValue::from(u.notice_id)],
        )
        .await?;
    let next = rows.first::<i64>("next").unwrap_or(1);
    db.execute(
        "INSERT INTO notice_updates (notice_id, seq, at, kind, entry, new_amount_cny, \
         text_zh, text_en, objection_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            SqlValue::from(u.notice_id),
            SqlValue::Integer(next),
            SqlValue::from(u.at),
            SqlValue::from(u.kind.as_str()),
            u.entry
                .map(|e| SqlValue::Integer(i64::from(e)))
                .unwrap_or(SqlValue::Null),
            u.new_amount
                .map(|m| SqlValue::from(m.to_string()))
                .unwrap_or(SqlValue::Null),
            SqlValue::from(u.text_zh),
            SqlValue::from(u.text_en),
            u.objection_id.map(SqlValue::from).unwrap_or(SqlValue::Null),
        ],
    )
    .await?;
    u32::try_from(next).map_err(|_| ApiError::internal("notice update number out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_stored_as_publish_names_them() {
        // The CHECK of `notice_updates.kind` (0003_notices.sql) lists exactly these.
        let sql = include_str!("../migrations/0003_notices.sql");
        for k in [
            UpdateKind::ReReviewUpheld,
            UpdateKind::ReReviewPartlyUpheld,
            UpdateKind::ReReviewDismissed,
            UpdateKind::Correction,
        ] {
            assert!(sql.contains(&format!("'{}'", k.as_str())), "{k:?}");
        }
    }
}
