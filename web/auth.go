package web

import (
	"net/http"
	"strings"

	"starling"
	"starling/server"
)

// homePage is the Data of the landing page.
type homePage struct {
	Rules []string
}

func (h *handler) handleHome(w http.ResponseWriter, r *http.Request) {
	pg := h.newPage(r, "", "")
	pg.Meta = &pageMeta{Canonical: h.absolute("/"), Type: "website", Description: h.in.Description}
	pg.Data = homePage{Rules: h.ruleTexts(r.Context())}
	h.render(w, r, http.StatusOK, "home", pg)
}

// aboutPage is the Data of the about page.
type aboutPage struct {
	Guidance any
	Rules    []*starling.Rule
}

// handleAbout shows the community's description and rules to anyone.
func (h *handler) handleAbout(w http.ResponseWriter, r *http.Request) {
	rules, err := h.svc.Rules(r.Context())
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "About", "")
	pg.Meta = &pageMeta{Canonical: h.absolute("/about"), Type: "website", Description: h.in.Description}
	pg.Data = aboutPage{Guidance: postingGuidance, Rules: rules}
	h.render(w, r, http.StatusOK, "about", pg)
}

// signUpPage is the Data of the sign-up form. It never holds the password.
type signUpPage struct {
	Username  string
	Email     string
	Reason    string
	Agreement bool
	Approval  bool // the community reviews new members, so ask why they want to join
	Rules     []string
}

func (h *handler) signUpClosed(w http.ResponseWriter, r *http.Request) {
	h.renderError(w, r, http.StatusForbidden, "Sign-ups are closed",
		"This community is not taking new members at the moment. An admin can create an account for you.")
}

func (h *handler) handleSignUpForm(w http.ResponseWriter, r *http.Request) {
	if h.in.Registrations == starling.RegistrationsClosed {
		h.signUpClosed(w, r)
		return
	}
	h.render(w, r, http.StatusOK, "sign_up", &page{Title: "Join", Data: signUpPage{
		Approval: h.in.Registrations == starling.RegistrationsApproval, Rules: h.ruleTexts(r.Context()),
	}})
}

func (h *handler) handleSignUp(w http.ResponseWriter, r *http.Request) {
	if h.in.Registrations == starling.RegistrationsClosed {
		h.signUpClosed(w, r)
		return
	}
	form := signUpPage{
		Username:  strings.TrimSpace(r.PostFormValue("username")),
		Email:     strings.TrimSpace(r.PostFormValue("email")),
		Reason:    strings.TrimSpace(r.PostFormValue("reason")),
		Agreement: r.PostFormValue("agreement") == "1",
		Approval:  h.in.Registrations == starling.RegistrationsApproval,
		Rules:     h.ruleTexts(r.Context()),
	}
	password := r.PostFormValue("password")
	fail := func(status int, field, msg string) {
		h.render(w, r, status, "sign_up", &page{Title: "Join", Errors: []fieldError{{field, userMessage(msg)}}, Data: form})
	}
	if password != r.PostFormValue("password_confirmation") {
		fail(http.StatusUnprocessableEntity, "password_confirmation", "The passwords do not match: type the same password twice")
		return
	}
	reason := ""
	if form.Approval {
		reason = form.Reason
	}
	account, user, err := h.svc.Register(r.Context(), starling.SignUp{
		Username: form.Username, Email: form.Email, Password: password, Reason: reason, Locale: "en", Agreement: form.Agreement,
	})
	if err != nil {
		server.LogError(r, err)
		fail(server.StatusFor(err), errorField(starling.ErrorMessage(err), ""), starling.ErrorMessage(err))
		return
	}
	if !user.Approved {
		h.render(w, r, http.StatusOK, "sign_up_done", &page{Title: "Thanks for applying", Data: account})
		return
	}
	if err := h.startSession(w, r, account); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	http.Redirect(w, r, "/start", http.StatusSeeOther) // the first-run guide
}

// signInPage is the Data of the sign-in form. It never holds the password.
type signInPage struct {
	Login string
	Next  string // a local path to go to afterwards, or ""
}

// nextPath returns the "next" parameter if it is safe to redirect to, else "".
func nextPath(r *http.Request) string {
	if next := r.FormValue("next"); localPath(next) {
		return next
	}
	return ""
}

func (h *handler) handleSignInForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "sign_in", &page{Title: "Sign in", Data: signInPage{Next: nextPath(r)}})
}

func (h *handler) handleSignIn(w http.ResponseWriter, r *http.Request) {
	form := signInPage{Login: strings.TrimSpace(r.PostFormValue("login")), Next: nextPath(r)}
	account, user, err := h.svc.SignIn(r.Context(), form.Login, r.PostFormValue("password"))
	if err != nil {
		server.LogError(r, err)
		server.SetRetryAfter(w, err)
		field, msg := "", starling.ErrorMessage(err)
		switch starling.ErrorCode(err) {
		case starling.EUNAUTHORIZED:
			field = "login"
		case starling.EFORBIDDEN:
			if !strings.Contains(msg, "pending") {
				break // suspended or disabled: the message says why
			}
			msg += ". If you have just applied to join, an admin is still reviewing your application: you can sign in once it is approved."
		}
		h.render(w, r, server.StatusFor(err), "sign_in", &page{Title: "Sign in",
			Errors: []fieldError{{field, msg}}, Data: form})
		return
	}
	if on, err := h.svc.HasTwoFactor(r.Context(), account.ID); err != nil {
		h.renderServiceError(w, r, err)
		return
	} else if on {
		h.beginTwoFactorSignIn(w, r, account, form.Next)
		return
	}
	if err := h.startSession(w, r, account); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	h.afterSignIn(w, r, user, form.Next)
}

func (h *handler) handleSignOut(w http.ResponseWriter, r *http.Request) {
	if auth := signedIn(r.Context()); auth != nil {
		err := h.svc.RevokeOwnToken(r.Context(), auth.Account, auth.Token.ID)
		if err != nil && starling.ErrorCode(err) != starling.ENOTFOUND {
			h.renderServiceError(w, r, err)
			return
		}
	}
	h.clearSession(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
