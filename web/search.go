package web

import (
	"net/http"
	"strings"

	"starling"
)

// searchPage is the Data of the "search" page.
type searchPage struct {
	Query    string
	Results  *starling.SearchResults
	Accounts []accountView
}

func (h *handler) handleSearch(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	pg := h.newPage(r, "Search", "")
	data := searchPage{Query: q}
	if q != "" {
		pg.Title = "Search results for “" + excerpt(q, 40) + "”"
		res, err := h.svc.Search(r.Context(), auth.Account, starling.SearchQuery{Q: q, Limit: 20})
		if err != nil {
			h.renderServiceError(w, r, err)
			return
		}
		data.Results = res
		views, err := h.followViews(r, pg, res.Accounts)
		if err != nil {
			h.renderServiceError(w, r, err)
			return
		}
		data.Accounts = views
	}
	pg.Data = data
	h.render(w, r, http.StatusOK, "search", pg)
}

// followViews lists accounts with a follow or unfollow button each.
func (h *handler) followViews(r *http.Request, pg *page, accounts []*starling.Account) ([]accountView, error) {
	if len(accounts) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(accounts))
	for i, a := range accounts {
		ids[i] = a.ID
	}
	rels, err := h.svc.Relationships(r.Context(), pg.Account, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*starling.Relationship{}
	for _, rel := range rels {
		byID[rel.ID] = rel
	}
	var out []accountView
	for _, a := range accounts {
		v := accountView{Account: a, CSRF: pg.CSRF, Return: pg.Path}
		if a.ID != pg.Account.ID {
			rel := byID[a.ID]
			switch {
			case rel != nil && (rel.Following || rel.Requested):
				v.Action, v.ActionLabel, v.Secondary = "/accounts/"+starling.FormatID(a.ID)+"/unfollow", "Unfollow", true
				if rel.Requested {
					v.ActionLabel = "Cancel follow request to"
				}
			default:
				v.Action, v.ActionLabel = "/accounts/"+starling.FormatID(a.ID)+"/follow", "Follow"
			}
		}
		out = append(out, v)
	}
	return out, nil
}
