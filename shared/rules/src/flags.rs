//! What the review should look at twice, without deciding anything (issue 14): the same
//! patent or trademark pledged in this round by another, unrelated enterprise. A right is
//! registered to one holder (SCOPE-OWN); two enterprises pledging it for their loans means
//! one of them does not hold it, or the loans are one. The officer checks the pledge
//! registrations; the flag only points.

use crate::model::{Application, PledgedRight};
use crate::text::identity;
use serde::Serialize;

/// An application of the round as the flags see it.
#[derive(Debug, Clone, Copy)]
pub struct Filed<'a> {
    pub id: &'a str,
    /// The enterprise's credit code.
    pub enterprise: &'a str,
    pub application: &'a Application,
}

/// One right of this application also pledged by another enterprise's application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedRight {
    /// Always `right_pledged_elsewhere`.
    pub kind: &'static str,
    /// The right, e.g. `实用新型专利 202320654321.8`.
    pub right_zh: String,
    pub right_en: String,
    /// The other applications pledging it, by number.
    pub applications: Vec<String>,
}

/// A right's identity: patents by their canonical number, trademarks by their registration
/// number with case, widths and punctuation folded; other rights are out of scope.
pub fn right_key(right: &PledgedRight) -> Option<String> {
    match right {
        PledgedRight::Patent {
            application_number, ..
        } => Some(format!("patent:{application_number}")),
        PledgedRight::Trademark {
            registration_number,
            ..
        } => Some(format!("trademark:{}", identity(registration_number))),
        _ => None,
    }
}

fn rights(app: &Application) -> impl Iterator<Item = &PledgedRight> {
    app.loans.iter().flat_map(|l| l.pledged_rights.iter())
}

/// The rights of `this` that applications of other enterprises in `round` also pledge, in
/// the order `this` names them, each once.
pub fn rights_pledged_elsewhere(this: Filed<'_>, round: &[Filed<'_>]) -> Vec<SharedRight> {
    let mut flags: Vec<(String, SharedRight)> = Vec::new();
    for right in rights(this.application) {
        let Some(key) = right_key(right) else {
            continue;
        };
        if flags.iter().any(|(k, _)| *k == key) {
            continue;
        }
        let applications: Vec<String> = round
            .iter()
            .filter(|o| o.enterprise != this.enterprise && o.id != this.id)
            .filter(|o| rights(o.application).any(|r| right_key(r).as_deref() == Some(&key)))
            .map(|o| o.id.to_owned())
            .collect();
        if !applications.is_empty() {
            flags.push((
                key,
                SharedRight {
                    kind: "right_pledged_elsewhere",
                    right_zh: right.label_zh(),
                    right_en: right.label_en(),
                    applications,
                },
            ));
        }
    }
    flags.into_iter().map(|(_, f)| f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn application(rights: serde_json::Value) -> Application {
        let mut v: serde_json::Value =
            serde_json::from_str(include_str!("../data/example-precheck-request.json")).unwrap();
        v["application"]["loans"][0]["pledged_rights"] = rights;
        serde_json::from_value(v["application"].clone()).unwrap()
    }

    /// The same patent (or trademark, however its number is written) pledged by another
    /// enterprise in the round is flagged once, naming the other applications; the same
    /// enterprise's own applications and rights out of scope are not.
    #[test]
    fn a_right_pledged_by_another_enterprise_is_flagged() {
        let patent = serde_json::json!({"kind": "patent", "application_number": "202320654321.8",
                                        "patent_type": "utility_model", "owner": "甲"});
        let mark = |n: &str| serde_json::json!({"kind": "trademark", "registration_number": n, "owner": "甲"});
        let copyright =
            serde_json::json!({"kind": "copyright", "registration_number": "X-1", "owner": "甲"});
        let a = application(serde_json::json!([
            patent,
            mark("TM-12345"),
            copyright,
            patent
        ]));
        let b = application(serde_json::json!([patent]));
        let c = application(serde_json::json!([mark("ｔｍ12345"), copyright]));
        let d = application(serde_json::json!([patent]));
        let filed = [
            Filed {
                id: "A",
                enterprise: "E1",
                application: &a,
            },
            Filed {
                id: "B",
                enterprise: "E2",
                application: &b,
            },
            Filed {
                id: "C",
                enterprise: "E3",
                application: &c,
            },
            Filed {
                id: "D",
                enterprise: "E1",
                application: &d,
            },
        ];
        let flags = rights_pledged_elsewhere(filed[0], &filed);
        assert_eq!(flags.len(), 2, "{flags:?}");
        assert_eq!(flags[0].applications, ["B"], "not the enterprise's own D");
        assert!(
            flags[0].right_zh.contains("202320654321.8"),
            "{}",
            flags[0].right_zh
        );
        assert_eq!(
            flags[1].applications,
            ["C"],
            "the trademark however written"
        );
        assert_eq!(flags[0].kind, "right_pledged_elsewhere");
        let only_copyright = application(serde_json::json!([copyright]));
        let e = Filed {
            id: "E",
            enterprise: "E5",
            application: &only_copyright,
        };
        assert!(
            rights_pledged_elsewhere(e, &filed).is_empty(),
            "copyright is out of scope"
        );
    }
}
