package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"starling"
	"starling/apptest"
	txt "starling/text"
)

// journey drives one browser through the site and checks each page it
// lands on with axe-core, so every page of the journey is covered.
type journey struct {
	t    *testing.T
	ctx  context.Context
	env  *testEnv
	seen map[string]bool // pages already checked with axe
	axe  bool            // false with JavaScript off, when axe-core cannot run
}

func newJourney(t *testing.T) *journey {
	t.Helper()
	ctx := mustBrowser(t)
	axeScript(t) // skip or fail before doing anything
	keepScreenshot(t, ctx)
	// Smooth scrolling would animate each scroll-into-view before a
	// click, and the click could land mid-scroll on the wrong element.
	if err := withReducedMotion(ctx); err != nil {
		t.Fatal(err)
	}
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	return &journey{t: t, ctx: ctx, env: env, seen: map[string]bool{}, axe: true}
}

// do runs browser steps, failing the test with what was being done.
func (j *journey) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	if err := chromedp.Do(j.ctx, steps...); err != nil {
		loc, _ := chromedp.Run(j.ctx, chromedp.Location())
		j.t.Fatalf("%s: %v (at %s)", what, err, loc)
	}
}

// open loads a page of the test server.
func (j *journey) open(path string) {
	j.t.Helper()
	j.do("open "+path, chromedp.Navigate(j.env.srv.URL+path), chromedp.WaitReady(chromedp.CSS("footer")))
}

// at checks the browser is on path, then runs axe on the page once per name.
func (j *journey) at(name, path string) {
	j.t.Helper()
	j.waitFor(name, fmt.Sprintf(`location.pathname === %q && document.readyState === "complete"`, path))
	if j.axe && !j.seen[name] {
		j.seen[name] = true
		mustPassAxe(j.t, j.ctx, name)
	}
}

// waitFor waits until a JavaScript expression is true. Errors while the
// browser is between pages are expected and retried.
func (j *journey) waitFor(what, expr string) {
	j.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		var ok bool
		if ok, err = chromedp.Run(j.ctx, chromedp.Evaluate[bool]("!!("+expr+")")); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	loc, _ := chromedp.Run(j.ctx, chromedp.Location())
	body, _ := chromedp.Run(j.ctx, chromedp.Text(chromedp.CSS("main")))
	j.t.Fatalf("waiting for %s (%s): %v\nat %s:\n%s", what, expr, err, loc, excerpt(body, 600))
}

