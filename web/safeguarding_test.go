package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
	"starling/diskmedia"
	"starling/imaging"
)

// A valid NHS number (NHS Digital's own example).
const (
	nhsNumber = "943 476 5919"
	nhsDigits = "9434765919"
)

// composeFields are the compose box's fields on page, with status set.
func composeFields(t *testing.T, page *response, status string) url.Values {
	t.Helper()
	v := hiddenFields(t, page, "/statuses")
	v.Set("status", status)
	return v
}

// textareaValue is the text of the textarea with that id.
func textareaValue(doc *html.Node, id string) string {
	if n := byID(doc, id); n != nil {
		return text(n)
	}
	return ""
}

// errorLinks are the targets of the error summary's links.
func errorLinks(doc *html.Node) []string {
	var out []string
	for _, n := range findAll(doc, func(n *html.Node) bool { return n.Data == "div" && attr(n, "class") == "error-summary" }) {
		for _, a := range findAll(n, func(n *html.Node) bool { return n.Data == "a" }) {
			out = append(out, attr(a, "href"))
		}
	}
	return out
}

// TestComposeSafeguarding: without JavaScript, a post with personal data is
// refused with the draft kept and the problem shown in the error summary
// and at each input it is in; where the policy warns, a checkbox lets the
// member confirm and post.
func TestComposeSafeguarding(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ann := apptest.MustAccount(t, env.svc, "ann")
	b := env.newBrowser()
	b.signIn("ann@example.org", "password123")

	draft := "Please update Mrs B's record, NHS number " + nhsNumber + ", before Friday"
	v := composeFields(t, b.get("/"), draft)
	v.Set("spoiler_text", "Records")
	v.Set("poll_option1", "Yes")
	v.Set("poll_option2", "Ring 07700 900123")
	v.Set("poll_duration", "86400")
	res := b.post("/statuses", v)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a post with an NHS number: %d, want 422", res.StatusCode)
	}
	if got := textareaValue(res.Doc, "compose"); got != draft {
		t.Errorf("the draft is %q, want it kept", got)
	}
	if attr(byID(res.Doc, "compose-poll2"), "value") != "Ring 07700 900123" || attr(byID(res.Doc, "compose-cw"), "value") != "Records" {
		t.Error("the poll answer or content warning was not kept")
	}
	if links := errorLinks(res.Doc); strings.Join(links, " ") != "#compose #compose-poll2" {
		t.Errorf("the error summary links to %v, want the text and the poll answer", links)
	}
	fieldErr := byID(res.Doc, "compose-error")
	if fieldErr == nil || !strings.Contains(text(fieldErr), "The text seems to contain an NHS number (ending …19)") ||
		attr(byID(res.Doc, "compose"), "aria-invalid") != "true" {
		t.Errorf("no error at the text: %v", fieldErr)
	}
	if e := byID(res.Doc, "compose-poll2-error"); e == nil || !strings.Contains(text(e), "Answer 2 of the poll seems to contain a phone number") ||
		attr(byID(res.Doc, "compose-poll2"), "aria-invalid") != "true" {
		t.Errorf("no error at the poll answer: %v", e)
	}
	if byID(res.Doc, "compose-confirm") != nil {
		t.Error("a confirm checkbox where the policy blocks")
	}
	// Ticking the box anyway changes nothing where the policy blocks.
	v.Set("confirm_personal_data", "1")
	if res := b.post("/statuses", v); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("confirmed under the block policy: %d, want 422", res.StatusCode)
	}
	if list, _ := env.svc.AccountStatuses(t.Context(), ann, ann.ID, starling.AccountStatusesFilter{}, starling.Page{Limit: 10}); len(list) != 0 {
		t.Fatalf("%d posts stored", len(list))
	}

	// Where the policy warns: refused with a checkbox, posted once ticked.
	env.svc.Instance().Safeguarding = starling.SafeguardWarn
	v = composeFields(t, b.get("/"), draft)
	res = b.post("/statuses", v)
	box := byID(res.Doc, "compose-confirm")
	if res.StatusCode != http.StatusUnprocessableEntity || box == nil || attr(box, "name") != "confirm_personal_data" || hasAttr(box, "checked") {
		t.Fatalf("warn: %d, checkbox %v", res.StatusCode, box)
	}
	if !strings.Contains(res.Body, "I confirm this is not personal data about someone who uses services") ||
		!strings.Contains(text(byID(res.Doc, "compose-error")), "tick the box below") {
		t.Error("the checkbox or its explanation is missing")
	}
	v = hiddenFields(t, res, "/statuses")
	v.Set("status", textareaValue(res.Doc, "compose"))
	v.Set("confirm_personal_data", "1")
	if res := b.post("/statuses", v); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed: %d, want a redirect\n%s", res.StatusCode, res.Body)
	}
	if list, _ := env.svc.AccountStatuses(t.Context(), ann, ann.ID, starling.AccountStatusesFilter{}, starling.Page{Limit: 10}); len(list) != 1 || list[0].Text != draft {
		t.Fatalf("after confirming: %d posts", len(list))
	}

	// Off: nothing is checked, and the box does not ask the script to check.
	env.svc.Instance().Safeguarding = starling.SafeguardOff
	home := b.get("/")
	if f := findAll(home.Doc, func(n *html.Node) bool { return n.Data == "form" && hasAttr(n, "data-check") }); len(f) != 0 {
		t.Error("the compose box asks for checks with the check off")
	}
	if res := b.post("/statuses", composeFields(t, home, "Again "+nhsNumber)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("with the check off: %d", res.StatusCode)
	}
}

