package starling_test

import (
	"context"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// MustTwoFactor sets up and confirms a's second factor.
func MustTwoFactor(t *testing.T, svc *starling.Service, a *starling.Account, now time.Time) {
	t.Helper()
	ctx := context.Background()
	u, err := svc.Store().User(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.BeginTwoFactor(ctx, u); err != nil {
		t.Fatal(err)
	}
	code, err := starling.TOTPCode(secretOf(t, svc, a.ID), now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ConfirmTwoFactor(ctx, u, code); err != nil {
		t.Fatal(err)
	}
}

// TestResetTwoFactor: only an admin, with a reason, can turn off a member's
// second factor; it signs the member out everywhere and is audited with
// IDs and the reason; on every engine.
func TestResetTwoFactor(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		now := time.Date(2026, 3, 2, 10, 0, 10, 0, time.UTC)
		in := apptest.Instance()
		svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, func() time.Time { return now })
		ann, adm, mod, bob := apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "adm"), apptest.MustAccount(t, svc, "mod"), apptest.MustAccount(t, svc, "bob")
		mustRole(t, db, adm, starling.RoleAdmin)
		mustRole(t, db, mod, starling.RoleModerator)
		MustTwoFactor(t, svc, ann, now)
		token := apptest.MustToken(t, svc, ann)
		bobToken := apptest.MustToken(t, svc, bob)
		user := func(a *starling.Account) *starling.User {
			u, err := db.User(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		want := func(err error, code, what string) {
			t.Helper()
			if starling.ErrorCode(err) != code {
				t.Fatalf("%s: %v, want %s", what, err, code)
			}
		}

		want(svc.ResetTwoFactor(ctx, user(mod), ann.ID, "Lost phone"), starling.EFORBIDDEN, "a moderator")
		want(svc.ResetTwoFactor(ctx, user(bob), ann.ID, "Lost phone"), starling.EFORBIDDEN, "a member")
		want(svc.ResetTwoFactor(ctx, nil, ann.ID, "Lost phone"), starling.EFORBIDDEN, "no one")
		stale := user(mod)
		stale.Role = starling.RoleAdmin // a caller's copy saying admin is not trusted
		want(svc.ResetTwoFactor(ctx, stale, ann.ID, "Lost phone"), starling.EFORBIDDEN, "a moderator claiming to be admin")
		want(svc.ResetTwoFactor(ctx, user(adm), ann.ID, "  "), starling.EINVALID, "no reason")
		want(svc.ResetTwoFactor(ctx, user(adm), 424242, "Lost phone"), starling.ENOTFOUND, "no such member")
		want(svc.ResetTwoFactor(ctx, user(adm), bob.ID, "Lost phone"), starling.EINVALID, "a member without two-factor")
		MustTwoFactor(t, svc, adm, now)
		want(svc.ResetTwoFactor(ctx, user(adm), adm.ID, "My own"), starling.EFORBIDDEN, "an admin resetting their own")
		if on, _ := svc.HasTwoFactor(ctx, ann.ID); !on {
			t.Fatal("refused resets changed something")
		}

		if err := svc.ResetTwoFactor(ctx, user(adm), ann.ID, "Lost phone and codes; identity checked in person"); err != nil {
			t.Fatal(err)
		}
		if on, _ := svc.HasTwoFactor(ctx, ann.ID); on {
			t.Error("two-factor still on after the reset")
		}
		if _, err := svc.Authenticate(ctx, token); starling.ErrorCode(err) != starling.EUNAUTHORIZED {
			t.Errorf("ann's token after the reset: %v, want unauthorized", err)
		}
		if _, err := svc.Authenticate(ctx, bobToken); err != nil {
			t.Errorf("bob's token after ann's reset: %v", err)
		}
		if _, _, err := svc.SignIn(ctx, "ann", "password123"); err != nil {
			t.Errorf("signing in after the reset: %v", err)
		}
		log, err := svc.AuditLog(ctx, adm, 10)
		if err != nil || len(log) == 0 {
			t.Fatalf("audit log: %v, %v", log, err)
		}
		e := log[0]
		if e.Action != "two_factor.reset" || e.ActorID != adm.ID || e.TargetType != "account" || e.TargetID != ann.ID || e.Reason != "Lost phone and codes; identity checked in person" {
			t.Errorf("audit entry %+v", e)
		}
		want(svc.ResetTwoFactor(ctx, user(adm), ann.ID, "Again"), starling.EINVALID, "resetting twice")
	})
}
