//! Who may call: named people (issue 15) and the deployment's tokens.
//!
//! A person signs in (the accounts component) and comes back with the session cookie —
//! `HttpOnly; Secure; SameSite=Strict`, and on every write the session's CSRF token in
//! `X-CSRF-Token` — or, for automation, with a personal API token (`Bearer mtg_…`,
//! revocable). Both are stored only as digests (`store::accounts`). The audit trail names
//! the person. Roles: administrator, officer, and the read-only auditor.
//!
//! Deployment tokens from Spin variables remain for automation that predates accounts:
//! Tokens are never in code or in the database: the manifest declares them as
//! `secret = true` variables (e.g. `admin_token`), the operator provides them
//! (`SPIN_VARIABLE_ADMIN_TOKEN`, a vault, Kubernetes secrets under SpinKube). The
//! comparison takes the same time whatever the first differing byte is.

use spin_sdk::http::{Method, Request};

use crate::db::Db;
use crate::error::ApiError;

/// Whether a presented secret is the configured one, in time that depends on neither
/// where they differ nor their lengths: their SHA-256 digests (always 32 bytes) are
/// compared with `subtle`'s constant-time equality.
pub fn secrets_equal(presented: &[u8], configured: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    use subtle::ConstantTimeEq;
    Sha256::digest(presented)
        .as_slice()
        .ct_eq(Sha256::digest(configured).as_slice())
        .into()
}

/// The token of an `Authorization: Bearer <token>` header, if well-formed.
pub fn bearer_token(header: Option<&str>) -> Option<&str> {
    let h = header?.trim();
    let (scheme, token) = h.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    (!token.is_empty()).then_some(token)
}

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Reviewing officers: review records, objections. Administrators qualify too.
    Officer,
    /// IP office administrators: rounds, allocation, approval, payments.
    Admin,
}

impl Role {
    /// The Spin variables whose tokens open this role's endpoints.
    fn variables(self) -> &'static [&'static str] {
        match self {
            Role::Officer => &["officer_token", "admin_token"],
            Role::Admin => &["admin_token"],
        }
    }
}

/// The tokens a variable holds: one or several, separated by commas or white space.
pub fn tokens(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
}

