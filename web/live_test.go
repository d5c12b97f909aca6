package web

import (
	"context"
	"net/http"
	"testing"
	"time"

	"starling"
	"starling/apptest"
)

// openLive opens /live?stream= as the browser b (signed in or not).
func openLive(t *testing.T, b *browser, stream string) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.env.srv.URL+"/live?stream="+stream, nil)
	if c := b.cookie(sessionCookie); c != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c})
	}
	out, _ := mustOpenStreamWith(t, req)
	return out
}

func TestLive(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ctx := context.Background()
	ann, bob, cat := apptest.MustAccount(t, env.svc, "ann"), apptest.MustAccount(t, env.svc, "bob"), apptest.MustAccount(t, env.svc, "cat")
	if _, err := env.svc.Follow(ctx, ann, bob.ID, starling.FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	b := env.newBrowser()
	b.signIn("ann", "password123")

	home := openLive(t, b, "home")
	notes := openLive(t, b, "notifications")
	tag := openLive(t, env.newBrowser(), "tag:AdassSpring") // no sign-in needed
	time.Sleep(100 * time.Millisecond)

	next := func(name string, ch <-chan sseEvent) sseEvent {
		t.Helper()
		select {
		case ev := <-ch:
			return ev
		case <-time.After(2 * time.Second):
			t.Fatalf("%s: nothing within 2 s", name)
		}
		return sseEvent{}
	}
	// cat is not followed: her followers-only post is for no one here, and
	// her public one reaches only the hashtag page.
	if _, err := env.svc.PostStatus(ctx, cat, starling.NewStatus{Text: "private #adassspring", Visibility: starling.VisibilityPrivate}); err != nil {
		t.Fatal(err)
	}
	public, err := env.svc.PostStatus(ctx, cat, starling.NewStatus{Text: "hello #adassspring"})
	if err != nil {
		t.Fatal(err)
	}
	if ev := next("tag", tag); ev != (sseEvent{"update", starling.FormatID(public.ID)}) {
		t.Fatalf("tag: %+v; want cat's public post (never the private one)", ev)
	}
	byBob, err := env.svc.PostStatus(ctx, bob, starling.NewStatus{Text: "for my followers", Visibility: starling.VisibilityPrivate})
	if err != nil {
		t.Fatal(err)
	}
	if ev := next("home", home); ev != (sseEvent{"update", starling.FormatID(byBob.ID)}) {
		t.Fatalf("home: %+v; want bob's post first (not cat's)", ev)
	}
	mine, err := env.svc.PostStatus(ctx, ann, starling.NewStatus{Text: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.Favourite(ctx, bob, mine.ID); err != nil {
		t.Fatal(err)
	}
	if ev := next("notifications", notes); ev.name != "notification" {
		t.Fatalf("notifications: %+v", ev)
	}

	// Following from another tab reaches the open home stream.
	if _, err := env.svc.Follow(ctx, ann, cat.ID, starling.FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	catAgain, err := env.svc.PostStatus(ctx, cat, starling.NewStatus{Text: "now you follow me"})
	if err != nil {
		t.Fatal(err)
	}
	for {
		ev := next("home", home)
		if ev.data == starling.FormatID(catAgain.ID) {
			break
		}
	}

	for _, c := range []struct {
		stream string
		status int
	}{{"home", http.StatusUnauthorized}, {"nonsense", http.StatusUnauthorized}, {"list:1", http.StatusUnauthorized}} {
		if res := env.newBrowser().get("/live?stream=" + c.stream); res.StatusCode != c.status {
			t.Errorf("%s signed out: %d, want %d", c.stream, res.StatusCode, c.status)
		}
	}
	if res := b.get("/live?stream=list:123"); res.StatusCode != http.StatusNotFound {
		t.Errorf("someone else's list: %d", res.StatusCode)
	}
}