// TestComposeSafeguardingImage: a description with personal data is found
// before any image is uploaded; the draft and the description are kept and
// the error points at the description.
func TestComposeSafeguardingImage(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	dir := t.TempDir()
	files, err := diskmedia.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	env.svc.SetMediaFiles(files, imaging.Processor{})
	apptest.MustAccount(t, env.svc, "ann")
	b := env.newBrowser()
	b.signIn("ann@example.org", "password123")
	fields := map[string]string{}
	for k, v := range hiddenFields(t, b.get("/"), "/statuses") {
		fields[k] = v[0]
	}
	fields["status"] = "Our garden"
	fields["media1_description"] = "Mr C (NHS " + nhsNumber + ") planting sunflowers"
	res := b.postMultipart("/statuses", fields, map[string][]byte{"media1": photo(t)})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("%d, want 422", res.StatusCode)
	}
	if links := errorLinks(res.Doc); len(links) != 1 || links[0] != "#compose-media1-description" {
		t.Errorf("the error summary links to %v", links)
	}
	if e := byID(res.Doc, "compose-media1-description-error"); e == nil || !strings.Contains(text(e), "The description of image 1 seems to contain an NHS number") {
		t.Errorf("error at the description: %v", e)
	}
	if textareaValue(res.Doc, "compose-media1-description") != fields["media1_description"] || textareaValue(res.Doc, "compose") != "Our garden" {
		t.Error("the draft or the description was not kept")
	}
	n := 0
	_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, _ error) error {
		if d != nil && !d.IsDir() {
			n++
		}
		return nil
	})
	if n != 0 {
		t.Errorf("%d files uploaded for a refused post", n)
	}
}