// eval returns the value of a JavaScript expression.
func eval[T any](j *journey, expr string) T {
	j.t.Helper()
	v, err := chromedp.Run(j.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		j.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// mainText is the text of the page's main content.
func (j *journey) mainText() string {
	j.t.Helper()
	s, err := chromedp.Run(j.ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		j.t.Fatal(err)
	}
	return s
}

// watchHosts records the host of every request the browser makes from now on.
func (j *journey) watchHosts() func() []string {
	var mu sync.Mutex
	hosts := map[string]bool{}
	err := chromedp.Listen(j.ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			if u, err := url.Parse(e.Request.URL); err == nil && u.Host != "" {
				mu.Lock()
				hosts[u.Host] = true
				mu.Unlock()
			}
		}
	})
	if err != nil {
		j.t.Fatal(err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		var out []string
		for h := range hosts {
			out = append(out, h)
		}
		return out
	}
}

// textLength counts a post as the server does.
func textLength(s string) int { return txt.Length(s) }

// TestJourney is a new member's first session, with the mouse and with
// JavaScript on: sign up, the first-run guide, post, follow and see a post,
// reply, favourite, a direct message, a hashtag page and a list. Every page
// on the way passes axe-core.
func TestJourney(t *testing.T) {
	j := newJourney(t)
	ctx := context.Background()
	svc := j.env.svc
	olu := apptest.MustAccount(t, svc, "olu")
	name := "Olu Bello"
	if _, err := svc.UpdateProfile(ctx, olu, starling.ProfileUpdate{DisplayName: &name}); err != nil {
		t.Fatal(err)
	}
	oluPost, err := svc.PostStatus(ctx, olu, starling.NewStatus{Text: "Live from the conference hall: workforce panel next #adassspring"})
	if err != nil {
		t.Fatal(err)
	}

	hosts := j.watchHosts()

	// Landing page, then sign up.
	j.open("/")
	j.at("landing", "/")
	j.do("sign up",
		chromedp.Click(chromedp.CSS(`main a[href="/auth/sign_up"]`)),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), "quinn"),
		chromedp.SendKeys(chromedp.CSS("#email"), "quinn@council.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "correct horse battery"),
		chromedp.SendKeys(chromedp.CSS("#password_confirmation"), "correct horse battery"),
		chromedp.Click(chromedp.CSS("#agreement")),
		chromedp.Click(chromedp.CSS(`form[action="/auth/sign_up"] button[type=submit]`)),
	)

	// The first-run guide: guidance, profile details, people to follow.
	j.at("start: guidance", "/start")
	if text := j.mainText(); !strings.Contains(text, "Never share anything that could identify a person") {
		t.Errorf("guidance page lacks the confidentiality rule: %s", excerpt(text, 300))
	}
	j.do("next step", chromedp.Click(chromedp.CSS(`a[href="/start/profile"]`)))
	j.at("start: profile", "/start/profile")
	j.do("fill in profile",
		chromedp.SendKeys(chromedp.CSS("#role"), "Social worker"),
		chromedp.SendKeys(chromedp.CSS("#organisation"), "Fernhill Council"),
		chromedp.SetValue(chromedp.CSS("#region"), "North West"),
		chromedp.Click(chromedp.CSS(`form[action="/start/profile"] button[type=submit]`)),
	)
	j.at("start: follow", "/start/follow")
	j.do("follow a suggested member", chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="/accounts/%d/follow"] button`, olu.ID))))
	j.waitFor("the follow", `document.querySelector("main").textContent.includes("You follow 1 person so far")`)
	quinn, err := svc.LookupAccount(ctx, "quinn")
	if err != nil {
		t.Fatal(err)
	}
	if rel, err := svc.Relationship(ctx, quinn, olu.ID); err != nil || !rel.Following {
		t.Fatalf("after the guide quinn follows olu: %+v, %v", rel, err)
	}
	fields := map[string]string{}
	for _, f := range quinn.Fields {
		fields[f.Name] = f.Value
	}
	if fields["Role"] != "Social worker" || fields["Organisation"] != "Fernhill Council" || fields["Region"] != "North West" {
		t.Errorf("profile fields after the guide: %v", quinn.Fields)
	}
	j.do("finish the guide", chromedp.Click(chromedp.CSS(`main a.button[href="/"]`)))

	// Home: the followed member's post is there; post one of our own
	// without a reload, and the counter counts as the server does.
	j.at("home", "/")
	j.waitFor("olu's post on home", fmt.Sprintf(`!!document.getElementById("s-%d")`, oluPost.ID))
	j.do("mark the page", chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`))
	j.do("type a post", chromedp.SendKeys(chromedp.CSS("#compose"), "First post from the web, see https://example.org/a/very/long/path/that/counts/as/23 #adassspring"))
	counter := eval[string](j, `document.getElementById("compose-counter").textContent`)
	wantLeft := j.env.svc.Instance().MaxChars - textLength("First post from the web, see https://example.org/a/very/long/path/that/counts/as/23 #adassspring")
	if counter != fmt.Sprintf("%d characters left", wantLeft) {
		t.Errorf("counter says %q, want %d characters left", counter, wantLeft)
	}
	j.do("post", chromedp.Click(chromedp.CSS(`form[data-compose] button[type=submit]`)))
	j.waitFor("the new post in the feed", `document.querySelector("#feed").textContent.includes("First post from the web")`)
	if !eval[bool](j, `window.notReloaded === true`) {
		t.Error("posting reloaded the page; with JavaScript it should not")
	}
	if v := eval[string](j, `document.getElementById("compose").value`); v != "" {
		t.Errorf("compose box not emptied: %q", v)
	}
	mine, err := svc.AccountStatuses(ctx, quinn, quinn.ID, starling.AccountStatusesFilter{}, starling.Page{})
	if err != nil || len(mine) != 1 {
		t.Fatalf("quinn's posts after posting once: %d, %v", len(mine), err)
	}

	// Favourite olu's post in place: the button's state changes, the page stays.
	fav := fmt.Sprintf(`#s-%d form[action$="/favourite"] button`, oluPost.ID)
	j.do("favourite", chromedp.Click(chromedp.CSS(fav)))
	j.waitFor("favourited", fmt.Sprintf(`document.querySelector('#s-%d form[action$="/unfavourite"] button[aria-pressed="true"]') !== null`, oluPost.ID))
	if !eval[bool](j, `window.notReloaded === true`) {
		t.Error("favouriting reloaded the page")
	}
	if s, _ := svc.GetStatus(ctx, quinn, oluPost.ID); !s.Viewer.Favourited {
		t.Error("the favourite was not stored")
	}

	j.waitFor("the page's live connection", `document.getElementById("feed").starlingLive && document.getElementById("feed").starlingLive.readyState === 1`)
	// Someone followed posts: the timeline says so in a banner, and shows
	// the posts when asked, without moving what is being read.
	fresh, err := svc.PostStatus(ctx, olu, starling.NewStatus{Text: "Panel starting now #adassspring"})
	if err != nil {
		t.Fatal(err)
	}
	// No nudge: the server tells the page (server-sent events from /live).
	j.waitFor("the banner", `document.querySelector("#new-posts button") !== null`)
	if b := eval[string](j, `document.querySelector("#new-posts button").textContent`); b != "Show 1 new post" {
		t.Errorf("banner says %q", b)
	}
	if eval[bool](j, fmt.Sprintf(`!!document.getElementById("s-%d")`, fresh.ID)) {
		t.Error("the new post was inserted before the reader asked")
	}
	j.do("show new posts", chromedp.Click(chromedp.CSS("#new-posts button")))
	j.waitFor("the new post at the top, focused", fmt.Sprintf(`document.querySelector("#feed > article").id === "s-%d" && document.activeElement.id === "s-%d"`, fresh.ID, fresh.ID))

	// Reply from the post's page.
	j.do("open olu's post", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#s-%d .status-meta a`, oluPost.ID))))
	j.at("post", fmt.Sprintf("/@olu/%d", oluPost.ID))
	j.do("reply",
		chromedp.SendKeys(chromedp.CSS("#reply"), "Looking forward to it!"),
		chromedp.Click(chromedp.CSS(`#reply-heading ~ form button[type=submit]`)),
	)
	j.waitFor("the reply's own page", `document.querySelector(".status-focus") && document.querySelector(".status-focus").textContent.includes("Looking forward to it!")`)
	_, replies, err := svc.StatusContext(ctx, nil, oluPost.ID)
	if err != nil || len(replies) != 1 || !strings.Contains(replies[0].Text, "Looking forward") || !strings.HasPrefix(replies[0].Text, "@olu ") {
		t.Fatalf("replies: %v, %v", replies, err)
	}

	// A hashtag page, reached from the post's link.
	j.open(fmt.Sprintf("/@olu/%d", oluPost.ID))
	j.do("open the hashtag", chromedp.Click(chromedp.CSS(`.status-focus a.hashtag`)))
	j.at("hashtag", "/tags/adassspring")
	if text := j.mainText(); !strings.Contains(text, "Live from the conference hall") || !strings.Contains(text, "First post from the web") {
		t.Errorf("hashtag page: %s", excerpt(text, 400))
	}

	// A direct message, with the reminder about case information in view.
	j.open("/conversations")
	j.at("messages", "/conversations")
	if text := j.mainText(); !strings.Contains(text, "never include case information") {
		t.Errorf("no reminder on the messages page: %s", excerpt(text, 300))
	}
	j.do("new message", chromedp.Click(chromedp.CSS(`a[href="/compose?visibility=direct"]`)))
	j.at("new message", "/compose")
	j.do("write the message",
		chromedp.SendKeys(chromedp.CSS("#compose"), "@olu can we talk about the panel?"),
		chromedp.Click(chromedp.CSS(`form[data-compose] button[type=submit]`)),
	)
	j.waitFor("the message's page", `document.querySelector(".status-focus") !== null`)
	convs, err := svc.Conversations(ctx, olu, starling.Page{})
	if err != nil || len(convs) != 1 || convs[0].LastStatus.Visibility != starling.VisibilityDirect {
		t.Fatalf("olu's conversations: %v, %v", convs, err)
	}

	// A list of people worth following, with olu on it.
	j.open("/lists")
	j.at("lists", "/lists")
	j.do("create a list",
		chromedp.SendKeys(chromedp.CSS("#list-title"), "People in social care worth following"),
		chromedp.Click(chromedp.CSS(`form[action="/lists"] button[type=submit]`)),
	)
	j.waitFor("the list's page", `location.pathname.endsWith("/edit")`)
	j.at("list: manage", eval[string](j, `location.pathname`))
	j.do("add olu", chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action$="/members/%d/add"] button`, olu.ID))))
	j.waitFor("olu on the list", fmt.Sprintf(`document.querySelector('form[action$="/members/%d/remove"]') !== null`, olu.ID))
	j.do("read the list", chromedp.Click(chromedp.CSS(`main a[href^="/lists/"]:not([href$="/edit"])`)))
	j.waitFor("the list's timeline", fmt.Sprintf(`!!document.getElementById("s-%d")`, oluPost.ID))
	j.at("list", eval[string](j, `location.pathname`))

	// Someone favourites quinn's post: it shows among the notifications.
	if _, err := svc.Favourite(ctx, olu, mine[0].ID); err != nil {
		t.Fatal(err)
	}
	j.open("/notifications")
	j.at("notifications", "/notifications")
	if text := j.mainText(); !strings.Contains(text, "Olu Bello favourited your post") {
		t.Errorf("notifications: %s", excerpt(text, 300))
	}
	defer func() {
		// No page of the journey asked another host for anything.
		if got := hosts(); len(got) != 1 || got[0] != j.env.srv.Listener.Addr().String() {
			t.Errorf("the browser contacted %v; want only the server", got)
		}
	}()
	// "Load more" adds the next page below instead of opening it.
	for i := range 25 {
		if _, err := svc.PostStatus(ctx, olu, starling.NewStatus{Text: fmt.Sprintf("Session note %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	j.open("/")
	if n := eval[int](j, `document.querySelectorAll("#feed > article").length`); n != feedSize {
		t.Errorf("home shows %d posts, want %d", n, feedSize)
	}
	j.do("load more", chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`), chromedp.Click(chromedp.CSS(".pager a[data-more]")))
	two, err := svc.HomeTimeline(ctx, quinn, starling.Page{Limit: 2 * feedSize})
	if err != nil || len(two) <= feedSize {
		t.Fatalf("home holds %d posts (%v); the test needs more than a page", len(two), err)
	}
	j.waitFor("the next page below", fmt.Sprintf(`document.querySelectorAll("#feed > article").length === %d`, len(two)))
	if !eval[bool](j, `window.notReloaded === true && location.pathname === "/" && location.search === ""`) {
		t.Error("load more left the page")
	}

	for _, p := range []struct{ name, path string }{
		{"profile", "/@olu"},
		{"own profile", "/@quinn"},
		{"local timeline", "/public/local"},
		{"bookmarks", "/bookmarks"},
		{"search", "/search?q=olu"},
		{"settings: profile", "/settings/profile"},
		{"settings: password", "/settings/password"},
		{"settings: sessions", "/settings/sessions"},
		{"follow requests", "/follow_requests"},
		{"about", "/about"},
	} {
		j.open(p.path)
		j.at(p.name, strings.SplitN(p.path, "?", 2)[0])
	}
}

