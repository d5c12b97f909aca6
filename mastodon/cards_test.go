package mastodon_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	gomastodon "github.com/mattn/go-mastodon"

	"starling"
	"starling/linkcards"
	"starling/outbound"
)

// site serves a report page with Open Graph tags and a picture on
// 127.0.0.2, the one loopback address the test lets outbound requests reach.
func site(t *testing.T) (string, *int) {
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	var hits int
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		switch r.URL.Path {
		case "/report":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html><head><title>ignored</title>
<meta property="og:title" content="State of Adult Social Care 2026">
<meta property="og:description" content="  Workforce, funding and waiting lists:   the year in figures. ">
<meta property="og:site_name" content="ADASS">
<meta property="og:image" content="/cover.jpg"></head><body>…</body></html>`)
		case "/cover.jpg":
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write(jpegWithGPS(t))
		default:
			http.NotFound(w, r)
		}
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL, &hits
}

// TestLinkCards: a post's first link gets a preview card in the background
// (title, description, site, and a copy of the picture kept here), shared
// by later posts of the same link; a link to a private address gets none
// and that address is never asked.
func TestLinkCards(t *testing.T) {
	ts, _ := mustMediaServer(t)
	siteURL, hits := site(t)
	private := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the private server was asked for %s", r.URL)
	}))
	defer private.Close()
	port := func(u string) string { return u[strings.LastIndex(u, ":")+1:] }
	// Public-looking names, as posts carry them, for the test site and for
	// addresses no preview may reach (what a hostile DNS answer would give).
	base := "http://reports.example.org:" + port(siteURL)
	ts.Svc.SetCardFetcher(linkcards.Fetcher{Client: outbound.New(outbound.Options{UserAgent: "Starling/test",
		Resolve: map[string]string{
			"reports.example.org:" + port(siteURL):      strings.TrimPrefix(siteURL, "http://"),
			"intranet.example.org:" + port(private.URL): "127.0.0.1:" + port(private.URL),
			"metadata.example.org:80":                   "169.254.169.254:80",
			"six.example.org:" + port(private.URL):      "[::1]:" + port(private.URL),
		},
		AllowAddr: func(a netip.Addr) bool { return a == netip.MustParseAddr("127.0.0.2") }})})
	worker := starling.NewJobWorker(ts.DB, time.Minute)
	ts.Svc.HandleJobs(worker)
	ann := ts.MustUser(t, "ann")
	ctx := context.Background()
	c := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: ann.Token})

	s, err := c.PostStatus(ctx, &gomastodon.Toot{Status: "The annual report is out: " + base + "/report #socialcare"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Card != nil {
		t.Fatal("the card arrived with the post; it should be fetched after")
	}
	if n, err := worker.RunDue(ctx); n != 1 || err != nil {
		t.Fatalf("card jobs run: %d %v", n, err)
	}
	got, err := c.GetStatus(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	card := got.Card
	if card == nil || card.Title != "State of Adult Social Care 2026" || card.Description != "Workforce, funding and waiting lists: the year in figures." ||
		card.ProviderName != "ADASS" || card.URL != base+"/report" {
		t.Fatalf("card = %+v", card)
	}
	if !strings.HasPrefix(card.Image, ts.URL+"/media/cards/") {
		t.Fatalf("card image %q: want a copy served here", card.Image)
	}
	if res, err := http.Get(card.Image); err != nil || res.StatusCode != 200 {
		t.Fatalf("card image: %v %v", res, err)
	}
	before := *hits
	again, err := c.PostStatus(ctx, &gomastodon.Toot{Status: "Worth a read " + base + "/report"})
	if err != nil {
		t.Fatal(err)
	}
	worker.RunDue(ctx)
	if s2, _ := c.GetStatus(ctx, again.ID); s2.Card == nil || s2.Card.Title != card.Title || *hits != before {
		t.Fatalf("a second post of the link: card %v, %d more requests to the site (want the same card, none)", s2.Card, *hits-before)
	}

	for _, u := range []string{"http://intranet.example.org:" + port(private.URL) + "/admin", "http://metadata.example.org/latest/meta-data/",
		"http://six.example.org:" + port(private.URL) + "/", base + "/nowhere"} {
		p, err := c.PostStatus(ctx, &gomastodon.Toot{Status: "see " + u})
		if err != nil {
			t.Fatal(err)
		}
		worker.RunDue(ctx)
		if s, _ := c.GetStatus(ctx, p.ID); s.Card != nil {
			t.Errorf("%s got a card: %+v", u, s.Card)
		}
	}
}
