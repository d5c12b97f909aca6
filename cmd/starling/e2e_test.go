package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	mastodon "github.com/mattn/go-mastodon"
)

// MustPostForm posts a form (with a bearer token if given) and decodes a JSON object of strings.
func MustPostForm(tb testing.TB, u, token string, form url.Values) map[string]string {
	tb.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		tb.Fatalf("POST %s: status %d, %v, %v", u, resp.StatusCode, out, err)
	}
	str := map[string]string{}
	for k, v := range out {
		if s, ok := v.(string); ok {
			str[k] = s
		}
	}
	return str
}

// TestMastodonClientScenario drives a running server with a third-party
// Mastodon client library, as an app would: register an app, sign up, post,
// follow, read timelines, reply, favourite, reblog, bookmark, read
// notifications, use a list, page with max_id, edit and delete.
func TestMastodonClientScenario(t *testing.T) {
	base, data := MustRunMain(t, "--registrations", "open")
	ctx := context.Background()

	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{
		Server: base, ClientName: "e2e", Scopes: "read write follow push", RedirectURIs: "urn:ietf:wg:oauth:2.0:oob", Website: "https://example.org",
	})
	if err != nil {
		t.Fatalf("register app: %v", err)
	}

	// The library's AuthenticateApp asks for no scope, which grants "read",
	// as on Mastodon; verify_credentials for apps works with that.
	appClient := mastodon.NewClient(&mastodon.Config{Server: base, ClientID: app.ClientID, ClientSecret: app.ClientSecret})
	if err := appClient.AuthenticateApp(ctx); err != nil {
		t.Fatalf("client credentials: %v", err)
	}
	if v, err := appClient.VerifyAppCredentials(ctx); err != nil || v.Name != "e2e" {
		t.Fatalf("verify app = %+v, %v", v, err)
	}
	// Alice signs up through the API with an app token that may create accounts, as apps do.
	appToken := MustPostForm(t, base+"/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "scope": {"read write follow push"}})["access_token"]
	signup := MustPostForm(t, base+"/api/v1/accounts", appToken, url.Values{"username": {"alice"}, "email": {"alice@example.org"},
		"password": {"password123"}, "agreement": {"true"}, "locale": {"en"}})
	alice := mastodon.NewClient(&mastodon.Config{Server: base, ClientID: app.ClientID, ClientSecret: app.ClientSecret, AccessToken: signup["access_token"]})

	// Bob is created by an admin on the command line, then signs in with his password.
	MustCreateAccount(t, data, "bob")
	bob := mastodon.NewClient(&mastodon.Config{Server: base, ClientID: app.ClientID, ClientSecret: app.ClientSecret})
	if err := bob.Authenticate(ctx, "bob@example.org", "password123"); err != nil {
		t.Fatalf("bob signs in: %v", err)
	}

	me, err := alice.GetAccountCurrentUser(ctx)
	if err != nil || me.Username != "alice" {
		t.Fatalf("verify_credentials = %+v, %v", me, err)
	}
	bobAcct, err := alice.AccountLookup(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := alice.GetInstance(ctx)
	if err != nil || !strings.Contains(inst.Version, "Starling") {
		t.Fatalf("instance = %+v, %v", inst, err)
	}

	// Bob follows alice; alice posts with a hashtag and a mention.
	rel, err := bob.AccountFollow(ctx, me.ID)
	if err != nil || !rel.Following {
		t.Fatalf("follow = %+v, %v", rel, err)
	}
	post, err := alice.PostStatus(ctx, &mastodon.Toot{Status: "Welcome to #ADASSspring, @bob! Slides: https://example.org/slides", Visibility: "public"})
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	if len(post.Tags) != 1 || post.Tags[0].Name != "adassspring" || len(post.Mentions) != 1 || post.Mentions[0].Acct != "bob" {
		t.Fatalf("post entities: tags %+v mentions %+v", post.Tags, post.Mentions)
	}
	home, err := bob.GetTimelineHome(ctx, nil)
	if err != nil || len(home) != 1 || home[0].ID != post.ID {
		t.Fatalf("bob's home = %d statuses, %v", len(home), err)
	}
	tagged, err := bob.GetTimelineHashtag(ctx, "adassspring", false, nil)
	if err != nil || len(tagged) != 1 {
		t.Fatalf("hashtag timeline = %d, %v", len(tagged), err)
	}

	// Bob replies; the context shows the thread.
	reply, err := bob.PostStatus(ctx, &mastodon.Toot{Status: "@alice thank you!", InReplyToID: post.ID})
	if err != nil {
		t.Fatal(err)
	}
	thread, err := alice.GetStatusContext(ctx, post.ID)
	if err != nil || len(thread.Descendants) != 1 || thread.Descendants[0].ID != reply.ID {
		t.Fatalf("context = %+v, %v", thread, err)
	}
	up, err := alice.GetStatusContext(ctx, reply.ID)
	if err != nil || len(up.Ancestors) != 1 || up.Ancestors[0].ID != post.ID {
		t.Fatalf("ancestors = %+v, %v", up, err)
	}

	// Favourite, reblog, bookmark.
	if s, err := bob.Favourite(ctx, post.ID); err != nil || !s.Favourited.(bool) {
		t.Fatalf("favourite = %v", err)
	}
	if s, err := bob.Reblog(ctx, post.ID); err != nil || s.Reblog == nil || s.Reblog.ID != post.ID {
		t.Fatalf("reblog = %+v, %v", s, err)
	}
	if _, err := bob.Bookmark(ctx, post.ID); err != nil {
		t.Fatal(err)
	}
	marks, err := bob.GetBookmarks(ctx, nil)
	if err != nil || len(marks) != 1 {
		t.Fatalf("bookmarks = %d, %v", len(marks), err)
	}
	favs, err := bob.GetFavourites(ctx, nil)
	if err != nil || len(favs) != 1 {
		t.Fatalf("favourites = %d, %v", len(favs), err)
	}
	who, err := alice.GetFavouritedBy(ctx, post.ID, nil)
	if err != nil || len(who) != 1 || who[0].ID != bobAcct.ID {
		t.Fatalf("favourited_by = %v, %v", who, err)
	}

	// Notifications: bob was mentioned; alice was followed, replied to (a mention), favourited and reblogged.
	got := map[string]int{}
	notes, err := alice.GetNotifications(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range notes {
		got[n.Type]++
	}
	for _, typ := range []string{"follow", "mention", "favourite", "reblog"} {
		if got[typ] != 1 {
			t.Errorf("alice's notifications %v: want one %s", got, typ)
		}
	}
	if bn, err := bob.GetNotifications(ctx, nil); err != nil || len(bn) != 1 || bn[0].Type != "mention" {
		t.Fatalf("bob's notifications = %v, %v", bn, err)
	}

	// A list of people worth following, and its timeline.
	list, err := bob.CreateList(ctx, "People in social care worth following")
	if err != nil {
		t.Fatal(err)
	}
	if err := bob.AddToList(ctx, list.ID, me.ID); err != nil {
		t.Fatalf("add to list: %v", err)
	}
	lt, err := bob.GetTimelineList(ctx, list.ID, nil)
	if err != nil || len(lt) == 0 || lt[0].ID != post.ID {
		t.Fatalf("list timeline = %d, %v", len(lt), err)
	}

	// Paging the home timeline with max_id.
	for i := 0; i < 25; i++ {
		if _, err := alice.PostStatus(ctx, &mastodon.Toot{Status: "update " + string(rune('a'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[mastodon.ID]bool{}
	pg := &mastodon.Pagination{Limit: 10}
	for pages := 0; pages < 10; pages++ {
		page, err := bob.GetTimelineHome(ctx, pg)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, s := range page {
			if seen[s.ID] {
				t.Fatalf("status %s seen twice while paging", s.ID)
			}
			seen[s.ID] = true
		}
		pg = &mastodon.Pagination{MaxID: page[len(page)-1].ID, Limit: 10}
	}
	if len(seen) != 27 { // 26 of alice's posts and bob's own reply; his reblog of a post already there is not repeated
		t.Fatalf("paged through %d statuses; want 27", len(seen))
	}

	// Edit, then delete.
	edited, err := alice.UpdateStatus(ctx, &mastodon.Toot{Status: "Welcome to #ADASSspring, @bob! Slides (updated): https://example.org/slides"}, post.ID)
	if err != nil || !strings.Contains(edited.Content, "updated") {
		t.Fatalf("edit = %v", err)
	}
	hist, err := alice.GetStatusHistory(ctx, post.ID)
	if err != nil || len(hist) != 2 {
		t.Fatalf("history = %d, %v", len(hist), err)
	}
	if err := alice.DeleteStatus(ctx, post.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.GetStatus(ctx, post.ID); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("deleted status: err = %v, want 404", err)
	}
	if err := bob.RevokeToken(ctx); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if _, err := bob.GetAccountCurrentUser(ctx); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("revoked token: err = %v, want 401", err)
	}
}