// TestJourneyDark checks the main pages in the dark theme, which has
// colours of its own.
func TestJourneyDark(t *testing.T) {
	j := newJourney(t)
	ctx := context.Background()
	olu := apptest.MustAccount(t, j.env.svc, "olu")
	me := apptest.MustAccount(t, j.env.svc, "quinn")
	s, err := j.env.svc.PostStatus(ctx, olu, starling.NewStatus{Text: "Dark mode check #adassspring", SpoilerText: "Long read"})
	if err != nil {
		t.Fatal(err)
	}
	MustFollowAndFavourite(t, j.env.svc, me, olu, s.ID)
	if err := emulateMedia(j.ctx, "prefers-color-scheme", "dark", "prefers-reduced-motion", "reduce"); err != nil {
		t.Fatal(err)
	}
	j.signIn("quinn", "password123")
	for _, p := range []struct{ name, path string }{
		{"dark: home", "/"},
		{"dark: post", fmt.Sprintf("/@olu/%d", s.ID)},
		{"dark: hashtag", "/tags/adassspring"},
		{"dark: notifications", "/notifications"},
		{"dark: profile", "/@olu"},
		{"dark: settings", "/settings/profile"},
		{"dark: start", "/start/follow"},
	} {
		j.open(p.path)
		j.at(p.name, p.path)
	}
}

