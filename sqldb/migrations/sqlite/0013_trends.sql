-- What staff decided about hashtags in trends: a row per reviewed tag.
CREATE TABLE trend_tags (
  tag         TEXT PRIMARY KEY,
  hidden      INTEGER NOT NULL DEFAULT 0,
  reviewed_by INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  reviewed_at INTEGER NOT NULL
);
