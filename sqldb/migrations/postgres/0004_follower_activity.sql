-- Fan-out reads the followers who read their timelines lately straight from
-- an index, instead of looking up every follower's user row: a post by an
-- account with 10,000 followers of whom 2,000 are active now visits 2,000
-- index entries, not 10,000 rows. Marking a member active once an hour
-- copies the time onto their follows.
ALTER TABLE follows ADD COLUMN follower_active_at BIGINT NOT NULL DEFAULT 0;
UPDATE follows SET follower_active_at = coalesce((SELECT u.feed_active_at FROM users u WHERE u.account_id = follows.account_id), 0);
CREATE INDEX follows_target_active ON follows (target_account_id, follower_active_at);
