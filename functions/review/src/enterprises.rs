//! The review record (PROC-REVIEW, PROC-CREDIT, SUB-BASE verified interest) and each
//! enterprise's history across years (CAP-YEAR, CAP-TIMES, FRAUD).

use crate::{COMPONENT, input_error, read_rules_json, to_json};
use round::case::{self, decide, with_records};
use rules::guards::Action;
use rules::model::{CreditFinding, CreditReport, DepartmentOpinion, Review, SubsidyRecord};
use rules::uscc::CreditCode;
use rules::{Money, PrecheckRequest};
use serde::{Deserialize, Serialize};
use service::auth::Role;
use service::body::JSON_LIMIT;
use service::code::Code;
use service::db::Db;
use service::error::prose;
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;
use store::applications::Status;
use store::history::Source;

/// SUB-BASE: the interest of one loan as verified against the bank statements.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifiedInterest {
    pub contract_number: String,
    pub interest_paid: Money,
}

/// The review record an officer submits.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRecord {
    /// PROC-REVIEW: the departments' opinions (QA 4).
    #[serde(default)]
    pub opinions: Vec<DepartmentOpinion>,
    /// PROC-CREDIT: findings from Credit China (Beijing) and the departments.
    #[serde(default)]
    pub credit_findings: Vec<CreditFinding>,
    #[serde(default)]
    pub verified_interest: Vec<VerifiedInterest>,
    /// PROC-CREDIT: the Credit China (Beijing) report the review relied on; the review is
    /// final only with it.
    #[serde(default)]
    pub credit_report: Option<CreditReport>,
    #[serde(default)]
    pub note: String,
}

impl ReviewRecord {
    /// The officers' prose may say anything printable; contract numbers are checked against
    /// the application later.
    fn check(&self) -> Result<(), ApiError> {
        prose("note", &self.note, 0, 2000, true)?;
        for (i, o) in self.opinions.iter().enumerate() {
            prose(&format!("opinions[{i}].note"), &o.note, 0, 2000, true)?;
        }
        for (i, f) in self.credit_findings.iter().enumerate() {
            prose(
                &format!("credit_findings[{i}].source"),
                &f.source,
                1,
                200,
                false,
            )?;
        }
        for (i, v) in self.verified_interest.iter().enumerate() {
            let field = format!("verified_interest[{i}].contract_number");
            prose(&field, &v.contract_number, 1, 100, false)?;
        }
        Ok(())
    }

    /// No answer or report is dated after the review.
    fn check_dates(&self, today: chrono::NaiveDate) -> Result<(), ApiError> {
        let future = |field: String| {
            ApiError::invalid(
                &field,
                "日期不能晚于评审当天。",
                "The date cannot be after the day of the review.",
            )
        };
        for (i, o) in self.opinions.iter().enumerate() {
            if o.answered_on.is_some_and(|d| d > today) {
                return Err(future(format!("opinions[{i}].answered_on")));
            }
        }
        if self
            .credit_report
            .as_ref()
            .is_some_and(|r| r.checked_on > today)
        {
            return Err(future("credit_report.checked_on".into()));
        }
        Ok(())
    }
}

pub(crate) fn parse_code(code: &str) -> Result<CreditCode, ApiError> {
    CreditCode::parse(code).map_err(|e| {
        ApiError::new(
            400,
            Code::Input(e.code.to_owned()),
            e.zh.clone(),
            e.en.clone(),
        )
        .field("credit_code")
    })
}

/// The answer to a review: the application's new status and the decision made with it.
#[derive(Serialize)]
struct Reviewed<'a> {
    id: &'a str,
    /// `eligible` or `refused`.
    status: Status,
    decision: &'a rules::Decision,
}

/// 409: the application left the review (withdrawn, or on the list).
fn no_longer_in_review(status: Status) -> ApiError {
    ApiError::conflict(
        format!("该申报当前状态为 {status}，不能再评审。"),
        format!("The application is {status}; it can no longer be reviewed."),
    )
}

