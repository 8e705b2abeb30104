//! Submitting an application: inside the window (PROC-LATE), free (PROC-FREE), declared
//! true (TRUTH), decided by the rules crate with the enterprise's recorded history; one loan
//! claimed once per round (SUB-LOAN); retried safely with an `Idempotency-Key`.

use crate::{COMPONENT, read_rules_request, to_json};
use round::case::{decide, with_records};
use round::view::RoundView;
use rules::model::Application;
use rules::{Decision, PrecheckRequest, RuleId};
use serde::Serialize;
use service::code::Code;
use service::db::Db;
use service::error::input_error;
use service::throttle::{self, Limit};
use service::{ApiError, Reply, json};
use spin_sdk::http::Request;

/// An application body is small JSON: 50 loans of a few rights fit in 256 KiB.
pub(crate) const APPLICATION_LIMIT: usize = 256 * 1024;

/// Applications stored for one enterprise (by credit code) in one clock hour: an
/// enterprise files a handful of loans a round; more is someone filing in its name.
pub const BY_ENTERPRISE: Limit = Limit {
    name: "application-enterprise",
    per_hour: 10,
    who_zh: "该企业（按统一社会信用代码）",
    who_en: "This enterprise (by its credit code)",
    what_zh: "件申报",
    what_en: "applications",
};

/// Applications stored from one peer address (an IPv6 client by its /64) in one clock
/// hour: a coarse guard against a flood of made-up enterprises. The Spin variable
/// `applications_per_address_hour` sets it (300 by default; 0 turns it off, for a
/// deployment behind an ingress where every client shares the ingress's address and the
/// ingress limits them).
const BY_ADDRESS: Limit = Limit {
    name: "application-address",
    per_hour: 300,
    who_zh: "您所在的网络地址",
    who_en: "Your network address",
    what_zh: "件申报",
    what_en: "applications",
};

/// [`BY_ADDRESS`] as configured, or none.
async fn address_limit() -> Result<Option<Limit>, ApiError> {
    let default = BY_ADDRESS.per_hour as u32;
    let per_hour =
        service::variable::number("applications_per_address_hour", default, 1_000_000).await?;
    Ok((per_hour > 0).then_some(Limit {
        per_hour: i64::from(per_hour),
        ..BY_ADDRESS
    }))
}

/// Rules that stop a submission from being accepted at all (nothing is stored) when they
/// refuse the application as a whole. A loan outside the round's covered period (reading
/// 9, PROC-GUIDE) is refused as a loan: the application is stored and its other loans
/// decided (逾期不予受理 is about when the application is made, not which loans it names).
const NOT_ACCEPTED: [RuleId; 4] = [
    RuleId::ProcLate,
    RuleId::ProcGuide,
    RuleId::Fraud,
    RuleId::Valid,
];

#[derive(Serialize)]
struct Submitted {
    id: String,
    round_year: i32,
    status: String,
    submitted_at: String,
    /// PROC-FREE: applying costs nothing.
    fee_cny: String,
    decision: Decision,
    #[serde(skip_serializing_if = "Option::is_none")]
    receipt_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notice_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notice_en: Option<String>,
}

/// The open round: the newest one at stage `open`.
async fn open_round(db: &Db) -> Result<RoundView, ApiError> {
    match store::rounds::newest_open(db.store()).await? {
        Some(r) => Ok(RoundView::from(r)),
        None => Err(ApiError::new(
            409,
            Code::Rule(rules::RuleId::ProcGuide),
            "当前没有开放的申报（PROC-GUIDE）。",
            "No round is open for applications (PROC-GUIDE).",
        )),
    }
}

/// PROC-REVIEW: the review record and the verified interest are written by officers at
/// review; an application that brings its own is refused, not silently trusted.
fn refuse_officer_fields(app: &Application) -> Result<(), ApiError> {
    let officers_only = |field: String| {
        ApiError::invalid(
            &field,
            "该字段由审核人员在审核时填写，申报时不得提交（PROC-REVIEW）。",
            "This field is filled in by officers at review; an application may not carry it (PROC-REVIEW).",
        )
    };
    if app.review.is_some() {
        return Err(officers_only("review".into()));
    }
    if let Some(i) = app
        .loans
        .iter()
        .position(|l| l.verified_interest_paid.is_some())
    {
        return Err(officers_only(format!("loans[{i}].verified_interest_paid")));
    }
    Ok(())
}

