//! Bearer-token authorisation against tokens held in Spin variables.
//!
//! Tokens are never in code or in the database: the manifest declares them as
//! `secret = true` variables (e.g. `admin_token`), the operator provides them
//! (`SPIN_VARIABLE_ADMIN_TOKEN`, a vault, Kubernetes secrets under SpinKube). The
//! comparison takes the same time whatever the first differing byte is.

use spin_sdk::http::Request;

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
    if configured.is_empty() || configured.iter().any(|t| t.len() < 16) {
        // A short or empty configured token would make the check guessable.
        return Err(ApiError::server_misconfigured(
            "every access token must hold at least 16 characters",
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

/// Requires `Authorization: Bearer <token>` with a token of `role`. Answers who it was for
/// the audit trail: the role and the first characters of the token's SHA-256, never the
/// token itself.
pub async fn require(req: &Request, role: Role) -> Result<String, ApiError> {
    let mut values = Vec::new();
    for var in role.variables() {
        match spin_sdk::variables::get(var).await {
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
    }

    #[test]
    fn secrets_equal_is_equality() {
        assert!(secrets_equal(b"", b""));
        assert!(secrets_equal(b"abc", b"abc"));
        assert!(!secrets_equal(b"abc", b"abd"));
        assert!(!secrets_equal(b"abc", b"abcd"));
        assert!(!secrets_equal(b"abc\xff", b"abc"));
    }
}
