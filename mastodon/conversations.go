package mastodon

import (
	"net/http"

	"starling"
	"starling/server"
)

func (rr *renderer) conversation(c *starling.Conversation) *Conversation {
	return &Conversation{ID: starling.FormatID(c.ID), Unread: c.Unread, Accounts: rr.accounts(c.Participants), LastStatus: rr.status(c.LastStatus)}
}

func (h *handler) handleConversations(w http.ResponseWriter, r *http.Request) {
	_, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	list, err := h.svc.Conversations(r.Context(), viewer(r), pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rr := h.renderer(r.Context())
	out := make([]*Conversation, 0, len(list))
	keys := make([]int64, 0, len(list))
	for _, c := range list {
		out = append(out, rr.conversation(c))
		keys = append(keys, c.LastStatusID)
	}
	h.setLinks(w, r, keys)
	server.WriteJSON(w, http.StatusOK, out)
}

func (h *handler) handleConversationRead(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	c, err := h.svc.MarkConversationRead(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).conversation(c))
}

func (h *handler) handleConversationDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	if err := h.svc.RemoveConversation(r.Context(), viewer(r), id); err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, struct{}{})
}
