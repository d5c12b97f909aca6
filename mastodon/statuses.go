package mastodon

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"starling"
	"starling/server"
)

const maxIdempotencyKeyBytes = 256

// confirmPersonalData is the parameter with which a client confirms that
// what the safeguarding check found is not personal data, on the requests
// that publish text. It counts only where the community's policy is
// "warn"; see docs/safeguarding.md.
const confirmPersonalData = "confirm_personal_data"

func (h *handler) handleStatusCreate(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	media, err := mediaIDs(p)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	poll, err := newPollParams(p)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	if p.get("scheduled_at") != "" {
		server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: Scheduled posts are not supported on this server yet"))
		return
	}
	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	// The key is stored in an indexed text column: keep it text, and short
	// enough for PostgreSQL's index rows (clients send UUIDs).
	if !isText(key) || len(key) > maxIdempotencyKeyBytes {
		server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: Idempotency-Key must be UTF-8 text of at most %d bytes", maxIdempotencyKeyBytes))
		return
	}
	in := starling.NewStatus{
		Text: p.get("status"), SpoilerText: p.get("spoiler_text"), Sensitive: boolOf(p, "sensitive"),
		Visibility: starling.Visibility(p.get("visibility")), Language: p.get("language"),
		IdempotencyKey: key, MediaIDs: media, Poll: poll,
		QuotePolicy:         starling.QuotePolicy(p.get("quote_approval_policy")),
		ConfirmPersonalData: boolOf(p, confirmPersonalData),
	}
	if s := p.get("in_reply_to_id"); s != "" {
		id, ok := starling.ParseID(s)
		if !ok {
			server.WriteError(w, r, starling.Errorf(starling.ENOTFOUND, "The post you are trying to reply to does not appear to exist."))
			return
		}
		in.InReplyToID = id
	}
	if s := p.get("quoted_status_id"); s != "" {
		id, ok := starling.ParseID(s)
		if !ok {
			server.WriteError(w, r, starling.Errorf(starling.ENOTFOUND, "The post you are trying to quote does not appear to exist."))
			return
		}
		in.QuoteOfID = id
	}
	auth := starling.AuthFromContext(r.Context())
	in.ApplicationID = auth.Token.ApplicationID
	s, err := h.svc.PostStatus(r.Context(), auth.Account, in)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).status(s))
}

func (h *handler) handleStatusGet(w http.ResponseWriter, r *http.Request) {
	h.statusAction(w, r, h.svc.GetStatus)
}

func (h *handler) handleStatusesGet(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	ids := p.ids("id")
	if len(ids) > 40 {
		ids = ids[:40]
	}
	list, err := h.svc.GetStatuses(r.Context(), viewer(r), ids)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).statuses(list))
}

func (h *handler) handleStatusDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	s, err := h.svc.DeleteStatus(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	out := h.renderer(r.Context()).status(s)
	out.Text = ptr(s.Text) // the source, so the client can offer to redraft
	server.WriteJSON(w, http.StatusOK, out)
}

func (h *handler) handleStatusUpdate(w http.ResponseWriter, r *http.Request) {
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
	change := starling.StatusChange{
		Text: p.optStr("status"), SpoilerText: p.optStr("spoiler_text"), Sensitive: p.optBool("sensitive"), Language: p.optStr("language"),
		ConfirmPersonalData: boolOf(p, confirmPersonalData),
	}
	if p.has("media_ids") { // left out, the attachments stay; given, even empty, they are the new set
		media, err := mediaIDs(p)
		if err != nil {
			server.WriteError(w, r, err)
			return
		}
		change.MediaIDs = &media
	}
	if change.Media, err = mediaAttributes(p); err != nil {
		server.WriteError(w, r, err)
		return
	}
	s, err := h.svc.EditStatus(r.Context(), viewer(r), id, change)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).status(s))
}

// StatusEdit is one version in a status's history.
type StatusEdit struct {
	Content          string   `json:"content"`
	SpoilerText      string   `json:"spoiler_text"`
	Sensitive        bool     `json:"sensitive"`
	CreatedAt        string   `json:"created_at"`
	Account          *Account `json:"account"`
	Poll             any      `json:"poll"`
	MediaAttachments []any    `json:"media_attachments"`
	Emojis           []Emoji  `json:"emojis"`
}

func (h *handler) handleStatusHistory(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	edits, s, err := h.svc.StatusHistory(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rr := h.renderer(r.Context())
	out := make([]StatusEdit, 0, len(edits))
	for _, e := range edits {
		out = append(out, StatusEdit{Content: e.Content, SpoilerText: e.SpoilerText, Sensitive: e.Sensitive, CreatedAt: timeString(e.CreatedAt),
			Account: rr.account(s.Account), MediaAttachments: []any{}, Emojis: []Emoji{}})
	}
	server.WriteJSON(w, http.StatusOK, out)
}

func (h *handler) handleStatusSource(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	s, err := h.svc.StatusSource(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, map[string]string{"id": starling.FormatID(s.ID), "text": s.Text, "spoiler_text": s.SpoilerText})
}

func (h *handler) handleStatusContext(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	up, down, err := h.svc.StatusContext(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rr := h.renderer(r.Context())
	server.WriteJSON(w, http.StatusOK, map[string][]*Status{"ancestors": rr.statuses(up), "descendants": rr.statuses(down)})
}

// statusAction runs a use case on the status in the path and writes the result.
func (h *handler) statusAction(w http.ResponseWriter, r *http.Request, act func(context.Context, *starling.Account, int64) (*starling.Status, error)) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	s, err := act(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).status(s))
}

