//! Intake: application rounds (the year's guide) and applications.
//!
//! Routes (see spin.toml): `/api/rounds/...`, `/api/applications/...`,
//! `/api/health/intake`. At this stage: rounds can be created by an administrator and
//! read by anyone; applications come with the next issue.

use serde::{Deserialize, Serialize};
use service::body::{JSON_LIMIT, read_json, read_limited};
use service::db::{Db, SqlValue};
use service::route::{only, request_segments};
use service::{ApiError, Reply, json};
use spin_sdk::http::{Method, Request};
use spin_sdk::http_service;

const COMPONENT: &str = "intake";

#[http_service]
async fn handle(req: Request) -> Reply {
    service::error::finish(route(req).await)
}

async fn route(req: Request) -> Result<Reply, ApiError> {
    let segs = request_segments(&req);
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    match segs.as_slice() {
        ["api", "health", "intake"] => {
            only(&req, &[Method::GET])?;
            Ok(service::route::health(COMPONENT, true).await)
        }
        ["api", "rounds"] if req.method() == Method::POST => create_round(req).await,
        ["api", "rounds"] => {
            only(&req, &[Method::GET, Method::POST])?;
            list_rounds().await
        }
        ["api", "rounds", year] => {
            only(&req, &[Method::GET])?;
            let year = parse_year(year)?;
            get_round(year).await
        }
        ["api", "applications", ..] => {
            // Applications come with the next issue; the body limit already applies.
            read_limited(req, JSON_LIMIT).await?;
            Err(ApiError::not_implemented())
        }
        _ => Err(ApiError::not_found()),
    }
}

fn parse_year(s: &str) -> Result<i64, ApiError> {
    s.parse::<i64>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| {
            ApiError::invalid(
                "year",
                "年度必须是 2000 至 2100 之间的整数。",
                "The year must be an integer between 2000 and 2100.",
            )
        })
}

/// A round as stored and shown.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Round {
    year: i64,
    opens_on: String,
    closes_on: String,
    budget_cny: String,
    loans_repaid_from: String,
    loans_repaid_to: String,
    #[serde(default)]
    key_industries: Vec<String>,
    #[serde(default = "draft")]
    status: String,
}

fn draft() -> String {
    "draft".into()
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn is_money(s: &str) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !int.is_empty()
        && int.bytes().all(|c| c.is_ascii_digit())
        && frac.len() <= 2
        && frac.bytes().all(|c| c.is_ascii_digit())
}

fn validate(r: &Round) -> Result<(), ApiError> {
    parse_year(&r.year.to_string())?;
    for (field, v) in [
        ("opens_on", &r.opens_on),
        ("closes_on", &r.closes_on),
        ("loans_repaid_from", &r.loans_repaid_from),
        ("loans_repaid_to", &r.loans_repaid_to),
    ] {
        if !is_iso_date(v) {
            return Err(ApiError::invalid(
                field,
                "日期格式必须为 YYYY-MM-DD。",
                "Dates must be written YYYY-MM-DD.",
            ));
        }
    }
    if r.opens_on > r.closes_on {
        return Err(ApiError::invalid(
            "closes_on",
            "截止日期不得早于开始日期。",
            "The closing date cannot precede the opening date.",
        ));
    }
    if !is_money(&r.budget_cny) {
        return Err(ApiError::invalid(
            "budget_cny",
            "预算金额必须是最多两位小数的非负金额（元），以字符串表示。",
            "The budget must be a non-negative CNY amount with at most two decimals, as a string.",
        ));
    }
    if r.status != "draft" {
        return Err(ApiError::invalid(
            "status",
            "新建的申报批次只能处于草稿状态。",
            "A new round can only be created as a draft.",
        ));
    }
    Ok(())
}

async fn create_round(req: Request) -> Result<Reply, ApiError> {
    service::auth::require(&req, "admin_token").await?;
    let round: Round = read_json(req, JSON_LIMIT).await?;
    validate(&round)?;
    let db = Db::open().await?;
    let industries = serde_json::to_string(&round.key_industries)
        .map_err(|e| ApiError::internal(&e.to_string()))?;
    db.execute(
        "INSERT INTO rounds (year, opens_on, closes_on, budget_cny, loans_repaid_from, \
         loans_repaid_to, key_industries) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            SqlValue::Integer(round.year),
            SqlValue::from(round.opens_on.as_str()),
            SqlValue::from(round.closes_on.as_str()),
            SqlValue::from(round.budget_cny.as_str()),
            SqlValue::from(round.loans_repaid_from.as_str()),
            SqlValue::from(round.loans_repaid_to.as_str()),
            SqlValue::from(industries),
        ],
    )
    .await?;
    let detail = serde_json::to_string(&round).map_err(|e| ApiError::internal(&e.to_string()))?;
    db.audit(
        "admin",
        COMPONENT,
        "round.create",
        Some(&format!("round:{}", round.year)),
        &detail,
    )
    .await?;
    Ok(json(201, &round))
}

const ROUND_COLUMNS: &str = "year, opens_on, closes_on, budget_cny, loans_repaid_from, \
     loans_repaid_to, key_industries, status";

fn rows_to_rounds(rows: &service::db::Rows) -> Vec<Round> {
    rows.rows
        .iter()
        .map(|r| Round {
            year: r.get::<i64>(0).unwrap_or_default(),
            opens_on: r.get::<&str>(1).unwrap_or_default().to_owned(),
            closes_on: r.get::<&str>(2).unwrap_or_default().to_owned(),
            budget_cny: r.get::<&str>(3).unwrap_or_default().to_owned(),
            loans_repaid_from: r.get::<&str>(4).unwrap_or_default().to_owned(),
            loans_repaid_to: r.get::<&str>(5).unwrap_or_default().to_owned(),
            key_industries: serde_json::from_str(r.get::<&str>(6).unwrap_or("[]"))
                .unwrap_or_default(),
            status: r.get::<&str>(7).unwrap_or_default().to_owned(),
        })
        .collect()
}

async fn list_rounds() -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let rows = db
        .query(
            &format!("SELECT {ROUND_COLUMNS} FROM rounds ORDER BY year DESC"),
            [],
        )
        .await?;
    Ok(json(
        200,
        &serde_json::json!({ "rounds": rows_to_rounds(&rows) }),
    ))
}

async fn get_round(year: i64) -> Result<Reply, ApiError> {
    let db = Db::open().await?;
    let rows = db
        .query(
            &format!("SELECT {ROUND_COLUMNS} FROM rounds WHERE year = ?"),
            [SqlValue::Integer(year)],
        )
        .await?;
    match rows_to_rounds(&rows).into_iter().next() {
        Some(r) => Ok(json(200, &r)),
        None => Err(ApiError::not_found().field("year")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_dates() {
        assert!(is_money("300000"));
        assert!(is_money("1234.5"));
        assert!(is_money("0.01"));
        assert!(!is_money("-1"));
        assert!(!is_money("1.234"));
        assert!(!is_money(""));
        assert!(is_iso_date("2026-03-01"));
        assert!(!is_iso_date("2026-3-01"));
    }
}
