-- A member deletes their account (or staff delete it). deleted_at > 0
-- hides the account from every read at once, and author_deleted its
-- statuses (a copy of the account's flag, as held_for_review is, so reads
-- need no extra query); a job then removes everything in batches and at
-- last the user row, leaving the account row as a blank tombstone that
-- reports and warnings about it still point to. The username stays
-- reserved for ever, so no one can later pose as the member who left.
ALTER TABLE accounts ADD COLUMN deleted_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE statuses ADD COLUMN author_deleted BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE reserved_usernames (
  username   TEXT PRIMARY KEY, -- lower-case
  account_id BIGINT NOT NULL, -- who had it (now a blank tombstone)
  created_at BIGINT NOT NULL
);
-- When each member last downloaded their archive: one a while, as a
-- whole archive is costly to build.
CREATE TABLE archive_downloads (
  account_id    BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  downloaded_at BIGINT NOT NULL
);
