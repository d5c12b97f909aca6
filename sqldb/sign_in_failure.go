package sqldb

import (
	"context"
	"fmt"
	"time"

	"starling"
)

// SignInFailures implements starling.SignInFailureStore.
func (q *queries) SignInFailures(ctx context.Context, key string) (*starling.SignInFailures, error) {
	var f starling.SignInFailures
	var last, locked, forget int64
	err := q.q.QueryRowContext(ctx, `SELECT login_key, failures, last_failure_at, locked_until, forget_at FROM sign_in_failures WHERE login_key = $1`, key).
		Scan(&f.Key, &f.Failures, &last, &locked, &forget)
	if err != nil {
		return nil, notFound(err)
	}
	f.LastFailure, f.LockedUntil, f.ForgetAt = fromMS(last), fromMS(locked), fromMS(forget)
	return &f, nil
}

// RecordSignInFailure implements starling.SignInFailureStore. The count is
// raised in one statement, so failures on several servers at once are all
// counted.
func (q *queries) RecordSignInFailure(ctx context.Context, key string, now, forgetAt time.Time) (*starling.SignInFailures, error) {
	if _, err := q.q.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE forget_at < $1 AND login_key <> $2`, ms(now), key); err != nil {
		return nil, fmt.Errorf("sweep sign-in failures: %w", err)
	}
	var f starling.SignInFailures
	var last, locked, forget int64
	err := q.q.QueryRowContext(ctx, `INSERT INTO sign_in_failures (login_key, failures, last_failure_at, locked_until, forget_at) VALUES ($1, 1, $2, 0, $3)
		ON CONFLICT (login_key) DO UPDATE SET
		  failures = CASE WHEN sign_in_failures.forget_at < excluded.last_failure_at THEN 1 ELSE sign_in_failures.failures + 1 END,
		  locked_until = CASE WHEN sign_in_failures.forget_at < excluded.last_failure_at THEN 0 ELSE sign_in_failures.locked_until END,
		  forget_at = CASE WHEN sign_in_failures.forget_at < excluded.forget_at THEN excluded.forget_at ELSE sign_in_failures.forget_at END,
		  last_failure_at = excluded.last_failure_at
		RETURNING login_key, failures, last_failure_at, locked_until, forget_at`, key, ms(now), ms(forgetAt)).
		Scan(&f.Key, &f.Failures, &last, &locked, &forget)
	if err != nil {
		return nil, fmt.Errorf("record sign-in failure: %w", err)
	}
	f.LastFailure, f.LockedUntil, f.ForgetAt = fromMS(last), fromMS(locked), fromMS(forget)
	return &f, nil
}

// LockSignIn implements starling.SignInFailureStore.
func (q *queries) LockSignIn(ctx context.Context, key string, until, forgetAt time.Time) error {
	if _, err := q.q.ExecContext(ctx, `UPDATE sign_in_failures SET locked_until = $2, forget_at = $3 WHERE login_key = $1`, key, ms(until), ms(forgetAt)); err != nil {
		return fmt.Errorf("lock sign-in: %w", err)
	}
	return nil
}

// ClearSignInFailures implements starling.SignInFailureStore.
func (q *queries) ClearSignInFailures(ctx context.Context, key string) error {
	if _, err := q.q.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE login_key = $1`, key); err != nil {
		return fmt.Errorf("clear sign-in failures: %w", err)
	}
	return nil
}
