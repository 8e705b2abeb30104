//! The small routing each component does once Spin has picked it, and health answers.

use serde::Serialize;
use spin_sdk::http::{Method, Request};

use crate::db::Db;
use crate::error::{ApiError, Reply, json};

/// The path's non-empty segments (`/api/rounds/2025/` → `["api", "rounds", "2025"]`).
pub fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// The request path's segments.
pub fn request_segments(req: &Request) -> Vec<String> {
    segments(req.uri().path())
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// A header Spin sets on the request (`spin-client-addr`, `spin-full-url`, …): the **last**
/// value. Spin passes a header of that name sent by the client through and appends its
/// own after it, so the first value is whatever the client chose to claim.
pub fn spin_header<'r>(req: &'r Request, name: &str) -> Option<&'r str> {
    last_value(req.headers().get_all(name).iter().map(|v| v.to_str().ok()))
}

/// The last of a header's values, if it is text (a pure helper of [`spin_header`]).
fn last_value<'v>(values: impl Iterator<Item = Option<&'v str>>) -> Option<&'v str> {
    values.last().flatten()
}

/// A round's year in a path: an integer from 2000 to 2100.
pub fn parse_year(s: &str) -> Result<i32, ApiError> {
    // Exactly four digits: one address per round (`+2026` and `02026` are not 2026).
    Some(s)
        .filter(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| {
            ApiError::invalid(
                "year",
                "年度必须是 2000 至 2100 之间的整数。",
                "The year must be an integer between 2000 and 2100.",
            )
        })
}

/// Refuses methods other than `allowed` with 405 and an `Allow` header. Wherever GET is
/// allowed, so is HEAD (RFC 9110 §9.3.2): the handler answers as for GET and
/// [`crate::error::finish`] sends the head without the body.
pub fn only(req: &Request, allowed: &[Method]) -> Result<(), ApiError> {
    let methods = with_head(allowed);
    if methods.contains(req.method()) {
        Ok(())
    } else {
        let list: Vec<&str> = methods.iter().map(Method::as_str).collect();
        Err(ApiError::method_not_allowed(&list.join(", ")))
    }
}

/// `allowed`, with HEAD after GET when GET is there and HEAD is not.
fn with_head(allowed: &[Method]) -> Vec<Method> {
    let mut methods = Vec::with_capacity(allowed.len() + 1);
    for m in allowed {
        methods.push(m.clone());
        if *m == Method::GET && !allowed.contains(&Method::HEAD) {
            methods.push(Method::HEAD);
        }
    }
    methods
}

#[derive(Serialize)]
struct Health<'a> {
    component: &'a str,
    status: &'a str,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema_expected: Option<&'a str>,
    /// What each round's documents take (intake, which stores them).
    #[serde(skip_serializing_if = "Option::is_none")]
    documents: Option<Vec<store::documents::RoundStorage>>,
}

impl<'a> Health<'a> {
    /// A component that answers, nothing else known yet.
    fn of(component: &'a str, status: &'a str) -> Self {
        Health {
            component,
            status,
            version: crate::VERSION,
            database: None,
            schema: None,
            schema_expected: None,
            documents: None,
        }
    }
}

/// The health answer of a component without a database (the static site).
pub fn health(component: &str) -> Reply {
    json(200, &Health::of(component, "ok"))
}

/// The health answer of a component with a database: it also checks that the database
/// opens and carries the newest migration (503 otherwise).
pub async fn health_with_db(component: &str) -> Reply {
    db_health(component, false).await
}

/// As [`health_with_db`], with what each round's documents take (the component that
/// stores them says so: a disk filling up shows before it is full).
pub async fn health_with_documents(component: &str) -> Reply {
    db_health(component, true).await
}

async fn db_health(component: &str, with_documents: bool) -> Reply {
    let expected = store::schema::latest();
    let db = match Db::open().await {
        Ok(db) => db,
        Err(e) => return e.reply(),
    };
    let schema = db.schema_version().await;
    match schema {
        Ok(Some(v)) if v.as_str() >= expected => {
            // Reading is not enough: a full disk or a read-only file still reads.
            if let Err(e) = store::schema::writable(db.store()).await {
                eprintln!("health: the database refuses writes: {e}");
                return json(
                    503,
                    &Health {
                        database: Some("not_writable"),
                        schema: Some(v),
                        schema_expected: Some(expected),
                        ..Health::of(component, "degraded")
                    },
                );
            }
            let documents = if with_documents {
                match store::documents::stored_per_round(db.store()).await {
                    Ok(d) => Some(d),
                    Err(e) => return ApiError::from(e).reply(),
                }
            } else {
                None
            };
            json(
                200,
                &Health {
                    database: Some("ok"),
                    schema: Some(v),
                    schema_expected: Some(expected),
                    documents,
                    ..Health::of(component, "ok")
                },
            )
        }
        Ok(v) => json(
            503,
            &Health {
                database: Some("schema_outdated"),
                schema: v,
                schema_expected: Some(expected),
                ..Health::of(component, "degraded")
            },
        ),
        Err(e) => e.reply(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_is_allowed_wherever_get_is_and_listed_once() {
        let names = |m: &[Method]| -> Vec<String> {
            with_head(m).iter().map(|m| m.as_str().to_owned()).collect()
        };
        assert_eq!(names(&[Method::GET]), ["GET", "HEAD"]);
        assert_eq!(names(&[Method::GET, Method::POST]), ["GET", "HEAD", "POST"]);
        assert_eq!(names(&[Method::GET, Method::HEAD]), ["GET", "HEAD"]);
        assert_eq!(names(&[Method::POST]), ["POST"]);
    }

    #[test]
    fn segments_ignore_empty_parts() {
        assert_eq!(
            segments("/api//rounds/2025/"),
            vec!["api", "rounds", "2025"]
        );
        assert!(segments("/").is_empty());
    }

    /// Spin appends its own `spin-client-addr` after one a client sent: only the last counts.
    #[test]
    fn the_last_spin_header_value_is_spins() {
        let forged_then_spin = [Some("10.9.8.7:1234"), Some("127.0.0.1:5555")];
        assert_eq!(
            last_value(forged_then_spin.into_iter()),
            Some("127.0.0.1:5555")
        );
        assert_eq!(
            last_value([Some("127.0.0.1:1")].into_iter()),
            Some("127.0.0.1:1")
        );
        assert_eq!(last_value(std::iter::empty()), None);
        // A last value that is not text is not replaced by an earlier, client-sent one.
        assert_eq!(last_value([Some("10.9.8.7:1"), None].into_iter()), None);
    }

    #[test]
    fn a_year_is_four_digits_between_2000_and_2100() {
        assert_eq!(parse_year("2026").ok(), Some(2026));
        for bad in ["+2026", "02026", "1999", "2101", "20 26", "", "２０２６"] {
            let e = parse_year(bad).expect_err(bad);
            assert_eq!((e.status, e.field.as_deref()), (400, Some("year")), "{bad}");
        }
    }
}
