//! The machine codes of error answers (the `code` of the error shape, docs/ROUTES.md):
//! one per kind of refusal, so that a client can act on it and no two places spell the
//! same refusal differently.

use std::borrow::Cow;

use rules::RuleId;

/// What an error answer is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    // The request itself.
    NotFound,
    MethodNotAllowed,
    NotImplemented,
    BodyTooLarge,
    BodyUnreadable,
    InvalidJson,
    InvalidField,
    UnsupportedMediaType,
    UnsupportedDocument,
    FileTooLarge,
    Unauthorized,
    Forbidden,
    CsrfMissing,
    SignInFailed,
    TooManyRequests,
    // The state of things.
    Conflict,
    IdempotencyKeyReused,
    DuplicateObjection,
    OutsideNoticePeriod,
    CalendarUnavailable,
    RoundNotFound,
    ApplicationNotFound,
    ListNotFound,
    NotOnList,
    NoticeNotFound,
    ObjectionNotFound,
    EvidenceNotFound,
    DocumentNotFound,
    DocumentQuota,
    // The server.
    InternalError,
    DatabaseUnavailable,
    ServerMisconfigured,
    StoredValueUnreadable,
    /// A refusal under a rule of the measures: `rule_<id>`, e.g. `rule_proc_late`.
    Rule(RuleId),
    /// The code of an input error found by the rules crate (`money_malformed`, …).
    Input(String),
}

impl Code {
    /// The code as sent.
    pub fn as_str(&self) -> Cow<'static, str> {
        use Code::*;
        Cow::Borrowed(match self {
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            NotImplemented => "not_implemented",
            BodyTooLarge => "body_too_large",
            BodyUnreadable => "body_unreadable",
            InvalidJson => "invalid_json",
            InvalidField => "invalid_field",
            UnsupportedMediaType => "unsupported_media_type",
            UnsupportedDocument => "unsupported_document",
            FileTooLarge => "file_too_large",
            Unauthorized => "unauthorized",
            Forbidden => "forbidden",
            CsrfMissing => "csrf_missing",
            SignInFailed => "sign_in_failed",
            TooManyRequests => "too_many_requests",
            Conflict => "conflict",
            IdempotencyKeyReused => "idempotency_key_reused",
            DuplicateObjection => "duplicate_objection",
            OutsideNoticePeriod => "outside_notice_period",
            CalendarUnavailable => "calendar_unavailable",
            RoundNotFound => "round_not_found",
            ApplicationNotFound => "application_not_found",
            ListNotFound => "list_not_found",
            NotOnList => "not_on_list",
            NoticeNotFound => "notice_not_found",
            ObjectionNotFound => "objection_not_found",
            EvidenceNotFound => "evidence_not_found",
            DocumentNotFound => "document_not_found",
            DocumentQuota => "document_quota",
            InternalError => "internal_error",
            DatabaseUnavailable => "database_unavailable",
            ServerMisconfigured => "server_misconfigured",
            StoredValueUnreadable => "stored_value_unreadable",
            Rule(r) => {
                return Cow::Owned(format!(
                    "rule_{}",
                    r.code().to_ascii_lowercase().replace('-', "_")
                ));
            }
            Input(c) => return Cow::Owned(c.clone()),
        })
    }
}

impl From<RuleId> for Code {
    fn from(r: RuleId) -> Self {
        Code::Rule(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_codes_follow_the_rule_ids() {
        assert_eq!(Code::Rule(RuleId::ProcLate).as_str(), "rule_proc_late");
        assert_eq!(Code::Rule(RuleId::CapYear).as_str(), "rule_cap_year");
        assert_eq!(Code::Rule(RuleId::Budget).as_str(), "rule_budget");
        assert_eq!(
            Code::Input("money_malformed".into()).as_str(),
            "money_malformed"
        );
        assert_eq!(
            Code::StoredValueUnreadable.as_str(),
            "stored_value_unreadable"
        );
    }
}
