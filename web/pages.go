package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"

	"starling"
)

// feedSize is how many posts a timeline page shows.
const feedSize = 20

// member returns the signed-in member, or sends the browser to sign in
// and returns nil.
func member(w http.ResponseWriter, r *http.Request) *starling.Auth {
	auth := signedIn(r.Context())
	if auth == nil {
		redirectToSignIn(w, r)
	}
	return auth
}

// memberAt returns the signed-in member and the {id} of the path, or
// answers for them (sign in; page not found) and returns ok=false.
func (h *handler) memberAt(w http.ResponseWriter, r *http.Request) (auth *starling.Auth, id int64, ok bool) {
	if auth = member(w, r); auth == nil {
		return nil, 0, false
	}
	if id, ok = pathID(r, "id"); !ok {
		h.handleNotFound(w, r)
	}
	return auth, id, ok
}

// pageParams reads the max_id and min_id of a paged address.
func pageParams(r *http.Request) starling.Page {
	q := r.URL.Query()
	p := starling.Page{Limit: feedSize}
	p.MaxID, _ = starling.ParseID(q.Get("max_id"))
	p.MinID, _ = starling.ParseID(q.Get("min_id"))
	return p
}

// pagerFor links to the pages around one that holds entries first..last
// (their paging IDs, newest first). The first page has no "newer" link;
// a short page has no "older" one.
func pagerFor(r *http.Request, p starling.Page, n int, first, last int64) pager {
	if n == 0 {
		if p.MaxID != 0 || p.MinID != 0 {
			return pager{Newer: pageURL(r, "", 0)}
		}
		return pager{}
	}
	var pg pager
	if p.MaxID != 0 || p.MinID != 0 {
		pg.Newer = pageURL(r, "min_id", first)
	}
	if n >= p.Limit || p.MinID != 0 {
		pg.Older = pageURL(r, "max_id", last)
	}
	return pg
}

// pageURL is this page's address with its paging parameter replaced
// (key "" for the first page), keeping the others (a search query, say).
func pageURL(r *http.Request, key string, id int64) string {
	q := r.URL.Query()
	q.Del("max_id")
	q.Del("min_id")
	if key != "" {
		q.Set(key, starling.FormatID(id))
	}
	if len(q) == 0 {
		return r.URL.Path
	}
	return r.URL.Path + "?" + q.Encode()
}

// statusPager is pagerFor for a page of statuses paged by their own IDs.
func statusPager(r *http.Request, p starling.Page, list []*starling.Status) pager {
	if len(list) == 0 {
		return pagerFor(r, p, 0, 0, 0)
	}
	return pagerFor(r, p, len(list), list[0].ID, list[len(list)-1].ID)
}

// pollURL is where the new-posts banner asks for posts newer than the
// newest shown; "" when this is not the newest page.
func pollURL(r *http.Request, p starling.Page) string {
	if p.MaxID != 0 || p.MinID != 0 {
		return ""
	}
	return r.URL.Path
}

// redirectBack answers an action form by returning to the page it came
// from (its "return" field, when that is a local address), else to fallback.
func redirectBack(w http.ResponseWriter, r *http.Request, fallback string) {
	to := r.PostFormValue("return")
	if !localPath(to) {
		to = fallback
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// pathID reads a numeric ID from the path.
func pathID(r *http.Request, name string) (int64, bool) {
	return starling.ParseID(r.PathValue(name))
}

// newKey returns a random idempotency key for a compose form.
func newKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b[:])
}

// absolute makes a local path into an address on this server.
func (h *handler) absolute(path string) string {
	return h.in.BaseURL + path
}

// queryEscape is url.QueryEscape, named for use beside the others.
func queryEscape(s string) string { return url.QueryEscape(s) }

// pathEscape escapes one path segment.
func pathEscape(s string) string { return url.PathEscape(s) }
