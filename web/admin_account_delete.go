package web

import (
	"net/http"
	"strings"

	"starling"
)

// The two irreversible staff actions on an account's page: deleting the
// account (Service.DeleteAccount, staff only) and resetting a member's
// two-factor sign-in (Service.ResetTwoFactor, admins only). Each has its
// own form, apart from the everyday actions, and asks for a reason that
// the audit log keeps; deleting also asks staff to confirm.

func (h *handler) handleAdminAccountDelete(w http.ResponseWriter, r *http.Request) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	data := adminAccountPage{DeleteReason: strings.TrimSpace(r.PostFormValue("delete_reason"))}
	status := http.StatusUnprocessableEntity
	var errs []fieldError
	if r.PostFormValue("delete_confirm") != "1" {
		errs = append(errs, fieldError{Field: "delete-confirm", Message: "Tick the box to confirm that the account and everything it posted are deleted for good"})
	}
	if data.DeleteReason == "" {
		errs = append(errs, fieldError{Field: "delete-reason", Message: "Give the reason, for the audit log"})
	}
	if len(errs) == 0 {
		err := h.svc.DeleteAccount(r.Context(), auth.Account, auth.User, id, data.DeleteReason)
		if err == nil {
			http.Redirect(w, r, "/admin/accounts?deleted=1", http.StatusSeeOther)
			return
		}
		switch starling.ErrorCode(err) {
		case starling.EFORBIDDEN:
			status = http.StatusForbidden
			fallthrough
		case starling.EINVALID:
			errs = append(errs, fieldError{Field: "delete-reason", Message: userMessage(starling.ErrorMessage(err))})
		default:
			h.renderServiceError(w, r, err)
			return
		}
	}
	h.renderAdminAccount(w, r, auth, id, status, data, errs)
}

func (h *handler) handleAdminTwoFactorReset(w http.ResponseWriter, r *http.Request) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	data := adminAccountPage{ResetReason: strings.TrimSpace(r.PostFormValue("reset_reason"))}
	status := http.StatusUnprocessableEntity
	var errs []fieldError
	if data.ResetReason == "" {
		errs = append(errs, fieldError{Field: "reset-reason", Message: "Give the reason, for the audit log: how did you check it is really them?"})
	} else {
		err := h.svc.ResetTwoFactor(r.Context(), auth.User, id, data.ResetReason)
		if err == nil {
			data.Notice = "Two-factor sign-in is off for this member, and they have been signed out everywhere. They can sign in with their password and set it up again."
			h.renderAdminAccount(w, r, auth, id, http.StatusOK, data, nil)
			return
		}
		switch starling.ErrorCode(err) {
		case starling.EFORBIDDEN:
			status = http.StatusForbidden
			fallthrough
		case starling.EINVALID:
			errs = append(errs, fieldError{Field: "reset-reason", Message: userMessage(starling.ErrorMessage(err))})
		default:
			h.renderServiceError(w, r, err)
			return
		}
	}
	h.renderAdminAccount(w, r, auth, id, status, data, errs)
}
