package web

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
	"starling/events"
)

// wallEnv is a test server for the wall whose event streams the test can
// cut, as a restart would: Close on the hub ends every open stream, and
// while down is set the wall's event stream answers 503, as a proxy does
// while the server behind it restarts.
type wallEnv struct {
	*testEnv
	hub    *events.Hub
	down   atomic.Bool
	tag    string
	poster *starling.Account
}

func mustWallServer(t *testing.T) *wallEnv {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	in := apptest.Instance()
	in.Domain = srv.Listener.Addr().String()
	in.BaseURL = "http://" + in.Domain
	svc, _ := apptest.MustService(t, "sqlite", in)
	env := &wallEnv{hub: events.NewHub(0), tag: "adassspring"}
	svc.SetEvents(env.hub)
	pages := NewHandler(svc, Options{})
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if env.down.Load() && strings.HasSuffix(r.URL.Path, "/events") {
			http.Error(w, "Restarting", http.StatusServiceUnavailable)
			return
		}
		pages.ServeHTTP(w, r)
	})
	srv.Start()
	t.Cleanup(func() {
		srv.Listener.Close()
		env.hub.Close() // open streams would keep Close waiting
		srv.CloseClientConnections()
		srv.Close()
	})
	env.testEnv = &testEnv{t: t, svc: svc, srv: srv}
	env.poster = apptest.MustAccount(t, svc, "amara")
	name := "Amara Okafor"
	if _, err := svc.UpdateProfile(context.Background(), env.poster, starling.ProfileUpdate{DisplayName: &name}); err != nil {
		t.Fatal(err)
	}
	env.mustStaff("organiser")
	return env
}

// post publishes text with the wall's hashtag as amara.
func (e *wallEnv) post(text string) *starling.Status {
	e.t.Helper()
	s, err := e.svc.PostStatus(context.Background(), e.poster, starling.NewStatus{Text: text + " #" + e.tag})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// organiser returns an HTTP client signed in as the staff member.
func (e *wallEnv) organiser() *browser {
	b := e.newBrowser()
	b.signIn("organiser", "password123")
	return b
}

// moderate takes a decision through the moderation page's form, as a
// moderator at a laptop would, and checks it went through.
func (e *wallEnv) moderate(b *browser, s *starling.Status, action string) {
	e.t.Helper()
	page := b.get("/wall/" + e.tag + "/moderate")
	form := fmt.Sprintf("/wall/%s/posts/%d/%s", e.tag, s.ID, action)
	res := b.submit(page, form, nil)
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("%s post %d: status %d: %s", action, s.ID, res.StatusCode, res.Body)
	}
}

// wallIDs returns the IDs of the posts in a wall page or fragment, in order.
func wallIDs(doc *html.Node) []string {
	var out []string
	for _, n := range findAll(doc, func(n *html.Node) bool { return n.Data == "li" && hasAttr(n, "data-id") }) {
		out = append(out, attr(n, "data-id"))
	}
	return out
}

func statusIDs(list ...*starling.Status) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = starling.FormatID(s.ID)
	}
	return out
}

