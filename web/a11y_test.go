package web

import (
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
	env.mustStaff("boss")
	apptest.MustAccount(t, env.svc, "member")
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
