package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
)

// fetchedPage is one page of the site as a visitor would get it.
type fetchedPage struct {
	name   string
	status int
	res    *response
}

// mustFetchAllPages visits every page in the states people meet it in:
// signed out and in, with and without errors.
func mustFetchAllPages(t *testing.T) []fetchedPage {
	t.Helper()
	env := mustServer(t, starling.RegistrationsApproval, Options{})
	bossAccount := env.mustStaff("boss")
	memberAccount := apptest.MustAccount(t, env.svc, "member")
	app, _ := env.mustApp()
	var pages []fetchedPage
	add := func(name string, status int, res *response) {
		pages = append(pages, fetchedPage{name, status, res})
	}

	anon := env.newBrowser()
	add("home", 200, anon.get("/"))
	signUp := anon.get("/auth/sign_up")
	add("sign up", 200, signUp)
	bad := signUpForm("x y")
	bad.Set("reason", "I run a day centre")
	add("sign up with errors", 422, anon.submit(signUp, "/auth/sign_up", bad))
	v := signUpForm("olu")
	v.Set("reason", "I run a day centre")
	add("sign up done", 200, anon.submit(anon.get("/auth/sign_up"), "/auth/sign_up", v))
	add("sign in", 200, anon.get("/auth/sign_in?next=%2Fadmin%2Fsign_ups"))
	add("sign in wrong password", 401, anon.submit(anon.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {"boss"}, "password": {"nope nope"}}))
	add("sign in pending", 403, anon.submit(anon.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {"olu"}, "password": {"correct horse battery"}}))
	add("form expired", 403, anon.post("/auth/sign_in", url.Values{"login": {"boss"}}))
	add("not found", 404, anon.get("/no/such/page"))
	add("authorize unknown app", 400, anon.get(authorizePath(url.Values{"client_id": {"nope"}, "response_type": {"code"}})))

	staff := env.newBrowser()
	staff.signIn("boss", "password123")
	add("home signed in", 200, staff.get("/"))
	add("pending sign-ups", 200, staff.get("/admin/sign_ups"))
	q := url.Values{"client_id": {app.ClientID}, "redirect_uri": {starling.OOBRedirectURI}, "response_type": {"code"}, "scope": {"read write follow"}}
	consent := staff.get(authorizePath(q))
	add("authorize", 200, consent)
	add("authorization code", 200, staff.follow(staff.submit(consent, "/oauth/authorize", url.Values{"decision": {"authorize"}})))
	q.Set("scope", "admin:read")
	add("authorize error", 400, staff.get(authorizePath(q)))

	member := env.newBrowser()
	member.signIn("member", "password123")
	add("staff page forbidden", 403, member.get("/admin/sign_ups"))

	// The public and members' pages, with posts, a thread, a list, a
	// suggested list, notifications, a follow request and a message on them.
	ctx, svc := context.Background(), env.svc
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	post := func(a *starling.Account, vis starling.Visibility, text string, replyTo int64) *starling.Status {
		t.Helper()
		s, err := svc.PostStatus(ctx, a, starling.NewStatus{Text: text, Visibility: vis, InReplyToID: replyTo, Language: "en"})
		must(err)
		return s
	}
	follow := func(a, b *starling.Account) {
		t.Helper()
		_, err := svc.Follow(ctx, a, b.ID, starling.FollowOptions{})
		must(err)
	}
	writer := apptest.MustAccount(t, svc, "writer")
	follow(memberAccount, writer)
	follow(writer, memberAccount)
	follow(bossAccount, writer)
	pub := post(writer, starling.VisibilityPublic, "Notes from the conference #adassspring https://example.org/notes", 0)
	reply := post(memberAccount, starling.VisibilityPublic, "@writer thank you for these", pub.ID)
	private := post(writer, starling.VisibilityPrivate, "For my followers only", 0)
	mine := post(memberAccount, starling.VisibilityPublic, "A post of my own", 0)
	direct := post(writer, starling.VisibilityDirect, "@member a direct message", 0)
	_, err := svc.Favourite(ctx, writer, mine.ID)
	must(err)
	_, err = svc.Bookmark(ctx, memberAccount, pub.ID)
	must(err)
	locked := true
	_, err = svc.UpdateProfile(ctx, memberAccount, starling.ProfileUpdate{Locked: &locked})
	must(err)
	follow(apptest.MustAccount(t, svc, "asker"), memberAccount) // a request, now that member approves followers
	list, err := svc.CreateList(ctx, memberAccount, starling.List{Title: "Conference speakers"})
	must(err)
	must(svc.AddListMembers(ctx, memberAccount, list.ID, []int64{writer.ID}))
	featured, err := svc.CreateList(ctx, bossAccount, starling.List{Title: "Worth following"})
	must(err)
	must(svc.AddListMembers(ctx, bossAccount, featured.ID, []int64{writer.ID}))
	yes := true
	_, err = svc.UpdateList(ctx, bossAccount, featured.ID, starling.ListChange{Featured: &yes})
	must(err)
	listPath := "/lists/" + starling.FormatID(list.ID)

	add("profile", 200, anon.get("/@writer"))
	add("post with replies", 200, anon.get(statusPath(pub)))
	add("hashtag", 200, anon.get("/tags/adassspring"))
	add("local timeline", 200, anon.get("/public/local"))
	add("about", 200, anon.get("/about"))
	add("followers-only post signed out", 404, anon.get(statusPath(private)))

	add("home with posts", 200, member.get("/"))
	add("own profile", 200, member.get("/@member"))
	add("profile signed in", 200, member.get("/@writer"))
	add("post with replies signed in", 200, member.get(statusPath(pub)))
	add("reply in its thread", 200, member.get(statusPath(reply)))
	add("direct message", 200, member.get(statusPath(direct)))
	add("hashtag signed in", 200, member.get("/tags/adassspring"))
	add("local timeline signed in", 200, member.get("/public/local"))
	add("notifications", 200, member.get("/notifications"))
	add("follow requests", 200, member.get("/follow_requests"))
	add("conversations", 200, member.get("/conversations"))
	add("bookmarks", 200, member.get("/bookmarks"))
	add("favourites", 200, member.get("/favourites"))
	add("lists", 200, member.get("/lists"))
	add("lists with error", 422, member.submit(member.get("/lists"), "/lists", url.Values{"title": {""}}))
	add("list timeline", 200, member.get(listPath))
	add("list edit", 200, member.get(listPath+"/edit"))
	add("list edit with error", 422, member.submit(member.get(listPath+"/edit"), listPath, url.Values{"title": {""}}))
	add("list edit staff", 200, staff.get("/lists/"+starling.FormatID(featured.ID)+"/edit"))
	add("search", 200, member.get("/search"))
	add("search results", 200, member.get("/search?q=writer"))
	add("search hashtags", 200, member.get("/search?q=%23adass"))
	add("search posts", 200, member.get("/search?q=conference+notes"))
	add("search with error", 422, member.get("/search?q=notes+before%3Asomeday"))
	add("settings profile", 200, member.get("/settings/profile"))
	add("settings profile with error", 422, member.submit(member.get("/settings/profile"), "/settings/profile",
		url.Values{"display_name": {strings.Repeat("n", 31)}}))
	add("settings password", 200, member.get("/settings/password"))
	add("settings password with error", 422, member.submit(member.get("/settings/password"), "/settings/password",
		url.Values{"current_password": {"wrong password"}, "password": {"a new password"}, "password_confirmation": {"a new password"}}))
	add("settings sessions", 200, member.get("/settings/sessions"))
	add("compose", 200, member.get("/compose"))
	add("compose reply", 200, member.get("/compose?in_reply_to_id="+starling.FormatID(pub.ID)))
	add("compose direct", 200, member.get("/compose?visibility=direct&to=writer"))
	add("compose with error", 422, member.submit(member.get("/"), "/statuses", url.Values{"status": {strings.Repeat("x", 501)}}))
	add("reply with error", 422, member.submit(member.get(statusPath(pub)), "/statuses", url.Values{"status": {strings.Repeat("x", 501)}}))
	add("delete confirmation", 200, member.get("/statuses/"+starling.FormatID(mine.ID)+"/delete"))
	add("delete someone else's", 403, member.get("/statuses/"+starling.FormatID(pub.ID)+"/delete"))
	add("start step 1", 200, member.get("/start"))
	add("start step 2", 200, member.get("/start/profile"))
	add("start step 3", 200, member.get("/start/follow"))
	add("start step 3 after following a list", 200, member.follow(member.submit(member.get("/start/follow"),
		"/start/lists/"+starling.FormatID(featured.ID)+"/follow", nil)))
	add("not found signed in", 404, member.get("/@nobody"))

	// Moderation: reporting, the staff account and rules pages, the terms,
	// and a member's warning with its appeal form.
	writerPath := "/report/" + starling.FormatID(writer.ID)
	add("report form", 200, member.get(writerPath+"?status="+starling.FormatID(pub.ID)))
	add("report form with error", 422, member.submit(member.get(writerPath), writerPath, url.Values{"category": {"violation"}}))
	add("report sent", 200, member.follow(member.submit(member.get(writerPath), writerPath, url.Values{"category": {"spam"}})))
	add("terms unset", 200, anon.get("/terms"))
	add("privacy unset", 200, anon.get("/privacy"))
	add("admin accounts", 200, staff.get("/admin/accounts"))
	add("admin accounts filtered", 200, staff.get("/admin/accounts?status=active&q=wri"))
	writerAdmin := "/admin/accounts/" + starling.FormatID(writer.ID)
	add("admin account", 200, staff.get(writerAdmin))
	add("admin account with error", 422, staff.submit(staff.get(writerAdmin), writerAdmin, url.Values{"action": {"silence"}, "reason": {""}}))
	add("admin rules", 200, staff.get("/admin/rules"))
	add("admin rules with error", 422, staff.submit(staff.get("/admin/rules"), "/admin/rules", url.Values{"text": {""}}))
	add("admin terms", 200, staff.get("/admin/terms"))
	add("admin terms with error", 422, staff.submit(staff.get("/admin/terms"), "/admin/terms", url.Values{"body": {" "}}))
	add("terms", 200, staff.follow(staff.submit(staff.get("/admin/terms"), "/admin/terms", url.Values{"body": {"Be kind.\n\nMore at https://example.org/terms"}})))
	add("admin account after action", 200, staff.follow(staff.submit(staff.get(writerAdmin), writerAdmin, url.Values{"action": {"silence"}, "reason": {"Posting adverts, rule 2"}})))
	writerBrowser := env.newBrowser()
	writerBrowser.signIn("writer", "password123")
	add("notifications with a warning", 200, writerBrowser.get("/notifications"))
	warnings, err := svc.AccountModeration(ctx, bossAccount, writer.ID)
	must(err)
	warningPath := "/warnings/" + starling.FormatID(warnings.Warnings[0].ID)
	add("warning", 200, writerBrowser.get(warningPath))
	add("warning appeal with error", 422, writerBrowser.submit(writerBrowser.get(warningPath), warningPath, url.Values{"text": {""}}))
	add("warning appealed", 200, writerBrowser.follow(writerBrowser.submit(writerBrowser.get(warningPath), warningPath, url.Values{"text": {"They were not adverts"}})))
	add("limited profile", 200, anon.get("/@writer"))

	closed := mustServer(t, starling.RegistrationsClosed, Options{})
	add("sign up closed", 403, closed.newBrowser().get("/auth/sign_up"))
	add("home closed", 200, closed.newBrowser().get("/"))
	return pages
}

