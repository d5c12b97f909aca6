package starling

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sign-in lockout: after SignInFailuresAllowed wrong passwords for one login
// within SignInFailureWindow, that login is refused for a while whatever
// password comes next, 1 minute at first and twice as long after each
// further failure, up to SignInLockCap. A right password clears the count.
// The count lives in the database, so every app server sees the same one and
// a restart does not reset it; the per-address limit (--auth-rate) still
// stands in front. See docs/rate-limits.md for the trade-offs.
const (
	SignInFailuresAllowed = 5
	SignInFailureWindow   = 15 * time.Minute
	SignInFirstLock       = time.Minute
	SignInLockCap         = 15 * time.Minute
)

// SignInFailures is the failed-attempt count of one login.
type SignInFailures struct {
	Key         string // SignInKey of the login
	Failures    int
	LastFailure time.Time
	LockedUntil time.Time // zero: not locked
	ForgetAt    time.Time // when the row may be dropped
}

// SignInFailureStore keeps failed sign-in counts by login key.
type SignInFailureStore interface {
	// SignInFailures returns the count for key; ENOTFOUND if there is none.
	SignInFailures(ctx context.Context, key string) (*SignInFailures, error)
	// RecordSignInFailure adds one failure to key's count, starting again
	// from one when the row's ForgetAt has passed, sets LastFailure to now
	// and ForgetAt to forgetAt (or later, if a lock runs longer), drops rows
	// whose ForgetAt is before now, and returns the new count.
	RecordSignInFailure(ctx context.Context, key string, now, forgetAt time.Time) (*SignInFailures, error)
	// LockSignIn refuses key until until, to be forgotten at forgetAt.
	LockSignIn(ctx context.Context, key string, until, forgetAt time.Time) error
	// ClearSignInFailures forgets key's count.
	ClearSignInFailures(ctx context.Context, key string) error
}

// SignInKey is the key a login is counted under: the SHA-256 of the login
// as typed (trimmed, lower-cased), whether or not an account has it, so the
// lockout behaves the same for logins that exist and logins that do not.
// An email and a username of the same account are counted apart on
// purpose: counting them together would tell an attacker that the two
// belong together.
func SignInKey(login string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(login))))
	return hex.EncodeToString(sum[:])
}

// RetryError is an error that says when to try again (a Retry-After header).
type RetryError struct {
	Err        *Error
	RetryAfter time.Duration
}

func (e *RetryError) Error() string { return e.Err.Error() }
func (e *RetryError) Unwrap() error { return e.Err }

// RetryAfter returns how long err asks the caller to wait, 0 if it does not.
func RetryAfter(err error) time.Duration {
	var re *RetryError
	if errors.As(err, &re) {
		return re.RetryAfter
	}
	return 0
}

// signInLockDuration is how long the nth failure (n > SignInFailuresAllowed-1)
// locks a login: 1, 2, 4, 8 minutes, then SignInLockCap.
func signInLockDuration(failures int) time.Duration {
	d := SignInFirstLock
	for i := SignInFailuresAllowed; i < failures && d < SignInLockCap; i++ {
		d *= 2
	}
	return min(d, SignInLockCap)
}

// checkSignInLock returns a RetryError while key is locked, and the row
// (nil if none) so a success knows whether there is a count to clear.
func (svc *Service) checkSignInLock(ctx context.Context, key string) (*SignInFailures, error) {
	f, err := svc.store.SignInFailures(ctx, key)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if wait := f.LockedUntil.Sub(svc.now()); wait > 0 {
		return f, lockedOut(wait)
	}
	return f, nil
}

func lockedOut(wait time.Duration) error {
	minutes := int((wait + time.Minute - 1) / time.Minute)
	unit := "minutes"
	if minutes == 1 {
		unit = "minute"
	}
	return &RetryError{
		Err:        Errorf(ERATELIMITED, "Too many failed sign-in attempts for this login. Please wait %d %s and try again.", minutes, unit),
		RetryAfter: wait,
	}
}

// reserveSignInAttempt counts an attempt for key before its password or
// code is checked, and refuses it while key is locked (without counting
// it: a member retrying during a lock does not lengthen it). Counting
// before the slow check, not after it, is what makes the limit hold
// against many attempts at once: each takes a number first, so at most
// SignInFailuresAllowed are ever checked before the lock, however many
// arrive together, on however many servers. The attempt that reaches the
// limit sets the lock and is still checked. A right answer then clears the
// count (clearSignInFailures); a wrong one is already counted.
func (svc *Service) reserveSignInAttempt(ctx context.Context, key string) error {
	if _, err := svc.checkSignInLock(ctx, key); err != nil {
		return err
	}
	now := svc.now()
	return svc.store.Update(ctx, func(tx Tx) error {
		f, err := tx.RecordSignInFailure(ctx, key, now, now.Add(SignInFailureWindow))
		if err != nil {
			return fmt.Errorf("record sign-in attempt: %w", err)
		}
		if wait := f.LockedUntil.Sub(now); wait > 0 {
			return lockedOut(wait) // locked since the check above: rolled back, so not counted
		}
		if f.Failures < SignInFailuresAllowed {
			return nil
		}
		until := now.Add(signInLockDuration(f.Failures))
		return tx.LockSignIn(ctx, key, until, until.Add(SignInFailureWindow))
	})
}

// clearSignInFailures forgets key's count after a right answer.
func (svc *Service) clearSignInFailures(ctx context.Context, key string) error {
	return svc.store.Update(ctx, func(tx Tx) error { return tx.ClearSignInFailures(ctx, key) })
}
