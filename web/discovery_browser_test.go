package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"starling"
	"starling/apptest"
	"starling/diskmedia"
	"starling/imaging"
)

// discoveryPost posts text publicly as a, failing the test on error.
func discoveryPost(t *testing.T, svc *starling.Service, a *starling.Account, status starling.NewStatus) *starling.Status {
	t.Helper()
	s, err := svc.PostStatus(context.Background(), a, status)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBrowserDiscoverySearch searches posts from the search box in the
// header, with an operator, and checks the results page with axe-core.
func TestBrowserDiscoverySearch(t *testing.T) {
	j := newJourney(t)
	svc := j.env.svc
	ann, bob := apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob")
	apptest.MustAccount(t, svc, "cat")
	want := discoveryPost(t, svc, ann, starling.NewStatus{Text: "Sunflowers are up in the day centre garden"})
	byOther := discoveryPost(t, svc, bob, starling.NewStatus{Text: "Sunflowers at the allotment, the residents grew them"})
	otherWords := discoveryPost(t, svc, ann, starling.NewStatus{Text: "Tomatoes in the day centre garden"})

	j.signIn("cat", "password123")
	j.do("search from the header",
		chromedp.SendKeys(chromedp.CSS("#site-search-q"), "from:ann sunflowers\r"))
	j.at("search posts", "/search")
	j.waitFor("the results", `!!document.getElementById("posts-heading")`)
	shown := func(s *starling.Status) bool {
		return eval[bool](j, fmt.Sprintf(`!!document.querySelector('section[aria-labelledby="posts-heading"] #s-%d')`, s.ID))
	}
	if !shown(want) {
		t.Errorf("ann's post about sunflowers is not found:\n%s", excerpt(j.mainText(), 600))
	}
	if shown(byOther) || shown(otherWords) {
		t.Errorf("the results hold a post by someone else or without the word (bob's: %v, ann's tomatoes: %v)", shown(byOther), shown(otherWords))
	}
	if q := eval[string](j, `document.getElementById("q").value`); q != "from:ann sunflowers" {
		t.Errorf("the search box on the results page holds %q", q)
	}
}

// TestBrowserDiscoveryPosts checks with axe-core the pages that show what
// members find: a post quoting another, a post with a link preview and a
// profile with featured hashtags.
func TestBrowserDiscoveryPosts(t *testing.T) {
	j := newJourney(t)
	ctx := context.Background()
	svc := j.env.svc
	ann, bob := apptest.MustAccount(t, svc, "ann"), apptest.MustAccount(t, svc, "bob")

	original := discoveryPost(t, svc, ann, starling.NewStatus{Text: "Carers' week starts Monday #carersweek"})
	quote := discoveryPost(t, svc, bob, starling.NewStatus{Text: "Worth sharing with your teams", QuoteOfID: original.ID})
	linked := discoveryPost(t, svc, ann, starling.NewStatus{Text: "The annual report https://example.org/report"})
	// The card and its picture are stored as the fetcher would store them,
	// so the test needs no network and the page shows a real picture.
	card := &starling.Card{ID: linked.ID + 1, URL: "https://example.org/report", Title: "State of Adult Social Care 2026",
		Description: "The year in figures.", ProviderName: "ADASS", ImageKey: "cards/report.png", ImageWidth: 120, ImageHeight: 80, FetchedAt: time.Now()}
	files, err := diskmedia.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc.SetMediaFiles(files, imaging.Processor{})
	var pic bytes.Buffer
	if err := png.Encode(&pic, image.NewGray(image.Rect(0, 0, card.ImageWidth, card.ImageHeight))); err != nil {
		t.Fatal(err)
	}
	if err := svc.MediaFiles().Put(ctx, card.ImageKey, bytes.NewReader(pic.Bytes()), int64(pic.Len()), "image/png"); err != nil {
		t.Fatal(err)
	}
	if err := svc.Store().Update(ctx, func(tx starling.Tx) error {
		if err := tx.SaveCard(ctx, card); err != nil {
			return err
		}
		return tx.SetStatusCard(ctx, linked.ID, card.ID)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.FeatureTag(ctx, ann, "carersweek"); err != nil {
		t.Fatal(err)
	}

	j.signIn("bob", "password123")

	path := "/@bob/" + starling.FormatID(quote.ID)
	j.open(path)
	j.at("a post quoting another", path)
	if !eval[bool](j, fmt.Sprintf(`!!document.querySelector('.status-focus blockquote.quote[cite$="/%d"]')`, original.ID)) {
		t.Errorf("the quoted post is not shown in the quoting one:\n%s", excerpt(j.mainText(), 600))
	}

	path = "/@ann/" + starling.FormatID(linked.ID)
	j.open(path)
	j.at("a post with a link preview", path)
	if got := eval[string](j, `document.querySelector('.status-focus a.card')?.getAttribute("href") ?? ""`); got != card.URL {
		t.Errorf("the post's link preview goes to %q, want %q", got, card.URL)
	}
	j.waitFor("the preview's picture", `document.querySelector('.status-focus a.card img')?.naturalWidth === 120`)

	j.open("/@ann")
	j.at("a profile with featured hashtags", "/@ann")
	if !eval[bool](j, `!!document.querySelector('section[aria-labelledby="featured-heading"] a[href="/@ann?tagged=carersweek"]')`) {
		t.Errorf("the profile does not feature #carersweek:\n%s", excerpt(j.mainText(), 600))
	}
}

// TestBrowserDiscoveryAdminTrends reaches the staff trends page from the
// navigation, checks it with axe-core, and hides a trending tag with a click.
func TestBrowserDiscoveryAdminTrends(t *testing.T) {
	j := newJourney(t)
	svc := j.env.svc
	j.env.mustStaff("boss")
	trendsPostBy(t, svc, "carersweek", "ann", "bob", "cat")

	j.signIn("boss", "password123")
	j.do("open the trends page", chromedp.Click(chromedp.CSS(`nav.main-nav a[href="/admin/trends"]`)))
	j.at("staff: trends", "/admin/trends")
	if got := eval[string](j, `document.querySelector('nav.main-nav a[aria-current="page"]')?.getAttribute("href") ?? ""`); got != "/admin/trends" {
		t.Errorf("the navigation marks %q as the current page", got)
	}
	j.do("hide #carersweek", chromedp.Click(chromedp.CSS(`form[action="/admin/trends/carersweek/hide"] button`)))
	j.waitFor("the confirmation", `location.search === "?done=hidden" && !!document.querySelector('.notice[role="status"]')`)
	j.at("staff: trends, a tag hidden", "/admin/trends")
	if !eval[bool](j, `!!document.querySelector('form[action="/admin/trends/carersweek/show"] button')`) {
		t.Errorf("#carersweek is not listed as hidden:\n%s", excerpt(j.mainText(), 600))
	}
	if got := trendsNow(t, svc); len(got) != 0 {
		t.Errorf("after hiding in the browser, TrendingTags = %v", got)
	}
}
