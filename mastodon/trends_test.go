package mastodon_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

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

// TestTrendingStatusesAndLinks: a post favourited or reposted by three
// people trends, one favourited by one does not; a page linked by three
// people trends as a card.
func TestTrendingStatusesAndLinks(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		ctx := context.Background()
		author := ts.MustUser(t, "author")
		popular := ts.MustPost(t, author.Token, url.Values{"status": {"Our carers' awards shortlist"}})
		quiet := ts.MustPost(t, author.Token, url.Values{"status": {"A quiet post"}})
		var readers []user
		for i := range 3 {
			readers = append(readers, ts.MustUser(t, fmt.Sprintf("reader%d", i)))
		}
		ts.MustCall(t, post("/api/v1/statuses/"+popular.ID+"/favourite", readers[0].Token, nil), 200, nil)
		ts.MustCall(t, post("/api/v1/statuses/"+popular.ID+"/favourite", readers[1].Token, nil), 200, nil)
		ts.MustCall(t, post("/api/v1/statuses/"+popular.ID+"/reblog", readers[2].Token, nil), 200, nil)
		ts.MustCall(t, post("/api/v1/statuses/"+popular.ID+"/favourite", author.Token, nil), 200, nil) // the author's own: not counted
		ts.MustCall(t, post("/api/v1/statuses/"+quiet.ID+"/favourite", readers[0].Token, nil), 200, nil)
		var statuses []struct{ ID string }
		ts.MustCall(t, get("/api/v1/trends/statuses", ""), 200, &statuses)
		if len(statuses) != 1 || statuses[0].ID != popular.ID {
			t.Fatalf("trending statuses = %+v, want only %s", statuses, popular.ID)
		}

		card := &starling.Card{ID: 1, URL: "https://example.org/report", Title: "State of Adult Social Care", FetchedAt: time.Now()}
		for i, r := range readers {
			s := ts.MustPost(t, r.Token, url.Values{"status": {fmt.Sprintf("Read this %d https://example.org/report", i)}})
			id, _ := starling.ParseID(s.ID)
			if err := ts.Svc.Store().Update(ctx, func(tx starling.Tx) error {
				if i == 0 {
					if err := tx.SaveCard(ctx, card); err != nil {
						return err
					}
				}
				return tx.SetStatusCard(ctx, id, card.ID)
			}); err != nil {
				t.Fatal(err)
			}
		}
		var links []struct{ URL, Title string }
		ts.MustCall(t, get("/api/v1/trends/links", ""), 200, &links)
		if len(links) != 1 || links[0].URL != "https://example.org/report" {
			t.Fatalf("trending links = %+v", links)
		}
	})
}
