package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"starling"
	"starling/password"
	"starling/sqldb"
	"starling/text"
)

// TestRequireStaff2FAFlag: --require-staff-2fa (or its environment
// variable) turns the requirement on; it is off by default.
func TestRequireStaff2FAFlag(t *testing.T) {
	none := func(string) string { return "" }
	if c, err := parseServeFlags(nil, none, &syncBuffer{}); err != nil || c.RequireStaff2FA {
		t.Fatalf("default: %v, %v", c.RequireStaff2FA, err)
	}
	if c, err := parseServeFlags([]string{"--require-staff-2fa"}, none, &syncBuffer{}); err != nil || !c.RequireStaff2FA {
		t.Fatalf("flag: %v, %v", c.RequireStaff2FA, err)
	}
	env := func(k string) string {
		if k == "STARLING_REQUIRE_STAFF_2FA" {
			return "true"
		}
		return ""
	}
	if c, err := parseServeFlags(nil, env, &syncBuffer{}); err != nil || !c.RequireStaff2FA {
		t.Fatalf("environment: %v, %v", c.RequireStaff2FA, err)
	}
	if _, err := parseServeFlags(nil, func(k string) string {
		if k == "STARLING_REQUIRE_STAFF_2FA" {
			return "maybe"
		}
		return ""
	}, &syncBuffer{}); err == nil {
		t.Fatal("a bad environment value was accepted")
	}
}

// TestAdminResetTwoFactor: `starling admin reset-two-factor` turns off a
// member's second factor and signs them out, only when --by names an
// admin, and says what it did.
func TestAdminResetTwoFactor(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	token := MustCreateAccount(t, data, "alice")
	MustCreateAccount(t, data, "boss", "--admin")
	MustCreateAccount(t, data, "carol")
	db, err := sqldb.Open(ctx, "", data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in := starling.Instance{Domain: "starling.test", BaseURL: "https://starling.test", Title: "Starling", Registrations: starling.RegistrationsClosed}
	svc := starling.NewService(db, text.NewProcessor(&in), password.Hasher{}, in, nil)
	alice, err := svc.LookupAccount(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.User(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	setup, err := svc.BeginTwoFactor(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	code, err := starling.TOTPCode(setup.Secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ConfirmTwoFactor(ctx, u, code); err != nil {
		t.Fatal(err)
	}
	reset := func(args ...string) (string, error) {
		var out, errOut syncBuffer
		err := run(ctx, append([]string{"admin", "reset-two-factor", "--data", data}, args...), func(string) string { return "" }, &out, &errOut)
		return out.String(), err
	}
	for name, args := range map[string][]string{
		"NoReason":  {"--username", "alice", "--by", "boss"},
		"NotAdmin":  {"--username", "alice", "--by", "carol", "--reason", "Lost phone"},
		"NoSuchOne": {"--username", "nobody", "--by", "boss", "--reason", "Lost phone"},
	} {
		if _, err := reset(args...); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if on, _ := svc.HasTwoFactor(ctx, alice.ID); !on {
		t.Fatal("a refused reset turned two-factor off")
	}
	out, err := reset("--username", "alice", "--by", "boss", "--reason", "Lost phone; identity checked in person")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Two-factor sign-in of @alice is off") {
		t.Errorf("output %q", out)
	}
	if on, _ := svc.HasTwoFactor(ctx, alice.ID); on {
		t.Error("two-factor still on")
	}
	if _, err := svc.Authenticate(ctx, token); starling.ErrorCode(err) != starling.EUNAUTHORIZED {
		t.Errorf("alice's token after the reset: %v", err)
	}
}
