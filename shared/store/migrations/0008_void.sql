-- Applications voided by the office (issue 14): one filed in an enterprise's name by
-- someone else, for instance. A voided application leaves the round as `withdrawn`, its
-- loans free again for the enterprise's own application; the reason, the officer and the
-- moment are kept here, never edited.
CREATE TABLE IF NOT EXISTS application_voids (
    application_id   TEXT PRIMARY KEY REFERENCES applications (id),
    reason           TEXT NOT NULL,
    actor            TEXT NOT NULL,
    voided_at        TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS application_voids_no_update BEFORE UPDATE ON application_voids
BEGIN SELECT RAISE(ABORT, 'a void is never edited'); END;
CREATE TRIGGER IF NOT EXISTS application_voids_no_delete BEFORE DELETE ON application_voids
BEGIN SELECT RAISE(ABORT, 'a void is never deleted'); END;

INSERT OR IGNORE INTO schema_migrations (id, owner) VALUES ('0008_void', 'intake');
