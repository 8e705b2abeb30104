//! The credit register (PROC-CREDIT): officers add a finding against an enterprise,
//! correct it, mark it repaired (信用修复) or withdraw it when entered in error. Each change
//! is audited with its reason; a review decides on the findings not withdrawn, as they
//! stand at the review.

use chrono::NaiveDate;
use rules::model::CreditFindingKind;
use serde::{Deserialize, Serialize};
use service::auth::Role;
use service::body::JSON_LIMIT;
use service::code::Code;
use service::db::Db;
use service::error::prose;
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;
use store::credit::Registered;

use crate::enterprises::parse_code;
use crate::{COMPONENT, read_rules_json, to_json};

/// A finding as officers enter it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewFinding {
    kind: CreditFindingKind,
    /// The finding's date (the accident, the record, the tax finding).
    date: NaiveDate,
    /// Where it was found, e.g. `信用中国（北京）` or a department.
    source: String,
}

/// What a change does to a registered finding.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Action {
    /// Its kind, date or source was entered wrongly (`kind`, `date`, `source`).
    Correct,
    /// 信用修复: from `repaired_on` it no longer counts.
    Repair,
    /// Entered in error: it never counted.
    Withdraw,
}

/// A change to a registered finding, with its reason. (One flat shape rather than a
/// tagged enum: serde's tagged enums cost the component tens of kilobytes.)
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeIn {
    action: Action,
    reason: String,
    #[serde(default)]
    kind: Option<CreditFindingKind>,
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    repaired_on: Option<NaiveDate>,
}

/// A change, checked: each action with exactly its fields.
enum Change {
    Correct {
        kind: CreditFindingKind,
        date: NaiveDate,
        source: String,
    },
    Repair {
        repaired_on: NaiveDate,
    },
    Withdraw,
}

impl ChangeIn {
    fn checked(self) -> Result<(Change, String), ApiError> {
        let missing = |field: &str| {
            ApiError::invalid(
                field,
                format!("该变更须填写 {field}。"),
                format!("This change needs {field}."),
            )
        };
        let extra = |field: &str| {
            ApiError::invalid(
                field,
                format!("该变更不接受 {field}。"),
                format!("This change takes no {field}."),
            )
        };
        let change = match self.action {
            Action::Correct => {
                if self.repaired_on.is_some() {
                    return Err(extra("repaired_on"));
                }
                Change::Correct {
                    kind: self.kind.ok_or_else(|| missing("kind"))?,
                    date: self.date.ok_or_else(|| missing("date"))?,
                    source: self.source.ok_or_else(|| missing("source"))?,
                }
            }
            Action::Repair | Action::Withdraw => {
                for (field, given) in [
                    ("kind", self.kind.is_some()),
                    ("date", self.date.is_some()),
                    ("source", self.source.is_some()),
                ] {
                    if given {
                        return Err(extra(field));
                    }
                }
                match self.action {
                    Action::Repair => Change::Repair {
                        repaired_on: self.repaired_on.ok_or_else(|| missing("repaired_on"))?,
                    },
                    _ if self.repaired_on.is_some() => return Err(extra("repaired_on")),
                    _ => Change::Withdraw,
                }
            }
        };
        Ok((change, self.reason))
    }
}

/// A finding as officers read it.
#[derive(Serialize)]
pub struct FindingView<'a> {
    id: i64,
    kind: CreditFindingKind,
    date: NaiveDate,
    source: &'a str,
    repaired_on: Option<NaiveDate>,
    withdrawn_at: Option<&'a str>,
    /// Not withdrawn: the review reads it (a repaired one counts until its repair date).
    counts: bool,
    created_at: &'a str,
    updated_at: &'a str,
}

pub fn view(r: &Registered) -> FindingView<'_> {
    FindingView {
        id: r.id,
        kind: r.finding.kind,
        date: r.finding.date,
        source: &r.finding.source,
        repaired_on: r.finding.resolved_on,
        withdrawn_at: r.withdrawn_at.as_deref(),
        counts: r.withdrawn_at.is_none(),
        created_at: &r.created_at,
        updated_at: &r.updated_at,
    }
}

fn not_after_today(field: &str, d: NaiveDate, today: NaiveDate) -> Result<(), ApiError> {
    if d > today {
        return Err(ApiError::invalid(
            field,
            "日期不能晚于今天。",
            "The date cannot be in the future.",
        ));
    }
    Ok(())
}

