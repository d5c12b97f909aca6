package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
)

// totpNow returns the code for secret at now plus offset.
func totpNow(t testing.TB, secret string, offset time.Duration) string {
	t.Helper()
	c, err := starling.TOTPCode(secret, time.Now().Add(offset))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enableTwoFactor turns on two-factor sign-in through the settings page
// and returns the secret and the recovery codes shown.
func enableTwoFactor(t *testing.T, b *browser) (string, []string) {
	t.Helper()
	page := b.get("/settings/two_factor")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("settings page: %d", page.StatusCode)
	}
	secret := text(byID(page.Doc, "two-factor-secret"))
	if len(secret) < 32 || !strings.Contains(page.Body, "otpauth://totp/") || !strings.Contains(page.Body, `src="data:image/png;base64,`) {
		t.Fatalf("the settings page shows no key, set-up link or QR code: %s", page.Body)
	}
	bad := b.submit(page, "/settings/two_factor", url.Values{"code": {"12345"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "not right") {
		t.Fatalf("confirm with a wrong code: %d", bad.StatusCode)
	}
	done := b.submit(page, "/settings/two_factor", url.Values{"code": {totpNow(t, secret, 0)}})
	if done.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d: %s", done.StatusCode, done.Body)
	}
	var codes []string
	for _, li := range findAll(byID(done.Doc, "recovery-codes"), func(n *html.Node) bool { return n.Data == "code" }) {
		codes = append(codes, text(li))
	}
	if len(codes) != 10 || !strings.Contains(done.Body, "is <strong>on</strong>") {
		t.Fatalf("%d recovery codes shown: %s", len(codes), done.Body)
	}
	if again := b.get("/settings/two_factor"); strings.Contains(again.Body, codes[0]) || strings.Contains(again.Body, secret) {
		t.Error("the recovery codes or the secret are shown again")
	}
	return secret, codes
}

// TestTwoFactorSignIn: a member turns on two-factor sign-in; signing in
// then asks for a code after the password (no session before it), refuses
// a wrong one with 422 without asking for the password again, takes the
// right one or a recovery code, and the settings page turns it off.
func TestTwoFactorSignIn(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	apptest.MustAccount(t, env.svc, "ann")
	b := env.newBrowser()
	b.signIn("ann@example.org", "password123")
	secret, codes := enableTwoFactor(t, b)

	signInUntilCode := func(next string) *browser {
		t.Helper()
		c := env.newBrowser()
		form := url.Values{"login": {"ann"}, "password": {"password123"}}
		if next != "" {
			form.Set("next", next)
		}
		res := c.submit(c.get("/auth/sign_in"), "/auth/sign_in", form)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/auth/two_factor") {
			t.Fatalf("sign in with two-factor: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if c.cookie(sessionCookie) != "" {
			t.Fatal("a session started before the second factor")
		}
		if ck := responseCookie(res, pendingSignInCookie); ck == nil || !ck.HttpOnly || ck.Path != "/auth/two_factor" || ck.MaxAge <= 0 || ck.MaxAge > 300 {
			t.Fatalf("pending sign-in cookie %+v", ck)
		}
		return c
	}

	c := signInUntilCode("/bookmarks")
	page := c.get("/auth/two_factor?next=%2Fbookmarks")
	if page.StatusCode != http.StatusOK || byID(page.Doc, "code") == nil {
		t.Fatalf("code page: %d", page.StatusCode)
	}
	if c.get("/bookmarks").StatusCode != http.StatusSeeOther {
		t.Fatal("a members' page opened before the second factor")
	}
	wrong := c.submit(page, "/auth/two_factor", url.Values{"code": {"000000"}})
	if wrong.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(wrong.Body, "not right") || byID(wrong.Doc, "password") != nil {
		t.Fatalf("wrong code: %d: %s", wrong.StatusCode, wrong.Body)
	}
	// The confirmation used this time step: the next one is accepted (±30 s).
	right := c.submit(wrong, "/auth/two_factor", url.Values{"code": {totpNow(t, secret, 30*time.Second)}})
	if right.StatusCode != http.StatusSeeOther || right.Header.Get("Location") != "/bookmarks" {
		t.Fatalf("right code: %d to %q: %s", right.StatusCode, right.Header.Get("Location"), right.Body)
	}
	if c.cookie(sessionCookie) == "" || c.get("/bookmarks").StatusCode != http.StatusOK {
		t.Fatal("not signed in after the right code")
	}
	if c.cookie(pendingSignInCookie) != "" {
		t.Error("the pending sign-in cookie is left behind")
	}
	// The same code again, from another sign-in, is refused.
	d := signInUntilCode("")
	if res := d.submit(d.get("/auth/two_factor"), "/auth/two_factor", url.Values{"code": {totpNow(t, secret, 30*time.Second)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("replayed code: %d", res.StatusCode)
	}
	// A recovery code works, once.
	if res := d.submit(d.get("/auth/two_factor"), "/auth/two_factor", url.Values{"code": {codes[0]}}); res.StatusCode != http.StatusSeeOther || d.cookie(sessionCookie) == "" {
		t.Fatalf("recovery code: %d", res.StatusCode)
	}
	e := signInUntilCode("")
	if res := e.submit(e.get("/auth/two_factor"), "/auth/two_factor", url.Values{"code": {codes[0]}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("used recovery code: %d", res.StatusCode)
	}
	// Without the pending sign-in the page sends back to the password.
	if res := env.newBrowser().get("/auth/two_factor"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/auth/sign_in") {
		t.Fatalf("code page without a pending sign-in: %d", res.StatusCode)
	}
	// Too many wrong codes end the pending sign-in.
	stale := e.get("/auth/two_factor")
	for range 5 {
		e.submit(stale, "/auth/two_factor", url.Values{"code": {"zzzz"}})
	}
	if res := e.submit(stale, "/auth/two_factor", url.Values{"code": {codes[1]}}); res.StatusCode == http.StatusSeeOther || byID(res.Doc, "password") == nil {
		t.Fatalf("after five wrong codes: %d, want the password form", res.StatusCode)
	}

	// The password grant is refused (the Mastodon API's /oauth/token).
	ctx := context.Background()
	app, appSecret, err := env.svc.CreateApplication(ctx, starling.NewApplication{Name: "Bot", RedirectURIs: []string{starling.OOBRedirectURI}, Scopes: "read"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.ExchangeToken(ctx, starling.TokenRequest{GrantType: "password", ClientID: app.ClientID, ClientSecret: appSecret, Username: "ann", Password: "password123"}); err == nil {
		t.Fatal("password grant worked with two-factor on")
	}

	// Turning it off takes the password and a code.
	settings := b.get("/settings/two_factor")
	if res := b.submit(settings, "/settings/two_factor", url.Values{"current_password": {"nope"}, "disable_code": {codes[2]}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("disable with a wrong password: %d", res.StatusCode)
	}
	if res := b.submit(settings, "/settings/two_factor", url.Values{"current_password": {"password123"}, "disable_code": {codes[2]}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d: %s", res.StatusCode, res.Body)
	}
	f := env.newBrowser()
	if res := f.submit(f.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {"ann"}, "password": {"password123"}}); res.Header.Get("Location") != "/" {
		t.Fatalf("sign-in after turning it off goes to %q", res.Header.Get("Location"))
	}
}

// TestTwoFactorRequiredForStaff: with RequireStaffTwoFactor, an admin
// without it is sent to set it up when signing in and kept off the staff
// pages until they do.
func TestTwoFactorRequiredForStaff(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	env.svc.Instance().RequireStaffTwoFactor = true
	env.mustStaff("boss")
	b := env.newBrowser()
	res := b.submit(b.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {"boss"}, "password": {"password123"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/settings/two_factor?required=1" {
		t.Fatalf("staff sign-in: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := b.get("/admin/sign_ups"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/settings/two_factor") {
		t.Fatalf("staff page without two-factor: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if page := b.get("/settings/two_factor?required=1"); !strings.Contains(page.Body, "asks its moderators and admins") {
		t.Error("the settings page does not say why")
	}
	enableTwoFactor(t, b)
	if res := b.get("/admin/sign_ups"); res.StatusCode != http.StatusOK {
		t.Fatalf("staff page with two-factor: %d", res.StatusCode)
	}
	// Members are not asked.
	apptest.MustAccount(t, env.svc, "ann")
	m := env.newBrowser()
	if res := m.submit(m.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {"ann"}, "password": {"password123"}}); res.Header.Get("Location") != "/" {
		t.Fatalf("member sign-in goes to %q", res.Header.Get("Location"))
	}
}

// TestBrowserTwoFactor: in a real browser, a member turns on two-factor
// sign-in (the test reads the key off the page, as a person would type it
// into their app), signs out, signs in with password and code, and is in.
// axe-core checks the settings page, the recovery codes and the code page.
func TestBrowserTwoFactor(t *testing.T) {
	j := newJourney(t)
	apptest.MustAccount(t, j.env.svc, "ann")
	j.signIn("ann@example.org", "password123")
	j.open("/settings/two_factor")
	j.at("two-factor set-up", "/settings/two_factor")
	secret := eval[string](j, `document.getElementById("two-factor-secret").textContent`)
	j.do("confirm with a code", chromedp.SendKeys(chromedp.CSS("#code"), totpNow(t, secret, 0)+"\r"))
	j.waitFor("recovery codes", `document.querySelectorAll("#recovery-codes code").length === 10`)
	j.at("two-factor recovery codes", "/settings/two_factor")
	j.do("sign out", chromedp.Click(chromedp.CSS(`form[action="/auth/sign_out"] button`)))
	j.waitFor("signed out", `!document.querySelector('form[action="/auth/sign_out"]')`)
	j.open("/auth/sign_in")
	j.do("sign in with the password",
		chromedp.SendKeys(chromedp.CSS("#login"), "ann"),
		chromedp.SendKeys(chromedp.CSS("#password"), "password123\r"))
	j.at("two-factor code", "/auth/two_factor")
	j.do("enter the code", chromedp.SendKeys(chromedp.CSS("#code"), totpNow(t, secret, 30*time.Second)+"\r"),
		chromedp.WaitReady(chromedp.CSS(`form[action="/auth/sign_out"]`)))
	j.waitFor("signed in at home", `location.pathname === "/" && !!document.querySelector('form[action="/auth/sign_out"]')`)
}

// TestTwoFactorCodeLockout: five wrong codes, even spread over fresh
// sign-ins, lock the second step; then even a right recovery code gets the
// code page again with 429, Retry-After and a message saying how long to wait.
func TestTwoFactorCodeLockout(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	apptest.MustAccount(t, env.svc, "ann")
	b := env.newBrowser()
	b.signIn("ann@example.org", "password123")
	_, codes := enableTwoFactor(t, b)
	codePage := func() (*browser, *response) {
		t.Helper()
		c := env.newBrowser()
		res := c.submit(c.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {"ann"}, "password": {"password123"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("password step: %d", res.StatusCode)
		}
		return c, c.get("/auth/two_factor")
	}
	for range starling.SignInFailuresAllowed {
		c, page := codePage()
		if res := c.submit(page, "/auth/two_factor", url.Values{"code": {"zzzz-zzzz"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code: %d", res.StatusCode)
		}
	}
	c, page := codePage()
	res := c.submit(page, "/auth/two_factor", url.Values{"code": {codes[0]}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(res.Body, "Please wait 1 minute") || byID(res.Doc, "code") == nil {
		t.Fatalf("a right recovery code while locked: %d %q: %s", res.StatusCode, res.Header.Get("Retry-After"), res.Body)
	}
	if c.cookie(sessionCookie) != "" {
		t.Error("a session started while locked")
	}
}
