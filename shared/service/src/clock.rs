//! The current moment, in Asia/Shanghai (UTC+08:00, see `rules::calendar::shanghai`).
//!
//! The rules crate takes time as a parameter; this is the one place the components read
//! the clock. For end-to-end tests of deadlines (PROC-LATE, PROC-NOTICE, PROC-OBJECT) the
//! Spin variable `clock_override` may hold an RFC 3339 moment: it is set by whoever runs
//! the app (manifest default empty), never over HTTP.

use chrono::{DateTime, FixedOffset, Utc};
use rules::calendar::shanghai;

/// Now, in Beijing time.
pub async fn now() -> DateTime<FixedOffset> {
    if let Ok(v) = crate::variable::get("clock_override").await
        && let Ok(t) = DateTime::parse_from_rfc3339(v.trim())
    {
        return t.with_timezone(&shanghai());
    }
    system_now()
}

/// The system clock, in Beijing time.
pub fn system_now() -> DateTime<FixedOffset> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    DateTime::<Utc>::from_timestamp(since.as_secs() as i64, since.subsec_nanos())
        .unwrap_or_default()
        .with_timezone(&shanghai())
}

/// A moment as stored and shown: RFC 3339 with the +08:00 offset, whole seconds.
pub fn format(t: DateTime<FixedOffset>) -> String {
    store::moment(t)
}
