//! Settings from Spin variables (a flood limit, a proof's difficulty, a switch): empty or
//! undeclared means the default; anything else must be a whole number in range, or `on`
//! or `off`, or the deployment is misconfigured (500 `server_misconfigured`, naming the
//! variable).

use std::rc::Rc;

use crate::error::ApiError;
use crate::memory::Memory;

thread_local! {
    /// The variables this instance has read, by name.
    static READ: Memory<String> = const { Memory::new(64) };
}

/// Spin variable `name`, asked of the host once per instance (`crate::memory`: a read is
/// a call to the host, 15–60 µs on Spin). A deployment's settings do not change under a
/// running app; one changed at a provider that can change it (Vault, Azure Key Vault) is
/// seen by the next instance, within 128 requests. Secrets are read with [`secret`].
/// Errors are not kept: the next read asks again.
pub async fn get(name: &str) -> Result<String, spin_sdk::variables::Error> {
    if let Some(v) = READ.with(|read| read.get(name)) {
        return Ok(String::clone(&v));
    }
    let v = spin_sdk::variables::get(name).await?;
    READ.with(|read| read.keep(name, Rc::new(v.clone())));
    Ok(v)
}

/// A secret in Spin variable `name` (a deployment token, a signing secret, the first
/// administrator's password), asked of the host for every request and never kept in the
/// instance's memory: a secret withdrawn or rotated at the provider stops working at once,
/// not when the instance is dropped.
pub async fn secret(name: &str) -> Result<String, spin_sdk::variables::Error> {
    spin_sdk::variables::get(name).await
}

/// The whole number in Spin variable `name`, between 0 and `max`; `default` when empty.
pub async fn number(name: &str, default: u32, max: u32) -> Result<u32, ApiError> {
    let v = get(name).await.unwrap_or_default();
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
    let v = get(name).await.unwrap_or_default();
    match v.trim() {
        "" => Ok(default),
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(ApiError::server_misconfigured(&format!(
            "{name} must be on or off"
        ))),
    }
}
