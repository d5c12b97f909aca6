package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"starling"
	"starling/apptest"
)

// TestFollowTagPage follows a hashtag from its page, without JavaScript:
// a stranger's public post with it then shows on the home page, and
// unfollowing takes it away again.
func TestFollowTagPage(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	apptest.MustAccount(t, env.svc, "ann")
	bob := apptest.MustAccount(t, env.svc, "bob")
	s, err := env.svc.PostStatus(context.Background(), bob, starling.NewStatus{Text: "Carers' week starts today #CarersWeek"})
	if err != nil {
		t.Fatal(err)
	}
	visitor := env.newBrowser()
	if res := visitor.get("/tags/carersweek"); strings.Contains(res.Body, "Follow #") {
		t.Error("a signed-out visitor is offered to follow the tag")
	}
	ann := env.newBrowser()
	ann.signIn("ann@example.org", "password123")
	if pgShows(ann.get("/"), s.ID) {
		t.Fatal("bob's post is home before ann follows the tag")
	}
	page := ann.get("/tags/CarersWeek")
	res := ann.submit(page, "/tags/CarersWeek/follow", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("follow: %d %s", res.StatusCode, res.Body)
	}
	page = ann.follow(res)
	if !strings.Contains(page.Body, "You follow #") || !strings.Contains(page.Body, "Unfollow #") {
		t.Fatal("the tag page does not say ann follows it")
	}
	if !pgShows(ann.get("/"), s.ID) {
		t.Fatal("bob's tagged post is not on ann's home page")
	}
	ann.follow(ann.submit(page, "/tags/CarersWeek/unfollow", nil))
	if pgShows(ann.get("/"), s.ID) {
		t.Fatal("bob's post stays home after unfollowing the tag")
	}
	token := hiddenFields(t, page, "/tags/CarersWeek/unfollow") // any form gives a valid CSRF token
	if res := ann.post("/tags/not%20a%20tag/follow", token); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "not a valid hashtag") {
		t.Errorf("following a bad tag: %d", res.StatusCode)
	}
	if res := visitor.post("/tags/carersweek/follow", url.Values{}); res.StatusCode == http.StatusSeeOther && !strings.Contains(res.Header.Get("Location"), "sign_in") {
		t.Error("a signed-out visitor followed a tag")
	}
}