// TestAccessibility checks facts about every page that a screen reader or
// keyboard user depends on. It does not replace testing with people.
func TestAccessibility(t *testing.T) {
	for _, p := range mustFetchAllPages(t) {
		t.Run(p.name, func(t *testing.T) {
			if p.res.StatusCode != p.status {
				t.Fatalf("status %d, want %d: %s", p.res.StatusCode, p.status, p.res.Body)
			}
			doc := p.res.Doc
			if doc == nil {
				t.Fatal("not HTML")
			}
			is := func(tag string) func(*html.Node) bool { return func(n *html.Node) bool { return n.Data == tag } }
			if h := findAll(doc, is("html")); len(h) != 1 || attr(h[0], "lang") != "en" {
				t.Error(`no <html lang="en">`)
			}
			if titles := findAll(doc, is("title")); len(titles) != 1 || !strings.HasSuffix(text(titles[0]), "Starling Test") || text(titles[0]) == "" {
				t.Errorf("title %v", titles)
			}
			if h1 := findAll(doc, is("h1")); len(h1) != 1 {
				t.Errorf("%d h1 elements", len(h1))
			}
			if m := findAll(doc, is("main")); len(m) != 1 || attr(m[0], "id") != "main" {
				t.Error("no <main id=main>")
			}
			if skip := findAll(doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "#main" }); len(skip) == 0 {
				t.Error("no skip link")
			}

			ids := map[string]bool{}
			for _, n := range findAll(doc, func(n *html.Node) bool { return hasAttr(n, "id") }) {
				if ids[attr(n, "id")] {
					t.Errorf("duplicate id %q", attr(n, "id"))
				}
				ids[attr(n, "id")] = true
			}
			labels := map[string]bool{}
			for _, l := range findAll(doc, is("label")) {
				if !ids[attr(l, "for")] {
					t.Errorf("label %q is for no element", text(l))
				}
				labels[attr(l, "for")] = true
			}
			controls := findAll(doc, func(n *html.Node) bool {
				return n.Data == "textarea" || n.Data == "select" || n.Data == "input" && !strings.Contains(" hidden submit button image reset ", " "+attr(n, "type")+" ")
			})
			for _, c := range controls {
				if id := attr(c, "id"); id == "" || !labels[id] {
					t.Errorf("%s name=%q has no label", c.Data, attr(c, "name"))
				}
				for _, ref := range strings.Fields(attr(c, "aria-describedby")) {
					if !ids[ref] {
						t.Errorf("%s describedby missing id %q", attr(c, "id"), ref)
					}
				}
				switch attr(c, "type") {
				case "password", "email":
					if attr(c, "autocomplete") == "" {
						t.Errorf("%s has no autocomplete", attr(c, "id"))
					}
				}
				if name := attr(c, "name"); (name == "username" || name == "login") && attr(c, "autocomplete") != "username" {
					t.Errorf("%s: autocomplete %q", name, attr(c, "autocomplete"))
				}
			}
			for _, b := range findAll(doc, is("button")) {
				if text(b) == "" {
					t.Error("button without text")
				}
			}
			for _, img := range findAll(doc, is("img")) {
				if !hasAttr(img, "alt") {
					t.Errorf("img %q without alt", attr(img, "src"))
				}
			}
			for _, a := range findAll(doc, func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "#") }) {
				if !ids[strings.TrimPrefix(attr(a, "href"), "#")] {
					t.Errorf("link to missing %s", attr(a, "href"))
				}
			}
			if alerts := findAll(doc, func(n *html.Node) bool { return attr(n, "role") == "alert" }); p.status == 422 && len(alerts) != 1 {
				t.Errorf("%d error summaries", len(alerts))
			}
		})
	}
}