/// SUB-LOAN: a loan is subsidised once. A loan that was granted in another round (its
/// application is on a list there and the loan was decided eligible) is refused here.
async fn subsidised_once(
    db: &Db,
    year: i32,
    uscc: &str,
    i: usize,
    loan: &rules::model::Loan,
) -> Result<(), ApiError> {
    let key = loan.key();
    let earlier = store::applications::loan_on_other_lists(db.store(), year, uscc, &key).await?;
    // Granted there: the same loan (by its identity) was decided eligible.
    let granted = earlier.iter().find(|a| {
        a.payload
            .loans
            .iter()
            .filter(|l| l.key() == key)
            .any(|same| {
                a.decision
                    .loans
                    .iter()
                    .any(|d| d.eligible && d.contract_number == same.contract_number)
            })
    });
    let contract = &loan.contract_number;
    match granted {
        None => Ok(()),
        Some(a) => Err(ApiError::new(
            409,
            Code::Rule(RuleId::SubLoan),
            format!(
                "该企业的贷款合同 {contract} 已在{}年度获得补助，同一笔贷款不重复补助（SUB-LOAN）。",
                a.round_year
            ),
            format!(
                "The enterprise's loan contract {contract} was already granted a subsidy in the {} round; a loan is subsidised once (SUB-LOAN).",
                a.round_year
            ),
        )
        .field(format!("loans[{i}].contract_number"))),
    }
}

/// SUB-LOAN: one loan once in an application — its lender and contract number as
/// `rules::text::identity` reads them (`JK-0900`, `jk－0900.` are one).
fn each_loan_once(app: &Application) -> Result<(), ApiError> {
    for (i, loan) in app.loans.iter().enumerate() {
        if rules::text::identity(&loan.contract_number).is_empty() {
            return Err(ApiError::invalid(
                &format!("loans[{i}].contract_number"),
                "贷款合同编号须包含字母或数字。",
                "The loan contract number must hold letters or digits.",
            ));
        }
        if app.loans[..i].iter().any(|l| l.key() == loan.key()) {
            return Err(ApiError::invalid(
                &format!("loans[{i}].contract_number"),
                format!("贷款合同 {} 在本申报中重复填写。", loan.contract_number),
                format!(
                    "Loan contract {} appears twice in this application.",
                    loan.contract_number
                ),
            ));
        }
    }
    Ok(())
}

/// What the applicant declares, checked before anything is read: no officers' fields
/// (PROC-REVIEW), each loan once (SUB-LOAN), the declaration of truth (TRUTH).
pub(crate) fn check_declared(app: &Application) -> Result<(), ApiError> {
    refuse_officer_fields(app)?;
    each_loan_once(app)?;
    if !app.declared_truthful {
        return Err(ApiError::invalid(
            "declared_truthful",
            "申报须承诺所提供材料真实、有效（TRUTH）。",
            "The applicant must declare its documents true and valid (TRUTH).",
        ));
    }
    Ok(())
}

