-- Owner: notices. Published notices (guide, proposed list, results, disclosure).
CREATE TABLE IF NOT EXISTS notices (
    id              TEXT PRIMARY KEY,
    round_year      INTEGER NOT NULL REFERENCES rounds (year),
    kind            TEXT NOT NULL CHECK (kind IN ('guide', 'proposed_list', 're_review',
                                                 'result', 'disclosure')),
    title_zh        TEXT NOT NULL,
    title_en        TEXT NOT NULL,
    body_zh         TEXT NOT NULL,
    body_en         TEXT NOT NULL,
    published_on    TEXT NOT NULL,   -- PROC-NOTICE: day 1 when a working day
    period_ends_on  TEXT,            -- last working day of the notice period
    entries_json    TEXT NOT NULL DEFAULT '[]',
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS notices_by_published ON notices (published_on DESC);

INSERT OR IGNORE INTO schema_migrations (id, owner) VALUES ('0003_notices', 'notices');
