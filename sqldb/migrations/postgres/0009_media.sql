-- Uploaded files (images for now), each on its own until a post takes it.
-- The file itself is in the media store (disk or S3) under file_key.
CREATE TABLE media_attachments (
  id           BIGINT PRIMARY KEY,
  account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status_id    BIGINT REFERENCES statuses (id) ON DELETE SET NULL,
  type         TEXT    NOT NULL,
  file_key     TEXT    NOT NULL,
  content_type TEXT    NOT NULL,
  file_size    BIGINT NOT NULL,
  width        INTEGER NOT NULL,
  height       INTEGER NOT NULL,
  description  TEXT    NOT NULL DEFAULT '',
  focus_x      DOUBLE PRECISION NOT NULL DEFAULT 0,
  focus_y      DOUBLE PRECISION NOT NULL DEFAULT 0,
  created_at   BIGINT NOT NULL
);
CREATE INDEX media_attachments_account ON media_attachments (account_id, id);
CREATE INDEX media_attachments_status ON media_attachments (status_id) WHERE status_id IS NOT NULL;
