-- Full-text search finds posts by the descriptions (alt text) of their
-- images and the options of their polls too, as Mastodon's does. A
-- generated column cannot read other tables, so those words are kept, as
-- a tsvector, in statuses.search_extra, which triggers on media_attachments,
-- poll_options and polls set; statuses.search, still generated, adds it to
-- the words of the text and content warning, so PostgreSQL keeps the whole
-- in step on every write to any of the four tables, and one GIN index
-- serves the search as before (sqldb/dialect.go is unchanged).
--
-- Each description and option is its own piece, 100 positions after the
-- previous one (and after the text), so that a phrase never runs from the
-- text into an image's description, nor from one description or option
-- into the next: tsvector || shifts the right side past the left side's
-- last position, and a marker lexeme ('|', which to_tsvector never makes,
-- as it splits words there) at position 100 of each piece moves it on; the
-- marker is then taken out. Descriptions go by attachment ID, options by
-- position; empty descriptions add nothing.
ALTER TABLE statuses ADD COLUMN search_extra tsvector NOT NULL DEFAULT '';
CREATE AGGREGATE status_search_concat (tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');
CREATE FUNCTION status_search_extra(sid BIGINT) RETURNS tsvector LANGUAGE sql STABLE STRICT AS $$ SELECT ts_delete(status_search_concat('''|'':100'::tsvector || to_tsvector('english', x.words) ORDER BY x.kind, x.pos), '|') FROM (SELECT 1 AS kind, m.id AS pos, m.description AS words FROM media_attachments m WHERE m.status_id = sid AND m.description <> '' UNION ALL SELECT 2, o.position, o.title FROM polls p JOIN poll_options o ON o.poll_id = p.id WHERE p.status_id = sid) x $$;
-- Sets search_extra of some statuses, writing a row only when it changes
-- (an attachment without a description changes nothing). The rows are
-- locked first, in ID order, and read again by a second statement, which
-- sees what other transactions committed while this one waited: two
-- writing to one status's attachments at once (or dbcopy's batches of
-- attachments, written side by side) then neither lose the other's words
-- nor deadlock.
CREATE FUNCTION status_search_refresh(ids BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$ BEGIN IF coalesce(cardinality(ids), 0) = 0 THEN RETURN; END IF; PERFORM 1 FROM statuses WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE; UPDATE statuses s SET search_extra = x.v FROM (SELECT u.i, status_search_extra(u.i) AS v FROM unnest(ids) AS u (i)) x WHERE s.id = x.i AND s.search_extra <> x.v; END $$;

-- The statuses there are already: search_extra for those with a described
-- attachment or a poll, then search made again with it (which rewrites the
-- table once, as migration 0011 did), its GIN index and statistics.
ALTER TABLE statuses DROP COLUMN search;
UPDATE statuses SET search_extra = status_search_extra(id) WHERE id IN (SELECT status_id FROM media_attachments WHERE status_id IS NOT NULL AND description <> '' UNION SELECT status_id FROM polls);
ALTER TABLE statuses ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', text || ' ' || spoiler_text) || search_extra) STORED;
CREATE INDEX statuses_search ON statuses USING gin (search);
ANALYZE statuses;

-- Triggers: each sets search_extra of the statuses that rows leave or join.
-- Inserts and deletes are seen once a statement, with all its rows (one
-- UPDATE of statuses for a batch that dbcopy copies in, or for the uploads
-- of a deleted account); updates row by row, and only those that change
-- what is indexed (a vote, a new focus or a move within the post does not).
-- Attachments: attached to a post (on posting, or in an edit), taken off
-- (an edit, or ON DELETE SET NULL when the post is deleted: the post is
-- gone by then, so nothing is written), described anew, deleted. Poll
-- options: added with their poll (after it), retitled or moved (nothing
-- does either today), deleted. Polls: deleted or moved to another status
-- (their options no longer find them). Each statement is one line, because
-- migrations are split into statements at line ends.
CREATE FUNCTION media_attachments_search() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_LEVEL = 'ROW' THEN PERFORM status_search_refresh(ARRAY(SELECT DISTINCT u.i FROM unnest(ARRAY[old.status_id, new.status_id]) AS u (i) WHERE u.i IS NOT NULL)); ELSIF TG_OP = 'INSERT' THEN PERFORM status_search_refresh(ARRAY(SELECT DISTINCT status_id FROM new_rows WHERE status_id IS NOT NULL AND description <> '')); ELSE PERFORM status_search_refresh(ARRAY(SELECT DISTINCT status_id FROM old_rows WHERE status_id IS NOT NULL AND description <> '')); END IF; RETURN NULL; END $$;
CREATE FUNCTION poll_options_search() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_LEVEL = 'ROW' THEN PERFORM status_search_refresh(ARRAY(SELECT DISTINCT status_id FROM polls WHERE id IN (old.poll_id, new.poll_id))); ELSIF TG_OP = 'INSERT' THEN PERFORM status_search_refresh(ARRAY(SELECT DISTINCT status_id FROM polls WHERE id IN (SELECT poll_id FROM new_rows))); ELSE PERFORM status_search_refresh(ARRAY(SELECT DISTINCT status_id FROM polls WHERE id IN (SELECT poll_id FROM old_rows))); END IF; RETURN NULL; END $$;
CREATE FUNCTION polls_search() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_LEVEL = 'ROW' THEN PERFORM status_search_refresh(ARRAY(SELECT DISTINCT u.i FROM unnest(ARRAY[old.status_id, new.status_id]) AS u (i) WHERE u.i IS NOT NULL)); ELSE PERFORM status_search_refresh(ARRAY(SELECT DISTINCT status_id FROM old_rows)); END IF; RETURN NULL; END $$;
CREATE TRIGGER media_attachments_search_insert AFTER INSERT ON media_attachments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION media_attachments_search();
CREATE TRIGGER media_attachments_search_update AFTER UPDATE OF status_id, description ON media_attachments FOR EACH ROW WHEN ((old.description <> '' OR new.description <> '') AND (old.status_id IS DISTINCT FROM new.status_id OR old.description <> new.description)) EXECUTE FUNCTION media_attachments_search();
CREATE TRIGGER media_attachments_search_delete AFTER DELETE ON media_attachments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION media_attachments_search();
CREATE TRIGGER poll_options_search_insert AFTER INSERT ON poll_options REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION poll_options_search();
CREATE TRIGGER poll_options_search_update AFTER UPDATE OF poll_id, title ON poll_options FOR EACH ROW WHEN (old.title IS DISTINCT FROM new.title OR old.poll_id IS DISTINCT FROM new.poll_id) EXECUTE FUNCTION poll_options_search();
CREATE TRIGGER poll_options_search_delete AFTER DELETE ON poll_options REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION poll_options_search();
CREATE TRIGGER polls_search_update AFTER UPDATE OF status_id ON polls FOR EACH ROW WHEN (old.status_id IS DISTINCT FROM new.status_id) EXECUTE FUNCTION polls_search();
CREATE TRIGGER polls_search_delete AFTER DELETE ON polls REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION polls_search();
