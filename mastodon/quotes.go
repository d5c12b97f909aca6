package mastodon

import (
	"net/http"

	"starling"
	"starling/server"
)

// Quote is Mastodon 4.5's entity for the post a status quotes; the quoted
// post is null when it was revoked or the viewer may not see it.
type Quote struct {
	State        string  `json:"state"`
	QuotedStatus *Status `json:"quoted_status"`
}

// QuoteApproval says who may quote a status, and what the viewer may do.
type QuoteApproval struct {
	Automatic   []string `json:"automatic"`
	Manual      []string `json:"manual"`
	CurrentUser string   `json:"current_user"`
}

func (rr *renderer) quote(s *starling.Status) *Quote {
	if s.QuoteOfID == 0 {
		return nil
	}
	q := &Quote{State: s.QuoteState}
	switch {
	case s.QuoteState == starling.QuoteRevoked:
	case s.Quote == nil:
		q.State = "unauthorized" // deleted, or not for this viewer
	default:
		q.QuotedStatus = rr.status(s.Quote)
	}
	return q
}

func (rr *renderer) quoteApproval(s *starling.Status) *QuoteApproval {
	a := &QuoteApproval{Automatic: []string{}, Manual: []string{}, CurrentUser: "denied"}
	public := s.Visibility == starling.VisibilityPublic || s.Visibility == starling.VisibilityUnlisted
	switch {
	case !public:
	case s.QuotePolicy == starling.QuoteFollowers:
		a.Automatic = []string{"followers"}
	case s.QuotePolicy != starling.QuoteNobody:
		a.Automatic = []string{"public"}
	}
	switch {
	case rr.viewer == nil:
		a.CurrentUser = "unknown"
	case rr.viewer.ID == s.AccountID, public && s.QuotePolicy != starling.QuoteNobody && s.QuotePolicy != starling.QuoteFollowers:
		a.CurrentUser = "automatic"
	case public && s.QuotePolicy == starling.QuoteFollowers:
		a.CurrentUser = "unknown" // depends on following, which the status does not carry
	}
	return a
}

// handleQuoteRevoke serves POST /api/v1/statuses/:id/quotes/:quoting_status_id/revoke.
func (h *handler) handleQuoteRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var quoting int64
		if quoting, err = pathID(r, "quoting"); err == nil {
			var s *starling.Status
			if s, err = h.svc.RevokeQuote(r.Context(), viewer(r), id, quoting); err == nil {
				server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).status(s))
				return
			}
		}
	}
	server.WriteError(w, r, err)
}

// handleQuotes serves GET /api/v1/statuses/:id/quotes: the author sees who quoted them.
func (h *handler) handleQuotes(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	pg, err := p.page()
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	list, err := h.svc.QuotesOf(r.Context(), viewer(r), id, pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	ids := make([]int64, len(list))
	for i, s := range list {
		ids[i] = s.ID
	}
	h.setLinks(w, r, ids)
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).statuses(list))
}
