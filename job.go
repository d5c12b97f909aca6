package starling

import (
	"context"
	"time"
)

// Job is work that must follow a committed change. It is stored in the same
// transaction as the change, so it is never lost, and leased to one worker at
// a time, so a server that dies mid-job hands it on when the lease runs out.
// A job may therefore run more than once: handlers must be idempotent.
type Job struct {
	ID       int64
	Kind     string
	Args     []byte // JSON, as the handler of Kind reads it
	Attempts int    // runs started, the current one included
}

// JobStore keeps the jobs. Its writes run inside Update.
type JobStore interface {
	// EnqueueJob stores j, due at runAt, and sets j.ID. With leaseUntil set the
	// job is leased to the caller from the start: it runs the job itself
	// once the transaction commits, and other workers take it only if the
	// caller has not finished it by then.
	EnqueueJob(ctx context.Context, j *Job, runAt, leaseUntil time.Time) error
	// ClaimJobs leases up to limit due jobs until leaseUntil and counts an
	// attempt on each. Jobs leased by others are passed over, not waited for.
	ClaimJobs(ctx context.Context, now, leaseUntil time.Time, limit int) ([]*Job, error)
	// FinishJob removes a job that has run.
	FinishJob(ctx context.Context, id int64) error
	// RetryJob frees a job that failed to run again at runAt, or gives up
	// on it (kept, not run) when runAt is zero.
	RetryJob(ctx context.Context, id int64, runAt time.Time, lastError string) error
	// JobStats counts the jobs as they stand at now.
	JobStats(ctx context.Context, now time.Time) (JobStats, error)
}

// JobStats is what the job table holds.
type JobStats struct {
	Due    int // waiting to run
	Leased int // running, or leased by a server that died (until the lease ends)
	Later  int // waiting for a retry
	GaveUp int // failed too often
}
