-- Home timelines are written only for members who read theirs lately; a
-- member who comes back after a long time gets theirs rebuilt. Existing
-- members count as active now: their timelines are complete.
ALTER TABLE users ADD COLUMN feed_active_at INTEGER NOT NULL DEFAULT 0;
UPDATE users SET feed_active_at = CAST(unixepoch('subsec') * 1000 AS INTEGER);
