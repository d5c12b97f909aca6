package web

// Security tests of the web pages: each tries an attack and checks it is
// refused and that nothing changed. Run with -run 'Security|XSS|CSRF'.

import (
	"bytes"
	"context"
	"crypto/tls"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
	"starling/diskmedia"
	"starling/imaging"
)

// TestSecurityPrivatePostsWeb: another member's followers-only post and
// direct message are 404 by address, for a stranger and when signed out,
// and acting on them through the forms changes nothing.
func TestSecurityPrivatePostsWeb(t *testing.T) {
	s := newPagesSite(t)
	alice, bob, carol := s.member("alice"), s.member("bob"), s.member("carol")
	s.member("mallory")
	s.follows(bob, alice)
	private := s.post(alice, starling.VisibilityPrivate, "followers only secret")
	direct := s.post(alice, starling.VisibilityDirect, "@carol direct secret")
	_ = carol

	// The scene is real: the follower and the recipient see them.
	pgWant(t, s.as("bob").get(statusPath(private)), http.StatusOK)
	pgWant(t, s.as("carol").get(statusPath(direct)), http.StatusOK)

	mallory, anon := s.as("mallory"), s.anon()
	for _, st := range []*starling.Status{private, direct} {
		id := starling.FormatID(st.ID)
		for _, b := range []*pagesBrowser{mallory, anon} {
			for _, p := range []string{statusPath(st), "/statuses/" + id, "/@mallory/" + id} {
				res := b.get(p)
				if res.StatusCode != http.StatusNotFound || strings.Contains(res.Body, "secret") {
					t.Errorf("GET %s: status %d, shows the post: %v", p, res.StatusCode, strings.Contains(res.Body, "secret"))
				}
			}
		}
		for _, act := range []string{"favourite", "reblog", "bookmark", "pin"} {
			res := mallory.act("/statuses/"+id+"/"+act, nil)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s on %s: status %d, want 404", act, id, res.StatusCode)
			}
		}
		if res := mallory.get("/statuses/" + id + "/delete"); res.StatusCode != http.StatusNotFound {
			t.Errorf("delete form of %s: status %d", id, res.StatusCode)
		}
		got, err := s.svc.GetStatus(s.ctx, alice, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FavouritesCount != 0 || got.ReblogsCount != 0 {
			t.Errorf("%s after the attempts: %d favourites, %d reblogs", id, got.FavouritesCount, got.ReblogsCount)
		}
	}
	for _, p := range []string{"/bookmarks", "/favourites"} {
		if res := mallory.get(p); strings.Contains(res.Body, "secret") {
			t.Errorf("%s shows alice's post", p)
		}
	}
}

// TestSecurityDeleteOthersPostWeb: the delete form, posted with a valid
// form token for someone else's post, is refused and the post stays.
func TestSecurityDeleteOthersPostWeb(t *testing.T) {
	s := newPagesSite(t)
	alice := s.member("alice")
	s.member("mallory")
	st := s.post(alice, starling.VisibilityPublic, "Alice's words")
	mallory := s.as("mallory")
	id := starling.FormatID(st.ID)
	if res := mallory.get("/statuses/" + id + "/delete"); res.StatusCode == http.StatusOK {
		t.Errorf("mallory is offered a delete form for alice's post")
	}
	res := mallory.act("/statuses/"+id+"/delete", nil)
	if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Errorf("delete: status %d, want 404 or 403", res.StatusCode)
	}
	if _, err := s.svc.GetStatus(s.ctx, alice, st.ID); err != nil {
		t.Errorf("post gone after mallory's delete: %v", err)
	}
	pgWant(t, s.anon().get(statusPath(st)), http.StatusOK)
}