// TestProfileSafeguarding: the profile form refuses personal data at the
// input it is in and keeps what was typed; where the policy warns, it
// offers the checkbox.
func TestProfileSafeguarding(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ann := apptest.MustAccount(t, env.svc, "ann")
	b := env.newBrowser()
	b.signIn("ann@example.org", "password123")
	form := url.Values{"display_name": {"Ann"}, "note": {"Support worker in Leeds"},
		"field_name_0": {"Role"}, "field_value_0": {"Carer"}, "field_name_1": {"Mobile"}, "field_value_1": {"07700 900123"}}
	res := b.submit(b.get("/settings/profile"), "/settings/profile", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("%d, want 422", res.StatusCode)
	}
	if links := errorLinks(res.Doc); len(links) != 1 || links[0] != "#field_value_1" {
		t.Errorf("the error summary links to %v", links)
	}
	if e := byID(res.Doc, "field_value_1-error"); e == nil || !strings.Contains(text(e), "The profile detail “Mobile” seems to contain a phone number (ending …23)") {
		t.Errorf("error at the detail: %v", e)
	}
	if attr(byID(res.Doc, "field_value_1"), "value") != "07700 900123" || attr(byID(res.Doc, "display_name"), "value") != "Ann" {
		t.Error("the input was not kept")
	}
	if byID(res.Doc, "confirm_personal_data") != nil {
		t.Error("a confirm checkbox where the policy blocks")
	}

	env.svc.Instance().Safeguarding = starling.SafeguardWarn
	res = b.submit(b.get("/settings/profile"), "/settings/profile", form)
	if res.StatusCode != http.StatusUnprocessableEntity || byID(res.Doc, "confirm_personal_data") == nil {
		t.Fatalf("warn: %d, no checkbox", res.StatusCode)
	}
	form.Set("confirm_personal_data", "1")
	if res := b.submit(res, "/settings/profile", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed: %d\n%s", res.StatusCode, res.Body)
	}
	if a, _ := env.svc.Account(t.Context(), ann.ID); len(a.Fields) != 2 {
		t.Errorf("fields %+v", a.Fields)
	}
}

