package web

import (
	"context"
	"net/http"

	"starling"
)

// signUpRow is one pending sign-up on the staff page.
type signUpRow struct {
	User    *starling.User
	Account *starling.Account
}

// signUpsPage is the Data of the pending sign-ups page.
type signUpsPage struct {
	Rows   []signUpRow
	Notice string // what the last action did, or ""
}

// notices are the confirmations the sign-ups page can show after an action;
// the query names one, so no text from the address reaches the page.
var notices = map[string]string{
	"approved": "Sign-up approved. The new member can now sign in.",
	"rejected": "Sign-up rejected and removed.",
}

// staff returns the signed-in staff member's Auth, or writes the answer
// (a redirect to sign in, or 403) and returns nil.
func (h *handler) staff(w http.ResponseWriter, r *http.Request) *starling.Auth {
	auth := signedIn(r.Context())
	if auth == nil {
		redirectToSignIn(w, r)
		return nil
	}
	if !auth.User.IsStaff() {
		h.renderError(w, r, http.StatusForbidden, "Not allowed", "Only the community's moderators and admins can see this page.")
		return nil
	}
	if need, err := h.svc.StaffNeedsTwoFactor(r.Context(), auth.User); err != nil {
		h.renderServiceError(w, r, err)
		return nil
	} else if need {
		http.Redirect(w, r, "/settings/two_factor?required=1", http.StatusSeeOther)
		return nil
	}
	return auth
}

func (h *handler) handleSignUpsList(w http.ResponseWriter, r *http.Request) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	users, accounts, err := h.svc.PendingSignUps(r.Context(), auth.User)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	data := signUpsPage{Notice: notices[r.URL.Query().Get("done")]}
	for _, u := range users {
		if a, ok := accounts[u.AccountID]; ok {
			data.Rows = append(data.Rows, signUpRow{User: u, Account: a})
		}
	}
	h.render(w, r, http.StatusOK, "admin_sign_ups", &page{Title: "Pending sign-ups", Data: data})
}

func (h *handler) handleSignUpApprove(w http.ResponseWriter, r *http.Request) {
	h.decideSignUp(w, r, h.svc.ApproveSignUp, "approved")
}

func (h *handler) handleSignUpReject(w http.ResponseWriter, r *http.Request) {
	h.decideSignUp(w, r, h.svc.RejectSignUp, "rejected")
}

// decideSignUp runs decide on the sign-up named in the path and goes back
// to the list, which then says what happened.
func (h *handler) decideSignUp(w http.ResponseWriter, r *http.Request, decide func(ctx context.Context, staff *starling.User, accountID int64) error, done string) {
	auth := h.staff(w, r)
	if auth == nil {
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.handleNotFound(w, r)
		return
	}
	if err := decide(r.Context(), auth.User, id); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/sign_ups?done="+done, http.StatusSeeOther)
}
