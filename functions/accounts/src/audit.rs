//! The audit log read back (administrators, auditors): newest first, filtered by who, what
//! and to what, each entry with the person's name when an account acted.

use serde::Serialize;
use service::auth::Role;
use service::db::Db;
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;

#[derive(Serialize)]
struct EntryView<'a> {
    id: i64,
    at: &'a str,
    actor: &'a str,
    actor_name: Option<&'a str>,
    component: &'a str,
    action: &'a str,
    subject: Option<&'a str>,
    rule_ids: &'a [String],
    detail: serde_json::Value,
}

#[derive(Serialize)]
struct Entries<'a> {
    entries: Vec<EntryView<'a>>,
}

/// `GET /api/audit?actor=&subject=&action=&before=&limit=`.
pub async fn read(req: Request) -> Result<Reply, ApiError> {
    service::auth::require(&req, Role::Admin).await?;
    let q = service::query::query(&req, &["actor", "subject", "action", "before", "limit"])?;
    let text = |k: &str| {
        q.get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let number = |k: &str, min: i64, max: i64| -> Result<Option<i64>, ApiError> {
        match q.get(k) {
            None => Ok(None),
            Some(v) => match v.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
                _ => Err(ApiError::invalid(
                    k,
                    format!("{k} 须为 {min} 至 {max} 之间的整数。"),
                    format!("{k} must be a whole number from {min} to {max}."),
                )),
            },
        }
    };
    let filter = store::audit::Filter {
        actor: text("actor"),
        subject: text("subject"),
        action: text("action"),
        before: number("before", 1, i64::MAX)?,
        limit: number("limit", 1, 500)?.unwrap_or(100),
    };
    let db = Db::open().await?;
    let stored = store::audit::recent(db.store(), &filter).await?;
    let mut entries = Vec::with_capacity(stored.len());
    for e in &stored {
        let detail = serde_json::from_str(&e.detail_json).map_err(|err| {
            ApiError::internal(&format!(
                "audit_log.detail_json of entry {} unreadable: {err}",
                e.id
            ))
        })?;
        entries.push(EntryView {
            id: e.id,
            at: &e.at,
            actor: &e.actor,
            actor_name: e.actor_name.as_deref(),
            component: &e.component,
            action: &e.action,
            subject: e.subject.as_deref(),
            rule_ids: &e.rule_ids,
            detail,
        });
    }
    Ok(json(200, &Entries { entries }))
}
