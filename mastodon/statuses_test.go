package mastodon_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling/mastodon"
	"starling/sqldb/sqldbtest"
)

// MustAccount reads an account through the API.
func (ts *testServer) MustAccount(tb testing.TB, id string) *mastodon.Account {
	tb.Helper()
	var a mastodon.Account
	ts.MustCall(tb, get("/api/v1/accounts/"+id, ""), http.StatusOK, &a)
	return &a
}

func TestIdempotencyKey(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice, bob := ts.MustUser(t, "alice"), ts.MustUser(t, "bob")
		postWithKey := func(token, key, text string) *mastodon.Status {
			var s mastodon.Status
			ts.MustCall(t, request{method: "POST", path: "/api/v1/statuses", token: token, form: url.Values{"status": {text}},
				header: map[string]string{"Idempotency-Key": key}}, http.StatusOK, &s)
			return &s
		}
		first := postWithKey(alice.Token, "key-1", "hello")
		again := postWithKey(alice.Token, "key-1", "hello")
		if again.ID != first.ID {
			t.Errorf("same key: ids %s and %s, want the same status", first.ID, again.ID)
		}
		if n := ts.MustAccount(t, alice.ID()).StatusesCount; n != 1 {
			t.Errorf("statuses_count = %d after a repeated post, want 1", n)
		}
		other := postWithKey(alice.Token, "key-2", "hello")
		if other.ID == first.ID {
			t.Error("a different key returned the first status")
		}
		// Keys belong to the account: another member's key-1 is a new post.
		if s := postWithKey(bob.Token, "key-1", "hello"); s.ID == first.ID {
			t.Error("bob's post with alice's key returned alice's status")
		}
		plain1, plain2 := ts.MustPostText(t, alice.Token, "hello"), ts.MustPostText(t, alice.Token, "hello")
		if plain1.ID == plain2.ID {
			t.Error("posts without a key were merged")
		}
		if n := ts.MustAccount(t, alice.ID()).StatusesCount; n != 4 {
			t.Errorf("statuses_count = %d, want 4", n)
		}

		t.Run("Concurrent", func(t *testing.T) {
			// A client retrying before the first answer came: all get the one status.
			got := make([]string, 8)
			var wg sync.WaitGroup
			for i := range got {
				wg.Go(func() {
					req, _ := http.NewRequest("POST", ts.URL+"/api/v1/statuses", strings.NewReader("status=retried"))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.Header.Set("Authorization", "Bearer "+bob.Token)
					req.Header.Set("Idempotency-Key", "retry")
					res, err := http.DefaultClient.Do(req)
					if err != nil {
						got[i] = err.Error()
						return
					}
					defer res.Body.Close()
					var s mastodon.Status
					if err := json.NewDecoder(res.Body).Decode(&s); err != nil || res.StatusCode != http.StatusOK {
						got[i] = fmt.Sprintf("status %d, %v", res.StatusCode, err)
						return
					}
					got[i] = s.ID
				})
			}
			wg.Wait()
			for _, id := range got[1:] {
				if id != got[0] {
					t.Fatalf("concurrent posts with one key answered %v", got)
				}
			}
			if n := ts.MustAccount(t, bob.ID()).StatusesCount; n != 2 {
				t.Errorf("bob's statuses_count = %d, want 2", n)
			}
		})
	})
}

