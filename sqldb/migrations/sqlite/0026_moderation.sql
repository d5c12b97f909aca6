-- Moderation of accounts (issue 8). An account is limited (Mastodon's
-- "silence") while silenced_at > 0: its posts leave public surfaces for
-- those who do not follow it. It is suspended while suspended_at > 0: it
-- cannot sign in and its posts are hidden everywhere, but nothing is
-- deleted, so staff can undo it. sensitized_at > 0 marks its media
-- sensitive. Times are milliseconds, 0 = not in force.
ALTER TABLE accounts ADD COLUMN silenced_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN suspended_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN sensitized_at INTEGER NOT NULL DEFAULT 0;
-- A staff action on an account, with the reason the member is told (a
-- moderation_warning notification whose ID is the warning's). The member
-- may appeal once. status_ids is a comma-separated list.
CREATE TABLE account_warnings (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  actor_id    INTEGER NOT NULL,
  action      TEXT NOT NULL,
  text        TEXT NOT NULL DEFAULT '',
  status_ids  TEXT NOT NULL DEFAULT '',
  report_id   INTEGER NOT NULL DEFAULT 0,
  appeal_text TEXT NOT NULL DEFAULT '',
  appealed_at INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL
);
CREATE INDEX account_warnings_account ON account_warnings (account_id, id);
-- The community's rules, in the order staff set.
CREATE TABLE rules (
  id         INTEGER PRIMARY KEY,
  position   INTEGER NOT NULL,
  text       TEXT NOT NULL,
  hint       TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Texts the admins write: the terms of service and the privacy policy.
CREATE TABLE instance_texts (
  name       TEXT PRIMARY KEY,
  body       TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Each moderation warning gets its own notification: the rule that a
-- notification exists once per (account, type, sender, status) does not
-- apply to them, as they have no status and the sender is the member.
DROP INDEX notifications_once;
CREATE UNIQUE INDEX notifications_once ON notifications (account_id, type, from_account_id, coalesce(status_id, 0)) WHERE type <> 'moderation_warning';
