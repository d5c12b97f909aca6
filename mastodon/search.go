package mastodon

import (
	"net/http"

	"starling"
	"starling/server"
)

func (h *handler) handleSearch(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	limit, err := p.integer("limit", 20)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	offset, err := p.integer("offset", 0)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	q := starling.SearchQuery{Q: p.get("q"), Type: p.get("type"), Following: boolOf(p, "following"),
		Limit: min(max(limit, 1), 40), Offset: max(offset, 0)}
	switch q.Type {
	case "", "accounts", "hashtags", "statuses":
	default:
		server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: type must be accounts, hashtags or statuses"))
		return
	}
	if id, ok := starling.ParseID(p.get("account_id")); ok {
		q.AccountID = id
	}
	if id, ok := starling.ParseID(p.get("max_id")); ok {
		q.MaxID = id
	}
	if id, ok := starling.ParseID(p.get("min_id")); ok {
		q.MinID = id
	}
	// Signed-out searches may not page, as on Mastodon, which keeps scraping costly.
	if viewer(r) == nil && q.Offset > 0 {
		server.WriteError(w, r, starling.Errorf(starling.EUNAUTHORIZED, "Search queries with offset require a signed-in user"))
		return
	}
	res, err := h.svc.Search(r.Context(), viewer(r), q)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rr := h.renderer(r.Context())
	tags := make([]Tag, 0, len(res.Hashtags))
	for _, t := range res.Hashtags {
		tags = append(tags, h.tag(t))
	}
	server.WriteJSON(w, http.StatusOK, map[string]any{"accounts": rr.accounts(res.Accounts), "statuses": rr.statuses(res.Statuses), "hashtags": tags})
}

func (h *handler) handleTagGet(w http.ResponseWriter, r *http.Request) {
	t, err := h.svc.TagFor(r.Context(), viewer(r), r.PathValue("tag"))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.tagInfo(r, t))
}

// tag is a hashtag entity, with an empty history.
func (h *handler) tag(name string) Tag {
	return Tag{ID: name, Name: name, URL: h.in.TagURL(name), History: []any{}}
}

// tagInfo is a hashtag for the viewer: "following" only when signed in.
func (h *handler) tagInfo(r *http.Request, t *starling.TagInfo) Tag {
	out := h.tag(t.Name)
	if viewer(r) != nil {
		out.Following = ptr(t.Following)
	}
	return out
}

// handleTagFollow serves POST /api/v1/tags/:name/follow and /unfollow.
func (h *handler) handleTagFollow(follow bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		change := h.svc.UnfollowTag
		if follow {
			change = h.svc.FollowTag
		}
		t, err := change(r.Context(), viewer(r), r.PathValue("tag"))
		if err != nil {
			server.WriteError(w, r, err)
			return
		}
		server.WriteJSON(w, http.StatusOK, h.tagInfo(r, t))
	}
}

// handleFollowedTags serves GET /api/v1/followed_tags, paged by the follows' IDs.
func (h *handler) handleFollowedTags(w http.ResponseWriter, r *http.Request) {
	_, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	list, err := h.svc.FollowedTags(r.Context(), viewer(r), pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	out := make([]Tag, len(list))
	keys := make([]int64, len(list))
	for i, t := range list {
		out[i], keys[i] = h.tagInfo(r, &starling.TagInfo{Name: t.Name, Following: true}), t.ID
	}
	h.setLinks(w, r, keys)
	server.WriteJSON(w, http.StatusOK, out)
}
