package mastodon

import (
	"net/http"

	"starling"
	"starling/server"
)

// handleDomainBlocks serves GET /api/v1/domain_blocks: the domains the
// member blocks, as strings, newest block first, paged by Link headers.
func (h *handler) handleDomainBlocks(w http.ResponseWriter, r *http.Request) {
	_, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	blocks, err := h.svc.DomainBlocks(r.Context(), viewer(r), pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	out, keys := make([]string, len(blocks)), make([]int64, len(blocks))
	for i, b := range blocks {
		out[i], keys[i] = b.Domain, b.ID
	}
	h.setLinks(w, r, keys)
	server.WriteJSON(w, http.StatusOK, out)
}

// handleDomainBlock serves POST /api/v1/domain_blocks with domain.
func (h *handler) handleDomainBlock(w http.ResponseWriter, r *http.Request) {
	h.domainBlockAction(w, r, func(v *starling.Account, domain string) error {
		_, err := h.svc.BlockDomain(r.Context(), v, domain)
		return err
	})
}

// handleDomainUnblock serves DELETE /api/v1/domain_blocks with domain.
func (h *handler) handleDomainUnblock(w http.ResponseWriter, r *http.Request) {
	h.domainBlockAction(w, r, func(v *starling.Account, domain string) error {
		return h.svc.UnblockDomain(r.Context(), v, domain)
	})
}

func (h *handler) domainBlockAction(w http.ResponseWriter, r *http.Request, do func(*starling.Account, string) error) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	domain := p.get("domain")
	if domain == "" {
		server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: Domain can't be blank"))
		return
	}
	if err := do(viewer(r), domain); err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, struct{}{})
}
