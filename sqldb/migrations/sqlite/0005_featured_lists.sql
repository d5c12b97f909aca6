-- Staff can suggest some of their lists to new members ("people in social
-- care worth following"); the getting-started guide shows them.
ALTER TABLE lists ADD COLUMN featured INTEGER NOT NULL DEFAULT 0;
CREATE INDEX lists_featured ON lists (account_id) WHERE featured;
