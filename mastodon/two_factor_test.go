package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"starling"
	"starling/sqldb/sqldbtest"
)

// TestPasswordGrantTwoFactor: once a member turns on two-factor sign-in,
// the password grant no longer gives a token (as in Mastodon); the app
// must send them through the web sign-in.
func TestPasswordGrantTwoFactor(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice := ts.MustUser(t, "alice")
		app := ts.MustApp(t, "urn:ietf:wg:oauth:2.0:oob", "read")
		grant := post("/oauth/token", "", url.Values{"grant_type": {"password"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret},
			"username": {"alice@example.org"}, "password": {"password123"}, "scope": {"read"}})
		ts.MustCall(t, grant, http.StatusOK, nil)

		ctx := context.Background()
		u, err := ts.Svc.Store().User(ctx, alice.Account.ID)
		if err != nil {
			t.Fatal(err)
		}
		setup, err := ts.Svc.BeginTwoFactor(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := starling.TOTPCode(setup.Secret, time.Now())
		if _, err := ts.Svc.ConfirmTwoFactor(ctx, u, code); err != nil {
			t.Fatal(err)
		}
		ts.MustOAuthError(t, grant, http.StatusBadRequest, "invalid_grant")
	})
}
