package mastodon

import (
	"net/http"
	"net/url"

	"starling"
	"starling/server"
)

// FeaturedTag is Mastodon's entity for a hashtag on a profile.
type FeaturedTag struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	URL           string  `json:"url"`
	StatusesCount int     `json:"statuses_count"`
	LastStatusAt  *string `json:"last_status_at"`
}

func (h *handler) featuredTags(a *starling.Account, list []*starling.FeaturedTag) []FeaturedTag {
	out := make([]FeaturedTag, 0, len(list))
	for _, f := range list {
		t := FeaturedTag{ID: starling.FormatID(f.ID), Name: f.Name, StatusesCount: f.StatusesCount,
			URL: h.in.ProfileURL(a) + "?tagged=" + url.QueryEscape(f.Name)}
		if !f.LastStatusAt.IsZero() {
			t.LastStatusAt = ptr(f.LastStatusAt.UTC().Format("2006-01-02"))
		}
		out = append(out, t)
	}
	return out
}

// handleAccountFeaturedTags serves GET /api/v1/accounts/:id/featured_tags.
func (h *handler) handleAccountFeaturedTags(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var a *starling.Account
		if a, err = h.svc.Store().Account(r.Context(), id); err == nil {
			var list []*starling.FeaturedTag
			if list, err = h.svc.FeaturedTags(r.Context(), id); err == nil {
				server.WriteJSON(w, http.StatusOK, h.featuredTags(a, list))
				return
			}
		}
	}
	server.WriteError(w, r, err)
}

// handleFeaturedTags serves GET /api/v1/featured_tags: the viewer's own.
func (h *handler) handleFeaturedTags(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.FeaturedTags(r.Context(), viewer(r).ID)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.featuredTags(viewer(r), list))
}

// handleFeatureTag serves POST /api/v1/featured_tags with name.
func (h *handler) handleFeatureTag(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	f, err := h.svc.FeatureTag(r.Context(), viewer(r), p.get("name"))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.featuredTags(viewer(r), []*starling.FeaturedTag{f})[0])
}

// handleUnfeatureTag serves DELETE /api/v1/featured_tags/:id.
func (h *handler) handleUnfeatureTag(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		if err = h.svc.UnfeatureTag(r.Context(), viewer(r), id); err == nil {
			server.WriteJSON(w, http.StatusOK, map[string]any{})
			return
		}
	}
	server.WriteError(w, r, err)
}
