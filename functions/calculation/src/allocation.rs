//! The round's list: computed from the reviewed applications (CAP-YEAR, CAP-TIMES,
//! BUDGET) and versioned; read by officers. Approval, payment and exports are their own
//! modules (`approval`, `payment`, `export`).

use crate::COMPONENT;
use rules::allocation::{Allocation, AllocationRequest, ApprovedApplication};
use rules::guards::Action;
use rules::model::{Application, PledgedRight};
use rules::procedure::Stage;
use rules::{Decision, Parameters};
use serde::Serialize;
use service::auth::Role;
use service::code::Code;
use service::db::Db;
use service::{ApiError, Reply, json, to_json};
use spin_sdk::http::Request;
use std::collections::BTreeMap;
use store::applications::Status;

/// The kinds of pledged rights that count on a loan that qualifies, for the notice
/// (e.g. `发明专利、驰名商标`).
fn rights_kinds(app: &Application, decision: &Decision) -> (String, String) {
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    for loan in &app.loans {
        let eligible = decision
            .loans
            .iter()
            .any(|l| l.contract_number == loan.contract_number && l.eligible);
        if !eligible {
            continue;
        }
        for right in &loan.pledged_rights {
            let (z, e) = match right {
                PledgedRight::Patent { patent_type, .. } => {
                    (patent_type.zh().to_owned(), patent_type.en().to_owned())
                }
                PledgedRight::Trademark {
                    well_known: true, ..
                } => ("驰名商标".to_owned(), "well-known trademark".to_owned()),
                PledgedRight::Trademark { .. } => ("商标".to_owned(), "trademark".to_owned()),
                _ => continue,
            };
            if !zh.contains(&z) {
                zh.push(z);
                en.push(e);
            }
        }
    }
    (zh.join("、"), en.join(", "))
}

/// A version of the round's list, as computed (`POST`) and read (`GET`).
#[derive(Serialize)]
struct ListView<'a> {
    round_year: i32,
    /// 1, 2, …: a new version each time the list changes.
    version: i64,
    allocation: &'a Allocation,
}

struct Candidate {
    id: String,
    uscc: String,
    name: String,
    submitted_at: String,
    payload: Application,
    decision: Decision,
}

/// The reviewed, eligible applications of the round: the list's candidates.
async fn candidates(db: &Db, year: i32) -> Result<Vec<Candidate>, ApiError> {
    Ok(store::applications::reviewed_in_round(db.store(), year)
        .await?
        .into_iter()
        .filter(|a| a.decision.is_eligible())
        .map(|a| Candidate {
            id: a.id,
            uscc: a.uscc,
            name: a.enterprise_name,
            submitted_at: a.submitted_at_text,
            payload: a.payload,
            decision: a.decision,
        })
        .collect())
}

