-- Durable jobs: work that must follow a committed change (writing Redis
-- feeds, later link cards and deletions). A job is inserted in the same
-- transaction as the change; a worker leases it (locked_until) and deletes
-- it when done. A server that dies mid-job lets its lease run out and
-- another server takes the job over.
CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT    NOT NULL,
  args         TEXT    NOT NULL,
  run_at       INTEGER NOT NULL,           -- not before (ms)
  locked_until INTEGER NOT NULL DEFAULT 0, -- leased until (ms); 0 when free
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT    NOT NULL DEFAULT '',
  gave_up_at   INTEGER NOT NULL DEFAULT 0  -- failed too often; kept for an admin to look at
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE gave_up_at = 0;
