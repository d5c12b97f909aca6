-- A member blocks an account (they no longer see each other, and cannot
-- follow or interact) or mutes it (its posts, and unless notifications is
-- false its notifications, are hidden from the member, who goes on
-- following it). A mute with an end is lifted by a job at that moment.
CREATE TABLE blocks (
  id                INTEGER PRIMARY KEY,
  account_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX blocks_pair ON blocks (account_id, target_account_id);
CREATE INDEX blocks_target ON blocks (target_account_id, account_id);
CREATE TABLE mutes (
  id                INTEGER PRIMARY KEY,
  account_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  notifications     INTEGER NOT NULL DEFAULT 1,
  expires_at        INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX mutes_pair ON mutes (account_id, target_account_id);
