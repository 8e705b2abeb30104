//! The office's people (issue 15): named accounts, their browser sessions, their personal
//! API tokens and the failed sign-ins that throttle a name. Written by the accounts
//! component; read by every component that authorises an officer (`service::auth`).
//!
//! Secrets are never stored: a password as its Argon2id PHC string, a session or API token
//! as the SHA-256 of the random secret its holder keeps. Moments are `crate::moment` text
//! (RFC 3339, +08:00, whole seconds), so they compare as text.

use crate::sql::{Row, Sql, Statement, StoreError};

/// What an account may do. Stored and shown by its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Rounds, allocation, approval, payments, fraud, accounts; everything an officer does.
    Admin,
    /// The review, credit findings, voiding, notices, the re-review of objections.
    Officer,
    /// Reads everything the office reads, the audit log included; writes nothing.
    Auditor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Officer => "officer",
            Role::Auditor => "auditor",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "admin" => Ok(Role::Admin),
            "officer" => Ok(Role::Officer),
            "auditor" => Ok(Role::Auditor),
            other => Err(format!("unknown role {other:?}")),
        }
    }
}

/// How the audit trail names a person: `account:<username>` (`crate::audit` joins on it).
pub const ACTOR_PREFIX: &str = "account:";

/// An account as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Argon2id, PHC string format.
    pub password_hash: String,
    pub created_at: String,
    pub created_by: String,
    pub disabled_at: Option<String>,
}

impl Account {
    /// How the audit trail names this person.
    pub fn actor(&self) -> String {
        format!("{ACTOR_PREFIX}{}", self.username)
    }
}

/// A personal API token as listed (never its secret).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub label: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

pub const FIND: Statement = Statement::new(
    "accounts.find",
    "SELECT username, display_name, role, password_hash, created_at, created_by, disabled_at \
     FROM accounts WHERE username = ?",
);
pub const LIST: Statement = Statement::new(
    "accounts.list",
    "SELECT username, display_name, role, password_hash, created_at, created_by, disabled_at \
     FROM accounts ORDER BY username",
);
pub const COUNT: Statement = Statement::new("accounts.count", "SELECT count(*) AS n FROM accounts");
pub const CREATE: Statement = Statement::new(
    "accounts.create",
    "INSERT INTO accounts (username, display_name, role, password_hash, created_at, \
     created_by, disabled_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
);
pub const UPDATE: Statement = Statement::new(
    "accounts.update",
    "UPDATE accounts SET display_name = ?, role = ?, password_hash = ?, disabled_at = ? \
     WHERE username = ?",
);
pub const ACTIVE_ADMINS: Statement = Statement::new(
    "accounts.active_admins",
    "SELECT count(*) AS n FROM accounts WHERE role = 'admin' AND disabled_at IS NULL",
);

pub const START_SESSION: Statement = Statement::new(
    "sessions.start",
    "INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)",
);
/// The live session's account: not ended, not expired, its account not disabled.
pub const BY_SESSION: Statement = Statement::new(
    "sessions.account",
    "SELECT a.username AS username, a.display_name AS display_name, a.role AS role, \
     a.password_hash AS password_hash, a.created_at AS created_at, \
     a.created_by AS created_by, a.disabled_at AS disabled_at, s.expires_at AS expires_at \
     FROM sessions s JOIN accounts a ON a.username = s.username \
     WHERE s.token_hash = ? AND s.ended_at IS NULL AND s.expires_at > ? \
     AND a.disabled_at IS NULL",
);
pub const END_SESSION: Statement = Statement::new(
    "sessions.end",
    "UPDATE sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
);
pub const END_SESSIONS_OF: Statement = Statement::new(
    "sessions.end_of_account",
    "UPDATE sessions SET ended_at = ? WHERE username = ? AND token_hash IS NOT ? \
     AND ended_at IS NULL",
);

