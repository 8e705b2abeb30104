-- PROC-CREDIT: the register of credit findings against enterprises (Credit China (Beijing),
-- the departments), kept by officers: added, corrected, marked repaired (信用修复) or
-- withdrawn when entered in error. A withdrawn finding stays, marked; every change is in
-- the audit log. Decisions read the findings not withdrawn.
CREATE TABLE IF NOT EXISTS credit_findings (
    id               INTEGER PRIMARY KEY,
    uscc             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('major_work_safety_accident',
                         'major_environmental_accident', 'labour_relations_failure',
                         'tax_non_compliance', 'serious_bad_credit_record')),
    found_on         TEXT NOT NULL,         -- the finding's date
    source           TEXT NOT NULL,         -- e.g. 信用中国（北京）, 区应急管理局
    repaired_on      TEXT,                  -- 信用修复: from this day it no longer counts
    withdrawn_at     TEXT,                  -- entered in error: it never counted
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS credit_findings_by_enterprise ON credit_findings (uscc);

INSERT OR IGNORE INTO schema_migrations (id, owner) VALUES ('0006_credit', 'intake');
