package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
)

// TestCardShown: a post whose link has a preview shows it as one link
// with the site, title and description, and no picture from elsewhere.
func TestCardShown(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ctx := context.Background()
	ann := apptest.MustAccount(t, env.svc, "ann")
	s, err := env.svc.PostStatus(ctx, ann, starling.NewStatus{Text: "The annual report https://example.org/report"})
	if err != nil {
		t.Fatal(err)
	}
	card := &starling.Card{ID: s.ID + 1, URL: "https://example.org/report", Title: "State of Adult Social Care 2026",
		Description: "The year in figures.", ProviderName: "ADASS", ImageKey: "cards/abc.jpg", ImageWidth: 120, ImageHeight: 80, FetchedAt: time.Now()}
	if err := env.svc.Store().Update(ctx, func(tx starling.Tx) error {
		if err := tx.SaveCard(ctx, card); err != nil {
			return err
		}
		return tx.SetStatusCard(ctx, s.ID, card.ID)
	}); err != nil {
		t.Fatal(err)
	}
	page := env.newBrowser().get("/@ann/" + starling.FormatID(s.ID))
	links := findAll(page.Doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "class") == "card" })
	if len(links) != 1 || attr(links[0], "href") != "https://example.org/report" || !strings.Contains(attr(links[0], "rel"), "noopener") {
		t.Fatalf("card links: %d", len(links))
	}
	if got := strings.Join(strings.Fields(text(links[0])), " "); got != "ADASS State of Adult Social Care 2026 The year in figures." {
		t.Fatalf("the card reads %q", got)
	}
	imgs := findAll(links[0], func(n *html.Node) bool { return n.Data == "img" })
	if len(imgs) != 1 || attr(imgs[0], "src") != "/media/cards/abc.jpg" || attr(imgs[0], "alt") != "" {
		t.Fatal("the card's picture must be the local copy, decorative (its title says what it is)")
	}
}
