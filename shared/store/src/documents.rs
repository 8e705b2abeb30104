//! An application's supporting documents (recognised by content, stored with their
//! SHA-256), the bytes officers read back, and what a round stores. Written by intake (the
//! enterprise's uploads); read by intake (officers, the quota, the health route).

use crate::sql::{Row, Sql, Statement, StoreError, Value};

/// A supporting document's description (its bytes stay in the database).
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: String,
    pub kind: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: String,
}

/// What a round's documents take.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoundStorage {
    pub round_year: i32,
    pub documents: i64,
    pub bytes: i64,
}

pub const OF_APPLICATION: Statement = Statement::new(
    "documents.of_application",
    "SELECT id, kind, content_type, size_bytes, sha256, uploaded_at FROM documents \
     WHERE application_id = ? ORDER BY uploaded_at, id",
);
/// The same file uploaded again for the same application is stored once.
pub const ADD: Statement = Statement::new(
    "documents.add",
    "INSERT OR IGNORE INTO documents (id, application_id, kind, content_type, size_bytes, \
     sha256, data, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
);
pub const WITH_DATA: Statement = Statement::new(
    "documents.with_data",
    "SELECT id, kind, content_type, size_bytes, sha256, uploaded_at, data FROM documents \
     WHERE application_id = ? AND id = ?",
);
pub const STORED_PER_ROUND: Statement = Statement::new(
    "documents.stored_per_round",
    "SELECT a.round_year AS round_year, count(*) AS documents, \
     coalesce(sum(d.size_bytes), 0) AS bytes \
     FROM documents d JOIN applications a ON a.id = d.application_id \
     GROUP BY a.round_year ORDER BY a.round_year",
);

fn document(row: &Row<'_>) -> Result<Document, StoreError> {
    Ok(Document {
        id: row.text("id")?.to_owned(),
        kind: row.text("kind")?.to_owned(),
        content_type: row.text("content_type")?.to_owned(),
        size_bytes: row.int("size_bytes")?,
        sha256: row.text("sha256")?.to_owned(),
        uploaded_at: row.text("uploaded_at")?.to_owned(),
    })
}

/// The documents of application `id`, oldest first.
pub async fn of_application(db: &impl Sql, id: &str) -> Result<Vec<Document>, StoreError> {
    db.query(&OF_APPLICATION, vec![id.into()])
        .await?
        .read(document)
}

/// Stores a document of `application_id` (once per content).
pub async fn add(
    db: &impl Sql,
    application_id: &str,
    doc: &Document,
    data: &[u8],
) -> Result<(), StoreError> {
    db.execute(
        &ADD,
        vec![
            doc.id.as_str().into(),
            application_id.into(),
            doc.kind.as_str().into(),
            doc.content_type.as_str().into(),
            doc.size_bytes.into(),
            doc.sha256.as_str().into(),
            Value::Blob(data.to_vec()),
            doc.uploaded_at.as_str().into(),
        ],
    )
    .await?;
    Ok(())
}

/// One document of `application_id` with its bytes; a stored size that disagrees with
/// the bytes is unreadable, not served.
pub async fn with_data(
    db: &impl Sql,
    application_id: &str,
    id: &str,
) -> Result<Option<(Document, Vec<u8>)>, StoreError> {
    let rows = db
        .query(&WITH_DATA, vec![application_id.into(), id.into()])
        .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let doc = document(&row)?;
    let data = row.blob("data")?.to_vec();
    if data.len() as i64 != doc.size_bytes {
        return Err(row.unreadable("data", "the stored size does not match the bytes"));
    }
    Ok(Some((doc, data)))
}

/// What each round's documents take (the health route reports it).
pub async fn stored_per_round(db: &impl Sql) -> Result<Vec<RoundStorage>, StoreError> {
    db.query(&STORED_PER_ROUND, vec![]).await?.read(|r| {
        Ok(RoundStorage {
            round_year: r.int_as("round_year")?,
            documents: r.int("documents")?,
            bytes: r.int("bytes")?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::block_on;
    use crate::testing::with_applications;

    fn doc(id: &str, kind: &str, size: usize) -> Document {
        Document {
            id: id.into(),
            kind: kind.into(),
            content_type: "application/pdf".into(),
            size_bytes: size as i64,
            sha256: "ab".repeat(32),
            uploaded_at: "2026-04-20T10:00:00+08:00".into(),
        }
    }

    /// Documents are kept once per content, read back whole by their application only,
    /// and counted per round.
    #[test]
    fn documents_are_read_back_and_counted_per_round() {
        let db = with_applications(2);
        block_on(async {
            let a = "MTG-2026-00001";
            add(&db, a, &doc("D1", "loan_contract", 7), b"%PDF-1.")
                .await
                .unwrap();
            add(&db, a, &doc("D1", "loan_contract", 7), b"%PDF-1.")
                .await
                .unwrap();
            add(&db, a, &doc("D2", "repayment_proof", 3), b"%PD")
                .await
                .unwrap();
            assert_eq!(
                of_application(&db, a).await.unwrap().len(),
                2,
                "once per content"
            );
            let (d, bytes) = with_data(&db, a, "D1").await.unwrap().unwrap();
            assert_eq!(
                (d.kind.as_str(), bytes.as_slice()),
                ("loan_contract", &b"%PDF-1."[..])
            );
            assert_eq!(with_data(&db, "MTG-2026-00002", "D1").await.unwrap(), None);
            assert_eq!(
                stored_per_round(&db).await.unwrap(),
                [RoundStorage {
                    round_year: 2026,
                    documents: 2,
                    bytes: 10
                }]
            );
        });
        db.execute_batch("UPDATE documents SET size_bytes = 99 WHERE id = 'D2'")
            .unwrap();
        let e = block_on(with_data(&db, "MTG-2026-00001", "D2")).unwrap_err();
        assert!(
            matches!(e, StoreError::Unreadable { ref column, .. } if column == "data"),
            "{e:?}"
        );
    }
}
