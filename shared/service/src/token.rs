//! Private tokens (an enterprise's receipt, an objector's tracking token) and digests.
//!
//! A token is 32 random bytes from the host (WASI random), written as 64 hex characters;
//! only its SHA-256 is stored, so a database leak does not open anyone's application.

use sha2::{Digest, Sha256};

/// A new random token.
pub fn new_token() -> Result<String, crate::ApiError> {
    Ok(hex(&random::<32>()?))
}

/// `N` random bytes from the host.
pub fn random<const N: usize>() -> Result<[u8; N], crate::ApiError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| crate::ApiError::internal(&e.to_string()))?;
    Ok(bytes)
}

/// An id for one request's log line: 8 random bytes as hex (or, should the host have no
/// randomness to give, the same length of zeros: the log line still stands).
pub fn request_id() -> String {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    hex(&bytes)
}

/// SHA-256 of bytes, as lowercase hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Bytes as lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// A token sealed under a secret the client keeps (its `Idempotency-Key`, with what scopes
/// it): the token's bytes XOR SHA-256 of `context`. The same context unseals it, so a retry
/// gets the same token back; without the key the database alone does not open it. `None`
/// for a token that is not 64 hex characters.
pub fn seal(token: &str, context: &str) -> Option<String> {
    let bytes = unhex(token)?;
    let pad = Sha256::digest(context.as_bytes());
    if bytes.len() != pad.len() {
        return None;
    }
    let sealed: Vec<u8> = bytes.iter().zip(pad.iter()).map(|(b, p)| b ^ p).collect();
    Some(hex(&sealed))
}

/// The token [`seal`] sealed under `context` (sealing is its own inverse).
pub fn unseal(sealed: &str, context: &str) -> Option<String> {
    seal(sealed, context)
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

/// Whether `token` is the one whose digest is `stored_hash` (constant time).
pub fn matches(token: &str, stored_hash: &str) -> bool {
    use subtle::ConstantTimeEq;
    sha256_hex(token.trim().as_bytes())
        .as_bytes()
        .ct_eq(stored_hash.as_bytes())
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(matches("abc", &sha256_hex(b"abc")));
        assert!(!matches("abd", &sha256_hex(b"abc")));
    }

    #[test]
    fn a_sealed_token_opens_only_with_its_context() {
        let token = "00ff".repeat(16);
        let sealed = seal(&token, "91110109MA01C3KP2P\0key-1").unwrap();
        assert_ne!(sealed, token);
        assert_eq!(sealed.len(), 64);
        assert_eq!(
            unseal(&sealed, "91110109MA01C3KP2P\0key-1").as_deref(),
            Some(token.as_str())
        );
        assert_ne!(
            unseal(&sealed, "91110109MA01C3KP2P\0key-2").as_deref(),
            Some(token.as_str())
        );
        assert_eq!(seal("not hex", "k"), None);
        assert_eq!(seal("abcd", "k"), None, "not a token's length");
    }
}