func TestStatusLifecycle(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice, bob, carol := ts.MustUser(t, "alice"), ts.MustUser(t, "bob"), ts.MustUser(t, "carol")

		t.Run("ClientJSON", func(t *testing.T) {
			// What web and mobile clients send when posting text: empty media, null poll.
			var s mastodon.Status
			ts.MustCall(t, request{method: "POST", path: "/api/v1/statuses", token: alice.Token, body: `{"status":"hi","in_reply_to_id":null,
				"media_ids":[],"poll":null,"sensitive":false,"spoiler_text":"","visibility":"unlisted","language":"en","scheduled_at":null}`,
				contentType: "application/json"}, http.StatusOK, &s)
			if s.Visibility != "unlisted" || s.Sensitive || s.Language == nil || *s.Language != "en" {
				t.Errorf("posted %+v", s)
			}
			ts.MustError(t, request{method: "POST", path: "/api/v1/statuses", token: alice.Token,
				json: map[string]any{"status": "hi", "poll": map[string]any{"options": []string{"only one"}, "expires_in": 300}}}, http.StatusUnprocessableEntity)
			ts.MustError(t, post("/api/v1/statuses", alice.Token, url.Values{"status": {"hi"}, "poll[options][]": {"a", "b"}}), http.StatusUnprocessableEntity) // no expires_in
			ts.MustError(t, request{method: "POST", path: "/api/v1/statuses", token: alice.Token,
				json: map[string]any{"status": "hi", "scheduled_at": "2030-01-01T00:00:00Z"}}, http.StatusUnprocessableEntity)
		})
		t.Run("EditHistorySource", func(t *testing.T) {
			s := ts.MustPost(t, alice.Token, url.Values{"status": {"first #one"}, "language": {"en"}})
			var edited mastodon.Status
			ts.MustCall(t, request{method: "PUT", path: "/api/v1/statuses/" + s.ID, token: alice.Token,
				json: map[string]any{"status": "second #two", "spoiler_text": "cw"}}, http.StatusOK, &edited)
			if edited.ID != s.ID || edited.EditedAt == nil || edited.SpoilerText != "cw" || !edited.Sensitive || edited.Language == nil || *edited.Language != "en" {
				t.Errorf("edited status %+v", edited)
			}
			if len(edited.Tags) != 1 || edited.Tags[0].Name != "two" {
				t.Errorf("edited tags %+v, want two", edited.Tags)
			}
			var history []mastodon.StatusEdit
			ts.MustCall(t, get("/api/v1/statuses/"+s.ID+"/history", ""), http.StatusOK, &history)
			var contents []string
			for _, e := range history {
				contents = append(contents, e.SpoilerText+"|"+e.Content)
			}
			want := []string{`|<p>first <a href="` + ts.URL + `/tags/one" class="mention hashtag" rel="tag">#<span>one</span></a></p>`,
				`cw|<p>second <a href="` + ts.URL + `/tags/two" class="mention hashtag" rel="tag">#<span>two</span></a></p>`}
			if diff := cmp.Diff(want, contents); diff != "" {
				t.Errorf("history (-want +got):\n%s", diff)
			}
			var src map[string]string
			ts.MustCall(t, get("/api/v1/statuses/"+s.ID+"/source", alice.Token), http.StatusOK, &src)
			if diff := cmp.Diff(map[string]string{"id": s.ID, "text": "second #two", "spoiler_text": "cw"}, src); diff != "" {
				t.Errorf("source (-want +got):\n%s", diff)
			}
			var unedited []mastodon.StatusEdit
			plain := ts.MustPostText(t, alice.Token, "never edited")
			ts.MustCall(t, get("/api/v1/statuses/"+plain.ID+"/history", ""), http.StatusOK, &unedited)
			if len(unedited) != 1 {
				t.Errorf("history of an unedited status has %d versions, want 1", len(unedited))
			}
			ts.MustError(t, request{method: "PUT", path: "/api/v1/statuses/" + s.ID, token: alice.Token, form: url.Values{"status": {""}}}, http.StatusUnprocessableEntity)
		})

		t.Run("DeleteForRedraft", func(t *testing.T) {
			s := ts.MustPost(t, alice.Token, url.Values{"status": {"typo @bob #tag"}, "spoiler_text": {"cw"}})
			var deleted mastodon.Status
			ts.MustCall(t, request{method: "DELETE", path: "/api/v1/statuses/" + s.ID, token: alice.Token}, http.StatusOK, &deleted)
			if deleted.Text == nil || *deleted.Text != "typo @bob #tag" || deleted.SpoilerText != "cw" || deleted.ID != s.ID {
				t.Errorf("deleted status %+v, want the source text for redrafting", deleted)
			}
			ts.MustError(t, get("/api/v1/statuses/"+s.ID, alice.Token), http.StatusNotFound)
			ts.MustError(t, request{method: "DELETE", path: "/api/v1/statuses/" + s.ID, token: alice.Token}, http.StatusNotFound)
			var fresh mastodon.Status
			ts.MustCall(t, get("/api/v1/statuses/"+ts.MustPostText(t, alice.Token, "x").ID, alice.Token), http.StatusOK, &fresh)
			if fresh.Text != nil {
				t.Error("a status read normally carries text")
			}
		})

		t.Run("PinMaxFive", func(t *testing.T) {
			var pinned []string
			for range 5 {
				s := ts.MustPostText(t, alice.Token, "pin me")
				var got mastodon.Status
				ts.MustCall(t, post("/api/v1/statuses/"+s.ID+"/pin", alice.Token, nil), http.StatusOK, &got)
				if got.Pinned == nil || !*got.Pinned {
					t.Errorf("pin answered pinned=%v", got.Pinned)
				}
				pinned = append([]string{s.ID}, pinned...)
			}
			sixth := ts.MustPostText(t, alice.Token, "one too many")
			ts.MustError(t, post("/api/v1/statuses/"+sixth.ID+"/pin", alice.Token, nil), http.StatusUnprocessableEntity)
			var list []*mastodon.Status
			ts.MustCall(t, get("/api/v1/accounts/"+alice.ID()+"/statuses?pinned=true", ""), http.StatusOK, &list)
			if len(list) != 5 {
				t.Errorf("pinned statuses %v, want the 5 pinned", ids(list))
			}
			var got mastodon.Status
			ts.MustCall(t, post("/api/v1/statuses/"+pinned[0]+"/unpin", alice.Token, nil), http.StatusOK, &got)
			if got.Pinned == nil || *got.Pinned {
				t.Errorf("unpin answered pinned=%v", got.Pinned)
			}
			ts.MustCall(t, post("/api/v1/statuses/"+sixth.ID+"/pin", alice.Token, nil), http.StatusOK, nil)
			// Only one's own posts can be pinned, and never a direct one.
			ts.MustError(t, post("/api/v1/statuses/"+sixth.ID+"/pin", bob.Token, nil), http.StatusUnprocessableEntity)
			direct := ts.MustPost(t, alice.Token, url.Values{"status": {"@bob psst"}, "visibility": {"direct"}})
			if direct.Pinned != nil {
				t.Errorf("a direct status shows pinned=%v, though it cannot be pinned", *direct.Pinned)
			}
			var asBob mastodon.Status
			ts.MustCall(t, get("/api/v1/statuses/"+sixth.ID, bob.Token), http.StatusOK, &asBob)
			if asBob.Pinned != nil {
				t.Error("another member's status shows pinned")
			}
		})

		t.Run("ContextAndInteractions", func(t *testing.T) {
			root := ts.MustPostText(t, alice.Token, "root")
			r1 := ts.MustPost(t, bob.Token, url.Values{"status": {"reply 1"}, "in_reply_to_id": {root.ID}})
			r11 := ts.MustPost(t, alice.Token, url.Values{"status": {"reply 1.1"}, "in_reply_to_id": {r1.ID}})
			r2 := ts.MustPost(t, carol.Token, url.Values{"status": {"reply 2"}, "in_reply_to_id": {root.ID}})
			hidden := ts.MustPost(t, carol.Token, url.Values{"status": {"@carol only"}, "in_reply_to_id": {root.ID}, "visibility": {"direct"}})
			if r1.InReplyToID == nil || *r1.InReplyToID != root.ID || r1.InReplyToAccountID == nil || *r1.InReplyToAccountID != alice.ID() {
				t.Errorf("reply in_reply_to %v/%v", r1.InReplyToID, r1.InReplyToAccountID)
			}
			var ctx struct{ Ancestors, Descendants []*mastodon.Status }
			ts.MustCall(t, get("/api/v1/statuses/"+root.ID+"/context", ""), http.StatusOK, &ctx)
			if diff := cmp.Diff([]string{r1.ID, r11.ID, r2.ID}, ids(ctx.Descendants)); diff != "" || len(ctx.Ancestors) != 0 {
				t.Errorf("context of root: ancestors %v, descendants (-want +got):\n%s", ids(ctx.Ancestors), diff)
			}
			ts.MustCall(t, get("/api/v1/statuses/"+r11.ID+"/context", ""), http.StatusOK, &ctx)
			if diff := cmp.Diff([]string{root.ID, r1.ID}, ids(ctx.Ancestors)); diff != "" || len(ctx.Descendants) != 0 {
				t.Errorf("context of reply 1.1: descendants %v, ancestors (-want +got):\n%s", ids(ctx.Descendants), diff)
			}
			ts.MustCall(t, get("/api/v1/statuses/"+root.ID+"/context", carol.Token), http.StatusOK, &ctx)
			if diff := cmp.Diff([]string{r1.ID, r11.ID, r2.ID, hidden.ID}, ids(ctx.Descendants)); diff != "" {
				t.Errorf("context as carol (-want +got):\n%s", diff)
			}

			for _, u := range []user{bob, carol} {
				ts.MustCall(t, post("/api/v1/statuses/"+root.ID+"/favourite", u.Token, nil), http.StatusOK, nil)
			}
			var fav mastodon.Status
			ts.MustCall(t, post("/api/v1/statuses/"+root.ID+"/favourite", bob.Token, nil), http.StatusOK, &fav) // twice is once
			if fav.FavouritesCount != 2 || fav.Favourited == nil || !*fav.Favourited {
				t.Errorf("after favouriting: count %d favourited %v", fav.FavouritesCount, fav.Favourited)
			}
			var reblog mastodon.Status
			ts.MustCall(t, post("/api/v1/statuses/"+root.ID+"/reblog", carol.Token, nil), http.StatusOK, &reblog)
			if reblog.Reblog == nil || reblog.Reblog.ID != root.ID || reblog.ID == root.ID {
				t.Errorf("reblog %+v does not carry the original", reblog)
			}
			var by []*mastodon.Account
			ts.MustCall(t, get("/api/v1/statuses/"+root.ID+"/favourited_by", ""), http.StatusOK, &by)
			if diff := cmp.Diff([]string{carol.ID(), bob.ID()}, accountIDs(by)); diff != "" {
				t.Errorf("favourited_by (-want +got):\n%s", diff)
			}
			ts.MustCall(t, get("/api/v1/statuses/"+root.ID+"/reblogged_by", ""), http.StatusOK, &by)
			if diff := cmp.Diff([]string{carol.ID()}, accountIDs(by)); diff != "" {
				t.Errorf("reblogged_by (-want +got):\n%s", diff)
			}
			// Through the reblog's own ID, the lists are the original's.
			ts.MustCall(t, get("/api/v1/statuses/"+reblog.ID+"/favourited_by", ""), http.StatusOK, &by)
			if len(by) != 2 {
				t.Errorf("favourited_by via the reblog: %v", accountIDs(by))
			}
			ts.MustCall(t, post("/api/v1/statuses/"+root.ID+"/unfavourite", bob.Token, nil), http.StatusOK, &fav)
			if fav.FavouritesCount != 1 || *fav.Favourited {
				t.Errorf("after unfavouriting: count %d favourited %v", fav.FavouritesCount, *fav.Favourited)
			}
			var unreblogged mastodon.Status
			ts.MustCall(t, post("/api/v1/statuses/"+root.ID+"/unreblog", carol.Token, nil), http.StatusOK, &unreblogged)
			if unreblogged.ID != root.ID || *unreblogged.Reblogged || unreblogged.ReblogsCount != 0 {
				t.Errorf("unreblog answered %+v", unreblogged)
			}
			ts.MustError(t, get("/api/v1/statuses/"+reblog.ID, carol.Token), http.StatusNotFound)
		})

		t.Run("FavouritesAndBookmarksPages", func(t *testing.T) {
			dora := ts.MustUser(t, "dora")
			var posted []string
			for range 5 {
				posted = append(posted, ts.MustPostText(t, alice.Token, "likeable").ID)
			}
			// Liked and saved in an order unlike the posts', which the lists follow.
			order := []string{posted[2], posted[0], posted[4], posted[1], posted[3]}
			for _, id := range order {
				ts.MustCall(t, post("/api/v1/statuses/"+id+"/favourite", dora.Token, nil), http.StatusOK, nil)
				ts.MustCall(t, post("/api/v1/statuses/"+id+"/bookmark", dora.Token, nil), http.StatusOK, nil)
			}
			want := []string{order[4], order[3], order[2], order[1], order[0]}
			for _, path := range []string{"/api/v1/favourites", "/api/v1/bookmarks"} {
				var got []string
				next := path + "?limit=2"
				for next != "" && len(got) < 10 {
					page, ls := ts.MustPage(t, next, dora.Token)
					got = append(got, page...)
					next = ls["next"]
					if len(page) == 0 {
						break
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s following next links (-want +got):\n%s", path, diff)
				}
				page, ls := ts.MustPage(t, path+"?limit=2", dora.Token)
				prev, _ := ts.MustPage(t, ls["prev"], dora.Token)
				if len(prev) != 0 {
					t.Errorf("%s: prev of the first page = %v", path, prev)
				}
				second, _ := ts.MustPage(t, ls["next"], dora.Token)
				_, ls2 := ts.MustPage(t, ls["next"], dora.Token)
				back, _ := ts.MustPage(t, ls2["prev"], dora.Token)
				if diff := cmp.Diff(page, back); diff != "" || len(second) != 2 {
					t.Errorf("%s: prev of the second page (-want +got):\n%s", path, diff)
				}
			}
			var s mastodon.Status
			ts.MustCall(t, post("/api/v1/statuses/"+order[0]+"/unbookmark", dora.Token, nil), http.StatusOK, &s)
			if s.Bookmarked == nil || *s.Bookmarked {
				t.Errorf("unbookmark answered bookmarked=%v", s.Bookmarked)
			}
			page, _ := ts.MustPage(t, "/api/v1/bookmarks", dora.Token)
			if len(page) != 4 {
				t.Errorf("bookmarks after unbookmarking one: %v", page)
			}
		})
	})
}
