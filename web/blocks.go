package web

import (
	"net/http"

	"starling"
)

// blocksPage is the Data of the page listing whom the member blocks and mutes.
type blocksPage struct {
	Blocked []accountView
	Muted   []mutedView
	Domains []string // the domains the member blocks, newest first
	Domain  string   // the domain typed, kept when blocking it failed
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
	h.renderBlocksPage(w, r, auth, http.StatusOK, "", nil)
}

// renderBlocksPage shows the blocks page, with domain and errs after a
// domain block that failed.
func (h *handler) renderBlocksPage(w http.ResponseWriter, r *http.Request, auth *starling.Auth, status int, domain string, errs []fieldError) {
	ctx := r.Context()
	pg := h.newPage(r, "Blocked and muted", "settings")
	pg.Errors = errs
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
	domains, err := h.svc.DomainBlocks(ctx, auth.Account, starling.Page{Limit: 200})
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	for _, d := range domains {
		data.Domains = append(data.Domains, d.Domain)
	}
	data.Domain = domain
	pg.Data = data
	h.render(w, r, status, "settings_blocks", pg)
}

// handleDomainBlock blocks the domain typed on the blocks page.
func (h *handler) handleDomainBlock(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	domain := r.PostFormValue("domain")
	if _, err := h.svc.BlockDomain(r.Context(), auth.Account, domain); err != nil {
		if starling.ErrorCode(err) != starling.EINVALID {
			h.renderServiceError(w, r, err)
			return
		}
		h.renderBlocksPage(w, r, auth, http.StatusUnprocessableEntity, domain, []fieldError{{"domain", userMessage(starling.ErrorMessage(err))}})
		return
	}
	http.Redirect(w, r, "/settings/blocks#blocked-domains", http.StatusSeeOther)
}

// handleDomainUnblock lifts a domain block from the blocks page.
func (h *handler) handleDomainUnblock(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	if err := h.svc.UnblockDomain(r.Context(), auth.Account, r.PostFormValue("domain")); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/blocks#blocked-domains", http.StatusSeeOther)
}
