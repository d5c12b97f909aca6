package main

import (
	"context"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"
)

// TestMastodonClientStreaming reads the streaming API with a third-party
// client library, over server-sent events and over WebSocket, from the
// real server.
func TestMastodonClientStreaming(t *testing.T) {
	base, data := MustRunMain(t, "--registrations", "open")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	MustCreateAccount(t, data, "alice")
	MustCreateAccount(t, data, "bob")
	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: base, ClientName: "e2e", Scopes: "read write follow", RedirectURIs: "urn:ietf:wg:oauth:2.0:oob"})
	if err != nil {
		t.Fatal(err)
	}
	client := func(login string) *mastodon.Client {
		c := mastodon.NewClient(&mastodon.Config{Server: base, ClientID: app.ClientID, ClientSecret: app.ClientSecret})
		if err := c.Authenticate(ctx, login+"@example.org", "password123"); err != nil {
			t.Fatalf("%s signs in: %v", login, err)
		}
		return c
	}
	alice, bob := client("alice"), client("bob")
	bobAccount, err := bob.GetAccountCurrentUser(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.AccountFollow(ctx, bobAccount.ID); err != nil {
		t.Fatal(err)
	}

	user, err := alice.StreamingUser(ctx) // server-sent events
	if err != nil {
		t.Fatal(err)
	}
	tag, err := alice.NewWSClient().StreamingWSHashtag(ctx, "adassspring", false)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // both streams are open before the post

	posted, err := bob.PostStatus(ctx, &mastodon.Toot{Status: "Keynote starting #adassspring"})
	if err != nil {
		t.Fatal(err)
	}
	for name, ch := range map[string]chan mastodon.Event{"user (SSE)": user, "hashtag (WebSocket)": tag} {
		select {
		case ev := <-ch:
			u, ok := ev.(*mastodon.UpdateEvent)
			if !ok {
				t.Fatalf("%s: got %#v", name, ev)
			}
			if u.Status.ID != posted.ID || u.Status.Account.Acct != "bob" {
				t.Fatalf("%s: update %+v", name, u.Status)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("%s: no update within 2 s", name)
		}
	}
	if err := bob.DeleteStatus(ctx, posted.ID); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-tag:
		if d, ok := ev.(*mastodon.DeleteEvent); !ok || d.ID != posted.ID {
			t.Fatalf("after delete: %#v", ev)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no delete event within 2 s")
	}
}