// TestSecurityCSRF posts every kind of form that changes something without
// the form token and with another session's token: each is 403 and nothing
// changed. (TestCSRF covers sign-up, sign-in, approvals and authorisation.)
func TestSecurityCSRF(t *testing.T) {
	s := newPagesSite(t)
	alice, bob := s.member("alice"), s.member("bob")
	st := s.post(alice, starling.VisibilityPublic, "Alice's post")
	list, err := s.svc.CreateList(s.ctx, alice, starling.List{Title: "Friends"})
	if err != nil {
		t.Fatal(err)
	}
	// The attacker's own session: a real, valid token, but not alice's.
	attacker := s.as("bob")
	attacker.get("/about")
	otherToken := attacker.cookie(csrfCookie)

	ctx := context.Background()
	tests := []struct {
		name      string
		path      string
		form      url.Values
		multipart bool
		unchanged func(t *testing.T, b *pagesBrowser)
	}{
		{"SignOut", "/auth/sign_out", url.Values{}, false, func(t *testing.T, b *pagesBrowser) {
			if _, err := s.svc.Authenticate(ctx, b.cookie(sessionCookie)); err != nil {
				t.Errorf("signed out: %v", err)
			}
		}},
		{"Compose", "/statuses", url.Values{"status": {"Forged post"}}, false, nil},
		{"ComposeMultipart", "/statuses", url.Values{"status": {"Forged post"}}, true, nil},
		{"Follow", "/accounts/" + starling.FormatID(bob.ID) + "/follow", url.Values{}, false, func(t *testing.T, _ *pagesBrowser) {
			if a := s.fresh(alice); a.FollowingCount != 0 {
				t.Errorf("alice follows %d", a.FollowingCount)
			}
		}},
		{"Delete", "/statuses/" + starling.FormatID(st.ID) + "/delete", url.Values{}, false, func(t *testing.T, _ *pagesBrowser) {
			if _, err := s.svc.GetStatus(ctx, alice, st.ID); err != nil {
				t.Errorf("post deleted: %v", err)
			}
		}},
		{"Favourite", "/statuses/" + starling.FormatID(st.ID) + "/favourite", url.Values{}, false, nil},
		{"Profile", "/settings/profile", url.Values{"display_name": {"Forged"}, "note": {"Forged"}}, false, func(t *testing.T, _ *pagesBrowser) {
			if a := s.fresh(alice); a.DisplayName == "Forged" || a.Note == "Forged" {
				t.Errorf("profile changed: %q %q", a.DisplayName, a.Note)
			}
		}},
		{"Password", "/settings/password", url.Values{"current_password": {"password123"}, "password": {"forged-password-1"}, "password_confirmation": {"forged-password-1"}}, false, func(t *testing.T, _ *pagesBrowser) {
			if _, _, err := s.svc.SignIn(ctx, "alice", "password123"); err != nil {
				t.Errorf("password changed: %v", err)
			}
		}},
		{"CreateList", "/lists", url.Values{"title": {"Forged"}}, false, func(t *testing.T, _ *pagesBrowser) {
			if ls, err := s.svc.Lists(ctx, alice); err != nil || len(ls) != 1 {
				t.Errorf("lists %v %v", ls, err)
			}
		}},
		{"DeleteList", "/lists/" + starling.FormatID(list.ID) + "/delete", url.Values{}, false, func(t *testing.T, _ *pagesBrowser) {
			if ls, err := s.svc.Lists(ctx, alice); err != nil || len(ls) != 1 {
				t.Errorf("lists %v %v", ls, err)
			}
		}},
	}
	for _, tt := range tests {
		for _, tok := range []struct{ name, value string }{{"NoToken", ""}, {"OtherSessionsToken", otherToken}} {
			t.Run(tt.name+"/"+tok.name, func(t *testing.T) {
				b := s.as("alice")
				before := b.cookie(sessionCookie)
				v := url.Values{}
				for k, vs := range tt.form {
					v[k] = vs
				}
				if tok.value != "" {
					v.Set(csrfField, tok.value)
				}
				var req *http.Request
				if tt.multipart {
					var body bytes.Buffer
					mw := newMultipart(&body, v)
					req, _ = http.NewRequest(http.MethodPost, s.srv.URL+tt.path, &body)
					req.Header.Set("Content-Type", mw)
				} else {
					req, _ = http.NewRequest(http.MethodPost, s.srv.URL+tt.path, strings.NewReader(v.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				res := b.do(req)
				if res.StatusCode != http.StatusForbidden {
					t.Fatalf("status %d, location %q", res.StatusCode, res.Header.Get("Location"))
				}
				if b.cookie(sessionCookie) != before {
					t.Error("session cookie changed")
				}
				if a := s.fresh(alice); a.StatusesCount != 1 {
					t.Errorf("alice has %d posts", a.StatusesCount)
				}
				if got, _ := s.svc.GetStatus(ctx, alice, st.ID); got != nil && got.FavouritesCount != 0 {
					t.Errorf("post favourited")
				}
				if tt.unchanged != nil {
					tt.unchanged(t, b)
				}
			})
		}
	}
}

// TestSecurityRevokedSession: a session revoked from another browser's
// /settings/sessions no longer works, on the pages or as an API token.
func TestSecurityRevokedSession(t *testing.T) {
	s := newPagesSite(t)
	s.member("alice")
	first, second := s.as("alice"), s.as("alice")
	stolen := second.cookie(sessionCookie)
	if _, err := s.svc.Authenticate(s.ctx, stolen); err != nil {
		t.Fatal(err)
	}
	page := first.get("/settings/sessions")
	pgWant(t, page, http.StatusOK)
	var action string
	for _, f := range findAll(page.Doc, func(n *html.Node) bool {
		return n.Data == "form" && strings.HasPrefix(attr(n, "action"), "/settings/sessions/")
	}) {
		if strings.HasPrefix(text(f), "Revoke") {
			action = attr(f, "action")
		}
	}
	if action == "" {
		t.Fatalf("no revoke form for the other session: %s", pgShort(page.Body))
	}
	first.submit(page, action, nil)

	if _, err := s.svc.Authenticate(s.ctx, stolen); starling.ErrorCode(err) != starling.EUNAUTHORIZED {
		t.Errorf("revoked session authenticates: %v", err)
	}
	res := second.get("/settings/profile")
	if res.StatusCode == http.StatusOK {
		t.Errorf("revoked session still reaches settings")
	}
	// The same cookie value used as an API bearer token is refused too.
	req, _ := http.NewRequest(http.MethodGet, s.srv.URL+"/settings/profile", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: stolen})
	if r := s.anon().do(req); r.StatusCode == http.StatusOK {
		t.Errorf("replayed cookie reaches settings")
	}
	// The browser that revoked it is still signed in.
	pgWant(t, first.get("/settings/profile"), http.StatusOK)
}

// TestSecurityHeadersWeb: every kind of web answer carries the strict CSP
// and the other security headers, over HTTP and over HTTPS.
func TestSecurityHeadersWeb(t *testing.T) {
	s := newPagesSite(t)
	s.member("alice")
	b := s.as("alice")
	for _, p := range []string{"/", "/about", "/auth/sign_in", "/@alice", "/nope/nope/nope", "/settings/profile", "/static/app.js"} {
		res := b.get(p)
		mustSecurityHeaders(t, p, res.Header)
	}
	res := b.act("/statuses", url.Values{})
	mustSecurityHeaders(t, "POST /statuses", res.Header)

	// Over HTTPS, the browser is also told to use nothing else (HSTS).
	tlsSrv := httptest.NewTLSServer(NewHandler(s.svc, Options{}))
	t.Cleanup(tlsSrv.Close)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec // the test server's own certificate
	r, err := c.Get(tlsSrv.URL + "/about")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	mustSecurityHeaders(t, "https /about", r.Header)
	if hsts := r.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("no Strict-Transport-Security over HTTPS (got %q)", hsts)
	}
	// Over plain HTTP it would mean nothing, and is not sent.
	if hsts := b.get("/about").Header.Get("Strict-Transport-Security"); hsts != "" {
		t.Errorf("Strict-Transport-Security over plain HTTP: %q", hsts)
	}
}

func mustSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: CSP %q lacks %q", what, csp, want)
		}
	}
	for _, bad := range []string{"'unsafe-inline'", "'unsafe-eval'", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("%s: CSP %q allows %s", what, csp, bad)
		}
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") == "" {
		t.Errorf("%s: nosniff %q, frame options %q, referrer policy %q", what,
			h.Get("X-Content-Type-Options"), h.Get("X-Frame-Options"), h.Get("Referrer-Policy"))
	}
}