/// The application as the rules decide it made `now` in `round`: its fields valid,
/// completed with the enterprise's records. Refused as a whole (nothing stored) when a
/// rule of [`NOT_ACCEPTED`] refuses it.
pub(crate) async fn decided(
    db: &Db,
    app: Application,
    round: &RoundView,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Result<(Application, Decision), ApiError> {
    let req_for_validation = PrecheckRequest {
        as_of: now,
        assessed_at: None,
        round: Some(round.round.clone()),
        application: app.clone(),
    };
    rules::precheck::validate(&req_for_validation).map_err(|mut e| {
        // The body is the application itself: name its fields from there.
        for f in &mut e.errors {
            if let Some(rest) = f.field.strip_prefix("application.") {
                f.field = rest.to_owned();
            }
        }
        input_error(e)
    })?;
    let app = with_records(db, app).await?;
    let decision = decide(&app, round, now, None);
    if let Some(reason) = decision.reasons.iter().find(|r| {
        r.effect == rules::Effect::Refuse && r.loan.is_none() && NOT_ACCEPTED.contains(&r.rule)
    }) {
        return Err(service::ApiError::refused(reason));
    }
    Ok((app, decision))
}

/// SUB-LOAN, inside the writing transaction: each loan of `app` is held by no application
/// of the round but `this` (by the loan's identity, however its number is written; the
/// holder's number is not told: whoever asks may not own it), and was not granted in
/// another round.
pub(crate) async fn loans_free(
    db: &Db,
    year: i32,
    uscc: &str,
    app: &Application,
    this: Option<&str>,
) -> Result<(), ApiError> {
    for (i, loan) in app.loans.iter().enumerate() {
        let holder = store::applications::loan_holder(db.store(), year, uscc, &loan.key()).await?;
        if holder.is_some_and(|h| Some(h.as_str()) != this) {
            return Err(ApiError::new(
                409,
                Code::Rule(RuleId::SubLoan),
                format!(
                    "本年度已有申报包含该企业在该银行的贷款合同 {}（同一笔贷款只计一次，SUB-LOAN）。",
                    loan.contract_number
                ),
                format!(
                    "An application of this round already covers the enterprise's loan contract {} with this lender (one loan is counted once, SUB-LOAN).",
                    loan.contract_number
                ),
            )
            .field(format!("loans[{i}].contract_number")));
        }
        subsidised_once(db, year, uscc, i, loan).await?;
    }
    Ok(())
}

/// The first answer to `key` again (201) with the same receipt token, if the key was used.
async fn replay(db: &Db, key: &str, request_hash: &str) -> Result<Option<Reply>, ApiError> {
    let first =
        service::idempotency::replay(db, COMPONENT, key, request_hash, ("申报", "application"))
            .await?;
    Ok(first.map(|(mut answer, token)| {
        answer.insert("receipt_token".into(), token.into());
        json(201, &answer)
    }))
}

/// Submits an application (public). Idempotent with `Idempotency-Key`: a retry with the key
/// gets the first answer and the same receipt token, even after the window closed.
pub async fn submit(req: Request) -> Result<Reply, ApiError> {
    let key = service::idempotency::key(&req)?;
    let address = throttle::peer_address(&req);
    let app: Application = read_rules_request(req, APPLICATION_LIMIT).await?;
    check_declared(&app)?;
    let db = Db::open().await?;
    // Keys are the enterprise's own: the same key from another enterprise is another key.
    let key = key.map(|k| format!("{}:{k}", app.enterprise.credit_code.as_str()));
    let request_hash = service::token::sha256_hex(to_json(&app)?.as_bytes());
    // A retry gets its first answer back whatever happened since (the window closed, a
    // fraud finding): it asks for nothing new.
    if let Some(k) = &key
        && let Some(first) = replay(&db, k, &request_hash).await?
    {
        return Ok(first);
    }
    let now = service::clock::now().await;
    let at = service::clock::format(now);
    let round = open_round(&db).await?;
    let (app, decision) = decided(&db, app, &round, now).await?;
    let token = service::token::new_token()?;
    let year = round.round.year;
    let uscc = app.enterprise.credit_code.as_str().to_owned();
    let by_enterprise = BY_ENTERPRISE.client(&uscc);
    let by_address = address_limit()
        .await?
        .map(|limit| (limit.client(&address), limit));

    let answer = db
        .transaction(|| async {
            // Again inside the transaction: a concurrent first request with the key won.
            if let Some(k) = &key
                && let Some(first) = replay(&db, k, &request_hash).await?
            {
                return Ok(first);
            }
            // A flood of applications in one enterprise's name, or from one address.
            throttle::check(&db, &BY_ENTERPRISE, &by_enterprise, now).await?;
            if let Some((client, limit)) = &by_address {
                throttle::check(&db, limit, client, now).await?;
            }
            loans_free(&db, year, &uscc, &app, None).await?;
            let receipt_hash = service::token::sha256_hex(token.as_bytes());
            let id = store::applications::insert(
                db.store(),
                &store::applications::NewApplication {
                    round_year: year,
                    receipt_hash: &receipt_hash,
                    payload: &app,
                    decision: &decision,
                    at: &at,
                },
            )
            .await?;
            throttle::count(&db, &by_enterprise, now).await?;
            if let Some((client, _)) = &by_address {
                throttle::count(&db, client, now).await?;
            }
            let answer = Submitted {
                id: id.clone(),
                round_year: year,
                status: "submitted".into(),
                submitted_at: at.clone(),
                fee_cny: "0.00".into(),
                decision: decision.clone(),
                receipt_token: None,
                notice_zh: Some("请妥善保存申报编号和回执令牌：凭二者查询、撤回申报和上传材料。令牌不会再次显示。".into()),
                notice_en: Some("Keep the application number and the receipt token: you need both to follow, withdraw or document the application. The token is not shown again.".into()),
            };
            if let Some(k) = &key {
                service::idempotency::keep(&db, COMPONENT, k, &request_hash, &answer, &token)
                    .await?;
            }
            db.audit(
                "enterprise",
                COMPONENT,
                "application.submit",
                Some(&id),
                &format!("{{\"uscc\":\"{uscc}\",\"amount\":\"{}\"}}", decision.amount),
            )
            .await?;
            Ok(json(
                201,
                &Submitted {
                    receipt_token: Some(token.clone()),
                    ..answer
                },
            ))
        })
        .await?;
    Ok(answer)
}