pub const ADD_TOKEN: Statement = Statement::new(
    "api_tokens.add",
    "INSERT INTO api_tokens (token_hash, username, label, created_at) VALUES (?, ?, ?, ?)",
);
pub const TOKENS_OF: Statement = Statement::new(
    "api_tokens.of_account",
    "SELECT id, label, created_at, revoked_at FROM api_tokens WHERE username = ? ORDER BY id",
);
pub const REVOKE_TOKEN: Statement = Statement::new(
    "api_tokens.revoke",
    "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND username = ? AND revoked_at IS NULL",
);
/// The live token's account: not revoked, its account not disabled.
pub const BY_TOKEN: Statement = Statement::new(
    "api_tokens.account",
    "SELECT a.username AS username, a.display_name AS display_name, a.role AS role, \
     a.password_hash AS password_hash, a.created_at AS created_at, \
     a.created_by AS created_by, a.disabled_at AS disabled_at, t.id AS token_id \
     FROM api_tokens t JOIN accounts a ON a.username = t.username \
     WHERE t.token_hash = ? AND t.revoked_at IS NULL AND a.disabled_at IS NULL",
);

pub const REVOKE_TOKENS_OF: Statement = Statement::new(
    "api_tokens.revoke_of_account",
    "UPDATE api_tokens SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL",
);
/// Failures older than the throttle's window count for nothing: forgotten.
pub const FORGET_FAILURES: Statement = Statement::new(
    "sign_in_failures.forget",
    "DELETE FROM sign_in_failures WHERE at <= ?",
);
/// Sessions over long enough that no one needs them (the audit log keeps who signed in).
pub const FORGET_SESSIONS: Statement = Statement::new(
    "sessions.forget",
    "DELETE FROM sessions WHERE expires_at <= ?",
);

pub const FAILURES_SINCE: Statement = Statement::new(
    "sign_in_failures.since",
    "SELECT count(*) AS n, min(at) AS oldest FROM sign_in_failures WHERE username = ? AND at > ?",
);
pub const FAIL: Statement = Statement::new(
    "sign_in_failures.add",
    "INSERT INTO sign_in_failures (username, at) VALUES (?, ?)",
);
pub const CLEAR_FAILURES: Statement = Statement::new(
    "sign_in_failures.clear",
    "DELETE FROM sign_in_failures WHERE username = ?",
);

fn account(row: &Row<'_>) -> Result<Account, StoreError> {
    Ok(Account {
        username: row.text("username")?.to_owned(),
        display_name: row.text("display_name")?.to_owned(),
        role: row.parse("role")?,
        password_hash: row.text("password_hash")?.to_owned(),
        created_at: row.text("created_at")?.to_owned(),
        created_by: row.text("created_by")?.to_owned(),
        disabled_at: row.opt_text("disabled_at")?.map(str::to_owned),
    })
}

/// The account named `username`.
pub async fn find(db: &impl Sql, username: &str) -> Result<Option<Account>, StoreError> {
    let rows = db.query(&FIND, vec![username.into()]).await?;
    rows.first().map(|r| account(&r)).transpose()
}

/// Every account, by name.
pub async fn list(db: &impl Sql) -> Result<Vec<Account>, StoreError> {
    db.query(&LIST, vec![]).await?.read(account)
}

fn no_row(statement: &Statement) -> StoreError {
    StoreError::Unreadable {
        statement: statement.name,
        column: "n".into(),
        reason: "an aggregate answered no row".into(),
    }
}

/// A `count(*)` statement's one number (an aggregate always has its row: none is damage,
/// never read as 0 — `any` would reopen the first administrator's sign-in).
async fn count(db: &impl Sql, statement: &Statement) -> Result<i64, StoreError> {
    let rows = db.query(statement, vec![]).await?;
    match rows.first() {
        Some(r) => r.int("n"),
        None => Err(no_row(statement)),
    }
}

/// Whether any account exists (before the first, the deployment's first administrator
/// may sign in from its Spin variables).
pub async fn any(db: &impl Sql) -> Result<bool, StoreError> {
    Ok(count(db, &COUNT).await? > 0)
}

/// How many administrators can still sign in (the last one is never disabled or demoted).
pub async fn active_admins(db: &impl Sql) -> Result<i64, StoreError> {
    count(db, &ACTIVE_ADMINS).await
}