// xssPayload is stored in every text a member controls; the browser test
// checks none of it runs.
const xssPayload = `<script>window.__xss=1</script><img src=x onerror="window.__xss=1">"><svg onload="window.__xss=1">` +
	`<a href="javascript:window.__xss=1">x</a>'><iframe srcdoc="<script>parent.__xss=1</script>">`

// TestSecurityXSSBrowser stores script in a display name, bio, profile
// fields, a post, its content warning, a poll, an image description, a list
// title and a hashtag, then opens every page that shows them in a real
// Chromium and checks none of it ran and no injected element exists.
func TestSecurityXSSBrowser(t *testing.T) {
	j := newJourney(t)
	j.axe = false // this test is about script, not accessibility
	files, err := diskmedia.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc, ctx := j.env.svc, context.Background()
	svc.SetMediaFiles(files, imaging.Processor{})
	alice, mallory := apptest.MustAccount(t, svc, "alice"), apptest.MustAccount(t, svc, "mallory")
	name, note, link := `"><svg onload=window.__xss=1>`, xssPayload, "javascript:window.__xss=1"
	if _, err := svc.UpdateProfile(ctx, mallory, starling.ProfileUpdate{DisplayName: &name, Note: &note,
		Fields: &[]starling.Field{{Name: xssPayload, Value: xssPayload}, {Name: "site", Value: link}}}); err != nil {
		t.Fatal(err)
	}
	m, err := svc.UploadMedia(ctx, mallory, starling.MediaUpload{Body: bytes.NewReader(photo(t)), Description: xssPayload})
	if err != nil {
		t.Fatal(err)
	}
	st, err := svc.PostStatus(ctx, mallory, starling.NewStatus{Text: xssPayload + " #xss #x<script> @alice " + link,
		SpoilerText: xssPayload, MediaIDs: []int64{m.ID}, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	pollPost, err := svc.PostStatus(ctx, mallory, starling.NewStatus{Text: "Vote #xss", Language: "en",
		Poll: &starling.NewPoll{Options: []string{`<script>window.__xss=1</script>`, `<img src=x onerror="window.__xss=1">`}, ExpiresIn: 3600e9}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Follow(ctx, alice, mallory.ID, starling.FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	mine, err := svc.PostStatus(ctx, alice, starling.NewStatus{Text: "Harmless", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Favourite(ctx, mallory, mine.ID); err != nil {
		t.Fatal(err)
	}
	list, err := svc.CreateList(ctx, alice, starling.List{Title: `<img src=x onerror="window.__xss=1">`})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.AddListMembers(ctx, alice, list.ID, []int64{mallory.ID}); err != nil {
		t.Fatal(err)
	}

	lp := "/lists/" + starling.FormatID(list.ID)
	pages := []string{"/@mallory", statusPath(st), statusPath(pollPost), "/tags/xss", "/public/local", "/directory"}
	signedIn := []string{"/", "/notifications", "/search?q=mallory", "/search?q=%23xss", "/lists", lp, lp + "/edit", "/directory",
		"/@mallory", statusPath(st), statusPath(pollPost)}

	check := func(p string) {
		t.Helper()
		j.open(p)
		j.waitFor("load "+p, `document.readyState === "complete"`)
		// Give any injected handler (onerror of a broken image, onload) a moment to fire.
		j.do("settle", chromedp.Sleep(150e6))
		if got := eval[bool](j, `window.__xss === undefined`); !got {
			t.Errorf("%s: injected script ran", p)
		}
		n := eval[int](j, `document.querySelectorAll('script:not([src="/static/app.js"]), svg[onload], img[onerror], iframe, a[href^="javascript:" i], [onload], [onerror]').length`)
		if n != 0 {
			t.Errorf("%s: %d injected elements in the page", p, n)
		}
		if !strings.Contains(j.mainText(), "window.__xss=1") {
			t.Errorf("%s: the text is not shown as typed", p)
		}
	}
	for _, p := range pages {
		check(p)
	}
	j.signIn("alice", "password123")
	for _, p := range signedIn {
		check(p)
	}
	// The CSP the browser got is the strict one.
	res := j.env.newBrowser().get(statusPath(st))
	mustSecurityHeaders(t, statusPath(st), res.Header)
}

// newMultipart writes v as a multipart form into body and returns its Content-Type.
func newMultipart(body *bytes.Buffer, v url.Values) string {
	mw := multipart.NewWriter(body)
	for k, vs := range v {
		for _, s := range vs {
			_ = mw.WriteField(k, s)
		}
	}
	mw.Close()
	return mw.FormDataContentType()
}