/// Checks a presented header against the configured tokens (pure; used by [`require`]).
/// No or malformed header: 401. A token that is not one of them: 403. Every configured
/// token is compared, in constant time, whatever matches first.
pub fn check(header: Option<&str>, configured: &[&str]) -> Result<(), ApiError> {
    if configured.is_empty()
        || configured
            .iter()
            .any(|t| t.len() < 16 || t.starts_with(PERSONAL_TOKEN_PREFIX))
    {
        // A short or empty configured token would make the check guessable; one that
        // looked like a personal token would never be compared.
        return Err(ApiError::server_misconfigured(
            "every access token must hold at least 16 characters and not start with mtg_",
        ));
    }
    let Some(presented) = bearer_token(header) else {
        return Err(ApiError::unauthorized());
    };
    let mut ok = false;
    for t in configured {
        ok |= secrets_equal(presented.as_bytes(), t.as_bytes());
    }
    if ok {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// The session cookie's name. `__Host-` would pin it to the host and `Secure`, but
/// browsers refuse `__Host-` cookies over plain HTTP on 127.0.0.1, where the app runs
/// locally; the attributes below give the same (`Path=/`, no `Domain`, `Secure`).
pub const SESSION_COOKIE: &str = "mtg_session";
/// A personal API token starts with this, so it is never taken for a deployment token.
pub const PERSONAL_TOKEN_PREFIX: &str = "mtg_";
/// How long a session lasts from sign-in: a working day.
pub const SESSION_HOURS: i64 = 8;

/// The `Set-Cookie` value that holds `token` for a session of `SESSION_HOURS`: never read
/// by script (`HttpOnly`), only over HTTPS (`Secure`), never sent by another site's page
/// (`SameSite=Strict`).
pub fn session_cookie(token: &str) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={}",
        SESSION_HOURS * 3600
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0")
}

/// The CSRF token of a session: derived from the session's secret (which the page cannot
/// read), so it needs no storage and dies with the session.
pub fn csrf_token(session_token: &str) -> String {
    crate::token::sha256_hex(format!("csrf\0{session_token}").as_bytes())
}

/// The session secrets in the `Cookie` headers (normally none or one; two mean another
/// site of the same domain planted one, which [`person`] refuses).
pub fn sessions_from_cookies<'a>(headers: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    headers
        .flat_map(|h| h.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .filter(|(name, value)| *name == SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| value)
        .collect()
}

/// A signed-in person, and how they came.
#[derive(Debug, Clone)]
pub struct Person {
    pub account: store::accounts::Account,
    pub via: Via,
}

/// How a person authenticated.
#[derive(Debug, Clone)]
pub enum Via {
    /// The browser's session cookie: its secret and when it ends.
    Session { token: String, expires_at: String },
    /// A personal API token, by id.
    Token(i64),
}

impl Person {
    /// How the audit trail names them.
    pub fn actor(&self) -> String {
        self.account.actor()
    }
}

/// Whether `method` only reads.
fn is_read(method: &Method) -> bool {
    *method == Method::GET || *method == Method::HEAD
}

/// Whether a person of `role` may do what requires `needed` with `method`: administrators
/// everything, officers what officers may, auditors only reads.
pub fn permits(role: store::accounts::Role, needed: Role, method: &Method) -> bool {
    use store::accounts::Role as R;
    match role {
        R::Admin => true,
        R::Officer => needed == Role::Officer,
        R::Auditor => is_read(method),
    }
}

/// The person the request comes from — a personal API token (`Authorization: Bearer
/// mtg_…`) or the session cookie — or `None` when it carries neither. A token or session
/// that does not open (unknown, revoked, expired, signed out, disabled account) is 401;
/// a write with the session cookie but without its CSRF token, 403.
pub async fn person(req: &Request) -> Result<Option<Person>, ApiError> {
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    if let Some(token) = bearer_token(header) {
        if !token.starts_with(PERSONAL_TOKEN_PREFIX) {
            return Ok(None);
        }
        let db = Db::open().await?;
        let digest = crate::token::sha256_hex(token.as_bytes());
        return match store::accounts::by_token(db.store(), &digest).await? {
            Some((account, id)) => Ok(Some(Person {
                account,
                via: Via::Token(id),
            })),
            None => Err(ApiError::unauthorized()),
        };
    }
    let cookies = req
        .headers()
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok());
    let token = match sessions_from_cookies(cookies).as_slice() {
        [] => return Ok(None),
        [one] => *one,
        // Which one is the person's? Neither is trusted.
        _ => return Err(ApiError::unauthorized()),
    };
    let db = Db::open().await?;
    let now = crate::clock::format(crate::clock::now().await);
    let digest = crate::token::sha256_hex(token.as_bytes());
    let Some((account, expires_at)) =
        store::accounts::by_session(db.store(), &digest, &now).await?
    else {
        return Err(ApiError::unauthorized());
    };
    if !is_read(req.method()) {
        let presented = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !secrets_equal(presented.trim().as_bytes(), csrf_token(token).as_bytes()) {
            return Err(ApiError::csrf_missing());
        }
    }
    Ok(Some(Person {
        account,
        via: Via::Session {
            token: token.to_owned(),
            expires_at,
        },
    }))
}

/// Judged again inside the write's transaction (account administration, tokens): the
/// person who acts is still an active account allowed to (a disable or demotion that
/// committed meanwhile wins). Deployment tokens are not accounts: nothing to re-read.
pub async fn still_allowed(
    db: &Db,
    actor: &str,
    needed: Role,
    method: &Method,
) -> Result<(), ApiError> {
    let Some(username) = actor.strip_prefix(store::accounts::ACTOR_PREFIX) else {
        return Ok(());
    };
    match store::accounts::find(db.store(), username).await? {
        Some(a) if a.disabled_at.is_none() && permits(a.role, needed, method) => Ok(()),
        Some(a) if a.disabled_at.is_none() => Err(ApiError::not_your_role()),
        _ => Err(ApiError::unauthorized()),
    }
}

