-- Home timelines are written only for members who read theirs lately; a
-- member who comes back after a long time gets theirs rebuilt. Existing
-- members count as active now: their timelines are complete.
ALTER TABLE users ADD COLUMN feed_active_at BIGINT NOT NULL DEFAULT 0;
UPDATE users SET feed_active_at = (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
