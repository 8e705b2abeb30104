//! The proof of work an objection carries (PROC-OBJECT, issue 14): `GET
//! /api/objections/challenge` gives a signed challenge; the objection sends it back with a
//! nonce (`service::proof`). How hard it is comes from the Spin variable
//! `objection_proof_bits` (16 by default, 0 turns it off); the signing key from
//! `objection_challenge_secret`, or, when that is empty, from `admin_token`.

use super::*;
use service::proof::{self, Refusal};

/// The proof an objection carries.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Proof {
    pub challenge: String,
    pub nonce: String,
}

#[derive(Serialize)]
struct Challenge {
    challenge: String,
    bits: u32,
    expires_at: String,
    how_zh: &'static str,
    how_en: &'static str,
}

/// How many leading zero bits a proof needs (0: no proof asked).
pub(crate) async fn bits() -> Result<u32, ApiError> {
    service::variable::number("objection_proof_bits", 16, 28).await
}

/// The signing key: SHA-256 of the configured secret (or of the administrators' tokens).
async fn key() -> Result<Vec<u8>, ApiError> {
    let secret = service::variable::secret("objection_challenge_secret")
        .await
        .unwrap_or_default();
    let secret = if secret.trim().is_empty() {
        service::variable::secret("admin_token")
            .await
            .map_err(|_| ApiError::server_misconfigured("admin_token"))?
    } else {
        secret
    };
    Ok(sha256_hex(format!("objection-challenge\u{0}{secret}").as_bytes()).into_bytes())
}

/// `GET /api/objections/challenge`: a new challenge, not stored anywhere.
pub(crate) async fn issue() -> Result<Reply, ApiError> {
    let now = clock::now().await;
    let random = service::token::random::<16>()?;
    let answer = Challenge {
        challenge: proof::issue(&key().await?, now.timestamp(), random),
        bits: bits().await?,
        expires_at: clock::format(now + chrono::Duration::seconds(proof::LIFETIME)),
        how_zh: "找一个由字母或数字组成的 nonce，使 SHA-256(challenge + \":\" + nonce) 以 bits 个 0 比特开头；提交异议时一并发送 {\"proof\": {\"challenge\", \"nonce\"}}。本页面会自动完成。",
        how_en: "Find a nonce of letters or digits such that SHA-256(challenge + \":\" + nonce) starts with `bits` zero bits; send {\"proof\": {\"challenge\", \"nonce\"}} with the objection. The site's page does this for you.",
    };
    let mut r = json(200, &answer);
    r.headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-store"));
    Ok(r)
}

/// Checks an objection's proof (before anything is stored): the challenge's hash, to be
/// spent inside the filing's transaction, or `None` when no proof is asked.
pub(crate) async fn check(proof: Option<&Proof>) -> Result<Option<String>, ApiError> {
    let bits = bits().await?;
    if bits == 0 {
        return Ok(None);
    }
    let Some(p) = proof else {
        return Err(ApiError::invalid(
            "proof",
            "缺少防刷校验（proof）：请先获取 /api/objections/challenge 并完成计算；本站异议页面会自动完成。",
            "The anti-flood proof is missing: get /api/objections/challenge and solve it first; the site's objection page does this for you.",
        ));
    };
    let now = clock::now().await.timestamp();
    match proof::verify(&key().await?, &p.challenge, &p.nonce, now, bits) {
        Ok(()) => Ok(Some(sha256_hex(p.challenge.as_bytes()))),
        Err(refusal) => {
            let (field, zh, en) = match refusal {
                Refusal::Malformed => (
                    "proof",
                    "防刷校验格式不正确。",
                    "The anti-flood proof is malformed.",
                ),
                Refusal::Forged => (
                    "proof.challenge",
                    "该校验题不是本站签发的，或已被改动。",
                    "The challenge was not issued here, or was changed.",
                ),
                Refusal::Expired => (
                    "proof.challenge",
                    "校验题已过期（有效期一小时），请重新获取。",
                    "The challenge has expired (it lasts an hour); get a new one.",
                ),
                Refusal::TooWeak => (
                    "proof.nonce",
                    "校验答案不正确。",
                    "The nonce does not solve the challenge.",
                ),
            };
            Err(ApiError::invalid(field, zh, en))
        }
    }
}

/// Spends the challenge inside the filing's transaction: a challenge serves one objection.
pub(crate) async fn spend(db: &Db, challenge_hash: &str, at: &str) -> Result<(), ApiError> {
    if store::rate::spend(db.store(), challenge_hash, at).await? {
        return Ok(());
    }
    Err(ApiError::invalid(
        "proof.challenge",
        "该校验题已用过，请重新获取。",
        "This challenge has been used already; get a new one.",
    ))
}
