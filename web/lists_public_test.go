package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"starling"
	"starling/apptest"
)

// sharedListFixture: ann follows bob and cat and puts them on a list,
// still private.
func sharedListFixture(t *testing.T, svc *starling.Service) (ann, bob, cat *starling.Account, l *starling.List) {
	t.Helper()
	ctx := context.Background()
	ann, bob, cat = apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "cat")
	apptest.MustAccount(t, svc, "dev")
	for _, a := range []*starling.Account{bob, cat} {
		if _, err := svc.Follow(ctx, ann, a.ID, starling.FollowOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	l, err := svc.CreateList(ctx, ann, starling.List{Title: "Worth following in social care"})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.AddListMembers(ctx, ann, l.ID, []int64{bob.ID, cat.ID}); err != nil {
		t.Fatal(err)
	}
	return ann, bob, cat, l
}

// TestSharedListPage: a private list is nobody else's business; once its
// owner makes it public from the manage page, anyone with the address sees
// who is on it, and a member follows them all with one button.
func TestSharedListPage(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	_, bob, cat, l := sharedListFixture(t, env.svc)
	path := "/lists/" + starling.FormatID(l.ID)

	visitor := env.newBrowser()
	if res := visitor.get(path); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/auth/sign_in") {
		t.Fatalf("signed out, a private list: %d %s, want the sign-in page", res.StatusCode, res.Header.Get("Location"))
	}
	dev := env.newBrowser()
	dev.signIn("dev@example.org", "password123")
	if res := dev.get(path); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another member, a private list: %d, want 404", res.StatusCode)
	}
	token := hiddenFields(t, dev.get("/lists"), "/lists") // a valid CSRF token, so only the list's privacy refuses
	if res := dev.post(path+"/follow", token); res.StatusCode != http.StatusNotFound {
		t.Fatalf("following everyone on a private list: %d, want 404", res.StatusCode)
	}

	if prof := visitor.get("/@ann"); strings.Contains(prof.Body, path) {
		t.Error("ann's profile links her private list")
	}
	ann := env.newBrowser()
	ann.signIn("ann@example.org", "password123")
	edit := ann.get(path + "/edit")
	res := ann.submit(edit, path, url.Values{"title": {l.Title}, "replies_policy": {"list"}, "public": {"1"}})
	edit = ann.follow(res)
	if !strings.Contains(edit.Body, "This list is public") || !strings.Contains(edit.Body, env.svc.Instance().BaseURL+path) {
		t.Fatal("the manage page does not give the public list's address")
	}
	if res := ann.get(path); !strings.Contains(res.Body, `id="feed"`) {
		t.Error("the owner no longer sees the list's timeline")
	}

	if prof := visitor.get("/@ann"); !strings.Contains(prof.Body, `<a href="`+path+`">Worth following in social care</a>`) {
		t.Error("ann's profile does not link her public list")
	}
	page := visitor.get(path)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("signed out, a public list: %d", page.StatusCode)
	}
	for _, want := range []string{"Worth following in social care", "@bob", "@cat", "@ann", "Sign in</a> to follow everyone"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the shared list page lacks %q", want)
		}
	}
	page = dev.get(path)
	res = dev.submit(page, path+"/follow", nil)
	mine := dev.follow(res)
	if mine.StatusCode != http.StatusOK || !strings.Contains(mine.Body, `id="feed"`) || res.Header.Get("Location") == path {
		t.Fatalf("after following: %d at %s", mine.StatusCode, res.Header.Get("Location"))
	}
	devAccount, err := env.svc.LookupAccount(context.Background(), "dev")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*starling.Account{bob, cat} {
		rel, err := env.svc.Relationship(context.Background(), devAccount, a.ID)
		if err != nil || !rel.Following {
			t.Errorf("dev does not follow %s: %+v %v", a.Username, rel, err)
		}
	}
	if lists := dev.get("/lists"); !strings.Contains(lists.Body, "Worth following in social care") {
		t.Error("dev's lists lack the copy")
	}
}

// TestBrowserFollowSharedList follows everyone on a shared list with one
// click in a real browser, axe-core checking the page.
func TestBrowserFollowSharedList(t *testing.T) {
	j := newJourney(t)
	ctx := context.Background()
	ann, _, _, l := sharedListFixture(t, j.env.svc)
	yes := true
	if _, err := j.env.svc.UpdateList(ctx, ann, l.ID, starling.ListChange{Public: &yes}); err != nil {
		t.Fatal(err)
	}
	path := "/lists/" + starling.FormatID(l.ID)
	j.open(path)
	j.at("shared list (signed out)", path)
	j.signIn("dev@example.org", "password123")
	j.open(path)
	j.at("shared list", path)
	j.do("follow everyone", chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="%s/follow"] button`, path))))
	j.waitFor("dev's own copy of the list", `document.querySelector("h1")?.textContent === "Worth following in social care" && location.pathname !== "`+path+`"`)
}
