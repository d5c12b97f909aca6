package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
)

// filteredSummary returns the text of the "Filtered: …" disclosure of post
// id on the page, or "" if the post is not folded.
func filteredSummary(res *response, id int64) string {
	for _, a := range findAll(res.Doc, func(n *html.Node) bool {
		return n.Data == "article" && strings.HasSuffix(attr(n, "id"), "s-"+starling.FormatID(id))
	}) {
		for _, d := range findAll(a, func(n *html.Node) bool { return n.Data == "details" && attr(n, "class") == "filtered" }) {
			for _, s := range findAll(d, func(n *html.Node) bool { return n.Data == "summary" }) {
				return strings.Join(strings.Fields(text(s)), " ")
			}
		}
	}
	return ""
}

// TestFiltersPage creates, lists, edits and deletes a filter through the
// settings pages without JavaScript; a warn filter folds matching posts on
// the home page behind "Filtered: <title>", a hide filter leaves them out,
// and bad input gets the form back with a message.
func TestFiltersPage(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ctx := context.Background()
	ann, bob := apptest.MustAccount(t, env.svc, "ann"), apptest.MustAccount(t, env.svc, "bob")
	if _, err := env.svc.Follow(ctx, ann, bob.ID, starling.FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	spoiler, err := env.svc.PostStatus(ctx, bob, starling.NewStatus{Text: "The finale spoilers: the nurse did it"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := env.svc.PostStatus(ctx, bob, starling.NewStatus{Text: "Rota swap on Friday?"})
	if err != nil {
		t.Fatal(err)
	}
	b := env.newBrowser()
	b.signIn("ann@example.org", "password123")

	list := b.get("/settings/filters")
	if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, "You have no filters") {
		t.Fatalf("empty list: %d", list.StatusCode)
	}
	if !strings.Contains(list.Body, `href="/settings/filters" aria-current="page"`) {
		t.Error("the settings navigation does not mark Filters")
	}

	form := b.get("/settings/filters/new")
	t.Run("ErrBlankTitle", func(t *testing.T) {
		res := b.submit(form, "/settings/filters", url.Values{"title": {" "}, "context": {"home"}, "action": {"warn"}, "expires_in": {"0"},
			"keyword_rows": {"3"}, "keyword_0_text": {"finale"}, "keyword_0_whole_word": {"1"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Title can&#39;t be blank") || attr(byID(res.Doc, "title"), "aria-invalid") != "true" {
			t.Fatalf("status %d: %s", res.StatusCode, res.Body)
		}
		if got := attr(byID(res.Doc, "keyword_0_text"), "value"); got != "finale" {
			t.Errorf("keyword not kept: %q", got)
		}
	})
	t.Run("ErrNoContext", func(t *testing.T) {
		res := b.submit(form, "/settings/filters", url.Values{"title": {"Spoilers"}, "action": {"warn"}, "expires_in": {"0"}, "keyword_rows": {"3"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Choose at least one place") {
			t.Fatalf("status %d: %s", res.StatusCode, res.Body)
		}
	})

	res := b.submit(form, "/settings/filters", url.Values{"title": {"Spoilers"}, "context": {"home", "thread"}, "action": {"warn"}, "expires_in": {"86400"},
		"keyword_rows": {"3"}, "keyword_0_text": {"finale"}, "keyword_0_whole_word": {"1"}, "keyword_1_text": {"spoil"}})
	list = b.follow(res)
	if !strings.Contains(list.Body, "The filter is created") || !strings.Contains(list.Body, "finale, spoil") || !strings.Contains(list.Body, "Warns") {
		t.Fatalf("list after creating: %s", list.Body)
	}
	filters, err := env.svc.Filters(ctx, ann)
	if err != nil || len(filters) != 1 {
		t.Fatalf("filters = %v, %v", filters, err)
	}
	f := filters[0]
	if len(f.Keywords) != 2 || !f.Keywords[0].WholeWord || f.Keywords[1].WholeWord || f.ExpiresAt.IsZero() || len(f.Context) != 2 {
		t.Fatalf("stored filter: %+v, keywords %+v %+v", f, f.Keywords[0], f.Keywords[1])
	}

	home := b.get("/")
	if got := filteredSummary(home, spoiler.ID); got != "Filtered: Spoilers (show post)" {
		t.Errorf("the matching post's disclosure = %q", got)
	}
	if !pgShows(home, other.ID) || filteredSummary(home, other.ID) != "" {
		t.Error("the other post is folded or missing")
	}

	// Edit: drop "spoil", make it hide, keep the expiry.
	fid := starling.FormatID(f.ID)
	edit := b.get("/settings/filters/" + fid)
	if got := attr(byID(edit.Doc, "keyword_1_text"), "value"); got != "spoil" {
		t.Fatalf("edit form keyword 2 = %q", got)
	}
	res = b.submit(edit, "/settings/filters/"+fid, url.Values{"title": {"Spoilers"}, "context": {"home", "thread"}, "action": {"hide"}, "expires_in": {""},
		"keyword_0_text": {"finale"}, "keyword_0_whole_word": {"1"}, "keyword_1_text": {"spoil"}, "keyword_1_remove": {"1"}})
	b.follow(res)
	f2, err := env.svc.GetFilter(ctx, ann, f.ID)
	if err != nil || f2.Action != starling.FilterHide || len(f2.Keywords) != 1 || f2.Keywords[0].Keyword != "finale" || !f2.ExpiresAt.Equal(f.ExpiresAt) {
		t.Fatalf("after the edit: %+v %v", f2, err)
	}
	if home := b.get("/"); pgShows(home, spoiler.ID) || !pgShows(home, other.ID) {
		t.Error("a hide filter does not leave the post out of home")
	}

	// Another member's filter is not found.
	cat := env.newBrowser()
	apptest.MustAccount(t, env.svc, "cat")
	cat.signIn("cat@example.org", "password123")
	if res := cat.get("/settings/filters/" + fid); res.StatusCode != http.StatusNotFound {
		t.Errorf("cat opening ann's filter: %d", res.StatusCode)
	}

	list = b.get("/settings/filters")
	list = b.follow(b.submit(list, "/settings/filters/"+fid+"/delete", nil))
	if !strings.Contains(list.Body, "The filter is deleted") || !strings.Contains(list.Body, "You have no filters") {
		t.Errorf("after deleting: %s", list.Body)
	}
}

// TestBrowserFilters creates a warn filter in a real browser, axe-core
// checking the list, the form with an error and the home page with a
// folded post, which opens with its native disclosure.
func TestBrowserFilters(t *testing.T) {
	j := newJourney(t)
	ann := apptest.MustAccount(t, j.env.svc, "ann")
	bob := apptest.MustAccount(t, j.env.svc, "bob")
	if _, err := j.env.svc.Follow(context.Background(), ann, bob.ID, starling.FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	s, err := j.env.svc.PostStatus(context.Background(), bob, starling.NewStatus{Text: "Who watched the finale last night?"})
	if err != nil {
		t.Fatal(err)
	}
	j.signIn("ann@example.org", "password123")
	j.open("/settings/filters")
	j.at("filters", "/settings/filters")
	j.open("/settings/filters/new")
	j.do("submit without a title", chromedp.Click(chromedp.CSS(`form[action="/settings/filters"] button[type="submit"]`)))
	j.waitFor("the error", `document.querySelector('[aria-invalid="true"]') !== null`)
	j.at("new filter with an error", "/settings/filters")
	j.do("fill in", chromedp.SetValue(chromedp.CSS("#title"), "Telly"), chromedp.SetValue(chromedp.CSS("#keyword_0_text"), "finale"),
		chromedp.Click(chromedp.CSS(`form[action="/settings/filters"] button[type="submit"]`)))
	j.waitFor("created", `document.body.textContent.includes("The filter is created")`)
	j.open("/")
	j.waitFor("folded", `document.querySelector('#s-`+starling.FormatID(s.ID)+` details.filtered summary').textContent.includes("Filtered: Telly")`)
	j.do("open the folded post", chromedp.Click(chromedp.CSS(`#s-`+starling.FormatID(s.ID)+` details.filtered summary`)))
	j.waitFor("opened", `document.querySelector('#s-`+starling.FormatID(s.ID)+` details.filtered').open`)
	j.at("home with a filtered post", "/")
}
