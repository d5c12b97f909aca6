package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
)

const callback = "http://127.0.0.1:9/callback?app=tusky"

// mustApp registers an app that may redirect to callback, a custom scheme and OOB.
func (e *testEnv) mustApp() (*starling.Application, string) {
	e.t.Helper()
	app, secret, err := e.svc.CreateApplication(context.Background(), starling.NewApplication{
		Name: "Tusky <beta>", Website: "https://tusky.example/",
		RedirectURIs: []string{callback, "myapp://oauth", starling.OOBRedirectURI}, Scopes: "read write follow",
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return app, secret
}

// pkce returns a code verifier and its S256 challenge (RFC 7636 §4.2).
func pkce() (verifier, challenge string) {
	verifier = starling.NewSecret() + "-verifier"
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

func authorizePath(q url.Values) string { return "/oauth/authorize?" + q.Encode() }

func TestAuthorize(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	app, secret := env.mustApp()
	nina := apptest.MustAccount(t, env.svc, "nina")
	ctx := context.Background()

	t.Run("CodeWithPKCE", func(t *testing.T) {
		b := env.newBrowser()
		verifier, challenge := pkce()
		q := url.Values{"client_id": {app.ClientID}, "redirect_uri": {callback}, "response_type": {"code"},
			"scope": {"read write"}, "state": {"s t&a=te"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}

		res := b.get(authorizePath(q))
		want := "/auth/sign_in?next=" + url.QueryEscape(authorizePath(q))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Fatalf("signed out: status %d, location %q, want %q", res.StatusCode, res.Header.Get("Location"), want)
		}
		signIn := b.follow(res)
		res = b.submit(signIn, "/auth/sign_in", url.Values{"login": {"nina"}, "password": {"password123"}})
		if res.Header.Get("Location") != authorizePath(q) {
			t.Fatalf("after sign-in: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
		}
		consent := b.follow(res)
		if consent.StatusCode != http.StatusOK {
			t.Fatalf("consent: status %d: %s", consent.StatusCode, consent.Body)
		}
		body := text(consent.Doc)
		for _, want := range []string{"Authorise Tusky <beta>?", "https://tusky.example/", "@nina", scopeWords["read"], scopeWords["write"]} {
			if !strings.Contains(body, want) {
				t.Errorf("consent page lacks %q: %s", want, body)
			}
		}
		if strings.Contains(consent.Body, "<beta>") {
			t.Error("app name not escaped")
		}
		csp := consent.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "form-action 'self' http://127.0.0.1:9;") {
			t.Errorf("consent CSP lacks the redirect origin: %s", csp)
		}

		res = b.submit(consent, "/oauth/authorize", url.Values{"decision": {"authorize"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("authorize: status %d: %s", res.StatusCode, res.Body)
		}
		loc, err := url.Parse(res.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		got := loc.Query()
		if !strings.HasPrefix(loc.String(), callback+"&") || got.Get("app") != "tusky" || got.Get("state") != "s t&a=te" || got.Get("code") == "" {
			t.Fatalf("redirected to %s", loc)
		}

		grant, err := env.svc.ExchangeToken(ctx, starling.TokenRequest{GrantType: "authorization_code", ClientID: app.ClientID,
			Code: got.Get("code"), RedirectURI: callback, CodeVerifier: verifier})
		if err != nil {
			t.Fatal(err)
		}
		auth, err := env.svc.Authenticate(ctx, grant.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]any{nina.ID, app.ID, starling.Scopes{"read", "write"}},
			[]any{auth.Account.ID, auth.Token.ApplicationID, auth.Token.Scopes}); diff != "" {
			t.Errorf("token (-want +got):\n%s", diff)
		}
	})

	b := env.newBrowser()
	b.signIn("nina", "password123")
	base := func(redirect string) url.Values {
		return url.Values{"client_id": {app.ClientID}, "redirect_uri": {redirect}, "response_type": {"code"}, "scope": {"read"}, "state": {"xyz"}}
	}

	t.Run("OOBShowsCode", func(t *testing.T) {
		consent := b.get(authorizePath(base(starling.OOBRedirectURI)))
		if csp := consent.Header.Get("Content-Security-Policy"); csp != contentSecurityPolicy() {
			t.Errorf("OOB consent CSP widened: %s", csp)
		}
		res := b.submit(consent, "/oauth/authorize", url.Values{"decision": {"authorize"}})
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/oauth/authorize/native?code=") {
			t.Fatalf("status %d, location %q", res.StatusCode, loc)
		}
		page := b.follow(res)
		field := byID(page.Doc, "code")
		code, _ := url.ParseQuery(strings.TrimPrefix(loc, "/oauth/authorize/native?"))
		if field == nil || text(field) != code.Get("code") || !hasAttr(field, "readonly") {
			t.Fatalf("code not shown: %s", page.Body)
		}
		if !strings.Contains(page.Body, "paste this code into your app") {
			t.Error("no instructions")
		}
		grant, err := env.svc.ExchangeToken(ctx, starling.TokenRequest{GrantType: "authorization_code", ClientID: app.ClientID,
			ClientSecret: secret, Code: text(field), RedirectURI: starling.OOBRedirectURI})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.svc.Authenticate(ctx, grant.AccessToken); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Deny", func(t *testing.T) {
		res := b.submit(b.get(authorizePath(base(callback))), "/oauth/authorize", url.Values{"decision": {"deny"}})
		loc, _ := url.Parse(res.Header.Get("Location"))
		if res.StatusCode != http.StatusSeeOther || loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "xyz" || loc.Query().Has("code") {
			t.Fatalf("status %d, location %s", res.StatusCode, loc)
		}
	})

	t.Run("CustomSchemeCSP", func(t *testing.T) {
		consent := b.get(authorizePath(base("myapp://oauth")))
		if csp := consent.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' myapp:;") {
			t.Errorf("CSP %s", csp)
		}
		res := b.submit(consent, "/oauth/authorize", url.Values{"decision": {"authorize"}})
		if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "myapp://oauth?code=") || !strings.HasSuffix(loc, "&state=xyz") {
			t.Errorf("location %q", loc)
		}
	})

	t.Run("ForceLogin", func(t *testing.T) {
		q := base(callback)
		q.Set("force_login", "true")
		res := b.get(authorizePath(q))
		if want := signInURL(authorizePath(base(callback))); res.Header.Get("Location") != want {
			t.Errorf("location %q, want %q", res.Header.Get("Location"), want)
		}
	})

	// Requests that must not redirect: the page cannot trust the address.
	for _, tt := range []struct {
		name string
		edit func(url.Values)
	}{
		{"ErrRedirectURIUnknown", func(q url.Values) { q.Set("redirect_uri", "https://evil.example/cb") }},
		{"ErrClientUnknown", func(q url.Values) { q.Set("client_id", "nope") }},
		{"ErrClientWeb", func(q url.Values) { q.Set("client_id", starling.WebClientID) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := base(callback)
			tt.edit(q)
			res := b.get(authorizePath(q))
			if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" {
				t.Fatalf("status %d, location %q", res.StatusCode, res.Header.Get("Location"))
			}
			if len(findAll(res.Doc, func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == "/oauth/authorize" })) > 0 {
				t.Error("error page offers to authorise")
			}
		})
	}

	// Requests whose errors go back to the app.
	for _, tt := range []struct {
		name, want string
		edit       func(url.Values)
	}{
		{"ErrScope", "invalid_scope", func(q url.Values) { q.Set("scope", "read admin:write") }},
		{"ErrScopeUnknown", "invalid_scope", func(q url.Values) { q.Set("scope", "everything") }},
		{"ErrResponseType", "unsupported_response_type", func(q url.Values) { q.Set("response_type", "token") }},
		{"ErrResponseTypeMissing", "invalid_request", func(q url.Values) { q.Del("response_type") }},
		{"ErrPKCEPlain", "invalid_request", func(q url.Values) {
			q.Set("code_challenge", strings.Repeat("a", 43))
			q.Set("code_challenge_method", "plain")
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := base(callback)
			tt.edit(q)
			res := b.get(authorizePath(q))
			loc, _ := url.Parse(res.Header.Get("Location"))
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc.String(), callback+"&") ||
				loc.Query().Get("error") != tt.want || loc.Query().Get("state") != "xyz" {
				t.Fatalf("status %d, location %s", res.StatusCode, loc)
			}
		})
	}

	t.Run("ErrScopeOOB", func(t *testing.T) {
		q := base(starling.OOBRedirectURI)
		q.Set("scope", "admin:write")
		res := b.get(authorizePath(q))
		if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" || !strings.Contains(res.Body, "invalid_scope") {
			t.Fatalf("status %d, location %q: %s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
	})

	t.Run("PostSignedOut", func(t *testing.T) {
		other := env.newBrowser()
		v := base(callback)
		v.Set("decision", "authorize")
		other.get("/") // get the form cookie
		v.Set(csrfField, other.cookie(csrfCookie))
		res := other.post("/oauth/authorize", v)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/auth/sign_in?next=") {
			t.Fatalf("status %d, location %q", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

func TestWithQuery(t *testing.T) {
	v := url.Values{"code": {"c"}}
	for uri, want := range map[string]string{
		"http://x/cb":       "http://x/cb?code=c",
		"http://x/cb?a=1":   "http://x/cb?a=1&code=c",
		"http://x/cb?":      "http://x/cb?code=c",
		"myapp:/cb?a=1&":    "myapp:/cb?a=1&code=c",
		"myapp://auth/done": "myapp://auth/done?code=c",
	} {
		if got := withQuery(uri, v); got != want {
			t.Errorf("withQuery(%q) = %q, want %q", uri, got, want)
		}
	}
}
