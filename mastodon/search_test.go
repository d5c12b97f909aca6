package mastodon_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	gomastodon "github.com/mattn/go-mastodon"

	"starling/apptest"
	"starling/diskmedia"
	"starling/imaging"
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

// TestSearchStatuses searches posts through a Mastodon client library:
// words, phrases, operators, and who finds what.
func TestSearchStatuses(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		ts := MustServer(t, engine)
		files, err := diskmedia.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		ts.Svc.SetMediaFiles(files, imaging.Processor{})
		ann, ben, cat, dee := ts.MustUser(t, "ann"), ts.MustUser(t, "ben"), ts.MustUser(t, "cat"), ts.MustUser(t, "dee")
		client := func(u user) *gomastodon.Client {
			return gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: u.Token})
		}
		toot := func(u user, t0 *gomastodon.Toot) string {
			t.Helper()
			s, err := client(u).PostStatus(ctx, t0)
			if err != nil {
				t.Fatalf("post %q: %v", t0.Status, err)
			}
			return string(s.ID)
		}
		if _, err := client(ben).AccountFollow(ctx, gomastodon.ID(ann.ID())); err != nil {
			t.Fatal(err)
		}
		ts.MustCall(t, request{method: "PATCH", path: "/api/v1/accounts/update_credentials", token: dee.Token, form: url.Values{"discoverable": {"false"}}}, http.StatusOK, nil)

		leeds := toot(ann, &gomastodon.Toot{Status: "Reablement carers in Leeds did brilliantly #AdassSpring"})
		discharge := toot(ann, &gomastodon.Toot{Status: "Hospital discharge: what works in your area?"})
		reversed := toot(cat, &gomastodon.Toot{Status: "Discharge from the hospital went smoothly"})
		att, err := client(cat).UploadMediaFromMedia(ctx, &gomastodon.Media{File: bytes.NewReader(jpegWithGPS(t)), Description: "The garden"})
		if err != nil {
			t.Fatal(err)
		}
		photo := toot(cat, &gomastodon.Toot{Status: "Our sensory garden for people with dementia", MediaIDs: []gomastodon.ID{att.ID}})
		words := toot(cat, &gomastodon.Toot{Status: "Dementia-friendly garden ideas wanted"})
		followers := toot(ann, &gomastodon.Toot{Status: "Rota for the dementia café, followers only", Visibility: "private"})
		hidden := toot(dee, &gomastodon.Toot{Status: "Dementia thoughts from a member who is not discoverable"})

		search := func(t *testing.T, u user, q string) []string {
			t.Helper()
			c := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: u.Token})
			res, err := c.Search(ctx, q, false)
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			out := []string{}
			for _, s := range res.Statuses {
				out = append(out, string(s.ID))
			}
			return out
		}
		today := time.Now().UTC()
		for _, tt := range []struct {
			name string
			as   user
			q    string
			want []string
		}{
			{"Words", ben, "carers leeds", []string{leeds}},
			{"Stemmed", ben, "carer", []string{leeds}},
			{"Hashtag", ben, "#adassspring", []string{leeds}},
			{"AllWords", ben, "carers manchester", []string{}},
			{"Phrase", ben, `"hospital discharge"`, []string{discharge}},
			{"BothOrders", ben, "hospital discharge", []string{reversed, discharge}},
			{"From", ben, "from:cat garden", []string{words, photo}},
			{"FromAt", ben, "from:@ann hospital", []string{discharge}},
			{"FromMe", cat, "from:me hospital", []string{reversed}},
			{"HasMedia", ben, "garden has:media", []string{photo}},
			{"Without", ben, `dementia -garden`, []string{followers}},
			{"WithoutPhrase", ben, `dementia -"sensory garden"`, []string{followers, words}},
			{"After", ben, "after:" + today.AddDate(0, 0, -1).Format(time.DateOnly) + " hospital", []string{reversed, discharge}},
			{"Before", ben, "before:" + today.Format(time.DateOnly) + " hospital", []string{}},
			{"BeforeTomorrow", ben, "before:" + today.AddDate(0, 0, 1).Format(time.DateOnly) + " hospital", []string{reversed, discharge}},
			{"FollowerFindsFollowersOnly", ben, "dementia rota", []string{followers}},
			{"OthersDoNot", cat, "dementia rota", []string{}},
			{"NotDiscoverable", ben, "dementia thoughts", []string{}},
			{"NotDiscoverableOwn", dee, "dementia thoughts", []string{hidden}},
			{"SignedOut", user{}, "hospital", []string{}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if diff := cmp.Diff(tt.want, search(t, tt.as, tt.q)); diff != "" {
					t.Errorf("search %q (-want +got):\n%s", tt.q, diff)
				}
			})
		}
		t.Run("Params", func(t *testing.T) {
			var r struct{ Accounts, Statuses, Hashtags []map[string]any }
			ts.MustCall(t, get("/api/v2/search?type=statuses&q=dementia&limit=1&offset=1", ben.Token), http.StatusOK, &r)
			if len(r.Statuses) != 1 || r.Statuses[0]["id"] != words || len(r.Accounts)+len(r.Hashtags) != 0 {
				t.Errorf("second result of one: %v", r)
			}
			ts.MustCall(t, get("/api/v2/search?type=statuses&q=dementia&account_id="+ann.ID(), ben.Token), http.StatusOK, &r)
			if len(r.Statuses) != 1 || r.Statuses[0]["id"] != followers {
				t.Errorf("account_id: %v", r)
			}
			ts.MustCall(t, get("/api/v2/search?type=statuses&q=dementia&max_id="+photo, ben.Token), http.StatusOK, &r)
			if len(r.Statuses) != 0 {
				t.Errorf("max_id: %v", r)
			}
			ts.MustCall(t, get("/api/v2/search?type=accounts&q=dementia", ben.Token), http.StatusOK, &r)
			if len(r.Statuses) != 0 {
				t.Errorf("type=accounts found statuses: %v", r)
			}
		})
		// Search syntax of either engine, SQL and broken text get results
		// or 422, never a server error.
		t.Run("HostileQueries", func(t *testing.T) {
			for _, q := range []string{`"unterminated`, `NEAR(a b)`, `a OR`, `OR`, `*`, `a*`, `'; DROP TABLE statuses; --`, `col:val`, `text:dementia`,
				`^x`, `\`, `\\"`, `"a" "b`, `""`, `''`, `(a | b) & !c`, `a <-> b`, `x:*`, `{a b}`, `-dementia`, "from:", "from:@", "has:", "before:",
				"before:2025-02-30", "has:poll", "is:reply", "🙂", "\x00", "a\x00b", "\xff\xfe", "caf\xe9", strings.Repeat("dementia ", 40),
				strings.Repeat("x", 10_000), strings.Repeat(`"a `, 3000), strings.Repeat("é", 5000)} {
				for _, typ := range []string{"", "statuses", "accounts", "hashtags"} {
					res := ts.MustDo(t, get("/api/v2/search?type="+typ+"&q="+url.QueryEscape(q), ben.Token))
					if res.Status != http.StatusOK && res.Status != http.StatusUnprocessableEntity {
						t.Errorf("type=%s q=%.30q: status %d: %s", typ, q, res.Status, res.Body)
					}
				}
			}
			for _, q := range []string{"col:val", `NEAR(a b)`, `"unterminated`} {
				if got := search(t, ben, q); len(got) != 0 {
					t.Errorf("%q found %v", q, got)
				}
			}
			if got := search(t, ben, "text:dementia"); len(got) != 0 {
				t.Errorf("text:dementia is two words, found %v", got)
			}
		})
	})
}
