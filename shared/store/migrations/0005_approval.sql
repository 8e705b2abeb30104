-- PROC-APPROVE: the district government's decision on each line of the list. Its meeting
-- may approve the list with some projects rejected or reduced; only what it approved is
-- paid. Written once, with the approval; never changed.
CREATE TABLE IF NOT EXISTS approval_lines (
    round_year       INTEGER NOT NULL REFERENCES rounds (year),
    application_id   TEXT NOT NULL REFERENCES applications (id),
    decision         TEXT NOT NULL CHECK (decision IN ('approved', 'reduced', 'rejected')),
    amount_cny       TEXT NOT NULL,         -- what the government approved; 0.00 if rejected
    note             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_year, application_id)
);
CREATE TRIGGER IF NOT EXISTS approval_lines_no_update BEFORE UPDATE ON approval_lines
BEGIN SELECT RAISE(ABORT, 'the government''s decision is never edited'); END;
CREATE TRIGGER IF NOT EXISTS approval_lines_no_delete BEFORE DELETE ON approval_lines
BEGIN SELECT RAISE(ABORT, 'the government''s decision is never deleted'); END;

INSERT OR IGNORE INTO schema_migrations (id, owner) VALUES ('0005_approval', 'calculation');
