package mastodon

import (
	"net/http"

	"starling"
	"starling/server"
)

func (h *handler) handleAppCreate(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	app, secret, err := h.svc.CreateApplication(r.Context(), starling.NewApplication{
		Name: p.get("client_name"), Website: p.get("website"), RedirectURIs: p.strs("redirect_uris"), Scopes: p.get("scopes"),
	})
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, application(app, secret))
}

func (h *handler) handleAppVerify(w http.ResponseWriter, r *http.Request) {
	auth := starling.AuthFromContext(r.Context())
	app, err := h.svc.Store().Application(r.Context(), auth.Token.ApplicationID)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	out := application(app, "")
	out.ClientID = "" // verify_credentials shows the app, not its credentials
	server.WriteJSON(w, http.StatusOK, out)
}

// clientCredentials reads client_id and client_secret from the form or JSON
// body (client_secret_post) or from HTTP Basic auth (client_secret_basic).
func clientCredentials(r *http.Request, p *params) (id, secret string) {
	if u, pw, ok := r.BasicAuth(); ok {
		return u, pw
	}
	return p.get("client_id"), p.get("client_secret")
}

func (h *handler) handleOAuthToken(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, &starling.OAuthError{Kind: "invalid_request", Description: "The request body could not be parsed."})
		return
	}
	id, secret := clientCredentials(r, p)
	grant, err := h.svc.ExchangeToken(r.Context(), starling.TokenRequest{
		GrantType: p.get("grant_type"), ClientID: id, ClientSecret: secret, Code: p.get("code"),
		RedirectURI: p.get("redirect_uri"), CodeVerifier: p.get("code_verifier"), RefreshToken: p.get("refresh_token"), Scope: p.get("scope"),
		Username: p.get("username"), Password: p.get("password"),
	})
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	server.WriteJSON(w, http.StatusOK, tokenEntity(grant))
}

func (h *handler) handleOAuthRevoke(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, &starling.OAuthError{Kind: "invalid_request", Description: "The request body could not be parsed."})
		return
	}
	id, secret := clientCredentials(r, p)
	if err := h.svc.RevokeToken(r.Context(), id, secret, p.get("token")); err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, struct{}{})
}
