-- Uploaded files (images for now), each on its own until a post takes it
-- (status_id), with a small preview and a blurhash for timelines.
-- The file itself is in the media store (disk or S3) under file_key.
CREATE TABLE media_attachments (
  id           INTEGER PRIMARY KEY,
  account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status_id    INTEGER REFERENCES statuses (id) ON DELETE SET NULL,
  type         TEXT    NOT NULL,
  file_key     TEXT    NOT NULL,
  content_type TEXT    NOT NULL,
  file_size    INTEGER NOT NULL,
  width        INTEGER NOT NULL,
  height       INTEGER NOT NULL,
  preview_key  TEXT    NOT NULL DEFAULT '',
  preview_width  INTEGER NOT NULL DEFAULT 0,
  preview_height INTEGER NOT NULL DEFAULT 0,
  blurhash     TEXT    NOT NULL DEFAULT '',
  description  TEXT    NOT NULL DEFAULT '',
  focus_x      REAL NOT NULL DEFAULT 0,
  focus_y      REAL NOT NULL DEFAULT 0,
  position     INTEGER NOT NULL DEFAULT 0, -- order on the post, as the author gave it
  created_at   INTEGER NOT NULL
);
CREATE INDEX media_attachments_account ON media_attachments (account_id, id);
CREATE INDEX media_attachments_status ON media_attachments (status_id) WHERE status_id IS NOT NULL;

-- How many attachments a status has, so timelines look up attachments only
-- for the statuses that have some.
ALTER TABLE statuses ADD COLUMN media_count INTEGER NOT NULL DEFAULT 0;
