package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"starling"
	"starling/apptest"
)

// TestBlockAndMuteFromProfile blocks and mutes from profile pages without
// JavaScript: the posts leave the home page, the settings page lists both
// with buttons that lift them, and the blocked member is told on the
// blocker's profile.
func TestBlockAndMuteFromProfile(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ctx := context.Background()
	ann := apptest.MustAccount(t, env.svc, "ann")
	bob, cat := apptest.MustAccount(t, env.svc, "bob"), apptest.MustAccount(t, env.svc, "cat")
	posts := map[string]*starling.Status{}
	for _, a := range []*starling.Account{bob, cat} {
		if _, err := env.svc.Follow(ctx, ann, a.ID, starling.FollowOptions{}); err != nil {
			t.Fatal(err)
		}
		s, err := env.svc.PostStatus(ctx, a, starling.NewStatus{Text: "Handover notes from " + a.Username})
		if err != nil {
			t.Fatal(err)
		}
		posts[a.Username] = s
	}
	b := env.newBrowser()
	b.signIn("ann@example.org", "password123")
	if home := b.get("/"); !pgShows(home, posts["bob"].ID) || !pgShows(home, posts["cat"].ID) {
		t.Fatal("the posts are not home to begin with")
	}
	profile := b.get("/@bob")
	res := b.submit(profile, "/accounts/"+starling.FormatID(bob.ID)+"/block", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("block: %d", res.StatusCode)
	}
	if profile = b.follow(res); !strings.Contains(profile.Body, "You block Bob") && !strings.Contains(profile.Body, "You block bob") {
		t.Error("bob's profile does not say ann blocks him")
	}
	profile = b.get("/@cat")
	b.follow(b.submit(profile, "/accounts/"+starling.FormatID(cat.ID)+"/mute", url.Values{"duration": {"86400"}}))
	home := b.get("/")
	if pgShows(home, posts["bob"].ID) || pgShows(home, posts["cat"].ID) {
		t.Error("a blocked or muted member's post is still on the home page")
	}
	page := b.get("/settings/blocks")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "@bob") || !strings.Contains(page.Body, "@cat") || !strings.Contains(page.Body, "Muted until") {
		t.Fatalf("the blocked and muted page: %d", page.StatusCode)
	}
	bobBrowser := env.newBrowser()
	bobBrowser.signIn("bob@example.org", "password123")
	if p := bobBrowser.get("/@ann"); !strings.Contains(p.Body, "has blocked you") {
		t.Error("ann's profile does not tell bob she blocked him")
	}
	b.follow(b.submit(page, "/accounts/"+starling.FormatID(cat.ID)+"/unmute", nil))
	b.follow(b.submit(b.get("/settings/blocks"), "/accounts/"+starling.FormatID(bob.ID)+"/unblock", nil))
	if rel, _ := env.svc.Relationship(ctx, ann, bob.ID); rel.Blocking {
		t.Error("still blocking after Unblock")
	}
	if home := b.get("/"); !pgShows(home, posts["cat"].ID) {
		t.Error("cat's post is not back after unmuting")
	}
	if page := b.get("/settings/blocks"); !strings.Contains(page.Body, "You block no one") || !strings.Contains(page.Body, "You mute no one") {
		t.Error("the page still lists someone")
	}
}

// TestBrowserBlock mutes and blocks from a profile in a real browser,
// axe-core checking the profile with its options open and the settings page.
func TestBrowserBlock(t *testing.T) {
	j := newJourney(t)
	apptest.MustAccount(t, j.env.svc, "ann")
	bob := apptest.MustAccount(t, j.env.svc, "bob")
	j.signIn("ann@example.org", "password123")
	j.open("/@bob")
	j.do("open the mute and block options", chromedp.Click(chromedp.CSS("details.account-safety summary")))
	j.at("profile with mute and block", "/@bob")
	j.do("mute for a day", chromedp.SetValue(chromedp.CSS("#mute-duration"), "86400"),
		chromedp.Click(chromedp.CSS(`form[action="/accounts/`+starling.FormatID(bob.ID)+`/mute"] button`)))
	j.waitFor("muted", `document.body.textContent.includes("You mute")`)
	j.do("block", chromedp.Click(chromedp.CSS("details.account-safety summary")),
		chromedp.Click(chromedp.CSS(`form[action="/accounts/`+starling.FormatID(bob.ID)+`/block"] button`)))
	j.waitFor("blocked", `document.body.textContent.includes("You block")`)
	j.open("/settings/blocks")
	j.at("blocked and muted", "/settings/blocks")
	j.do("block a server that is no server", chromedp.SetValue(chromedp.CSS("#domain"), "not a server"),
		chromedp.Click(chromedp.CSS(`form[action="/settings/domain_blocks"] button`)))
	j.waitFor("the error", `document.querySelector('#domain[aria-invalid="true"]') !== null`)
	j.at("blocked servers with an error", "/settings/domain_blocks")
	j.do("block a server", chromedp.SetValue(chromedp.CSS("#domain"), "spam.example"),
		chromedp.Click(chromedp.CSS(`form[action="/settings/domain_blocks"] button`)))
	j.waitFor("blocked", `document.body.textContent.includes("spam.example")`)
	j.at("blocked servers", "/settings/blocks")
	j.open("/settings/import")
	j.at("import and export", "/settings/import")
}

// TestDomainBlocksPage blocks and unblocks servers from the blocks page
// without JavaScript; a name that is no server gets the page back with a
// message.
func TestDomainBlocksPage(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ann := apptest.MustAccount(t, env.svc, "ann")
	b := env.newBrowser()
	b.signIn("ann@example.org", "password123")
	page := b.get("/settings/blocks")
	if !strings.Contains(page.Body, "You block no servers") {
		t.Fatal("the empty list is not said")
	}
	res := b.submit(page, "/settings/domain_blocks", url.Values{"domain": {"not a server"}})
	if res.StatusCode != http.StatusUnprocessableEntity || attr(byID(res.Doc, "domain"), "aria-invalid") != "true" || attr(byID(res.Doc, "domain"), "value") != "not a server" {
		t.Fatalf("bad domain: %d: %s", res.StatusCode, res.Body)
	}
	page = b.follow(b.submit(page, "/settings/domain_blocks", url.Values{"domain": {"https://Spam.Example/about"}}))
	if !strings.Contains(page.Body, "spam.example") {
		t.Fatalf("the blocked server is not listed: %s", page.Body)
	}
	if list, _ := env.svc.DomainBlocks(context.Background(), ann, starling.Page{}); len(list) != 1 || list[0].Domain != "spam.example" {
		t.Fatalf("stored: %v", list)
	}
	page = b.follow(b.submit(page, "/settings/domain_blocks/delete", url.Values{"domain": {"spam.example"}}))
	if !strings.Contains(page.Body, "You block no servers") {
		t.Error("still listed after Unblock")
	}
}
