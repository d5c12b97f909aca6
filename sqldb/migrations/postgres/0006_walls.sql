-- Live walls: a hashtag's posts on a big screen, looked after by staff.
-- A wall's settings, and what staff decided about each post on it. Rows
-- exist only once someone decided something; no row means the defaults.
CREATE TABLE walls (
  tag           TEXT    PRIMARY KEY,
  approve_first BOOLEAN NOT NULL DEFAULT FALSE,
  updated_at    BIGINT  NOT NULL DEFAULT 0,
  updated_by    BIGINT  REFERENCES accounts (id) ON DELETE SET NULL
);

CREATE TABLE wall_posts (
  tag          TEXT    NOT NULL,
  status_id    BIGINT  NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
  hidden       BOOLEAN NOT NULL DEFAULT FALSE,
  approved     BOOLEAN NOT NULL DEFAULT FALSE,
  pinned_at    BIGINT  NOT NULL DEFAULT 0, -- 0 unless pinned
  moderated_by BIGINT  REFERENCES accounts (id) ON DELETE SET NULL,
  moderated_at BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (tag, status_id)
);
CREATE INDEX wall_posts_status ON wall_posts (status_id);
CREATE INDEX wall_posts_pinned ON wall_posts (tag, pinned_at) WHERE pinned_at > 0;
