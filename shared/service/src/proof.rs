//! A proof of work for anonymous public writes (objections, PROC-OBJECT): the client asks
//! for a challenge, finds a nonce whose SHA-256 with it starts with `bits` zero bits (about
//! 2^bits tries: a second of a phone's browser at 16), and sends both with the write. A
//! challenge is signed (HMAC-SHA256 under a key from a Spin variable), lives an hour and is
//! spent by the write that uses it, so each write costs its own work and nothing is stored
//! until one arrives.
//!
//! It stops cheap scripted floods from one client varying its declared contact; it does
//! not stop a determined attacker with many machines (docs/SECURITY.md).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::token::hex;

/// How long a challenge may be used, in seconds.
pub const LIFETIME: i64 = 3600;

/// Why a proof is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a challenge this service gives, or a nonce that is not 1–64 letters and digits.
    Malformed,
    /// The signature does not fit: not issued here, or changed.
    Forged,
    /// Issued more than [`LIFETIME`] ago (or in the future).
    Expired,
    /// The nonce's digest has fewer leading zero bits than asked.
    TooWeak,
}

/// A new challenge issued at `now` (Unix seconds) with `random` bytes:
/// `<now>.<random hex>.<signature hex>`.
pub fn issue(key: &[u8], now: i64, random: [u8; 16]) -> String {
    let payload = format!("{now}.{}", hex(&random));
    format!("{payload}.{}", hex(&sign(key, &payload)))
}

/// Checks `nonce` against `challenge` at `now`: signed with `key`, alive, and hashing to at
/// least `bits` leading zero bits.
pub fn verify(
    key: &[u8],
    challenge: &str,
    nonce: &str,
    now: i64,
    bits: u32,
) -> Result<(), Refusal> {
    let (payload, signature) = challenge.rsplit_once('.').ok_or(Refusal::Malformed)?;
    let (issued, random) = payload.split_once('.').ok_or(Refusal::Malformed)?;
    let issued: i64 = issued.parse().map_err(|_| Refusal::Malformed)?;
    let well_formed = random.len() == 32
        && random.bytes().all(|b| b.is_ascii_hexdigit())
        && signature.len() == 64
        && !nonce.is_empty()
        && nonce.len() <= 64
        && nonce.bytes().all(|b| b.is_ascii_alphanumeric());
    if !well_formed {
        return Err(Refusal::Malformed);
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(payload.as_bytes());
    let signature = unhex(signature).ok_or(Refusal::Malformed)?;
    mac.verify_slice(&signature).map_err(|_| Refusal::Forged)?;
    if issued > now + 60 || now - issued > LIFETIME {
        return Err(Refusal::Expired);
    }
    if zero_bits(&work(challenge, nonce)) < bits {
        return Err(Refusal::TooWeak);
    }
    Ok(())
}

/// The digest a nonce is judged by: SHA-256 of `<challenge>:<nonce>`.
pub fn work(challenge: &str, nonce: &str) -> [u8; 32] {
    Sha256::digest(format!("{challenge}:{nonce}").as_bytes()).into()
}

/// Leading zero bits of a digest.
pub fn zero_bits(digest: &[u8]) -> u32 {
    let mut n = 0;
    for b in digest {
        if *b == 0 {
            n += 8;
        } else {
            return n + b.leading_zeros();
        }
    }
    n
}

fn sign(key: &[u8], payload: &str) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(payload.as_bytes());
    mac.finalize().into_bytes().into()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solve(challenge: &str, bits: u32) -> String {
        (0u64..)
            .map(|n| n.to_string())
            .find(|n| zero_bits(&work(challenge, n)) >= bits)
            .unwrap()
    }

    #[test]
    fn proc_object_a_solved_challenge_passes_once_signed_alive_and_hard_enough() {
        let key = b"a key from a Spin variable";
        let c = issue(key, 1_000_000, [7; 16]);
        let nonce = solve(&c, 12);
        assert_eq!(verify(key, &c, &nonce, 1_000_100, 12), Ok(()));
        // Too old, from the future, another key, a changed challenge, too little work.
        assert_eq!(
            verify(key, &c, &nonce, 1_000_000 + LIFETIME + 1, 12),
            Err(Refusal::Expired)
        );
        assert_eq!(verify(key, &c, &nonce, 999_000, 12), Err(Refusal::Expired));
        assert_eq!(
            verify(b"another key", &c, &nonce, 1_000_100, 12),
            Err(Refusal::Forged)
        );
        let changed = c.replacen("1000000", "1000001", 1);
        assert_eq!(
            verify(key, &changed, &nonce, 1_000_100, 12),
            Err(Refusal::Forged)
        );
        let weak = (0u64..)
            .map(|n| n.to_string())
            .find(|n| zero_bits(&work(&c, n)) < 12)
            .unwrap();
        assert_eq!(verify(key, &c, &weak, 1_000_100, 12), Err(Refusal::TooWeak));
        for (challenge, nonce) in [
            ("x", "1"),
            (c.as_str(), ""),
            (c.as_str(), "1 2"),
            ("1.zz.00", "1"),
        ] {
            assert_eq!(
                verify(key, challenge, nonce, 1_000_100, 0),
                Err(Refusal::Malformed)
            );
        }
    }

    /// Checked against digests computed by hand: 0x00 0x0f … has 12 leading zero bits.
    #[test]
    fn zero_bits_count_from_the_first_byte() {
        assert_eq!(zero_bits(&[0x00, 0x0f, 0xff]), 12);
        assert_eq!(zero_bits(&[0x80]), 0);
        assert_eq!(zero_bits(&[0x00, 0x00]), 16);
        assert_eq!(zero_bits(&[0x01]), 7);
    }
}
