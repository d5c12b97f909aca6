package web

import (
	"net/http"
	"strings"

	"starling"
)

// A member's own moderation warnings: /warnings/{id} shows what the
// moderators did and why, and takes the member's appeal (once). It is the
// complaints route the Online Safety Act asks for; staff read appeals on
// the account's page.

// warningPage is the Data of /warnings/{id}.
type warningPage struct {
	Warning *starling.AccountWarning
	Text    string // the appeal as typed, kept when the form comes back with an error
	Notice  string
}

func (h *handler) warningFor(w http.ResponseWriter, r *http.Request, auth *starling.Auth) *starling.AccountWarning {
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return nil
	}
	wa, err := h.svc.MemberWarning(r.Context(), auth.Account, id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return nil
	}
	return wa
}

func (h *handler) handleWarning(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	wa := h.warningFor(w, r, auth)
	if wa == nil {
		return
	}
	data := warningPage{Warning: wa}
	if r.URL.Query().Get("done") == "1" {
		data.Notice = "Your appeal was sent to the moderators."
	}
	pg := h.newPage(r, "A decision about your account", "notifications")
	pg.Data = data
	h.render(w, r, http.StatusOK, "warning", pg)
}

func (h *handler) handleWarningAppeal(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	wa := h.warningFor(w, r, auth)
	if wa == nil {
		return
	}
	text := strings.TrimSpace(r.PostFormValue("text"))
	_, err := h.svc.AppealWarning(r.Context(), auth.Account, wa.ID, text)
	if err == nil {
		http.Redirect(w, r, "/warnings/"+starling.FormatID(wa.ID)+"?done=1", http.StatusSeeOther)
		return
	}
	if starling.ErrorCode(err) != starling.EINVALID {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "A decision about your account", "notifications")
	pg.Errors = []fieldError{{Field: "text", Message: userMessage(starling.ErrorMessage(err))}}
	pg.Data = warningPage{Warning: wa, Text: text}
	h.render(w, r, http.StatusUnprocessableEntity, "warning", pg)
}

// warningRoutes adds the member's warning page to mux.
func (h *handler) warningRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /warnings/{id}", h.handleWarning)
	mux.HandleFunc("POST /warnings/{id}", h.handleWarningAppeal)
}
