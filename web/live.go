package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"starling"
)

// handleLive tells an open page that something new arrived, as server-sent
// events: /live?stream=home|local|notifications|tag:NAME|list:ID. It sends
// only IDs; the page then asks for the new entries as HTML, the same way it
// would without this (so nothing is rendered twice, or differently).
func (h *handler) handleLive(w http.ResponseWriter, r *http.Request) {
	events := h.svc.Events()
	if events == nil {
		http.Error(w, "Live updates are not available", http.StatusServiceUnavailable)
		return
	}
	viewer := viewerOf(r)
	name, arg, _ := strings.Cut(r.URL.Query().Get("stream"), ":")
	var topics []string
	var filter *starling.StreamFilter
	var only starling.EventKind
	var err error
	switch {
	case name == "local":
		topics = []string{starling.TopicPublicLocal}
		filter, err = h.svc.ViewerStreamFilter(r.Context(), viewer, starling.FilterPublic)
	case name == "tag" && arg != "":
		topics = []string{starling.TopicTag(h.svc.NormalizeTag(arg))}
		filter, err = h.svc.ViewerStreamFilter(r.Context(), viewer, starling.FilterPublic)
	case viewer == nil:
		http.Error(w, "Sign in to follow this page live", http.StatusUnauthorized)
		return
	case name == "home":
		topics = []string{starling.TopicHome, starling.TopicAccount(viewer.ID)}
		filter, err = h.svc.HomeStreamFilter(r.Context(), viewer)
		only = starling.EventUpdate
	case name == "notifications":
		topics, only = []string{starling.TopicAccount(viewer.ID)}, starling.EventNotification
		filter, err = h.svc.ViewerStreamFilter(r.Context(), viewer, starling.FilterNotifications)
	case name == "list":
		id, ok := starling.ParseID(arg)
		if !ok {
			http.Error(w, "No such list", http.StatusNotFound)
			return
		}
		topics = []string{starling.TopicHome, starling.TopicAccount(viewer.ID)}
		filter, err = h.svc.ListStreamFilter(r.Context(), viewer, id)
		only = starling.EventUpdate
	default:
		http.Error(w, "Unknown stream", http.StatusBadRequest)
		return
	}
	if err != nil {
		http.Error(w, starling.ErrorMessage(err), http.StatusNotFound)
		return
	}
	if viewer != nil {
		topics = append(topics, starling.TopicAccount(viewer.ID)) // to hear of a sign-out
	}
	sub := events.Subscribe(topics...)
	defer sub.Close()
	ctx, signOut := context.WithCancel(r.Context())
	defer signOut()

	serveEvents(w, r.WithContext(ctx), sub, 5*time.Second, func(ev *starling.Event) (string, int64, bool) {
		if starling.SignedOut(ev, viewer) {
			signOut() // the session was revoked: the page stops following live
		}
		if ctx.Err() != nil {
			return "", 0, false
		}
		shows := filter.Shows(ev) // also takes note of the reader's follows
		if !shows || only != "" && ev.Kind != only {
			return "", 0, false
		}
		switch {
		case ev.Status != nil:
			return string(ev.Kind), ev.Status.ID, true
		case ev.Notification != nil:
			return string(ev.Kind), ev.Notification.ID, true
		}
		return "", 0, false
	})
}
