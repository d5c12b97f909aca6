package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	gomastodon "github.com/mattn/go-mastodon"

	"starling/mastodon"
	"starling/sqldb/sqldbtest"
)

// TestPublicLists: a member makes a list public; another reads who is on it
// through an unmodified client library and follows them all in one call,
// getting a list of their own; private lists stay invisible to others.
func TestPublicLists(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		ts := MustServer(t, engine)
		ann, bob, cat, dev := ts.MustUser(t, "ann"), ts.MustUser(t, "bob"), ts.MustUser(t, "cat"), ts.MustUser(t, "dev")
		for _, u := range []user{bob, cat} {
			ts.MustCall(t, post("/api/v1/accounts/"+u.ID()+"/follow", ann.Token, nil), http.StatusOK, nil)
		}
		var l mastodon.List
		ts.MustCall(t, post("/api/v1/lists", ann.Token, url.Values{"title": {"Worth following in social care"}}), http.StatusOK, &l)
		if l.Public {
			t.Fatal("a new list is public unless asked")
		}
		base := "/api/v1/lists/" + l.ID
		ts.MustCall(t, post(base+"/accounts", ann.Token, url.Values{"account_ids[]": {bob.ID(), cat.ID()}}), http.StatusOK, nil)

		devClient := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: dev.Token})
		if _, err := devClient.GetListAccounts(ctx, gomastodon.ID(l.ID)); err == nil {
			t.Fatal("dev read the members of ann's private list")
		}
		ts.MustError(t, post(base+"/follow", dev.Token, nil), http.StatusNotFound)

		ts.MustCall(t, request{method: "PUT", path: base, token: ann.Token, form: url.Values{"public": {"true"}}}, http.StatusOK, &l)
		if !l.Public {
			t.Fatalf("after making it public: %+v", l)
		}
		shown, err := devClient.GetList(ctx, gomastodon.ID(l.ID))
		if err != nil || shown.Title != "Worth following in social care" {
			t.Fatalf("dev reads the public list: %+v, %v", shown, err)
		}
		members, err := devClient.GetListAccounts(ctx, gomastodon.ID(l.ID))
		if err != nil || len(members) != 2 {
			t.Fatalf("members = %d, %v; want bob and cat", len(members), err)
		}
		// Others may read a public list, never change it.
		ts.MustError(t, request{method: "PUT", path: base, token: dev.Token, form: url.Values{"title": {"mine now"}}}, http.StatusNotFound)
		ts.MustError(t, post(base+"/accounts", dev.Token, url.Values{"account_ids[]": {dev.ID()}}), http.StatusNotFound)
		if _, err := devClient.GetTimelineList(ctx, gomastodon.ID(l.ID), nil); err == nil {
			t.Error("dev read ann's list timeline, which holds what ann may see")
		}

		var copied mastodon.List
		ts.MustCall(t, post(base+"/follow", dev.Token, nil), http.StatusOK, &copied)
		if copied.ID == l.ID || copied.Title != l.Title || copied.Public {
			t.Fatalf("dev's copy = %+v", copied)
		}
		for _, u := range []user{bob, cat} {
			rels, err := devClient.GetAccountRelationships(ctx, []string{u.ID()})
			if err != nil || len(rels) != 1 || !rels[0].Following {
				t.Errorf("dev does not follow %s: %+v, %v", u.Account.Username, rels, err)
			}
		}
		own, err := devClient.GetListAccounts(ctx, gomastodon.ID(copied.ID))
		if err != nil || len(own) != 2 {
			t.Fatalf("dev's copy has %d members, %v", len(own), err)
		}
		// A read-only token cannot follow people.
		readOnly := ts.MustTokenFor(t, dev.Account.ID, "read")
		ts.MustError(t, post(base+"/follow", readOnly, nil), http.StatusForbidden)
		ts.MustError(t, post(base+"/follow", ann.Token, nil), http.StatusUnprocessableEntity)
		ts.MustError(t, post("/api/v1/lists/99999999/follow", dev.Token, nil), http.StatusNotFound)
	})
}
