package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"starling"
	"starling/apptest"
)

// TestReportForm: "Report" appears on others' posts and profiles, not on
// one's own; the form files a report through the same use-case as the API,
// checking the category, the rules and the posts, then confirms.
func TestReportForm(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ctx := context.Background()
	ann, bob := apptest.MustAccount(t, env.svc, "ann"), apptest.MustAccount(t, env.svc, "bob")
	post, err := env.svc.PostStatus(ctx, bob, starling.NewStatus{Text: "Cheap followers for sale"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.PostStatus(ctx, ann, starling.NewStatus{Text: "My own post"}); err != nil {
		t.Fatal(err)
	}
	formPath := "/report/" + starling.FormatID(bob.ID)
	postLink := formPath + "?status=" + starling.FormatID(post.ID)

	b := env.newBrowser()
	b.signIn("ann", "password123")
	if page := b.get("/@bob"); !strings.Contains(page.Body, `href="`+formPath+`"`) || !strings.Contains(page.Body, strings.ReplaceAll(postLink, "&", "&amp;")) {
		t.Error("bob's profile lacks Report links")
	}
	if page := b.get("/@ann"); strings.Contains(page.Body, `href="/report/`) {
		t.Error("ann's own profile offers to report herself")
	}
	if res := env.newBrowser().get(formPath); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: status %d", res.StatusCode)
	}
	if res := b.get("/report/" + starling.FormatID(ann.ID)); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("reporting oneself: status %d", res.StatusCode)
	}

	page := b.get(postLink)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `id="status-`+starling.FormatID(post.ID)+`" name="status_ids" value="`+starling.FormatID(post.ID)+`" checked`) {
		t.Fatalf("form: status %d, the post is not ticked\n%s", page.StatusCode, excerpt(page.Body, 4000))
	}
	rules, err := env.svc.Rules(ctx)
	if err != nil || len(rules) == 0 {
		t.Fatalf("rules: %v, %v", rules, err)
	}
	for name, tc := range map[string]struct {
		form url.Values
		want string
	}{
		"no category":         {url.Values{}, "Choose why you are reporting"},
		"violation no rule":   {url.Values{"category": {"violation"}}, "at least one rule"},
		"someone else's post": {url.Values{"category": {"spam"}, "status_ids": {"12345"}}, "does not exist"},
	} {
		res := b.submit(page, formPath, tc.form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tc.want) {
			t.Errorf("%s: status %d, message %q shown %v", name, res.StatusCode, tc.want, strings.Contains(res.Body, tc.want))
		}
	}
	ruleID := starling.FormatID(rules[1].ID)
	res := b.submit(page, formPath, url.Values{"category": {"violation"}, "rule_ids": {ruleID}, "status_ids": {starling.FormatID(post.ID)}, "comment": {"Adverts again"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/report/sent" {
		t.Fatalf("send: status %d\n%s", res.StatusCode, res.Body)
	}
	if done := b.follow(res); !strings.Contains(done.Body, "your report was sent") {
		t.Error("no confirmation")
	}
	boss := env.mustStaff("boss")
	reps, err := env.svc.Reports(ctx, boss, false)
	if err != nil || len(reps) != 1 {
		t.Fatalf("reports: %d, %v", len(reps), err)
	}
	r := reps[0]
	if r.AccountID != ann.ID || r.TargetAccountID != bob.ID || r.Category != starling.ReportViolation || r.Comment != "Adverts again" ||
		len(r.RuleIDs) != 1 || r.RuleIDs[0] != ruleID || len(r.StatusIDs) != 1 || r.StatusIDs[0] != post.ID {
		t.Errorf("report = %+v", r)
	}
	staff := env.newBrowser()
	staff.signIn("boss", "password123")
	if page := staff.get("/admin/reports/" + starling.FormatID(r.ID)); !strings.Contains(page.Body, "Rules broken") || !strings.Contains(page.Body, rules[1].Text) {
		t.Error("the report page does not name the rule broken")
	}
}

// TestBrowserReportForm reports a post from the home timeline in a real
// browser, axe-core checking the form, its error and the confirmation.
func TestBrowserReportForm(t *testing.T) {
	j := newJourney(t)
	ctx := context.Background()
	ann, bob := apptest.MustAccount(t, j.env.svc, "ann"), apptest.MustAccount(t, j.env.svc, "bob")
	if _, err := j.env.svc.Follow(ctx, ann, bob.ID, starling.FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := j.env.svc.PostStatus(ctx, bob, starling.NewStatus{Text: "Cheap followers for sale"}); err != nil {
		t.Fatal(err)
	}
	j.signIn("ann@example.org", "password123")
	j.open("/@bob")
	formPath := "/report/" + starling.FormatID(bob.ID)
	j.do("open the report form", chromedp.Click(chromedp.CSS(`.status-actions a[href^="`+formPath+`"]`)))
	j.at("report form", formPath)
	j.do("send without a category", chromedp.Click(chromedp.CSS(`form[action="`+formPath+`"] button[type="submit"]`)))
	j.waitFor("error", `document.body.textContent.includes("Choose why you are reporting")`)
	j.at("report form with an error", formPath)
	j.do("choose spam and send", chromedp.Click(chromedp.CSS("#category-spam")),
		chromedp.Click(chromedp.CSS(`form[action="`+formPath+`"] button[type="submit"]`)))
	j.at("report sent", "/report/sent")
	if !strings.Contains(j.mainText(), "your report was sent") {
		t.Errorf("confirmation reads %q", j.mainText())
	}
}
