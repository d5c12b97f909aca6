-- Only reblogs need the (owner, origin) uniqueness that shows a post once;
-- indexing every feed row for it cost a random B-tree write per follower.
DROP INDEX home_feed_origin;
CREATE UNIQUE INDEX home_feed_reblogs ON home_feed (account_id, origin_id) WHERE origin_id <> status_id;
DROP INDEX list_feed_origin;
CREATE UNIQUE INDEX list_feed_reblogs ON list_feed (list_id, origin_id) WHERE origin_id <> status_id;
