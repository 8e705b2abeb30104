-- Owner: notices. Published notices (PROC-NOTICE: the proposed list; DISCLOSE: payments).
-- A published notice is never edited: `notices` and `notice_updates` refuse UPDATE and
-- DELETE; a re-review conclusion (PROC-OBJECT) or a correction is a new row of
-- `notice_updates` with its own time. Moments are RFC 3339 with the +08:00 offset.

-- One notice as published: `notice_json` is a `publish::Notice` without updates.
CREATE TABLE IF NOT EXISTS notices (
    id                  TEXT PRIMARY KEY,     -- e.g. 2026-proposed, 2026-payments-1
    round_year          INTEGER NOT NULL REFERENCES rounds (year),
    kind                TEXT NOT NULL CHECK (kind IN ('proposed_list', 'payments')),
    allocation_version  INTEGER,              -- proposed list: the version published
    published_at        TEXT NOT NULL,
    period_ends_at      TEXT,                 -- PROC-NOTICE: exclusive end of the period
    notice_json         TEXT NOT NULL,
    created_by          TEXT NOT NULL,        -- role and token digest prefix (service::auth)
    CHECK ((kind = 'proposed_list') = (period_ends_at IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS notices_by_published ON notices (published_at DESC);
-- PROC-NOTICE: one proposed list per round.
CREATE UNIQUE INDEX IF NOT EXISTS notices_one_proposed_list ON notices (round_year)
    WHERE kind = 'proposed_list';
CREATE TRIGGER IF NOT EXISTS notices_no_update BEFORE UPDATE ON notices
BEGIN SELECT RAISE(ABORT, 'a published notice is never edited'); END;
CREATE TRIGGER IF NOT EXISTS notices_no_delete BEFORE DELETE ON notices
BEGIN SELECT RAISE(ABORT, 'a published notice is never deleted'); END;

-- Which application and enterprise each published entry is (private: the notice shows
-- only the name, the rights and the amount).
CREATE TABLE IF NOT EXISTS notice_entries (
    notice_id       TEXT NOT NULL REFERENCES notices (id),
    number          INTEGER NOT NULL,
    application_id  TEXT NOT NULL REFERENCES applications (id),
    uscc            TEXT NOT NULL,
    payment_id      TEXT,                     -- DISCLOSE: the payment disclosed
    PRIMARY KEY (notice_id, number)
);
CREATE INDEX IF NOT EXISTS notice_entries_by_payment ON notice_entries (payment_id);

-- Updates, numbered 1, 2, … per notice (a `publish::NoticeUpdate` each).
-- Written through `service::notice::append_update` only: by notices (corrections) and by
-- objections (re-review conclusions, PROC-OBJECT).
CREATE TABLE IF NOT EXISTS notice_updates (
    notice_id       TEXT NOT NULL REFERENCES notices (id),
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    at              TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('re_review_upheld', 're_review_partly_upheld',
                                                  're_review_dismissed', 'correction')),
    entry           INTEGER,
    new_amount_cny  TEXT,
    text_zh         TEXT NOT NULL,
    text_en         TEXT NOT NULL,
    objection_id    TEXT,                     -- the objection whose re-review produced it
    PRIMARY KEY (notice_id, seq)
);
CREATE TRIGGER IF NOT EXISTS notice_updates_no_update BEFORE UPDATE ON notice_updates
BEGIN SELECT RAISE(ABORT, 'a published update is never edited'); END;
CREATE TRIGGER IF NOT EXISTS notice_updates_no_delete BEFORE DELETE ON notice_updates
BEGIN SELECT RAISE(ABORT, 'a published update is never deleted'); END;

INSERT OR IGNORE INTO schema_migrations (id, owner) VALUES ('0003_notices', 'notices');
