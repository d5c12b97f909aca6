package sqldb

import (
	"context"
	"fmt"
	"time"

	"starling"
)

// EnqueueJob implements starling.JobStore.
func (q *queries) EnqueueJob(ctx context.Context, j *starling.Job, runAt, leaseUntil time.Time) error {
	attempts := 0
	if !leaseUntil.IsZero() {
		attempts = 1 // the caller runs it
	}
	err := q.q.QueryRowContext(ctx, `INSERT INTO jobs (kind, args, run_at, locked_until, attempts) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		j.Kind, string(j.Args), ms(runAt), ms(leaseUntil), attempts).Scan(&j.ID)
	if err != nil {
		return fmt.Errorf("enqueue %s job: %w", j.Kind, err)
	}
	j.Attempts = attempts
	return nil
}

// ClaimJobs implements starling.JobStore: on PostgreSQL the inner SELECT
// locks the rows it picks and skips rows other servers are claiming, so
// concurrent workers never wait on each other nor take the same job.
func (q *queries) ClaimJobs(ctx context.Context, now, leaseUntil time.Time, limit int) ([]*starling.Job, error) {
	rows, err := q.q.QueryContext(ctx, `UPDATE jobs SET locked_until = $1, attempts = attempts + 1
		WHERE id IN (SELECT id FROM jobs WHERE run_at <= $2 AND locked_until <= $2 AND gave_up_at = 0
			ORDER BY run_at, id LIMIT $3`+q.d.skipLocked()+`)
		RETURNING id, kind, args, attempts`, ms(leaseUntil), ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	defer rows.Close()
	var out []*starling.Job
	for rows.Next() {
		j := &starling.Job{}
		var a string
		if err := rows.Scan(&j.ID, &j.Kind, &a, &j.Attempts); err != nil {
			return nil, err
		}
		j.Args = []byte(a)
		out = append(out, j)
	}
	return out, rows.Err()
}

// FinishJob implements starling.JobStore.
func (q *queries) FinishJob(ctx context.Context, id int64) error {
	if _, err := q.q.ExecContext(ctx, `DELETE FROM jobs WHERE id = $1`, id); err != nil {
		return fmt.Errorf("finish job: %w", err)
	}
	return nil
}

// RetryJob implements starling.JobStore.
func (q *queries) RetryJob(ctx context.Context, id int64, runAt time.Time, lastError string) error {
	var err error
	if runAt.IsZero() {
		_, err = q.q.ExecContext(ctx, `UPDATE jobs SET locked_until = 0, last_error = $2, gave_up_at = $3 WHERE id = $1`,
			id, lastError, ms(time.Now()))
	} else {
		_, err = q.q.ExecContext(ctx, `UPDATE jobs SET locked_until = 0, last_error = $2, run_at = $3 WHERE id = $1`,
			id, lastError, ms(runAt))
	}
	if err != nil {
		return fmt.Errorf("retry job: %w", err)
	}
	return nil
}

// JobStats implements starling.JobStore.
func (q *queries) JobStats(ctx context.Context, now time.Time) (starling.JobStats, error) {
	var s starling.JobStats
	err := q.q.QueryRowContext(ctx, `SELECT
		count(CASE WHEN gave_up_at = 0 AND locked_until <= $1 AND run_at <= $1 THEN 1 END),
		count(CASE WHEN gave_up_at = 0 AND locked_until > $1 THEN 1 END),
		count(CASE WHEN gave_up_at = 0 AND locked_until <= $1 AND run_at > $1 THEN 1 END),
		count(CASE WHEN gave_up_at > 0 THEN 1 END)
		FROM jobs`, ms(now)).Scan(&s.Due, &s.Leased, &s.Later, &s.GaveUp)
	if err != nil {
		return s, fmt.Errorf("job stats: %w", err)
	}
	return s, nil
}