/// Requires a caller of `role` (or, for a read, an auditor): a named person — by the
/// session cookie (with its CSRF token on writes) or a personal API token — or a
/// deployment token from the Spin variables (`Authorization: Bearer <token>`). Answers who
/// it was for the audit trail: `account:<username>`, or for a deployment token the role
/// and the first characters of the token's SHA-256, never the token itself.
pub async fn require(req: &Request, role: Role) -> Result<String, ApiError> {
    if let Some(p) = person(req).await? {
        if !permits(p.account.role, role, req.method()) {
            return Err(ApiError::not_your_role());
        }
        return Ok(p.actor());
    }
    let mut values = Vec::new();
    for var in role.variables() {
        match crate::variable::secret(var).await {
            Ok(v) => values.push(v),
            Err(_) if *var != "admin_token" => {}
            Err(_) => return Err(ApiError::server_misconfigured(var)),
        }
    }
    let configured: Vec<&str> = values.iter().flat_map(|v| tokens(v)).collect();
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    check(header, &configured)?;
    let presented = bearer_token(header).unwrap_or_default();
    let digest = crate::token::sha256_hex(presented.as_bytes());
    let role = match role {
        Role::Officer => "officer",
        Role::Admin => "admin",
    };
    Ok(format!("{role}:{}", &digest[..12]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "0123456789abcdef-token";

    #[test]
    fn accepts_the_right_token_only() {
        let t = [T];
        assert!(check(Some(&format!("Bearer {T}")), &t).is_ok());
        assert!(check(Some(&format!("bearer   {T}")), &t).is_ok());
        assert_eq!(check(Some("Bearer wrong"), &t).unwrap_err().status, 403);
        assert_eq!(check(Some(T), &t).unwrap_err().status, 401);
        assert_eq!(check(None, &t).unwrap_err().status, 401);
        assert_eq!(
            check(Some(&format!("Basic {T}")), &t).unwrap_err().status,
            401
        );
        // A prefix of the token is not the token.
        assert_eq!(
            check(Some(&format!("Bearer {}", &T[..10])), &t)
                .unwrap_err()
                .status,
            403
        );
    }

    #[test]
    fn several_tokens_any_of_them_opens() {
        let value = "0123456789abcdef-first, 0123456789abcdef-second\n0123456789abcdef-third";
        let list: Vec<&str> = tokens(value).collect();
        assert_eq!(list.len(), 3);
        for t in &list {
            assert!(check(Some(&format!("Bearer {t}")), &list).is_ok());
        }
        assert_eq!(
            check(Some("Bearer 0123456789abcdef-fourth"), &list)
                .unwrap_err()
                .status,
            403
        );
    }

    #[test]
    fn refuses_to_work_with_a_weak_configured_token() {
        assert_eq!(check(Some("Bearer x"), &[]).unwrap_err().status, 500);
        assert_eq!(
            check(Some("Bearer short"), &["short"]).unwrap_err().status,
            500
        );
        let personal_looking = "mtg_0123456789abcdef0123";
        assert_eq!(
            check(
                Some(&format!("Bearer {personal_looking}")),
                &[personal_looking]
            )
            .unwrap_err()
            .status,
            500
        );
    }

    #[test]
    fn secrets_equal_is_equality() {
        assert!(secrets_equal(b"", b""));
        assert!(secrets_equal(b"abc", b"abc"));
        assert!(!secrets_equal(b"abc", b"abd"));
        assert!(!secrets_equal(b"abc", b"abcd"));
        assert!(!secrets_equal(b"abc\xff", b"abc"));
    }

    #[test]
    fn the_session_cookie_is_found_among_others_and_set_safely() {
        let headers = ["theme=dark; mtg_session=abc123", "other=1"];
        assert_eq!(sessions_from_cookies(headers.into_iter()), ["abc123"]);
        assert!(sessions_from_cookies(["mtg_session="].into_iter()).is_empty());
        assert!(sessions_from_cookies(["xmtg_session=1"].into_iter()).is_empty());
        assert_eq!(
            sessions_from_cookies(["mtg_session=a", "mtg_session=b"].into_iter()),
            ["a", "b"],
            "a planted second cookie is seen"
        );
        let c = session_cookie("abc");
        for attr in [
            "HttpOnly",
            "Secure",
            "SameSite=Strict",
            "Path=/",
            "Max-Age=28800",
        ] {
            assert!(c.contains(attr), "{c} lacks {attr}");
        }
        assert!(cleared_session_cookie().contains("Max-Age=0"));
    }

    #[test]
    fn the_csrf_token_is_the_sessions_own() {
        assert_eq!(csrf_token("a"), csrf_token("a"));
        assert_ne!(csrf_token("a"), csrf_token("b"));
        assert_ne!(csrf_token("a"), crate::token::sha256_hex(b"a"));
    }

    #[test]
    fn auditors_read_and_write_nothing_officers_do_not_administer() {
        use store::accounts::Role as R;
        for needed in [Role::Officer, Role::Admin] {
            assert!(permits(R::Admin, needed, &Method::POST));
            assert!(permits(R::Auditor, needed, &Method::GET));
            assert!(permits(R::Auditor, needed, &Method::HEAD));
            assert!(!permits(R::Auditor, needed, &Method::POST));
            assert!(!permits(R::Auditor, needed, &Method::DELETE));
        }
        assert!(permits(R::Officer, Role::Officer, &Method::POST));
        assert!(!permits(R::Officer, Role::Admin, &Method::POST));
        assert!(!permits(R::Officer, Role::Admin, &Method::GET));
    }
}
