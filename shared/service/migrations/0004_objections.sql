-- Owner: objections. Objections during the notice period and re-review conclusions.
CREATE TABLE IF NOT EXISTS objections (
    id               TEXT PRIMARY KEY,
    notice_id        TEXT NOT NULL REFERENCES notices (id),
    application_id   TEXT NOT NULL REFERENCES applications (id),
    filed_at         TEXT NOT NULL,
    objector_name    TEXT NOT NULL,
    objector_contact TEXT NOT NULL,
    grounds          TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'received'
                     CHECK (status IN ('received', 'inadmissible', 'under_review',
                                       'upheld', 'rejected')),
    conclusion_zh    TEXT,            -- PROC-OBJECT: the re-review conclusion
    conclusion_en    TEXT,
    concluded_at     TEXT
);
CREATE INDEX IF NOT EXISTS objections_by_application ON objections (application_id);

INSERT OR IGNORE INTO schema_migrations (id, owner) VALUES ('0004_objections', 'objections');
