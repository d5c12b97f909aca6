-- How many posts quote a post (Mastodon 4.5's quotes_count), kept as a
-- counter like replies_count: accepted quotes only; a revoked or deleted
-- quote no longer counts.
ALTER TABLE statuses ADD COLUMN quotes_count INTEGER NOT NULL DEFAULT 0;
UPDATE statuses SET quotes_count = (SELECT count(*) FROM statuses q WHERE q.quote_of_id = statuses.id AND q.quote_state = 'accepted') WHERE id IN (SELECT quote_of_id FROM statuses WHERE quote_of_id IS NOT NULL);
