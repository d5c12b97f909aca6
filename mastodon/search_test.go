package mastodon_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling/apptest"
	"starling/mastodon"
	"starling/sqldb/sqldbtest"
)

func TestSearch(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice, alicia, bob := ts.MustUser(t, "alice"), ts.MustUser(t, "alicia"), ts.MustUser(t, "bob")
		s := ts.MustPostText(t, alice.Token, "tagged #gardening and #garden")
		private := ts.MustPost(t, alice.Token, url.Values{"status": {"secret"}, "visibility": {"private"}})
		ts.MustCall(t, post("/api/v1/accounts/"+alicia.ID()+"/follow", bob.Token, nil), http.StatusOK, nil)

		type result struct {
			Accounts []*mastodon.Account
			Statuses []*mastodon.Status
			Hashtags []mastodon.Tag
		}
		search := func(t *testing.T, query, token string) result {
			t.Helper()
			var r result
			ts.MustCall(t, get("/api/v2/search?"+query, token), http.StatusOK, &r)
			if r.Accounts == nil || r.Statuses == nil || r.Hashtags == nil {
				t.Errorf("search %s: a result list is null: %+v", query, r)
			}
			return r
		}
		t.Run("AccountsByPrefix", func(t *testing.T) {
			r := search(t, "q=ali&type=accounts", bob.Token)
			got := accountIDs(r.Accounts)
			if len(got) != 2 || len(r.Hashtags) != 0 {
				t.Errorf("accounts %v hashtags %v, want alice and alicia only", got, r.Hashtags)
			}
			r = search(t, "q=ali&type=accounts&following=true", bob.Token)
			if diff := cmp.Diff([]string{alicia.ID()}, accountIDs(r.Accounts)); diff != "" {
				t.Errorf("following only (-want +got):\n%s", diff)
			}
			r = search(t, "q=%40alice", "")
			if len(r.Accounts) == 0 || r.Accounts[0].ID != alice.ID() {
				t.Errorf("@alice found %v", accountIDs(r.Accounts))
			}
			var list []*mastodon.Account
			ts.MustCall(t, get("/api/v1/accounts/search?q=alic&limit=1", bob.Token), http.StatusOK, &list)
			if len(list) != 1 {
				t.Errorf("accounts/search with limit 1: %v", accountIDs(list))
			}
		})
		t.Run("AccountSearchLimits", func(t *testing.T) {
			for i := range 45 {
				apptest.MustAccount(t, ts.Svc, fmt.Sprintf("gardener%02d", i))
			}
			for _, tt := range []struct {
				query string
				want  int
			}{{"", 40}, {"&limit=5", 5}, {"&limit=40", 40}, {"&limit=80", 40}, {"&limit=80&offset=40", 5}} {
				var list []*mastodon.Account
				ts.MustCall(t, get("/api/v1/accounts/search?q=gardener"+tt.query, bob.Token), http.StatusOK, &list)
				if len(list) != tt.want {
					t.Errorf("accounts/search%s found %d, want %d", tt.query, len(list), tt.want)
				}
			}
		})
		t.Run("Hashtags", func(t *testing.T) {
			r := search(t, "q=%23garden&type=hashtags", "")
			var names []string
			for _, h := range r.Hashtags {
				names = append(names, h.Name)
				if h.URL != ts.URL+"/tags/"+h.Name || h.History == nil {
					t.Errorf("hashtag %+v", h)
				}
			}
			if len(names) != 2 {
				t.Errorf("hashtags %v, want garden and gardening", names)
			}
			var tag mastodon.Tag
			ts.MustCall(t, get("/api/v1/tags/Gardening", ""), http.StatusOK, &tag)
			if tag.Name != "gardening" {
				t.Errorf("tag %+v", tag)
			}
			var tl []*mastodon.Status
			ts.MustCall(t, get("/api/v1/timelines/tag/garden", ""), http.StatusOK, &tl)
			if diff := cmp.Diff([]string{s.ID}, ids(tl)); diff != "" {
				t.Errorf("tag timeline (-want +got):\n%s", diff)
			}
		})
		t.Run("StatusByURL", func(t *testing.T) {
			for _, u := range []string{*s.URL, s.URI} {
				r := search(t, "q="+url.QueryEscape(u)+"&resolve=true", bob.Token)
				if diff := cmp.Diff([]string{s.ID}, ids(r.Statuses)); diff != "" {
					t.Errorf("search for %s (-want +got):\n%s", u, diff)
				}
			}
			privURL := ts.URL + "/@alice/" + private.ID
			if r := search(t, "q="+url.QueryEscape(privURL), bob.Token); len(r.Statuses) != 0 {
				t.Errorf("search by URL found a private status for a non-follower")
			}
			if r := search(t, "q="+url.QueryEscape(privURL), alice.Token); len(r.Statuses) != 1 {
				t.Errorf("search by URL did not find the author's own private status")
			}
			r := search(t, "q="+url.QueryEscape(ts.URL+"/@alice"), "")
			if diff := cmp.Diff([]string{alice.ID()}, accountIDs(r.Accounts)); diff != "" {
				t.Errorf("profile URL (-want +got):\n%s", diff)
			}
		})
		t.Run("Empty", func(t *testing.T) {
			r := search(t, "q=", "")
			if len(r.Accounts)+len(r.Statuses)+len(r.Hashtags) != 0 {
				t.Errorf("empty query found %+v", r)
			}
		})
	})
}
