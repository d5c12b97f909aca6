package web

import (
	"net/http"

	"starling"
	"starling/server"
)

// NewHandler returns the web pages: the landing page, sign-up and sign-in
// under /auth/, the OAuth authorisation pages under /oauth/authorize, the
// staff pages under /admin/ and the stylesheet and default images under
// /static/. Paths it does not know get an HTML "page not found".
func NewHandler(svc *starling.Service, opts Options) http.Handler {
	h := newHandler(svc, opts)
	mux := http.NewServeMux()

	mux.HandleFunc("GET /{$}", h.handleHome)

	// Joining and signing in.
	mux.HandleFunc("GET /auth/sign_up", h.handleSignUpForm)
	mux.HandleFunc("POST /auth/sign_up", h.limited(h.handleSignUp))
	mux.HandleFunc("GET /auth/sign_in", h.handleSignInForm)
	mux.HandleFunc("POST /auth/sign_in", h.limited(h.handleSignIn))
	mux.HandleFunc("POST /auth/sign_out", h.handleSignOut)

	// OAuth authorisation, opened in a browser by Mastodon apps
	// (https://docs.joinmastodon.org/methods/oauth/#authorize).
	mux.HandleFunc("GET /oauth/authorize", h.handleAuthorizeForm)
	mux.HandleFunc("POST /oauth/authorize", h.handleAuthorize)
	mux.HandleFunc("GET /oauth/authorize/native", h.handleAuthorizeNative)

	// Staff.
	mux.HandleFunc("GET /admin/sign_ups", h.handleSignUpsList)
	mux.HandleFunc("POST /admin/sign_ups/{id}/approve", h.handleSignUpApprove)
	mux.HandleFunc("POST /admin/sign_ups/{id}/reject", h.handleSignUpReject)

	mux.HandleFunc("/", h.handleNotFound)

	// Static files skip the session and form-token middleware: they need
	// no database lookup, and a cacheable reply must never set a cookie.
	root := http.NewServeMux()
	root.Handle("GET /static/", staticHandler())
	root.Handle("/", server.Chain(mux, h.withSession, h.withCSRF))
	return withHeaders(root)
}

// limited guards a form that guesses passwords or creates accounts: past the
// limit for the client's address it shows a page asking to wait.
func (h *handler) limited(next http.HandlerFunc) http.HandlerFunc {
	if h.opts.Limiter == nil {
		return next
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if !h.opts.Limiter.Allow(server.ClientIP(r)) {
			w.Header().Set("Retry-After", "60")
			h.renderError(w, r, http.StatusTooManyRequests, "Too many attempts", "There have been too many attempts from your address. Please wait a minute and try again.")
			return
		}
		next(w, r)
	}
}
