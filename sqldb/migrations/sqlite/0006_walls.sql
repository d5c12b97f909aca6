-- Live walls: a hashtag's posts on a big screen, looked after by staff.
-- A wall's settings, and what staff decided about each post on it. Rows
-- exist only once someone decided something; no row means the defaults.
CREATE TABLE walls (
  tag           TEXT    PRIMARY KEY,
  approve_first INTEGER NOT NULL DEFAULT 0,
  updated_at    INTEGER NOT NULL DEFAULT 0,
  updated_by    INTEGER REFERENCES accounts (id) ON DELETE SET NULL
);

CREATE TABLE wall_posts (
  tag          TEXT    NOT NULL,
  status_id    INTEGER NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  hidden       INTEGER NOT NULL DEFAULT 0,
  approved     INTEGER NOT NULL DEFAULT 0,
  pinned_at    INTEGER NOT NULL DEFAULT 0, -- 0 unless pinned
  moderated_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  moderated_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tag, status_id)
) WITHOUT ROWID;
CREATE INDEX wall_posts_status ON wall_posts (status_id);
CREATE INDEX wall_posts_pinned ON wall_posts (tag, pinned_at) WHERE pinned_at > 0;
