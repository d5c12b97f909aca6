package web

import (
	"net/http"

	"starling"
)

// blocksPage is the Data of the page listing whom the member blocks and mutes.
type blocksPage struct {
	Blocked []accountView
	Muted   []mutedView
}

type mutedView struct {
	Card  accountView
	Until string // when the mute ends, "" if never
}

// handleBlocksPage lists the accounts the member blocks and mutes (the
// latest 80 of each), each with a button that lifts it.
func (h *handler) handleBlocksPage(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	ctx := r.Context()
	pg := h.newPage(r, "Blocked and muted", "settings")
	blocked, _, err := h.svc.Blocks(ctx, auth.Account, starling.Page{Limit: 80})
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	muted, _, err := h.svc.Mutes(ctx, auth.Account, starling.Page{Limit: 80})
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	var data blocksPage
	for _, a := range blocked {
		data.Blocked = append(data.Blocked, accountView{Account: a, CSRF: pg.CSRF, Return: "/settings/blocks", Secondary: true,
			Action: "/accounts/" + starling.FormatID(a.ID) + "/unblock", ActionLabel: "Unblock"})
	}
	for _, m := range muted {
		v := mutedView{Card: accountView{Account: m.Account, CSRF: pg.CSRF, Return: "/settings/blocks", Secondary: true,
			Action: "/accounts/" + starling.FormatID(m.ID) + "/unmute", ActionLabel: "Unmute"}}
		if !m.MuteExpiresAt.IsZero() {
			v.Until = m.MuteExpiresAt.UTC().Format("2 January 2006, 15:04 UTC")
		}
		data.Muted = append(data.Muted, v)
	}
	pg.Data = data
	h.render(w, r, http.StatusOK, "settings_blocks", pg)
}
