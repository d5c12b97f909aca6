package main

import "testing"

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
