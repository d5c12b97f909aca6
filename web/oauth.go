package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"starling"
)

// authorizeRequest is the query of GET /oauth/authorize, carried through the
// consent form in hidden fields.
type authorizeRequest struct {
	ClientID            string
	RedirectURI         string
	ResponseType        string
	Scope               string
	State               string
	CodeChallenge       string
	CodeChallengeMethod string
}

func readAuthorizeRequest(get func(string) string) authorizeRequest {
	return authorizeRequest{
		ClientID: get("client_id"), RedirectURI: get("redirect_uri"), ResponseType: get("response_type"),
		Scope: get("scope"), State: get("state"),
		CodeChallenge: get("code_challenge"), CodeChallengeMethod: get("code_challenge_method"),
	}
}

func (a authorizeRequest) service() starling.AuthorizationRequest {
	return starling.AuthorizationRequest{ClientID: a.ClientID, RedirectURI: a.RedirectURI, Scope: a.Scope,
		CodeChallenge: a.CodeChallenge, CodeChallengeMethod: a.CodeChallengeMethod}
}

// path is the GET /oauth/authorize address that asks for a again.
func (a authorizeRequest) path() string {
	v := url.Values{}
	for k, s := range map[string]string{"client_id": a.ClientID, "redirect_uri": a.RedirectURI,
		"response_type": a.ResponseType, "scope": a.Scope, "state": a.State,
		"code_challenge": a.CodeChallenge, "code_challenge_method": a.CodeChallengeMethod} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return "/oauth/authorize?" + v.Encode()
}

// authorizeErrorPage is the Data of the page that reports a request the app
// cannot be told about by redirect.
type authorizeErrorPage struct {
	Kind        string // the OAuth error code, for the app's makers
	Description string
}

// consentPage is the Data of the page that asks the member to authorise an app.
type consentPage struct {
	App         *starling.Application
	Request     authorizeRequest
	RedirectURI string // where the answer goes: the one asked for, or the app's only one
	Scopes      []string
	// SwitchAccount signs in as someone else and comes back here.
	SwitchAccount string
}

// checkAuthorize validates req. It returns the app, its scopes and the
// redirect URI to answer at, or writes the answer itself and returns ok false.
// Problems with the app or its redirect URI are shown here and never
// redirected, so the page cannot send people to an address nobody vouched
// for (RFC 6749 §4.1.2.1); any other problem goes back to the app.
func (h *handler) checkAuthorize(w http.ResponseWriter, r *http.Request, req authorizeRequest) (*starling.Application, starling.Scopes, string, bool) {
	ctx := r.Context()
	app, scopes, err := h.svc.CheckAuthorization(ctx, req.service())
	var oe *starling.OAuthError
	if err != nil && !errors.As(err, &oe) {
		h.renderServiceError(w, r, err)
		return nil, nil, "", false
	}
	if oe != nil && (oe.Kind == "invalid_client" || oe.Kind == "invalid_redirect_uri") {
		msg := "The app that sent you here is not registered on this server, so it cannot be authorised. Go back to the app and check the server address."
		if oe.Kind == "invalid_redirect_uri" {
			msg = "The app asked to send you back to an address it has not registered, so this server will not send you there. Tell the app's makers."
		}
		h.render(w, r, http.StatusBadRequest, "authorize_error", &page{Title: "This app cannot be authorised",
			Data: authorizeErrorPage{Kind: oe.Kind, Description: msg}})
		return nil, nil, "", false
	}
	redirect := req.RedirectURI
	if redirect == "" {
		// CheckAuthorization accepted a missing redirect_uri, so the app registered exactly one.
		a, err := h.svc.Store().ApplicationByClientID(ctx, req.ClientID)
		if err != nil {
			h.renderServiceError(w, r, err)
			return nil, nil, "", false
		}
		redirect = a.RedirectURIs[0]
	}
	switch {
	case oe != nil:
		h.authorizeFail(w, r, redirect, req.State, oe.Kind, oe.Description)
	case req.ResponseType == "":
		h.authorizeFail(w, r, redirect, req.State, "invalid_request", "Missing required parameter: response_type.")
	case req.ResponseType != "code":
		h.authorizeFail(w, r, redirect, req.State, "unsupported_response_type", "The authorization server does not support this response type.")
	default:
		return app, scopes, redirect, true
	}
	return nil, nil, "", false
}