func (h *handler) handleFavourite(w http.ResponseWriter, r *http.Request) {
	h.statusAction(w, r, h.svc.Favourite)
}

func (h *handler) handleUnfavourite(w http.ResponseWriter, r *http.Request) {
	h.statusAction(w, r, h.svc.Unfavourite)
}

func (h *handler) handleReblog(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	vis := starling.Visibility(p.get("visibility"))
	h.statusAction(w, r, func(ctx context.Context, v *starling.Account, id int64) (*starling.Status, error) {
		return h.svc.Reblog(ctx, v, id, vis)
	})
}

func (h *handler) handleUnreblog(w http.ResponseWriter, r *http.Request) {
	h.statusAction(w, r, h.svc.Unreblog)
}

func (h *handler) handleBookmark(w http.ResponseWriter, r *http.Request) {
	h.statusAction(w, r, h.svc.Bookmark)
}

func (h *handler) handleUnbookmark(w http.ResponseWriter, r *http.Request) {
	h.statusAction(w, r, h.svc.Unbookmark)
}

func (h *handler) handlePin(w http.ResponseWriter, r *http.Request) {
	h.statusAction(w, r, h.svc.Pin)
}

func (h *handler) handleUnpin(w http.ResponseWriter, r *http.Request) {
	h.statusAction(w, r, h.svc.Unpin)
}

func (h *handler) handleFavouritedBy(w http.ResponseWriter, r *http.Request) {
	h.statusAccounts(w, r, h.svc.FavouritedBy)
}

func (h *handler) handleRebloggedBy(w http.ResponseWriter, r *http.Request) {
	h.statusAccounts(w, r, h.svc.RebloggedBy)
}

func (h *handler) statusAccounts(w http.ResponseWriter, r *http.Request,
	list func(context.Context, *starling.Account, int64, starling.Page) ([]*starling.Account, []starling.AccountRef, error)) {
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
	accounts, refs, err := list(r.Context(), viewer(r), id, pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	h.writeAccounts(w, r, accounts, accountRowIDs(refs))
}

func (h *handler) handleFavourites(w http.ResponseWriter, r *http.Request) {
	h.savedStatuses(w, r, h.svc.Favourites)
}

func (h *handler) handleBookmarks(w http.ResponseWriter, r *http.Request) {
	h.savedStatuses(w, r, h.svc.Bookmarks)
}

func (h *handler) savedStatuses(w http.ResponseWriter, r *http.Request,
	list func(context.Context, *starling.Account, starling.Page) ([]*starling.Status, []starling.StatusRef, error)) {
	_, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	statuses, refs, err := list(r.Context(), viewer(r), pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	h.writeStatuses(w, r, statuses, statusRowIDs(refs))
}

// mediaIDs reads media_ids: different uploads, in the order given.
func mediaIDs(p *params) ([]int64, error) {
	media := []int64{}
	for _, v := range p.strs("media_ids") {
		if v == "" {
			continue // media_ids[]= alone: no attachments
		}
		id, ok := starling.ParseID(v)
		if !ok || slices.Contains(media, id) {
			return nil, starling.Errorf(starling.EINVALID, "Validation failed: media_ids must name different uploads of yours")
		}
		media = append(media, id)
	}
	return media, nil
}

// mediaAttributes reads an edit's media_attributes: a JSON array of
// {id, description, focus}, or the form fields media_attributes[][id],
// [description] and [focus], taken in step.
func mediaAttributes(p *params) (map[int64]starling.MediaChange, error) {
	bad := starling.Errorf(starling.EINVALID, "Validation failed: media_attributes must give each attachment's id, with its description or focus")
	type attr struct{ id, description, focus *string }
	var list []attr
	if v, ok := p.json["media_attributes"]; ok {
		items, ok := v.([]any)
		if !ok {
			return nil, bad
		}
		for _, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				return nil, bad
			}
			var a attr
			for key, dst := range map[string]**string{"id": &a.id, "description": &a.description, "focus": &a.focus} {
				switch x := m[key].(type) {
				case nil:
				case string:
					*dst = &x
				case json.Number:
					s := x.String()
					*dst = &s
				default:
					return nil, bad
				}
			}
			list = append(list, a)
		}
	} else if ids := p.form["media_attributes[][id]"]; len(ids) > 0 {
		descs, foci := p.form["media_attributes[][description]"], p.form["media_attributes[][focus]"]
		if len(descs) != 0 && len(descs) != len(ids) || len(foci) != 0 && len(foci) != len(ids) {
			return nil, bad // not in step: which description is whose?
		}
		for i := range ids {
			a := attr{id: &ids[i]}
			if len(descs) > 0 {
				a.description = &descs[i]
			}
			if len(foci) > 0 {
				a.focus = &foci[i]
			}
			list = append(list, a)
		}
	}
	if len(list) == 0 {
		return nil, nil
	}
	out := make(map[int64]starling.MediaChange, len(list))
	for _, a := range list {
		if a.id == nil {
			return nil, bad
		}
		id, ok := starling.ParseID(*a.id)
		if !ok {
			return nil, bad
		}
		if _, dup := out[id]; dup {
			return nil, bad
		}
		out[id] = starling.MediaChange{Description: a.description, Focus: a.focus}
	}
	return out, nil
}
