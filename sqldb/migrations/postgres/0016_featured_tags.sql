-- Hashtags a member features on their profile ("#adassspring",
-- "#dementiacare"), each linking to their posts with it.
CREATE TABLE featured_tags (
  id         BIGINT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  tag        TEXT   NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX featured_tags_account ON featured_tags (account_id, tag);
