package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"starling"
)

// searchPage is the Data of the "search" page.
type searchPage struct {
	Query    string
	Type     string // "" for everything, "statuses" for more posts only
	Results  *starling.SearchResults
	Accounts []accountView
	More     string // the address of the next page of posts, if there may be one
}

// searchPageSize is how many posts, people and hashtags a search page shows.
const searchPageSize = 20

func (h *handler) handleSearch(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	pg := h.newPage(r, "Search", "")
	data := searchPage{Query: q}
	// Further pages show posts only: people and hashtags fit on the first.
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = min(max(offset, 0), 1000)
	if r.URL.Query().Get("type") == "statuses" {
		data.Type = "statuses"
	}
	if q != "" {
		pg.Title = "Search results for “" + excerpt(q, 40) + "”"
		res, err := h.svc.Search(r.Context(), auth.Account, starling.SearchQuery{Q: q, Type: data.Type, Limit: searchPageSize, Offset: offset})
		if starling.ErrorCode(err) == starling.EINVALID {
			// A search that cannot be understood: say why beside the box.
			pg.Title = "Search"
			pg.Errors = []fieldError{{Field: "q", Message: userMessage(starling.ErrorMessage(err))}}
			pg.Data = data
			h.render(w, r, http.StatusUnprocessableEntity, "search", pg)
			return
		} else if err != nil {
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
		if len(res.Statuses) == searchPageSize && offset+searchPageSize <= 1000 {
			data.More = "/search?" + url.Values{"q": {q}, "type": {"statuses"}, "offset": {strconv.Itoa(offset + searchPageSize)}}.Encode()
		}
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