func TestContentSecurityPolicy(t *testing.T) {
	for _, p := range mustFetchAllPages(t) {
		csp := p.res.Header.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q", p.name, csp)
		}
		if !strings.HasPrefix(csp, "default-src 'none';") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", p.name, csp)
		}
		if p.res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", p.name, p.res.Header.Get("Cache-Control"))
		}
	}
}

// TestNoInlineStyleOrScript keeps pages within the policy: no inline
// scripts, style attributes or style elements, which it would block; only
// our own script file.
func TestNoInlineStyleOrScript(t *testing.T) {
	for _, p := range mustFetchAllPages(t) {
		bad := findAll(p.res.Doc, func(n *html.Node) bool {
			return n.Data == "script" && !strings.HasPrefix(attr(n, "src"), "/static/") || n.Data == "style" || hasAttr(n, "style") || strings.HasPrefix(attr(n, "href"), "javascript:") ||
				func() bool {
					for _, a := range n.Attr {
						if strings.HasPrefix(a.Key, "on") {
							return true
						}
					}
					return false
				}()
		})
		if len(bad) > 0 {
			t.Errorf("%s: %d inline scripts or styles", p.name, len(bad))
		}
	}
}

func TestStaffLinkOnlyForStaff(t *testing.T) {
	env := mustServer(t, starling.RegistrationsApproval, Options{})
	env.mustStaff("boss")
	apptest.MustAccount(t, env.svc, "pat")
	for _, tt := range []struct {
		user string
		want bool
	}{{"boss", true}, {"pat", false}} {
		b := env.newBrowser()
		b.signIn(tt.user, "password123")
		home := b.get("/")
		has := len(findAll(home.Doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "/admin/sign_ups" })) > 0
		if has != tt.want {
			t.Errorf("%s: link to sign-ups %v, want %v", tt.user, has, tt.want)
		}
		if !strings.Contains(text(home.Doc), "Signed in as @"+tt.user) {
			t.Errorf("%s: not named", tt.user)
		}
		if len(findAll(home.Doc, func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == "/auth/sign_out" })) != 1 {
			t.Errorf("%s: no sign-out button", tt.user)
		}
	}
}