/// `POST /api/enterprises/:code/credit-findings` (officer): registers a finding.
pub async fn add(req: Request, code: &str) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Officer).await?;
    let code = parse_code(code)?;
    let body: NewFinding = read_rules_json(req, JSON_LIMIT).await?;
    prose("source", &body.source, 1, 200, false)?;
    let now = service::clock::now().await;
    not_after_today("date", body.date, now.date_naive())?;
    let at = service::clock::format(now);
    let finding = rules::model::CreditFinding {
        kind: body.kind,
        date: body.date,
        source: body.source.trim().to_owned(),
        resolved_on: None,
    };
    let db = Db::open().await?;
    let id = db
        .transaction(|| async {
            let id = store::credit::add(db.store(), code.as_str(), &finding, &at).await?;
            audit(&db, &actor, "credit_finding.add", id, &to_json(&finding)?).await?;
            Ok(id)
        })
        .await?;
    answer(&db, code.as_str(), id, 201).await
}

/// `POST /api/enterprises/:code/credit-findings/:id` (officer): corrects, repairs or
/// withdraws a finding; a withdrawn one changes no more.
pub async fn change(req: Request, code: &str, id: &str) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Officer).await?;
    let code = parse_code(code)?;
    let id: i64 = id.parse().map_err(|_| not_found(id))?;
    let body: ChangeIn = read_rules_json(req, JSON_LIMIT).await?;
    let (body, reason) = body.checked()?;
    let reason = &reason;
    let now = service::clock::now().await;
    let today = now.date_naive();
    prose("reason", reason, 1, 500, false)?;
    match &body {
        Change::Correct { date, source, .. } => {
            prose("source", source, 1, 200, false)?;
            not_after_today("date", *date, today)?;
        }
        Change::Repair { repaired_on, .. } => not_after_today("repaired_on", *repaired_on, today)?,
        Change::Withdraw => {}
    }
    let at = service::clock::format(now);
    let db = Db::open().await?;
    db.transaction(|| async {
        let Some(found) = store::credit::find(db.store(), id).await? else {
            return Err(not_found(&id.to_string()));
        };
        if found.uscc != code.as_str() {
            return Err(not_found(&id.to_string()));
        }
        if let Change::Repair { repaired_on, .. } = &body
            && *repaired_on < found.finding.date
        {
            return Err(ApiError::invalid(
                "repaired_on",
                format!("信用修复日期不能早于记录日期 {}。", found.finding.date),
                format!(
                    "The repair cannot precede the finding of {}.",
                    found.finding.date
                ),
            ));
        }
        let (changed, action) = match &body {
            Change::Correct {
                kind, date, source, ..
            } => (
                store::credit::correct(db.store(), id, *kind, *date, source.trim(), &at).await?,
                "credit_finding.correct",
            ),
            Change::Repair { repaired_on, .. } => (
                store::credit::repair(db.store(), id, *repaired_on, &at).await?,
                "credit_finding.repair",
            ),
            Change::Withdraw => (
                store::credit::withdraw(db.store(), id, &at).await?,
                "credit_finding.withdraw",
            ),
        };
        if !changed {
            return Err(ApiError::conflict(
                format!("信用记录 {id} 已撤回，不能再变更。"),
                format!("Credit finding {id} was withdrawn; it changes no more."),
            ));
        }
        let detail = to_json(&serde_json::json!({
            "before": found.finding, "reason": reason.trim(),
        }))?;
        audit(&db, &actor, action, id, &detail).await
    })
    .await?;
    answer(&db, code.as_str(), id, 200).await
}

async fn audit(db: &Db, actor: &str, action: &str, id: i64, detail: &str) -> Result<(), ApiError> {
    db.audit_entry(&store::audit::Entry {
        actor,
        component: COMPONENT,
        action,
        subject: Some(&format!("credit_finding:{id}")),
        rules: &[rules::RuleId::ProcCredit],
        detail_json: detail,
    })
    .await
}

async fn answer(db: &Db, uscc: &str, id: i64, status: u16) -> Result<Reply, ApiError> {
    let found = store::credit::find(db.store(), id)
        .await?
        .filter(|r| r.uscc == uscc)
        .ok_or_else(|| not_found(&id.to_string()))?;
    Ok(json(status, &view(&found)))
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        404,
        Code::NotFound,
        format!("该企业没有编号为 {id} 的信用记录。"),
        format!("The enterprise has no credit finding {id}."),
    )
    .field("id")
}