/// What the rules allocate: each candidate's ceiling and submission moment, and each
/// enterprise's earlier subsidies (CAP-YEAR, CAP-TIMES).
async fn request(
    db: &Db,
    year: i32,
    budget: rules::Money,
    candidates: &[Candidate],
) -> Result<AllocationRequest, ApiError> {
    let mut history = BTreeMap::new();
    for c in candidates {
        if !history.contains_key(&c.uscc) {
            let records = store::history::subsidies(db.store(), &c.uscc).await?;
            history.insert(c.uscc.clone(), records);
        }
    }
    Ok(AllocationRequest {
        year,
        budget,
        applications: candidates
            .iter()
            .map(|c| {
                Ok(ApprovedApplication {
                    id: c.id.clone(),
                    enterprise: c.uscc.clone(),
                    submitted_at: chrono::DateTime::parse_from_rfc3339(&c.submitted_at)
                        .map_err(|e| ApiError::internal(&e.to_string()))?,
                    ceiling_amount: c.decision.amount,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        history,
    })
}

/// Computes (or recomputes) the proposed list. The same data gives the same list: no
/// new version when nothing changed. The guard (PROC-REVIEW, BUDGET: every application
/// decided, the round under review or allocated), the reading of the decided applications
/// and the writes are one transaction.
pub async fn compute(req: Request, year: i32) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Admin).await?;
    let db = Db::open().await?;
    let now = service::clock::now().await;
    let at = service::clock::format(now);
    let (version, created) = db
        .transaction(|| async {
            let (snapshot, allowed) = round::guard::check(&db, year, now, Action::Allocate).await?;
            let round = store::rounds::find(db.store(), year)
                .await?
                .ok_or_else(|| round::stage::no_round(year))?
                .round;
            let candidates = candidates(&db, year).await?;
            let request = request(&db, year, round.budget, &candidates).await?;
            let input_hash = service::token::sha256_hex(to_json(&request)?.as_bytes());
            let allocation = rules::allocate(&request, &Parameters::default())
                .map_err(service::error::input_error)?;
            let previous = store::allocations::latest(db.store(), year).await?;
            if let Some(p) = &previous
                && p.input_hash == input_hash
            {
                return Ok((p.number, false));
            }
            let v = previous.map_or(1, |p| p.number + 1);
            let version = store::allocations::Version {
                number: v,
                input_hash: input_hash.clone(),
                allocation: allocation.clone(),
            };
            store::allocations::add_version(
                db.store(),
                year,
                &version,
                store::allocations::Reason::Allocation,
                &at,
            )
            .await?;
            let mut number = 0;
            for line in &allocation.lines {
                let Some(c) = candidates.iter().find(|c| c.id == line.id) else {
                    continue;
                };
                let status = if line.granted.is_zero() {
                    Status::Refused
                } else {
                    Status::Proposed
                };
                store::applications::set_status(db.store(), &line.id, status, &at).await?;
                if line.granted.is_zero() {
                    continue;
                }
                number += 1;
                let (rights_zh, rights_en) = rights_kinds(&c.payload, &c.decision);
                let stored = store::allocations::Line {
                    application_id: line.id.clone(),
                    number,
                    uscc: c.uscc.clone(),
                    enterprise_name: c.name.clone(),
                    rights_zh,
                    rights_en,
                    ceiling: line.ceiling_amount,
                    granted: line.granted,
                };
                store::allocations::add_line(db.store(), year, v, &stored).await?;
            }
            if snapshot.stage == Stage::UnderReview {
                // The guard above allowed allocation at this stage (PROC-REVIEW, BUDGET).
                store::rounds::set_stage(
                    db.store(),
                    year,
                    Stage::UnderReview,
                    Stage::Allocated,
                    &at,
                )
                .await?;
            }
            let detail = format!(
                "{{\"version\":{v},\"granted\":\"{}\",\"budget\":\"{}\"}}",
                allocation.granted_total, allocation.budget
            );
            db.audit_entry(&store::audit::Entry {
                actor: &actor,
                component: COMPONENT,
                action: "allocation.compute",
                subject: Some(&format!("round:{year}")),
                rules: allowed,
                detail_json: &detail,
            })
            .await?;
            Ok((v, true))
        })
        .await?;
    let (_, stored) = round::list::latest(&db, year)
        .await?
        .ok_or_else(|| ApiError::internal("list vanished"))?;
    Ok(json(
        if created { 201 } else { 200 },
        &ListView {
            round_year: year,
            version,
            allocation: &stored,
        },
    ))
}

/// The list (officers), newest version or `?version=N`.
pub async fn read(req: Request, year: i32) -> Result<Reply, ApiError> {
    service::auth::require(&req, Role::Officer).await?;
    let db = Db::open().await?;
    let query = service::query::query(&req, &["version"])?;
    let version = query
        .get("version")
        .map(|v| {
            v.parse::<i64>().ok().filter(|v| *v >= 1).ok_or_else(|| {
                ApiError::invalid(
                    "version",
                    "版本须为正整数。",
                    "The version must be a positive integer.",
                )
            })
        })
        .transpose()?;
    let (version, allocation) = match version {
        None => round::list::latest(&db, year).await?.ok_or_else(no_list)?,
        Some(v) => {
            let found = store::allocations::by_number(db.store(), year, v)
                .await?
                .ok_or_else(no_list)?;
            (v, found.allocation)
        }
    };
    Ok(json(
        200,
        &ListView {
            round_year: year,
            version,
            allocation: &allocation,
        },
    ))
}

pub(crate) fn no_list() -> ApiError {
    ApiError::new(
        404,
        Code::ListNotFound,
        "该年度尚无拟补助名单。",
        "The round has no list yet.",
    )
}
