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
    "INSERT INTO audit_log (at, actor, component, action, subject, rule_ids, detail_json) \
     VALUES (?, ?, ?, ?, ?, ?, ?)",
);

/// Appends `entry` to the trail, made `at` (the service's clock, as every other moment
/// the app keeps: RFC 3339, Beijing time).
pub async fn append(db: &impl Sql, at: &str, entry: &Entry<'_>) -> Result<(), StoreError> {
    let rules = serde_json::to_string(entry.rules).map_err(|e| StoreError::Failed {
        statement: APPEND.name,
        message: e.to_string(),
    })?;
    db.execute(
        &APPEND,
        vec![
            at.into(),
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

/// An entry as read back, with the display name of the person when the actor is an
/// account (`account:<username>`).
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub actor_name: Option<String>,
    pub component: String,
    pub action: String,
    pub subject: Option<String>,
    pub rule_ids: Vec<String>,
    pub detail_json: String,
}

/// Which entries to read: each filter is exact when given; newest first, `before` an id.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor: Option<String>,
    pub subject: Option<String>,
    pub action: Option<String>,
    pub before: Option<i64>,
    pub limit: i64,
}

pub const RECENT: Statement = Statement::new(
    "audit.recent",
    "SELECT l.id AS id, l.at AS at, l.actor AS actor, a.display_name AS actor_name, \
     l.component AS component, l.action AS action, l.subject AS subject, \
     l.rule_ids AS rule_ids, l.detail_json AS detail_json \
     FROM audit_log l LEFT JOIN accounts a ON l.actor = 'account:' || a.username \
     WHERE (?1 IS NULL OR l.actor = ?1) AND (?2 IS NULL OR l.subject = ?2) \
     AND (?3 IS NULL OR l.action = ?3) AND (?4 IS NULL OR l.id < ?4) \
     AND l.action != 'write_probe' \
     ORDER BY l.id DESC LIMIT ?5",
);

/// The entries `filter` selects, newest first.
pub async fn recent(db: &impl Sql, filter: &Filter) -> Result<Vec<Stored>, StoreError> {
    db.query(
        &RECENT,
        vec![
            filter.actor.as_deref().into(),
            filter.subject.as_deref().into(),
            filter.action.as_deref().into(),
            filter.before.into(),
            filter.limit.into(),
        ],
    )
    .await?
    .read(|r| {
        Ok(Stored {
            id: r.int("id")?,
            at: r.text("at")?.to_owned(),
            actor: r.text("actor")?.to_owned(),
            actor_name: r.opt_text("actor_name")?.map(str::to_owned),
            component: r.text("component")?.to_owned(),
            action: r.text("action")?.to_owned(),
            subject: r.opt_text("subject")?.map(str::to_owned),
            rule_ids: r.json("rule_ids")?,
            detail_json: r.text("detail_json")?.to_owned(),
        })
    })
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
            "2026-05-06T10:00:00+08:00",
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

    #[test]
    fn entries_are_read_newest_first_with_the_persons_name() {
        let db = migrated();
        db.execute_batch(
            "INSERT INTO accounts (username, display_name, role, password_hash, created_at, \
             created_by) VALUES ('zhangwei', '张伟', 'officer', '$argon2id$x', 't', 'x')",
        )
        .unwrap();
        for (actor, action) in [
            ("account:zhangwei", "application.review"),
            ("admin:1a2b", "round.create"),
            ("account:zhangwei", "application.void"),
        ] {
            block_on(append(
                &db,
                "2026-05-06T10:00:00+08:00",
                &Entry {
                    actor,
                    component: "review",
                    action,
                    subject: Some("MTG-2026-000001"),
                    rules: &[RuleId::ProcReview],
                    detail_json: "{}",
                },
            ))
            .unwrap();
        }
        let all = block_on(recent(
            &db,
            &Filter {
                limit: 10,
                ..Filter::default()
            },
        ))
        .unwrap();
        assert_eq!(
            all.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["application.void", "round.create", "application.review"]
        );
        assert_eq!(all[0].actor_name.as_deref(), Some("张伟"));
        assert_eq!(all[1].actor_name, None);
        assert_eq!(all[0].rule_ids, ["PROC-REVIEW"]);
        let mine = block_on(recent(
            &db,
            &Filter {
                actor: Some("account:zhangwei".into()),
                before: Some(all[0].id),
                limit: 10,
                ..Filter::default()
            },
        ))
        .unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].action, "application.review");
    }
}
