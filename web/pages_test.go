package web

// Tests of the public and members' pages over real HTTP on a real SQLite
// database, reading the HTML as a browser without JavaScript would: who sees
// which posts, posting and acting on posts, following, lists, search,
// settings, the first-run guide, public metadata and feeds, page weight,
// paging, notifications and messages.
//
// Each test sets its scene through the service (accounts, posts, follows)
// and drives through the pages only what it is about.

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
)

// ---- Setting the scene --------------------------------------------------------

// pagesSite is a test server with shortcuts to the service behind it.
type pagesSite struct {
	*testEnv
	ctx context.Context
}

func newPagesSite(t *testing.T) *pagesSite {
	t.Helper()
	return &pagesSite{testEnv: mustServer(t, starling.RegistrationsOpen, Options{}), ctx: context.Background()}
}

// member registers an approved member with password "password123".
func (s *pagesSite) member(username string) *starling.Account {
	s.t.Helper()
	return apptest.MustAccount(s.t, s.svc, username)
}

// post publishes text as a with visibility vis.
func (s *pagesSite) post(a *starling.Account, vis starling.Visibility, text string) *starling.Status {
	s.t.Helper()
	st, err := s.svc.PostStatus(s.ctx, a, starling.NewStatus{Text: text, Visibility: vis, Language: "en"})
	if err != nil {
		s.t.Fatalf("post %q: %v", text, err)
	}
	return st
}

// follows makes a follow b (b must not be locked).
func (s *pagesSite) follows(a, b *starling.Account) {
	s.t.Helper()
	rel, err := s.svc.Follow(s.ctx, a, b.ID, starling.FollowOptions{})
	if err != nil || !rel.Following {
		s.t.Fatalf("%s follows %s: %v %+v", a.Username, b.Username, err, rel)
	}
}

// profile changes a's profile.
func (s *pagesSite) profile(a *starling.Account, u starling.ProfileUpdate) {
	s.t.Helper()
	if _, err := s.svc.UpdateProfile(s.ctx, a, u); err != nil {
		s.t.Fatal(err)
	}
}

// fresh reads an account again: the pages change its counts and settings.
func (s *pagesSite) fresh(a *starling.Account) *starling.Account {
	s.t.Helper()
	out, err := s.svc.Account(s.ctx, a.ID)
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

// lookup finds an account by username.
func (s *pagesSite) lookup(username string) *starling.Account {
	s.t.Helper()
	a, err := s.svc.LookupAccount(s.ctx, username)
	if err != nil {
		s.t.Fatal(err)
	}
	return a
}

// pagesBrowser is a browser with a shortcut for posting the site's forms.
type pagesBrowser struct{ *browser }

// as returns a browser signed in through the form as username.
func (s *pagesSite) as(username string) *pagesBrowser {
	s.t.Helper()
	b := &pagesBrowser{s.newBrowser()}
	b.signIn(username, "password123")
	return b
}

// anon returns a signed-out browser.
func (s *pagesSite) anon() *pagesBrowser { return &pagesBrowser{s.newBrowser()} }

// act posts v to path with the browser's form token, as every form on the
// site does; for forms a test posts without first fetching their page.
func (b *pagesBrowser) act(path string, v url.Values) *response {
	b.t.Helper()
	if b.cookie(csrfCookie) == "" {
		b.get("/about") // a first visit hands out the token
	}
	out := url.Values{csrfField: {b.cookie(csrfCookie)}}
	for k, vs := range v {
		out[k] = vs
	}
	return b.post(path, out)
}

// ---- Reading pages ------------------------------------------------------------

// pgWant fails the test unless res has the status code.
func pgWant(t *testing.T, res *response, code int) {
	t.Helper()
	if res.StatusCode != code {
		t.Fatalf("%s %s: status %d, want %d:\n%s", res.Request.Method, res.Request.URL.Path, res.StatusCode, code, pgShort(res.Body))
	}
}

// pgWantRedirect fails the test unless res is a 303 to location.
func pgWantRedirect(t *testing.T, res *response, location string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != location {
		t.Fatalf("%s %s: status %d to %q, want 303 to %q:\n%s", res.Request.Method, res.Request.URL.Path,
			res.StatusCode, res.Header.Get("Location"), location, pgShort(res.Body))
	}
}

// pgShort is the main content of a page, for failure messages.
func pgShort(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	if len(body) > 1500 {
		body = body[:1500] + "…"
	}
	return body
}

// pgArticles returns the posts on a page.
func pgArticles(n *html.Node) []*html.Node {
	return findAll(n, func(n *html.Node) bool {
		return n.Data == "article" && slices.Contains(strings.Fields(attr(n, "class")), "status")
	})
}

// pgFeed returns the posts of the page's feed, in order.
func pgFeed(t *testing.T, res *response) []*html.Node {
	t.Helper()
	feed := byID(res.Doc, "feed")
	if feed == nil {
		t.Fatalf("%s: no feed:\n%s", res.Request.URL.Path, pgShort(res.Body))
	}
	return pgArticles(feed)
}

// pgShows reports whether the page shows the post with that ID as itself,
// not as a repost: an article whose id ends in "s-ID" (the notifications
// and pinned posts prefix it).
func pgShows(res *response, id int64) bool {
	return len(findAll(res.Doc, func(n *html.Node) bool {
		return n.Data == "article" && strings.HasSuffix(attr(n, "id"), "s-"+starling.FormatID(id))
	})) > 0
}

// pgToggle returns the button of the action form for post id ("favourite",
// "unbookmark"...), or nil.
func pgToggle(doc *html.Node, id int64, act string) *html.Node {
	action := "/statuses/" + starling.FormatID(id) + "/" + act
	for _, f := range findAll(doc, func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == action }) {
		if b := findAll(f, func(n *html.Node) bool { return n.Data == "button" }); len(b) > 0 {
			return b[0]
		}
	}
	return nil
}

// pgForm returns the form with that action, or nil.
func pgForm(doc *html.Node, action string) *html.Node {
	if f := findAll(doc, func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == action }); len(f) > 0 {
		return f[0]
	}
	return nil
}

// pgMeta returns the content of the <meta> with key=value ("property", "og:url").
func pgMeta(doc *html.Node, key, value string) string {
	m := findAll(doc, func(n *html.Node) bool { return n.Data == "meta" && attr(n, key) == value })
	if len(m) != 1 {
		return fmt.Sprintf("(%d meta %s=%s)", len(m), key, value)
	}
	return attr(m[0], "content")
}

// pgLinks returns the <link> elements with that rel.
func pgLinks(doc *html.Node, rel string) []*html.Node {
	return findAll(doc, func(n *html.Node) bool { return n.Data == "link" && attr(n, "rel") == rel })
}

// pgErrorLinks returns where the error summary's links point ("#field"),
// failing unless there is exactly one summary.
func pgErrorLinks(t *testing.T, res *response) []string {
	t.Helper()
	alerts := findAll(res.Doc, func(n *html.Node) bool { return attr(n, "role") == "alert" })
	if len(alerts) != 1 {
		t.Fatalf("%d error summaries:\n%s", len(alerts), pgShort(res.Body))
	}
	var out []string
	for _, a := range findAll(alerts[0], func(n *html.Node) bool { return n.Data == "a" }) {
		out = append(out, attr(a, "href"))
	}
	return out
}

// pgMain is the text of the page's main content.
func pgMain(res *response) string {
	if m := byID(res.Doc, "main"); m != nil {
		return text(m)
	}
	return ""
}

// pgUnread is the unread count the navigation shows, "" for none.
func pgUnread(doc *html.Node) string {
	for _, a := range findAll(doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "/notifications" }) {
		if b := findAll(a, func(n *html.Node) bool { return attr(n, "class") == "badge" }); len(b) > 0 {
			return text(b[0])
		}
	}
	return ""
}

// ---- 1. Who sees which posts --------------------------------------------------

func TestPagesVisibility(t *testing.T) {
	s := newPagesSite(t)
	alice, bob := s.member("alice"), s.member("bob")
	s.member("carol")
	s.member("dave")
	s.follows(bob, alice)
	pub := s.post(alice, starling.VisibilityPublic, "Public news for everyone #care")
	unl := s.post(alice, starling.VisibilityUnlisted, "Unlisted aside #care")
	priv := s.post(alice, starling.VisibilityPrivate, "Followers only update #care")
	dm := s.post(alice, starling.VisibilityDirect, "@carol a direct word #care")

	readers := []struct {
		name     string
		b        *pagesBrowser
		priv, dm bool // may read the followers-only post, the direct message
	}{
		{"signed out", s.anon(), false, false},
		{"non-follower", s.as("dave"), false, false},
		{"follower", s.as("bob"), true, false},
		{"mentioned", s.as("carol"), false, true},
		{"author", s.as("alice"), true, true},
	}
	for _, r := range readers {
		t.Run(r.name, func(t *testing.T) {
			// The post pages: a post one may not read does not exist.
			for _, tt := range []struct {
				s    *starling.Status
				want bool
			}{{pub, true}, {unl, true}, {priv, r.priv}, {dm, r.dm}} {
				res := r.b.get(statusPath(tt.s))
				if !tt.want {
					pgWant(t, res, http.StatusNotFound)
					if strings.Contains(res.Body, tt.s.Text) {
						t.Errorf("the 404 for %q shows its text", tt.s.Text)
					}
					continue
				}
				pgWant(t, res, http.StatusOK)
				if !strings.Contains(pgMain(res), tt.s.Text) {
					t.Errorf("%s does not show %q", statusPath(tt.s), tt.s.Text)
				}
			}

			// The profile lists public and unlisted posts, and followers-only
			// ones to followers; nothing unreadable leaks into the page.
			prof := r.b.get("/@alice")
			pgWant(t, prof, http.StatusOK)
			for _, st := range []*starling.Status{pub, unl} {
				if !pgShows(prof, st.ID) {
					t.Errorf("profile lacks %q", st.Text)
				}
			}
			if got := pgShows(prof, priv.ID); got != r.priv {
				t.Errorf("profile shows the followers-only post: %v, want %v", got, r.priv)
			}
			if !r.priv && strings.Contains(prof.Body, priv.Text) {
				t.Error("the followers-only text is in the profile page")
			}
			if !r.dm && strings.Contains(prof.Body, "a direct word") {
				t.Error("the direct message is in the profile page")
			}

			// The local timeline and the hashtag page are public posts only,
			// whoever reads them.
			for _, path := range []string{"/public/local", "/tags/care"} {
				res := r.b.get(path)
				pgWant(t, res, http.StatusOK)
				feed := pgFeed(t, res)
				if len(feed) != 1 || !pgShows(res, pub.ID) {
					t.Errorf("%s shows %d posts, want only the public one:\n%s", path, len(feed), pgMain(res))
				}
			}
		})
	}
}