func TestWallPage(t *testing.T) {
	env := mustWallServer(t)
	first := env.post("Keynote starting")
	second := env.post("<script>alert(1)</script> & workforce panel")
	b := env.newBrowser()

	t.Run("OK", func(t *testing.T) {
		res := b.get("/wall/AdassSpring")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		if got := wallIDs(res.Doc); strings.Join(got, ",") != strings.Join(statusIDs(second, first), ",") {
			t.Errorf("posts %v; want newest first", got)
		}
		if h1 := findAll(res.Doc, func(n *html.Node) bool { return n.Data == "h1" }); len(h1) != 1 || text(h1[0]) != "#adassspring live" {
			t.Errorf("heading: %v", h1)
		}
		join := text(findAll(res.Doc, func(n *html.Node) bool { return attr(n, "class") == "wall-join" })[0])
		if want := env.svc.Instance().Domain + "/tags/adassspring"; !strings.Contains(join, want) {
			t.Errorf("join corner %q lacks %q", join, want)
		}
		if strings.Contains(res.Body, "<script>alert") || !strings.Contains(res.Body, "Amara Okafor") {
			t.Errorf("post not escaped, or author missing: %s", res.Body)
		}
		if strings.Contains(res.Body, "/moderate") {
			t.Error("a visitor sees the link to moderate")
		}
		if scripts := findAll(res.Doc, func(n *html.Node) bool {
			return n.Data == "script" && attr(n, "src") != "/static/wall.js" || n.Data == "style" || hasAttr(n, "style")
		}); len(scripts) > 0 {
			t.Errorf("inline script or style: %d", len(scripts))
		}
	})
	t.Run("Themes", func(t *testing.T) {
		for query, class := range map[string]string{
			"":                                "wall",
			"?theme=dark&size=large":          "wall wall-dark wall-large",
			"?theme=light":                    "wall wall-light",
			"?theme=%22%3E%3Cb%3E&size=small": "wall",
		} {
			res := b.get("/wall/adassspring" + query)
			if got := attr(res.Doc.FirstChild.NextSibling, "class"); got != class {
				t.Errorf("%s: class %q; want %q", query, got, class)
			}
		}
	})
	t.Run("StaffSeeModerateLink", func(t *testing.T) {
		res := env.organiser().get("/wall/adassspring")
		if !strings.Contains(res.Body, `href="/wall/adassspring/moderate"`) {
			t.Error("no link to moderate for staff")
		}
	})
	t.Run("ErrNotAHashtag", func(t *testing.T) {
		res := b.get("/wall/not%20a%20tag")
		if res.StatusCode != http.StatusNotFound || res.Doc == nil || !strings.Contains(res.Body, "not a hashtag") {
			t.Errorf("status %d: %s", res.StatusCode, res.Body)
		}
	})
	t.Run("Static", func(t *testing.T) {
		for _, path := range []string{"/static/wall.js", "/static/wall.css"} {
			if res := b.get(path); res.StatusCode != http.StatusOK || len(res.Body) < 500 {
				t.Errorf("%s: status %d", path, res.StatusCode)
			}
		}
	})
}

func TestWallPostsFragment(t *testing.T) {
	env := mustWallServer(t)
	p1, p2, p3 := env.post("one"), env.post("two"), env.post("three")
	b := env.newBrowser()
	staff := env.organiser()
	env.moderate(staff, p2, "hide")
	env.moderate(staff, p1, "pin")

	t.Run("All", func(t *testing.T) {
		res := b.get("/wall/adassspring/posts")
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("status %d, cache %q", res.StatusCode, res.Header.Get("Cache-Control"))
		}
		pinned := wallIDs(byID(res.Doc, "wall-pinned-list"))
		posts := wallIDs(byID(res.Doc, "wall-posts"))
		if strings.Join(pinned, ",") != strings.Join(statusIDs(p1), ",") || strings.Join(posts, ",") != strings.Join(statusIDs(p3), ",") {
			t.Errorf("pinned %v, posts %v; want one pinned, two hidden, three", pinned, posts)
		}
		if strings.Contains(res.Body, "<html") || strings.Contains(res.Body, "<head") {
			t.Error("the fragment is a whole page")
		}
	})
	t.Run("SinceID", func(t *testing.T) {
		p4 := env.post("four")
		res := b.get("/wall/adassspring/posts?since_id=" + starling.FormatID(p3.ID))
		if got := wallIDs(res.Doc); strings.Join(got, ",") != strings.Join(statusIDs(p4), ",") {
			t.Errorf("since three: %v; want four only (no pins)", got)
		}
		res = b.get("/wall/adassspring/posts?since_id=" + starling.FormatID(p4.ID))
		if got := wallIDs(res.Doc); len(got) != 0 {
			t.Errorf("since the newest: %v", got)
		}
	})
	t.Run("ErrBadSinceID", func(t *testing.T) {
		if res := b.get("/wall/adassspring/posts?since_id=x"); res.StatusCode != http.StatusBadRequest {
			t.Errorf("status %d", res.StatusCode)
		}
	})
}

