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

// staffAccountForm starts a staff form posted about the account in the
// path: the staff member and the account's ID, or false once it has
// answered (not staff, or no such ID).
func (h *handler) staffAccountForm(w http.ResponseWriter, r *http.Request) (*starling.Auth, int64, bool) {
	auth := h.staff(w, r)
	if auth == nil {
		return nil, 0, false
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return nil, 0, false
	}
	return auth, id, true
}

// refused shows the account's page again with the use-case's refusal at
// field: 403 for a forbidden action, 422 for bad input. Other errors get
// the error page.
func (h *handler) refused(w http.ResponseWriter, r *http.Request, auth *starling.Auth, id int64, data adminAccountPage, field string, err error) {
	status := http.StatusUnprocessableEntity
	switch starling.ErrorCode(err) {
	case starling.EFORBIDDEN:
		status = http.StatusForbidden
	case starling.EINVALID:
	default:
		h.renderServiceError(w, r, err)
		return
	}
	h.renderAdminAccount(w, r, auth, id, status, data, []fieldError{{Field: field, Message: userMessage(starling.ErrorMessage(err))}})
}

func (h *handler) handleAdminAccountDelete(w http.ResponseWriter, r *http.Request) {
	auth, id, ok := h.staffAccountForm(w, r)
	if !ok {
		return
	}
	data := adminAccountPage{DeleteReason: strings.TrimSpace(r.PostFormValue("delete_reason"))}
	var errs []fieldError
	if r.PostFormValue("delete_confirm") != "1" {
		errs = append(errs, fieldError{Field: "delete-confirm", Message: "Tick the box to confirm that the account and everything it posted are deleted for good"})
	}
	if data.DeleteReason == "" {
		errs = append(errs, fieldError{Field: "delete-reason", Message: "Give the reason, for the audit log"})
	}
	if len(errs) > 0 {
		h.renderAdminAccount(w, r, auth, id, http.StatusUnprocessableEntity, data, errs)
		return
	}
	if err := h.svc.DeleteAccount(r.Context(), auth.Account, auth.User, id, data.DeleteReason); err != nil {
		h.refused(w, r, auth, id, data, "delete-reason", err)
		return
	}
	http.Redirect(w, r, "/admin/accounts?deleted=1", http.StatusSeeOther)
}

func (h *handler) handleAdminTwoFactorReset(w http.ResponseWriter, r *http.Request) {
	auth, id, ok := h.staffAccountForm(w, r)
	if !ok {
		return
	}
	data := adminAccountPage{ResetReason: strings.TrimSpace(r.PostFormValue("reset_reason"))}
	if data.ResetReason == "" {
		h.renderAdminAccount(w, r, auth, id, http.StatusUnprocessableEntity, data,
			[]fieldError{{Field: "reset-reason", Message: "Give the reason, for the audit log: how did you check it is really them?"}})
		return
	}
	if err := h.svc.ResetTwoFactor(r.Context(), auth.User, id, data.ResetReason); err != nil {
		h.refused(w, r, auth, id, data, "reset-reason", err)
		return
	}
	data.Notice = "Two-factor sign-in is off for this member, and they have been signed out everywhere. They can sign in with their password and set it up again."
	h.renderAdminAccount(w, r, auth, id, http.StatusOK, data, nil)
}
