-- Quote posts, as Mastodon 4.5 has them: a post may quote another; the
-- quoted author says who may quote them (quote_policy) and may revoke a
-- quote later (quote_state becomes 'revoked').
ALTER TABLE statuses ADD COLUMN quote_of_id BIGINT;
ALTER TABLE statuses ADD COLUMN quote_state TEXT NOT NULL DEFAULT '';
ALTER TABLE statuses ADD COLUMN quote_policy TEXT NOT NULL DEFAULT 'public';
CREATE INDEX statuses_quotes ON statuses (quote_of_id, id) WHERE quote_of_id IS NOT NULL;
