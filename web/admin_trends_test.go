package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
)

// trendsPostBy has each named member (registered if new) post tag in
// public: trends count people, not posts, so a trend needs several members.
func trendsPostBy(t *testing.T, svc *starling.Service, tag string, members ...string) {
	t.Helper()
	for _, name := range members {
		a, err := svc.LookupAccount(context.Background(), name)
		if err != nil {
			a = apptest.MustAccount(t, svc, name)
		}
		if _, err := svc.PostStatus(context.Background(), a, starling.NewStatus{Text: fmt.Sprintf("%s here, following #%s", name, tag)}); err != nil {
			t.Fatal(err)
		}
	}
}

// trendsMakeModerator gives a member the moderator role.
func trendsMakeModerator(t *testing.T, svc *starling.Service, a *starling.Account) {
	t.Helper()
	ctx := context.Background()
	if err := svc.Store().Update(ctx, func(tx starling.Tx) error {
		u, err := tx.User(ctx, a.ID)
		if err != nil {
			return err
		}
		u.Role = starling.RoleModerator
		return tx.UpdateUser(ctx, u)
	}); err != nil {
		t.Fatal(err)
	}
}

// trendsInSection lists the hashtags linked in the section of page headed by
// the heading with that id, in order.
func trendsInSection(t *testing.T, page *response, headingID string) []string {
	t.Helper()
	sections := findAll(page.Doc, func(n *html.Node) bool { return n.Data == "section" && attr(n, "aria-labelledby") == headingID })
	if len(sections) != 1 {
		t.Fatalf("%d sections headed #%s (status %d)", len(sections), headingID, page.StatusCode)
	}
	var out []string
	for _, a := range findAll(sections[0], func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/tags/") }) {
		out = append(out, strings.TrimPrefix(attr(a, "href"), "/tags/"))
	}
	return out
}

// trendsNow is what svc.TrendingTags returns, by name.
func trendsNow(t *testing.T, svc *starling.Service) []string {
	t.Helper()
	tags, err := svc.TrendingTags(context.Background(), "", 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tg := range tags {
		out = append(out, tg.Name)
	}
	return out
}

// TestAdminTrendsAccess: the trends page and its forms are for staff; a
// visitor is sent to sign in and a member is refused, and a member's
// well-formed form changes nothing.
func TestAdminTrendsAccess(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	trendsPostBy(t, env.svc, "carersweek", "ann", "bob", "cat")

	visitor := env.newBrowser()
	if res := visitor.get("/admin/trends"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/auth/sign_in?next=%2Fadmin%2Ftrends" {
		t.Errorf("signed out: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}
	member := env.newBrowser()
	member.signIn("ann", "password123")
	home := member.get("/")
	if res := member.get("/admin/trends"); res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, "carersweek") {
		t.Errorf("a member sees the trends page: status %d", res.StatusCode)
	}
	if links := findAll(home.Doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "/admin/trends" }); len(links) != 0 {
		t.Error("a member's navigation links to the staff trends page")
	}
	v := url.Values{csrfField: {member.cookie(csrfCookie)}}
	if res := member.post("/admin/trends/carersweek/hide", v); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member hides a tag: status %d", res.StatusCode)
	}
	if got := trendsNow(t, env.svc); !slices.Equal(got, []string{"carersweek"}) {
		t.Errorf("after a member's attempt, trends = %v; want carersweek still there", got)
	}
}

// TestAdminTrendsHideAndShow: an admin sees what trends, hides it, and it
// leaves trends everywhere (the service apps read, the directory) and is
// listed as hidden by them; a moderator puts it back.
func TestAdminTrendsHideAndShow(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	env.mustStaff("boss")
	trendsPostBy(t, env.svc, "carersweek", "ann", "bob", "cat")
	trendsPostBy(t, env.svc, "solo", "ann") // one person: no trend
	trendsMakeModerator(t, env.svc, apptest.MustAccount(t, env.svc, "mo"))

	admin := env.newBrowser()
	admin.signIn("boss", "password123")
	page := admin.get("/admin/trends")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("staff page: status %d\n%s", page.StatusCode, page.Body)
	}
	if got := trendsInSection(t, page, "trending-heading"); !slices.Equal(got, []string{"carersweek"}) {
		t.Fatalf("trending now lists %v, want [carersweek]", got)
	}
	if got := trendsInSection(t, page, "hidden-heading"); len(got) != 0 {
		t.Fatalf("hidden lists %v before anything was hidden", got)
	}
	if row := strings.Join(strings.Fields(text(findAll(page.Doc, func(n *html.Node) bool { return n.Data == "tbody" })[0])), " "); !strings.HasPrefix(row, "#carersweek 3 3 Hide") {
		t.Errorf("the trending row reads %q; want the tag, 3 people, 3 posts today, a Hide button", row)
	}
	if !strings.Contains(env.newBrowser().get("/directory").Body, `href="/tags/carersweek"`) {
		t.Fatal("the directory does not show the trend to begin with")
	}

	res := admin.submit(page, "/admin/trends/carersweek/hide", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/trends?done=hidden" {
		t.Fatalf("hide: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}
	page = admin.follow(res)
	if !strings.Contains(page.Body, "Hashtag hidden.") {
		t.Error("no confirmation after hiding")
	}
	if got := trendsInSection(t, page, "trending-heading"); len(got) != 0 {
		t.Errorf("after hiding, trending now lists %v", got)
	}
	if got := trendsInSection(t, page, "hidden-heading"); !slices.Equal(got, []string{"carersweek"}) {
		t.Errorf("after hiding, hidden lists %v", got)
	}
	if !strings.Contains(page.Body, `<a href="/@boss">@boss</a>`) {
		t.Error("the hidden tag does not say who hid it")
	}
	if got := trendsNow(t, env.svc); len(got) != 0 {
		t.Errorf("after hiding, TrendingTags = %v", got)
	}
	if strings.Contains(env.newBrowser().get("/directory").Body, `href="/tags/carersweek"`) {
		t.Error("the directory still shows the hidden trend")
	}

	mod := env.newBrowser()
	mod.signIn("mo", "password123")
	page = mod.get("/admin/trends")
	res = mod.submit(page, "/admin/trends/carersweek/show", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/trends?done=shown" {
		t.Fatalf("show: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}
	page = mod.follow(res)
	if !strings.Contains(page.Body, "Hashtag put back.") || !slices.Equal(trendsInSection(t, page, "trending-heading"), []string{"carersweek"}) ||
		len(trendsInSection(t, page, "hidden-heading")) != 0 {
		t.Errorf("after putting back, the page reads:\n%s", excerpt(text(byID(page.Doc, "main")), 800))
	}
	if got := trendsNow(t, env.svc); !slices.Equal(got, []string{"carersweek"}) {
		t.Errorf("after putting back, TrendingTags = %v", got)
	}
	if !strings.Contains(env.newBrowser().get("/directory").Body, `href="/tags/carersweek"`) {
		t.Error("the directory does not show the trend put back")
	}
}
