-- Owner: calculation. The proposed list (拟补助名单), versioned; payments.

-- BUDGET: one computation of a round's list. Recomputing with the same inputs gives the
-- same list (same input_hash: no new version).
CREATE TABLE IF NOT EXISTS allocations (
    round_year       INTEGER NOT NULL REFERENCES rounds (year),
    version          INTEGER NOT NULL,
    computed_at      TEXT NOT NULL,
    reason           TEXT NOT NULL,       -- 'allocation', or 're_review' (PROC-OBJECT)
    input_hash       TEXT NOT NULL,
    allocation_json  TEXT NOT NULL,       -- rules::Allocation
    PRIMARY KEY (round_year, version)
);

-- The lines of a version, as the notice shows them.
CREATE TABLE IF NOT EXISTS allocation_lines (
    round_year       INTEGER NOT NULL,
    version          INTEGER NOT NULL,
    application_id   TEXT NOT NULL REFERENCES applications (id),
    number           INTEGER NOT NULL,    -- 序号 on the notice
    uscc             TEXT NOT NULL,
    enterprise_name  TEXT NOT NULL,
    rights_zh        TEXT NOT NULL,       -- kinds of pledged rights, e.g. 发明专利
    rights_en        TEXT NOT NULL,
    ceiling_cny      TEXT NOT NULL,
    granted_cny      TEXT NOT NULL,
    PRIMARY KEY (round_year, version, application_id),
    FOREIGN KEY (round_year, version) REFERENCES allocations (round_year, version)
);

-- DISCLOSE: payments made after PROC-APPROVE.
CREATE TABLE IF NOT EXISTS payments (
    id               TEXT PRIMARY KEY,
    round_year       INTEGER NOT NULL REFERENCES rounds (year),
    application_id   TEXT NOT NULL REFERENCES applications (id),
    uscc             TEXT NOT NULL,
    amount_cny       TEXT NOT NULL,
    paid_on          TEXT NOT NULL,
    bank_reference   TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    UNIQUE (application_id)
);

INSERT OR IGNORE INTO schema_migrations (id, owner) VALUES ('0002_calculation', 'calculation');
