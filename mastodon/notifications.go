package mastodon

import (
	"encoding/json"
	"net/http"

	"starling"
	"starling/server"
)

func notificationFilter(p *params) starling.NotificationFilter {
	var f starling.NotificationFilter
	for _, t := range p.strs("types") {
		f.Types = append(f.Types, starling.NotificationType(t))
	}
	for _, t := range p.strs("exclude_types") {
		f.ExcludeTypes = append(f.ExcludeTypes, starling.NotificationType(t))
	}
	if id, ok := starling.ParseID(p.get("account_id")); ok {
		f.FromAccountID = id
	}
	return f
}

func (h *handler) handleNotifications(w http.ResponseWriter, r *http.Request) {
	p, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	list, err := h.svc.Notifications(r.Context(), viewer(r), notificationFilter(p), pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rr := h.renderer(r.Context())
	out := make([]*Notification, 0, len(list))
	ids := make([]int64, 0, len(list))
	for _, n := range list {
		out = append(out, rr.notification(n))
		ids = append(ids, n.ID)
	}
	h.setLinks(w, r, ids)
	server.WriteJSON(w, http.StatusOK, out)
}

func (h *handler) handleNotificationGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	n, err := h.svc.Notification(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).notification(n))
}

func (h *handler) handleNotificationDismiss(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	if err := h.svc.DismissNotification(r.Context(), viewer(r), id); err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, struct{}{})
}

func (h *handler) handleNotificationsClear(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.ClearNotifications(r.Context(), viewer(r)); err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, struct{}{})
}

func (h *handler) handleNotificationsUnreadCount(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	limit, err := p.integer("limit", 100)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	n, err := h.svc.UnreadNotifications(r.Context(), viewer(r), notificationFilter(p), min(max(limit, 1), 1000))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, map[string]int{"count": n})
}

// handleNotificationPolicy answers with the policy that applies until
// notification filtering arrives: everything is accepted.
func (h *handler) handleNotificationPolicy(w http.ResponseWriter, r *http.Request) {
	server.WriteJSON(w, http.StatusOK, map[string]any{
		"for_not_following": "accept", "for_not_followers": "accept", "for_new_accounts": "accept",
		"for_private_mentions": "accept", "for_limited_accounts": "accept",
		"summary": map[string]int{"pending_requests_count": 0, "pending_notifications_count": 0},
	})
}

func (h *handler) handleMarkersGet(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	ms, err := h.svc.Markers(r.Context(), viewer(r), p.strs("timeline"))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, markers(ms))
}

func (h *handler) handleMarkersSave(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	var ms []*starling.Marker
	for _, tl := range []string{"home", "notifications"} {
		// JSON: {"home": {"last_read_id": "…"}}; forms: home[last_read_id]=…
		var last string
		if obj, ok := p.json[tl].(map[string]any); ok {
			switch id := obj["last_read_id"].(type) {
			case string:
				last = id
			case json.Number:
				last = id.String()
			}
		} else {
			last = p.get(tl + "[last_read_id]")
		}
		if last == "" {
			continue
		}
		id, ok := starling.ParseID(last)
		if !ok {
			server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: last_read_id must be an ID"))
			return
		}
		ms = append(ms, &starling.Marker{Timeline: tl, LastReadID: id})
	}
	saved, err := h.svc.SaveMarkers(r.Context(), viewer(r), ms)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, markers(saved))
}

func markers(ms []*starling.Marker) map[string]Marker {
	out := map[string]Marker{}
	for _, m := range ms {
		out[m.Timeline] = Marker{LastReadID: starling.FormatID(m.LastReadID), Version: m.Version, UpdatedAt: timeString(m.UpdatedAt)}
	}
	return out
}
