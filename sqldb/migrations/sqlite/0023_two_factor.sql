-- A member's TOTP second factor (RFC 6238) for signing in on the web. The
-- secret is kept as is (a code cannot be checked without it); enabled_at
-- is 0 while set-up waits for a first code; last_step is the time step of
-- the last code accepted, so a code cannot be used twice.
CREATE TABLE two_factors (
  account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  secret     TEXT NOT NULL,
  enabled_at INTEGER NOT NULL DEFAULT 0,
  last_step  INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
-- Single-use recovery codes, by SHA-256 of the normalised code.
CREATE TABLE recovery_codes (
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  code_hash  TEXT NOT NULL,
  PRIMARY KEY (account_id, code_hash)
);
-- Sign-ins that got the right password and wait for the second factor,
-- by SHA-256 of the token the browser holds in a cookie.
CREATE TABLE pending_sign_ins (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  attempts   INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL
);
CREATE INDEX pending_sign_ins_expiry ON pending_sign_ins (expires_at);
