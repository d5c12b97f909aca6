package mastodon

import (
	"net/http"
	"strconv"

	"starling/server"
)

// tagHistory is one day of a tag's use as Mastodon writes it: numbers as strings.
type tagHistory struct {
	Day      string `json:"day"`
	Uses     string `json:"uses"`
	Accounts string `json:"accounts"`
}

// handleTrendsTags serves GET /api/v1/trends/tags: hashtags several people
// used lately, ranked by how many; ?region= narrows to members who give
// that region on their profile (a Starling addition).
func (h *handler) handleTrendsTags(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 {
		limit = 10
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	tags, err := h.svc.TrendingTags(r.Context(), q.Get("region"), min(limit, 20), max(offset, 0))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	out := make([]Tag, 0, len(tags))
	for _, t := range tags {
		tag := Tag{Name: t.Name, URL: h.in.TagURL(t.Name), History: make([]any, 0, len(t.History))}
		for _, d := range t.History {
			tag.History = append(tag.History, tagHistory{Day: strconv.FormatInt(d.Day.Unix(), 10), Uses: strconv.Itoa(d.Uses), Accounts: strconv.Itoa(d.Accounts)})
		}
		out = append(out, tag)
	}
	server.WriteJSON(w, http.StatusOK, out)
}

// handleTrendReview serves POST /api/v1/admin/trends/tags/:name/reject
// and /approve: staff take a hashtag out of trends or put it back.
func (h *handler) handleTrendReview(hide bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		if err := h.svc.HideTrendTag(r.Context(), viewer(r), name, hide); err != nil {
			server.WriteError(w, r, err)
			return
		}
		server.WriteJSON(w, http.StatusOK, Tag{Name: h.svc.NormalizeTag(name), URL: h.in.TagURL(h.svc.NormalizeTag(name)), History: []any{}})
	}
}

// handleTrendsStatuses serves GET /api/v1/trends/statuses: public posts
// that the most people favourited or reposted lately.
func (h *handler) handleTrendsStatuses(w http.ResponseWriter, r *http.Request) {
	limit, offset := trendPage(r, 20, 40)
	list, err := h.svc.TrendingStatuses(r.Context(), viewer(r), limit, offset)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).statuses(list))
}

// handleTrendsLinks serves GET /api/v1/trends/links: pages the most people
// linked to lately, as preview cards.
func (h *handler) handleTrendsLinks(w http.ResponseWriter, r *http.Request) {
	limit, offset := trendPage(r, 10, 20)
	cards, err := h.svc.TrendingLinks(r.Context(), limit, offset)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rr := h.renderer(r.Context())
	out := make([]*PreviewCard, 0, len(cards))
	for _, c := range cards {
		out = append(out, rr.card(c))
	}
	server.WriteJSON(w, http.StatusOK, out)
}

func trendPage(r *http.Request, def, most int) (limit, offset int) {
	q := r.URL.Query()
	limit, _ = strconv.Atoi(q.Get("limit"))
	if limit <= 0 {
		limit = def
	}
	offset, _ = strconv.Atoi(q.Get("offset"))
	return min(limit, most), max(offset, 0)
}
