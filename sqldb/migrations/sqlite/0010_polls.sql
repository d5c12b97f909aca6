-- Polls: a post may ask a question with 2 to 10 answers. Counts are kept
-- on the rows, as the statuses' counters are, so showing a poll costs one
-- read; each vote is a row, so a member votes once and an author can
-- export the results.
CREATE TABLE polls (
  id           INTEGER PRIMARY KEY,
  status_id    INTEGER NOT NULL UNIQUE REFERENCES statuses (id) ON DELETE CASCADE,
  account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  expires_at   INTEGER NOT NULL,
  multiple     INTEGER NOT NULL DEFAULT 0,
  hide_totals  INTEGER NOT NULL DEFAULT 0,
  voters_count INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL
);

CREATE TABLE poll_options (
  poll_id     INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  title       TEXT    NOT NULL,
  votes_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (poll_id, position)
) WITHOUT ROWID;

CREATE TABLE poll_votes (
  poll_id    INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  choice     INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (poll_id, account_id, choice)
) WITHOUT ROWID;
CREATE INDEX poll_votes_account ON poll_votes (account_id);

-- Which statuses carry a poll, so timelines look polls up only for those.
ALTER TABLE statuses ADD COLUMN poll_id INTEGER;
