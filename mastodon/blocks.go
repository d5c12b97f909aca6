package mastodon

import (
	"net/http"
	"time"

	"starling/server"
)

func (h *handler) handleBlock(w http.ResponseWriter, r *http.Request) {
	h.relationshipAction(w, r, h.svc.BlockAccount)
}

func (h *handler) handleUnblock(w http.ResponseWriter, r *http.Request) {
	h.relationshipAction(w, r, h.svc.UnblockAccount)
}

func (h *handler) handleUnmute(w http.ResponseWriter, r *http.Request) {
	h.relationshipAction(w, r, h.svc.UnmuteAccount)
}

// handleMute serves POST /api/v1/accounts/:id/mute with notifications
// (default true) and duration in seconds (0 or absent: until lifted).
func (h *handler) handleMute(w http.ResponseWriter, r *http.Request) {
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
	notifications := true
	if v, given := p.boolean("notifications"); given {
		notifications = v
	}
	seconds, err := p.integer("duration", 0)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rel, err := h.svc.MuteAccount(r.Context(), viewer(r), id, notifications, time.Duration(seconds)*time.Second)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, relationship(rel))
}

// handleBlocks serves GET /api/v1/blocks, newest block first.
func (h *handler) handleBlocks(w http.ResponseWriter, r *http.Request) {
	_, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	accounts, refs, err := h.svc.Blocks(r.Context(), viewer(r), pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	h.writeAccounts(w, r, accounts, accountRowIDs(refs))
}

// MutedAccount is an account in GET /api/v1/mutes: with when the mute ends.
type MutedAccount struct {
	*Account
	MuteExpiresAt *string `json:"mute_expires_at"`
}

// handleMutes serves GET /api/v1/mutes, newest mute first.
func (h *handler) handleMutes(w http.ResponseWriter, r *http.Request) {
	_, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	muted, refs, err := h.svc.Mutes(r.Context(), viewer(r), pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rr := h.renderer(r.Context())
	out := make([]MutedAccount, 0, len(muted))
	for _, m := range muted {
		e := MutedAccount{Account: rr.account(m.Account)}
		if !m.MuteExpiresAt.IsZero() {
			e.MuteExpiresAt = ptr(timeString(m.MuteExpiresAt))
		}
		out = append(out, e)
	}
	h.setLinks(w, r, accountRowIDs(refs))
	server.WriteJSON(w, http.StatusOK, out)
}
