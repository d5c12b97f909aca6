package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"starling"
	"starling/internal/testenv"
)

// chromiumPath finds a Chromium to drive, or returns "".
func chromiumPath() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// mustBrowser starts a headless Chromium with a fresh profile for the
// length of the test, or skips the test when there is none.
func mustBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		testenv.RequireTools(t, "browser test skipped: no chromium at /usr/bin/chromium or on PATH (on Debian: apt-get install chromium)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	return bctx
}

// TestBrowser joins and authorises an app in a real browser, using the
// keyboard as a person would, with the site's security headers in force.
func TestBrowser(t *testing.T) {
	ctx := mustBrowser(t)
	env := mustServer(t, starling.RegistrationsOpen, Options{})

	// Sign up: type into each field, tick the box with the space bar and
	// submit with Enter.
	err := chromedp.Do(ctx,
		chromedp.Navigate(env.srv.URL+"/auth/sign_up"),
		chromedp.SendKeys(chromedp.CSS("#username"), "quinn"),
		chromedp.SendKeys(chromedp.CSS("#email"), "quinn@council.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "correct horse battery"),
		chromedp.SendKeys(chromedp.CSS("#password_confirmation"), "correct horse battery"),
		chromedp.Focus(chromedp.CSS("#agreement")),
		chromedp.KeyEvent(" "),
		chromedp.SendKeys(chromedp.CSS("#password_confirmation"), "\r"),
		chromedp.WaitVisible(chromedp.CSS("form[action='/auth/sign_out']")),
	)
	if err != nil {
		t.Fatalf("sign up: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || loc != env.srv.URL+"/start" {
		t.Fatalf("after sign-up at %q (%v)", loc, err)
	}
	nav, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("nav")))
	if err != nil || !strings.Contains(nav, "Signed in as @quinn") {
		t.Fatalf("header says %q (%v)", nav, err)
	}

	// The app's redirect URI is another origin, which the consent page's
	// form-action must allow for the browser to follow the redirect.
	codes := make(chan url.Values, 1)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case codes <- r.URL.Query():
		default:
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!DOCTYPE html><html lang=en><title>Back in the app</title><h1>Signed in</h1></html>"))
	}))
	t.Cleanup(app.Close)
	redirect := app.URL + "/callback?from=browser"
	a, _, err := env.svc.CreateApplication(context.Background(), starling.NewApplication{
		Name: "Browser App", RedirectURIs: []string{redirect}, Scopes: "read write",
	})
	if err != nil {
		t.Fatal(err)
	}
	verifier, challenge := pkce()
	q := url.Values{"client_id": {a.ClientID}, "redirect_uri": {redirect}, "response_type": {"code"}, "scope": {"read write"},
		"state": {"browser-state"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}, "force_login": {"true"}}

	// force_login sends the browser through the sign-in page first.
	err = chromedp.Do(ctx,
		chromedp.Navigate(env.srv.URL+authorizePath(q)),
		chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "quinn@council.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "correct horse battery\r"),
		chromedp.WaitVisible(chromedp.CSS("button[value='authorize']")),
		chromedp.Click(chromedp.CSS("button[value='authorize']")),
	)
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	var got url.Values
	select {
	case got = <-codes:
	case <-time.After(30 * time.Second):
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("the browser never reached the app; it is at %s", loc)
	}
	if got.Get("from") != "browser" || got.Get("state") != "browser-state" || got.Get("code") == "" {
		t.Fatalf("app got %v", got)
	}
	grant, err := env.svc.ExchangeToken(context.Background(), starling.TokenRequest{GrantType: "authorization_code",
		ClientID: a.ClientID, Code: got.Get("code"), RedirectURI: redirect, CodeVerifier: verifier})
	if err != nil {
		t.Fatal(err)
	}
	auth, err := env.svc.Authenticate(context.Background(), grant.AccessToken)
	if err != nil || auth.Account.Username != "quinn" {
		t.Fatalf("token: %v, %v", auth, err)
	}
}
