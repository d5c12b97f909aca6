-- Core network: accounts, sign-in, OAuth, statuses, follows, feeds, lists,
-- notifications. Times are INTEGER milliseconds since the Unix epoch (0 = unset)
-- in both engines, so every query reads the same on SQLite and PostgreSQL.

CREATE TABLE accounts (
  id              INTEGER PRIMARY KEY,
  username        TEXT    NOT NULL,
  domain          TEXT    NOT NULL DEFAULT '',
  display_name    TEXT    NOT NULL DEFAULT '',
  note            TEXT    NOT NULL DEFAULT '',
  fields          TEXT    NOT NULL DEFAULT '[]',
  locked          INTEGER NOT NULL DEFAULT 0,
  bot             INTEGER NOT NULL DEFAULT 0,
  discoverable    INTEGER NOT NULL DEFAULT 1,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  last_status_at  INTEGER NOT NULL DEFAULT 0,
  followers_count INTEGER NOT NULL DEFAULT 0,
  following_count INTEGER NOT NULL DEFAULT 0,
  statuses_count  INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX accounts_username ON accounts (lower(username), domain);

CREATE TABLE users (
  account_id    INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  email         TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,
  role          TEXT    NOT NULL DEFAULT 'user',
  approved      INTEGER NOT NULL DEFAULT 0,
  confirmed     INTEGER NOT NULL DEFAULT 0,
  disabled      INTEGER NOT NULL DEFAULT 0,
  reason        TEXT    NOT NULL DEFAULT '',
  locale        TEXT    NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_pending ON users (created_at) WHERE approved = FALSE;

CREATE TABLE applications (
  id                 INTEGER PRIMARY KEY,
  name               TEXT    NOT NULL,
  website            TEXT    NOT NULL DEFAULT '',
  redirect_uris      TEXT    NOT NULL,
  scopes             TEXT    NOT NULL,
  client_id          TEXT    NOT NULL UNIQUE,
  client_secret_hash TEXT    NOT NULL,
  created_at         INTEGER NOT NULL
);

CREATE TABLE auth_codes (
  code_hash             TEXT    PRIMARY KEY,
  application_id        INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  account_id            INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  redirect_uri          TEXT    NOT NULL,
  scopes                TEXT    NOT NULL,
  code_challenge        TEXT    NOT NULL DEFAULT '',
  code_challenge_method TEXT    NOT NULL DEFAULT '',
  expires_at            INTEGER NOT NULL
);
CREATE INDEX auth_codes_account ON auth_codes (account_id);
CREATE INDEX auth_codes_application ON auth_codes (application_id);

CREATE TABLE tokens (
  id             INTEGER PRIMARY KEY,
  token_hash     TEXT    NOT NULL UNIQUE,
  refresh_hash   TEXT    UNIQUE,
  application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  account_id     INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
  scopes         TEXT    NOT NULL,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL DEFAULT 0,
  last_used_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tokens_account ON tokens (account_id);
CREATE INDEX tokens_application ON tokens (application_id);

CREATE TABLE statuses (
  id                     INTEGER PRIMARY KEY,
  account_id             INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  local                  INTEGER NOT NULL DEFAULT 1,
  text                   TEXT    NOT NULL DEFAULT '',
  content                TEXT    NOT NULL DEFAULT '',
  spoiler_text           TEXT    NOT NULL DEFAULT '',
  sensitive              INTEGER NOT NULL DEFAULT 0,
  visibility             TEXT    NOT NULL,
  language               TEXT    NOT NULL DEFAULT '',
  in_reply_to_id         INTEGER, -- no foreign key: replies outlive the status they answer
  in_reply_to_account_id INTEGER,
  reblog_of_id           INTEGER REFERENCES statuses (id) ON DELETE CASCADE,
  conversation_id        INTEGER NOT NULL,
  application_id         INTEGER REFERENCES applications (id) ON DELETE SET NULL,
  created_at             INTEGER NOT NULL,
  edited_at              INTEGER NOT NULL DEFAULT 0,
  replies_count          INTEGER NOT NULL DEFAULT 0,
  reblogs_count          INTEGER NOT NULL DEFAULT 0,
  favourites_count       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX statuses_account ON statuses (account_id, id);
CREATE INDEX statuses_reply ON statuses (in_reply_to_id) WHERE in_reply_to_id IS NOT NULL;
CREATE UNIQUE INDEX statuses_reblog ON statuses (reblog_of_id, account_id) WHERE reblog_of_id IS NOT NULL;
CREATE INDEX statuses_conversation ON statuses (conversation_id, id);
CREATE INDEX statuses_public ON statuses (id) WHERE visibility = 'public' AND reblog_of_id IS NULL;
CREATE INDEX statuses_application ON statuses (application_id) WHERE application_id IS NOT NULL;

CREATE TABLE status_edits (
  id           INTEGER PRIMARY KEY,
  status_id    INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  account_id   INTEGER NOT NULL,
  text         TEXT    NOT NULL,
  content      TEXT    NOT NULL,
  spoiler_text TEXT    NOT NULL DEFAULT '',
  sensitive    INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL
);
CREATE INDEX status_edits_status ON status_edits (status_id, id);

CREATE TABLE tags (
  name           TEXT    PRIMARY KEY, -- normalised (lower-case)
  display_name   TEXT    NOT NULL,
  uses           INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  last_status_at INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE status_tags (
  tag       TEXT    NOT NULL,
  status_id INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, status_id)
) WITHOUT ROWID;
CREATE INDEX status_tags_status ON status_tags (status_id);

CREATE TABLE mentions (
  status_id  INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  PRIMARY KEY (status_id, account_id)
) WITHOUT ROWID;
CREATE INDEX mentions_account ON mentions (account_id, status_id);

CREATE TABLE follows (
  id                INTEGER PRIMARY KEY,
  account_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  show_reblogs      INTEGER NOT NULL DEFAULT 1,
  notify            INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX follows_pair ON follows (account_id, target_account_id);
CREATE INDEX follows_account ON follows (account_id, id);
CREATE INDEX follows_target ON follows (target_account_id, id);

CREATE TABLE follow_requests (
  id                INTEGER PRIMARY KEY,
  account_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  target_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  show_reblogs      INTEGER NOT NULL DEFAULT 1,
  notify            INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX follow_requests_pair ON follow_requests (account_id, target_account_id);
CREATE INDEX follow_requests_target ON follow_requests (target_account_id, id);

CREATE TABLE favourites (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status_id  INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX favourites_pair ON favourites (account_id, status_id);
CREATE INDEX favourites_account ON favourites (account_id, id);
CREATE INDEX favourites_status ON favourites (status_id, id);

CREATE TABLE bookmarks (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status_id  INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX bookmarks_pair ON bookmarks (account_id, status_id);
CREATE INDEX bookmarks_account ON bookmarks (account_id, id);
CREATE INDEX bookmarks_status ON bookmarks (status_id);

CREATE TABLE pins (
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status_id  INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, status_id)
) WITHOUT ROWID;
CREATE INDEX pins_status ON pins (status_id);

-- The home timeline, written on post (fan-out on write). origin_id is the
-- status itself or the one a reblog carries, so each post shows once.
CREATE TABLE home_feed (
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status_id  INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  origin_id  INTEGER NOT NULL,
  author_id  INTEGER NOT NULL,
  PRIMARY KEY (account_id, status_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX home_feed_origin ON home_feed (account_id, origin_id);
CREATE INDEX home_feed_status ON home_feed (status_id);

CREATE TABLE lists (
  id             INTEGER PRIMARY KEY,
  account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  title          TEXT    NOT NULL,
  replies_policy TEXT    NOT NULL DEFAULT 'list',
  exclusive      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX lists_account ON lists (account_id);

CREATE TABLE list_members (
  list_id    INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  PRIMARY KEY (list_id, account_id)
) WITHOUT ROWID;
CREATE INDEX list_members_account ON list_members (account_id);

CREATE TABLE list_feed (
  list_id   INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
  status_id INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  origin_id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  PRIMARY KEY (list_id, status_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX list_feed_origin ON list_feed (list_id, origin_id);
CREATE INDEX list_feed_status ON list_feed (status_id);

CREATE TABLE notifications (
  id              INTEGER PRIMARY KEY,
  account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  from_account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  type            TEXT    NOT NULL,
  status_id       INTEGER REFERENCES statuses (id) ON DELETE CASCADE,
  created_at      INTEGER NOT NULL
);
CREATE INDEX notifications_account ON notifications (account_id, id);
CREATE UNIQUE INDEX notifications_once ON notifications (account_id, type, from_account_id, coalesce(status_id, 0));
CREATE INDEX notifications_from ON notifications (from_account_id);
CREATE INDEX notifications_status ON notifications (status_id) WHERE status_id IS NOT NULL;

CREATE TABLE markers (
  account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  timeline     TEXT    NOT NULL,
  last_read_id INTEGER NOT NULL,
  version      INTEGER NOT NULL DEFAULT 0,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (account_id, timeline)
) WITHOUT ROWID;

-- Each participant's view of a direct-message thread.
CREATE TABLE account_conversations (
  account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id INTEGER NOT NULL,
  participant_ids TEXT    NOT NULL,
  last_status_id  INTEGER NOT NULL,
  unread          INTEGER NOT NULL DEFAULT 0,
  hidden          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, conversation_id)
) WITHOUT ROWID;
CREATE INDEX account_conversations_last ON account_conversations (account_id, last_status_id);
CREATE INDEX account_conversations_status ON account_conversations (last_status_id);

CREATE TABLE idempotency_keys (
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  key        TEXT    NOT NULL,
  status_id  INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_status ON idempotency_keys (status_id);
