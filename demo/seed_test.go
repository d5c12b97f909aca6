package demo

import (
	"context"
	"testing"

	"starling"
	"starling/password"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

func TestRealMember(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		in := starling.Instance{Domain: "care.test", BaseURL: "https://care.test"}
		svc := starling.NewService(db, text.NewProcessor(&in), newHasher().cheap, in, nil)
		register := func(username, email string) {
			t.Helper()
			if _, _, err := svc.Register(ctx, starling.SignUp{Username: username, Email: email, Password: rand16(),
				SkipApproval: true, SkipAgreement: true}); err != nil {
				t.Fatal(err)
			}
		}
		check := func(want string) {
			t.Helper()
			if got, err := realMember(ctx, db); err != nil || got != want {
				t.Fatalf("realMember = %q, %v; want %q", got, err, want)
			}
		}
		check("")
		register("kwame_mensah", emailOf("kwame_mensah"))
		register("fiona", "fiona@DEMO.starling.invalid")
		check("")
		register("jo", "jo@example.org")
		check("jo")
	})
}

func rand16() string { return newPassword()[:16] }

// The cheap hash must still be a hash the real hasher accepts.
func TestHasher(t *testing.T) {
	h := newHasher()
	for _, fast := range []bool{false, true} {
		h.fast = fast
		hash, err := h.Hash("a password")
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := (password.Hasher{}).Verify(hash, "a password"); !ok || err != nil {
			t.Errorf("fast=%v: Verify = %v, %v", fast, ok, err)
		}
		if ok, _ := h.Verify(hash, "another password"); ok {
			t.Errorf("fast=%v: a wrong password verifies", fast)
		}
	}
}