func TestWallModeratePage(t *testing.T) {
	env := mustWallServer(t)
	p1, p2 := env.post("one"), env.post("two")
	member := env.newBrowser()
	apptest.MustAccount(t, env.svc, "mo")
	member.signIn("mo", "password123")
	staff := env.organiser()
	page := "/wall/adassspring/moderate"
	hide := fmt.Sprintf("/wall/adassspring/posts/%d/hide", p1.ID)

	t.Run("SignedOutSignIn", func(t *testing.T) {
		res := env.newBrowser().get(page)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/auth/sign_in?next="+url.QueryEscape(page) {
			t.Errorf("status %d, location %q", res.StatusCode, res.Header.Get("Location"))
		}
	})
	t.Run("ErrMember", func(t *testing.T) {
		res := member.get(page)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "Only the community&#39;s moderators and admins") {
			t.Errorf("status %d: %s", res.StatusCode, excerpt(res.Body, 300))
		}
		// Even with the form token, a member's decision is refused.
		v := url.Values{"csrf_token": {member.cookie(csrfCookie)}}
		if res := member.post(hide, v); res.StatusCode != http.StatusForbidden {
			t.Errorf("member hid a post: status %d", res.StatusCode)
		}
	})
	t.Run("OK", func(t *testing.T) {
		res := staff.get(page)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		for _, action := range []string{hide, fmt.Sprintf("/wall/adassspring/posts/%d/pin", p2.ID),
			fmt.Sprintf("/wall/adassspring/posts/%d/approve", p2.ID), "/wall/adassspring/approve_first"} {
			if v := hiddenFields(t, res, action); len(v["csrf_token"]) != 1 || v.Get("csrf_token") == "" {
				t.Errorf("form %s has no form token: %v", action, v)
			}
		}
		if !strings.Contains(res.Body, `href="/wall/adassspring?theme=dark&amp;size=large"`) {
			t.Error("no link to the wall for a projector")
		}
	})
	t.Run("ErrNoFormToken", func(t *testing.T) {
		res := staff.post(hide, url.Values{})
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "The form expired") {
			t.Errorf("status %d", res.StatusCode)
		}
		if feed, _ := env.svc.WallPosts(context.Background(), "adassspring", 0, 0); len(feed.Posts) != 2 {
			t.Errorf("a post was hidden without a form token: %v", feed.Posts)
		}
	})
	t.Run("Hide", func(t *testing.T) {
		res := staff.submit(staff.get(page), hide, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page+"?done=hide#m-"+starling.FormatID(p1.ID) {
			t.Fatalf("status %d, location %q", res.StatusCode, res.Header.Get("Location"))
		}
		after := staff.follow(res)
		if n := byID(after.Doc, "m-"+starling.FormatID(p1.ID)); n == nil || !strings.Contains(text(n), "On the wall: hidden") {
			t.Errorf("the post's state after hiding: %v", n)
		}
		if !strings.Contains(after.Body, "The post is hidden from the wall.") {
			t.Error("no notice")
		}
		if got := wallIDs(env.newBrowser().get("/wall/adassspring").Doc); strings.Join(got, ",") != strings.Join(statusIDs(p2), ",") {
			t.Errorf("the wall shows %v after hiding one", got)
		}
	})
	t.Run("ErrTooManyPins", func(t *testing.T) {
		extra := []*starling.Status{env.post("a"), env.post("b"), env.post("c")}
		for _, s := range extra {
			env.moderate(staff, s, "pin")
		}
		res := staff.submit(staff.get(page), fmt.Sprintf("/wall/adassspring/posts/%d/pin", p2.ID), nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "at most 3 pinned posts") || byID(res.Doc, "error-summary-title") == nil {
			t.Errorf("status %d: %s", res.StatusCode, excerpt(res.Body, 400))
		}
	})
	t.Run("ApproveFirst", func(t *testing.T) {
		res := staff.submit(staff.get(page), "/wall/adassspring/approve_first", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d: %s", res.StatusCode, res.Body)
		}
		if w, _ := env.svc.Wall(context.Background(), "adassspring"); !w.ApproveFirst {
			t.Error("approve-first is still off")
		}
		after := staff.follow(res)
		if !strings.Contains(after.Body, "Approve-first is on") || !strings.Contains(text(byID(after.Doc, "m-"+starling.FormatID(p2.ID))), "waiting for approval") {
			t.Errorf("after turning approve-first on: %s", excerpt(text(after.Doc), 600))
		}
		bad := url.Values{"csrf_token": {staff.cookie(csrfCookie)}, "approve_first": {"maybe"}}
		if res := staff.post("/wall/adassspring/approve_first", bad); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("approve_first=maybe: status %d", res.StatusCode)
		}
	})
	t.Run("ErrUnknownPost", func(t *testing.T) {
		v := url.Values{"csrf_token": {staff.cookie(csrfCookie)}}
		if res := staff.post("/wall/adassspring/posts/12345/hide", v); res.StatusCode != http.StatusNotFound || res.Doc == nil {
			t.Errorf("status %d", res.StatusCode)
		}
		if res := staff.post(fmt.Sprintf("/wall/adassspring/posts/%d/delete", p2.ID), v); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("unknown action: status %d", res.StatusCode)
		}
	})
}

