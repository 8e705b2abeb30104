//! Settings from Spin variables (a flood limit, a proof's difficulty, a switch): empty or
//! undeclared means the default; anything else must be a whole number in range, or `on`
//! or `off`, or the deployment is misconfigured (500 `server_misconfigured`, naming the
//! variable).

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

/// The switch in Spin variable `name`: `on` or `off`; `default` when empty.
pub async fn switch(name: &str, default: bool) -> Result<bool, ApiError> {
    let v = spin_sdk::variables::get(name).await.unwrap_or_default();
    match v.trim() {
        "" => Ok(default),
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(ApiError::server_misconfigured(&format!(
            "{name} must be on or off"
        ))),
    }
}
