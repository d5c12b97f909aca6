package mastodon_test

import (
	"context"
	"net/url"
	"testing"

	gomastodon "github.com/mattn/go-mastodon"

	"starling"
	"starling/sqldb/sqldbtest"
)

// TestDirectory lists discoverable members: the
// most recently active first, or the newest; those who opted out never.
func TestDirectory(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		ctx := context.Background()
		ann, bob, cat := ts.MustUser(t, "ann"), ts.MustUser(t, "bob"), ts.MustUser(t, "cat")
		no := false
		if _, err := ts.Svc.UpdateProfile(ctx, cat.Account, starling.ProfileUpdate{Discoverable: &no}); err != nil {
			t.Fatal(err)
		}
		ts.MustPost(t, bob.Token, url.Values{"status": {"first"}})
		ts.MustPost(t, cat.Token, url.Values{"status": {"hidden from the directory"}})
		ts.MustPost(t, ann.Token, url.Values{"status": {"latest"}})
		names := func(order string) []string {
			var list []gomastodon.Account // decoded as a client library would
			ts.MustCall(t, get("/api/v1/directory?local=true&order="+order, bob.Token), 200, &list)
			var out []string
			for _, a := range list {
				out = append(out, a.Username)
			}
			return out
		}
		if got := names("active"); len(got) != 2 || got[0] != "ann" || got[1] != "bob" {
			t.Fatalf("active directory = %v, want [ann bob]", got)
		}
		if got := names("new"); len(got) != 2 || got[0] != "bob" || got[1] != "ann" {
			t.Fatalf("newest directory = %v, want [bob ann]: cat opted out", got)
		}
	})
}