// authorizeFail tells the app that authorisation failed, by redirect, or on
// a page when the app asked for the code to be shown (OOB).
func (h *handler) authorizeFail(w http.ResponseWriter, r *http.Request, redirect, state, kind, description string) {
	if redirect == starling.OOBRedirectURI {
		h.render(w, r, http.StatusBadRequest, "authorize_error", &page{Title: "Authorisation failed",
			Data: authorizeErrorPage{Kind: kind, Description: description}})
		return
	}
	v := url.Values{"error": {kind}, "error_description": {description}}
	if state != "" {
		v.Set("state", state)
	}
	http.Redirect(w, r, withQuery(redirect, v), http.StatusSeeOther)
}

// withQuery adds v to uri's query, keeping the parameters uri has.
// Registered redirect URIs have no fragment, so appending is exact.
func withQuery(uri string, v url.Values) string {
	switch {
	case !strings.Contains(uri, "?"):
		return uri + "?" + v.Encode()
	case strings.HasSuffix(uri, "?") || strings.HasSuffix(uri, "&"):
		return uri + v.Encode()
	}
	return uri + "&" + v.Encode()
}

func (h *handler) handleAuthorizeForm(w http.ResponseWriter, r *http.Request) {
	req := readAuthorizeRequest(r.URL.Query().Get)
	app, scopes, redirect, ok := h.checkAuthorize(w, r, req)
	if !ok {
		return
	}
	// force_login asks to choose the account again; the address to come
	// back to leaves it out, or signing in would lead here in a loop.
	if signedIn(r.Context()) == nil || r.URL.Query().Get("force_login") == "true" {
		http.Redirect(w, r, signInURL(req.path()), http.StatusSeeOther)
		return
	}
	// The form posts here and is answered with a redirect to the app, and
	// browsers check form-action against that redirect too.
	if src := formActionSource(redirect); src != "" {
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy(src))
	}
	h.render(w, r, http.StatusOK, "authorize", &page{Title: "Authorise " + app.Name, Data: consentPage{
		App: app, Request: req, RedirectURI: redirect, Scopes: describeScopes(scopes), SwitchAccount: signInURL(req.path()),
	}})
}

func (h *handler) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	req := readAuthorizeRequest(r.PostFormValue)
	auth := signedIn(r.Context())
	if auth == nil {
		http.Redirect(w, r, signInURL(req.path()), http.StatusSeeOther)
		return
	}
	_, _, redirect, ok := h.checkAuthorize(w, r, req)
	if !ok {
		return
	}
	switch r.PostFormValue("decision") {
	case "deny":
		h.authorizeFail(w, r, redirect, req.State, "access_denied", "The resource owner or authorization server denied the request.")
		return
	case "authorize":
	default:
		h.renderError(w, r, http.StatusBadRequest, "Choose Authorise or Deny", "Go back and choose whether to authorise the app.")
		return
	}
	code, to, err := h.svc.Authorize(r.Context(), auth.Account, req.service())
	var oe *starling.OAuthError
	if errors.As(err, &oe) {
		h.authorizeFail(w, r, redirect, req.State, oe.Kind, oe.Description)
		return
	} else if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if to == starling.OOBRedirectURI {
		http.Redirect(w, r, "/oauth/authorize/native?"+url.Values{"code": {code}}.Encode(), http.StatusSeeOther)
		return
	}
	v := url.Values{"code": {code}}
	if req.State != "" {
		v.Set("state", req.State)
	}
	http.Redirect(w, r, withQuery(to, v), http.StatusSeeOther)
}

func (h *handler) handleAuthorizeNative(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("code")
	if code == "" {
		h.renderError(w, r, http.StatusBadRequest, "No authorisation code", "This page shows the code an app asked for, but there is none in its address. Start again from the app.")
		return
	}
	h.render(w, r, http.StatusOK, "authorize_native", &page{Title: "Your authorisation code", Data: code})
}