// ---- 2. Posting -----------------------------------------------------------------

func TestPagesCompose(t *testing.T) {
	s := newPagesSite(t)
	alice, bob := s.member("alice"), s.member("bob")
	b := s.as("alice")

	t.Run("FromHome", func(t *testing.T) {
		home := b.get("/")
		v := hiddenFields(t, home, "/statuses")
		for _, k := range []string{csrfField, "idempotency_key", "return"} {
			if v.Get(k) == "" {
				t.Errorf("compose form has no %s", k)
			}
		}
		if v.Get("return") != "/" {
			t.Errorf("returns to %q", v.Get("return"))
		}
		res := b.submit(home, "/statuses", url.Values{"status": {"First post from the web"}})
		pgWantRedirect(t, res, "/")
		feed := pgFeed(t, b.follow(res))
		if len(feed) != 1 || !strings.Contains(text(feed[0]), "First post from the web") {
			t.Errorf("home feed after posting: %d posts", len(feed))
		}
	})

	t.Run("SameKeyPostsOnce", func(t *testing.T) {
		v := hiddenFields(t, b.get("/"), "/statuses")
		v.Set("status", "Did this post twice?")
		pgWantRedirect(t, b.post("/statuses", v), "/")
		pgWantRedirect(t, b.post("/statuses", v), "/") // a double click, or the back button and again
		n := 0
		for _, a := range pgFeed(t, b.get("/")) {
			if strings.Contains(text(a), "Did this post twice?") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d posts, want 1", n)
		}
		// A new page gives a new key: the same text may be posted again on purpose.
		w := hiddenFields(t, b.get("/"), "/statuses")
		if w.Get("idempotency_key") == v.Get("idempotency_key") {
			t.Error("the key did not change")
		}
	})

	t.Run("TooLongKeepsDraft", func(t *testing.T) {
		before := s.fresh(alice).StatusesCount
		long := strings.Repeat("word ", 101) // 505 characters
		res := b.submit(b.get("/"), "/statuses", url.Values{"status": {long}, "spoiler_text": {"Long read"}, "visibility": {"unlisted"}})
		pgWant(t, res, http.StatusUnprocessableEntity)
		area := byID(res.Doc, "compose")
		if area == nil || area.Data != "textarea" {
			t.Fatalf("no compose textarea:\n%s", pgShort(res.Body))
		}
		if got := area.FirstChild; got == nil || got.Data != long {
			t.Error("the draft is not kept in the textarea")
		}
		if attr(area, "aria-invalid") != "true" {
			t.Error("textarea not marked invalid")
		}
		if cw := byID(res.Doc, "compose-cw"); cw == nil || attr(cw, "value") != "Long read" {
			t.Error("content warning not kept")
		}
		sel := findAll(res.Doc, func(n *html.Node) bool { return n.Data == "option" && hasAttr(n, "selected") })
		if len(sel) != 1 || attr(sel[0], "value") != "unlisted" {
			t.Error("visibility not kept")
		}
		if links := pgErrorLinks(t, res); !slices.Equal(links, []string{"#compose"}) {
			t.Errorf("error summary links to %v", links)
		}
		if !strings.Contains(pgMain(res), "character limit of 500") {
			t.Errorf("error does not say why: %s", pgMain(res))
		}
		if got := s.fresh(alice).StatusesCount; got != before {
			t.Errorf("%d posts, want %d", got, before)
		}
		// Shortened, the same form posts and goes back where it was written.
		res = b.submit(res, "/statuses", url.Values{"status": {"Shorter now"}})
		pgWantRedirect(t, res, "/")
	})

	t.Run("Reply", func(t *testing.T) {
		parent := s.post(bob, starling.VisibilityPublic, "What do you all think?")
		page := b.get(statusPath(parent))
		pgWant(t, page, http.StatusOK)
		if v := hiddenFields(t, page, "/statuses"); v.Get("in_reply_to_id") != starling.FormatID(parent.ID) {
			t.Fatalf("reply form replies to %q", v.Get("in_reply_to_id"))
		}
		if area := byID(page.Doc, "reply"); area == nil || text(area) != "@bob" {
			t.Error("reply box does not start with @bob")
		}
		res := b.submit(page, "/statuses", url.Values{"status": {"@bob I agree with this"}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/@alice/") {
			t.Fatalf("status %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		own := b.follow(res)
		pgWant(t, own, http.StatusOK)
		if !pgShows(own, parent.ID) {
			t.Error("the reply's page does not show what it replies to")
		}
		// Anyone reading the thread sees the reply under the post.
		thread := s.anon().get(statusPath(parent))
		replies := byID(thread.Doc, "replies-heading")
		if replies == nil || !strings.Contains(text(replies.Parent), "I agree with this") {
			t.Errorf("the thread has no reply:\n%s", pgShort(thread.Body))
		}
	})

	t.Run("FailedReplyButtonsComeBack", func(t *testing.T) {
		// A reply that is too long is shown again with the post it answers;
		// that post's buttons must return to a page that exists, not to
		// POST /statuses.
		parent := s.post(bob, starling.VisibilityPublic, "Another question")
		res := b.submit(b.get(statusPath(parent)), "/statuses", url.Values{"status": {strings.Repeat("x", 501)}})
		pgWant(t, res, http.StatusUnprocessableEntity)
		if !pgShows(res, parent.ID) {
			t.Fatal("the draft's page does not show the post it replies to")
		}
		fav := b.submit(res, "/statuses/"+starling.FormatID(parent.ID)+"/favourite", nil)
		if fav.StatusCode != http.StatusSeeOther {
			t.Fatalf("favourite: %d", fav.StatusCode)
		}
		back := b.follow(fav)
		pgWant(t, back, http.StatusOK)
		if !pgShows(back, parent.ID) {
			t.Errorf("came back to %s, which does not show the post", fav.Header.Get("Location"))
		}
	})

	t.Run("CSRF", func(t *testing.T) {
		before := s.fresh(alice).StatusesCount
		v := hiddenFields(t, b.get("/"), "/statuses")
		v.Set("status", "Sent by another site")
		v.Del(csrfField)
		pgWant(t, b.post("/statuses", v), http.StatusForbidden)
		v.Set(csrfField, strings.Repeat("A", 43))
		pgWant(t, b.post("/statuses", v), http.StatusForbidden)
		if got := s.fresh(alice).StatusesCount; got != before {
			t.Errorf("posted without a valid form token")
		}
	})

	t.Run("OffSiteReturnRefused", func(t *testing.T) {
		v := hiddenFields(t, b.get("/"), "/statuses")
		v.Set("status", "Where do I go next?")
		v.Set("return", "//evil.example/")
		pgWantRedirect(t, b.post("/statuses", v), "/")
	})

	t.Run("SignedOut", func(t *testing.T) {
		pgWantRedirect(t, s.anon().act("/statuses", url.Values{"status": {"Who am I?"}}), "/auth/sign_in")
		pgWantRedirect(t, s.anon().get("/compose"), "/auth/sign_in?next=%2Fcompose")
	})

	t.Run("DirectFromProfile", func(t *testing.T) {
		// "Message" on a profile opens a direct message to that person.
		form := b.get("/compose?visibility=direct&to=bob")
		pgWant(t, form, http.StatusOK)
		if v := hiddenFields(t, form, "/statuses"); v.Get("visibility") != "direct" {
			t.Fatalf("visibility %q", v.Get("visibility"))
		}
		res := b.submit(form, "/statuses", url.Values{"status": {"@bob just between us"}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/@alice/") {
			t.Fatalf("status %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		msg := b.follow(res)
		pgWant(t, msg, http.StatusOK)
		pgWant(t, s.anon().get(msg.Request.URL.Path), http.StatusNotFound)
		pgWant(t, s.as("bob").get(msg.Request.URL.Path), http.StatusOK)
	})
}

// ---- 3. Acting on posts ---------------------------------------------------------

func TestPagesStatusActions(t *testing.T) {
	s := newPagesSite(t)
	alice, bob := s.member("alice"), s.member("bob")
	s.follows(alice, bob)
	post := s.post(bob, starling.VisibilityPublic, "Worth a favourite")
	id := starling.FormatID(post.ID)
	b := s.as("alice")

	// Each action from bob's profile comes back to the post on the profile,
	// where its button now says it is pressed.
	for _, tt := range []struct {
		act, undo string
		check     func(t *testing.T, on bool)
	}{
		{"favourite", "unfavourite", func(t *testing.T, on bool) {
			if got := pgShows(b.get("/favourites"), post.ID); got != on {
				t.Errorf("on the favourites page: %v", got)
			}
		}},
		{"bookmark", "unbookmark", func(t *testing.T, on bool) {
			if got := pgShows(b.get("/bookmarks"), post.ID); got != on {
				t.Errorf("on the bookmarks page: %v", got)
			}
		}},
		{"reblog", "unreblog", func(t *testing.T, on bool) {
			prof := b.get("/@alice")
			if got := strings.Contains(pgMain(prof), "alice reposted"); got != on {
				t.Errorf("repost on alice's profile: %v", got)
			}
		}},
	} {
		t.Run(tt.act, func(t *testing.T) {
			page := b.get("/@bob")
			if btn := pgToggle(page.Doc, post.ID, tt.act); btn == nil || attr(btn, "aria-pressed") != "false" {
				t.Fatalf("no unpressed %s button", tt.act)
			}
			if v := hiddenFields(t, page, "/statuses/"+id+"/"+tt.act); v.Get("return") != "/@bob#s-"+id {
				t.Errorf("returns to %q", v.Get("return"))
			}
			res := b.submit(page, "/statuses/"+id+"/"+tt.act, nil)
			pgWantRedirect(t, res, "/@bob#s-"+id)
			page = b.follow(res)
			btn := pgToggle(page.Doc, post.ID, tt.undo)
			if btn == nil || attr(btn, "aria-pressed") != "true" || pgToggle(page.Doc, post.ID, tt.act) != nil {
				t.Fatalf("after %s: no pressed %s button", tt.act, tt.undo)
			}
			tt.check(t, true)

			res = b.submit(page, "/statuses/"+id+"/"+tt.undo, nil)
			pgWantRedirect(t, res, "/@bob#s-"+id)
			page = b.follow(res)
			if btn := pgToggle(page.Doc, post.ID, tt.act); btn == nil || attr(btn, "aria-pressed") != "false" {
				t.Fatalf("after %s: no unpressed %s button", tt.undo, tt.act)
			}
			tt.check(t, false)
		})
	}

	t.Run("CountShown", func(t *testing.T) {
		pgWantRedirect(t, s.as("bob").act("/statuses/"+id+"/favourite", url.Values{"return": {"/"}}), "/")
		btn := pgToggle(s.anon().get("/@bob").Doc, post.ID, "favourite")
		if btn != nil {
			t.Error("signed-out visitors get action buttons")
		}
		if !strings.Contains(pgMain(s.anon().get(statusPath(post))), "1 favourite") {
			t.Error("signed-out visitors do not see the count")
		}
	})

	t.Run("OffSiteReturnRefused", func(t *testing.T) {
		for _, ret := range []string{"//evil.example/", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", ""} {
			pgWantRedirect(t, b.act("/statuses/"+id+"/bookmark", url.Values{"return": {ret}}), "/statuses/"+id)
		}
		// The fallback leads to the post.
		res := b.get("/statuses/" + id)
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != statusPath(post) {
			t.Errorf("/statuses/%s: %d to %q", id, res.StatusCode, res.Header.Get("Location"))
		}
	})

	t.Run("Refused", func(t *testing.T) {
		pgWant(t, b.act("/statuses/"+id+"/explode", nil), http.StatusNotFound)
		secret := s.post(s.member("carol"), starling.VisibilityPrivate, "Only for my followers")
		pgWant(t, b.act("/statuses/"+starling.FormatID(secret.ID)+"/favourite", nil), http.StatusNotFound)
		pgWantRedirect(t, s.anon().act("/statuses/"+id+"/favourite", nil), "/auth/sign_in")
	})

	t.Run("DeleteOwn", func(t *testing.T) {
		own := s.post(alice, starling.VisibilityPublic, "A post to regret")
		del := "/statuses/" + starling.FormatID(own.ID) + "/delete"
		prof := b.get("/@alice")
		if len(findAll(prof.Doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == del })) != 1 {
			t.Error("no delete link on one's own post")
		}
		confirm := b.get(del)
		pgWant(t, confirm, http.StatusOK)
		if !pgShows(confirm, own.ID) || pgForm(confirm.Doc, del) == nil {
			t.Fatalf("confirmation page:\n%s", pgShort(confirm.Body))
		}
		pgWantRedirect(t, b.submit(confirm, del, nil), "/@alice")
		pgWant(t, b.get(statusPath(own)), http.StatusNotFound)
		pgWant(t, b.get(del), http.StatusNotFound)
	})

	t.Run("DeleteOthersRefused", func(t *testing.T) {
		del := "/statuses/" + id + "/delete"
		if len(findAll(b.get("/@bob").Doc, func(n *html.Node) bool { return attr(n, "href") == del })) != 0 {
			t.Error("a delete link on someone else's post")
		}
		pgWant(t, b.get(del), http.StatusForbidden)
		res := b.act(del, nil)
		if res.StatusCode < 400 {
			t.Fatalf("deleting bob's post: %d", res.StatusCode)
		}
		pgWant(t, s.anon().get(statusPath(post)), http.StatusOK)
	})
}

// ---- 4. Following -------------------------------------------------------------------

func TestPagesFollow(t *testing.T) {
	s := newPagesSite(t)
	s.member("alice")
	bob, carol := s.member("bob"), s.member("carol")
	locked := true
	s.profile(carol, starling.ProfileUpdate{Locked: &locked})
	b := s.as("alice")
	followBob, unfollowBob := "/accounts/"+starling.FormatID(bob.ID)+"/follow", "/accounts/"+starling.FormatID(bob.ID)+"/unfollow"

	t.Run("FollowUnfollow", func(t *testing.T) {
		page := b.get("/@bob")
		if f := pgForm(page.Doc, followBob); f == nil || text(f) != "Follow" {
			t.Fatalf("no Follow button:\n%s", pgShort(page.Body))
		}
		res := b.submit(page, followBob, nil)
		pgWantRedirect(t, res, "/@bob")
		page = b.follow(res)
		if f := pgForm(page.Doc, unfollowBob); f == nil || text(f) != "Unfollow" {
			t.Fatal("no Unfollow button after following")
		}
		if !strings.Contains(pgMain(page), "1 followers") || s.fresh(bob).FollowersCount != 1 {
			t.Errorf("follower count: %s", pgMain(page))
		}
		pgWantRedirect(t, b.submit(page, unfollowBob, nil), "/@bob")
		if pgForm(b.get("/@bob").Doc, followBob) == nil || s.fresh(bob).FollowersCount != 0 {
			t.Error("still following")
		}
	})

	t.Run("OneselfNoButton", func(t *testing.T) {
		page := b.get("/@alice")
		if len(findAll(page.Doc, func(n *html.Node) bool { return n.Data == "form" && strings.HasPrefix(attr(n, "action"), "/accounts/") })) != 0 {
			t.Error("a follow button on one's own profile")
		}
	})

	t.Run("RequestApproved", func(t *testing.T) {
		path := "/accounts/" + starling.FormatID(carol.ID) + "/follow"
		page := b.get("/@carol")
		if !strings.Contains(pgMain(page), "Approves followers") {
			t.Error("locked profile does not say so")
		}
		page = b.follow(b.submit(page, path, nil))
		if !strings.Contains(pgMain(page), "Cancel follow request") {
			t.Fatalf("after asking:\n%s", pgShort(page.Body))
		}
		c := s.as("carol")
		notes := c.get("/notifications")
		if !strings.Contains(pgMain(notes), "alice asked to follow you") {
			t.Errorf("no notification of the request: %s", pgMain(notes))
		}
		reqs := c.get("/follow_requests")
		approve := "/follow_requests/" + starling.FormatID(s.lookup("alice").ID) + "/authorize"
		if pgForm(reqs.Doc, approve) == nil || !strings.Contains(pgMain(reqs), "@alice") {
			t.Fatalf("follow requests:\n%s", pgShort(reqs.Body))
		}
		res := c.submit(reqs, approve, nil)
		pgWantRedirect(t, res, "/follow_requests")
		if !strings.Contains(pgMain(c.follow(res)), "No one is waiting") {
			t.Error("the request is still listed")
		}
		if !strings.Contains(pgMain(b.get("/@carol")), "Unfollow") || s.fresh(carol).FollowersCount != 1 {
			t.Error("alice does not follow carol after approval")
		}
	})

	t.Run("RequestRejected", func(t *testing.T) {
		dave := s.member("dave")
		d := s.as("dave")
		d.submit(d.get("/@carol"), "/accounts/"+starling.FormatID(carol.ID)+"/follow", nil)
		c := s.as("carol")
		reject := "/follow_requests/" + starling.FormatID(dave.ID) + "/reject"
		pgWantRedirect(t, c.submit(c.get("/follow_requests"), reject, nil), "/follow_requests")
		if f := pgForm(d.get("/@carol").Doc, "/accounts/"+starling.FormatID(carol.ID)+"/follow"); f == nil {
			t.Error("dave's request is still pending")
		}
	})
}

// ---- 5. Lists ---------------------------------------------------------------------

func TestPagesLists(t *testing.T) {
	s := newPagesSite(t)
	alice, bob, carol := s.member("alice"), s.member("bob"), s.member("carol")
	dave := s.member("dave")
	s.follows(alice, bob)
	s.follows(alice, carol)
	b := s.as("alice")

	// A blank name is refused, with the error linked to the input.
	res := b.submit(b.get("/lists"), "/lists", url.Values{"title": {"   "}})
	pgWant(t, res, http.StatusUnprocessableEntity)
	if links := pgErrorLinks(t, res); !slices.Equal(links, []string{"#list-title"}) {
		t.Errorf("error links to %v", links)
	}
	if in := byID(res.Doc, "list-title"); in == nil || attr(in, "aria-invalid") != "true" || attr(in, "aria-describedby") != "list-title-error" {
		t.Error("input not marked invalid")
	}

	res = b.submit(b.get("/lists"), "/lists", url.Values{"title": {"Care leaders"}})
	loc := res.Header.Get("Location")
	listPath, ok := strings.CutSuffix(loc, "/edit")
	if res.StatusCode != http.StatusSeeOther || !ok || !strings.HasPrefix(listPath, "/lists/") {
		t.Fatalf("create: %d to %q", res.StatusCode, loc)
	}
	editPath := listPath + "/edit"
	member := func(a *starling.Account, change string) string {
		return listPath + "/members/" + starling.FormatID(a.ID) + "/" + change
	}
	onList := func(a *starling.Account) bool {
		return pgForm(b.get(editPath).Doc, member(a, "remove")) != nil
	}

	edit := b.follow(res)
	pgWant(t, edit, http.StatusOK)
	if pgForm(edit.Doc, member(bob, "add")) == nil || pgForm(edit.Doc, member(carol, "add")) == nil {
		t.Fatalf("followed accounts cannot be added:\n%s", pgShort(edit.Body))
	}
	pgWantRedirect(t, b.submit(edit, member(bob, "add"), nil), editPath)
	if !onList(bob) || onList(carol) {
		t.Fatal("bob is not on the list, or carol is")
	}

	// The list's timeline has its members' posts and no one else's.
	fromBob := s.post(bob, starling.VisibilityPublic, "From a list member")
	fromCarol := s.post(carol, starling.VisibilityPublic, "From someone else")
	tl := b.get(listPath)
	pgWant(t, tl, http.StatusOK)
	if !pgShows(tl, fromBob.ID) || pgShows(tl, fromCarol.ID) {
		t.Errorf("list timeline:\n%s", pgMain(tl))
	}

	// Only accounts one follows can be added.
	if res := b.act(member(dave, "add"), nil); res.StatusCode < 400 || onList(dave) {
		t.Errorf("added someone alice does not follow: %d", res.StatusCode)
	}

	// Renaming, and a blank name again refused.
	pgWantRedirect(t, b.submit(b.get(editPath), listPath, url.Values{"title": {"Leaders in care"}}), editPath)
	if !strings.Contains(pgMain(b.get("/lists")), "Leaders in care") {
		t.Error("the list was not renamed")
	}
	res = b.submit(b.get(editPath), listPath, url.Values{"title": {""}})
	pgWant(t, res, http.StatusUnprocessableEntity)
	if links := pgErrorLinks(t, res); !slices.Equal(links, []string{"#list-title"}) {
		t.Errorf("error links to %v", links)
	}
	// The buttons on the page shown again come back to the edit page.
	if v := hiddenFields(t, res, member(carol, "add")); v.Get("return") != editPath {
		t.Errorf("add button returns to %q", v.Get("return"))
	}

	// Someone else can neither see nor change the list.
	other := s.as("bob")
	pgWant(t, other.get(listPath), http.StatusNotFound)
	pgWant(t, other.get(editPath), http.StatusNotFound)
	pgWant(t, other.act(listPath, url.Values{"title": {"Taken over"}}), http.StatusNotFound)
	pgWant(t, other.act(member(bob, "remove"), nil), http.StatusNotFound)
	pgWant(t, other.act(listPath+"/delete", nil), http.StatusNotFound)
	if strings.Contains(pgMain(other.get("/lists")), "Leaders in care") {
		t.Error("bob sees alice's list")
	}
	if !onList(bob) || !strings.Contains(pgMain(b.get("/lists")), "Leaders in care") {
		t.Error("bob changed alice's list")
	}

	// Taking bob off takes his posts out of the list.
	pgWantRedirect(t, b.submit(b.get(editPath), member(bob, "remove"), nil), editPath)
	if onList(bob) || pgShows(b.get(listPath), fromBob.ID) {
		t.Error("bob is still on the list")
	}

	// Deleting.
	pgWantRedirect(t, b.submit(b.get(editPath), listPath+"/delete", nil), "/lists")
	if !strings.Contains(pgMain(b.get("/lists")), "You have no lists yet") {
		t.Error("the list is still there")
	}
	pgWant(t, b.get(listPath), http.StatusNotFound)
}

// ---- 6. Search ----------------------------------------------------------------------

func TestPagesSearch(t *testing.T) {
	s := newPagesSite(t)
	s.member("alice")
	jo := s.member("jbloggs")
	name := "Josephine Bloggs"
	s.profile(jo, starling.ProfileUpdate{DisplayName: &name})
	s.post(jo, starling.VisibilityPublic, "Hello from #SocialCareWeek")
	b := s.as("alice")
	follow := "/accounts/" + starling.FormatID(jo.ID) + "/follow"

	res := b.get("/search?q=Josephine")
	pgWant(t, res, http.StatusOK)
	if !strings.Contains(pgMain(res), "Josephine Bloggs @jbloggs") || pgForm(res.Doc, follow) == nil {
		t.Fatalf("search by name:\n%s", pgShort(res.Body))
	}
	// Following from the results comes back to them.
	pgWantRedirect(t, b.submit(res, follow, nil), "/search?q=Josephine")
	if pgForm(b.get("/search?q=jbloggs").Doc, "/accounts/"+starling.FormatID(jo.ID)+"/unfollow") == nil {
		t.Error("no Unfollow button after following")
	}

	for _, q := range []string{"#socialcareweek", "socialcare"} {
		res = b.get("/search?q=" + url.QueryEscape(q))
		if len(findAll(res.Doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "/tags/socialcareweek" })) != 1 {
			t.Errorf("%q: no link to the hashtag:\n%s", q, pgMain(res))
		}
	}
	res = b.get("/search?q=nobody+here")
	if m := pgMain(res); !strings.Contains(m, "No one found") || !strings.Contains(m, "No hashtags found") {
		t.Errorf("empty results: %s", m)
	}
	if res := b.get("/search"); byID(res.Doc, "people-heading") != nil {
		t.Error("results without a query")
	}

	pgWantRedirect(t, s.anon().get("/search?q=Josephine"), "/auth/sign_in?next=%2Fsearch%3Fq%3DJosephine")
}

// ---- 7. Settings ----------------------------------------------------------------------

func TestPagesSettings(t *testing.T) {
	s := newPagesSite(t)
	alice := s.member("alice")

	t.Run("Profile", func(t *testing.T) {
		b := s.as("alice")
		res := b.submit(b.get("/settings/profile"), "/settings/profile", url.Values{
			"display_name": {"Alice Example"}, "note": {"Director of adult services in Leeds"},
			"field_name_0": {"Role"}, "field_value_0": {"Director"},
			"field_name_1": {""}, "field_value_1": {""},
			"locked": {"1"}, "discoverable": {"1"},
		})
		pgWantRedirect(t, res, "/settings/profile?saved=1")
		form := b.follow(res)
		if len(findAll(form.Doc, func(n *html.Node) bool { return attr(n, "role") == "status" })) != 1 {
			t.Error("no saved notice")
		}
		if in := byID(form.Doc, "display_name"); attr(in, "value") != "Alice Example" {
			t.Error("form does not show the saved name")
		}
		if !hasAttr(byID(form.Doc, "locked"), "checked") {
			t.Error("locked box not ticked")
		}

		prof := s.anon().get("/@alice")
		h1 := findAll(prof.Doc, func(n *html.Node) bool { return n.Data == "h1" })
		if len(h1) != 1 || text(h1[0]) != "Alice Example" {
			t.Errorf("profile heading %v", h1)
		}
		m := pgMain(prof)
		for _, want := range []string{"Director of adult services in Leeds", "Approves followers"} {
			if !strings.Contains(m, want) {
				t.Errorf("profile lacks %q: %s", want, m)
			}
		}
		dt := findAll(prof.Doc, func(n *html.Node) bool { return n.Data == "dt" })
		dd := findAll(prof.Doc, func(n *html.Node) bool { return n.Data == "dd" })
		if len(dt) != 1 || len(dd) != 1 || text(dt[0]) != "Role" || text(dd[0]) != "Director" {
			t.Errorf("profile details: %d labels, %d contents", len(dt), len(dd))
		}
		if got := s.fresh(alice).Fields; len(got) != 1 {
			t.Errorf("fields %+v: empty rows kept", got)
		}
	})

	t.Run("ProfileTooLong", func(t *testing.T) {
		b := s.as("alice")
		for _, tt := range []struct {
			field, value, input, says string
		}{
			{"display_name", strings.Repeat("n", 31), "display_name", "Display name is too long"},
			{"note", strings.Repeat("b", 501), "note", "Bio is too long"},
			{"field_value_2", strings.Repeat("v", 256), "field_value_2", "too long"},
		} {
			v := url.Values{"display_name": {"Alice Example"}, "note": {"Still here"}, "field_name_2": {"Website"}}
			v.Set(tt.field, tt.value)
			res := b.submit(b.get("/settings/profile"), "/settings/profile", v)
			pgWant(t, res, http.StatusUnprocessableEntity)
			if links := pgErrorLinks(t, res); !slices.Equal(links, []string{"#" + tt.input}) {
				t.Errorf("%s: error links to %v", tt.field, links)
			}
			// The template marks only the name and bio invalid; the detail
			// inputs have no error state in settings_profile.html, so for them
			// the summary's link is checked above and the input's presence here.
			in := byID(res.Doc, tt.input)
			if in == nil || tt.input != "field_value_2" && attr(in, "aria-invalid") != "true" {
				t.Errorf("%s not marked invalid", tt.input)
			}
			m := pgMain(res)
			if !strings.Contains(m, tt.says) || strings.Contains(m, "display_name") || strings.Contains(m, "fields_attributes") {
				t.Errorf("%s: message %q, want one that says %q in words", tt.field, m, tt.says)
			}
			// What was typed is kept.
			if attr(byID(res.Doc, "field_name_2"), "value") != "Website" {
				t.Errorf("%s: the other fields were not kept", tt.field)
			}
			if s.fresh(alice).Note == "Still here" {
				t.Errorf("%s: saved despite the error", tt.field)
			}
		}
	})

	t.Run("PasswordErrors", func(t *testing.T) {
		b := s.as("alice")
		for _, tt := range []struct {
			current, next, again, field string
		}{
			{"wrong password", "a brand new password", "a brand new password", "current_password"},
			{"password123", "a brand new password", "another new password", "password_confirmation"},
			{"password123", "short", "short", "password"},
		} {
			res := b.submit(b.get("/settings/password"), "/settings/password", url.Values{
				"current_password": {tt.current}, "password": {tt.next}, "password_confirmation": {tt.again}})
			pgWant(t, res, http.StatusUnprocessableEntity)
			if links := pgErrorLinks(t, res); !slices.Equal(links, []string{"#" + tt.field}) {
				t.Errorf("error links to %v, want #%s", links, tt.field)
			}
			if attr(byID(res.Doc, tt.field), "aria-invalid") != "true" {
				t.Errorf("%s not marked invalid", tt.field)
			}
		}
		s.as("alice") // the old password still works
	})

	t.Run("PasswordChangeSignsOutOthers", func(t *testing.T) {
		s.member("pat")
		here, there := s.as("pat"), s.as("pat")
		pgWant(t, there.get("/notifications"), http.StatusOK)
		res := here.submit(here.get("/settings/password"), "/settings/password", url.Values{
			"current_password": {"password123"}, "password": {"a brand new password"}, "password_confirmation": {"a brand new password"}})
		pgWantRedirect(t, res, "/settings/password?saved=1")
		if !strings.Contains(pgMain(here.follow(res)), "Your password is changed") {
			t.Error("no notice")
		}
		pgWantRedirect(t, there.get("/notifications"), "/auth/sign_in?next=%2Fnotifications")
		pgWant(t, here.get("/notifications"), http.StatusOK)

		fresh := s.anon()
		res = fresh.submit(fresh.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {"pat"}, "password": {"password123"}})
		pgWant(t, res, http.StatusUnauthorized)
		fresh.signIn("pat", "a brand new password")
	})

	t.Run("Sessions", func(t *testing.T) {
		s.member("sam")
		here, there := s.as("sam"), s.as("sam")
		page := here.get("/settings/sessions")
		rows := findAll(page.Doc, func(n *html.Node) bool {
			return n.Data == "tr" && len(findAll(n, func(n *html.Node) bool { return n.Data == "form" })) > 0
		})
		if len(rows) != 2 {
			t.Fatalf("%d sessions listed, want 2", len(rows))
		}
		var revoke string
		current := 0
		for _, r := range rows {
			if strings.Contains(text(r), "(this browser)") {
				current++
			} else {
				revoke = attr(findAll(r, func(n *html.Node) bool { return n.Data == "form" })[0], "action")
			}
		}
		if current != 1 || revoke == "" {
			t.Fatalf("this browser marked %d times", current)
		}
		pgWantRedirect(t, here.submit(page, revoke, nil), "/settings/sessions")
		pgWantRedirect(t, there.get("/notifications"), "/auth/sign_in?next=%2Fnotifications")
		pgWant(t, here.get("/notifications"), http.StatusOK)
		if n := len(findAll(here.get("/settings/sessions").Doc, func(n *html.Node) bool { return n.Data == "tr" })); n != 2 {
			t.Errorf("%d table rows after revoking, want a heading and one session", n)
		}

		// Someone else's session cannot be revoked from here.
		s.as("alice")
		tokens, _, err := s.svc.AccountTokens(s.ctx, alice)
		if err != nil || len(tokens) == 0 {
			t.Fatal(err)
		}
		pgWant(t, here.act("/settings/sessions/"+starling.FormatID(tokens[0].ID)+"/revoke", nil), http.StatusNotFound)
		if left, _, _ := s.svc.AccountTokens(s.ctx, alice); len(left) != len(tokens) {
			t.Error("revoked alice's session")
		}

		// Revoking this browser's own session signs it out.
		page = here.get("/settings/sessions")
		own := findAll(page.Doc, func(n *html.Node) bool {
			return n.Data == "form" && strings.HasPrefix(attr(n, "action"), "/settings/sessions/") && strings.Contains(text(n), "Sign out")
		})
		if len(own) != 1 {
			t.Fatal("no sign-out button for this browser")
		}
		pgWantRedirect(t, here.submit(page, attr(own[0], "action"), nil), "/")
		pgWantRedirect(t, here.get("/notifications"), "/auth/sign_in?next=%2Fnotifications")
	})
}

// ---- 8. The first-run guide ---------------------------------------------------------

func TestPagesStartGuide(t *testing.T) {
	s := newPagesSite(t)
	boss := s.mustStaff("boss")
	ana, ben := s.member("ana"), s.member("ben")
	s.follows(boss, ana)
	s.follows(boss, ben)

	// Staff put together a list to suggest, through the pages.
	staff := &pagesBrowser{s.newBrowser()}
	staff.signIn("boss", "password123")
	res := staff.submit(staff.get("/lists"), "/lists", url.Values{"title": {"Worth following"}})
	listPath, _ := strings.CutSuffix(res.Header.Get("Location"), "/edit")
	edit := staff.follow(res)
	for _, a := range []*starling.Account{ana, ben} {
		pgWantRedirect(t, staff.submit(staff.get(listPath+"/edit"), listPath+"/members/"+starling.FormatID(a.ID)+"/add", nil), listPath+"/edit")
	}
	if byID(edit.Doc, "featured") == nil {
		t.Fatal("staff cannot suggest a list")
	}
	pgWantRedirect(t, staff.submit(staff.get(listPath+"/edit"), listPath, url.Values{"title": {"Worth following"}, "replies_policy": {"list"}, "featured": {"1"}}), listPath+"/edit")
	if !hasAttr(byID(staff.get(listPath+"/edit").Doc, "featured"), "checked") {
		t.Fatal("the list is not suggested")
	}
	listID := strings.TrimPrefix(listPath, "/lists/")

	// A member cannot suggest their own list.
	s.follows(ana, ben)
	own, err := s.svc.CreateList(s.ctx, ana, starling.List{Title: "Ana's picks"})
	if err != nil {
		t.Fatal(err)
	}
	a := s.as("ana")
	if byID(a.get("/lists/"+starling.FormatID(own.ID)+"/edit").Doc, "featured") != nil {
		t.Error("members are offered to suggest a list")
	}
	a.act("/lists/"+starling.FormatID(own.ID), url.Values{"title": {"Ana's picks"}, "featured": {"1"}})
	if l, _ := s.svc.List(s.ctx, ana, own.ID); l == nil || l.Featured {
		t.Error("a member's list became suggested")
	}

	// Joining through the form starts the guide.
	nb := &pagesBrowser{s.newBrowser()}
	res = nb.submit(nb.get("/auth/sign_up"), "/auth/sign_up", signUpForm("newbie"))
	pgWantRedirect(t, res, "/start")
	step1 := nb.follow(res)
	pgWant(t, step1, http.StatusOK)
	if m := pgMain(step1); !strings.Contains(m, "Step 1 of 3") || !strings.Contains(m, "Never share anything that could identify") {
		t.Errorf("step 1: %s", m)
	}

	// Step 2 writes role, organisation and region as profile fields and keeps the others.
	newbie := s.lookup("newbie")
	s.profile(newbie, starling.ProfileUpdate{Fields: &[]starling.Field{{Name: "Website", Value: "https://example.org"}}})
	step2 := nb.get("/start/profile")
	if !strings.Contains(pgMain(step2), "Step 2 of 3") {
		t.Fatalf("step 2: %s", pgMain(step2))
	}
	res = nb.submit(step2, "/start/profile", url.Values{"role": {"Social worker"}, "organisation": {"Leeds City Council"}, "region": {"Yorkshire and the Humber"}})
	pgWantRedirect(t, res, "/start/follow")
	got := map[string]string{}
	for _, f := range s.fresh(newbie).Fields {
		got[f.Name] = f.Value
	}
	want := map[string]string{"Role": "Social worker", "Organisation": "Leeds City Council", "Region": "Yorkshire and the Humber", "Website": "https://example.org"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	again := nb.get("/start/profile")
	if attr(byID(again.Doc, "role"), "value") != "Social worker" || attr(byID(again.Doc, "organisation"), "value") != "Leeds City Council" {
		t.Error("step 2 does not show what was saved")
	}
	if sel := findAll(byID(again.Doc, "region"), func(n *html.Node) bool { return n.Data == "option" && hasAttr(n, "selected") }); len(sel) != 1 || text(sel[0]) != "Yorkshire and the Humber" {
		t.Error("region not selected")
	}

	// Step 3 suggests the list and the most followed members.
	step3 := nb.follow(res)
	m := pgMain(step3)
	if !strings.Contains(m, "Step 3 of 3") || !strings.Contains(m, "Worth following") || !strings.Contains(m, "ana") || !strings.Contains(m, "ben") {
		t.Fatalf("step 3: %s", m)
	}
	for _, who := range []*starling.Account{ana, ben} {
		if pgForm(step3.Doc, "/accounts/"+starling.FormatID(who.ID)+"/follow") == nil {
			t.Errorf("no Follow button for %s", who.Username)
		}
	}
	followAll := "/start/lists/" + listID + "/follow"
	if pgForm(step3.Doc, followAll) == nil {
		t.Fatal("no Follow everyone button")
	}
	res = nb.submit(step3, followAll, nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/start/follow?followed=") {
		t.Fatalf("follow everyone: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	done := nb.follow(res)
	if !strings.Contains(pgMain(done), "You now follow the people on “Worth following”") {
		t.Errorf("no confirmation: %s", pgMain(done))
	}
	rels, err := s.svc.Relationships(s.ctx, newbie, []int64{ana.ID, ben.ID})
	if err != nil || len(rels) != 2 || !rels[0].Following || !rels[1].Following {
		t.Errorf("not following the list's members: %v", err)
	}
	// The copy is among the member's lists, with the same people; doing it again makes no second copy.
	nb.submit(done, followAll, nil)
	lists, _ := s.svc.Lists(s.ctx, newbie)
	if len(lists) != 1 || lists[0].Title != "Worth following" {
		t.Fatalf("lists %+v", lists)
	}
	members, _ := s.svc.ListMembers(s.ctx, newbie, lists[0].ID, starling.Page{})
	if len(members) != 2 {
		t.Errorf("%d members on the copy", len(members))
	}
	// The notice names only a list the member has: a made-up title in the
	// address is not shown as if it were the site's word.
	fake := nb.get("/start/follow?followed=" + url.QueryEscape("Call 0800 000 000 to verify your account"))
	if strings.Contains(pgMain(fake), "0800") {
		t.Error("the guide repeats text from its address")
	}

	t.Run("FullProfileKeepsFields", func(t *testing.T) {
		// Four details already: adding three more must not quietly drop any.
		s.member("full")
		full := s.lookup("full")
		four := []starling.Field{{Name: "Website", Value: "a"}, {Name: "Pronouns", Value: "b"}, {Name: "Team", Value: "c"}, {Name: "Phone", Value: "d"}}
		s.profile(full, starling.ProfileUpdate{Fields: &four})
		b := s.as("full")
		res := b.submit(b.get("/start/profile"), "/start/profile", url.Values{"role": {"Carer"}, "organisation": {"Home care"}, "region": {"London"}})
		if got := s.fresh(full).Fields; !slices.Equal(got, four) {
			t.Errorf("fields now %+v", got)
		}
		pgWant(t, res, http.StatusUnprocessableEntity)
		pgErrorLinks(t, res)
		if attr(byID(res.Doc, "role"), "value") != "Carer" {
			t.Error("what was typed is lost")
		}
	})

	t.Run("OwnRegionKept", func(t *testing.T) {
		// A region typed in the settings is offered, so saving the step as
		// shown does not clear it.
		s.member("lee")
		lee := s.lookup("lee")
		mine := []starling.Field{{Name: "Region", Value: "Leeds and district"}}
		s.profile(lee, starling.ProfileUpdate{Fields: &mine})
		b := s.as("lee")
		page := b.get("/start/profile")
		sel := findAll(byID(page.Doc, "region"), func(n *html.Node) bool { return n.Data == "option" && hasAttr(n, "selected") })
		if len(sel) != 1 || text(sel[0]) != "Leeds and district" {
			t.Fatal("the member's region is not selected")
		}
		pgWantRedirect(t, b.submit(page, "/start/profile", url.Values{"region": {text(sel[0])}}), "/start/follow")
		if got := s.fresh(lee).Fields; !slices.Equal(got, mine) {
			t.Errorf("fields %+v", got)
		}
	})

	t.Run("ReplacesInPlace", func(t *testing.T) {
		s.member("mo")
		mo := s.lookup("mo")
		s.profile(mo, starling.ProfileUpdate{Fields: &[]starling.Field{{Name: "Website", Value: "w"}, {Name: "Role", Value: "Old role"}}})
		b := s.as("mo")
		pgWantRedirect(t, b.submit(b.get("/start/profile"), "/start/profile", url.Values{"role": {"New role"}}), "/start/follow")
		want := []starling.Field{{Name: "Website", Value: "w"}, {Name: "Role", Value: "New role"}}
		if got := s.fresh(mo).Fields; !slices.Equal(got, want) {
			t.Errorf("fields %+v, want %+v", got, want)
		}
	})
}

// ---- 9. Public metadata, feeds and escaping -------------------------------------------

// pgRSS is the part of an RSS 2.0 document the tests read.
type pgRSS struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title       string `xml:"title"`
		Link        string `xml:"link"`
		Description string `xml:"description"`
		Items       []struct {
			Title       string `xml:"title"`
			Link        string `xml:"link"`
			GUID        string `xml:"guid"`
			PubDate     string `xml:"pubDate"`
			Description string `xml:"description"`
		} `xml:"item"`
	} `xml:"channel"`
}

// pgMustRSS fetches and parses a feed, checking what every feed must be.
func pgMustRSS(t *testing.T, b *pagesBrowser, path string) *pgRSS {
	t.Helper()
	res := b.get(path)
	pgWant(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/rss+xml") {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	var feed pgRSS
	if err := xml.Unmarshal([]byte(res.Body), &feed); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, res.Body)
	}
	if feed.Version != "2.0" || feed.Channel.Title == "" || feed.Channel.Link == "" || feed.Channel.Description == "" {
		t.Errorf("%s: channel %+v", path, feed.Channel)
	}
	for _, it := range feed.Channel.Items {
		if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil || it.Link == "" || it.GUID == "" || it.Description == "" {
			t.Errorf("%s: item %+v", path, it)
		}
	}
	// Feeds are public and cacheable: no cookie may ride along, or a shared
	// cache would hand one visitor's form token to every other.
	if c := res.Header.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("%s: sets cookies %v", path, c)
	}
	return &feed
}

func TestPagesPublicMetadata(t *testing.T) {
	s := newPagesSite(t)
	alice, bob := s.member("alice"), s.member("bob")
	s.follows(bob, alice)
	bio := "Director of adult social services"
	s.profile(alice, starling.ProfileUpdate{Note: &bio})
	pub := s.post(alice, starling.VisibilityPublic, "Conference notes from #AdassSpring")
	s.post(alice, starling.VisibilityUnlisted, "Unlisted #AdassSpring aside")
	s.post(alice, starling.VisibilityPrivate, "Followers only #AdassSpring")
	s.post(alice, starling.VisibilityDirect, "@bob direct #AdassSpring")
	other := s.post(bob, starling.VisibilityPublic, "Bob at #adassspring too")
	base := s.srv.URL

	for _, tt := range []struct {
		path, canonical, title, description string
		altType, altHref                    string
	}{
		{"/@alice", base + "/@alice", "alice (@alice)", bio, "application/rss+xml", base + "/@alice.rss"},
		{statusPath(pub), base + statusPath(pub), "alice: “Conference notes from #AdassSpring”", "Conference notes from #AdassSpring",
			"application/json+oembed", base + "/api/oembed?url=" + url.QueryEscape(base+statusPath(pub))},
		{"/tags/adassspring", base + "/tags/adassspring", "#adassspring", "Public posts tagged #adassspring on Starling Test.", "application/rss+xml", base + "/tags/adassspring.rss"},
		{"/public/local", base + "/public/local", "Latest posts", "The latest public posts from members of Starling Test.", "", ""},
	} {
		t.Run(tt.path, func(t *testing.T) {
			res := s.anon().get(tt.path)
			pgWant(t, res, http.StatusOK)
			doc := res.Doc
			if c := pgLinks(doc, "canonical"); len(c) != 1 || attr(c[0], "href") != tt.canonical {
				t.Errorf("canonical %v, want %s", c, tt.canonical)
			}
			for k, want := range map[string]string{"og:url": tt.canonical, "og:title": tt.title, "og:description": tt.description} {
				if got := pgMeta(doc, "property", k); got != want {
					t.Errorf("%s %q, want %q", k, got, want)
				}
			}
			if got := pgMeta(doc, "name", "description"); got != tt.description {
				t.Errorf("description %q", got)
			}
			alts := pgLinks(doc, "alternate")
			if tt.altType == "" {
				if len(alts) != 0 {
					t.Errorf("%d alternates", len(alts))
				}
				return
			}
			if len(alts) != 1 || attr(alts[0], "type") != tt.altType || attr(alts[0], "href") != tt.altHref {
				t.Errorf("alternate links %v, want %s %s", alts, tt.altType, tt.altHref)
			}
		})
	}

	t.Run("TagCanonicalIsLowerCase", func(t *testing.T) {
		// One address per hashtag, however it was typed into the address bar.
		res := s.anon().get("/tags/AdassSpring")
		if c := pgLinks(res.Doc, "canonical"); len(c) != 1 || attr(c[0], "href") != base+"/tags/adassspring" {
			t.Errorf("canonical %v", c)
		}
	})

	t.Run("ProfileFeed", func(t *testing.T) {
		// Only public posts, whoever's browser asks.
		for _, b := range []*pagesBrowser{s.anon(), s.as("bob")} {
			feed := pgMustRSS(t, b, "/@alice.rss")
			if feed.Channel.Link != base+"/@alice" {
				t.Errorf("channel link %q", feed.Channel.Link)
			}
			if len(feed.Channel.Items) != 1 || feed.Channel.Items[0].Link != base+statusPath(pub) ||
				!strings.Contains(feed.Channel.Items[0].Description, "Conference notes") {
				t.Errorf("items %+v", feed.Channel.Items)
			}
		}
		pgWant(t, s.anon().get("/@nobody.rss"), http.StatusNotFound)
	})

	t.Run("TagFeed", func(t *testing.T) {
		for _, b := range []*pagesBrowser{s.anon(), s.as("bob")} {
			feed := pgMustRSS(t, b, "/tags/adassspring.rss")
			var links []string
			for _, it := range feed.Channel.Items {
				links = append(links, it.Link)
			}
			if !slices.Equal(links, []string{base + statusPath(other), base + statusPath(pub)}) {
				t.Errorf("items %v", links)
			}
		}
	})
}

func TestPagesEscapeUserText(t *testing.T) {
	s := newPagesSite(t)
	alice, mallory := s.member("alice"), s.member("mallory")
	evil := `<script>alert(1)</script>`
	img := `<img src=x onerror=alert(1)>`
	note := evil + img
	s.profile(mallory, starling.ProfileUpdate{DisplayName: &evil, Note: &note, Fields: &[]starling.Field{{Name: evil, Value: img}}})
	st, err := s.svc.PostStatus(s.ctx, mallory, starling.NewStatus{Text: evil + " " + img + " #xss @alice", SpoilerText: evil, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	s.follows(alice, mallory)
	mine := s.post(alice, starling.VisibilityPublic, "Harmless")
	if _, err := s.svc.Favourite(s.ctx, mallory, mine.ID); err != nil {
		t.Fatal(err)
	}
	s.post(mallory, starling.VisibilityDirect, "@alice "+evil)
	list, _ := s.svc.CreateList(s.ctx, alice, starling.List{Title: evil})
	if err := s.svc.AddListMembers(s.ctx, alice, list.ID, []int64{mallory.ID}); err != nil {
		t.Fatal(err)
	}

	anon, b := s.anon(), s.as("alice")
	lp := "/lists/" + starling.FormatID(list.ID)
	for _, p := range []struct {
		b    *pagesBrowser
		path string
	}{
		{anon, "/@mallory"}, {anon, statusPath(st)}, {anon, "/tags/xss"}, {anon, "/public/local"},
		{b, "/"}, {b, "/notifications"}, {b, "/search?q=mallory"}, {b, statusPath(st)}, {b, "/lists"}, {b, lp}, {b, lp + "/edit"},
		{b, "/compose?in_reply_to_id=" + starling.FormatID(st.ID)}, {b, "/conversations"},
	} {
		res := p.b.get(p.path)
		pgWant(t, res, http.StatusOK)
		bad := findAll(res.Doc, func(n *html.Node) bool {
			if n.Data == "script" && attr(n, "src") != "/static/app.js" || n.Data == "img" && attr(n, "src") == "x" {
				return true
			}
			return slices.ContainsFunc(n.Attr, func(a html.Attribute) bool { return strings.HasPrefix(a.Key, "on") })
		})
		if len(bad) > 0 {
			t.Errorf("%s: %d injected elements", p.path, len(bad))
		}
		if !strings.Contains(text(res.Doc), "<script>alert(1)</script>") {
			t.Errorf("%s: the text is not shown as typed", p.path)
		}
	}
	// The page title and link previews carry the text as text too.
	res := anon.get(statusPath(st))
	if titles := findAll(res.Doc, func(n *html.Node) bool { return n.Data == "title" }); len(titles) != 1 || !strings.HasPrefix(text(titles[0]), evil) {
		t.Errorf("title %v", titles)
	}
	feed := pgMustRSS(t, anon, "/@mallory.rss")
	if len(feed.Channel.Items) != 1 || strings.Contains(feed.Channel.Items[0].Description, "<script") {
		t.Errorf("feed items %+v", feed.Channel.Items)
	}
}

// ---- 10. Page weight ------------------------------------------------------------------

// TestPagesWeight keeps a home timeline page, with everything it loads from
// us, under 100 KB uncompressed, and checks it loads nothing from anywhere else.
func TestPagesWeight(t *testing.T) {
	s := newPagesSite(t)
	alice := s.member("alice")
	var authors []*starling.Account
	for i, n := range []string{"director", "frontline", "comms", "sector"} {
		a := s.member(n)
		name := []string{"Dana Director", "Fran Frontline", "Cal Comms", "Sol Sector"}[i]
		s.profile(a, starling.ProfileUpdate{DisplayName: &name})
		s.follows(alice, a)
		authors = append(authors, a)
	}
	// Realistic posts of about 250 characters, with a link, a hashtag and a mention.
	for i := range 20 {
		s.post(authors[i%len(authors)], starling.VisibilityPublic, fmt.Sprintf(
			"Post %d: our team has just published its review of hospital discharge support for older people, "+
				"with lessons for commissioners and providers. Read it at https://example.org/reports/%d and tell "+
				"us what you think, @alice. #socialcare", i, i))
	}
	b := s.as("alice")
	home := b.get("/")
	pgWant(t, home, http.StatusOK)
	if n := len(pgFeed(t, home)); n != 20 {
		t.Fatalf("%d posts on the page", n)
	}

	base := s.srv.URL
	fetched := map[string]bool{}
	var css, js, images int
	for _, n := range findAll(home.Doc, func(n *html.Node) bool { return n.Data == "link" || n.Data == "script" || n.Data == "img" }) {
		ref := attr(n, "src")
		if n.Data == "link" {
			ref = attr(n, "href")
		}
		if ref == "" {
			continue
		}
		local := strings.HasPrefix(ref, "/") && !strings.HasPrefix(ref, "//") || strings.HasPrefix(ref, base+"/")
		if !local {
			t.Errorf("<%s> refers to another host: %s", n.Data, ref)
			continue
		}
		if fetched[ref] {
			continue // the browser fetches each address once
		}
		fetched[ref] = true
		res := b.get(ref)
		pgWant(t, res, http.StatusOK)
		switch {
		case n.Data == "script":
			js += len(res.Body)
		case n.Data == "link" && attr(n, "rel") == "stylesheet":
			css += len(res.Body)
		case n.Data == "img":
			images += len(res.Body)
		}
	}
	if css == 0 || js == 0 {
		t.Fatalf("no stylesheet (%d) or script (%d) measured", css, js)
	}
	total := len(home.Body) + css + js
	t.Logf("home timeline with 20 posts: HTML %d bytes, CSS %d bytes, JS %d bytes, total %d bytes (%.1f KB of the 100 KB budget); images %d bytes besides",
		len(home.Body), css, js, total, float64(total)/1024, images)
	if total >= 100*1024 {
		t.Errorf("page weight %d bytes, over 100 KB", total)
	}
}

// ---- 11. Paging ---------------------------------------------------------------------------

func TestPagesPagination(t *testing.T) {
	s := newPagesSite(t)
	alice := s.member("alice")
	var posts []*starling.Status // oldest first
	for i := range 25 {
		posts = append(posts, s.post(alice, starling.VisibilityPublic, fmt.Sprintf("Numbered post %02d", i+1)))
	}
	ids := func(res *response) []string {
		var out []string
		for _, a := range pgFeed(t, res) {
			out = append(out, strings.TrimPrefix(attr(a, "id"), "s-"))
		}
		return out
	}
	want := func(from, to int) []string { // posts[from..to] newest first
		var out []string
		for i := to; i >= from; i-- {
			out = append(out, starling.FormatID(posts[i].ID))
		}
		return out
	}
	pagerLink := func(res *response, rel string) string {
		l := findAll(res.Doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "rel") == rel })
		if len(l) == 0 {
			return ""
		}
		return attr(l[0], "href")
	}

	for _, tt := range []struct {
		name, path string
		b          *pagesBrowser
	}{
		{"home", "/", s.as("alice")},
		{"profile", "/@alice", s.anon()},
		{"local", "/public/local", s.anon()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			first := tt.b.get(tt.path)
			if got := ids(first); !slices.Equal(got, want(5, 24)) {
				t.Fatalf("first page %v", got)
			}
			older := pagerLink(first, "next")
			if older == "" || pagerLink(first, "prev") != "" {
				t.Fatalf("first page links: older %q, newer %q", older, pagerLink(first, "prev"))
			}
			second := tt.b.get(older)
			pgWant(t, second, http.StatusOK)
			if got := ids(second); !slices.Equal(got, want(0, 4)) {
				t.Fatalf("second page %v", got)
			}
			if pagerLink(second, "next") != "" {
				t.Error("the last page links to an older one")
			}
			if tt.name == "home" && byID(second.Doc, "compose") != nil {
				t.Error("an older page has a compose box")
			}
			newer := pagerLink(second, "prev")
			if newer == "" {
				t.Fatal("no Newer link")
			}
			if got := ids(tt.b.get(newer)); !slices.Equal(got, want(5, 24)) {
				t.Errorf("newer page %v", got)
			}
		})
	}
}

// ---- 12. Notifications and messages --------------------------------------------------------

func TestPagesNotifications(t *testing.T) {
	s := newPagesSite(t)
	alice, bob, carol := s.member("alice"), s.member("bob"), s.member("carol")
	post := s.post(alice, starling.VisibilityPublic, "Please favourite this")
	if _, err := s.svc.Favourite(s.ctx, bob, post.ID); err != nil {
		t.Fatal(err)
	}
	s.follows(carol, alice)
	b := s.as("alice")

	if got := pgUnread(b.get("/").Doc); got != "2 unread" {
		t.Errorf("badge %q, want 2 unread", got)
	}
	page := b.get("/notifications")
	pgWant(t, page, http.StatusOK)
	items := findAll(page.Doc, func(n *html.Node) bool { return n.Data == "li" && strings.Contains(attr(n, "class"), "notification") })
	if len(items) != 2 {
		t.Fatalf("%d notifications:\n%s", len(items), pgShort(page.Body))
	}
	for i, want := range []string{"New: carol followed you", "New: bob favourited your post"} {
		if !strings.Contains(attr(items[i], "class"), "unread") || !strings.HasPrefix(text(items[i]), want) {
			t.Errorf("notification %d: %q (class %q), want %q", i, text(items[i]), attr(items[i], "class"), want)
		}
	}
	if !pgShows(page, post.ID) {
		t.Error("the favourited post is not shown")
	}

	// Having seen them, they are read: no badge, no "New".
	if got := pgUnread(b.get("/").Doc); got != "" {
		t.Errorf("badge %q after reading", got)
	}
	page = b.get("/notifications")
	if strings.Contains(pgMain(page), "New") {
		t.Error("still marked new")
	}

	// A later one is new on its own.
	s.follows(s.member("dave"), alice)
	if got := pgUnread(b.get("/").Doc); got != "1 unread" {
		t.Errorf("badge %q", got)
	}
	page = b.get("/notifications")
	unread := findAll(page.Doc, func(n *html.Node) bool { return n.Data == "li" && strings.Contains(attr(n, "class"), "unread") })
	if len(unread) != 1 || !strings.Contains(text(unread[0]), "dave followed you") {
		t.Errorf("unread %d", len(unread))
	}

	pgWantRedirect(t, s.anon().get("/notifications"), "/auth/sign_in?next=%2Fnotifications")
}

func TestPagesConversations(t *testing.T) {
	s := newPagesSite(t)
	alice := s.member("alice")
	s.member("bob")
	dm := s.post(alice, starling.VisibilityDirect, "@bob can we talk about the rota?")
	b := s.as("bob")

	page := b.get("/conversations")
	pgWant(t, page, http.StatusOK)
	convs := findAll(page.Doc, func(n *html.Node) bool { return n.Data == "li" && strings.Contains(attr(n, "class"), "conversation") })
	if len(convs) != 1 || !strings.Contains(attr(convs[0], "class"), "unread") || !strings.Contains(text(convs[0]), "With alice") ||
		!strings.Contains(text(convs[0]), "can we talk about the rota") {
		t.Fatalf("conversations:\n%s", pgShort(page.Body))
	}
	open := findAll(convs[0], func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/conversations/") })
	res := b.get(attr(open[0], "href"))
	pgWantRedirect(t, res, statusPath(dm))
	pgWant(t, b.follow(res), http.StatusOK)
	if unread := findAll(b.get("/conversations").Doc, func(n *html.Node) bool {
		return n.Data == "li" && strings.Contains(attr(n, "class"), "unread")
	}); len(unread) != 0 {
		t.Error("still unread after opening")
	}
	// No one else sees it.
	pgWant(t, s.as("alice").get("/conversations"), http.StatusOK)
	s.member("eve")
	if strings.Contains(pgMain(s.as("eve").get("/conversations")), "rota") {
		t.Error("eve sees the conversation")
	}
	pgWant(t, s.as("eve").get(attr(open[0], "href")), http.StatusNotFound)
}

// ---- Addresses, profile tabs and saved posts ---------------------------------------------------

func TestPagesStatusAddresses(t *testing.T) {
	s := newPagesSite(t)
	alice, bob := s.member("alice"), s.member("bob")
	post := s.post(alice, starling.VisibilityPublic, "The original")
	boost, err := s.svc.Reblog(s.ctx, bob, post.ID, starling.VisibilityPublic)
	if err != nil {
		t.Fatal(err)
	}
	id := starling.FormatID(post.ID)
	anon := s.anon()

	// A post under the wrong name, and a repost, lead to the post's own page.
	for _, path := range []string{"/@bob/" + id, "/@bob/" + starling.FormatID(boost.ID)} {
		res := anon.get(path)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/@alice/"+id {
			t.Errorf("%s: %d to %q", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	for _, path := range []string{"/@alice/notanumber", "/alice/" + id, "/@nobody", "/@alice/1"} {
		pgWant(t, anon.get(path), http.StatusNotFound)
	}
	// bob's profile shows the repost, with the original's author and actions.
	prof := s.as("alice").get("/@bob")
	if !pgShows(prof, boost.ID) || !strings.Contains(pgMain(prof), "bob reposted") || pgToggle(prof.Doc, post.ID, "favourite") == nil {
		t.Errorf("repost on bob's profile:\n%s", pgMain(prof))
	}
}

func TestPagesProfileTabs(t *testing.T) {
	s := newPagesSite(t)
	alice, bob := s.member("alice"), s.member("bob")
	top := s.post(alice, starling.VisibilityPublic, "A post of my own")
	// A reply to someone else; replies to oneself are threads, and stay on the Posts tab.
	question := s.post(bob, starling.VisibilityPublic, "A question")
	reply, err := s.svc.PostStatus(s.ctx, alice, starling.NewStatus{Text: "@bob An answer", InReplyToID: question.ID, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	pinned := s.post(alice, starling.VisibilityPublic, "Read this first")
	if _, err := s.svc.Pin(s.ctx, alice, pinned.ID); err != nil {
		t.Fatal(err)
	}
	anon := s.anon()

	posts := anon.get("/@alice")
	if !pgShows(posts, top.ID) || pgShows(posts, reply.ID) {
		t.Error("the Posts tab shows replies, or misses posts")
	}
	if h := byID(posts.Doc, "pinned-heading"); h == nil || !strings.Contains(text(h.Parent), "Read this first") {
		t.Error("no pinned posts")
	}
	withReplies := anon.get("/@alice?replies=1")
	if !pgShows(withReplies, top.ID) || !pgShows(withReplies, reply.ID) {
		t.Error("the Posts and replies tab misses the reply")
	}
	current := findAll(withReplies.Doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "aria-current") == "page" })
	if len(current) != 1 || text(current[0]) != "Posts and replies" {
		t.Error("the current tab is not marked")
	}
}

func TestPagesTagCompose(t *testing.T) {
	s := newPagesSite(t)
	s.member("alice")
	// Members get a compose box that keeps them on the hashtag's page.
	page := s.as("alice").get("/tags/adassspring")
	if area := byID(page.Doc, "compose"); area == nil || text(area) != "#adassspring" {
		t.Fatal("no compose box starting with the hashtag")
	}
	if v := hiddenFields(t, page, "/statuses"); v.Get("return") != "/tags/adassspring" {
		t.Errorf("returns to %q", v.Get("return"))
	}
	if byID(s.anon().get("/tags/adassspring").Doc, "compose") != nil {
		t.Error("a compose box for signed-out visitors")
	}
}

// TestPagesSavedPaging pages bookmarks, which page by when they were made,
// not by the posts' IDs.
func TestPagesSavedPaging(t *testing.T) {
	s := newPagesSite(t)
	alice, bob := s.member("alice"), s.member("bob")
	var posts []*starling.Status
	for i := range 25 {
		posts = append(posts, s.post(bob, starling.VisibilityPublic, fmt.Sprintf("Bookmark me %02d", i+1)))
	}
	// Bookmarked newest post first, so bookmark order is the reverse of post order.
	for i := len(posts) - 1; i >= 0; i-- {
		if _, err := s.svc.Bookmark(s.ctx, alice, posts[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	b := s.as("alice")
	first := b.get("/bookmarks")
	if n := len(pgFeed(t, first)); n != 20 || !pgShows(first, posts[0].ID) {
		t.Fatalf("%d on the first page", n)
	}
	older := findAll(first.Doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "rel") == "next" })
	if len(older) != 1 {
		t.Fatal("no Older link")
	}
	second := b.get(attr(older[0], "href"))
	if n := len(pgFeed(t, second)); n != 5 || !pgShows(second, posts[24].ID) {
		t.Fatalf("%d on the second page", n)
	}
	newer := findAll(second.Doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "rel") == "prev" })
	if len(newer) != 1 || len(pgFeed(t, b.get(attr(newer[0], "href")))) != 20 {
		t.Error("Newer does not lead back to the first page")
	}
}

// TestPagesPastTheEnd follows "Older" from a full last page to the empty
// page after it, which must still lead back.
func TestPagesPastTheEnd(t *testing.T) {
	s := newPagesSite(t)
	alice, bob := s.member("alice"), s.member("bob")
	for i := range 20 {
		st := s.post(alice, starling.VisibilityPublic, fmt.Sprintf("Favourite me %02d", i+1))
		if _, err := s.svc.Favourite(s.ctx, bob, st.ID); err != nil {
			t.Fatal(err)
		}
	}
	b := s.as("alice")
	for _, path := range []string{"/", "/notifications"} {
		first := b.get(path)
		older := findAll(first.Doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "rel") == "next" })
		if len(older) != 1 {
			t.Fatalf("%s: no Older link on a full page", path)
		}
		empty := b.get(attr(older[0], "href"))
		pgWant(t, empty, http.StatusOK)
		newer := findAll(empty.Doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "rel") == "prev" })
		if len(newer) != 1 || attr(newer[0], "href") != path {
			t.Errorf("%s: the empty page after the last has no way back", path)
		}
	}
}

// TestPagesTagWithHash reads /tags/%23name as the hashtag it names.
func TestPagesTagWithHash(t *testing.T) {
	s := newPagesSite(t)
	st := s.post(s.member("alice"), starling.VisibilityPublic, "At #AdassSpring today")
	for _, path := range []string{"/tags/%23adassspring", "/tags/AdassSpring", "/tags/%23AdassSpring.rss"} {
		res := s.anon().get(path)
		pgWant(t, res, http.StatusOK)
		if !strings.Contains(res.Body, statusPath(st)) {
			t.Errorf("%s does not show the post", path)
		}
	}
}