// MustFollowAndFavourite has a follow b and favourite one of b's posts.
func MustFollowAndFavourite(t *testing.T, svc *starling.Service, a, b *starling.Account, statusID int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := svc.Follow(ctx, a, b.ID, starling.FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Favourite(ctx, a, statusID); err != nil {
		t.Fatal(err)
	}
}

// signIn signs in through the form.
func (j *journey) signIn(login, password string) {
	j.t.Helper()
	j.open("/auth/sign_in")
	j.do("sign in",
		chromedp.SendKeys(chromedp.CSS("#login"), login),
		chromedp.SendKeys(chromedp.CSS("#password"), password+"\r"),
		chromedp.WaitReady(chromedp.CSS(`form[action="/auth/sign_out"]`)),
	)
}

// TestJourneyKeyboard does the core steps with the keyboard alone and with
// JavaScript off: every control is reached with Tab and used with Enter or
// the space bar, and every form works as plain HTML.
func TestJourneyKeyboard(t *testing.T) {
	j := newJourney(t)
	ctx := context.Background()
	// The same pages passed axe-core in TestJourney; axe needs JavaScript.
	j.axe = false
	if _, err := chromedp.Call(j.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	olu := apptest.MustAccount(t, j.env.svc, "olu")
	oluPost, err := j.env.svc.PostStatus(ctx, olu, starling.NewStatus{Text: "Keyboard users welcome #adassspring"})
	if err != nil {
		t.Fatal(err)
	}

	// Sign up: Tab through the form from the top of the page.
	j.open("/auth/sign_up")
	if eval[bool](j, `typeof window.starlingPostLength === "function"`) {
		t.Fatal("the page's script ran; this test is meant to run with JavaScript off")
	}
	j.tabTo("#username")
	j.keys("quinn")
	j.tabTo("#email")
	j.keys("quinn@council.example")
	j.tabTo("#password")
	j.keys("correct horse battery")
	j.tabTo("#password_confirmation")
	j.keys("correct horse battery")
	j.tabTo("#agreement")
	j.keys(" ")
	j.tabTo(`form[action="/auth/sign_up"] button[type=submit]`)
	j.keys("\r")
	j.at("start: guidance (no JS)", "/start")

	// Skip the guide, find olu and follow them.
	j.tabTo(`main a[href="/"]`)
	j.keys("\r")
	j.at("home (no JS)", "/")
	j.tabTo("#site-search-q")
	j.keys("olu\r")
	j.at("search (no JS)", "/search")
	j.tabTo(fmt.Sprintf(`form[action="/accounts/%d/follow"] button`, olu.ID))
	j.keys("\r")
	j.waitFor("following", fmt.Sprintf(`document.querySelector('form[action="/accounts/%d/unfollow"]') !== null`, olu.ID))

	// Post from the home page.
	j.tabTo(`a[href="/"][aria-current], nav.main-nav a[href="/"]`)
	j.keys("\r")
	j.at("home (no JS)", "/")
	j.tabTo("#compose")
	j.keys("Posted with the keyboard alone")
	j.tabTo(`form[data-compose] button[type=submit]`)
	j.keys("\r")
	j.waitFor("the post on home", `document.querySelector("#feed").textContent.includes("Posted with the keyboard alone")`)

	// Favourite olu's post and reply to it.
	j.tabTo(fmt.Sprintf(`#s-%d form[action$="/favourite"] button`, oluPost.ID))
	j.keys(" ")
	j.waitFor("favourited", fmt.Sprintf(`document.querySelector('#s-%d form[action$="/unfavourite"] button[aria-pressed="true"]') !== null`, oluPost.ID))
	j.tabTo(fmt.Sprintf(`#s-%d a[href$="#reply"]`, oluPost.ID))
	j.keys("\r")
	j.at("post (no JS)", fmt.Sprintf("/@olu/%d", oluPost.ID))
	j.tabTo("#reply")
	j.keys("Thanks for this")
	j.tabTo(`#reply-heading ~ form button[type=submit]`)
	j.keys("\r")
	j.waitFor("the reply's page", `document.querySelector(".status-focus") && document.querySelector(".status-focus").textContent.includes("Thanks for this")`)

	// A list, made and filled from the keyboard.
	j.tabTo(`nav.main-nav a[href="/lists"]`)
	j.keys("\r")
	j.at("lists (no JS)", "/lists")
	j.tabTo("#list-title")
	j.keys("Keyboard list\r")
	j.waitFor("the list's page", `location.pathname.endsWith("/edit")`)
	j.tabTo(fmt.Sprintf(`form[action$="/members/%d/add"] button`, olu.ID))
	j.keys("\r")
	j.waitFor("olu on the list", fmt.Sprintf(`document.querySelector('form[action$="/members/%d/remove"]') !== null`, olu.ID))

	quinn, err := j.env.svc.LookupAccount(ctx, "quinn")
	if err != nil {
		t.Fatal(err)
	}
	posts, _ := j.env.svc.AccountStatuses(ctx, quinn, quinn.ID, starling.AccountStatusesFilter{}, starling.Page{})
	if len(posts) != 2 {
		t.Errorf("quinn has %d posts, want 2 (a post and a reply)", len(posts))
	}
	lists, _ := j.env.svc.Lists(ctx, quinn)
	if len(lists) != 1 {
		t.Errorf("quinn has %d lists, want 1", len(lists))
	}
}

// tabTo presses Tab until the element matching sel has the focus, failing
// if it cannot be reached in 200 presses: a control the keyboard cannot reach.
func (j *journey) tabTo(sel string) {
	j.t.Helper()
	check := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && document.activeElement === e; })()`, sel)
	for range 200 {
		if eval[bool](j, check) {
			// A focused control must show it: the focus style has an outline or a box shadow.
			visible := eval[bool](j, `(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle !== "none" && s.outlineWidth !== "0px" || s.boxShadow !== "none" || s.borderBottomStyle !== "none"; })()`)
			if !visible {
				j.t.Errorf("focus on %s is not visible", sel)
			}
			return
		}
		if err := chromedp.Do(j.ctx, chromedp.KeyEvent("\t")); err != nil {
			j.t.Fatal(err)
		}
	}
	loc, _ := chromedp.Run(j.ctx, chromedp.Location())
	j.t.Fatalf("could not reach %s with Tab on %s", sel, loc)
}

// keys types into the focused element.
func (j *journey) keys(s string) {
	j.t.Helper()
	if err := chromedp.Do(j.ctx, chromedp.KeyEvent(s)); err != nil {
		j.t.Fatal(err)
	}
}
