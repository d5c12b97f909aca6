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

// reportsFixture: bob posts twice; ann files a spam report and a
// safeguarding report; boss is an admin.
func reportsFixture(t *testing.T, svc *starling.Service) (spam, sg *starling.Report, held *starling.Status) {
	t.Helper()
	ctx := context.Background()
	ann, bob := apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob")
	apptest.MustAccount(t, svc, "cat")
	ad, err := svc.PostStatus(ctx, bob, starling.NewStatus{Text: "Cheap followers for sale"})
	if err != nil {
		t.Fatal(err)
	}
	held, err = svc.PostStatus(ctx, bob, starling.NewStatus{Text: "Worrying post about a resident"})
	if err != nil {
		t.Fatal(err)
	}
	if spam, err = svc.CreateReport(ctx, ann, starling.NewReport{AccountID: bob.ID, StatusIDs: []int64{ad.ID}, Category: starling.ReportSpam, Comment: "adverts again"}); err != nil {
		t.Fatal(err)
	}
	if sg, err = svc.CreateReport(ctx, ann, starling.NewReport{AccountID: bob.ID, StatusIDs: []int64{held.ID}, Category: starling.ReportSafeguarding}); err != nil {
		t.Fatal(err)
	}
	return spam, sg, held
}

// TestAdminReports: members are refused the queue; staff see it,
// safeguarding first, decide with a reason, and the audit log lists it.
func TestAdminReports(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	env.mustStaff("boss")
	spam, sg, held := reportsFixture(t, env.svc)
	sgPath, spamPath := "/admin/reports/"+starling.FormatID(sg.ID), "/admin/reports/"+starling.FormatID(spam.ID)

	visitor := env.newBrowser()
	if res := visitor.get("/admin/reports"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: status %d", res.StatusCode)
	}
	member := env.newBrowser()
	member.signIn("cat", "password123")
	for _, p := range []string{"/admin/reports", sgPath, "/admin/audit"} {
		if res := member.get(p); res.StatusCode != http.StatusForbidden {
			t.Errorf("a member opens %s: status %d", p, res.StatusCode)
		}
	}
	if res := member.post(sgPath, url.Values{csrfField: {member.cookie(csrfCookie)}, "action": {"resolve"}, "reason": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a member decides: status %d", res.StatusCode)
	}
	if res := member.get("/statuses/" + starling.FormatID(held.ID)); res.StatusCode != http.StatusNotFound {
		t.Errorf("a member opens a held post: status %d", res.StatusCode)
	}

	admin := env.newBrowser()
	admin.signIn("boss", "password123")
	page := admin.get("/admin/reports")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("queue: status %d\n%s", page.StatusCode, page.Body)
	}
	heads := findAll(page.Doc, func(n *html.Node) bool { return n.Data == "h2" && strings.HasPrefix(attr(n, "id"), "report-") })
	if len(heads) != 2 || attr(heads[0], "id") != "report-"+starling.FormatID(sg.ID) || !strings.Contains(text(heads[0]), "Safeguarding") {
		t.Fatalf("queue headings = %d, first %q", len(heads), text(heads[0]))
	}
	for _, want := range []string{"Worrying post about a resident", "Cheap followers for sale", "adverts again", `href="/@ann"`, `href="/admin/reports"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the queue lacks %q", want)
		}
	}

	// A decision needs a reason.
	page = admin.get(sgPath)
	res := admin.submit(page, sgPath, url.Values{"action": {"resolve"}, "reason": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Give the reason") {
		t.Errorf("no reason: status %d", res.StatusCode)
	}
	res = admin.submit(page, sgPath, url.Values{"action": {"keep_hidden"}, "reason": {"Names a resident"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("keep hidden: status %d\n%s", res.StatusCode, res.Body)
	}
	page = admin.follow(res)
	if !strings.Contains(page.Body, "Decision recorded") || !strings.Contains(page.Body, "Posts kept hidden") {
		t.Errorf("after keeping hidden the page reads:\n%s", excerpt(text(byID(page.Doc, "main")), 800))
	}
	if res := member.get("/statuses/" + starling.FormatID(held.ID)); res.StatusCode != http.StatusNotFound {
		t.Errorf("kept hidden, yet a member opens it: status %d", res.StatusCode)
	}
	res = admin.submit(page, sgPath, url.Values{"action": {"restore"}, "reason": {"Consent given"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore: status %d\n%s", res.StatusCode, res.Body)
	}
	if res := member.get("/statuses/" + starling.FormatID(held.ID)); res.StatusCode == http.StatusNotFound {
		t.Errorf("restored, yet a member cannot open it: status %d", res.StatusCode)
	}

	page = admin.get(spamPath)
	res = admin.submit(page, spamPath, url.Values{"action": {"remove"}, "reason": {"Advertising"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: status %d\n%s", res.StatusCode, res.Body)
	}
	if page = admin.get("/admin/reports"); !strings.Contains(page.Body, "No reports are waiting") {
		t.Error("the queue is not empty after every decision")
	}

	page = admin.get("/admin/audit")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("audit: status %d", page.StatusCode)
	}
	rows := findAll(page.Doc, func(n *html.Node) bool { return n.Data == "tr" && n.Parent.Data == "tbody" })
	if len(rows) != 4 {
		t.Errorf("audit rows = %d, want 4 (remove post, remove, restore, keep hidden)", len(rows))
	}
	for _, want := range []string{"report.keep_hidden", "Names a resident", "status.remove", "Advertising"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
	if strings.Contains(page.Body, "Cheap followers") || strings.Contains(page.Body, "Worrying post") {
		t.Error("the audit log shows post text")
	}
}

// TestBrowserAdminReports opens the queue and a report in a real browser,
// axe-core checking each, and records a decision.
func TestBrowserAdminReports(t *testing.T) {
	j := newJourney(t)
	j.env.mustStaff("boss")
	_, sg, _ := reportsFixture(t, j.env.svc)
	j.signIn("boss@example.org", "password123")
	j.open("/admin/reports")
	j.at("report queue", "/admin/reports")
	path := "/admin/reports/" + starling.FormatID(sg.ID)
	j.open(path)
	j.at("safeguarding report", path)
	j.do("record a decision without a reason", chromedp.Click(chromedp.CSS("#action-restore")),
		chromedp.Click(chromedp.CSS(`form[action="`+path+`"] button`)))
	j.waitFor("error", `document.body.textContent.includes("Give the reason")`)
	j.at("safeguarding report with an error", path)
	j.do("record a decision", chromedp.SendKeys(chromedp.CSS("#reason"), "Checked with the team"),
		chromedp.Click(chromedp.CSS(`form[action="`+path+`"] button`)))
	j.waitFor("recorded", `document.body.textContent.includes("Decision recorded")`)
	j.open("/admin/audit")
	j.at("audit log", "/admin/audit")
}
