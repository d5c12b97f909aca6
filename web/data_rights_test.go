package web

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"starling"
	"starling/apptest"
)

// mustZip parses a download as a zip and returns its file names.
func mustZip(t *testing.T, res *response) map[string]bool {
	t.Helper()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="starling-archive-`) {
		t.Fatalf("download: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	z, err := zip.NewReader(bytes.NewReader([]byte(res.Body)), int64(len(res.Body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	names := map[string]bool{}
	for _, f := range z.File {
		names[f.Name] = true
	}
	return names
}

// TestArchivePage: a member downloads their archive with the page's form
// (never without its token), once per interval.
func TestArchivePage(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	apptest.MustAccount(t, env.svc, "ann")
	b := env.newBrowser()
	if res := b.get("/settings/archive"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("signed out: %d, want a redirect to sign in", res.StatusCode)
	}
	b.signIn("ann@example.org", "password123")
	page := b.get("/settings/archive")
	if page.StatusCode != http.StatusOK || byID(page.Doc, "main") == nil {
		t.Fatalf("page: %d", page.StatusCode)
	}
	if res := b.post("/settings/archive", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("without the form token: %d, want 403", res.StatusCode)
	}
	names := mustZip(t, b.submit(page, "/settings/archive", nil))
	for _, want := range []string{"index.html", "posts.html", "account.json", "posts.json"} {
		if !names[want] {
			t.Errorf("no %s in the zip", want)
		}
	}
	again := b.submit(page, "/settings/archive", nil)
	if again.StatusCode != http.StatusTooManyRequests || !strings.Contains(again.Body, "try again in 10 minutes") {
		t.Fatalf("second download: %d %s", again.StatusCode, excerpt(again.Body, 300))
	}
}

// TestDeleteAccountPage: a member deletes their account with their
// password (and code, with two-factor sign-in on); they are signed out,
// their profile is gone and their name cannot be taken again.
func TestDeleteAccountPage(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	apptest.MustAccount(t, env.svc, "dan")
	MustPostAs(t, env.svc, "dan", "A post to vanish")
	b := env.newBrowser()
	b.signIn("dan@example.org", "password123")
	page := b.get("/settings/delete")
	if page.StatusCode != http.StatusOK || byID(page.Doc, "code") != nil {
		t.Fatalf("page: %d (or it asks for a code without two-factor sign-in)", page.StatusCode)
	}
	for name, tc := range map[string]struct {
		form  url.Values
		field string
	}{
		"ErrNoConfirm":     {url.Values{"current_password": {"password123"}}, "confirm"},
		"ErrWrongPassword": {url.Values{"current_password": {"nope-nope"}, "confirm": {"1"}}, "current_password"},
	} {
		t.Run(name, func(t *testing.T) {
			res := b.submit(page, "/settings/delete", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.StatusCode)
			}
			if in := byID(res.Doc, tc.field); in == nil || attr(in, "aria-invalid") != "true" {
				t.Errorf("the %s input is not marked invalid", tc.field)
			}
		})
	}
	if res := b.get("/@dan"); res.StatusCode != http.StatusOK {
		t.Fatalf("profile before: %d", res.StatusCode)
	}
	done := b.submit(page, "/settings/delete", url.Values{"current_password": {"password123"}, "confirm": {"1"}})
	if done.StatusCode != http.StatusOK || !strings.Contains(done.Body, "Your account is deleted") {
		t.Fatalf("delete: %d %s", done.StatusCode, excerpt(done.Body, 300))
	}
	if c := responseCookie(done, sessionCookie); c == nil || c.MaxAge >= 0 {
		t.Error("the session cookie is not cleared")
	}
	visitor := env.newBrowser()
	if res := visitor.get("/@dan"); res.StatusCode != http.StatusNotFound {
		t.Errorf("profile after: %d, want 404", res.StatusCode)
	}
	if res := b.get("/settings/profile"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the old session still works: %d", res.StatusCode)
	}
	signUp := visitor.get("/auth/sign_up")
	res := visitor.submit(signUp, "/auth/sign_up", url.Values{"username": {"DAN"}, "email": {"dan2@example.org"},
		"password": {"password123"}, "password_confirmation": {"password123"}, "agreement": {"1"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "already been taken") {
		t.Errorf("sign-up as DAN: %d %s", res.StatusCode, excerpt(res.Body, 300))
	}
}

// MustPostAs posts text as the named account.
func MustPostAs(t *testing.T, svc *starling.Service, username, text string) *starling.Status {
	t.Helper()
	a, err := svc.LookupAccount(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	s, err := svc.PostStatus(context.Background(), a, starling.NewStatus{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestDeleteAccountPageTwoFactor: with two-factor sign-in on, the page asks
// for a code and refuses the password alone.
func TestDeleteAccountPageTwoFactor(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	apptest.MustAccount(t, env.svc, "tia")
	b := env.newBrowser()
	b.signIn("tia@example.org", "password123")
	_, codes := enableTwoFactor(t, b)
	page := b.get("/settings/delete")
	if byID(page.Doc, "code") == nil {
		t.Fatal("no code input")
	}
	res := b.submit(page, "/settings/delete", url.Values{"current_password": {"password123"}, "confirm": {"1"}})
	if res.StatusCode != http.StatusUnprocessableEntity || attr(byID(res.Doc, "code"), "aria-invalid") != "true" {
		t.Fatalf("without a code: %d", res.StatusCode)
	}
	res = b.submit(page, "/settings/delete", url.Values{"current_password": {"password123"}, "confirm": {"1"}, "code": {codes[0]}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("with a recovery code: %d", res.StatusCode)
	}
}

// TestSubjectAccessPage: staff look a member up with a reason and download
// their archive; members cannot; each lookup and download is audited.
func TestSubjectAccessPage(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	env.mustStaff("boss")
	sue := apptest.MustAccount(t, env.svc, "sue")
	MustPostAs(t, env.svc, "sue", "Hello")
	member := env.newBrowser()
	member.signIn("sue@example.org", "password123")
	if res := member.get("/admin/subject_access"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a member opened the page: %d", res.StatusCode)
	}
	staff := env.newBrowser()
	staff.signIn("boss@example.org", "password123")
	form := staff.get("/admin/subject_access")
	if form.StatusCode != http.StatusOK {
		t.Fatalf("page: %d", form.StatusCode)
	}
	token := hiddenFields(t, member.get("/settings/profile"), "/settings/profile").Get("csrf_token")
	if res := member.post("/admin/subject_access", url.Values{"csrf_token": {token}, "who": {"sue"}, "reason": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member looked up: %d", res.StatusCode)
	}
	for name, tc := range map[string]struct {
		form   url.Values
		status int
		field  string
	}{
		"ErrNoReason": {url.Values{"who": {"sue"}}, http.StatusUnprocessableEntity, "reason"},
		"ErrNoWho":    {url.Values{"reason": {"SAR 12"}}, http.StatusUnprocessableEntity, "who"},
		"ErrUnknown":  {url.Values{"who": {"nobody"}, "reason": {"SAR 12"}}, http.StatusNotFound, "who"},
	} {
		t.Run(name, func(t *testing.T) {
			res := staff.submit(form, "/admin/subject_access", tc.form)
			if res.StatusCode != tc.status || attr(byID(res.Doc, tc.field), "aria-invalid") != "true" {
				t.Errorf("%d, want %d with %s marked", res.StatusCode, tc.status, tc.field)
			}
		})
	}
	res := staff.submit(form, "/admin/subject_access", url.Values{"who": {"sue@example.org"}, "reason": {"SAR 12, received 30 Nov"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "sue@example.org") || !strings.Contains(res.Body, "Posts and reblogs") {
		t.Fatalf("lookup: %d %s", res.StatusCode, excerpt(res.Body, 400))
	}
	export := "/admin/subject_access/" + starling.FormatID(sue.ID) + "/export"
	if names := mustZip(t, staff.submit(res, export, nil)); !names["posts.json"] {
		t.Error("the export has no posts.json")
	}
	if res := member.post(export, url.Values{"csrf_token": {token}, "reason": {"mine"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member exported: %d", res.StatusCode)
	}
	audit := staff.get("/admin/audit")
	for _, action := range []string{"subject_access.lookup", "subject_access.export"} {
		if !strings.Contains(audit.Body, action) {
			t.Errorf("the audit log lacks %s", action)
		}
	}
}

// TestBrowserDataRights opens the new pages in a real browser, axe-core
// checking each, and deletes an account through the form.
func TestBrowserDataRights(t *testing.T) {
	j := newJourney(t)
	j.env.mustStaff("boss")
	apptest.MustAccount(t, j.env.svc, "rae")
	j.signIn("boss@example.org", "password123")
	j.open("/admin/subject_access")
	j.at("subject access", "/admin/subject_access")
	j.do("look up", chromedp.SendKeys(chromedp.CSS("#who"), "rae"),
		chromedp.SendKeys(chromedp.CSS("#reason"), "SAR 7"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/subject_access"] button`)))
	j.waitFor("result", `document.body.textContent.includes("What is held")`)
	j.at("subject access result", "/admin/subject_access")
	j.do("sign out", chromedp.Click(chromedp.CSS(`form[action="/auth/sign_out"] button`)))
	j.waitFor("signed out", `document.readyState === "complete" && !document.querySelector('form[action="/auth/sign_out"]')`)
	j.signIn("rae@example.org", "password123")
	j.open("/settings/archive")
	j.at("your data", "/settings/archive")
	j.open("/settings/delete")
	j.at("delete account", "/settings/delete")
	j.do("delete without ticking", chromedp.SendKeys(chromedp.CSS("#current_password"), "password123"),
		chromedp.Click(chromedp.CSS(`form[action="/settings/delete"] button`)))
	j.waitFor("error", `document.body.textContent.includes("Tick the box")`)
	j.at("delete account with an error", "/settings/delete")
	j.do("delete", chromedp.SendKeys(chromedp.CSS("#current_password"), "password123"),
		chromedp.Click(chromedp.CSS("#confirm")),
		chromedp.Click(chromedp.CSS(`form[action="/settings/delete"] button`)))
	j.waitFor("deleted", `document.body.textContent.includes("Your account is deleted")`)
	j.at("account deleted", "/settings/delete")
}
