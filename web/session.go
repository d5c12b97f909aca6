package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"starling"
	"starling/server"
)

// sessionCookie holds a web session: an access token of the built-in web
// app, so the API and the pages share one notion of "signed in" and a
// session can be revoked like any app.
const sessionCookie = "starling_session"

const sessionLifetime = 30 * 24 * time.Hour

// secure reports whether cookies set in reply to r must be Secure.
func (h *handler) secure(r *http.Request) bool {
	return h.opts.SecureCookies || r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// withSession looks up the session cookie and puts the caller's Auth in the
// request context. A cookie that no longer works is cleared and the request
// goes on signed out.
func (h *handler) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		auth, err := h.svc.Authenticate(r.Context(), c.Value)
		switch {
		case err == nil && auth.Account != nil && auth.User != nil:
			next.ServeHTTP(w, r.WithContext(starling.NewContextWithAuth(r.Context(), auth)))
			return
		case starling.ErrorCode(err) == starling.EINTERNAL:
			// The database may be briefly unwell: keep the cookie and let
			// the person try again rather than signing them out.
			server.LogError(r, err)
		default:
			h.clearSession(w, r)
		}
		next.ServeHTTP(w, r)
	})
}

// startSession signs account in: it issues a token of the web app and sets
// the session cookie. A session already open in this browser is revoked,
// so switching accounts leaves no forgotten token behind.
func (h *handler) startSession(w http.ResponseWriter, r *http.Request, account *starling.Account) error {
	ctx := r.Context()
	app, err := h.svc.WebApplication(ctx)
	if err != nil {
		return err
	}
	g, err := h.svc.IssueToken(ctx, app.ID, account.ID, starling.FullScopes)
	if err != nil {
		return err
	}
	if old := starling.AuthFromContext(ctx); old != nil && old.Account != nil {
		if err := h.svc.RevokeOwnToken(ctx, old.Account, old.Token.ID); err != nil && starling.ErrorCode(err) != starling.ENOTFOUND {
			server.LogError(r, err)
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: g.AccessToken, Path: "/", MaxAge: int(sessionLifetime / time.Second),
		HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// clearSession removes the session cookie from the browser.
func (h *handler) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode,
	})
}

// signedIn returns the signed-in member's Auth, or nil.
func signedIn(ctx context.Context) *starling.Auth {
	if a := starling.AuthFromContext(ctx); a != nil && a.Account != nil && a.User != nil {
		return a
	}
	return nil
}

// redirectToSignIn sends the browser to the sign-in page, to come back to r's
// address afterwards (GET requests only; after a POST, to the home page).
func redirectToSignIn(w http.ResponseWriter, r *http.Request) {
	next := "/"
	if r.Method == http.MethodGet {
		next = r.URL.RequestURI()
	}
	http.Redirect(w, r, signInURL(next), http.StatusSeeOther)
}

func signInURL(next string) string {
	if next == "" || next == "/" {
		return "/auth/sign_in"
	}
	return "/auth/sign_in?next=" + url.QueryEscape(next)
}

// localPath reports whether next is a path on this server that is safe to
// redirect to: it must start with one "/" and not with "//" or "/\", which
// browsers read as another host, and must hold no control characters.
func localPath(next string) bool {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return false
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}
