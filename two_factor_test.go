package starling_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// TestTwoFactor walks a member through set-up, sign-in codes (wrong,
// right, replayed, a step early or late, too old), recovery codes (each
// works once), pending sign-ins and turning it off, on every engine.
func TestTwoFactor(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		now := time.Date(2026, 3, 2, 10, 0, 10, 0, time.UTC)
		clock := func() time.Time { return now }
		in := apptest.Instance()
		svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, clock)
		ann := apptest.MustAccount(t, svc, "ann")
		user := func() *starling.User {
			u, err := db.User(ctx, ann.ID)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		code := func(at time.Time) string {
			t.Helper()
			c, err := starling.TOTPCode(secretOf(t, svc, ann.ID), at)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		wantBad := func(err error, what string) {
			t.Helper()
			if starling.ErrorCode(err) != starling.EINVALID {
				t.Fatalf("%s: got %v, want EINVALID", what, err)
			}
		}

		if on, _ := svc.HasTwoFactor(ctx, ann.ID); on {
			t.Fatal("two-factor on before set-up")
		}
		setup, err := svc.BeginTwoFactor(ctx, user())
		if err != nil {
			t.Fatal(err)
		}
		if len(setup.Secret) < 32 || !strings.HasPrefix(setup.URI, "otpauth://totp/") || !strings.Contains(setup.URI, "secret="+setup.Secret) {
			t.Fatalf("setup = %+v", setup)
		}
		again, err := svc.BeginTwoFactor(ctx, user())
		if err != nil || again.Secret != setup.Secret {
			t.Fatalf("second BeginTwoFactor = %+v, %v; want the same secret", again, err)
		}
		// Not on until confirmed: sign-in needs no code yet.
		if on, _ := svc.HasTwoFactor(ctx, ann.ID); on {
			t.Fatal("two-factor on before confirmation")
		}
		_, err = svc.ConfirmTwoFactor(ctx, user(), "000000")
		if c := code(now); c == "000000" {
			t.Skip("unlucky code")
		}
		wantBad(err, "confirm with a wrong code")
		codes, err := svc.ConfirmTwoFactor(ctx, user(), code(now))
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != 10 {
			t.Fatalf("got %d recovery codes, want 10", len(codes))
		}
		if on, n, err := svc.TwoFactorStatus(ctx, user()); !on || n != 10 || err != nil {
			t.Fatalf("status = %v, %d, %v", on, n, err)
		}
		if _, err := svc.BeginTwoFactor(ctx, user()); starling.ErrorCode(err) != starling.ECONFLICT {
			t.Fatalf("BeginTwoFactor when on: %v", err)
		}

		// The code used to confirm cannot be used again.
		wantBad(svc.CheckTwoFactor(ctx, ann.ID, code(now)), "code reused after confirmation")
		now = now.Add(30 * time.Second)
		wantBad(svc.CheckTwoFactor(ctx, ann.ID, "12345"), "short code")
		wantBad(svc.CheckTwoFactor(ctx, ann.ID, ""), "empty code")
		if err := svc.CheckTwoFactor(ctx, ann.ID, code(now)); err != nil {
			t.Fatalf("right code: %v", err)
		}
		wantBad(svc.CheckTwoFactor(ctx, ann.ID, code(now)), "replayed code")
		// A code of the next step (the phone's clock is 30 s ahead) works…
		now = now.Add(60 * time.Second)
		if err := svc.CheckTwoFactor(ctx, ann.ID, code(now.Add(30*time.Second))); err != nil {
			t.Fatalf("code one step ahead: %v", err)
		}
		// …after which the current step is older than the last used one.
		wantBad(svc.CheckTwoFactor(ctx, ann.ID, code(now)), "code older than the last used")
		// A code of the step before (30 s behind) works, two steps behind does not.
		now = now.Add(5 * time.Minute)
		wantBad(svc.CheckTwoFactor(ctx, ann.ID, code(now.Add(-60*time.Second))), "code two steps behind")
		wantBad(svc.CheckTwoFactor(ctx, ann.ID, code(now.Add(60*time.Second))), "code two steps ahead")
		if err := svc.CheckTwoFactor(ctx, ann.ID, " "+code(now.Add(-30 * time.Second))[:3]+" "+code(now.Add(-30 * time.Second))[3:]); err != nil {
			t.Fatalf("code one step behind, typed with a space: %v", err)
		}

		// Recovery codes: each works once, typed in any case, with or without dashes.
		if err := svc.CheckTwoFactor(ctx, ann.ID, strings.ToUpper(codes[0])); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		wantBad(svc.CheckTwoFactor(ctx, ann.ID, codes[0]), "recovery code used twice")
		if err := svc.CheckTwoFactor(ctx, ann.ID, strings.ReplaceAll(codes[1], "-", "")); err != nil {
			t.Fatalf("recovery code without dashes: %v", err)
		}
		if _, n, _ := svc.TwoFactorStatus(ctx, user()); n != 8 {
			t.Fatalf("%d recovery codes left, want 8", n)
		}
		wantBad(svc.CheckTwoFactor(ctx, ann.ID, "aaaa-bbbb-cccc-dddd"), "made-up recovery code")

		// Pending sign-ins: a wrong code keeps it, the right one ends it,
		// five wrong codes or five minutes end it too.
		token, err := svc.BeginPendingSignIn(ctx, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute)
		if _, _, err := svc.CompleteSignIn(ctx, token, "000000"); starling.ErrorCode(err) != starling.EINVALID && code(now) != "000000" {
			t.Fatalf("wrong code: %v", err)
		}
		if err := svc.PendingSignInValid(ctx, token); err != nil {
			t.Fatalf("pending sign-in after a wrong code: %v", err)
		}
		a, _, err := svc.CompleteSignIn(ctx, token, code(now))
		if err != nil || a.ID != ann.ID {
			t.Fatalf("CompleteSignIn = %v, %v", a, err)
		}
		if _, _, err := svc.CompleteSignIn(ctx, token, codes[2]); starling.ErrorCode(err) != starling.EUNAUTHORIZED {
			t.Fatalf("pending sign-in used twice: %v", err)
		}
		token, _ = svc.BeginPendingSignIn(ctx, ann.ID)
		for range 5 {
			svc.CompleteSignIn(ctx, token, "zzzz")
		}
		if _, _, err := svc.CompleteSignIn(ctx, token, codes[2]); starling.ErrorCode(err) != starling.EUNAUTHORIZED {
			t.Fatalf("after five wrong codes: %v", err)
		}
		token, _ = svc.BeginPendingSignIn(ctx, ann.ID)
		now = now.Add(5*time.Minute + time.Second)
		if _, _, err := svc.CompleteSignIn(ctx, token, codes[2]); starling.ErrorCode(err) != starling.EUNAUTHORIZED {
			t.Fatalf("expired pending sign-in: %v", err)
		}

		// The password grant is refused once two-factor is on.
		app, secret, err := svc.CreateApplication(ctx, starling.NewApplication{Name: "Bot", RedirectURIs: []string{starling.OOBRedirectURI}, Scopes: "read"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.ExchangeToken(ctx, starling.TokenRequest{GrantType: "password", ClientID: app.ClientID, ClientSecret: secret, Username: "ann", Password: "password123"})
		if oe, ok := err.(*starling.OAuthError); !ok || oe.Kind != "invalid_grant" || !strings.Contains(oe.Description, "two-factor") {
			t.Fatalf("password grant with two-factor on: %v", err)
		}

		// Turning it off needs the password and a code (or recovery code).
		now = now.Add(time.Minute)
		if err := svc.DisableTwoFactor(ctx, user(), "wrong-password", code(now)); starling.ErrorCode(err) != starling.EINVALID {
			t.Fatalf("disable with a wrong password: %v", err)
		}
		wantBad(svc.DisableTwoFactor(ctx, user(), "password123", "zzzz"), "disable with a wrong code")
		if err := svc.DisableTwoFactor(ctx, user(), "password123", codes[3]); err != nil {
			t.Fatalf("disable: %v", err)
		}
		if on, n, _ := svc.TwoFactorStatus(ctx, user()); on || n != 0 {
			t.Fatalf("after disabling: %v, %d", on, n)
		}
		if _, err := svc.ExchangeToken(ctx, starling.TokenRequest{GrantType: "password", ClientID: app.ClientID, ClientSecret: secret, Username: "ann", Password: "password123"}); err != nil {
			t.Fatalf("password grant after disabling: %v", err)
		}
		// Set-up starts over with a new secret.
		fresh, err := svc.BeginTwoFactor(ctx, user())
		if err != nil || fresh.Secret == setup.Secret {
			t.Fatalf("BeginTwoFactor after disabling = %+v, %v", fresh, err)
		}
	})
}

// TestTwoFactorStaffRequirement: with the instance option on, staff
// without a second factor are told to set one up; members never are.
func TestTwoFactorStaffRequirement(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.MustOpen(t, "sqlite")
	in := apptest.Instance()
	in.RequireStaffTwoFactor = true
	svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, nil)
	mod := apptest.MustAccount(t, svc, "mod")
	u, _ := db.User(ctx, mod.ID)
	u.Role = starling.RoleModerator
	if err := db.Update(ctx, func(tx starling.Tx) error { return tx.UpdateUser(ctx, u) }); err != nil {
		t.Fatal(err)
	}
	if need, err := svc.StaffNeedsTwoFactor(ctx, u); !need || err != nil {
		t.Fatalf("moderator without two-factor: %v, %v", need, err)
	}
	setup, _ := svc.BeginTwoFactor(ctx, u)
	c, _ := starling.TOTPCode(setup.Secret, time.Now())
	if _, err := svc.ConfirmTwoFactor(ctx, u, c); err != nil {
		t.Fatal(err)
	}
	if need, _ := svc.StaffNeedsTwoFactor(ctx, u); need {
		t.Fatal("moderator with two-factor still asked to set it up")
	}
	member := apptest.MustAccount(t, svc, "member")
	mu, _ := db.User(ctx, member.ID)
	if need, _ := svc.StaffNeedsTwoFactor(ctx, mu); need {
		t.Fatal("a member was asked to set up two-factor")
	}
}

// TestTOTPCodeRFC6238 checks the SHA-1 test vectors of RFC 6238, appendix B
// (eight digits there; the last six are what six-digit codes show).
func TestTOTPCodeRFC6238(t *testing.T) {
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	for unix, want := range map[int64]string{59: "94287082", 1111111109: "07081804", 1111111111: "14050471",
		1234567890: "89005924", 2000000000: "69279037", 20000000000: "65353130"} {
		got, err := starling.TOTPCode(secret, time.Unix(unix, 0))
		if err != nil || got != want[2:] {
			t.Errorf("TOTPCode at %d = %q, %v; want %q", unix, got, err, want[2:])
		}
	}
}

func secretOf(t *testing.T, svc *starling.Service, accountID int64) string {
	t.Helper()
	tf, err := svc.Store().TwoFactor(context.Background(), accountID)
	if err != nil {
		t.Fatal(err)
	}
	return tf.Secret
}
