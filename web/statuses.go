package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"starling"
	"starling/server"
)

// threadPage is the Data of the "status" page: a post with its thread.
type threadPage struct {
	Status      *starling.Status
	Ancestors   []*starling.Status
	Descendants []*starling.Status
	Reply       *composeView
}

// handleStatusPage shows /@username/ID: the post, what it replies to, the
// replies, and a reply box for members.
func (h *handler) handleStatusPage(w http.ResponseWriter, r *http.Request) {
	acct, ok := strings.CutPrefix(r.PathValue("acct"), "@")
	id, okID := pathID(r, "id")
	if !ok || !okID {
		h.handleNotFound(w, r)
		return
	}
	viewer := viewerOf(r)
	s, err := h.svc.GetStatus(r.Context(), viewer, id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if s.Reblog != nil || !strings.EqualFold(s.Account.Acct(), acct) {
		// A repost's or a mistyped address: send the browser to the post's own page.
		http.Redirect(w, r, statusPath(s), http.StatusMovedPermanently)
		return
	}
	ancestors, descendants, err := h.svc.StatusContext(r.Context(), viewer, id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	title := displayName(s.Account) + ": “" + excerpt(s.Text, 60) + "”"
	if s.SpoilerText != "" {
		title = displayName(s.Account) + ": " + excerpt(s.SpoilerText, 60)
	}
	pg := h.newPage(r, title, "")
	desc := s.Text
	if s.SpoilerText != "" {
		desc = "Content warning: " + s.SpoilerText
	}
	canonical := h.absolute(statusPath(s))
	pg.Meta = &pageMeta{Canonical: canonical, Type: "article", Description: excerpt(desc, 200),
		NoIndex:    s.Visibility != starling.VisibilityPublic,
		Alternates: []alternate{{Type: "application/json+oembed", Href: h.absolute("/api/oembed?url=" + queryEscape(canonical))}}}
	data := threadPage{Status: s, Ancestors: ancestors, Descendants: descendants}
	if pg.Account != nil {
		data.Reply = h.newCompose(pg, "reply", s)
		data.Reply.Return = statusPath(s)
	}
	pg.Data = data
	h.render(w, r, http.StatusOK, "status", pg)
}

// handleStatusRedirect sends /statuses/ID to the post's page.
func (h *handler) handleStatusRedirect(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	s, err := h.svc.GetStatus(r.Context(), viewerOf(r), id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	http.Redirect(w, r, statusPath(s), http.StatusFound)
}

// composePage is the Data of the "compose" page, shown to write a post
// on its own or again with the draft when posting failed.
type composePage struct {
	Compose *composeView
}

func (h *handler) handleComposeForm(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	pg := h.newPage(r, "Write a post", "home")
	var replyTo *starling.Status
	if id, ok := starling.ParseID(r.URL.Query().Get("in_reply_to_id")); ok {
		s, err := h.svc.GetStatus(r.Context(), auth.Account, id)
		if err != nil {
			h.renderServiceError(w, r, err)
			return
		}
		replyTo = s
	}
	c := h.newCompose(pg, "compose", replyTo)
	c.Return = "/"
	if to := r.URL.Query().Get("to"); to != "" && replyTo == nil {
		c.Text = "@" + strings.TrimPrefix(to, "@") + " "
	}
	if r.URL.Query().Get("visibility") == "direct" && replyTo == nil {
		c.Direct, c.Label, c.Submit, c.Return = true, "Write a direct message", "Send", "/conversations"
		c.Hint = directReminder
	}
	pg.Data = composePage{Compose: c}
	h.render(w, r, http.StatusOK, "compose", pg)
}

// directReminder is shown wherever a member writes a direct message.
const directReminder = "Direct messages are not a secure channel: never include case information or anything that could identify a person who uses services. Start with the @username of each person it is for."

// handleCompose posts a status from a compose box and returns to the page
// it was written on; if posting fails, it shows the draft again with the error.
func (h *handler) handleCompose(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	vis, err := starling.ParseVisibility(r.PostFormValue("visibility"), starling.VisibilityPublic)
	if err != nil {
		vis = starling.VisibilityPublic
	}
	in := starling.NewStatus{
		Text:           r.PostFormValue("status"),
		SpoilerText:    strings.TrimSpace(r.PostFormValue("spoiler_text")),
		Visibility:     vis,
		Language:       "en",
		IdempotencyKey: r.PostFormValue("idempotency_key"),
		Sensitive:      r.PostFormValue("sensitive") == "1",

		ConfirmPersonalData: confirmed(r),
	}
	if auth.Token != nil {
		in.ApplicationID = auth.Token.ApplicationID
	}
	var replyTo *starling.Status
	if raw := r.PostFormValue("in_reply_to_id"); raw != "" {
		id, ok := starling.ParseID(raw)
		if !ok {
			h.renderError(w, r, http.StatusUnprocessableEntity, "Cannot post", "The post you are replying to does not exist.")
			return
		}
		in.InReplyToID = id
		if replyTo, err = h.svc.GetStatus(r.Context(), auth.Account, id); err != nil {
			h.renderServiceError(w, r, err)
			return
		}
	}
	if in.IdempotencyKey != "" {
		in.IdempotencyKey = "web:" + in.IdempotencyKey
	}
	var media []mediaField
	var poll pollFields
	in.Poll, poll = composePoll(r, h.in.Polls)
	// Every text of the box, the images' descriptions too, is checked for
	// personal data before anything is uploaded, so that one message names
	// all that was found. Posting checks again.
	err = h.svc.CheckPersonalData(r.Context(), auth.Account, in.ConfirmPersonalData, composeTexts(r, h.in.Polls, true)...)
	if err == nil {
		in.MediaIDs, media, err = h.uploadComposeMedia(r, auth.Account, in.ConfirmPersonalData)
	} else {
		media = composeMediaFields(r)
	}
	var s *starling.Status
	if err == nil {
		s, err = h.svc.PostStatus(r.Context(), auth.Account, in)
	}
	if err != nil {
		server.LogError(r, err)
		pg := h.newPage(r, "Write a post", "home")
		c := h.newCompose(pg, "compose", replyTo)
		c.Text, c.Spoiler, c.Visibility, c.Key, c.Sensitive = in.Text, in.SpoilerText, vis, newKey(), in.Sensitive
		if len(c.Media) > 0 {
			c.Media = media
		}
		c.Poll = poll
		c.Direct = r.PostFormValue("visibility") == "direct" && (replyTo == nil || c.Direct)
		if c.Direct {
			c.Hint = directReminder
		}
		c.Return = r.PostFormValue("return")
		msg := userMessage(starling.ErrorMessage(err))
		pg.Errors = []fieldError{{"compose", msg}}
		for _, m := range media {
			if m.Error != "" { // the problem is with an image, not the text
				pg.Errors = []fieldError{{"compose-media" + strconv.Itoa(m.N), "Image " + strconv.Itoa(m.N) + ": " + m.Error}}
				msg = ""
			}
		}
		c.Error = msg
		// Personal data is shown at each input it was found in; where the
		// community's policy warns, with the box to confirm it is not.
		if errs, confirmable := personalDataErrors(err, func(f string) string { return composeInput(c.ID, f) }, postRule); errs != nil {
			pg.Errors, c.FieldErrors = errs, map[string]string{}
			for _, e := range errs {
				c.FieldErrors[e.Field] = e.Message
			}
			c.Error, c.Confirm = c.FieldErrors[c.ID], confirmable
		}
		if in.ConfirmPersonalData && h.in.Safeguarding == starling.SafeguardWarn { // ticked, and another problem: keep it ticked
			c.Confirm, c.Confirmed = true, true
		}
		pg.Data = composePage{Compose: c}
		// The draft is shown in answer to POST /statuses, an address no
		// one can fetch: the buttons of the post it replies to must come
		// back to the compose page, which shows that post too.
		pg.Path = composePath(replyTo)
		h.render(w, r, server.StatusFor(err), "compose", pg)
		return
	}
	fallback := "/"
	if replyTo != nil {
		fallback = statusPath(replyTo)
	}
	to := r.PostFormValue("return")
	if !localPath(to) {
		to = fallback
	}
	if replyTo != nil || s.Visibility == starling.VisibilityDirect {
		to = statusPath(s) // show the new post in its thread
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// composePath is the address of the compose page, replying to replyTo if set.
func composePath(replyTo *starling.Status) string {
	if replyTo == nil {
		return "/compose"
	}
	return "/compose?in_reply_to_id=" + starling.FormatID(replyTo.ID)
}

// actionFunc is a use case that acts on one post for the viewer.
type actionFunc = func(ctx context.Context, viewer *starling.Account, id int64) (*starling.Status, error)

// statusActions are the one-click actions on a post, by path name.
var statusActions = map[string]func(*starling.Service) actionFunc{
	"favourite":   func(s *starling.Service) actionFunc { return s.Favourite },
	"unfavourite": func(s *starling.Service) actionFunc { return s.Unfavourite },
	"bookmark":    func(s *starling.Service) actionFunc { return s.Bookmark },
	"unbookmark":  func(s *starling.Service) actionFunc { return s.Unbookmark },
	"unreblog":    func(s *starling.Service) actionFunc { return s.Unreblog },
	"pin":         func(s *starling.Service) actionFunc { return s.Pin },
	"unpin":       func(s *starling.Service) actionFunc { return s.Unpin },
	"reblog": func(s *starling.Service) actionFunc {
		return func(ctx context.Context, viewer *starling.Account, id int64) (*starling.Status, error) {
			return s.Reblog(ctx, viewer, id, starling.VisibilityPublic)
		}
	},
}

// handleStatusAction favourites, bookmarks, reposts (or undoes it) and goes back.
func (h *handler) handleStatusAction(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	id, ok := pathID(r, "id")
	act, known := statusActions[r.PathValue("action")]
	if !ok || !known {
		h.handleNotFound(w, r)
		return
	}
	if _, err := act(h.svc)(r.Context(), auth.Account, id); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	redirectBack(w, r, "/statuses/"+starling.FormatID(id))
}

func (h *handler) handleDeleteForm(w http.ResponseWriter, r *http.Request) {
	auth, id, ok := h.memberAt(w, r)
	if !ok {
		return
	}
	s, err := h.svc.GetStatus(r.Context(), auth.Account, id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if s.AccountID != auth.Account.ID {
		h.renderError(w, r, http.StatusForbidden, "Not allowed", "You can only delete your own posts.")
		return
	}
	pg := h.newPage(r, "Delete post", "")
	pg.Data = s
	h.render(w, r, http.StatusOK, "delete_status", pg)
}

func (h *handler) handleDelete(w http.ResponseWriter, r *http.Request) {
	auth, id, ok := h.memberAt(w, r)
	if !ok {
		return
	}
	if _, err := h.svc.DeleteStatus(r.Context(), auth.Account, id); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	http.Redirect(w, r, "/@"+auth.Account.Username, http.StatusSeeOther)
}

// uploadComposeMedia stores the images attached in the compose box, each
// with its description, and returns their IDs in order, and the fields to
// show again if anything fails (files cannot be kept: the member picks
// them again). Uploads made before a failure stay unattached.
func (h *handler) uploadComposeMedia(r *http.Request, viewer *starling.Account, confirmed bool) ([]int64, []mediaField, error) {
	var ids []int64
	var fields []mediaField
	var failed error
	for n := 1; n <= starling.MaxAttachments; n++ {
		f := mediaField{N: n, Description: r.PostFormValue("media" + strconv.Itoa(n) + "_description")}
		file, hdr, err := r.FormFile("media" + strconv.Itoa(n))
		if err == nil && hdr.Size > 0 && failed == nil {
			var m *starling.MediaAttachment
			m, err = h.svc.UploadMedia(r.Context(), viewer, starling.MediaUpload{Body: file, Description: f.Description, ConfirmPersonalData: confirmed})
			if err != nil {
				f.Error, failed = userMessage(starling.ErrorMessage(err)), err
			} else {
				ids = append(ids, m.ID)
			}
		}
		if file != nil {
			file.Close()
		}
		fields = append(fields, f)
	}
	return ids, fields, failed
}

// composeMediaFields are the compose box's image inputs with the
// descriptions typed, for a draft shown again before any upload.
func composeMediaFields(r *http.Request) []mediaField {
	var fields []mediaField
	for n := 1; n <= starling.MaxAttachments; n++ {
		fields = append(fields, mediaField{N: n, Description: r.PostFormValue("media" + strconv.Itoa(n) + "_description")})
	}
	return fields
}