// TestComposeCheck: POST /compose/check says what in a draft looks like
// personal data, naming the input and never the value; it needs a member
// and the form token.
func TestComposeCheck(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	apptest.MustAccount(t, env.svc, "ann")
	b := env.newBrowser()
	b.signIn("ann@example.org", "password123")
	token := hiddenFields(t, b.get("/"), "/statuses").Get("csrf_token")

	res := b.post("/compose/check", url.Values{"csrf_token": {token}, "status": {"Her NHS number is " + nhsNumber},
		"media2_description": {"Card 4111 1111 1111 1111"}})
	var got struct {
		Findings []struct{ Rule, Label, Field string }
		Message  string
	}
	if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(res.Body), &got) != nil {
		t.Fatalf("%d %s", res.StatusCode, res.Body)
	}
	if len(got.Findings) != 2 || got.Findings[0].Field != "status" || got.Findings[0].Rule != "nhs_number" ||
		got.Findings[1].Field != "media2_description" || got.Findings[1].Label != "a payment card number" {
		t.Errorf("findings %+v", got.Findings)
	}
	if !strings.HasPrefix(got.Message, "This looks like an NHS number (in the text, ending …19) and a payment card number (in the description of image 2, ending …11).") {
		t.Errorf("message %q", got.Message)
	}
	if strings.Contains(res.Body, "476") || strings.Contains(res.Body, "4111") {
		t.Errorf("the answer repeats a value: %s", res.Body)
	}
	res = b.post("/compose/check", url.Values{"csrf_token": {token}, "status": {"Lovely day at the day centre"}})
	if !strings.Contains(res.Body, `"findings":[]`) || !strings.Contains(res.Body, `"message":""`) {
		t.Errorf("a clean draft: %s", res.Body)
	}
	if res := b.post("/compose/check", url.Values{"status": {nhsNumber}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("without the form token: %d", res.StatusCode)
	}
	anon := env.newBrowser()
	anonToken := hiddenFields(t, anon.get("/auth/sign_in"), "/auth/sign_in").Get("csrf_token")
	if res := anon.post("/compose/check", url.Values{"csrf_token": {anonToken}, "status": {nhsNumber}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("signed out: %d", res.StatusCode)
	}
}

// TestSafeguardingWebNeverLogged: a refused post and profile log the rule,
// never the value; the live check logs nothing.
func TestSafeguardingWebNeverLogged(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })

	env := mustServer(t, starling.RegistrationsOpen, Options{})
	apptest.MustAccount(t, env.svc, "ann")
	b := env.newBrowser()
	b.signIn("ann@example.org", "password123")
	home := b.get("/")
	b.post("/compose/check", url.Values{"csrf_token": {hiddenFields(t, home, "/statuses").Get("csrf_token")}, "status": {"NHS " + nhsNumber}})
	mu.Lock()
	if buf.Len() != 0 && strings.Contains(buf.String(), "safeguarding") {
		t.Errorf("the live check logged: %s", buf.String())
	}
	mu.Unlock()
	if res := b.post("/statuses", composeFields(t, home, "NHS "+nhsNumber+", DOB 12/03/1941")); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("%d", res.StatusCode)
	}
	b.submit(b.get("/settings/profile"), "/settings/profile", url.Values{"note": {"Mobile 07700 900123"}})
	mu.Lock()
	logs := buf.String()
	mu.Unlock()
	if !strings.Contains(logs, "safeguarding: post refused") || !strings.Contains(logs, "rule=nhs_number,date_of_birth") ||
		!strings.Contains(logs, "safeguarding: profile refused") || !strings.Contains(logs, "rule=phone") {
		t.Errorf("the log does not name the rules:\n%s", logs)
	}
	for _, v := range []string{nhsNumber, nhsDigits, "5919", "1941", "07700", "900123"} {
		if strings.Contains(logs, v) {
			t.Errorf("the log holds %q:\n%s", v, logs)
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestBrowserSafeguarding: typing an NHS number into the compose box says
// so in a live region beside it as typing pauses; posting shows the error
// with the draft kept; taking the number out clears the warning and posts.
// Where the policy warns, the member ticks the checkbox and posts.
func TestBrowserSafeguarding(t *testing.T) {
	j := newJourney(t)
	apptest.MustAccount(t, j.env.svc, "ann")
	j.signIn("ann@example.org", "password123")
	j.open("/")
	draft := "Please update Mrs B's record, NHS number " + nhsNumber
	j.do("type a post with an NHS number", chromedp.SendKeys(chromedp.CSS("#compose"), draft))
	j.waitFor("the live warning", `document.getElementById("compose-safeguard").textContent.startsWith("This looks like an NHS number (in the text, ending …19).")`)
	if !eval[bool](j, `document.getElementById("compose").hasAttribute("data-personal-data") && document.getElementById("compose-safeguard").getAttribute("role") === "status"`) {
		t.Error("the text is not marked, or the warning is not a live region")
	}
	j.at("compose with a safeguarding warning", "/")

	j.do("post it anyway", chromedp.Click(chromedp.CSS(`form[data-compose] button[type=submit]`)))
	j.waitFor("the error, with the draft kept", `(() => { const s = document.querySelector(".error-summary"); return !!s && s.textContent.includes("seems to contain an NHS number") && document.getElementById("compose").value === `+jsString(draft)+` })()`)
	j.at("compose refused for personal data", "/")
	if n := eval[int](j, `document.querySelectorAll("#feed article").length`); n != 0 {
		t.Fatalf("%d posts shown", n)
	}

	j.do("take the number out",
		chromedp.Clear(chromedp.CSS("#compose")),
		chromedp.SendKeys(chromedp.CSS("#compose"), "Please update Mrs B's record before Friday"),
	)
	j.waitFor("the warning to clear", `document.getElementById("compose-safeguard").textContent === "" && !document.getElementById("compose").hasAttribute("data-personal-data")`)
	j.do("post", chromedp.Click(chromedp.CSS(`form[data-compose] button[type=submit]`)))
	j.waitFor("the post", `location.pathname === "/" && [...document.querySelectorAll("#feed article")].some((a) => a.textContent.includes("before Friday"))`)

	// Where the policy warns: the member confirms with the checkbox.
	j.env.svc.Instance().Safeguarding = starling.SafeguardWarn
	j.open("/")
	j.do("type and post a reference that looks like an NHS number",
		chromedp.SendKeys(chromedp.CSS("#compose"), "Our ward's phone list is reference "+nhsDigits),
		chromedp.Click(chromedp.CSS(`form[data-compose] button[type=submit]`)),
	)
	j.waitFor("the checkbox", `!!document.getElementById("compose-confirm")`)
	j.at("compose asking to confirm", "/")
	j.do("confirm and post",
		chromedp.Click(chromedp.CSS("#compose-confirm")),
		chromedp.Click(chromedp.CSS(`form[data-compose] button[type=submit]`)),
	)
	j.waitFor("the confirmed post", `[...document.querySelectorAll("#feed article")].some((a) => a.textContent.includes("reference `+nhsDigits+`"))`)
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
