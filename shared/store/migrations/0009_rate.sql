-- Flood limits for every public write (issue 14): how many writes a client made in an
-- hour (`hour` = 2026-09-18T10, Beijing time). `client` is a SHA-256 of what identifies
-- the writer for one limit — an objector's contact, an enterprise's credit code, a peer
-- address (an IPv6 client by its /64) — with the limit's name inside the hash, so one
-- table serves every limit. Replaces objection_rate (0004), whose counts last an hour.
CREATE TABLE IF NOT EXISTS write_rate (
    client           TEXT NOT NULL,
    hour             TEXT NOT NULL,
    count            INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (client, hour)
);
DROP TABLE IF EXISTS objection_rate;

-- Proof-of-work challenges spent by an objection (service::proof): each is used once. Only
-- its SHA-256 and the moment are kept; a challenge older than an hour is refused anyway.
CREATE TABLE IF NOT EXISTS spent_challenges (
    challenge_hash   TEXT PRIMARY KEY,
    spent_at         TEXT NOT NULL
);

INSERT OR IGNORE INTO schema_migrations (id, owner) VALUES ('0009_rate', 'intake');
