-- Full-text search of statuses (GET /api/v2/search and the search page): the
-- words of each status's text and content warning as a tsvector, in a
-- stored generated column, so PostgreSQL keeps it in step with every insert,
-- edit and copy by itself, indexed with GIN. Adding the column computes it
-- for the statuses there are already (the table is rewritten once).
-- 'english' stems words ("carers" finds "carer") and leaves out stop words
-- ("the", "and"), as the porter tokenizer does the first on SQLite; see
-- docs/search.md for why not 'simple'.
ALTER TABLE statuses ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', text || ' ' || spoiler_text)) STORED;
CREATE INDEX statuses_search ON statuses USING gin (search);
-- Statistics on the new column let the planner tell rare words, best found
-- through the index, from common ones, best found scanning newest first.
ANALYZE statuses;
