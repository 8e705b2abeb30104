//! The accounts administrators keep: created with a role and a first password, renamed,
//! given another role, disabled (every session of theirs ends at once, their tokens are
//! revoked) and enabled again, their password reset (sessions end, tokens revoked). The last administrator who can sign
//! in is never disabled or demoted: the office would lock itself out.

use serde::{Deserialize, Serialize};
use service::auth::{self, Role as Needed, require};
use service::body::{JSON_LIMIT, read_json};
use service::db::Db;
use service::error::prose;
use service::{ApiError, Reply, json};
use spin_sdk::http::{Method, Request};
use store::accounts::{Account, Role};

use crate::{COMPONENT, password};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAccount {
    username: String,
    display_name: String,
    role: Role,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Change {
    display_name: Option<String>,
    role: Option<Role>,
    disabled: Option<bool>,
    password: Option<String>,
}

/// An account as administrators and auditors see it (never its hash).
#[derive(Serialize)]
struct AccountRow<'a> {
    username: &'a str,
    display_name: &'a str,
    role: Role,
    disabled: bool,
    disabled_at: Option<&'a str>,
    created_at: &'a str,
    created_by: &'a str,
}

impl<'a> From<&'a Account> for AccountRow<'a> {
    fn from(a: &'a Account) -> Self {
        AccountRow {
            username: &a.username,
            display_name: &a.display_name,
            role: a.role,
            disabled: a.disabled_at.is_some(),
            disabled_at: a.disabled_at.as_deref(),
            created_at: &a.created_at,
            created_by: &a.created_by,
        }
    }
}

#[derive(Serialize)]
struct AccountList<'a> {
    accounts: Vec<AccountRow<'a>>,
}

/// A user name: 3 to 32 of `a-z 0-9 . _ -`, starting with a letter or digit.
pub(crate) fn check_username(name: &str) -> Result<(), ApiError> {
    let ok = (3..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && name.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "username",
            "用户名须为 3 至 32 个小写字母、数字或 . _ -，并以字母或数字开头。",
            "A user name has 3 to 32 lower-case letters, digits or . _ -, starting with a letter or digit.",
        ))
    }
}

/// `GET /api/accounts` (administrators, auditors).
pub async fn list(req: Request) -> Result<Reply, ApiError> {
    require(&req, Needed::Admin).await?;
    let db = Db::open().await?;
    let all = store::accounts::list(db.store()).await?;
    Ok(json(
        200,
        &AccountList {
            accounts: all.iter().map(AccountRow::from).collect(),
        },
    ))
}

/// `POST /api/accounts` (administrators): a new named account.
pub async fn create(req: Request) -> Result<Reply, ApiError> {
    let actor = require(&req, Needed::Admin).await?;
    let body: NewAccount = read_json(req, JSON_LIMIT).await?;
    check_username(&body.username)?;
    prose("display_name", &body.display_name, 1, 100, false)?;
    password::check("password", &body.password)?;
    let now = service::clock::format(service::clock::now().await);
    let account = Account {
        username: body.username.clone(),
        display_name: body.display_name.trim().to_owned(),
        role: body.role,
        password_hash: password::hash(&body.password)?,
        created_at: now,
        created_by: actor.clone(),
        disabled_at: None,
    };
    let db = Db::open().await?;
    db.transaction(|| async {
        // The administrator still one (a demotion or disable that committed meanwhile wins).
        auth::still_allowed(&db, &actor, Needed::Admin, &Method::POST).await?;
        if !store::accounts::create(db.store(), &account).await? {
            return Err(ApiError::conflict(
                format!("用户名 {} 已被使用。", account.username),
                format!("The user name {} is taken.", account.username),
            )
            .field("username"));
        }
        let detail =
            serde_json::json!({"role": account.role, "display_name": account.display_name});
        db.audit(
            &actor,
            COMPONENT,
            "account.create",
            Some(&account.actor()),
            &detail.to_string(),
        )
        .await
    })
    .await?;
    Ok(json(201, &AccountRow::from(&account)))
}

/// `POST /api/accounts/:username` (administrators): rename, change the role, disable or
/// enable, reset the password.
pub async fn change(req: Request, username: &str) -> Result<Reply, ApiError> {
    let actor = require(&req, Needed::Admin).await?;
    let body: Change = read_json(req, JSON_LIMIT).await?;
    if body.display_name.is_none()
        && body.role.is_none()
        && body.disabled.is_none()
        && body.password.is_none()
    {
        return Err(ApiError::invalid(
            "display_name",
            "请至少给出一项要更改的内容（姓名、角色、停用或密码）。",
            "Give at least one thing to change (name, role, disabled or password).",
        ));
    }
    if let Some(n) = &body.display_name {
        prose("display_name", n, 1, 100, false)?;
    }
    let new_hash = match &body.password {
        Some(p) => {
            password::check("password", p)?;
            Some(password::hash(p)?)
        }
        None => None,
    };
    let db = Db::open().await?;
    let now = service::clock::format(service::clock::now().await);
    let account = db
        .transaction(|| async {
            auth::still_allowed(&db, &actor, Needed::Admin, &Method::POST).await?;
            let Some(mut a) = store::accounts::find(db.store(), username).await? else {
                return Err(ApiError::not_found());
            };
            let was_admin = a.role == Role::Admin && a.disabled_at.is_none();
            if let Some(n) = &body.display_name {
                a.display_name = n.trim().to_owned();
            }
            if let Some(r) = body.role {
                a.role = r;
            }
            match body.disabled {
                Some(true) if a.disabled_at.is_none() => a.disabled_at = Some(now.clone()),
                Some(false) => a.disabled_at = None,
                _ => {}
            }
            if let Some(h) = &new_hash {
                a.password_hash = h.clone();
            }
            let still_admin = a.role == Role::Admin && a.disabled_at.is_none();
            if was_admin && !still_admin && store::accounts::active_admins(db.store()).await? <= 1 {
                return Err(ApiError::conflict(
                    "这是最后一个可登录的管理员账户，不能停用或降级。",
                    "This is the last administrator who can sign in; it cannot be disabled or demoted.",
                )
                .field(if body.role.is_some() { "role" } else { "disabled" }));
            }
            store::accounts::update(db.store(), &a).await?;
            // Disabled or given a new password: every session of theirs ends now, and
            // every API token is revoked (enabling again does not bring them back).
            if a.disabled_at.is_some() || new_hash.is_some() {
                store::accounts::end_sessions_of(db.store(), &a.username, None, &now).await?;
                store::accounts::revoke_tokens_of(db.store(), &a.username, &now).await?;
            }
            let detail = serde_json::json!({
                "display_name": body.display_name, "role": body.role,
                "disabled": body.disabled, "password_reset": new_hash.is_some(),
            });
            let (subject, detail) = (a.actor(), detail.to_string());
            db.audit(&actor, COMPONENT, "account.change", Some(&subject), &detail)
                .await?;
            Ok(a)
        })
        .await?;
    Ok(json(200, &AccountRow::from(&account)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_plain_and_short() {
        for ok in ["zhangwei", "li.na", "wang_fang-2", "abc"] {
            assert!(check_username(ok).is_ok(), "{ok}");
        }
        for bad in ["ab", "ZhangWei", "张伟", "-dash", "a b c", &"x".repeat(33)] {
            assert_eq!(
                check_username(bad).unwrap_err().field.as_deref(),
                Some("username"),
                "{bad}"
            );
        }
    }
}
