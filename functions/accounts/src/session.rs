//! Signing in and out: a named person's browser session (issue 15).
//!
//! Sign-in checks the password (Argon2id) outside any transaction — it is slow on purpose
//! and must not hold the database's write lock —, then writes inside one: the failure it
//! counts, or the session, after the throttle is judged again there. Five failures for a
//! name in fifteen minutes and that name waits, whether or not it has an account.
//!
//! Before any account exists, the deployment's first administrator signs in with the
//! Spin variables `first_admin_username` and `first_admin_password`, which creates the
//! account (the variables are unused from then on).

use chrono::Duration;
use serde::{Deserialize, Serialize};
use service::auth::{self, Person, Via};
use service::body::{JSON_LIMIT, read_json};
use service::code::Code;
use service::db::Db;
use service::{ApiError, Reply, json};
use spin_sdk::http::{HeaderValue, Request};
use store::accounts::{Account, Role};

use crate::{COMPONENT, password};

/// Failures a name may have in [`WINDOW_MINUTES`] before it must wait.
const MAX_FAILURES: i64 = 5;
const WINDOW_MINUTES: i64 = 15;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignIn {
    username: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordChange {
    current_password: String,
    new_password: String,
}

/// The account as people see it (never its hash).
#[derive(Serialize)]
pub struct AccountView<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
}

impl<'a> From<&'a Account> for AccountView<'a> {
    fn from(a: &'a Account) -> Self {
        AccountView {
            username: &a.username,
            display_name: &a.display_name,
            role: a.role,
        }
    }
}

/// A session as the console learns it: who, the CSRF token its writes carry, its end.
#[derive(Serialize)]
struct SessionView<'a> {
    account: AccountView<'a>,
    csrf_token: String,
    expires_at: &'a str,
}

fn sign_in_failed() -> ApiError {
    ApiError::new(
        401,
        Code::SignInFailed,
        "用户名或密码不正确。",
        "The user name or the password is wrong.",
    )
}

fn throttled(wait: i64) -> ApiError {
    let wait = wait.max(1) as u64;
    let minutes = wait.div_ceil(60);
    ApiError::too_many(
        wait,
        format!("该用户名登录失败次数过多，请于 {minutes} 分钟后再试。"),
        format!("Too many failed sign-ins for this user name; try again in {minutes} minute(s)."),
    )
}

/// The seconds `username` must still wait at `now`, if it has had too many failures.
async fn wait_for(
    db: &Db,
    username: &str,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Result<Option<i64>, ApiError> {
    let since = service::clock::format(now - Duration::minutes(WINDOW_MINUTES));
    let (n, oldest) = store::accounts::failures_since(db.store(), username, &since).await?;
    if n < MAX_FAILURES {
        return Ok(None);
    }
    let oldest = oldest
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .ok_or_else(|| ApiError::internal("sign_in_failures.at unreadable"))?;
    Ok(Some(
        (oldest + Duration::minutes(WINDOW_MINUTES) - now).num_seconds(),
    ))
}

/// The deployment's first administrator, when no account exists yet and `name` and
/// `password` are the variables' (compared in constant time).
async fn first_admin(db: &Db, name: &str, password: &str) -> Result<Option<Account>, ApiError> {
    if store::accounts::any(db.store()).await? {
        return Ok(None);
    }
    let var = |n: &'static str| async move {
        service::variable::secret(n).await.unwrap_or_else(|e| {
            // Unset is the manifest's default (""); an error here is the deployment's.
            eprintln!("accounts: the variable {n} cannot be read: {e}");
            String::new()
        })
    };
    let (want_name, want_password) = (
        user_name(&var("first_admin_username").await),
        var("first_admin_password").await,
    );
    if want_name.is_empty() || want_password.is_empty() {
        return Ok(None);
    }
    if want_password.chars().count() < password::MIN_LENGTH {
        return Err(ApiError::server_misconfigured(
            "first_admin_password must hold at least 12 characters",
        ));
    }
    if crate::people::check_username(&want_name).is_err() {
        return Err(ApiError::server_misconfigured(
            "first_admin_username must be 3 to 32 of a-z 0-9 . _ -",
        ));
    }
    let same = auth::secrets_equal(name.as_bytes(), want_name.as_bytes())
        & auth::secrets_equal(password.as_bytes(), want_password.as_bytes());
    if !same {
        return Ok(None);
    }
    let now = service::clock::format(service::clock::now().await);
    Ok(Some(Account {
        username: want_name.clone(),
        display_name: want_name,
        role: Role::Admin,
        password_hash: password::hash(password)?,
        created_at: now,
        created_by: "variable:first_admin_username".into(),
        disabled_at: None,
    }))
}

