package mastodon

import (
	"net/http"
	"strconv"

	"starling"
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
		tag := h.tag(t.Name)
		tag.History = history(t.History)
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
		server.WriteJSON(w, http.StatusOK, h.tag(h.svc.NormalizeTag(name)))
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
	links, err := h.svc.TrendingLinks(r.Context(), limit, offset)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rr := h.renderer(r.Context())
	out := make([]TrendLink, 0, len(links))
	for _, l := range links {
		out = append(out, TrendLink{PreviewCard: rr.card(l.Card), History: history(l.History)})
	}
	server.WriteJSON(w, http.StatusOK, out)
}

// TrendLink is a trending link: its preview card with a week of shares.
type TrendLink struct {
	*PreviewCard
	History []any `json:"history"`
}

// history writes days of use as Mastodon does, numbers as strings.
func history(days []starling.TagDay) []any {
	out := make([]any, 0, len(days))
	for _, d := range days {
		out = append(out, tagHistory{Day: strconv.FormatInt(d.Day.Unix(), 10), Uses: strconv.Itoa(d.Uses), Accounts: strconv.Itoa(d.Accounts)})
	}
	return out
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
