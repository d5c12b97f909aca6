package starling_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// TestSignInLockout: five wrong passwords lock a login, then even the right
// password is refused until the lock ends; each further failure doubles the
// lock up to the cap; a success clears the count; an unknown login is
// treated the same; failures older than the window are forgotten; on every
// engine.
func TestSignInLockout(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		in := apptest.Instance()
		svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, clock)
		apptest.MustAccount(t, svc, "ann")

		signIn := func(login, password string) error {
			_, _, err := svc.SignIn(ctx, login, password)
			return err
		}
		wantCode := func(err error, code string, what string) {
			t.Helper()
			if starling.ErrorCode(err) != code {
				t.Fatalf("%s: got %v, want %s", what, err, code)
			}
		}
		wantLocked := func(err error, wait time.Duration, what string) {
			t.Helper()
			wantCode(err, starling.ERATELIMITED, what)
			if got := starling.RetryAfter(err); got != wait {
				t.Fatalf("%s: retry after %v, want %v", what, got, wait)
			}
		}

		for _, login := range []string{"ann", "nobody-here"} {
			t.Run(login, func(t *testing.T) {
				for range starling.SignInFailuresAllowed {
					wantCode(signIn(login, "wrong"), starling.EUNAUTHORIZED, "wrong password")
					now = now.Add(time.Second)
				}
				// Locked for a minute from the fifth failure, whatever the password.
				wantLocked(signIn(login, "password123"), time.Minute-time.Second, "right password while locked")
				wantLocked(signIn(" "+login+" ", "wrong"), time.Minute-time.Second, "same login, other spelling")
				now = now.Add(time.Minute)
				// The lock is over; one more failure locks for two minutes, then four, eight, then the cap.
				for _, want := range []time.Duration{2 * time.Minute, 4 * time.Minute, 8 * time.Minute, starling.SignInLockCap, starling.SignInLockCap} {
					wantCode(signIn(login, "wrong"), starling.EUNAUTHORIZED, "wrong after the lock")
					wantLocked(signIn(login, "wrong"), want, "locked again")
					now = now.Add(want)
				}
				if login == "ann" {
					if err := signIn(login, "password123"); err != nil {
						t.Fatalf("right password after the lock: %v", err)
					}
					// The count is cleared: four failures do not lock.
					for range starling.SignInFailuresAllowed - 1 {
						wantCode(signIn(login, "wrong"), starling.EUNAUTHORIZED, "wrong after success")
					}
					if err := signIn(login, "password123"); err != nil {
						t.Fatalf("four failures locked the login: %v", err)
					}
				}
			})
		}

		t.Run("Window", func(t *testing.T) {
			for range starling.SignInFailuresAllowed - 1 {
				wantCode(signIn("ann@example.org", "wrong"), starling.EUNAUTHORIZED, "wrong")
			}
			now = now.Add(starling.SignInFailureWindow + time.Second)
			wantCode(signIn("ann@example.org", "wrong"), starling.EUNAUTHORIZED, "a fifth failure long after")
			if err := signIn("ann@example.org", "password123"); err != nil {
				t.Fatalf("failures older than the window counted: %v", err)
			}
		})

		t.Run("LoginsApart", func(t *testing.T) {
			for range starling.SignInFailuresAllowed {
				wantCode(signIn("ANN", "wrong"), starling.EUNAUTHORIZED, "wrong")
			}
			wantCode(signIn("ann", "password123"), starling.ERATELIMITED, "the same login in other case")
			if err := signIn("ann@example.org", "password123"); err != nil {
				t.Fatalf("the email was locked with the username: %v", err)
			}
		})
	})
}

// TestTwoFactorCodeLockout: wrong codes at the second step count per
// account across pending sign-ins, so typing the password again does not
// buy more guesses: after five, even the right code waits for the lock;
// a right code afterwards clears the count.
func TestTwoFactorCodeLockout(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		now := time.Date(2026, 3, 2, 10, 0, 10, 0, time.UTC)
		in := apptest.Instance()
		svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, func() time.Time { return now })
		ann := apptest.MustAccount(t, svc, "ann")
		MustTwoFactor(t, svc, ann, now)
		code := func() string {
			c, err := starling.TOTPCode(secretOf(t, svc, ann.ID), now)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		attempt := func(c string) error {
			t.Helper()
			token, err := svc.BeginPendingSignIn(ctx, ann.ID) // the password typed again each time
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = svc.CompleteSignIn(ctx, token, c)
			return err
		}
		for i := range starling.SignInFailuresAllowed {
			if err := attempt("zzzz-zzzz"); starling.ErrorCode(err) != starling.EINVALID {
				t.Fatalf("wrong code %d: %v", i+1, err)
			}
		}
		now = now.Add(30 * time.Second)
		if err := attempt(code()); starling.ErrorCode(err) != starling.ERATELIMITED || starling.RetryAfter(err) != 30*time.Second {
			t.Fatalf("the right code while locked: %v (retry after %v)", err, starling.RetryAfter(err))
		}
		now = now.Add(31 * time.Second)
		if err := attempt(code()); err != nil {
			t.Fatalf("the right code after the lock: %v", err)
		}
		for range starling.SignInFailuresAllowed - 1 {
			attempt("zzzz-zzzz")
		}
		now = now.Add(30 * time.Second)
		if err := attempt(code()); err != nil {
			t.Fatalf("four wrong codes after a success locked the account: %v", err)
		}
	})
}

// TestSignInLockoutConcurrent: many wrong passwords for one login at once
// (as from many addresses) get no more than SignInFailuresAllowed checked;
// the rest are refused as locked before their password is looked at.
func TestSignInLockoutConcurrent(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		in := apptest.Instance()
		svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, nil)
		apptest.MustAccount(t, svc, "ann")
		const attempts = 40
		codes := make(chan string, attempts)
		var wg sync.WaitGroup
		for i := range attempts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := svc.SignIn(ctx, "ann", fmt.Sprintf("guess-%d", i))
				codes <- starling.ErrorCode(err)
			}()
		}
		wg.Wait()
		close(codes)
		count := map[string]int{}
		for c := range codes {
			count[c]++
		}
		if count[starling.EUNAUTHORIZED] > starling.SignInFailuresAllowed || count[starling.EUNAUTHORIZED]+count[starling.ERATELIMITED] != attempts {
			t.Fatalf("outcomes %v: want at most %d passwords checked, the rest refused as locked", count, starling.SignInFailuresAllowed)
		}
	})
}
