//! The `Idempotency-Key` request header: a client that retries a write with the same key
//! gets the first answer again (the store keeps it, `store::idempotency`). Each component
//! scopes the key to whoever it belongs to (an enterprise, an objector).

use serde::Serialize;
use serde_json::{Map, Value};
use spin_sdk::http::Request;
use store::idempotency::Remembered;

use crate::db::Db;
use crate::error::ApiError;

/// What a key keeps of the first answer: the answer without its private token, and the
/// token sealed under the key ([`crate::token::seal`]) — a retry with the key gets the same
/// token back (the one saved keeps working); the database alone opens it only for a key
/// that can be guessed (clients should send random keys).
#[derive(Serialize)]
struct Kept<T> {
    #[serde(flatten)]
    answer: T,
    sealed_token: String,
}

/// The request's key: 1 to 128 visible ASCII characters, or none.
pub fn key(req: &Request) -> Result<Option<String>, ApiError> {
    let Some(v) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let k = v.to_str().unwrap_or("").trim();
    if k.is_empty() || k.len() > 128 || !k.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::invalid(
            "idempotency-key",
            "Idempotency-Key 须为1至128个可见 ASCII 字符。",
            "Idempotency-Key must be 1 to 128 visible ASCII characters.",
        ));
    }
    Ok(Some(k.to_owned()))
}

/// Keeps `answer` (without its token) and `token`, sealed, as what `key` answered to the
/// request whose digest is `request_hash`. Call it inside the write's transaction.
pub async fn keep<T: Serialize>(
    db: &Db,
    component: &str,
    key: &str,
    request_hash: &str,
    answer: &T,
    token: &str,
) -> Result<(), ApiError> {
    let sealed_token = crate::token::seal(token, key)
        .ok_or_else(|| ApiError::internal("a private token that cannot be sealed"))?;
    let remembered = Remembered {
        request_hash: request_hash.to_owned(),
        response_json: crate::to_json(&Kept {
            answer,
            sealed_token,
        })?,
    };
    store::idempotency::remember(db.store(), component, key, 201, &remembered).await?;
    Ok(())
}

/// The first answer to `key` (as the JSON object it was, without its token) and its
/// private token, if `key` was used; 422 when it was used for another request (`what`: the
/// kind of request, in both languages). The answer is sent back as it was kept, never
/// read into its type: a typed read of a flattened struct would be a deserialiser of its
/// own in every component that replays.
pub async fn replay(
    db: &Db,
    component: &str,
    key: &str,
    request_hash: &str,
    what: (&str, &str),
) -> Result<Option<(Map<String, Value>, String)>, ApiError> {
    let Some(first) = store::idempotency::find(db.store(), component, key).await? else {
        return Ok(None);
    };
    if first.request_hash != request_hash {
        return Err(reused(what.0, what.1));
    }
    let mut answer: Map<String, Value> = crate::from_json(&first.response_json)?;
    let token = match answer.remove("sealed_token") {
        Some(Value::String(sealed)) => crate::token::unseal(&sealed, key),
        _ => None,
    }
    .ok_or_else(|| ApiError::internal("a kept private token that cannot be unsealed"))?;
    Ok(Some((answer, token)))
}

/// 422: the key was first used with another request.
fn reused(what_zh: &str, what_en: &str) -> ApiError {
    ApiError::new(
        422,
        crate::code::Code::IdempotencyKeyReused,
        format!("该 Idempotency-Key 已用于另一份不同的{what_zh}。"),
        format!("This Idempotency-Key was used for a different {what_en}."),
    )
    .field("idempotency-key")
}
