package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"starling"
)

// TestPagesSearchPosts: the search page finds posts by their words, shows
// them as timelines do, pages through them, and explains a search it
// cannot understand beside the box.
func TestPagesSearchPosts(t *testing.T) {
	s := newPagesSite(t)
	alice, jo := s.member("alice"), s.member("jo")
	first := s.post(jo, starling.VisibilityPublic, "Strengths-based practice in Leeds, a summary")
	for i := range 20 {
		s.post(jo, starling.VisibilityPublic, "Practice note number "+strings.Repeat("i", i+1))
	}
	private := s.post(jo, starling.VisibilityPrivate, "Practice notes for followers only")
	b := s.as("alice")

	res := b.get("/search?q=" + url.QueryEscape(`"strengths-based practice" leeds`))
	pgWant(t, res, http.StatusOK)
	if byID(res.Doc, "posts-heading") == nil || !pgShows(res, first.ID) || len(pgArticles(res.Doc)) != 1 {
		t.Fatalf("phrase search:\n%s", pgShort(res.Body))
	}
	if pgToggle(res.Doc, first.ID, "favourite") == nil {
		t.Error("a found post has no Favourite button")
	}

	// Twenty a page, newest first, then more: posts only.
	res = b.get("/search?q=practice+from:jo")
	if n := len(pgArticles(res.Doc)); n != 20 || pgShows(res, first.ID) || pgShows(res, private.ID) {
		t.Fatalf("first page shows %d posts:\n%s", n, pgShort(res.Body))
	}
	more := findAll(res.Doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "rel") == "next" })
	if len(more) != 1 {
		t.Fatalf("no link to more posts:\n%s", pgShort(res.Body))
	}
	res = b.get(attr(more[0], "href"))
	pgWant(t, res, http.StatusOK)
	if !pgShows(res, first.ID) || len(pgArticles(res.Doc)) != 1 || byID(res.Doc, "people-heading") != nil {
		t.Fatalf("second page:\n%s", pgShort(res.Body))
	}

	// A follower finds the followers-only post too.
	s.follows(alice, jo)
	if res := b.get("/search?q=practice+followers"); !pgShows(res, private.ID) {
		t.Errorf("a follower did not find the followers-only post:\n%s", pgShort(res.Body))
	}

	res = b.get("/search?q=" + url.QueryEscape("practice before:someday"))
	pgWant(t, res, http.StatusUnprocessableEntity)
	if links := pgErrorLinks(t, res); len(links) != 1 || links[0] != "#q" || !strings.Contains(pgMain(res), "YYYY-MM-DD") {
		t.Errorf("error summary %v:\n%s", links, pgShort(res.Body))
	}
	if q := byID(res.Doc, "q"); q == nil || attr(q, "aria-invalid") != "true" || attr(q, "value") != "practice before:someday" {
		t.Errorf("the search box does not say it is invalid or lost the query:\n%s", pgShort(res.Body))
	}
	if res := b.get("/search?q=nothing+like+this"); !strings.Contains(pgMain(res), "No posts found") {
		t.Errorf("empty results:\n%s", pgShort(res.Body))
	}
}
