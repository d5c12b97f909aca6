package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	gomastodon "github.com/mattn/go-mastodon"

	"starling/sqldb/sqldbtest"
)

// TestFollowedTags follows a conference hashtag through an unmodified
// client library: public posts with it reach the home timeline and the
// user stream, the tag reads as followed, and unfollowing takes it back.
func TestFollowedTags(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		ts := MustServer(t, engine)
		ann, bob := ts.MustUser(t, "ann"), ts.MustUser(t, "bob")
		client := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: ann.Token})

		// A tag nobody has used yet can be followed (a conference's, before it starts),
		// though it cannot be looked up until used.
		if _, err := client.TagInfo(ctx, "adassspring"); err == nil {
			t.Error("a tag never used was found")
		}
		tag, err := client.TagFollow(ctx, "AdassSpring")
		if err != nil || tag.Name != "adassspring" || !tag.Following {
			t.Fatalf("follow = %+v, %v", tag, err)
		}
		ws := ts.mustWebSocket(t, ann.Token, "stream=user")
		time.Sleep(100 * time.Millisecond) // subscribed before the post

		tagged := ts.MustPost(t, bob.Token, url.Values{"status": {"Doors open at #AdassSpring"}})
		m := nextWS(t, ws, time.Second)
		if m.Event != "update" || !strings.Contains(m.Payload, `"id":"`+tagged.ID+`"`) {
			t.Fatalf("ann's user stream got %+v, want bob's tagged post", m)
		}
		home, err := client.GetTimelineHome(ctx, nil)
		if err != nil || len(home) != 1 || string(home[0].ID) != tagged.ID {
			t.Fatalf("home = %d statuses, %v; want bob's tagged post", len(home), err)
		}
		info, err := client.TagInfo(ctx, "ADASSSPRING")
		if err != nil || !info.Following {
			t.Fatalf("tag info = %+v, %v", info, err)
		}
		if _, err := client.TagFollow(ctx, "dementiacare"); err != nil {
			t.Fatal(err)
		}
		followed, err := client.TagsFollowed(ctx, nil)
		if err != nil || len(followed) != 2 || followed[0].Name != "dementiacare" || followed[1].Name != "adassspring" {
			t.Fatalf("followed = %+v, %v", followed, err)
		}
		var page []map[string]any
		res := ts.MustCall(t, get("/api/v1/followed_tags?limit=1", ann.Token), http.StatusOK, &page)
		if len(page) != 1 || res.Header.Get("Link") == "" {
			t.Errorf("a page of one: %d tags, Link %q", len(page), res.Header.Get("Link"))
		}

		if _, err := client.TagUnfollow(ctx, "adassspring"); err != nil {
			t.Fatal(err)
		}
		if home, _ := client.GetTimelineHome(ctx, nil); len(home) != 0 {
			t.Errorf("home still shows %d statuses after unfollowing", len(home))
		}
		if info, _ := client.TagInfo(ctx, "adassspring"); info == nil || info.Following {
			t.Errorf("tag info after unfollowing = %+v", info)
		}

		// Bad input and the wrong token.
		ts.MustError(t, post("/api/v1/tags/not%20a%20tag/follow", ann.Token, nil), http.StatusUnprocessableEntity)
		ts.MustError(t, post("/api/v1/tags/adassspring/follow", ts.MustTokenFor(t, ann.Account.ID, "read"), nil), http.StatusForbidden)
		ts.MustError(t, post("/api/v1/tags/adassspring/follow", "", nil), http.StatusUnauthorized)
		ts.MustError(t, get("/api/v1/followed_tags", ""), http.StatusUnauthorized)
		var signedOut map[string]any
		ts.MustCall(t, get("/api/v1/tags/adassspring", ""), http.StatusOK, &signedOut)
		if _, ok := signedOut["following"]; ok {
			t.Error(`a signed-out reader is told "following"`)
		}
	})
}
