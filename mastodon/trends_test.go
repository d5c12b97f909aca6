package mastodon_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"starling"
	"starling/sqldb/sqldbtest"
)

type trendTag struct {
	Name    string
	History []struct{ Day, Uses, Accounts string }
}

// TestTrendingTags: after a burst of posts, a hashtag taken up by many
// accounts trends, one repeated fifty times by a single account does not;
// ?region= counts only members of that region; staff can take a tag out.
func TestTrendingTags(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		ctx := context.Background()
		for i := range 6 {
			u := ts.MustUser(t, fmt.Sprintf("carer%d", i))
			region := "North West"
			if i >= 3 {
				region = "London"
			}
			fields := []starling.Field{{Name: "Region", Value: region}}
			if _, err := ts.Svc.UpdateProfile(ctx, u.Account, starling.ProfileUpdate{Fields: &fields}); err != nil {
				t.Fatal(err)
			}
			ts.MustPost(t, u.Token, url.Values{"status": {"Live from the hall #ADASSspring"}})
			if i < 4 {
				ts.MustPost(t, u.Token, url.Values{"status": {"Rota chat #nwforum"}})
			}
		}
		spammer := ts.MustUser(t, "spammer")
		for i := range 50 {
			ts.MustPost(t, spammer.Token, url.Values{"status": {fmt.Sprintf("Buy now %d #bargains", i)}})
		}
		ts.MustPost(t, spammer.Token, url.Values{"status": {"hidden from the public #secretplan"}, "visibility": {"private"}})

		trends := func(query string) []trendTag {
			var out []trendTag
			ts.MustCall(t, get("/api/v1/trends/tags"+query, ""), 200, &out)
			return out
		}
		got := trends("")
		if len(got) != 2 || got[0].Name != "adassspring" || got[1].Name != "nwforum" {
			t.Fatalf("trends = %+v; want adassspring (6 accounts) then nwforum (4), not bargains (1 account)", got)
		}
		if h := got[0].History; len(h) != 7 || h[0].Uses != "6" || h[0].Accounts != "6" {
			t.Fatalf("adassspring history = %+v", h)
		}
		if got := trends("?region=" + url.QueryEscape("London")); len(got) != 1 || got[0].Name != "adassspring" {
			t.Fatalf("London trends = %+v; want adassspring only (3 London accounts; nwforum has 1 there)", got)
		}

		admin, _, err := ts.Svc.Register(ctx, starling.SignUp{Username: "admin", Email: "admin@example.org", Password: "password123",
			Admin: true, SkipApproval: true, SkipAgreement: true, AllowReserved: true})
		if err != nil {
			t.Fatal(err)
		}
		member := ts.MustUser(t, "member")
		ts.MustError(t, post("/api/v1/admin/trends/tags/nwforum/reject", member.Token, nil), 403)
		ts.MustCall(t, post("/api/v1/admin/trends/tags/nwforum/reject", ts.MustTokenFor(t, admin.ID, "admin:write"), nil), 200, nil)
		if got := trends(""); len(got) != 1 || got[0].Name != "adassspring" {
			t.Fatalf("after staff hid nwforum: %+v", got)
		}
	})
}
