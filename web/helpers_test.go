package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
	"starling/events"
	"starling/server"
)

// testEnv is a real web handler over a real Service on a fresh SQLite file,
// served over HTTP; the Service's BaseURL is the server's address.
type testEnv struct {
	t   *testing.T
	svc *starling.Service
	srv *httptest.Server
}

// mustServer starts the web pages for a community with the given sign-up mode.
func mustServer(t *testing.T, mode starling.Registrations, opts Options) *testEnv {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	in := apptest.Instance()
	in.Domain = srv.Listener.Addr().String()
	in.BaseURL = "http://" + in.Domain
	in.Registrations = mode
	svc, _ := apptest.MustService(t, "sqlite", in)
	hub := events.NewHub(0)
	svc.SetEvents(hub)
	mux := http.NewServeMux() // as the real server: the pages, and the uploaded files they show
	mux.Handle("/", NewHandler(svc, opts))
	mux.Handle("GET "+server.MediaPath+"{key...}", server.MediaFiles(svc))
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(func() {
		// Open live streams would keep Close waiting: end them first.
		srv.Listener.Close()
		hub.Close()
		srv.CloseClientConnections()
		srv.Close()
	})
	return &testEnv{t: t, svc: svc, srv: srv}
}

// mustStaff registers an approved admin with password "password123".
func (e *testEnv) mustStaff(username string) *starling.Account {
	e.t.Helper()
	a, _, err := e.svc.Register(context.Background(), starling.SignUp{
		Username: username, Email: username + "@example.org", Password: "password123",
		Admin: true, SkipApproval: true, SkipAgreement: true, AllowReserved: true,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// browser is an HTTP client with its own cookies that, like a person
// reading each answer, does not follow redirects by itself.
type browser struct {
	t   *testing.T
	env *testEnv
	c   *http.Client
}

func (e *testEnv) newBrowser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browser{t: e.t, env: e, c: c}
}

// response is an answer with its body read and, for HTML, parsed.
type response struct {
	*http.Response
	Body string
	Doc  *html.Node
}

func (b *browser) do(req *http.Request) *response {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	out := &response{Response: res, Body: string(body)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if out.Doc, err = html.Parse(strings.NewReader(out.Body)); err != nil {
			b.t.Fatal(err)
		}
	}
	return out
}

// get fetches a path on the server (or a full URL).
func (b *browser) get(path string) *response {
	b.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = b.env.srv.URL + path
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends v to path as a form, exactly as given.
func (b *browser) post(path string, v url.Values) *response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.env.srv.URL+path, strings.NewReader(v.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// submit fills in the form of page whose action is action: its hidden
// fields, then fields, and posts it, as a browser would.
func (b *browser) submit(page *response, action string, fields url.Values) *response {
	b.t.Helper()
	v := hiddenFields(b.t, page, action)
	for k, vs := range fields {
		v[k] = vs
	}
	return b.post(action, v)
}

// follow fetches where a redirect points, checking there was one.
func (b *browser) follow(res *response) *response {
	b.t.Helper()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		b.t.Fatalf("want a redirect, got %d: %s", res.StatusCode, res.Body)
	}
	return b.get(res.Header.Get("Location"))
}

// signIn signs in through the form and checks it worked.
func (b *browser) signIn(login, password string) {
	b.t.Helper()
	res := b.submit(b.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {login}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: status %d: %s", login, res.StatusCode, res.Body)
	}
}

// cookie returns the browser's cookie of that name for the server, or "".
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.env.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// setCookie puts a cookie in the browser for the server.
func (b *browser) setCookie(name, value string) {
	u, _ := url.Parse(b.env.srv.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// deleteCookie removes a cookie from the browser.
func (b *browser) deleteCookie(name string) {
	u, _ := url.Parse(b.env.srv.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Path: "/", MaxAge: -1}})
}

// responseCookie returns the Set-Cookie of that name in res, or nil.
func responseCookie(res *response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// hiddenFields returns the hidden inputs of the form in page with that action.
func hiddenFields(t testing.TB, page *response, action string) url.Values {
	t.Helper()
	if page.Doc == nil {
		t.Fatalf("not an HTML page (status %d): %s", page.StatusCode, page.Body)
	}
	forms := findAll(page.Doc, func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == action })
	if len(forms) == 0 {
		t.Fatalf("no form with action %q in page (status %d): %s", action, page.StatusCode, page.Body)
	}
	v := url.Values{}
	for _, in := range findAll(forms[0], func(n *html.Node) bool { return n.Data == "input" && attr(n, "type") == "hidden" }) {
		v.Add(attr(in, "name"), attr(in, "value"))
	}
	return v
}

// findAll returns the element nodes under n (n included) for which match is true.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// byID returns the element with that id, or nil.
func byID(doc *html.Node, id string) *html.Node {
	if found := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == id }); len(found) > 0 {
		return found[0]
	}
	return nil
}

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hasAttr reports whether n has the attribute key, whatever its value.
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// text returns the text inside n, with runs of space made single.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
