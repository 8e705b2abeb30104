//! The audit trail: every successful write appends who did what, to what, under which
//! rules. Append-only (triggers in the schema refuse updates and deletes); every component
//! writes it inside the transaction of the write it records.

use rules::RuleId;

use crate::sql::{Sql, Statement, StoreError};

/// One entry of the trail.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    /// Who: a role and token digest prefix (`service::auth`), or `enterprise:<uscc>`, ….
    pub actor: &'a str,
    /// The component that wrote.
    pub component: &'a str,
    /// What, e.g. `round.create`, `application.review`.
    pub action: &'a str,
    /// To what, e.g. `round:2026`, an application's id, a credit code.
    pub subject: Option<&'a str>,
    /// The rules the write applied.
    pub rules: &'a [RuleId],
    /// What changed, as JSON.
    pub detail_json: &'a str,
}

pub const APPEND: Statement = Statement::new(
    "audit.append",
    "INSERT INTO audit_log (actor, component, action, subject, rule_ids, detail_json) \
     VALUES (?, ?, ?, ?, ?, ?)",
);

/// Appends `entry` to the trail.
pub async fn append(db: &impl Sql, entry: &Entry<'_>) -> Result<(), StoreError> {
    let rules = serde_json::to_string(entry.rules).map_err(|e| StoreError::Failed {
        statement: APPEND.name,
        message: e.to_string(),
    })?;
    db.execute(
        &APPEND,
        vec![
            entry.actor.into(),
            entry.component.into(),
            entry.action.into(),
            entry.subject.into(),
            rules.into(),
            entry.detail_json.into(),
        ],
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::{block_on, migrated};

    #[test]
    fn entries_are_appended_with_their_rules_and_never_changed() {
        let db = migrated();
        block_on(append(
            &db,
            &Entry {
                actor: "officer:1a2b",
                component: "calculation",
                action: "allocation.compute",
                subject: Some("round:2026"),
                rules: &[RuleId::CapYear, RuleId::Budget],
                detail_json: "{\"version\":1}",
            },
        ))
        .unwrap();
        let (rules, subject): (String, String) = db
            .query_row("SELECT rule_ids, subject FROM audit_log", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(rules, "[\"CAP-YEAR\",\"BUDGET\"]");
        assert_eq!(subject, "round:2026");
        assert!(
            db.execute_batch("UPDATE audit_log SET actor = 'x'")
                .is_err()
        );
        assert!(db.execute_batch("DELETE FROM audit_log").is_err());
    }
}
