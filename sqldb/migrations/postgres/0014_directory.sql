-- The profile directory lists discoverable local accounts, most recently
-- active or newest first.
CREATE INDEX accounts_directory_active ON accounts (last_status_at, id) WHERE discoverable = TRUE AND domain = '';
CREATE INDEX accounts_directory_new ON accounts (created_at, id) WHERE discoverable = TRUE AND domain = '';
