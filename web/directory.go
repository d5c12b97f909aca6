package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"starling"
)

// directoryPage is the Data of the "directory" page.
type directoryPage struct {
	Order    string // "active" or "new"
	Filter   starling.DirectoryFilter
	Regions  []string
	Accounts []accountView
	Trends   []starling.TrendingTag
	Older    string // the next page, if there may be one
}

const directoryPageSize = 20

// handleDirectory lists the community's discoverable members, filtered by
// role, organisation and region, with the hashtags trending now (in the
// chosen region, when one is).
func (h *handler) handleDirectory(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg := h.newPage(r, "Directory", "directory")
	data := directoryPage{Order: "active", Regions: startRegions, Filter: starling.DirectoryFilter{
		Role: strings.TrimSpace(q.Get("role")), Organisation: strings.TrimSpace(q.Get("organisation")), Region: strings.TrimSpace(q.Get("region"))}}
	if q.Get("order") == "new" {
		data.Order = "new"
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	offset = min(max(offset, 0), 2000)
	list, err := h.svc.FilteredDirectory(r.Context(), data.Order, data.Filter, directoryPageSize, offset)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if pg.Account == nil { // visitors see the people, without follow buttons
		for _, a := range list {
			data.Accounts = append(data.Accounts, accountView{Account: a})
		}
	} else if data.Accounts, err = h.followViews(r, pg, list); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if data.Trends, err = h.svc.TrendingTags(r.Context(), data.Filter.Region, 10, 0); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if len(list) == directoryPageSize {
		next := url.Values{"order": {data.Order}, "offset": {strconv.Itoa(offset + directoryPageSize)}}
		for k, v := range map[string]string{"role": data.Filter.Role, "organisation": data.Filter.Organisation, "region": data.Filter.Region} {
			if v != "" {
				next.Set(k, v)
			}
		}
		data.Older = "/directory?" + next.Encode()
	}
	pg.Data = data
	h.render(w, r, http.StatusOK, "directory", pg)
}
