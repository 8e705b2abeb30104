//! Flood limits on public writes: who is writing (a hash of what identifies them for one
//! limit), how many writes they made this hour, and the 429 with `Retry-After` when they
//! reached the limit. Checked and counted inside the write's own transaction, so a refused
//! or failed write counts nothing and two concurrent writes cannot both slip under it.

use chrono::{DateTime, FixedOffset, Timelike};
use spin_sdk::http::Request;

use crate::db::Db;
use crate::error::ApiError;
use crate::token::sha256_hex;

/// One limit: its name (inside every client's hash, so limits never share counts) and
/// how many writes a client may make in an hour.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub name: &'static str,
    pub per_hour: i64,
    /// Who is limited, for the refusal: "您所在的网络地址" / "Your network address".
    pub who_zh: &'static str,
    pub who_en: &'static str,
    /// What was written, for the refusal: "件异议" / "objections".
    pub what_zh: &'static str,
    pub what_en: &'static str,
}

impl Limit {
    /// The client `identity` under this limit (hashed: a limit needs to recognise a client,
    /// not to keep its address or contact).
    pub fn client(&self, identity: &str) -> String {
        sha256_hex(format!("{}\u{0}{identity}", self.name).as_bytes())
    }
}

/// The peer's address without the port (`spin-client-addr`, the value Spin appended, never
/// one the client sent) — an IPv6 client by its /64, which one subscriber holds whole.
pub fn peer_address(req: &Request) -> String {
    let addr = crate::route::spin_header(req, "spin-client-addr")
        .unwrap_or("unknown")
        .trim();
    match addr.parse::<std::net::SocketAddr>() {
        Ok(std::net::SocketAddr::V6(v6)) => {
            let s = v6.ip().segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(std::net::SocketAddr::V4(v4)) => v4.ip().to_string(),
        Err(_) => addr.to_owned(),
    }
}

/// The hour writes are counted in (`2026-05-07T09`, the service's time zone).
pub fn hour(now: DateTime<FixedOffset>) -> String {
    format!("{}T{:02}", rules::calendar::ymd(&now), now.hour())
}

/// 429 when `client` reached `limit` this hour; to be asked inside the write's transaction.
pub async fn check(
    db: &Db,
    limit: &Limit,
    client: &str,
    now: DateTime<FixedOffset>,
) -> Result<(), ApiError> {
    let used = store::rate::used(db.store(), client, &hour(now)).await?;
    if used < limit.per_hour {
        return Ok(());
    }
    let wait = 3600 - u64::from(now.minute() * 60 + now.second());
    let (n, who_zh, what_zh) = (limit.per_hour, limit.who_zh, limit.what_zh);
    let (who_en, what_en) = (limit.who_en, limit.what_en);
    Err(ApiError::too_many(
        wait,
        format!("{who_zh}在一小时内已提交 {n} {what_zh}，请于 {wait} 秒后再试。"),
        format!(
            "{who_en} made {n} {what_en} within this hour; please try again in {wait} seconds."
        ),
    ))
}

/// Counts one more write by `client`; inside the write's transaction, after it is stored.
pub async fn count(db: &Db, client: &str, now: DateTime<FixedOffset>) -> Result<(), ApiError> {
    store::rate::count(db.store(), client, &hour(now)).await?;
    Ok(())
}
