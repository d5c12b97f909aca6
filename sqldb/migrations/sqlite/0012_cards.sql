-- Link previews: one card per linked URL, shared by every post that links
-- there, fetched in the background after the post is stored.
CREATE TABLE preview_cards (
  id            INTEGER PRIMARY KEY,
  url           TEXT    NOT NULL UNIQUE,
  title         TEXT    NOT NULL,
  description   TEXT    NOT NULL DEFAULT '',
  author_name   TEXT    NOT NULL DEFAULT '',
  provider_name TEXT    NOT NULL DEFAULT '',
  image_key     TEXT    NOT NULL DEFAULT '',
  image_width   INTEGER NOT NULL DEFAULT 0,
  image_height  INTEGER NOT NULL DEFAULT 0,
  blurhash      TEXT    NOT NULL DEFAULT '',
  fetched_at    INTEGER NOT NULL
);

-- The card a status shows, so timelines look cards up only where there are some.
ALTER TABLE statuses ADD COLUMN card_id INTEGER;
