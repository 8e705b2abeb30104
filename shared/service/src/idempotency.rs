//! The `Idempotency-Key` request header: a client that retries a write with the same key
//! gets the first answer again (the store keeps it, `store::idempotency`). Each component
//! scopes the key to whoever it belongs to (an enterprise, an objector).

use spin_sdk::http::Request;

use crate::error::ApiError;

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

/// 422: the key was first used with another request.
pub fn reused(what_zh: &str, what_en: &str) -> ApiError {
    ApiError::new(
        422,
        crate::code::Code::IdempotencyKeyReused,
        format!("该 Idempotency-Key 已用于另一份不同的{what_zh}。"),
        format!("This Idempotency-Key was used for a different {what_en}."),
    )
    .field("idempotency-key")
}
