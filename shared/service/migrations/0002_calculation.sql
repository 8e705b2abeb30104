-- Owner: calculation. Allocation results and payments.
CREATE TABLE IF NOT EXISTS allocations (
    round_year       INTEGER NOT NULL REFERENCES rounds (year),
    application_id   TEXT NOT NULL REFERENCES applications (id),
    ceiling_cny      TEXT NOT NULL,   -- SUB-BASE / SUB-KEY / CAP-YEAR before the budget
    granted_cny      TEXT NOT NULL,   -- after BUDGET scaling, rounded down to the fen
    rate_percent     TEXT NOT NULL,   -- "50" or "60"
    rule_ids         TEXT NOT NULL DEFAULT '[]',
    explanation_json TEXT NOT NULL DEFAULT '{}',
    computed_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (round_year, application_id)
);

CREATE TABLE IF NOT EXISTS payments (
    id              TEXT PRIMARY KEY,
    application_id  TEXT NOT NULL REFERENCES applications (id),
    amount_cny      TEXT NOT NULL,
    paid_on         TEXT NOT NULL,
    reference       TEXT,
    recovered_on    TEXT,            -- FRAUD: recovered in full
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

INSERT OR IGNORE INTO schema_migrations (id, owner) VALUES ('0002_calculation', 'calculation');
