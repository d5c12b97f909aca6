-- Failed sign-in attempts per login (see signin_lockout.go): by SHA-256 of
-- the login as typed, lower-cased, so unknown logins are counted the same
-- way as real ones and the table tells nothing of which accounts exist.
-- forget_at is when the row no longer matters (15 minutes after the last
-- failure or the end of the lock); rows past it are swept on each write.
CREATE TABLE sign_in_failures (
  login_key       TEXT PRIMARY KEY,
  failures        INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL,
  locked_until    INTEGER NOT NULL DEFAULT 0,
  forget_at       INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_forget ON sign_in_failures (forget_at);
