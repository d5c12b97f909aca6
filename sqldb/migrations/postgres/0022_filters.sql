-- A member's filters (Mastodon 4 "filters v2"): a title, the contexts it
-- applies in (comma-separated: home,notifications,public,thread,account),
-- what to do with a match (warn or hide), an optional end, and the rules
-- that match: keywords, and particular statuses.
CREATE TABLE filters (
  id         BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  title      TEXT NOT NULL,
  context    TEXT NOT NULL,
  action     TEXT NOT NULL,
  expires_at BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX filters_account ON filters (account_id, id);
CREATE TABLE filter_keywords (
  id         BIGINT PRIMARY KEY,
  filter_id  BIGINT NOT NULL REFERENCES filters (id) ON DELETE CASCADE,
  keyword    TEXT NOT NULL,
  whole_word BOOLEAN NOT NULL DEFAULT TRUE,
  created_at BIGINT NOT NULL
);
CREATE INDEX filter_keywords_filter ON filter_keywords (filter_id, id);
CREATE TABLE filter_statuses (
  id         BIGINT PRIMARY KEY,
  filter_id  BIGINT NOT NULL REFERENCES filters (id) ON DELETE CASCADE,
  status_id  BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX filter_statuses_filter ON filter_statuses (filter_id, status_id);
CREATE INDEX filter_statuses_status ON filter_statuses (status_id);
