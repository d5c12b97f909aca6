-- Hashtags a member follows: public posts with them join the member's home
-- timeline when it is read.
CREATE TABLE tag_follows (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  tag        TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX tag_follows_account ON tag_follows (account_id, tag);
