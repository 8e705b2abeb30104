//! The SQLite schema, as idempotent migrations, one per component's part of the app.
//!
//! The files live in `shared/store/migrations/` and are applied in order at start-up:
//! by `cargo xtask up` on the local host, and by `spin up --sqlite @<file>` (one flag per
//! file) under Spin. Each file is safe to run again (`IF NOT EXISTS`, `INSERT OR IGNORE`)
//! and records itself in `schema_migrations`.

use crate::sql::{Sql, Statement, StoreError};

/// One migration file.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub id: &'static str,
    /// The component whose work introduced these tables (recorded in `schema_migrations`).
    /// Who writes which table is said by the store's aggregate modules, not here: several
    /// components write some tables (calculation and objections change applications).
    pub owner: &'static str,
    pub sql: &'static str,
}

/// Every migration, in the order they are applied.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        id: "0001_intake",
        owner: "intake",
        sql: include_str!("../migrations/0001_intake.sql"),
    },
    Migration {
        id: "0002_calculation",
        owner: "calculation",
        sql: include_str!("../migrations/0002_calculation.sql"),
    },
    Migration {
        id: "0003_notices",
        owner: "notices",
        sql: include_str!("../migrations/0003_notices.sql"),
    },
    Migration {
        id: "0004_objections",
        owner: "objections",
        sql: include_str!("../migrations/0004_objections.sql"),
    },
    Migration {
        id: "0005_approval",
        owner: "calculation",
        sql: include_str!("../migrations/0005_approval.sql"),
    },
    Migration {
        id: "0006_credit",
        owner: "intake",
        sql: include_str!("../migrations/0006_credit.sql"),
    },
    Migration {
        id: "0007_recovery",
        owner: "intake",
        sql: include_str!("../migrations/0007_recovery.sql"),
    },
    Migration {
        id: "0008_void",
        owner: "intake",
        sql: include_str!("../migrations/0008_void.sql"),
    },
    Migration {
        id: "0009_rate",
        owner: "intake",
        sql: include_str!("../migrations/0009_rate.sql"),
    },
    Migration {
        id: "0010_accounts",
        owner: "accounts",
        sql: include_str!("../migrations/0010_accounts.sql"),
    },
];

/// The id of the newest migration (what a health route expects to find).
pub fn latest() -> &'static str {
    MIGRATIONS.last().map(|m| m.id).unwrap_or("")
}

/// A write the database must accept, never kept: asked inside a transaction that is always
/// rolled back. A database that reads but cannot write (a full disk, a read-only file)
/// refuses it — a health route that only read would still say "ok".
pub const WRITE_PROBE: Statement = Statement::new(
    "schema.write_probe",
    "INSERT INTO audit_log (actor, component, action) VALUES ('health', 'health', 'write_probe')",
);

/// Whether the database accepts a write now; nothing is kept either way. A database busy
/// with another writer accepts writes (they wait their turn): only a refusal counts.
pub async fn writable(db: &impl Sql) -> Result<(), StoreError> {
    let busy = |e: &StoreError| {
        matches!(e, StoreError::Failed { message, .. }
            if message.contains("locked") || message.contains("busy"))
    };
    match db.execute(&crate::tx::BEGIN, Vec::new()).await {
        Err(e) if busy(&e) => return Ok(()),
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    let probe = db.execute(&WRITE_PROBE, Vec::new()).await;
    // Never kept: the rollback undoes the probe (and ends a transaction its failure left).
    let _ = db.execute(&crate::tx::ROLLBACK, Vec::new()).await;
    match probe {
        Err(e) if busy(&e) => Ok(()),
        other => other.map(|_| ()),
    }
}

pub const APPLIED: Statement = Statement::new(
    "schema.applied",
    "SELECT max(id) AS id FROM schema_migrations",
);

/// The newest migration applied to the database (the health routes compare it with
/// [`latest`]); `None` on a database without migrations.
pub async fn applied(db: &impl Sql) -> Result<Option<String>, StoreError> {
    let rows = db.query(&APPLIED, vec![]).await?;
    Ok(match rows.first() {
        Some(r) => r.opt_text("id")?.map(str::to_owned),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_records_itself() {
        for m in MIGRATIONS {
            assert!(
                m.sql
                    .contains(&format!("VALUES ('{}', '{}')", m.id, m.owner)),
                "{} must insert itself into schema_migrations",
                m.id
            );
        }
    }

    #[test]
    fn migrations_are_idempotent_by_construction() {
        for m in MIGRATIONS {
            for line in m.sql.lines() {
                let l = line.trim_start().to_ascii_uppercase();
                if l.starts_with("CREATE ") {
                    assert!(l.contains("IF NOT EXISTS"), "{}: {line}", m.id);
                }
                if l.starts_with("INSERT ") {
                    assert!(l.starts_with("INSERT OR IGNORE"), "{}: {line}", m.id);
                }
            }
        }
    }

    #[test]
    fn a_migrated_database_reports_the_latest_migration() {
        let db = crate::native::migrated();
        assert_eq!(
            crate::native::block_on(applied(&db)).unwrap().as_deref(),
            Some(latest())
        );
        let empty = rusqlite::Connection::open_in_memory().unwrap();
        assert!(
            crate::native::block_on(applied(&empty)).is_err(),
            "no schema_migrations table"
        );
    }

    /// Issue 14: a database that reads but cannot write is noticed, and the probe leaves
    /// nothing behind when it can.
    #[test]
    fn a_database_that_cannot_write_is_noticed_and_the_probe_keeps_nothing() {
        use crate::native::{block_on, migrated};
        let db = migrated();
        let rows = |db: &rusqlite::Connection| -> i64 {
            db.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
                .unwrap()
        };
        assert!(block_on(writable(&db)).is_ok());
        assert_eq!(rows(&db), 0, "the probe is never kept");
        db.execute_batch("PRAGMA query_only = ON").unwrap();
        assert!(block_on(applied(&db)).unwrap().is_some(), "it still reads");
        assert!(block_on(writable(&db)).is_err(), "and cannot write");

        // Busy with another writer is not unwritable.
        let file = std::env::temp_dir().join(format!("probe-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&file);
        let one = rusqlite::Connection::open(&file).unwrap();
        for m in MIGRATIONS {
            one.execute_batch(m.sql).unwrap();
        }
        let two = rusqlite::Connection::open(&file).unwrap();
        two.busy_timeout(std::time::Duration::from_millis(20))
            .unwrap();
        one.execute_batch("BEGIN IMMEDIATE").unwrap();
        assert!(block_on(writable(&two)).is_ok(), "busy, not refused");
        one.execute_batch("ROLLBACK").unwrap();
        drop((one, two));
        let _ = std::fs::remove_file(&file);
    }
}
