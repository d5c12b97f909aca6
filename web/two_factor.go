package web

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"
	"time"

	"github.com/pquerna/otp"

	"starling"
	"starling/server"
)

// pendingSignInCookie holds the token of a sign-in that got the right
// password and waits for the second factor (starling.PendingSignIn). It is
// only sent to /auth/two_factor.
const pendingSignInCookie = "starling_pending_sign_in"

const twoFactorPath = "/auth/two_factor"

// twoFactorPage is the Data of the "two_factor" page, where a sign-in asks for the code.
type twoFactorPage struct {
	Next string
}

// settingsTwoFactorPage is the Data of the "settings_two_factor" page.
type settingsTwoFactorPage struct {
	Enabled       bool
	RecoveryLeft  int
	Setup         *starling.TwoFactorSetup // while setting up
	QR            template.URL             // data: URI of a PNG of Setup.URI, or ""
	RecoveryCodes []string                 // just generated: shown this once
	Required      bool                     // staff sent here because the community requires it
	Notice        string
}

// beginTwoFactorSignIn is the end of a right password for a member with a
// second factor: no session yet, a pending sign-in and the page asking for the code.
func (h *handler) beginTwoFactorSignIn(w http.ResponseWriter, r *http.Request, account *starling.Account, next string) {
	token, err := h.svc.BeginPendingSignIn(r.Context(), account.ID)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: pendingSignInCookie, Value: token, Path: twoFactorPath, MaxAge: int((5 * time.Minute) / time.Second),
		HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode,
	})
	to := twoFactorPath
	if next != "" {
		to += "?next=" + queryEscape(next)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (h *handler) clearPendingSignIn(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: pendingSignInCookie, Value: "", Path: twoFactorPath, MaxAge: -1,
		HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode,
	})
}

// signInExpired shows the sign-in form again, saying why.
func (h *handler) signInExpired(w http.ResponseWriter, r *http.Request, err error) {
	h.clearPendingSignIn(w, r)
	pg := h.newPage(r, "Sign in", "")
	pg.Errors = []fieldError{{"", starling.ErrorMessage(err)}}
	pg.Data = signInPage{Next: nextPath(r)}
	h.render(w, r, server.StatusFor(err), "sign_in", pg)
}

func (h *handler) handleTwoFactorForm(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(pendingSignInCookie)
	if err != nil || c.Value == "" {
		http.Redirect(w, r, signInURL(nextPath(r)), http.StatusSeeOther)
		return
	}
	if err := h.svc.PendingSignInValid(r.Context(), c.Value); err != nil {
		server.LogError(r, err)
		h.signInExpired(w, r, err)
		return
	}
	pg := h.newPage(r, "Two-factor sign-in", "")
	pg.Data = twoFactorPage{Next: nextPath(r)}
	h.render(w, r, http.StatusOK, "two_factor", pg)
}

func (h *handler) handleTwoFactor(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(pendingSignInCookie)
	if err != nil || c.Value == "" {
		h.signInExpired(w, r, starling.Errorf(starling.EUNAUTHORIZED, "Your sign-in expired: enter your password again"))
		return
	}
	account, user, err := h.svc.CompleteSignIn(r.Context(), c.Value, r.PostFormValue("code"))
	switch starling.ErrorCode(err) {
	case "":
	case starling.EINVALID:
		pg := h.newPage(r, "Two-factor sign-in", "")
		pg.Errors = []fieldError{{"code", "That code is not right, or was already used: enter the code your app shows now, or an unused recovery code"}}
		pg.Data = twoFactorPage{Next: nextPath(r)}
		h.render(w, r, http.StatusUnprocessableEntity, "two_factor", pg)
		return
	case starling.EUNAUTHORIZED, starling.EFORBIDDEN:
		h.signInExpired(w, r, err)
		return
	case starling.ERATELIMITED:
		server.SetRetryAfter(w, err)
		pg := h.newPage(r, "Two-factor sign-in", "")
		pg.Errors = []fieldError{{"code", starling.ErrorMessage(err)}}
		pg.Data = twoFactorPage{Next: nextPath(r)}
		h.render(w, r, http.StatusTooManyRequests, "two_factor", pg)
		return
	default:
		h.renderServiceError(w, r, err)
		return
	}
	h.clearPendingSignIn(w, r)
	if err := h.startSession(w, r, account); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	h.afterSignIn(w, r, user, nextPath(r))
}

