package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
)

// TestAdminAccountPages: members are refused; staff list and filter
// accounts, act on one with a required reason (the member then reads it in
// their notifications and may appeal once, which staff see), and resolve a
// report by acting on its account.
func TestAdminAccountPages(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	env.mustStaff("boss")
	spam, _, _ := reportsFixture(t, env.svc) // ann reports bob
	bobID := starling.FormatID(spam.TargetAccountID)
	bobPath := "/admin/accounts/" + bobID

	member := env.newBrowser()
	member.signIn("cat", "password123")
	for _, p := range []string{"/admin/accounts", bobPath, "/admin/rules"} {
		if res := member.get(p); res.StatusCode != http.StatusForbidden {
			t.Errorf("a member opens %s: status %d", p, res.StatusCode)
		}
	}
	if res := member.post(bobPath, url.Values{csrfField: {member.cookie(csrfCookie)}, "action": {"suspend"}, "reason": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member acts: status %d", res.StatusCode)
	}

	admin := env.newBrowser()
	admin.signIn("boss", "password123")
	page := admin.get("/admin/accounts?q=bo")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `href="`+bobPath+`"`) || !strings.Contains(page.Body, `href="/admin/accounts/`) {
		t.Fatalf("list: status %d\n%s", page.StatusCode, excerpt(text(byID(page.Doc, "main")), 800))
	}
	if strings.Contains(page.Body, "@ann") {
		t.Error("the search for 'bo' lists ann")
	}

	// From the report, to the account, acting resolves the report.
	rep := admin.get("/admin/reports/" + starling.FormatID(spam.ID))
	actLink := bobPath + "?report=" + starling.FormatID(spam.ID)
	if !strings.Contains(rep.Body, `href="`+bobPath+`"`) || !strings.Contains(rep.Body, strings.ReplaceAll(actLink, "&", "&amp;")) {
		t.Fatal("the report page does not link to the account's record")
	}
	page = admin.get(actLink)
	if !strings.Contains(page.Body, `name="report_id" value="`+starling.FormatID(spam.ID)+`"`) || !strings.Contains(page.Body, "Delete this account") {
		t.Fatalf("account page:\n%s", excerpt(text(byID(page.Doc, "main")), 1200))
	}
	res := admin.submit(page, bobPath, url.Values{"action": {"silence"}, "reason": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Give the reason") {
		t.Errorf("no reason: status %d", res.StatusCode)
	}
	res = admin.submit(page, bobPath, url.Values{"action": {"silence"}, "reason": {"Adverts again, rule 2"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("limit: status %d\n%s", res.StatusCode, res.Body)
	}
	page = admin.follow(res)
	for _, want := range []string{"Action taken", "Limited", "Adverts again, rule 2", "Lift the limit", "Resolved by an action on the account"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("after limiting, the record lacks %q", want)
		}
	}
	if page = admin.get("/admin/accounts?status=limited"); !strings.Contains(page.Body, `href="`+bobPath+`"`) {
		t.Error("the limited filter does not list bob")
	}
	if page = admin.get("/admin/accounts?status=suspended"); strings.Contains(page.Body, `href="`+bobPath+`"`) {
		t.Error("the suspended filter lists bob")
	}

	// bob is told, and appeals once.
	bob := env.newBrowser()
	bob.signIn("bob", "password123")
	notes := bob.get("/notifications")
	if !strings.Contains(notes.Body, "The moderators took action on your account: Limited") || !strings.Contains(notes.Body, "Adverts again, rule 2") {
		t.Fatalf("notifications:\n%s", excerpt(text(byID(notes.Doc, "main")), 800))
	}
	link := findAll(notes.Doc, func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/warnings/") })
	if len(link) != 1 {
		t.Fatal("no link to the warning")
	}
	wPath := attr(link[0], "href")
	if res := member.get(wPath); res.StatusCode != http.StatusNotFound {
		t.Errorf("another member opens the warning: status %d", res.StatusCode)
	}
	wPage := bob.get(wPath)
	res = bob.submit(wPage, wPath, url.Values{"text": {"These were my own training courses"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("appeal: status %d\n%s", res.StatusCode, res.Body)
	}
	if page := bob.follow(res); !strings.Contains(page.Body, "Your appeal was sent") || strings.Contains(page.Body, `action="`+wPath+`"`) {
		t.Error("after appealing, the form is still offered")
	}
	if page := admin.get(bobPath); !strings.Contains(page.Body, "These were my own training courses") {
		t.Error("staff do not see the appeal")
	}

	// Suspended: the profile says so and shows no posts, sign-in says why.
	page = admin.get(bobPath)
	res = admin.submit(page, bobPath, url.Values{"action": {"suspend"}, "reason": {"Kept posting adverts"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("suspend: status %d", res.StatusCode)
	}
	if page := bob.get("/"); page.StatusCode == http.StatusOK && strings.Contains(page.Body, "Signed in as @bob") {
		t.Error("a suspended member is still signed in")
	}
	prof := env.newBrowser().get("/@bob")
	if feed := env.newBrowser().get("/@bob.rss"); feed.StatusCode != http.StatusNotFound {
		t.Errorf("a suspended account's feed: status %d", feed.StatusCode)
	}
	if !strings.Contains(prof.Body, "suspended this account") || strings.Contains(prof.Body, "Cheap followers") {
		t.Errorf("suspended profile:\n%s", excerpt(text(byID(prof.Doc, "main")), 800))
	}
	signIn := env.newBrowser()
	res = signIn.submit(signIn.get("/auth/sign_in"), "/auth/sign_in", url.Values{"login": {"bob"}, "password": {"password123"}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "Kept posting adverts") {
		t.Errorf("suspended sign-in: status %d, reason shown %v", res.StatusCode, strings.Contains(res.Body, "Kept posting adverts"))
	}
	log := admin.get("/admin/audit")
	for _, want := range []string{"account.silence", "account.suspend", "report.resolve"} {
		if !strings.Contains(log.Body, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
}

// TestRulesAndTermsPages: staff keep the rules, which the about and sign-up
// pages show; admins write the terms, shown at /terms; the footer links
// the terms and privacy policy on every page.
func TestRulesAndTermsPages(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	env.mustStaff("boss")
	apptest.MustAccount(t, env.svc, "cat")
	anon := env.newBrowser()
	for _, p := range []string{"/", "/about", "/auth/sign_up", "/terms"} {
		page := anon.get(p)
		if !strings.Contains(page.Body, `href="/terms"`) || !strings.Contains(page.Body, `href="/privacy"`) {
			t.Errorf("%s lacks links to the terms and privacy policy", p)
		}
	}
	if page := anon.get("/terms"); !strings.Contains(page.Body, "have not written its terms of service yet") || !strings.Contains(page.Body, `id="complaints"`) {
		t.Errorf("unset terms:\n%s", excerpt(text(byID(page.Doc, "main")), 800))
	}

	admin := env.newBrowser()
	admin.signIn("boss", "password123")
	page := admin.get("/admin/rules")
	res := admin.submit(page, "/admin/rules", url.Values{"text": {"No selling"}, "hint": {"Adverts and paid promotion"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add a rule: status %d\n%s", res.StatusCode, res.Body)
	}
	if about := anon.get("/about"); !strings.Contains(about.Body, "No selling") || !strings.Contains(about.Body, "Adverts and paid promotion") {
		t.Error("the about page lacks the new rule")
	}
	if signUp := anon.get("/auth/sign_up"); !strings.Contains(signUp.Body, "No selling") || !strings.Contains(signUp.Body, "terms of service") {
		t.Error("the sign-up page lacks the new rule or the terms")
	}
	rules, err := env.svc.Rules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	last := rules[len(rules)-1]
	res = admin.submit(admin.get("/admin/rules"), "/admin/rules/"+starling.FormatID(last.ID)+"/up", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: status %d", res.StatusCode)
	}
	if rules, _ = env.svc.Rules(context.Background()); rules[len(rules)-2].ID != last.ID {
		t.Error("the rule did not move up")
	}
	res = admin.submit(admin.get("/admin/terms"), "/admin/terms", url.Values{"body": {"Be kind.\n\n<b>Details</b> at https://example.org/terms"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("terms: status %d\n%s", res.StatusCode, res.Body)
	}
	terms := anon.get("/terms")
	if !strings.Contains(terms.Body, "<p>Be kind.</p>") || !strings.Contains(terms.Body, `href="https://example.org/terms"`) || strings.Contains(terms.Body, "<b>Details") {
		t.Errorf("terms:\n%s", excerpt(terms.Body, 3000))
	}

	member := env.newBrowser()
	member.signIn("cat", "password123")
	if res := member.get("/admin/terms"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member opens the terms editor: status %d", res.StatusCode)
	}
}

// TestBrowserModeration walks the staff pages and a member's warning in a
// real browser, axe-core checking each page.
func TestBrowserModeration(t *testing.T) {
	j := newJourney(t)
	j.env.mustStaff("boss")
	spam, _, _ := reportsFixture(t, j.env.svc)
	bobPath := "/admin/accounts/" + starling.FormatID(spam.TargetAccountID)
	j.signIn("boss@example.org", "password123")
	j.open("/admin/accounts")
	j.at("admin accounts", "/admin/accounts")
	j.open(bobPath)
	j.at("admin account", bobPath)
	j.do("act without a reason", chromedp.Click(chromedp.CSS("#action-silence")), chromedp.Click(chromedp.CSS(`form[action="`+bobPath+`"] button`)))
	j.waitFor("error", `document.body.textContent.includes("Give the reason")`)
	j.at("admin account with an error", bobPath)
	j.do("limit", chromedp.SendKeys(chromedp.CSS("#reason"), "Adverts, rule 2"), chromedp.Click(chromedp.CSS(`form[action="`+bobPath+`"] button`)))
	j.waitFor("done", `document.body.textContent.includes("Action taken")`)
	j.open("/admin/rules")
	j.at("admin rules", "/admin/rules")
	j.open("/admin/terms")
	j.at("admin terms", "/admin/terms")
	j.open("/terms")
	j.at("terms", "/terms")
	j.open("/privacy")
	j.at("privacy", "/privacy")
}
