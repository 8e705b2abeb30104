//! The round's proposed list (拟补助名单) in versions (CAP-YEAR, CAP-TIMES, BUDGET) and
//! the re-review that changes it (PROC-OBJECT).

use rules::allocation::Allocation;
use service::ApiError;
use service::code::Code;
use service::db::Db;

use rules::RuleId;
pub use rules::re_review::Conclusion as ReReview;
use rules::re_review::Refusal;

/// The newest version of a round's list and its allocation, if computed.
pub async fn latest(db: &Db, year: i32) -> Result<Option<(i64, Allocation)>, ApiError> {
    Ok(store::allocations::latest(db.store(), year)
        .await?
        .map(|v| (v.number, v.allocation)))
}

/// PROC-OBJECT: applies a re-review conclusion to the round's list — the rules compute the
/// new list ([`rules::re_review::apply`]), the store adds it as a new version (the old one
/// stays) with the application's new status. Dismissed changes nothing.
pub async fn record_re_review(
    db: &Db,
    year: i32,
    application_id: &str,
    outcome: ReReview,
    at: &str,
) -> Result<(), ApiError> {
    let Some((version, allocation)) = latest(db, year).await? else {
        return Err(ApiError::conflict(
            "该年度尚未形成拟补助名单。",
            "The round has no proposed list yet.",
        ));
    };
    let next = match rules::re_review::apply(&allocation, application_id, outcome) {
        Ok(None) => return Ok(()),
        Ok(Some(next)) => next,
        Err(Refusal::NotOnList) => {
            return Err(ApiError::new(
                404,
                Code::NotOnList,
                "该申请不在拟补助名单中。",
                "The application is not on the proposed list.",
            ));
        }
        Err(Refusal::NotAChange { current }) => {
            return Err(ApiError::invalid(
                "new_amount",
                format!(
                    "新的金额须大于 0 且不同于现拟补助金额 {current} 元（取消补助请用 upheld 不带金额，维持原金额请用 dismissed）。"
                ),
                format!(
                    "The new amount must be above 0 and differ from the current {current} CNY (upheld without an amount removes the entry; dismissed keeps it)."
                ),
            ));
        }
        Err(Refusal::AboveCaps { capped }) => {
            return Err(ApiError::new(
                409,
                Code::Rule(RuleId::CapYear),
                format!("重审后的金额不能高于该项目按封顶规则可得的 {capped} 元。"),
                format!("The amount after re-review cannot exceed the {capped} CNY the caps allow for this project."),
            )
            .field("new_amount"));
        }
        Err(Refusal::OverBudget { unallocated }) => {
            return Err(ApiError::new(
                409,
                Code::Rule(RuleId::Budget),
                format!("调增的部分超过尚未分配的预算 {unallocated} 元。"),
                format!("The raise exceeds the {unallocated} CNY of the budget left unallocated."),
            )
            .field("new_amount"));
        }
    };
    let status = match outcome {
        ReReview::Upheld => store::applications::Status::Removed,
        _ => store::applications::Status::Proposed,
    };
    store::allocations::record_re_review(
        db.store(),
        year,
        version,
        &next,
        application_id,
        status,
        at,
    )
    .await?;
    Ok(())
}
