-- FRAUD: the clawback (全额追回) as a tracked record. A determination makes every subsidy the
-- enterprise received and not already due back due back in full: one claim per subsidy
-- (the amount due per earlier payment). Money received back is recorded against a claim
-- with its date and reference; the outstanding balance is what is due less what was
-- received. Neither is ever edited or deleted; a subsidy recovered in full is marked
-- `recovered` in `subsidy_history` and still counts as a time (reading 4).
CREATE TABLE IF NOT EXISTS recovery_claims (
    id               INTEGER PRIMARY KEY,
    uscc             TEXT NOT NULL,
    finding_id       INTEGER NOT NULL REFERENCES fraud_findings (id),
    subsidy_id       INTEGER NOT NULL UNIQUE REFERENCES subsidy_history (id),
    year             INTEGER NOT NULL,
    reference        TEXT NOT NULL,         -- the subsidy's: PAY-… for a payment made here
    due_cny          TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS recovery_claims_by_enterprise ON recovery_claims (uscc);
CREATE TRIGGER IF NOT EXISTS recovery_claims_no_update BEFORE UPDATE ON recovery_claims
BEGIN SELECT RAISE(ABORT, 'a recovery claim is never edited'); END;
CREATE TRIGGER IF NOT EXISTS recovery_claims_no_delete BEFORE DELETE ON recovery_claims
BEGIN SELECT RAISE(ABORT, 'a recovery claim is never deleted'); END;

CREATE TABLE IF NOT EXISTS recoveries (
    id               INTEGER PRIMARY KEY,
    claim_id         INTEGER NOT NULL REFERENCES recovery_claims (id),
    received_on      TEXT NOT NULL,
    amount_cny       TEXT NOT NULL,
    reference        TEXT NOT NULL,         -- the receipt: 缴款书 or bank reference
    created_at       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS recoveries_by_claim ON recoveries (claim_id);
CREATE TRIGGER IF NOT EXISTS recoveries_no_update BEFORE UPDATE ON recoveries
BEGIN SELECT RAISE(ABORT, 'a recorded recovery is never edited'); END;
CREATE TRIGGER IF NOT EXISTS recoveries_no_delete BEFORE DELETE ON recoveries
BEGIN SELECT RAISE(ABORT, 'a recorded recovery is never deleted'); END;

INSERT OR IGNORE INTO schema_migrations (id, owner) VALUES ('0007_recovery', 'intake');
