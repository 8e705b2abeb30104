//! Rounds: created from the year's application guide (PROC-GUIDE) and read by anyone
//! (administrators move their stage: the review component and, later, calculation and
//! notices).

use crate::{COMPONENT, read_rules_request, to_json};
use chrono::{DateTime, FixedOffset};
use round::view::{RoundView, load};
use rules::{Parameters, Round};
use serde::Serialize;
use service::auth::Role;
use service::body::JSON_LIMIT;
use service::code::Code;
use service::db::Db;
use service::published::{self, Rendered};
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;

pub use service::route::parse_year;

/// PROC-GUIDE, VALID: a new round from the guide.
pub async fn create(req: Request) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Admin).await?;
    let round: Round = read_rules_request(req, JSON_LIMIT).await?;
    check_round(&round)?;
    let db = Db::open().await?;
    let moment = service::clock::now().await;
    let now = service::clock::format(moment);
    let body = to_json(&round)?;
    db.transaction(|| async {
        if store::rounds::find(db.store(), round.year).await?.is_some() {
            return Err(ApiError::conflict(
                format!("{}年度的申报已存在。", round.year),
                format!("The {} round already exists.", round.year),
            )
            .field("year"));
        }
        let others: Vec<Round> = store::rounds::list(db.store())
            .await?
            .into_iter()
            .map(|r| r.round)
            .collect();
        rules::guards::check_new_round(&round, &others).map_err(ApiError::refusal)?;
        store::rounds::insert(db.store(), &round, &now).await?;
        db.audit(
            &actor,
            COMPONENT,
            "round.create",
            Some(&format!("round:{}", round.year)),
            &body,
        )
        .await
    })
    .await?;
    Ok(json(201, &load(&db, round.year).await?.at(moment)))
}

fn check_round(round: &Round) -> Result<(), ApiError> {
    parse_year(&round.year.to_string())?;
    if round.window.opens_at >= round.window.closes_at {
        return Err(ApiError::invalid(
            "window.closes_at",
            "申报截止时间须晚于开始时间。",
            "The window must close after it opens.",
        ));
    }
    if round.covered_period.from > round.covered_period.to {
        return Err(ApiError::invalid(
            "covered_period.to",
            "贷款覆盖期间的结束日不得早于开始日。",
            "The covered period must not end before it starts.",
        ));
    }
    let params = Parameters::default();
    let shanghai = rules::calendar::shanghai();
    for (field, t) in [
        ("window.opens_at", round.window.opens_at),
        ("window.closes_at", round.window.closes_at),
    ] {
        if !params.in_force_on(t.with_timezone(&shanghai).date_naive()) {
            return Err(ApiError::invalid(
                field,
                format!(
                    "申报期须在本办法有效期内（{} 至 {}，不含）（VALID）。",
                    params.measures.publication_date,
                    params.valid_until_exclusive()
                ),
                format!(
                    "The window must lie inside the measures' validity ({} until {}, exclusive) (VALID).",
                    params.measures.publication_date,
                    params.valid_until_exclusive()
                ),
            ));
        }
    }
    service::error::prose("guide_reference", &round.guide_reference, 0, 100, false)?;
    check_guide(round)?;
    for (i, k) in round.extra_key_industries.iter().enumerate() {
        let at = |f: &str| format!("extra_key_industries[{i}].{f}");
        rules::text::check_code(&at("code"), &k.code).map_err(service::error::field_error)?;
        service::error::prose(&at("zh"), &k.zh, 1, 100, false)?;
        service::error::prose(&at("en"), &k.en, 1, 100, false)?;
    }
    if round.budget.is_zero() {
        return Err(ApiError::invalid(
            "budget",
            "年度预算须大于0（BUDGET）。",
            "The budget must be more than zero (BUDGET).",
        ));
    }
    Ok(())
}

