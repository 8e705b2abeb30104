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
];

/// The id of the newest migration (what a health route expects to find).
pub fn latest() -> &'static str {
    MIGRATIONS.last().map(|m| m.id).unwrap_or("")
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
}
