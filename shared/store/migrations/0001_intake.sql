-- Owner: intake. Rounds (the year's guide), applications, documents, the review record,
-- enterprises' history, the audit trail. Money is exact decimal text ("1234.56"); moments
-- are RFC 3339 with offset; dates ISO 8601.
-- Every migration is idempotent: Spin runs `--sqlite @file` at each start.
CREATE TABLE IF NOT EXISTS schema_migrations (
    id          TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    applied_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- PROC-GUIDE: one round per year, moving open → closed → under_review → allocated →
-- in_notice → approved → paid (rules::procedure::Stage), never skipped or undone.
CREATE TABLE IF NOT EXISTS rounds (
    year                 INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    round_json           TEXT NOT NULL,   -- rules::Round: window, covered period, budget, guide
    stage                TEXT NOT NULL DEFAULT 'open'
                         CHECK (stage IN ('open', 'closed', 'under_review', 'allocated',
                                          'in_notice', 'approved', 'paid')),
    approved_on          TEXT,            -- PROC-APPROVE: the district government's meeting
    approval_reference   TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);

-- An application: as submitted (payload), the latest decision, the review record.
CREATE TABLE IF NOT EXISTS applications (
    id               TEXT PRIMARY KEY,   -- e.g. MTG-2026-00017
    round_year       INTEGER NOT NULL REFERENCES rounds (year),
    seq              INTEGER NOT NULL,   -- per round, for the number
    uscc             TEXT NOT NULL CHECK (length(uscc) = 18),
    enterprise_name  TEXT NOT NULL,
    submitted_at     TEXT NOT NULL,
    status           TEXT NOT NULL
                     CHECK (status IN ('submitted', 'withdrawn', 'eligible', 'refused',
                                       'proposed', 'removed', 'approved', 'paid')),
    receipt_hash     TEXT NOT NULL,      -- SHA-256 of the receipt token; the token is never stored
    payload_json     TEXT NOT NULL,      -- rules::Application as submitted
    review_json      TEXT,               -- the review record (opinions, credit, verified interest)
    decision_json    TEXT NOT NULL,      -- rules::Decision, latest
    amount_cny       TEXT NOT NULL,      -- the decision's amount (before BUDGET)
    updated_at       TEXT NOT NULL,
    UNIQUE (round_year, seq)
);
CREATE INDEX IF NOT EXISTS applications_by_uscc ON applications (uscc);

-- The same enterprise and loan contract twice in one round is a conflict.
CREATE TABLE IF NOT EXISTS application_loans (
    round_year       INTEGER NOT NULL,
    uscc             TEXT NOT NULL,
    contract_number  TEXT NOT NULL,
    application_id   TEXT NOT NULL REFERENCES applications (id),
    PRIMARY KEY (round_year, uscc, contract_number)
);

-- Supporting documents, checked by content, stored with their SHA-256.
CREATE TABLE IF NOT EXISTS documents (
    id               TEXT PRIMARY KEY,
    application_id   TEXT NOT NULL REFERENCES applications (id),
    kind             TEXT NOT NULL CHECK (kind IN ('loan_contract', 'pledge_registration',
                                                   'interest_statement', 'repayment_proof')),
    content_type     TEXT NOT NULL,
    size_bytes       INTEGER NOT NULL,
    sha256           TEXT NOT NULL,
    data             BLOB NOT NULL,
    uploaded_at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_by_application ON documents (application_id);

-- CAP-YEAR, CAP-TIMES, FRAUD: subsidies before this system (imported) and paid by it.
CREATE TABLE IF NOT EXISTS subsidy_history (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    uscc             TEXT NOT NULL,
    year             INTEGER NOT NULL,
    amount_cny       TEXT NOT NULL,
    recovered        INTEGER NOT NULL DEFAULT 0,
    source           TEXT NOT NULL CHECK (source IN ('import', 'payment')),
    reference        TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS subsidy_history_by_uscc ON subsidy_history (uscc);

-- FRAUD: determinations; the ban and the amount to recover follow from them.
CREATE TABLE IF NOT EXISTS fraud_findings (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    uscc             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    determined_on    TEXT NOT NULL,
    reference        TEXT NOT NULL DEFAULT '',
    to_recover_cny   TEXT NOT NULL,
    may_apply_from   TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fraud_findings_by_uscc ON fraud_findings (uscc);

-- Append-only audit trail: who did what, when, under which rules.
CREATE TABLE IF NOT EXISTS audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor       TEXT NOT NULL,
    component   TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT,
    rule_ids    TEXT NOT NULL DEFAULT '[]',
    detail_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS audit_log_by_subject ON audit_log (subject);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Idempotency keys of write requests (each component writes its own rows).
CREATE TABLE IF NOT EXISTS idempotency_keys (
    key           TEXT NOT NULL,
    component     TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        INTEGER NOT NULL,
    response_json TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (component, key)
);

INSERT OR IGNORE INTO schema_migrations (id, owner) VALUES ('0001_intake', 'intake');
