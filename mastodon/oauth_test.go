package mastodon_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/mastodon"
	"starling/sqldb/sqldbtest"
)

// MustApp registers an app through the API.
func (ts *testServer) MustApp(tb testing.TB, redirectURIs, scopes string) mastodon.Application {
	tb.Helper()
	var app mastodon.Application
	ts.MustCall(tb, post("/api/v1/apps", "", url.Values{"client_name": {"Client"}, "redirect_uris": {redirectURIs}, "scopes": {scopes}}), http.StatusOK, &app)
	return app
}

// MustOAuthError checks r fails as RFC 6749 says: status and {"error": kind}.
func (ts *testServer) MustOAuthError(tb testing.TB, r request, status int, kind string) {
	tb.Helper()
	var e map[string]string
	ts.MustCall(tb, r, status, &e)
	if e["error"] != kind || e["error_description"] == "" {
		tb.Errorf("%s %s: error %v, want %q with a description", r.method, r.path, e, kind)
	}
}

func pkce(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func TestApps(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		tests := []struct {
			name string
			req  request
			want []string
		}{
			{"Single", post("/api/v1/apps", "", url.Values{"client_name": {"A"}, "redirect_uris": {"https://app.example/cb"}}), []string{"https://app.example/cb"}},
			{"NewlineSeparated", post("/api/v1/apps", "", url.Values{"client_name": {"A"}, "redirect_uris": {"https://app.example/cb\nurn:ietf:wg:oauth:2.0:oob"}}), []string{"https://app.example/cb", "urn:ietf:wg:oauth:2.0:oob"}},
			{"FormArray", post("/api/v1/apps", "", url.Values{"client_name": {"A"}, "redirect_uris[]": {"https://app.example/cb", "com.example.app://oauth"}}), []string{"https://app.example/cb", "com.example.app://oauth"}},
			{"JSONArray", request{method: "POST", path: "/api/v1/apps", json: map[string]any{"client_name": "A", "redirect_uris": []string{"http://127.0.0.1:8123/cb", "http://[::1]:8123/cb", "http://localhost/cb"}}},
				[]string{"http://127.0.0.1:8123/cb", "http://[::1]:8123/cb", "http://localhost/cb"}},
			{"JSONString", request{method: "POST", path: "/api/v1/apps", json: map[string]any{"client_name": "A", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}}, []string{"urn:ietf:wg:oauth:2.0:oob"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var app mastodon.Application
				ts.MustCall(t, tt.req, http.StatusOK, &app)
				if diff := cmp.Diff(tt.want, app.RedirectURIs); diff != "" {
					t.Errorf("redirect_uris (-want +got):\n%s", diff)
				}
				if app.ClientID == "" || app.ClientSecret == "" || app.ID == "" {
					t.Errorf("app %+v lacks credentials", app)
				}
				if diff := cmp.Diff([]string{"read"}, app.Scopes); diff != "" {
					t.Errorf("default scopes (-want +got):\n%s", diff)
				}
			})
		}
		for _, tt := range []struct {
			name string
			form url.Values
		}{
			{"ErrNoName", url.Values{"redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}}},
			{"ErrNoRedirect", url.Values{"client_name": {"A"}}},
			{"ErrRelativeRedirect", url.Values{"client_name": {"A"}, "redirect_uris": {"/callback"}}},
			{"ErrUnknownScope", url.Values{"client_name": {"A"}, "redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "scopes": {"read everything"}}},
			{"ErrBadWebsite", url.Values{"client_name": {"A"}, "redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "website": {"javascript:alert(1)"}}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				ts.MustError(t, post("/api/v1/apps", "", tt.form), http.StatusUnprocessableEntity)
			})
		}
		t.Run("VerifyCredentials", func(t *testing.T) {
			app := ts.MustApp(t, "urn:ietf:wg:oauth:2.0:oob", "read write")
			var tok mastodon.Token
			ts.MustCall(t, post("/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}}), http.StatusOK, &tok)
			var got map[string]any
			ts.MustCall(t, get("/api/v1/apps/verify_credentials", tok.AccessToken), http.StatusOK, &got)
			if got["name"] != "Client" || got["client_id"] != nil || got["client_secret"] != nil {
				t.Errorf("verify_credentials = %v, want the app without its credentials", got)
			}
		})
	})
}

func TestOAuthToken(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		alice := ts.MustUser(t, "alice")
		app := ts.MustApp(t, "urn:ietf:wg:oauth:2.0:oob\nhttp://127.0.0.1:9999/cb", "read write follow")
		ctx := context.Background()
		authorize := func(t *testing.T, challenge string) string {
			t.Helper()
			code, _, err := ts.Svc.Authorize(ctx, alice.Account, starling.AuthorizationRequest{ClientID: app.ClientID,
				RedirectURI: "http://127.0.0.1:9999/cb", Scope: "read write", CodeChallenge: challenge, CodeChallengeMethod: "S256"})
			if err != nil {
				t.Fatal(err)
			}
			return code
		}
		const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

		t.Run("ClientCredentials", func(t *testing.T) {
			for _, r := range []request{
				post("/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "scope": {"read"}}),
				{method: "POST", path: "/oauth/token", json: map[string]any{"grant_type": "client_credentials", "client_id": app.ClientID, "client_secret": app.ClientSecret, "scope": "read"}},
				{method: "POST", path: "/oauth/token", form: url.Values{"grant_type": {"client_credentials"}, "scope": {"read"}},
					header: map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(app.ClientID+":"+app.ClientSecret))}},
			} {
				var tok mastodon.Token
				res := ts.MustCall(t, r, http.StatusOK, &tok)
				if tok.AccessToken == "" || tok.TokenType != "Bearer" || tok.Scope != "read" || tok.CreatedAt == 0 || tok.RefreshToken != "" {
					t.Errorf("token %+v", tok)
				}
				if res.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("Cache-Control %q, want no-store", res.Header.Get("Cache-Control"))
				}
				ts.MustCall(t, get("/api/v1/apps/verify_credentials", tok.AccessToken), http.StatusOK, nil)
				ts.MustError(t, get("/api/v1/accounts/verify_credentials", tok.AccessToken), http.StatusUnprocessableEntity)
			}
		})
		t.Run("AuthorizationCodeWithPKCE", func(t *testing.T) {
			var tok mastodon.Token
			ts.MustCall(t, post("/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID},
				"code": {authorize(t, pkce(verifier))}, "code_verifier": {verifier}, "redirect_uri": {"http://127.0.0.1:9999/cb"}}), http.StatusOK, &tok)
			if tok.Scope != "read write" || tok.RefreshToken == "" {
				t.Errorf("token %+v, want scope \"read write\" and a refresh token", tok)
			}
			var a mastodon.Account
			ts.MustCall(t, get("/api/v1/accounts/verify_credentials", tok.AccessToken), http.StatusOK, &a)
			if a.ID != alice.ID() {
				t.Errorf("token belongs to %s", a.Username)
			}
		})
		t.Run("PasswordGrant", func(t *testing.T) {
			var tok mastodon.Token
			ts.MustCall(t, post("/oauth/token", "", url.Values{"grant_type": {"password"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret},
				"username": {"alice@example.org"}, "password": {"password123"}, "scope": {"read"}}), http.StatusOK, &tok)
			var a mastodon.Account
			ts.MustCall(t, get("/api/v1/accounts/verify_credentials", tok.AccessToken), http.StatusOK, &a)
			if a.ID != alice.ID() || tok.Scope != "read" {
				t.Errorf("token %+v belongs to %s", tok, a.Username)
			}
		})
		t.Run("PasswordGrantLockout", func(t *testing.T) {
			ts.MustUser(t, "locked")
			grant := func(login, password string) request {
				return post("/oauth/token", "", url.Values{"grant_type": {"password"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret},
					"username": {login}, "password": {password}, "scope": {"read"}})
			}
			for _, login := range []string{"locked", "no-such-member"} {
				for range starling.SignInFailuresAllowed {
					ts.MustOAuthError(t, grant(login, "wrong password"), http.StatusBadRequest, "invalid_grant")
				}
				// Locked now, even with the right password; an unknown login looks the same.
				res := ts.MustCall(t, grant(login, "password123"), http.StatusTooManyRequests, nil)
				if ra := res.Header.Get("Retry-After"); ra != "60" && ra != "59" {
					t.Errorf("%s: Retry-After %q, want about 60", login, ra)
				}
				var body struct{ Error string }
				if err := json.Unmarshal(res.Body, &body); err != nil || !strings.Contains(body.Error, "Too many failed sign-in attempts") {
					t.Errorf("%s: body %s", login, res.Body)
				}
			}
			// Another member is not affected.
			ts.MustCall(t, grant("alice", "password123"), http.StatusOK, nil)
		})
		t.Run("ErrWrongVerifier", func(t *testing.T) {
			ts.MustOAuthError(t, post("/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID},
				"code": {authorize(t, pkce(verifier))}, "code_verifier": {verifier + "x"}}), http.StatusBadRequest, "invalid_grant")
		})
		t.Run("ErrMissingVerifier", func(t *testing.T) {
			ts.MustOAuthError(t, post("/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID},
				"client_secret": {app.ClientSecret}, "code": {authorize(t, pkce(verifier))}}), http.StatusBadRequest, "invalid_grant")
		})
		t.Run("ErrReusedCode", func(t *testing.T) {
			form := url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID}, "code": {authorize(t, pkce(verifier))}, "code_verifier": {verifier}}
			ts.MustCall(t, post("/oauth/token", "", form), http.StatusOK, nil)
			ts.MustOAuthError(t, post("/oauth/token", "", form), http.StatusBadRequest, "invalid_grant")
		})
		t.Run("ErrWrongRedirectURI", func(t *testing.T) {
			ts.MustOAuthError(t, post("/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID},
				"code": {authorize(t, pkce(verifier))}, "code_verifier": {verifier}, "redirect_uri": {"urn:ietf:wg:oauth:2.0:oob"}}), http.StatusBadRequest, "invalid_grant")
		})
		t.Run("RefreshRotates", func(t *testing.T) {
			var first, second mastodon.Token
			ts.MustCall(t, post("/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID},
				"code": {authorize(t, pkce(verifier))}, "code_verifier": {verifier}}), http.StatusOK, &first)
			refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "refresh_token": {first.RefreshToken}}
			ts.MustCall(t, post("/oauth/token", "", refresh), http.StatusOK, &second)
			if second.AccessToken == first.AccessToken || second.RefreshToken == "" || second.RefreshToken == first.RefreshToken {
				t.Errorf("refresh gave %+v after %+v", second, first)
			}
			ts.MustCall(t, get("/api/v1/accounts/verify_credentials", second.AccessToken), http.StatusOK, nil)
			ts.MustOAuthError(t, post("/oauth/token", "", refresh), http.StatusBadRequest, "invalid_grant")
			ts.MustError(t, get("/api/v1/accounts/verify_credentials", first.AccessToken), http.StatusUnauthorized)
		})
		t.Run("ErrRefreshOfOtherClient", func(t *testing.T) {
			var tok mastodon.Token
			ts.MustCall(t, post("/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID},
				"code": {authorize(t, pkce(verifier))}, "code_verifier": {verifier}}), http.StatusOK, &tok)
			other := ts.MustApp(t, "urn:ietf:wg:oauth:2.0:oob", "read write follow")
			ts.MustOAuthError(t, post("/oauth/token", "", url.Values{"grant_type": {"refresh_token"}, "client_id": {other.ClientID},
				"client_secret": {other.ClientSecret}, "refresh_token": {tok.RefreshToken}}), http.StatusBadRequest, "invalid_grant")
		})
		t.Run("Revoke", func(t *testing.T) {
			var tok mastodon.Token
			ts.MustCall(t, post("/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID},
				"code": {authorize(t, pkce(verifier))}, "code_verifier": {verifier}}), http.StatusOK, &tok)
			ts.MustCall(t, get("/api/v1/accounts/verify_credentials", tok.AccessToken), http.StatusOK, nil)
			ts.MustCall(t, post("/oauth/revoke", "", url.Values{"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "token": {tok.AccessToken}}), http.StatusOK, nil)
			ts.MustError(t, get("/api/v1/accounts/verify_credentials", tok.AccessToken), http.StatusUnauthorized)
			// Revoking again, or a token that never existed, still succeeds.
			ts.MustCall(t, post("/oauth/revoke", "", url.Values{"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "token": {tok.AccessToken}}), http.StatusOK, nil)
		})
		t.Run("ErrRevokeBadClient", func(t *testing.T) {
			ts.MustOAuthError(t, post("/oauth/revoke", "", url.Values{"client_id": {app.ClientID}, "client_secret": {"wrong"}, "token": {"x"}}), http.StatusUnauthorized, "invalid_client")
		})
		for _, tt := range []struct {
			name   string
			req    request
			status int
			kind   string
		}{
			{"ErrBadSecret", post("/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ClientID}, "client_secret": {"wrong"}}), 401, "invalid_client"},
			{"ErrBadBasicSecret", request{method: "POST", path: "/oauth/token", form: url.Values{"grant_type": {"client_credentials"}},
				header: map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(app.ClientID+":wrong"))}}, 401, "invalid_client"},
			{"ErrUnknownClient", post("/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {"nope"}, "client_secret": {"x"}}), 401, "invalid_client"},
			{"ErrNoClient", post("/oauth/token", "", url.Values{"grant_type": {"client_credentials"}}), 401, "invalid_client"},
			{"ErrUnsupportedGrant", post("/oauth/token", "", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}}), 400, "unsupported_grant_type"},
			{"ErrWrongPassword", post("/oauth/token", "", url.Values{"grant_type": {"password"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "username": {"alice"}, "password": {"wrong password"}}), 400, "invalid_grant"},
			{"ErrMissingGrant", post("/oauth/token", "", url.Values{"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}}), 400, "invalid_request"},
			{"ErrScopeBeyondApp", post("/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "scope": {"admin:read"}}), 400, "invalid_scope"},
			{"ErrUnknownCode", post("/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "code": {"nope"}}), 400, "invalid_grant"},
			{"ErrMalformedBody", request{method: "POST", path: "/oauth/token", body: "{", contentType: "application/json"}, 400, "invalid_request"},
		} {
			t.Run(tt.name, func(t *testing.T) { ts.MustOAuthError(t, tt.req, tt.status, tt.kind) })
		}
		t.Run("Metadata", func(t *testing.T) {
			var meta struct {
				Issuer                        string   `json:"issuer"`
				TokenEndpoint                 string   `json:"token_endpoint"`
				CodeChallengeMethodsSupported []string `json:"code_challenge_methods_supported"`
				GrantTypesSupported           []string `json:"grant_types_supported"`
			}
			ts.MustCall(t, get("/.well-known/oauth-authorization-server", ""), http.StatusOK, &meta)
			if diff := cmp.Diff([]string{"S256"}, meta.CodeChallengeMethodsSupported); diff != "" {
				t.Errorf("code_challenge_methods_supported (-want +got):\n%s", diff)
			}
			if meta.TokenEndpoint != ts.URL+"/oauth/token" || meta.Issuer != ts.URL+"/" {
				t.Errorf("metadata %+v does not point at this server", meta)
			}
		})
	})
}