/// A user name as typed, as accounts are kept: trimmed, ASCII letters in lower case.
/// Only ASCII is folded (user names are `a-z 0-9 . _ -`): Unicode's case folding would
/// also make, say, the Kelvin sign (U+212A) an ASCII `k`, so that `\u{212A}ate` signed
/// in as `kate`; and it would carry Unicode's case tables in the component.
fn user_name(typed: &str) -> String {
    typed.trim().to_ascii_lowercase()
}

/// `POST /api/session`: signs in; the answer sets the session cookie.
pub async fn sign_in(req: Request) -> Result<Reply, ApiError> {
    let body: SignIn = read_json(req, JSON_LIMIT).await?;
    let name = user_name(&body.username);
    if name.is_empty() || name.chars().count() > 64 {
        return Err(sign_in_failed().field("username"));
    }
    let db = Db::open().await?;
    let now = service::clock::now().await;
    if let Some(wait) = wait_for(&db, &name, now).await? {
        return Err(throttled(wait));
    }
    let stored = store::accounts::find(db.store(), &name).await?;
    let (account, fresh) = match &stored {
        Some(a) => {
            let ok = password::verify(&body.password, Some(&a.password_hash))?;
            (ok.then(|| a.clone()), false)
        }
        None => match first_admin(&db, &name, &body.password).await? {
            Some(a) => (Some(a), true),
            None => {
                password::verify(&body.password, None)?;
                (None, false)
            }
        },
    };
    let account = account.filter(|a| a.disabled_at.is_none());
    let token = service::token::new_token()?;
    let at = service::clock::format(now);
    let expires_at = service::clock::format(now + Duration::hours(auth::SESSION_HOURS));
    let opened = db
        .transaction(|| async {
            // The throttle again, inside the write: parallel guesses count as they land.
            if let Some(wait) = wait_for(&db, &name, now).await? {
                return Err(throttled(wait));
            }
            let Some(account) = &account else {
                store::accounts::fail(db.store(), &name, &at).await?;
                return Ok(None);
            };
            // Failures past the window and sessions long over are forgotten as we go.
            let window_start = service::clock::format(now - Duration::minutes(WINDOW_MINUTES));
            let long_ago = service::clock::format(now - Duration::days(30));
            store::accounts::forget(db.store(), &window_start, &long_ago).await?;
            if fresh {
                // Judged again here: an account made meanwhile closes the variables' door.
                if store::accounts::any(db.store()).await?
                    || !store::accounts::create(db.store(), account).await?
                {
                    return Err(sign_in_failed());
                }
                let who = account.actor();
                db.audit(
                    &who,
                    COMPONENT,
                    "account.create",
                    Some(&who),
                    "{\"role\":\"admin\",\"from\":\"first_admin variables\"}",
                )
                .await?;
            }
            store::accounts::clear_failures(db.store(), &name).await?;
            let digest = service::token::sha256_hex(token.as_bytes());
            store::accounts::start_session(
                db.store(),
                &digest,
                &account.username,
                &at,
                &expires_at,
            )
            .await?;
            let who = account.actor();
            db.audit(&who, COMPONENT, "session.start", Some(&who), "{}")
                .await?;
            Ok(Some(()))
        })
        .await?;
    let Some(account) = opened.and(account) else {
        return Err(sign_in_failed());
    };
    let mut reply = json(
        200,
        &SessionView {
            account: (&account).into(),
            csrf_token: auth::csrf_token(&token),
            expires_at: &expires_at,
        },
    );
    set_cookie(&mut reply, &auth::session_cookie(&token))?;
    Ok(reply)
}

fn set_cookie(reply: &mut Reply, value: &str) -> Result<(), ApiError> {
    let v = HeaderValue::from_str(value).map_err(|e| ApiError::internal(&e.to_string()))?;
    reply.headers_mut().insert("set-cookie", v);
    Ok(())
}

