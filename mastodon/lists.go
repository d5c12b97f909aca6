package mastodon

import (
	"context"
	"net/http"

	"starling"
	"starling/server"
)

func (h *handler) handleLists(w http.ResponseWriter, r *http.Request) {
	lists, err := h.svc.Lists(r.Context(), viewer(r))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	out := make([]*List, 0, len(lists))
	for _, l := range lists {
		out = append(out, list(l))
	}
	server.WriteJSON(w, http.StatusOK, out)
}

func (h *handler) handleListGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	l, err := h.svc.SharedList(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, list(l))
}

// handleListFollow follows everyone on someone's public list and answers
// with the viewer's own copy of it.
func (h *handler) handleListFollow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	l, err := h.svc.FollowList(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, list(l))
}

func (h *handler) handleListCreate(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	l, err := h.svc.CreateList(r.Context(), viewer(r), starling.List{Title: p.get("title"), RepliesPolicy: p.get("replies_policy"), Exclusive: boolOf(p, "exclusive"), Public: boolOf(p, "public")})
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, list(l))
}

func (h *handler) handleListUpdate(w http.ResponseWriter, r *http.Request) {
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
	l, err := h.svc.UpdateList(r.Context(), viewer(r), id, starling.ListChange{Title: p.optStr("title"), RepliesPolicy: p.optStr("replies_policy"), Exclusive: p.optBool("exclusive"), Public: p.optBool("public")})
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, list(l))
}

func (h *handler) handleListDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	if err := h.svc.DeleteList(r.Context(), viewer(r), id); err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, struct{}{})
}

func (h *handler) handleListAccounts(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	_, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	accounts, err := h.svc.ListMembers(r.Context(), viewer(r), id, pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	ids := make([]int64, len(accounts))
	for i, a := range accounts {
		ids[i] = a.ID
	}
	h.writeAccounts(w, r, accounts, ids)
}

func (h *handler) handleListAccountsAdd(w http.ResponseWriter, r *http.Request) {
	h.listMembers(w, r, h.svc.AddListMembers)
}

func (h *handler) handleListAccountsRemove(w http.ResponseWriter, r *http.Request) {
	h.listMembers(w, r, h.svc.RemoveListMembers)
}

func (h *handler) listMembers(w http.ResponseWriter, r *http.Request, change func(context.Context, *starling.Account, int64, []int64) error) {
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
	ids := p.ids("account_ids")
	if len(ids) == 0 {
		server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: account_ids must name at least one account"))
		return
	}
	if err := change(r.Context(), viewer(r), id, ids); err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, struct{}{})
}