/// PROC-GUIDE: 申报指南…报政府审议通过后实施 — a round opens for applications only with its
/// guide and the district government's approval of it recorded, the approval dated before
/// the window opens.
fn check_guide(round: &Round) -> Result<(), ApiError> {
    let Some(guide) = &round.guide else {
        return Err(ApiError::invalid(
            "guide",
            "申报指南须经区政府审议通过后实施：请填写指南标题、申报材料清单，以及区政府审议通过的日期和文号（PROC-GUIDE）。",
            "The guide takes effect once the district government approves it: give its title, the materials list, and the date and reference of the government's approval (PROC-GUIDE).",
        ));
    };
    service::error::prose("guide.title", &guide.title, 1, 200, false)?;
    if let Some(url) = &guide.url
        && (!(url.starts_with("https://") || url.starts_with("http://"))
            || url.chars().count() > 500
            || url.chars().any(|c| c.is_whitespace() || c.is_control()))
    {
        return Err(ApiError::invalid(
            "guide.url",
            "指南链接须为不超过500字符的 http(s) 地址。",
            "The guide's link must be an http(s) address of at most 500 characters.",
        ));
    }
    if guide.materials.is_empty() || guide.materials.len() > 50 {
        return Err(ApiError::invalid(
            "guide.materials",
            "申报材料清单须列出1至50项材料。",
            "The materials list must name 1 to 50 items.",
        ));
    }
    for (i, m) in guide.materials.iter().enumerate() {
        service::error::prose(&format!("guide.materials[{i}]"), m, 1, 200, false)?;
    }
    service::error::prose(
        "guide.approval.reference",
        &guide.approval.reference,
        1,
        100,
        false,
    )?;
    let opens_on = round
        .window
        .opens_at
        .with_timezone(&rules::calendar::shanghai())
        .date_naive();
    if guide.approval.approved_on > opens_on {
        return Err(ApiError::invalid(
            "guide.approval.approved_on",
            format!("申报指南须在申报开始（{opens_on}）前经区政府审议通过（PROC-GUIDE）。"),
            format!(
                "The guide must be approved by the district government before the window opens on {opens_on} (PROC-GUIDE)."
            ),
        ));
    }
    Ok(())
}

/// Every round (`GET /api/rounds`).
#[derive(Serialize)]
struct RoundList {
    rounds: Vec<RoundView>,
}

pub async fn list() -> Result<Reply, ApiError> {
    kept("rounds", |now| async move {
        let db = Db::open().await?;
        let rounds: Vec<RoundView> = store::rounds::list(db.store())
            .await?
            .into_iter()
            .map(|r| RoundView::from(r).at(now))
            .collect();
        let changes_at = rounds.iter().filter_map(|r| r.next_change_after(now)).min();
        Ok((to_vec(&RoundList { rounds })?, changes_at))
    })
    .await
}

/// The newest round (what the web page pre-checks against).
pub async fn current() -> Result<Reply, ApiError> {
    kept("rounds:current", |now| async move {
        let db = Db::open().await?;
        match store::rounds::newest(db.store()).await? {
            Some(r) => {
                let view = RoundView::from(r).at(now);
                Ok((to_vec(&view)?, view.next_change_after(now)))
            }
            None => Err(ApiError::new(
                404,
                Code::RoundNotFound,
                "尚未发布任何年度的申报。",
                "No round has been published yet.",
            )),
        }
    })
    .await
}

pub async fn get(year: i32) -> Result<Reply, ApiError> {
    kept(&format!("rounds:{year}"), |now| async move {
        let view = load(&Db::open().await?, year).await?.at(now);
        Ok((to_vec(&view)?, view.next_change_after(now)))
    })
    .await
}

/// A public read of rounds, made once and kept (`service::published`) until a round is
/// written or the clock opens or closes a window; `render` answers the JSON and that
/// moment.
async fn kept<F, Fut>(key: &str, render: F) -> Result<Reply, ApiError>
where
    F: FnOnce(DateTime<FixedOffset>) -> Fut,
    Fut: Future<Output = Result<(Vec<u8>, Option<DateTime<FixedOffset>>), ApiError>>,
{
    let now = service::clock::now().await;
    let r = published::read(key, "", now, || async move {
        let (body, changes_at) = render(now).await?;
        Ok(Rendered::new(body, JSON_TYPE, None, changes_at))
    })
    .await?;
    Ok(service::error::bytes_reply(200, &r.content_type, r.body))
}

const JSON_TYPE: &str = "application/json; charset=utf-8";

fn to_vec<T: Serialize>(value: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value).map_err(|e| ApiError::internal(&e.to_string()))
}