// sseEvent is one server-sent event.
type sseEvent struct{ name, data string }

// mustOpenStream opens a server-sent event stream and returns its events
// as they arrive, and the retry delay the server asked for.
func mustOpenStream(t *testing.T, u string) (<-chan sseEvent, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	return mustOpenStreamWith(t, req)
}

// mustOpenStreamWith sends req, which must be answered with an event
// stream, and returns its events and its first line.
func mustOpenStreamWith(t *testing.T, req *http.Request) (<-chan sseEvent, string) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	r := bufio.NewReader(res.Body)
	retry, _ := r.ReadString('\n')
	out := make(chan sseEvent, 16)
	go func() {
		defer close(out)
		defer res.Body.Close()
		var ev sseEvent
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case line == "" && ev.name != "":
				out <- ev
				ev = sseEvent{}
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return out, strings.TrimSpace(retry)
}

func TestWallEvents(t *testing.T) {
	env := mustWallServer(t)
	stream, retry := mustOpenStream(t, env.srv.URL+"/wall/AdassSpring/events")
	if retry != "retry: 2000" {
		t.Errorf("first line %q; want a retry delay", retry)
	}
	next := func() sseEvent {
		t.Helper()
		select {
		case ev := <-stream:
			return ev
		case <-time.After(5 * time.Second):
			t.Fatal("no event within 5 seconds")
		}
		return sseEvent{}
	}
	if _, err := env.svc.PostStatus(context.Background(), env.poster, starling.NewStatus{Text: "not for the wall #other"}); err != nil {
		t.Fatal(err)
	}
	s := env.post("on the wall")
	if ev := next(); ev != (sseEvent{"update", starling.FormatID(s.ID)}) {
		t.Errorf("after a post: %+v", ev)
	}
	u, _ := env.svc.LookupAccount(context.Background(), "organiser")
	staff, _ := env.svc.Store().User(context.Background(), u.ID)
	if err := env.svc.ModerateWall(context.Background(), staff, "adassspring", s.ID, starling.WallHide); err != nil {
		t.Fatal(err)
	}
	if ev := next(); ev.name != "wall.changed" {
		t.Errorf("after hiding: %+v", ev)
	}
	if _, err := env.svc.DeleteStatus(context.Background(), env.poster, s.ID); err != nil {
		t.Fatal(err)
	}
	if ev := next(); ev != (sseEvent{"delete", starling.FormatID(s.ID)}) {
		t.Errorf("after deleting: %+v", ev)
	}
	// A restart ends the stream; the browser then reconnects.
	env.hub.Close()
	select {
	case _, open := <-stream:
		if open {
			t.Error("an event after the hub closed")
		}
	case <-time.After(5 * time.Second):
		t.Error("the stream outlived its hub")
	}
}

