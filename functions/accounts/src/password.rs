//! Passwords: Argon2id (RFC 9106) with the `argon2` crate's defaults (19 MiB, 2 passes,
//! 1 lane — OWASP's recommendation), kept as PHC strings that carry their own parameters
//! and salt, so stronger parameters later still verify the old ones.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use service::ApiError;

/// The shortest password accepted: long passphrases beat composition rules (NIST 800-63B).
pub const MIN_LENGTH: usize = 12;
const MAX_LENGTH: usize = 256;

/// A PHC string of no one's password, verified when the name typed has no account, so a
/// wrong name takes as long as a wrong password and names cannot be probed by timing.
const NOBODY: &str = "$argon2id$v=19$m=19456,t=2,p=1$bm8tb25lLWhhcy10aGlz$2S3Iw5CeDPEzYSXYpnYMTn1P6Ak2Ik+W9VzyEitZG7k";

/// Refuses a password too short or too long to be one (field named).
pub fn check(field: &str, password: &str) -> Result<(), ApiError> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        return Err(ApiError::invalid(
            field,
            format!("密码至少需要 {MIN_LENGTH} 个字符（可用一句容易记住的话）。"),
            format!(
                "A password needs at least {MIN_LENGTH} characters (a sentence you remember works well)."
            ),
        ));
    }
    if n > MAX_LENGTH {
        return Err(ApiError::invalid(
            field,
            format!("密码不能超过 {MAX_LENGTH} 个字符。"),
            format!("A password can have at most {MAX_LENGTH} characters."),
        ));
    }
    Ok(())
}

/// The Argon2id PHC string of `password`, with a fresh random salt.
pub fn hash(password: &str) -> Result<String, ApiError> {
    let salt_bytes = service::token::random::<16>()?;
    let salt =
        SaltString::encode_b64(&salt_bytes).map_err(|e| ApiError::internal(&e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(&e.to_string()))
}

/// Whether `password` is the one `phc` was made from (`None`: nobody's, verified all the
/// same). A stored hash that cannot be read is an error, never a match.
pub fn verify(password: &str, phc: Option<&str>) -> Result<bool, ApiError> {
    let stored = phc.unwrap_or(NOBODY);
    let parsed = PasswordHash::new(stored)
        .map_err(|e| ApiError::internal(&format!("stored password hash unreadable: {e}")))?;
    if parsed.hash.is_none() || parsed.salt.is_none() {
        return Err(ApiError::internal(
            "stored password hash has no salt or hash",
        ));
    }
    match Argon2::default().verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Ok(phc.is_some()),
        Err(argon2::password_hash::Error::Password) => Ok(false),
        Err(e) => Err(ApiError::internal(&format!(
            "stored password hash unusable: {e}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery staple", Some(&h)).unwrap());
        assert!(!verify("correct horse battery stable", Some(&h)).unwrap());
        assert_ne!(hash("correct horse battery staple").unwrap(), h, "salted");
    }

    #[test]
    fn nobody_matches_and_damage_is_loud() {
        assert!(PasswordHash::new(NOBODY).is_ok());
        assert!(!verify("anything at all", None).unwrap());
        assert_eq!(
            verify("x", Some("$argon2id$garbage")).unwrap_err().status,
            500
        );
    }

    #[test]
    fn short_and_endless_passwords_are_refused_at_their_field() {
        assert_eq!(
            check("password", "short").unwrap_err().field.as_deref(),
            Some("password")
        );
        assert!(check("password", "twelve chars").is_ok());
        assert!(check("password", &"x".repeat(257)).is_err());
    }
}
