package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"starling"
	"starling/apptest"
)

// TestPollVoteAndExport: a member votes in a poll with the form under the
// post (no JavaScript), sees the results and their own vote; only the
// author can download the votes, as CSV.
func TestPollVoteAndExport(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ctx := context.Background()
	ann, bob := apptest.MustAccount(t, env.svc, "ann"), apptest.MustAccount(t, env.svc, "bob")
	s, err := env.svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Which day suits the carers' forum?",
		Poll: &starling.NewPoll{Options: []string{"Tuesday", "=Wednesday", "Thursday"}, ExpiresIn: 24 * time.Hour, HideTotals: true}})
	if err != nil {
		t.Fatal(err)
	}
	page := "/@ann/" + starling.FormatID(s.ID)
	b := env.newBrowser()
	b.signIn("bob@example.org", "password123")
	before := b.get(page)
	if strings.Contains(before.Body, "Tuesday</li>") || !strings.Contains(before.Body, `name="choice"`) {
		t.Fatal("before voting bob should see a form, not results")
	}
	res := b.submit(before, "/statuses/"+starling.FormatID(s.ID)+"/poll", url.Values{"choice": {"1"}})
	after := b.follow(res)
	if !strings.Contains(after.Body, "100%</strong> =Wednesday <span class=\"poll-mine\">(your vote)</span>") {
		t.Fatalf("after voting bob does not see his vote counted:\n%s", after.Body)
	}
	if again := b.submit(before, "/statuses/"+starling.FormatID(s.ID)+"/poll", url.Values{"choice": {"0"}}); again.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("voting twice: %d, want 422", again.StatusCode)
	}
	if res := b.get("/statuses/" + starling.FormatID(s.ID) + "/poll.csv"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("bob downloading ann's votes: %d, want 403", res.StatusCode)
	}

	author := env.newBrowser()
	author.signIn("ann@example.org", "password123")
	res = author.get("/statuses/" + starling.FormatID(s.ID) + "/poll.csv")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("ann's export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][0] != bob.Acct() || rows[1][1] != "'=Wednesday" || rows[1][2] != "2" {
		t.Fatalf("export = %v (%v); want bob's vote, the formula-like answer quoted", rows, err)
	}
}

// TestBrowserPollVote votes in a real browser, keyboard-usable radio
// buttons and all, and checks the results page with axe-core.
func TestBrowserPollVote(t *testing.T) {
	j := newJourney(t)
	ctx := context.Background()
	ann := apptest.MustAccount(t, j.env.svc, "ann")
	apptest.MustAccount(t, j.env.svc, "bob")
	s, err := j.env.svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Should the forum move online?",
		Poll: &starling.NewPoll{Options: []string{"Yes", "No", "Both"}, ExpiresIn: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	page := "/@ann/" + starling.FormatID(s.ID)
	j.signIn("bob@example.org", "password123")
	j.open(page)
	j.at("a poll to vote in", page)
	j.do("vote", chromedp.Click(chromedp.CSS(fmt.Sprintf(`label[for="s-%d-choice2"]`, s.ID))),
		chromedp.Click(chromedp.CSS(`form.poll button[type=submit]`)))
	j.waitFor("the results", `!!document.querySelector(".poll-mine")`)
	j.at("poll results", page)
	if got := eval[string](j, `document.querySelector(".poll-results").textContent.replace(/\s+/g, " ").trim()`); got != "0% Yes 0% No 100% Both (your vote)" {
		t.Fatalf("results read %q", got)
	}
}

// TestComposePoll asks a question from the web compose box, without
// JavaScript, and keeps the answers typed when the poll is refused.
func TestComposePoll(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	apptest.MustAccount(t, env.svc, "ann")
	b := env.newBrowser()
	b.signIn("ann@example.org", "password123")
	home := b.get("/")
	if byID(home.Doc, "compose-poll1") == nil || byID(home.Doc, "compose-poll4") == nil || byID(home.Doc, "compose-poll5") != nil {
		t.Fatal("the compose box should offer 4 answers")
	}
	res := b.submit(home, "/statuses", url.Values{"status": {"Which day suits the forum?"}, "poll_option1": {"Tuesday"},
		"poll_option2": {"Thursday"}, "poll_duration": {"86400"}, "poll_multiple": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("posting a poll: %d\n%s", res.StatusCode, res.Body)
	}
	home = b.get("/")
	if !strings.Contains(home.Body, `class="poll"`) || !strings.Contains(home.Body, "Tuesday") {
		t.Fatal("the new poll is not on the home page")
	}
	res = b.submit(home, "/statuses", url.Values{"status": {"A poll of one"}, "poll_option1": {"Only answer"}, "poll_duration": {"86400"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `value="Only answer"`) || !strings.Contains(res.Body, "between 2 and 4 answers") {
		t.Fatalf("a one-answer poll: %d; want 422 with the answer kept and the reason", res.StatusCode)
	}
}
