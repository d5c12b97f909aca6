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
	mux.HandleFunc("POST /auth/sign_up", h.handleSignUp)
	mux.HandleFunc("GET /auth/sign_in", h.handleSignInForm)
	mux.HandleFunc("POST /auth/sign_in", h.handleSignIn)
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
