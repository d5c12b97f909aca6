package web

import (
	"net/http"

	"starling"
)

// conversationsPage is the Data of the "conversations" page.
type conversationsPage struct {
	Conversations []*starling.Conversation
	Pager         pager
	Reminder      string
}

func (h *handler) handleConversations(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	p := pageParams(r)
	list, err := h.svc.Conversations(r.Context(), auth.Account, p)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Direct messages", "conversations")
	data := conversationsPage{Conversations: list, Reminder: directReminder, Pager: pagerFor(r, p, 0, 0, 0)}
	if len(list) > 0 {
		data.Pager = pagerFor(r, p, len(list), list[0].LastStatusID, list[len(list)-1].LastStatusID)
	}
	pg.Data = data
	h.render(w, r, http.StatusOK, "conversations", pg)
}

// handleConversationOpen marks a conversation read and shows its thread.
func (h *handler) handleConversationOpen(w http.ResponseWriter, r *http.Request) {
	auth, id, ok := h.memberAt(w, r)
	if !ok {
		return
	}
	c, err := h.svc.MarkConversationRead(r.Context(), auth.Account, id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if c.LastStatus == nil {
		http.Redirect(w, r, "/conversations", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, statusPath(c.LastStatus), http.StatusSeeOther)
}
