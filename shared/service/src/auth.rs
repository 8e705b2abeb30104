//! Bearer-token authorisation against tokens held in Spin variables.
//!
//! Tokens are never in code or in the database: the manifest declares them as
//! `secret = true` variables (e.g. `admin_token`), the operator provides them
//! (`SPIN_VARIABLE_ADMIN_TOKEN`, a vault, Kubernetes secrets under SpinKube). The
//! comparison takes the same time whatever the first differing byte is.

use spin_sdk::http::Request;

use crate::error::ApiError;

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = (a.len() ^ b.len()) as u64;
    let n = a.len().max(b.len());
    for i in 0..n {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0xff);
        diff |= u64::from(x ^ y);
    }
    std::hint::black_box(diff) == 0
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

/// Checks a presented header against the expected token (pure; used by [`require`]).
pub fn check(header: Option<&str>, expected: &str) -> Result<(), ApiError> {
    if expected.len() < 16 {
        // A short or empty configured token would make the check guessable.
        return Err(ApiError::server_misconfigured(
            "the access token variable must hold at least 16 characters",
        ));
    }
    match bearer_token(header) {
        Some(t) if constant_time_eq(t.as_bytes(), expected.as_bytes()) => Ok(()),
        _ => Err(ApiError::unauthorized()),
    }
}

/// Requires `Authorization: Bearer <token>` where the token is the value of the
/// Spin variable `variable` (declared in the component's `[component.x.variables]`).
pub async fn require(req: &Request, variable: &str) -> Result<(), ApiError> {
    let expected = spin_sdk::variables::get(variable)
        .await
        .map_err(|_| ApiError::server_misconfigured(variable))?;
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    check(header, &expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "0123456789abcdef-token";

    #[test]
    fn accepts_the_right_token_only() {
        assert!(check(Some(&format!("Bearer {T}")), T).is_ok());
        assert!(check(Some(&format!("bearer   {T}")), T).is_ok());
        assert_eq!(check(Some("Bearer wrong"), T).unwrap_err().status, 401);
        assert_eq!(check(Some(T), T).unwrap_err().status, 401);
        assert_eq!(check(None, T).unwrap_err().status, 401);
        assert_eq!(
            check(Some(&format!("Basic {T}")), T).unwrap_err().status,
            401
        );
        // A prefix of the token is not the token.
        assert_eq!(
            check(Some(&format!("Bearer {}", &T[..10])), T)
                .unwrap_err()
                .status,
            401
        );
    }

    #[test]
    fn refuses_to_work_with_a_weak_configured_token() {
        assert_eq!(check(Some("Bearer "), "").unwrap_err().status, 500);
        assert_eq!(
            check(Some("Bearer short"), "short").unwrap_err().status,
            500
        );
    }

    #[test]
    fn constant_time_eq_is_eq() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"abc\xff", b"abc"));
    }
}