// afterSignIn sends a member who has just signed in where they were going,
// or staff who must set up two-factor sign-in to the page for it.
func (h *handler) afterSignIn(w http.ResponseWriter, r *http.Request, user *starling.User, next string) {
	if need, err := h.svc.StaffNeedsTwoFactor(r.Context(), user); err != nil {
		server.LogError(r, err)
	} else if need {
		http.Redirect(w, r, "/settings/two_factor?required=1", http.StatusSeeOther)
		return
	}
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

var twoFactorNotices = map[string]string{
	"disabled": "Two-factor sign-in is off. You sign in with your password alone.",
}

func (h *handler) handleTwoFactorSettings(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	data := settingsTwoFactorPage{Required: r.URL.Query().Get("required") == "1", Notice: twoFactorNotices[r.URL.Query().Get("done")]}
	if err := h.fillTwoFactor(r, auth, &data); err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	pg := h.newPage(r, "Two-factor sign-in", "settings")
	pg.Data = data
	h.render(w, r, http.StatusOK, "settings_two_factor", pg)
}

// fillTwoFactor sets what the settings page shows: the state, or the
// secret to add to an app while it is off.
func (h *handler) fillTwoFactor(r *http.Request, auth *starling.Auth, data *settingsTwoFactorPage) error {
	on, left, err := h.svc.TwoFactorStatus(r.Context(), auth.User)
	if err != nil {
		return err
	}
	data.Enabled, data.RecoveryLeft = on, left
	if !on {
		if data.Setup, err = h.svc.BeginTwoFactor(r.Context(), auth.User); err != nil {
			return err
		}
		data.QR = qrDataURI(data.Setup.URI)
	}
	return nil
}

// qrDataURI draws the otpauth URI as a QR code, as a PNG in a data: URI
// (made here: the page loads nothing from elsewhere), or "" if it cannot.
func qrDataURI(uri string) template.URL {
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return ""
	}
	img, err := key.Image(200, 200)
	if err != nil {
		return ""
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return ""
	}
	// Safe to trust: the data is a PNG made above.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
}

func (h *handler) handleTwoFactorSave(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	var data settingsTwoFactorPage
	var err error
	var field string
	switch r.PostFormValue("action") {
	case "enable":
		field = "code"
		data.RecoveryCodes, err = h.svc.ConfirmTwoFactor(r.Context(), auth.User, r.PostFormValue("code"))
	case "disable":
		field = "disable_code"
		err = h.svc.DisableTwoFactor(r.Context(), auth.User, r.PostFormValue("current_password"), r.PostFormValue("disable_code"))
		if err == nil {
			http.Redirect(w, r, "/settings/two_factor?done=disabled", http.StatusSeeOther)
			return
		}
		if starling.ErrorMessage(err) == "Current password is invalid" {
			field = "current_password"
		}
	default:
		h.renderError(w, r, http.StatusBadRequest, "Bad request", "The form did not say what to do.")
		return
	}
	pg := h.newPage(r, "Two-factor sign-in", "settings")
	status := http.StatusOK
	if err != nil {
		server.LogError(r, err)
		status = server.StatusFor(err)
		msg := starling.ErrorMessage(err)
		if starling.ErrorCode(err) == starling.EINVALID && field != "current_password" {
			msg = "That code is not right, or was already used: enter the code your app shows now"
		}
		pg.Errors = []fieldError{{field, msg}}
	}
	if err2 := h.fillTwoFactor(r, auth, &data); err2 != nil {
		h.renderServiceError(w, r, err2)
		return
	}
	pg.Data = data
	h.render(w, r, status, "settings_two_factor", pg)
}
