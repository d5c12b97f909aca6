package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"starling/sqldb/sqldbtest"
)

// TestDeletedAccount: once a member deletes their account, the API answers
// 404 for it and its posts, its token stops working, and signing up with
// its name (in any case) is a 422 saying the name is taken.
func TestDeletedAccount(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		ts := MustServer(t, engine)
		dora, bob := ts.MustUser(t, "dora"), ts.MustUser(t, "bob")
		gone := ts.MustPostText(t, dora.Token, "Soon gone")
		u, err := ts.Svc.Store().User(ctx, dora.Account.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := ts.Svc.DeleteOwnAccount(ctx, dora.Account, u, "password123", ""); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/api/v1/accounts/" + dora.ID(), "/api/v1/accounts/lookup?acct=Dora",
			"/api/v1/accounts/" + dora.ID() + "/statuses", "/api/v1/statuses/" + gone.ID} {
			ts.MustError(t, get(path, bob.Token), http.StatusNotFound)
		}
		ts.MustError(t, get("/api/v1/accounts/verify_credentials", dora.Token), http.StatusUnauthorized)
		signUp := url.Values{"username": {"DORA"}, "email": {"someone-else@example.net"}, "password": {"correct horse"}, "agreement": {"1"}, "locale": {"en"}}
		msg := ts.MustError(t, post("/api/v1/accounts", ts.MustTokenFor(t, 0, "read", "write"), signUp), http.StatusUnprocessableEntity)
		if !strings.Contains(msg, "taken") {
			t.Errorf("sign-up error %q does not say the name is taken", msg)
		}
	})
}
