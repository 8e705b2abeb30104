-- Owner: objections. Objections to an entry of a proposed list during its notice period
-- (PROC-OBJECT) and their re-review conclusions. The objector's personal data lives in
-- `objectors` only and is never part of a public answer.

CREATE TABLE IF NOT EXISTS objections (
    id               TEXT PRIMARY KEY,      -- tracking number, e.g. YY-2026-000001
    seq              INTEGER NOT NULL UNIQUE,
    notice_id        TEXT NOT NULL REFERENCES notices (id),
    entry            INTEGER NOT NULL,      -- 序号 of the entry objected to
    application_id   TEXT NOT NULL REFERENCES applications (id),
    filed_at         TEXT NOT NULL,
    token_hash       TEXT NOT NULL,         -- SHA-256 of the private token; the token is never stored
    grounds          TEXT NOT NULL,
    dedup_hash       TEXT NOT NULL UNIQUE,  -- SHA-256 of notice, entry, contact and grounds (normalised)
    status           TEXT NOT NULL DEFAULT 'received'
                     CHECK (status IN ('received', 'upheld', 'partly_upheld', 'dismissed')),
    new_amount_cny   TEXT,                  -- partly upheld: the amount after re-review
    reasons_zh       TEXT,                  -- PROC-OBJECT: the re-review conclusion
    reasons_en       TEXT,
    concluded_at     TEXT,
    notice_update    INTEGER                -- the seq of the notice update it produced
);
CREATE INDEX IF NOT EXISTS objections_by_notice ON objections (notice_id, entry);
CREATE INDEX IF NOT EXISTS objections_by_application ON objections (application_id);

-- Private: who objected. Officers only.
CREATE TABLE IF NOT EXISTS objectors (
    objection_id     TEXT PRIMARY KEY REFERENCES objections (id),
    name             TEXT NOT NULL,
    contact          TEXT NOT NULL,
    relation         TEXT NOT NULL
);

-- Evidence files, checked by content (PDF, JPEG, PNG), with their SHA-256.
CREATE TABLE IF NOT EXISTS objection_evidence (
    objection_id     TEXT NOT NULL REFERENCES objections (id),
    number           INTEGER NOT NULL,
    file_name        TEXT NOT NULL,
    content_type     TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg',
                                                           'image/png')),
    size_bytes       INTEGER NOT NULL CHECK (size_bytes BETWEEN 1 AND 1048576),
    sha256           TEXT NOT NULL,
    data             BLOB NOT NULL,
    PRIMARY KEY (objection_id, number)
);

-- Flood limits: objections accepted per client address (SHA-256 of the address from
-- `spin-client-addr`, without the port) per hour (`hour` = 2026-09-18T10, Beijing time).
CREATE TABLE IF NOT EXISTS objection_rate (
    client           TEXT NOT NULL,
    hour             TEXT NOT NULL,
    count            INTEGER NOT NULL,
    PRIMARY KEY (client, hour)
);

INSERT OR IGNORE INTO schema_migrations (id, owner) VALUES ('0004_objections', 'objections');
