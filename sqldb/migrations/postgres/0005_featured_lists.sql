-- Staff can suggest some of their lists to new members ("people in social
-- care worth following"); the getting-started guide shows them.
ALTER TABLE lists ADD COLUMN featured BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX lists_featured ON lists (account_id) WHERE featured;
