package mastodon

import (
	"net/http"

	"starling"
	"starling/server"
)

func (h *handler) handleHomeTimeline(w http.ResponseWriter, r *http.Request) {
	_, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	list, err := h.svc.HomeTimeline(r.Context(), viewer(r), pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	h.writeStatuses(w, r, list, statusIDs(list))
}

func publicFilter(p *params) starling.PublicFilter {
	return starling.PublicFilter{LocalOnly: boolOf(p, "local"), RemoteOnly: boolOf(p, "remote"), OnlyMedia: boolOf(p, "only_media")}
}

func (h *handler) handlePublicTimeline(w http.ResponseWriter, r *http.Request) {
	p, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	list, err := h.svc.PublicTimeline(r.Context(), viewer(r), publicFilter(p), pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	h.writeStatuses(w, r, list, statusIDs(list))
}

func (h *handler) handleTagTimeline(w http.ResponseWriter, r *http.Request) {
	p, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	q := starling.TagQuery{Any: append([]string{r.PathValue("tag")}, p.strs("any")...), All: p.strs("all"), None: p.strs("none")}
	list, err := h.svc.TagTimeline(r.Context(), viewer(r), q, publicFilter(p), pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	h.writeStatuses(w, r, list, statusIDs(list))
}

func (h *handler) handleListTimeline(w http.ResponseWriter, r *http.Request) {
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
	list, err := h.svc.ListTimeline(r.Context(), viewer(r), id, pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	h.writeStatuses(w, r, list, statusIDs(list))
}
