package mastodon_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestOEmbed(t *testing.T) {
	ts := MustServer(t, "sqlite")
	ann := ts.MustUser(t, "ann")
	public := ts.MustPost(t, ann.Token, url.Values{"status": {"Our <b>dementia</b> café opens today #carehomes"}})
	private := ts.MustPost(t, ann.Token, url.Values{"status": {"followers only"}, "visibility": {"private"}})

	var got struct {
		Type, Version, HTML string
		AuthorName          string `json:"author_name"`
		Width               int
	}
	ts.MustCall(t, get("/api/oembed?url="+url.QueryEscape(ts.URL+"/@ann/"+public.ID), ""), http.StatusOK, &got)
	if got.Type != "rich" || got.Version != "1.0" || got.AuthorName != "ann" || got.Width != 400 {
		t.Errorf("oEmbed %+v", got)
	}
	if !strings.Contains(got.HTML, "&lt;b&gt;dementia&lt;/b&gt;") || !strings.Contains(got.HTML, `href="`+ts.URL+"/@ann/"+public.ID+`"`) {
		t.Errorf("html %s", got.HTML)
	}
	for _, u := range []string{
		ts.URL + "/@ann/" + private.ID, // not public
		"https://elsewhere.example/@ann/" + public.ID,
		ts.URL + "/@ann/notanid",
		"",
	} {
		ts.MustError(t, get("/api/oembed?url="+url.QueryEscape(u), ""), http.StatusNotFound)
	}
}
