//! Numeric settings from Spin variables (a flood limit, a proof's difficulty): empty or
//! undeclared means the default; anything else must be a whole number in range, or the
//! deployment is misconfigured (500 `server_misconfigured`, naming the variable).

use crate::error::ApiError;

/// The whole number in Spin variable `name`, between 0 and `max`; `default` when empty.
pub async fn number(name: &str, default: u32, max: u32) -> Result<u32, ApiError> {
    let v = spin_sdk::variables::get(name).await.unwrap_or_default();
    if v.trim().is_empty() {
        return Ok(default);
    }
    v.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| {
            ApiError::server_misconfigured(&format!(
                "{name} must be a whole number from 0 to {max}"
            ))
        })
}
