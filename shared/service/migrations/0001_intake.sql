-- Owner: intake. Rounds (the year's guide), applications, the audit trail.
-- Every migration is idempotent: Spin runs `--sqlite @file` at each start.
CREATE TABLE IF NOT EXISTS schema_migrations (
    id          TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    applied_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- One application round per year (PROC-GUIDE). Money is exact decimal text ("1234.56").
CREATE TABLE IF NOT EXISTS rounds (
    year                INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    opens_on            TEXT NOT NULL,              -- ISO date, Beijing time
    closes_on           TEXT NOT NULL,              -- PROC-LATE: nothing accepted after
    budget_cny          TEXT NOT NULL,              -- BUDGET
    loans_repaid_from   TEXT NOT NULL,              -- reading 9: loans this round covers
    loans_repaid_to     TEXT NOT NULL,
    key_industries      TEXT NOT NULL DEFAULT '[]', -- SUB-KEY: JSON list named by the guide
    params_json         TEXT NOT NULL DEFAULT '{}', -- readings of the text for this round
    status              TEXT NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'open', 'closed', 'reviewing', 'noticed',
                                          'approved', 'paid')),
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK (opens_on <= closes_on)
);

CREATE TABLE IF NOT EXISTS applications (
    id              TEXT PRIMARY KEY,
    round_year      INTEGER NOT NULL REFERENCES rounds (year),
    uscc            TEXT NOT NULL CHECK (length(uscc) = 18),  -- SCOPE-ENT
    enterprise_name TEXT NOT NULL,
    submitted_at    TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'submitted'
                    CHECK (status IN ('submitted', 'rejected', 'under_review', 'eligible',
                                      'ineligible', 'noticed', 'objected', 'approved',
                                      'paid', 'recovered', 'withdrawn')),
    payload_json    TEXT NOT NULL,   -- the application as submitted
    review_json     TEXT,            -- review record: department opinions, credit check
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (round_year, uscc)
);
CREATE INDEX IF NOT EXISTS applications_by_uscc ON applications (uscc);

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

-- Idempotency keys of write requests (any component writes its own rows).
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