/// Records the review and decides again with it.
pub async fn review(req: Request, id: &str) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Officer).await?;
    let record: ReviewRecord = read_rules_json(req, JSON_LIMIT).await?;
    record.check()?;
    let db = Db::open().await?;
    let app = case::load(&db, id).await?;
    let round = round::view::load(&db, app.round_year).await?;
    // PROC-REVIEW: judged now for a quick answer, and again inside the write's transaction.
    let now = service::clock::now().await;
    round::guard::check(&db, app.round_year, now, Action::Review).await?;
    if !app.status.in_review() {
        return Err(no_longer_in_review(app.status));
    }
    let mut payload = app.payload.clone();
    for (i, v) in record.verified_interest.iter().enumerate() {
        let Some(loan) = payload
            .loans
            .iter_mut()
            .find(|l| l.contract_number.trim() == v.contract_number.trim())
        else {
            return Err(ApiError::invalid(
                &format!("verified_interest[{i}].contract_number"),
                format!("申报中没有贷款合同 {}。", v.contract_number),
                format!(
                    "The application has no loan contract {}.",
                    v.contract_number
                ),
            ));
        };
        loan.verified_interest_paid = Some(v.interest_paid);
    }
    payload
        .enterprise
        .credit_findings
        .extend(record.credit_findings.iter().cloned());
    payload.review = Some(Review {
        opinions: record.opinions.clone(),
        credit_report: record.credit_report.clone(),
    });
    let submitted_at = app.submitted_at;
    let full = with_records(&db, payload.clone()).await?;
    // The window (PROC-LATE) is judged at the submission; the credit record and fraud
    // findings (PROC-CREDIT, FRAUD) as they stand now, at the review.
    record.check_dates(now.date_naive())?;
    let assessed_at = Some(now.max(submitted_at));
    // One validator for the record as the rules read it (other departments named, an
    // objection dated, the report's reference given), its fields named as sent.
    if let Err(mut e) = rules::precheck::validate(&PrecheckRequest {
        as_of: submitted_at,
        assessed_at,
        round: Some(round.round.clone()),
        application: full.clone(),
    }) {
        // The application itself was checked when submitted: only the record is new.
        e.errors
            .retain(|f| f.field.starts_with("application.review."));
        if !e.errors.is_empty() {
            for f in &mut e.errors {
                f.field = f.field.trim_start_matches("application.review.").to_owned();
            }
            return Err(input_error(e));
        }
    }
    let decision = decide(&full, &round, submitted_at, assessed_at);
    // PROC-REVIEW: until every department asked has answered and the credit report is
    // recorded, the decision is provisional and the application stays undecided.
    let status = if decision.provisional {
        Status::Submitted
    } else if decision.is_eligible() {
        Status::Eligible
    } else {
        Status::Refused
    };
    let at = service::clock::format(now);
    db.transaction(|| async {
        // The round and the application as this transaction sees them: a list computed
        // meanwhile (or a withdrawal) wins, and the review is refused, not written over it.
        round::guard::check(&db, app.round_year, now, Action::Review).await?;
        let current = case::load(&db, id).await?;
        if !current.status.in_review() {
            return Err(no_longer_in_review(current.status));
        }
        store::applications::set_review(db.store(), id, status, &record, &payload, &decision, &at)
            .await?;
        let detail = format!(
            "{{\"status\":\"{status}\",\"amount\":\"{}\"}}",
            decision.amount
        );
        db.audit_entry(&store::audit::Entry {
            actor: &actor,
            component: COMPONENT,
            action: "application.review",
            subject: Some(id),
            rules: &decision.refused_by,
            detail_json: &detail,
        })
        .await
    })
    .await?;
    Ok(json(
        200,
        &Reviewed {
            id,
            status,
            decision: &decision,
        },
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryImport {
    records: Vec<SubsidyRecord>,
}

/// Imports subsidies from before this system (CAP-YEAR, CAP-TIMES).
pub async fn import_history(req: Request, code: &str) -> Result<Reply, ApiError> {
    let actor = service::auth::require(&req, Role::Officer).await?;
    let code = parse_code(code)?;
    let body: HistoryImport = read_rules_json(req, JSON_LIMIT).await?;
    let now = service::clock::now().await;
    let this_year = chrono::Datelike::year(&now);
    for (i, r) in body.records.iter().enumerate() {
        if r.year < 2000 || r.year > this_year {
            return Err(ApiError::invalid(
                &format!("records[{i}].year"),
                format!("年度须在 2000 至 {this_year} 之间。"),
                format!("The year must lie between 2000 and {this_year}."),
            ));
        }
        if r.amount.is_zero() {
            return Err(ApiError::invalid(
                &format!("records[{i}].amount"),
                "补助金额须大于0。",
                "The amount must be more than zero.",
            ));
        }
        prose(
            &format!("records[{i}].reference"),
            &r.reference,
            0,
            200,
            false,
        )?;
    }
    let at = service::clock::format(now);
    let db = Db::open().await?;
    db.transaction(|| async {
        for r in &body.records {
            store::history::add_subsidy(db.store(), code.as_str(), r, Source::Import, &at).await?;
        }
        db.audit(
            &actor,
            COMPONENT,
            "history.import",
            Some(code.as_str()),
            &to_json(&body.records)?,
        )
        .await
    })
    .await?;
    enterprise_view(&db, &code, 201).await
}

pub async fn read(req: Request, code: &str) -> Result<Reply, ApiError> {
    service::auth::require(&req, Role::Officer).await?;
    let code = parse_code(code)?;
    let db = Db::open().await?;
    enterprise_view(&db, &code, 200).await
}

/// An enterprise as officers see it: its subsidies (imported and paid), fraud findings and
/// what they made due back, and its credit register.
#[derive(Serialize)]
struct EnterpriseView<'a> {
    credit_code: &'a str,
    /// Every subsidy the system knows of (CAP-YEAR, CAP-TIMES); a recovered one still
    /// counts as a time (reading 4).
    history: &'a [SubsidyRecord],
    fraud_findings: Vec<crate::oversight::FindingView<'a>>,
    /// FRAUD: the clawback, claim by claim, with its balance.
    recovery: crate::oversight::Account,
    /// PROC-CREDIT: the credit register, withdrawn findings included (marked).
    credit_findings: Vec<crate::credit::FindingView<'a>>,
}

pub(crate) async fn enterprise_view(
    db: &Db,
    code: &CreditCode,
    status: u16,
) -> Result<Reply, ApiError> {
    let (history, _) = case::records(db, code.as_str()).await?;
    let findings = store::history::findings(db.store(), code.as_str()).await?;
    let claims = store::recovery::claims_of(db.store(), code.as_str()).await?;
    let credit = store::credit::of_enterprise(db.store(), code.as_str()).await?;
    Ok(json(
        status,
        &EnterpriseView {
            credit_code: code.as_str(),
            history: &history,
            fraud_findings: findings
                .iter()
                .map(crate::oversight::finding_view)
                .collect(),
            recovery: crate::oversight::account(&claims),
            credit_findings: credit.iter().map(crate::credit::view).collect(),
        },
    ))
}