/// Creates `a`; false when the name is taken. (Not `INSERT OR IGNORE`: that would also
/// ignore the schema's checks.)
pub async fn create(db: &impl Sql, a: &Account) -> Result<bool, StoreError> {
    let changed = match db
        .execute(
            &CREATE,
            vec![
                a.username.as_str().into(),
                a.display_name.as_str().into(),
                a.role.as_str().into(),
                a.password_hash.as_str().into(),
                a.created_at.as_str().into(),
                a.created_by.as_str().into(),
                a.disabled_at.as_deref().into(),
            ],
        )
        .await
    {
        Err(StoreError::Duplicate { .. }) => return Ok(false),
        other => other?,
    };
    Ok(changed == 1)
}

/// Writes `a`'s name, role, password and disabled moment.
pub async fn update(db: &impl Sql, a: &Account) -> Result<(), StoreError> {
    db.execute(
        &UPDATE,
        vec![
            a.display_name.as_str().into(),
            a.role.as_str().into(),
            a.password_hash.as_str().into(),
            a.disabled_at.as_deref().into(),
            a.username.as_str().into(),
        ],
    )
    .await?;
    Ok(())
}

/// Starts a session whose secret's digest is `token_hash`.
pub async fn start_session(
    db: &impl Sql,
    token_hash: &str,
    username: &str,
    created_at: &str,
    expires_at: &str,
) -> Result<(), StoreError> {
    db.execute(
        &START_SESSION,
        vec![
            token_hash.into(),
            username.into(),
            created_at.into(),
            expires_at.into(),
        ],
    )
    .await?;
    Ok(())
}

/// The account of the live session `token_hash` at `now`, with the session's end.
pub async fn by_session(
    db: &impl Sql,
    token_hash: &str,
    now: &str,
) -> Result<Option<(Account, String)>, StoreError> {
    let rows = db
        .query(&BY_SESSION, vec![token_hash.into(), now.into()])
        .await?;
    rows.first()
        .map(|r| Ok((account(&r)?, r.text("expires_at")?.to_owned())))
        .transpose()
}

/// Ends the session `token_hash` (sign-out).
pub async fn end_session(db: &impl Sql, token_hash: &str, at: &str) -> Result<(), StoreError> {
    db.execute(&END_SESSION, vec![at.into(), token_hash.into()])
        .await?;
    Ok(())
}

/// Ends every session of `username` but `except` (disabled; password changed, where the
/// browser that changed it stays signed in).
pub async fn end_sessions_of(
    db: &impl Sql,
    username: &str,
    except: Option<&str>,
    at: &str,
) -> Result<u64, StoreError> {
    db.execute(
        &END_SESSIONS_OF,
        vec![at.into(), username.into(), except.into()],
    )
    .await
}

/// Adds a personal API token; answers its id.
pub async fn add_token(
    db: &impl Sql,
    token_hash: &str,
    username: &str,
    label: &str,
    at: &str,
) -> Result<i64, StoreError> {
    db.execute(
        &ADD_TOKEN,
        vec![token_hash.into(), username.into(), label.into(), at.into()],
    )
    .await?;
    Ok(db.last_insert_rowid().await)
}

/// `username`'s tokens, oldest first.
pub async fn tokens_of(db: &impl Sql, username: &str) -> Result<Vec<ApiToken>, StoreError> {
    db.query(&TOKENS_OF, vec![username.into()])
        .await?
        .read(|r| {
            Ok(ApiToken {
                id: r.int("id")?,
                label: r.text("label")?.to_owned(),
                created_at: r.text("created_at")?.to_owned(),
                revoked_at: r.opt_text("revoked_at")?.map(str::to_owned),
            })
        })
}

/// Revokes `username`'s token `id`; false when it has no such live token.
pub async fn revoke_token(
    db: &impl Sql,
    id: i64,
    username: &str,
    at: &str,
) -> Result<bool, StoreError> {
    Ok(db
        .execute(&REVOKE_TOKEN, vec![at.into(), id.into(), username.into()])
        .await?
        == 1)
}

/// The account of the live API token `token_hash`, with the token's id.
pub async fn by_token(
    db: &impl Sql,
    token_hash: &str,
) -> Result<Option<(Account, i64)>, StoreError> {
    let rows = db.query(&BY_TOKEN, vec![token_hash.into()]).await?;
    rows.first()
        .map(|r| Ok((account(&r)?, r.int("token_id")?)))
        .transpose()
}

