//! A round as the API shows it: the guide's terms, its stage (in both languages), the
//! district government's approval once given, and the fee (PROC-FREE).

use rules::Round;
use rules::procedure::Stage;
use serde::Serialize;
use service::ApiError;
use service::db::Db;

/// A round as shown: the guide's terms, its stage, and the approval once given.
#[derive(Serialize)]
pub struct RoundView {
    #[serde(flatten)]
    pub round: Round,
    pub stage: Stage,
    pub stage_zh: &'static str,
    pub stage_en: &'static str,
    pub approved_on: Option<String>,
    pub approval_reference: Option<String>,
    /// Applying is free (PROC-FREE).
    pub fee_cny: &'static str,
    /// Whether applications are taken now, by the service's clock (PROC-LATE): `not_yet`
    /// (before the window), `open` (inside it, both ends included, and the round still
    /// open), `closed`. Set by [`RoundView::at`]; intake's round reads show it.
    pub window_status: &'static str,
}

impl RoundView {
    /// The view as of `now`: its [`RoundView::window_status`].
    pub fn at(mut self, now: chrono::DateTime<chrono::FixedOffset>) -> Self {
        let w = &self.round.window;
        self.window_status = if self.stage != Stage::Open || now > w.closes_at {
            "closed"
        } else if now < w.opens_at {
            "not_yet"
        } else {
            "open"
        };
        self
    }

    /// The next moment after `now` when the clock alone changes
    /// [`RoundView::window_status`]: the window opening, or the first instant after its
    /// last (the window includes `closes_at`).
    pub fn next_change_after(
        &self,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        let w = &self.round.window;
        let closed = w.closes_at + chrono::Duration::nanoseconds(1);
        (self.stage == Stage::Open)
            .then(|| [w.opens_at, closed].into_iter().filter(|t| *t > now).min())
            .flatten()
    }
}

impl From<store::rounds::RoundRow> for RoundView {
    fn from(r: store::rounds::RoundRow) -> Self {
        RoundView {
            round: r.round,
            stage: r.stage,
            stage_zh: r.stage.zh(),
            stage_en: r.stage.en(),
            approved_on: r.approved_on.map(|d| d.to_string()),
            approval_reference: r.approval_reference,
            fee_cny: "0.00",
            window_status: "closed",
        }
    }
}

/// Loads one round (404 when there is none).
pub async fn load(db: &Db, year: i32) -> Result<RoundView, ApiError> {
    store::rounds::find(db.store(), year)
        .await?
        .map(RoundView::from)
        .ok_or_else(|| crate::stage::no_round(year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> RoundView {
        let req: rules::PrecheckRequest = rules::input::parse_json(include_str!(
            "../../rules/data/example-precheck-request.json"
        ))
        .unwrap();
        let round = req.round.expect("the example has a round");
        RoundView {
            round,
            stage: Stage::Open,
            stage_zh: "",
            stage_en: "",
            approved_on: None,
            approval_reference: None,
            fee_cny: "0.00",
            window_status: "closed",
        }
    }

    /// PROC-LATE: the window includes its closing moment; a view made then is right until
    /// the instant after, and one made the instant after says closed.
    #[test]
    fn what_the_clock_changes_is_seen_at_the_right_instant() {
        let v = view();
        let (opens, closes) = (v.round.window.opens_at, v.round.window.closes_at);
        let tick = chrono::Duration::nanoseconds(1);
        let before = opens - chrono::Duration::days(1);
        assert_eq!(v.next_change_after(before), Some(opens));
        let at_close = view().at(closes);
        assert_eq!(at_close.window_status, "open");
        let change = at_close.next_change_after(closes).unwrap();
        assert_eq!(change, closes + tick);
        assert_eq!(view().at(change).window_status, "closed");
        assert_eq!(view().at(change - tick).window_status, "open");
        assert_eq!(v.next_change_after(change), None);
        let closed = RoundView {
            stage: Stage::Closed,
            ..view()
        };
        assert_eq!(closed.next_change_after(before), None);
    }
}