// TestWallBrowser opens the wall in Chromium and keeps it open throughout:
// posts appear as they are posted, a post hidden on the moderation page
// disappears, a pinned one goes to the top, and after the stream drops
// (as in a restart) the wall catches up with what was posted meanwhile.
// The wall passes axe-core in both themes.
func TestWallBrowser(t *testing.T) {
	ctx := mustBrowser(t)
	axeScript(t)
	keepScreenshot(t, ctx)
	// Without motion, no post is half faded in when axe measures contrast.
	if err := emulateMedia(ctx, "prefers-color-scheme", "light", "prefers-reduced-motion", "reduce"); err != nil {
		t.Fatal(err)
	}
	env := mustWallServer(t)
	j := &journey{t: t, ctx: ctx, env: env.testEnv, seen: map[string]bool{}, axe: true}
	early := env.post("Doors open in the main hall")

	j.do("open the wall", chromedp.Navigate(env.srv.URL+"/wall/adassspring"), chromedp.WaitReady(chromedp.CSS("#wall-posts")))
	j.do("mark the window", chromedp.Evaluate[chromedp.Void](`window.wallMarker = "never reloaded"`))
	j.waitFor("the wall's event stream", `document.getElementById("wall").starlingEvents?.readyState === 1`)
	mustPassAxe(t, ctx, "wall (light)")

	posted := []*starling.Status{env.post("Keynote: the workforce strategy"), env.post("Panel on carers' pay"), env.post("Coffee is in the atrium")}
	j.waitFor("three new posts at the top", fmt.Sprintf(`Array.from(document.querySelectorAll("#wall-posts > li")).map(li => li.dataset.id).join() === %q`,
		strings.Join(statusIDs(posted[2], posted[1], posted[0], early), ",")))
	if got := eval[string](j, `document.querySelector("#wall-posts > li .wall-author").textContent`); !strings.Contains(got, "Amara Okafor") {
		t.Errorf("author shown as %q", got)
	}
	// Screen readers hear a count a few seconds later, not each post.
	j.waitFor("the new posts announced", `/^\d+ new posts? on the wall$/.test(document.getElementById("wall-announce").textContent)`)

	staff := env.organiser()
	env.moderate(staff, posted[1], "hide")
	j.waitFor("the hidden post gone", fmt.Sprintf(`!document.getElementById("wall-%d")`, posted[1].ID))
	env.moderate(staff, early, "pin")
	j.waitFor("the pinned post on top", fmt.Sprintf(`document.querySelector(".wall-post").id === "wall-%d" && !document.getElementById("wall-pinned").hidden`, early.ID))

	// The stream drops and stays down for a while, as when the server
	// restarts behind a proxy; what is posted meanwhile shows once the
	// wall is back.
	env.down.Store(true)
	env.hub.Close()
	j.waitFor("the stream to drop", `document.getElementById("wall").starlingEvents.readyState !== 1`)
	fetches := eval[int](j, `document.getElementById("wall").starlingFetches`)
	missed := env.post("Posted while the wall was away")
	time.Sleep(2500 * time.Millisecond) // past the browser's own retry, into wall.js's back-off
	if eval[bool](j, fmt.Sprintf(`!!document.getElementById("wall-%d")`, missed.ID)) {
		t.Fatal("the wall saw a post while its stream was down; the test proves nothing")
	}
	env.down.Store(false)
	j.waitFor("the missed post after reconnecting", fmt.Sprintf(`document.getElementById("wall").starlingEvents.readyState === 1 && !!document.getElementById("wall-%d")`, missed.ID))
	if eval[int](j, `document.getElementById("wall").starlingFetches`) <= fetches {
		t.Error("no catch-up fetch after reconnecting")
	}
	// And it is live again.
	again := env.post("Back to the keynote")
	j.waitFor("a post after reconnecting", fmt.Sprintf(`!!document.getElementById("wall-%d")`, again.ID))

	if m := eval[string](j, `window.wallMarker || ""`); m != "never reloaded" {
		t.Fatalf("the wall reloaded (marker %q)", m)
	}
	if err := emulateMedia(ctx, "prefers-color-scheme", "dark", "prefers-reduced-motion", "reduce"); err != nil {
		t.Fatal(err)
	}
	mustPassAxe(t, ctx, "wall (system dark)")

	// The moderation page, in both themes, and the wall as staff see it.
	j.signIn("organiser", "password123")
	j.open("/wall/adassspring/moderate")
	mustPassAxe(t, ctx, "moderation (dark)")
	if err := emulateMedia(ctx, "prefers-color-scheme", "light", "prefers-reduced-motion", "reduce"); err != nil {
		t.Fatal(err)
	}
	mustPassAxe(t, ctx, "moderation (light)")
	j.do("open the wall from the moderation page", chromedp.Click(chromedp.CSS(`main a[href="/wall/adassspring?theme=dark&size=large"]`)))
	j.waitFor("the wall with a link to moderate", `!!document.querySelector('.wall-staff a[href="/wall/adassspring/moderate"]')`)
	// As on a projector; the screenshot kept is the last, dark one.
	j.do("a projector's screen", chromedp.EmulateViewport(1920, 1080))
	for _, theme := range []string{"light", "dark"} {
		j.do("open the "+theme+" wall", chromedp.Navigate(env.srv.URL+"/wall/adassspring?theme="+theme+"&size=large"), chromedp.WaitReady(chromedp.CSS("#wall-posts")))
		mustPassAxe(t, ctx, "wall ("+theme+", large)")
	}
}