/// Revokes every live token of `username` (disabled, password changed or reset: whoever
/// held one must be given a new one). Answers how many.
pub async fn revoke_tokens_of(db: &impl Sql, username: &str, at: &str) -> Result<u64, StoreError> {
    db.execute(&REVOKE_TOKENS_OF, vec![at.into(), username.into()])
        .await
}

/// Forgets failed sign-ins made at or before `before`, and sessions that ended by
/// `sessions_before`: the tables stay the size of what the throttle and the live
/// sessions need.
pub async fn forget(db: &impl Sql, before: &str, sessions_before: &str) -> Result<(), StoreError> {
    db.execute(&FORGET_FAILURES, vec![before.into()]).await?;
    db.execute(&FORGET_SESSIONS, vec![sessions_before.into()])
        .await?;
    Ok(())
}

/// Failed sign-ins of `username` after `since`, and the oldest of them.
pub async fn failures_since(
    db: &impl Sql,
    username: &str,
    since: &str,
) -> Result<(i64, Option<String>), StoreError> {
    let rows = db
        .query(&FAILURES_SINCE, vec![username.into(), since.into()])
        .await?;
    match rows.first() {
        Some(r) => Ok((r.int("n")?, r.opt_text("oldest")?.map(str::to_owned))),
        None => Err(no_row(&FAILURES_SINCE)),
    }
}

/// Records a failed sign-in of `username`.
pub async fn fail(db: &impl Sql, username: &str, at: &str) -> Result<(), StoreError> {
    db.execute(&FAIL, vec![username.into(), at.into()]).await?;
    Ok(())
}

