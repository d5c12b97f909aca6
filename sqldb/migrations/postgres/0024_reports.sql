-- A member reports an account, and perhaps some of its posts, to staff.
-- action_taken_at is 0 while the report is open. holding is true while
-- the reported posts are hidden from all but their author and staff: from
-- a safeguarding report's creation until staff resolve it, unless they
-- chose to keep the posts hidden. statuses.held_for_review caches "some
-- holding report names this post" so that reads need no extra query.
CREATE TABLE reports (
  id                BIGINT PRIMARY KEY,
  account_id        BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  category          TEXT NOT NULL,
  comment           TEXT NOT NULL DEFAULT '',
  rule_ids          TEXT NOT NULL DEFAULT '',
  forwarded         BOOLEAN NOT NULL DEFAULT FALSE,
  holding           BOOLEAN NOT NULL DEFAULT FALSE,
  action            TEXT NOT NULL DEFAULT '',
  action_taken_at   BIGINT NOT NULL DEFAULT 0,
  action_taken_by   BIGINT NOT NULL DEFAULT 0,
  created_at        BIGINT NOT NULL
);
CREATE INDEX reports_open ON reports (action_taken_at, id);
CREATE INDEX reports_target ON reports (target_account_id);
CREATE INDEX reports_account ON reports (account_id);
CREATE TABLE report_statuses (
  report_id BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  status_id BIGINT NOT NULL,
  PRIMARY KEY (report_id, status_id)
);
CREATE INDEX report_statuses_status ON report_statuses (status_id, report_id);
ALTER TABLE statuses ADD COLUMN held_for_review BOOLEAN NOT NULL DEFAULT FALSE;
-- What staff did, for accountability: IDs, action names and the
-- moderator's reason only, never post text or personal data. actor_id is
-- kept when the moderator's account goes.
CREATE TABLE audit_log (
  id          BIGINT PRIMARY KEY,
  actor_id    BIGINT NOT NULL,
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id   BIGINT NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  created_at  BIGINT NOT NULL
);
