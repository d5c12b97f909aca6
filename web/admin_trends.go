package web

import (
	"net/http"
	"net/url"

	"starling"
)

func init() {
	templateFuncs["trendReviewPath"] = trendReviewPath
}

// trendReviewPath is where the form hiding a tag from trends ("hide") or
// putting it back ("show") posts to.
func trendReviewPath(tag, action string) string {
	return "/admin/trends/" + url.PathEscape(tag) + "/" + action
}

// trendsPage is the Data of the staff page reviewing trending hashtags.
type trendsPage struct {
	Trending []starling.TrendingTag
	Hidden   []starling.HiddenTrend
	Notice   string // what the last action did, or ""
}

// trendNotices are the confirmations after hiding or putting back a tag;
// as on the sign-ups page, the query only picks one, so no text from the
// address reaches the page.
var trendNotices = map[string]string{
	"hidden": "Hashtag hidden. It no longer appears in trends, for members or for apps.",
	"shown":  "Hashtag put back. It appears in trends again whenever enough people use it.",
}

// adminTrendsLimit is how many trending tags the page lists: more than any
// member sees (the directory shows 10, apps ask for up to 20), so staff see
// what is about to surface too.
const adminTrendsLimit = 40

func (h *handler) handleAdminTrends(w http.ResponseWriter, r *http.Request) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	data := trendsPage{Notice: trendNotices[r.URL.Query().Get("done")]}
	var err error
	if data.Trending, err = h.svc.TrendingTags(r.Context(), "", adminTrendsLimit, 0); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if data.Hidden, err = h.svc.HiddenTrends(r.Context(), auth.User); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Trending hashtags", "admin-trends")
	pg.Data = data
	h.render(w, r, http.StatusOK, "admin_trends", pg)
}

func (h *handler) handleAdminTrendHide(w http.ResponseWriter, r *http.Request) {
	h.reviewTrend(w, r, true, "hidden")
}

func (h *handler) handleAdminTrendShow(w http.ResponseWriter, r *http.Request) {
	h.reviewTrend(w, r, false, "shown")
}

// reviewTrend hides the tag named in the path from trends, or puts it
// back, and goes back to the page, which then says what happened.
func (h *handler) reviewTrend(w http.ResponseWriter, r *http.Request, hidden bool, done string) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	if err := h.svc.HideTrendTag(r.Context(), auth.Account, r.PathValue("tag"), hidden); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/trends?done="+done, http.StatusSeeOther)
}
