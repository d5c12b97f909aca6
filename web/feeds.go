package web

import (
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"starling"
	"starling/server"
)

// rss is an RSS 2.0 document, for feed readers and for the
// rel="alternate" links that tell them where to look.
type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	Items       []rssItem `xml:"item"`
}

type rssItem struct {
	GUID        string `xml:"guid"`
	Link        string `xml:"link"`
	PubDate     string `xml:"pubDate"`
	Title       string `xml:"title,omitempty"`
	Description string `xml:"description"` // the post's sanitised HTML, escaped as RSS wants
}

func (h *handler) handleAccountFeed(w http.ResponseWriter, r *http.Request, acct string) {
	a, err := h.svc.LookupAccount(r.Context(), acct)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if a.Suspended() { // its profile page says so; a feed has nothing to show
		h.handleNotFound(w, r)
		return
	}
	// Signed out on purpose: a feed is public, whoever's browser fetches it.
	list, err := h.svc.AccountStatuses(r.Context(), nil, a.ID, starling.AccountStatusesFilter{ExcludeReplies: true, ExcludeReblogs: true}, starling.Page{Limit: feedSize})
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	h.writeFeed(w, r, rssChannel{Title: displayName(a) + " (@" + a.Acct() + ")", Link: h.absolute(profilePath(a)),
		Description: "Public posts by " + displayName(a) + " on " + h.in.Title}, list)
}

func (h *handler) handleTagFeed(w http.ResponseWriter, r *http.Request, tag string) {
	tag = strings.TrimPrefix(tag, "#")
	list, err := h.svc.TagTimeline(r.Context(), nil, starling.TagQuery{Any: []string{tag}}, starling.PublicFilter{}, starling.Page{Limit: feedSize})
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	h.writeFeed(w, r, rssChannel{Title: "#" + tag + " on " + h.in.Title, Link: h.absolute(tagAddress(tag)),
		Description: "Public posts tagged #" + tag}, list)
}

// writeFeed writes the public, unlisted-free posts of list as an RSS feed.
func (h *handler) writeFeed(w http.ResponseWriter, r *http.Request, ch rssChannel, list []*starling.Status) {
	for _, s := range list {
		if s.Reblog != nil || s.Visibility != starling.VisibilityPublic {
			continue
		}
		item := rssItem{GUID: h.in.StatusURI(s.Account, s.ID), Link: h.absolute(statusPath(s)),
			PubDate: s.CreatedAt.UTC().Format(time.RFC1123Z), Description: s.Content}
		if s.SpoilerText != "" {
			item.Title = "Content warning: " + s.SpoilerText
		}
		ch.Items = append(ch.Items, item)
	}
	out, err := xml.MarshalIndent(rss{Version: "2.0", Channel: ch}, "", "  ")
	if err != nil {
		server.LogError(r, err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	// A feed is the same for everyone and shared caches may keep it, so it
	// must not carry the form-token cookie the middleware hands to new
	// visitors: a cache would give every reader the same token.
	hd.Del("Set-Cookie")
	hd.Set("Content-Type", "application/rss+xml; charset=utf-8")
	hd.Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(append([]byte(xml.Header), out...))
}