/// Forgets `username`'s failures (after a successful sign-in).
pub async fn clear_failures(db: &impl Sql, username: &str) -> Result<(), StoreError> {
    db.execute(&CLEAR_FAILURES, vec![username.into()]).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::{block_on, migrated};

    fn person(name: &str, role: Role) -> Account {
        Account {
            username: name.into(),
            display_name: "张伟".into(),
            role,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            created_at: "2026-04-01T09:00:00+08:00".into(),
            created_by: "variable:first_admin".into(),
            disabled_at: None,
        }
    }

    #[test]
    fn accounts_are_created_once_and_listed_by_name() {
        let db = migrated();
        assert!(!block_on(any(&db)).unwrap());
        assert!(block_on(create(&db, &person("zhangwei", Role::Admin))).unwrap());
        assert!(
            !block_on(create(&db, &person("zhangwei", Role::Officer))).unwrap(),
            "a taken name is refused, the first kept"
        );
        assert!(block_on(create(&db, &person("li.na", Role::Auditor))).unwrap());
        let all = block_on(list(&db)).unwrap();
        assert_eq!(
            all.iter().map(|a| a.username.as_str()).collect::<Vec<_>>(),
            ["li.na", "zhangwei"]
        );
        assert_eq!(
            block_on(find(&db, "zhangwei")).unwrap().unwrap().role,
            Role::Admin
        );
        assert_eq!(block_on(active_admins(&db)).unwrap(), 1);
        assert!(block_on(any(&db)).unwrap());
    }

    #[test]
    fn the_schema_refuses_a_password_that_is_not_argon2id() {
        let db = migrated();
        let mut a = person("plain", Role::Officer);
        a.password_hash = "hunter2hunter2".into();
        assert!(block_on(create(&db, &a)).is_err());
        a.password_hash = "$2b$12$bcrypt".into();
        assert!(block_on(create(&db, &a)).is_err());
    }

    #[test]
    fn a_session_opens_until_it_expires_ends_or_its_account_is_disabled() {
        let db = migrated();
        block_on(create(&db, &person("wangfang", Role::Officer))).unwrap();
        let (t0, end) = ("2026-05-06T09:00:00+08:00", "2026-05-06T17:00:00+08:00");
        block_on(start_session(&db, "h1", "wangfang", t0, end)).unwrap();
        let live = block_on(by_session(&db, "h1", "2026-05-06T10:00:00+08:00")).unwrap();
        assert_eq!(live.unwrap().0.username, "wangfang");
        assert!(
            block_on(by_session(&db, "h1", end)).unwrap().is_none(),
            "expired at its end"
        );
        assert!(
            block_on(by_session(&db, "other", "2026-05-06T10:00:00+08:00"))
                .unwrap()
                .is_none()
        );
        block_on(end_session(&db, "h1", "2026-05-06T11:00:00+08:00")).unwrap();
        assert!(
            block_on(by_session(&db, "h1", "2026-05-06T12:00:00+08:00"))
                .unwrap()
                .is_none(),
            "signed out"
        );
        block_on(start_session(&db, "h2", "wangfang", t0, end)).unwrap();
        block_on(start_session(&db, "h3", "wangfang", t0, end)).unwrap();
        let noon = "2026-05-06T12:00:00+08:00";
        assert_eq!(
            block_on(end_sessions_of(
                &db,
                "wangfang",
                Some("h3"),
                "2026-05-06T11:10:00+08:00"
            ))
            .unwrap(),
            1,
            "every other session ends"
        );
        assert!(block_on(by_session(&db, "h2", noon)).unwrap().is_none());
        assert!(block_on(by_session(&db, "h3", noon)).unwrap().is_some());
        let mut a = block_on(find(&db, "wangfang")).unwrap().unwrap();
        a.disabled_at = Some("2026-05-06T11:30:00+08:00".into());
        block_on(update(&db, &a)).unwrap();
        assert!(
            block_on(by_session(&db, "h3", noon)).unwrap().is_none(),
            "a disabled account's session no longer opens"
        );
    }

    #[test]
    fn tokens_open_until_revoked_and_only_their_owner_revokes_them() {
        let db = migrated();
        block_on(create(&db, &person("robot", Role::Officer))).unwrap();
        block_on(create(&db, &person("other", Role::Officer))).unwrap();
        let id = block_on(add_token(
            &db,
            "th",
            "robot",
            "nightly export",
            "2026-05-06T09:00:00+08:00",
        ))
        .unwrap();
        assert_eq!(block_on(by_token(&db, "th")).unwrap().unwrap().1, id);
        assert!(!block_on(revoke_token(&db, id, "other", "2026-05-06T10:00:00+08:00")).unwrap());
        assert!(block_on(revoke_token(&db, id, "robot", "2026-05-06T10:00:00+08:00")).unwrap());
        assert!(block_on(by_token(&db, "th")).unwrap().is_none());
        let again = block_on(add_token(
            &db,
            "t2",
            "robot",
            "again",
            "2026-05-06T11:00:00+08:00",
        ))
        .unwrap();
        assert_eq!(
            block_on(revoke_tokens_of(&db, "robot", "2026-05-06T12:00:00+08:00")).unwrap(),
            1
        );
        assert!(
            block_on(by_token(&db, "t2")).unwrap().is_none(),
            "token {again} revoked"
        );
        let listed = block_on(tokens_of(&db, "robot")).unwrap();
        assert_eq!(
            listed[0].revoked_at.as_deref(),
            Some("2026-05-06T10:00:00+08:00")
        );
    }

    #[test]
    fn failures_are_counted_per_name_after_a_moment_and_cleared() {
        let db = migrated();
        for m in ["09:00", "09:05", "09:10"] {
            block_on(fail(&db, "zhangwei", &format!("2026-05-06T{m}:00+08:00"))).unwrap();
        }
        block_on(fail(&db, "someone", "2026-05-06T09:06:00+08:00")).unwrap();
        let (n, oldest) =
            block_on(failures_since(&db, "zhangwei", "2026-05-06T09:01:00+08:00")).unwrap();
        assert_eq!(
            (n, oldest.as_deref()),
            (2, Some("2026-05-06T09:05:00+08:00"))
        );
        block_on(forget(
            &db,
            "2026-05-06T09:05:00+08:00",
            "2026-05-06T00:00:00+08:00",
        ))
        .unwrap();
        assert_eq!(
            block_on(failures_since(&db, "zhangwei", "2026-05-06T08:00:00+08:00")).unwrap(),
            (1, Some("2026-05-06T09:10:00+08:00".to_owned())),
            "failures at or before the moment forgotten"
        );
        block_on(clear_failures(&db, "zhangwei")).unwrap();
        assert_eq!(
            block_on(failures_since(&db, "zhangwei", "2026-05-06T08:00:00+08:00"))
                .unwrap()
                .0,
            0
        );
    }
}
