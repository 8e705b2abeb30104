-- The office's people (issue 15): every officer, administrator and auditor signs in as a
-- named account; the audit log names them (`account:<username>`). Passwords are kept only
-- as Argon2id PHC strings; sessions and personal API tokens only as SHA-256 digests of the
-- random secret the person holds, so a copy of the database opens nobody's session.
CREATE TABLE IF NOT EXISTS accounts (
    username       TEXT PRIMARY KEY CHECK (length(username) BETWEEN 3 AND 32),
    display_name   TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    role           TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'auditor')),
    password_hash  TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    disabled_at    TEXT
);

-- A signed-in browser: the cookie holds the secret, this row its digest. A session ends at
-- `expires_at`, at sign-out (`ended_at`) or when its account is disabled.
CREATE TABLE IF NOT EXISTS sessions (
    token_hash     TEXT PRIMARY KEY,
    username       TEXT NOT NULL REFERENCES accounts (username),
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    ended_at       TEXT
);
CREATE INDEX IF NOT EXISTS sessions_by_username ON sessions (username);

-- Personal API tokens for automation (`Authorization: Bearer mtg_…`), revocable.
CREATE TABLE IF NOT EXISTS api_tokens (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash     TEXT NOT NULL UNIQUE,
    username       TEXT NOT NULL REFERENCES accounts (username),
    label          TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    created_at     TEXT NOT NULL,
    revoked_at     TEXT
);
CREATE INDEX IF NOT EXISTS api_tokens_by_username ON api_tokens (username);

-- Failed sign-ins, per username as typed (whether or not such an account exists), for the
-- throttle: five in fifteen minutes and that name waits.
CREATE TABLE IF NOT EXISTS sign_in_failures (
    username       TEXT NOT NULL,
    at             TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sign_in_failures_by_username ON sign_in_failures (username, at);

INSERT OR IGNORE INTO schema_migrations (id, owner) VALUES ('0010_accounts', 'accounts');
