package web

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"starling"
	"starling/apptest"
)

// TestQuoteShown: a post quoting another shows it in a blockquote that
// links to it; once revoked, a note says so instead.
func TestQuoteShown(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ctx := context.Background()
	ann, bob := apptest.MustAccount(t, env.svc, "ann"), apptest.MustAccount(t, env.svc, "bob")
	original, err := env.svc.PostStatus(ctx, ann, starling.NewStatus{Text: "Carers' week starts Monday"})
	if err != nil {
		t.Fatal(err)
	}
	q, err := env.svc.PostStatus(ctx, bob, starling.NewStatus{Text: "Worth sharing", QuoteOfID: original.ID})
	if err != nil {
		t.Fatal(err)
	}
	page := "/@bob/" + starling.FormatID(q.ID)
	res := env.newBrowser().get(page)
	quotes := findAll(res.Doc, func(n *html.Node) bool { return n.Data == "blockquote" && attr(n, "class") == "quote" })
	if len(quotes) != 1 || !strings.Contains(text(quotes[0]), "Carers' week starts Monday") || !strings.HasSuffix(attr(quotes[0], "cite"), starling.FormatID(original.ID)) {
		t.Fatalf("quote blocks: %d", len(quotes))
	}
	if _, err := env.svc.RevokeQuote(ctx, ann, original.ID, q.ID); err != nil {
		t.Fatal(err)
	}
	res = env.newBrowser().get(page)
	if strings.Contains(res.Body, "Carers' week starts Monday") || !strings.Contains(res.Body, "removed it from this quote") {
		t.Fatal("the revoked quote still shows the quoted post, or says nothing")
	}
}
