package web

import (
	"net/http"
	"strings"

	"starling"
	"starling/server"
)

// deletePage is the Data of the "settings_delete" page.
type deletePage struct {
	TwoFactor bool // ask for a code too
}

func (h *handler) handleDeleteAccountForm(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	h.renderDeleteForm(w, r, auth, http.StatusOK, nil)
}

func (h *handler) renderDeleteForm(w http.ResponseWriter, r *http.Request, auth *starling.Auth, status int, errs []fieldError) {
	on, err := h.svc.HasTwoFactor(r.Context(), auth.Account.ID)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Delete your account", "settings")
	pg.Errors = errs
	pg.Data = deletePage{TwoFactor: on}
	h.render(w, r, status, "settings_delete", pg)
}

func (h *handler) handleDeleteAccount(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	if r.PostFormValue("confirm") != "1" {
		h.renderDeleteForm(w, r, auth, http.StatusUnprocessableEntity, []fieldError{{"confirm", "Tick the box to say you understand that this cannot be undone"}})
		return
	}
	err := h.svc.DeleteOwnAccount(r.Context(), auth.Account, auth.User, r.PostFormValue("current_password"), r.PostFormValue("code"))
	if err != nil {
		server.LogError(r, err)
		if starling.ErrorCode(err) != starling.EINVALID {
			h.renderServiceError(w, r, err)
			return
		}
		field, msg := "", starling.ErrorMessage(err)
		switch {
		case strings.Contains(msg, "password"):
			field = "current_password"
		case strings.Contains(msg, "two-factor code"):
			field = "code"
		}
		h.renderDeleteForm(w, r, auth, http.StatusUnprocessableEntity, []fieldError{{field, userMessage(msg)}})
		return
	}
	h.clearSession(w, r)
	// The page goes out signed out: the session it came with is revoked.
	r = r.WithContext(starling.NewContextWithAuth(r.Context(), nil))
	h.render(w, r, http.StatusOK, "account_deleted", h.newPage(r, "Your account is deleted", ""))
}