/// The signed-in person by the session cookie (not a token: the console's own routes, and
/// making a token, which a token must not do).
pub(crate) async fn signed_in(req: &Request) -> Result<(Person, String, String), ApiError> {
    match auth::person(req).await? {
        Some(p) => match &p.via {
            Via::Session { token, expires_at } => {
                let (t, e) = (token.clone(), expires_at.clone());
                Ok((p, t, e))
            }
            Via::Token(_) => Err(ApiError::forbidden()),
        },
        None => Err(ApiError::unauthorized()),
    }
}

/// `GET /api/session`: who is signed in, and the CSRF token the console's writes carry.
pub async fn current(req: Request) -> Result<Reply, ApiError> {
    let (p, token, expires_at) = signed_in(&req).await?;
    Ok(json(
        200,
        &SessionView {
            account: (&p.account).into(),
            csrf_token: auth::csrf_token(&token),
            expires_at: &expires_at,
        },
    ))
}

/// `DELETE /api/session`: signs out (the session ends now; the cookie is cleared).
pub async fn sign_out(req: Request) -> Result<Reply, ApiError> {
    let (p, token, _) = signed_in(&req).await?;
    let db = Db::open().await?;
    let at = service::clock::format(service::clock::now().await);
    db.transaction(|| async {
        let digest = service::token::sha256_hex(token.as_bytes());
        store::accounts::end_session(db.store(), &digest, &at).await?;
        db.audit(&p.actor(), COMPONENT, "session.end", Some(&p.actor()), "{}")
            .await
    })
    .await?;
    let mut reply = service::error::no_content();
    set_cookie(&mut reply, &auth::cleared_session_cookie())?;
    Ok(reply)
}

/// `POST /api/session/password`: the person changes their own password; every other
/// session of theirs ends.
pub async fn change_password(req: Request) -> Result<Reply, ApiError> {
    let (p, token, _) = signed_in(&req).await?;
    let body: PasswordChange = read_json(req, JSON_LIMIT).await?;
    password::check("new_password", &body.new_password)?;
    let db = Db::open().await?;
    let now = service::clock::now().await;
    let at = service::clock::format(now);
    let name = p.account.username.clone();
    // Guessing the current password is throttled as signing in is.
    if let Some(wait) = wait_for(&db, &name, now).await? {
        return Err(throttled(wait));
    }
    if !password::verify(&body.current_password, Some(&p.account.password_hash))? {
        db.transaction(|| async {
            // The throttle again, inside the write: parallel guesses count as they land.
            if let Some(wait) = wait_for(&db, &name, now).await? {
                return Err(throttled(wait));
            }
            Ok(store::accounts::fail(db.store(), &name, &at).await?)
        })
        .await?;
        return Err(ApiError::invalid(
            "current_password",
            "当前密码不正确。",
            "The current password is wrong.",
        ));
    }
    let hash = password::hash(&body.new_password)?;
    let digest = service::token::sha256_hex(token.as_bytes());
    db.transaction(|| async {
        // Past the limit even the right password waits, as in signing in.
        if let Some(wait) = wait_for(&db, &name, now).await? {
            return Err(throttled(wait));
        }
        // The session still live and the password still the one verified: a reset by an
        // administrator or a sign-out that committed meanwhile wins.
        let live = store::accounts::by_session(db.store(), &digest, &at).await?;
        let Some((mut a, _)) = live.filter(|(a, _)| a.password_hash == p.account.password_hash)
        else {
            return Err(ApiError::unauthorized());
        };
        a.password_hash = hash.clone();
        store::accounts::update(db.store(), &a).await?;
        // Every other browser signed in as this person signs in again (this one stays),
        // and every API token they made is revoked: whoever knew the old password may
        // have made one.
        store::accounts::end_sessions_of(db.store(), &a.username, Some(&digest), &at).await?;
        store::accounts::revoke_tokens_of(db.store(), &a.username, &at).await?;
        db.audit(
            &p.actor(),
            COMPONENT,
            "account.password",
            Some(&p.actor()),
            "{}",
        )
        .await
    })
    .await?;
    Ok(service::error::no_content())
}

#[cfg(test)]
mod tests {
    use super::user_name;

    #[test]
    fn user_names_fold_ascii_only() {
        assert_eq!(user_name("  Admin.Zhang "), "admin.zhang");
        // The Kelvin sign and a dotted capital I are not the letters k and i.
        assert_eq!(user_name("\u{212A}ate"), "\u{212A}ate");
        assert_ne!(user_name("\u{212A}ATE"), "kate");
        assert_eq!(user_name("\u{130}NFO"), "\u{130}nfo");
    }
}
