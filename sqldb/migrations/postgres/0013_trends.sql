-- What staff decided about hashtags in trends: a row per reviewed tag.
CREATE TABLE trend_tags (
  tag         TEXT PRIMARY KEY,
  hidden      BOOLEAN NOT NULL DEFAULT FALSE,
  reviewed_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
  reviewed_at BIGINT NOT NULL
);
