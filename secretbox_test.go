package starling_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// TestTwoFactorSecretsEncrypted: with a server key, TOTP secrets are
// stored encrypted (AES-GCM, bound to their account) and still check
// codes; a secret stored in plain text before the key is set keeps
// working and is encrypted on its next use; with the key missing or
// wrong no app code is accepted, but recovery codes still are; on every
// engine.
func TestTwoFactorSecretsEncrypted(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		now := time.Date(2026, 3, 2, 10, 0, 10, 0, time.UTC)
		clock := func() time.Time { return now }
		in := apptest.Instance()
		newService := func(key []byte) *starling.Service {
			svc := starling.NewService(db, text.NewProcessor(&in), apptest.FastPasswords, in, clock)
			if key != nil {
				if err := svc.SetSecretKey(key); err != nil {
					t.Fatal(err)
				}
			}
			return svc
		}
		key := bytes.Repeat([]byte{7}, starling.SecretKeySize)
		if err := newService(nil).SetSecretKey(key[:16]); err == nil {
			t.Fatal("a 16-byte key was accepted")
		}
		plain, keyed := newService(nil), newService(key)
		stored := func(id int64) string {
			t.Helper()
			tf, err := db.TwoFactor(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return tf.Secret
		}
		setUp := func(svc *starling.Service, a *starling.Account) (secret string, recovery []string) {
			t.Helper()
			u, err := db.User(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			setup, err := svc.BeginTwoFactor(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			code, _ := starling.TOTPCode(setup.Secret, now)
			recovery, err = svc.ConfirmTwoFactor(ctx, u, code)
			if err != nil {
				t.Fatal(err)
			}
			return setup.Secret, recovery
		}
		step := func() { now = now.Add(30 * time.Second) } // each code is taken once: move to the next step

		// Set up with the key: stored sealed, never as the secret.
		ann := apptest.MustAccount(t, keyed, "ann")
		annSecret, annRecovery := setUp(keyed, ann)
		if s := stored(ann.ID); s == annSecret || strings.Contains(s, annSecret) || !strings.HasPrefix(s, "gcm1:") {
			t.Fatalf("stored secret %q: not encrypted", s)
		}
		step()
		code, _ := starling.TOTPCode(annSecret, now)
		if err := keyed.CheckTwoFactor(ctx, ann.ID, code); err != nil {
			t.Fatalf("a code of the encrypted secret: %v", err)
		}

		// Set up without a key (as before this change): kept plain, works
		// with the key, and is encrypted on that use.
		bob := apptest.MustAccount(t, plain, "bob")
		bobSecret, _ := setUp(plain, bob)
		if stored(bob.ID) != bobSecret {
			t.Fatal("without a key the secret is not kept as it is")
		}
		step()
		code, _ = starling.TOTPCode(bobSecret, now)
		if err := keyed.CheckTwoFactor(ctx, bob.ID, code); err != nil {
			t.Fatalf("a plain secret with the key set: %v", err)
		}
		if s := stored(bob.ID); !strings.HasPrefix(s, "gcm1:") || strings.Contains(s, bobSecret) {
			t.Fatalf("the plain secret was not encrypted on use: %q", s)
		}
		step()
		code, _ = starling.TOTPCode(bobSecret, now)
		if err := keyed.CheckTwoFactor(ctx, bob.ID, code); err != nil {
			t.Fatalf("after re-encryption: %v", err)
		}

		// A sealed secret moved onto another account does not open.
		if err := db.Update(ctx, func(tx starling.Tx) error { return tx.SetTwoFactorSecret(ctx, bob.ID, stored(ann.ID)) }); err != nil {
			t.Fatal(err)
		}
		step()
		code, _ = starling.TOTPCode(annSecret, now)
		if err := keyed.CheckTwoFactor(ctx, bob.ID, code); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("ann's sealed secret on bob's row: %v, want refused", err)
		}

		// Without the key, or with another one, app codes fail; recovery codes work.
		other := newService(bytes.Repeat([]byte{9}, starling.SecretKeySize))
		for name, svc := range map[string]*starling.Service{"no key": plain, "another key": other} {
			step()
			code, _ := starling.TOTPCode(annSecret, now)
			if err := svc.CheckTwoFactor(ctx, ann.ID, code); starling.ErrorCode(err) != starling.EINVALID {
				t.Errorf("%s: an app code was accepted (%v)", name, err)
			}
		}
		if err := plain.CheckTwoFactor(ctx, ann.ID, annRecovery[0]); err != nil {
			t.Errorf("a recovery code without the key: %v", err)
		}
	})
}
