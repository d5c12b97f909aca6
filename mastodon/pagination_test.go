package mastodon_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/mastodon"
	"starling/sqldb/sqldbtest"
)

// MustStatuses posts n statuses as a, oldest first, and returns their IDs newest first.
func (ts *testServer) MustStatuses(tb testing.TB, a *starling.Account, n int) []string {
	tb.Helper()
	var out []string
	for i := range n {
		s, err := ts.Svc.PostStatus(context.Background(), a, starling.NewStatus{Text: fmt.Sprintf("status %d", i)})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, starling.FormatID(s.ID))
	}
	slices.Reverse(out)
	return out
}

// MustPage gets a page of statuses and its links.
func (ts *testServer) MustPage(tb testing.TB, path, token string) ([]string, map[string]string) {
	tb.Helper()
	var list []*mastodon.Status
	res := ts.MustCall(tb, get(path, token), http.StatusOK, &list)
	return ids(list), links(tb, res.Header)
}

func TestPagination(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice := ts.MustUser(t, "alice")
		all := ts.MustStatuses(t, alice.Account, 45)
		home := "/api/v1/timelines/home"

		t.Run("NextThenPrev", func(t *testing.T) {
			var seen []string
			var pages [][]string
			next := home + "?limit=10&access_token=" + alice.Token
			for next != "" {
				page, ls := ts.MustPage(t, next, alice.Token)
				if len(page) == 0 {
					if len(ls) != 0 {
						t.Errorf("empty page has links %v", ls)
					}
					break
				}
				if len(pages) > 10 {
					t.Fatal("paging does not end")
				}
				if strings.Contains(ls["next"], "access_token") || strings.Contains(ls["prev"], "access_token") {
					t.Errorf("links %v repeat the access token", ls)
				}
				if !strings.HasPrefix(ls["next"], ts.URL+home+"?") || !strings.Contains(ls["next"], "limit=10") {
					t.Errorf("next link %q is not this endpoint with limit=10", ls["next"])
				}
				pages = append(pages, page)
				seen = append(seen, page...)
				next = ls["next"]
			}
			if diff := cmp.Diff(all, seen); diff != "" {
				t.Fatalf("following next links (-want +got):\n%s", diff)
			}
			// Back from the oldest page, each prev link gives the page before it.
			_, ls := ts.MustPage(t, home+"?limit=10&max_id="+pages[len(pages)-2][9], alice.Token)
			for i := len(pages) - 2; i >= 0; i-- {
				var page []string
				page, ls = ts.MustPage(t, ls["prev"], alice.Token)
				if diff := cmp.Diff(pages[i], page); diff != "" {
					t.Fatalf("prev page %d (-want +got):\n%s", i, diff)
				}
			}
			page, _ := ts.MustPage(t, ls["prev"], alice.Token)
			if len(page) != 0 {
				t.Errorf("prev of the newest page = %v, want nothing", page)
			}
		})

		tests := []struct {
			name  string
			query string
			want  []string
		}{
			{"Default", "", all[:20]},
			{"Limit", "limit=5", all[:5]},
			{"LimitClamped", "limit=100", all[:40]},
			{"LimitZero", "limit=0", all[:20]},
			{"LimitNegative", "limit=-3", all[:20]},
			{"MaxID", "max_id=" + all[9] + "&limit=5", all[10:15]},
			{"SinceID", "since_id=" + all[30] + "&limit=10", all[:10]},
			{"SinceIDFewer", "since_id=" + all[3], all[:3]},
			{"MinID", "min_id=" + all[30] + "&limit=10", all[20:30]},
			{"MinIDNewest", "min_id=" + all[0], []string{}},
			{"MaxAndSince", "max_id=" + all[5] + "&since_id=" + all[10], all[6:10]},
			{"MaxAndMin", "max_id=" + all[5] + "&min_id=" + all[20] + "&limit=3", all[17:20]},
			{"MaxIDOldest", "max_id=" + all[44], []string{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, _ := ts.MustPage(t, home+"?"+tt.query, alice.Token)
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}

		t.Run("LinksKeepFilters", func(t *testing.T) {
			_, ls := ts.MustPage(t, "/api/v1/timelines/public?local=true&limit=2", "")
			u, err := url.Parse(ls["next"])
			if err != nil {
				t.Fatal(err)
			}
			want := url.Values{"local": {"true"}, "limit": {"2"}, "max_id": {all[1]}}
			if diff := cmp.Diff(want, u.Query()); diff != "" {
				t.Errorf("next link query (-want +got):\n%s", diff)
			}
			_, ls = ts.MustPage(t, "/api/v1/accounts/"+alice.ID()+"/statuses?limit=3&exclude_replies=true", "")
			if !strings.Contains(ls["next"], "max_id="+all[2]) || !strings.Contains(ls["next"], "exclude_replies=true") {
				t.Errorf("account statuses next link %q", ls["next"])
			}
			if !strings.Contains(ls["prev"], "min_id="+all[0]) {
				t.Errorf("account statuses prev link %q", ls["prev"])
			}
		})
		// Last: it posts to the public timeline the tests above read.
		t.Run("LinksAreEscaped", func(t *testing.T) {
			bob := ts.MustUser(t, "bob")
			for range 3 {
				ts.MustPostText(t, bob.Token, "#café au lait")
			}
			res := ts.MustCall(t, get("/api/v1/timelines/tag/caf%C3%A9?limit=2", ""), http.StatusOK, nil)
			ls := links(t, res.Header)
			if !strings.HasPrefix(ls["next"], ts.URL+"/api/v1/timelines/tag/caf%C3%A9?") {
				t.Errorf("next link %q does not escape the tag", ls["next"])
			}
			var list []*mastodon.Status
			ts.MustCall(t, get(ls["next"], ""), http.StatusOK, &list)
			if len(list) != 1 {
				t.Errorf("next page has %d statuses, want 1", len(list))
			}
		})
	})
}
