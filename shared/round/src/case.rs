//! An application as the rules judge it during the round: completed with the
//! enterprise's records the system holds (CAP-YEAR, CAP-TIMES, FRAUD, PROC-CREDIT) and
//! decided at submission (PROC-LATE) and again at review (PROC-REVIEW). Submission
//! (intake) and the review (review) both call it, so the two decide alike.

use crate::view::RoundView;
use rules::model::{Application, FraudFinding, SubsidyRecord};
use rules::{Decision, Parameters, PrecheckRequest};
use service::ApiError;
use service::code::Code;
use service::db::Db;

/// The enterprise's records in the system: subsidies (imported and paid) and fraud
/// findings. They complete what the applicant declares; the system's records win.
pub async fn records(
    db: &Db,
    uscc: &str,
) -> Result<(Vec<SubsidyRecord>, Vec<FraudFinding>), ApiError> {
    let history = store::history::subsidies(db.store(), uscc).await?;
    let fraud = store::history::findings(db.store(), uscc)
        .await?
        .into_iter()
        .map(|f| f.finding)
        .collect();
    Ok((history, fraud))
}

/// The application as the rules see it: declared history for years the system has no
/// record of, plus every recorded subsidy, fraud finding and credit finding.
pub async fn with_records(db: &Db, mut app: Application) -> Result<Application, ApiError> {
    let (history, fraud) = records(db, app.enterprise.credit_code.as_str()).await?;
    let recorded: Vec<i32> = history.iter().map(|h| h.year).collect();
    app.history.retain(|h| !recorded.contains(&h.year));
    app.history.extend(history);
    for f in fraud {
        if !app.enterprise.fraud_findings.contains(&f) {
            app.enterprise.fraud_findings.push(f);
        }
    }
    // PROC-CREDIT: the register's findings not withdrawn, as they stand now.
    for f in store::credit::counting(db.store(), app.enterprise.credit_code.as_str()).await? {
        if !app.enterprise.credit_findings.contains(&f) {
            app.enterprise.credit_findings.push(f);
        }
    }
    Ok(app)
}

/// Decides an application made at `submitted_at` within a round, assessed at
/// `assessed_at` (the review; `None` at submission): PROC-LATE on the first, PROC-CREDIT
/// and FRAUD on the record as it stands at the second.
pub fn decide(
    app: &Application,
    round: &RoundView,
    submitted_at: chrono::DateTime<chrono::FixedOffset>,
    assessed_at: Option<chrono::DateTime<chrono::FixedOffset>>,
) -> Decision {
    rules::precheck(
        &PrecheckRequest {
            as_of: submitted_at,
            assessed_at,
            round: Some(round.round.clone()),
            application: app.clone(),
        },
        &Parameters::default(),
    )
}

/// A stored application.
pub type Stored = store::applications::ApplicationRow;

pub async fn load(db: &Db, id: &str) -> Result<Stored, ApiError> {
    store::applications::find(db.store(), id)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                404,
                Code::ApplicationNotFound,
                "没有该申报编号。",
                "No application with this number.",
            )
            .field("id")
        })
}
