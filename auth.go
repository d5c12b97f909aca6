package starling

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// OAuthError is a failed OAuth exchange, reported to clients in the shape
// RFC 6749 §5.2 gives: {"error": Kind, "error_description": Description}.
type OAuthError struct {
	Kind        string // invalid_request, invalid_client, invalid_grant, unsupported_grant_type, invalid_scope
	Description string
}

func (e *OAuthError) Error() string { return "oauth: " + e.Kind + ": " + e.Description }

// Lifetimes of OAuth secrets. Access tokens do not expire, as in Mastodon,
// because many apps never refresh; they are revoked instead.
const (
	authCodeLifetime = 10 * time.Minute
	tokenTouchEvery  = time.Hour
)

// DefaultScopes is what an app gets when it asks for nothing in particular.
var DefaultScopes = Scopes{"read"}

// FullScopes is what the command line and the web pages grant.
var FullScopes = Scopes{"read", "write", "follow", "push"}

// WebClientID is the client_id of the built-in app behind web sessions.
const WebClientID = "starling-web"

// NewSecret returns a random, URL-safe secret with 256 bits of entropy.
func NewSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// HashSecret returns the stored form of a token or client secret. Secrets
// are random and long, so a plain SHA-256 is enough (no salt or stretching).
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewApplication is what an app sends to register.
type NewApplication struct {
	Name         string
	Website      string
	RedirectURIs []string
	Scopes       string
}

// CreateApplication registers an OAuth app and returns it with its client
// secret, which is not stored and cannot be shown again.
func (svc *Service) CreateApplication(ctx context.Context, in NewApplication) (*Application, string, error) {
	for field, v := range map[string]string{"Application name": in.Name, "Website": in.Website, "Scopes": in.Scopes, "Redirect URI": strings.Join(in.RedirectURIs, "\n")} {
		if err := checkEncoding(field, v); err != nil {
			return nil, "", err
		}
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return nil, "", Errorf(EINVALID, "Validation failed: Application name can't be blank")
	}
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > 60 {
		return nil, "", Errorf(EINVALID, "Validation failed: Application name is too long (maximum is 60 characters)")
	}
	if in.Website != "" {
		if u, err := url.Parse(in.Website); err != nil || !(u.Scheme == "http" || u.Scheme == "https") || u.Host == "" {
			return nil, "", Errorf(EINVALID, "Validation failed: Website is invalid")
		}
	}
	var uris []string
	for _, raw := range in.RedirectURIs {
		for _, u := range strings.Fields(raw) {
			if u != OOBRedirectURI {
				p, err := url.Parse(u)
				if err != nil || p.Scheme == "" || p.Fragment != "" || len(u) > 2000 {
					return nil, "", Errorf(EINVALID, "Validation failed: Redirect URI must be an absolute URI.")
				}
			}
			uris = append(uris, u)
		}
	}
	if len(uris) == 0 {
		return nil, "", Errorf(EINVALID, "Validation failed: Redirect URI can't be blank")
	}
	scopes, err := ParseScopes(in.Scopes, DefaultScopes)
	if err != nil {
		return nil, "", err
	}
	secret := NewSecret()
	now := svc.now()
	app := &Application{ID: svc.newID(now), Name: name, Website: in.Website, RedirectURIs: uris, Scopes: scopes,
		ClientID: NewSecret(), ClientSecretHash: HashSecret(secret), CreatedAt: now}
	if err := svc.store.Update(ctx, func(tx Tx) error { return tx.CreateApplication(ctx, app) }); err != nil {
		return nil, "", err
	}
	return app, secret, nil
}

// WebApplication returns the built-in app that web sessions belong to, creating it on first use.
func (svc *Service) WebApplication(ctx context.Context) (*Application, error) {
	app, err := svc.store.ApplicationByClientID(ctx, WebClientID)
	if ErrorCode(err) != ENOTFOUND {
		return app, err
	}
	now := svc.now()
	app = &Application{ID: svc.newID(now), Name: "Starling Web", Website: svc.instance.BaseURL,
		RedirectURIs: []string{OOBRedirectURI}, Scopes: FullScopes, ClientID: WebClientID,
		ClientSecretHash: HashSecret(NewSecret()), CreatedAt: now}
	if err := svc.store.Update(ctx, func(tx Tx) error { return tx.CreateApplication(ctx, app) }); err != nil {
		// Another process may have created it at the same moment.
		if again, err2 := svc.store.ApplicationByClientID(ctx, WebClientID); err2 == nil {
			return again, nil
		}
		return nil, err
	}
	return app, nil
}

// AuthorizationRequest is what an app asks for at /oauth/authorize.
type AuthorizationRequest struct {
	ClientID            string
	RedirectURI         string
	Scope               string
	CodeChallenge       string
	CodeChallengeMethod string
}

// CheckAuthorization validates an authorisation request before the consent
// page is shown and returns the app and the scopes it asks for.
func (svc *Service) CheckAuthorization(ctx context.Context, r AuthorizationRequest) (*Application, Scopes, error) {
	app, err := svc.store.ApplicationByClientID(ctx, r.ClientID)
	if ErrorCode(err) == ENOTFOUND || err == nil && r.ClientID == WebClientID {
		return nil, nil, &OAuthError{"invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."}
	} else if err != nil {
		return nil, nil, err
	}
	if r.RedirectURI == "" && len(app.RedirectURIs) == 1 {
		r.RedirectURI = app.RedirectURIs[0]
	}
	if !app.AllowsRedirect(r.RedirectURI) {
		return nil, nil, &OAuthError{"invalid_redirect_uri", "The redirect uri included is not valid."}
	}
	scopes, err := ParseScopes(r.Scope, DefaultScopes)
	if err != nil || !scopes.Subset(app.Scopes) {
		return nil, nil, &OAuthError{"invalid_scope", "The requested scope is invalid, unknown, or malformed."}
	}
	switch r.CodeChallengeMethod {
	case "":
		if r.CodeChallenge != "" {
			return nil, nil, &OAuthError{"invalid_request", "code_challenge_method must be S256."}
		}
	case "S256":
		if len(r.CodeChallenge) < 43 || len(r.CodeChallenge) > 128 {
			return nil, nil, &OAuthError{"invalid_request", "code_challenge is malformed."}
		}
	default:
		return nil, nil, &OAuthError{"invalid_request", "Only the S256 code_challenge_method is supported."}
	}
	return app, scopes, nil
}

// Authorize records that account granted the request and returns the
// authorisation code to hand to the app.
func (svc *Service) Authorize(ctx context.Context, account *Account, r AuthorizationRequest) (code string, redirectURI string, err error) {
	app, scopes, err := svc.CheckAuthorization(ctx, r)
	if err != nil {
		return "", "", err
	}
	if r.RedirectURI == "" {
		r.RedirectURI = app.RedirectURIs[0]
	}
	code = NewSecret()
	c := &AuthCode{CodeHash: HashSecret(code), ApplicationID: app.ID, AccountID: account.ID, RedirectURI: r.RedirectURI,
		Scopes: scopes, CodeChallenge: r.CodeChallenge, CodeChallengeMethod: r.CodeChallengeMethod,
		ExpiresAt: svc.now().Add(authCodeLifetime)}
	if err := svc.store.Update(ctx, func(tx Tx) error { return tx.CreateAuthCode(ctx, c) }); err != nil {
		return "", "", err
	}
	return code, r.RedirectURI, nil
}

// TokenRequest is a POST /oauth/token.
type TokenRequest struct {
	GrantType    string
	ClientID     string
	ClientSecret string
	Code         string
	RedirectURI  string
	CodeVerifier string
	RefreshToken string
	Scope        string
	Username     string // password grant
	Password     string // password grant
}

// TokenGrant is a newly issued token with its secrets, shown once.
type TokenGrant struct {
	AccessToken  string
	RefreshToken string
	Token        *Token
}

var errInvalidGrant = &OAuthError{"invalid_grant", "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}

// ExchangeToken issues a token for an authorization_code (with PKCE),
// client_credentials, refresh_token or password grant.
func (svc *Service) ExchangeToken(ctx context.Context, r TokenRequest) (*TokenGrant, error) {
	app, err := svc.authenticateClient(ctx, r.ClientID, r.ClientSecret, r.GrantType == "authorization_code" && r.CodeVerifier != "")
	if err != nil {
		return nil, err
	}
	switch r.GrantType {
	case "authorization_code":
		return svc.exchangeCode(ctx, app, r)
	case "client_credentials":
		scopes, err := ParseScopes(r.Scope, DefaultScopes)
		if err != nil || !scopes.Subset(app.Scopes) {
			return nil, &OAuthError{"invalid_scope", "The requested scope is invalid, unknown, or malformed."}
		}
		return svc.issueToken(ctx, app.ID, 0, scopes, false)
	case "refresh_token":
		return svc.refreshToken(ctx, app, r)
	case "password":
		// Older apps and bots still sign in this way, and Mastodon accepts it.
		scopes, err := ParseScopes(r.Scope, DefaultScopes)
		if err != nil || !scopes.Subset(app.Scopes) {
			return nil, &OAuthError{"invalid_scope", "The requested scope is invalid, unknown, or malformed."}
		}
		a, _, err := svc.SignIn(ctx, r.Username, r.Password)
		if ErrorCode(err) == EUNAUTHORIZED || ErrorCode(err) == EFORBIDDEN {
			return nil, &OAuthError{"invalid_grant", ErrorMessage(err)}
		} else if err != nil {
			return nil, err
		}
		// A password alone must not get past a second factor (Mastodon refuses too).
		if on, err := svc.HasTwoFactor(ctx, a.ID); err != nil {
			return nil, err
		} else if on {
			return nil, &OAuthError{"invalid_grant", "This account uses two-factor sign-in: the password grant cannot be used. Sign in through the web page (the authorization_code grant) instead."}
		}
		return svc.issueToken(ctx, app.ID, a.ID, scopes, true)
	case "":
		return nil, &OAuthError{"invalid_request", "Missing required parameter: grant_type."}
	}
	return nil, &OAuthError{"unsupported_grant_type", "The authorization grant type is not supported by the authorization server."}
}

// authenticateClient checks client_id and client_secret. Public clients
// using PKCE may leave the secret out (RFC 7636).
func (svc *Service) authenticateClient(ctx context.Context, clientID, secret string, pkce bool) (*Application, error) {
	bad := &OAuthError{"invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."}
	app, err := svc.store.ApplicationByClientID(ctx, clientID)
	if ErrorCode(err) == ENOTFOUND || err == nil && clientID == WebClientID {
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	if secret == "" && pkce {
		return app, nil
	}
	if subtle.ConstantTimeCompare([]byte(HashSecret(secret)), []byte(app.ClientSecretHash)) != 1 {
		return nil, bad
	}
	return app, nil
}

func (svc *Service) exchangeCode(ctx context.Context, app *Application, r TokenRequest) (*TokenGrant, error) {
	var c *AuthCode
	err := svc.store.Update(ctx, func(tx Tx) error {
		var err error
		c, err = tx.TakeAuthCode(ctx, HashSecret(r.Code))
		return err
	})
	if ErrorCode(err) == ENOTFOUND {
		return nil, errInvalidGrant
	} else if err != nil {
		return nil, err
	}
	if c.ApplicationID != app.ID || svc.now().After(c.ExpiresAt) || (r.RedirectURI != "" && r.RedirectURI != c.RedirectURI) {
		return nil, errInvalidGrant
	}
	if c.CodeChallenge != "" {
		sum := sha256.Sum256([]byte(r.CodeVerifier))
		if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(c.CodeChallenge)) != 1 {
			return nil, errInvalidGrant
		}
	} else if r.CodeVerifier != "" {
		return nil, errInvalidGrant
	}
	return svc.issueToken(ctx, app.ID, c.AccountID, c.Scopes, true)
}

func (svc *Service) refreshToken(ctx context.Context, app *Application, r TokenRequest) (*TokenGrant, error) {
	old, err := svc.store.TokenByRefreshHash(ctx, HashSecret(r.RefreshToken))
	if ErrorCode(err) == ENOTFOUND || err == nil && old.ApplicationID != app.ID {
		return nil, errInvalidGrant
	} else if err != nil {
		return nil, err
	}
	scopes := old.Scopes
	if r.Scope != "" {
		if scopes, err = ParseScopes(r.Scope, nil); err != nil || !scopes.Subset(old.Scopes) {
			return nil, &OAuthError{"invalid_scope", "The requested scope is invalid, unknown, or malformed."}
		}
	}
	grant, err := svc.newGrant(app.ID, old.AccountID, scopes, true)
	if err != nil {
		return nil, err
	}
	// Refresh tokens rotate: the old pair stops working when the new one is issued.
	err = svc.store.Update(ctx, func(tx Tx) error {
		if err := tx.DeleteToken(ctx, old.ID); err != nil {
			return err
		}
		return tx.CreateToken(ctx, grant.Token)
	})
	if err != nil {
		return nil, err
	}
	return grant, nil
}

func (svc *Service) newGrant(appID, accountID int64, scopes Scopes, refresh bool) (*TokenGrant, error) {
	now := svc.now()
	g := &TokenGrant{AccessToken: NewSecret()}
	g.Token = &Token{ID: svc.newID(now), TokenHash: HashSecret(g.AccessToken), ApplicationID: appID, AccountID: accountID,
		Scopes: scopes, CreatedAt: now, LastUsedAt: now}
	if refresh && accountID != 0 {
		g.RefreshToken = NewSecret()
		g.Token.RefreshHash = HashSecret(g.RefreshToken)
	}
	return g, nil
}

func (svc *Service) issueToken(ctx context.Context, appID, accountID int64, scopes Scopes, refresh bool) (*TokenGrant, error) {
	g, err := svc.newGrant(appID, accountID, scopes, refresh)
	if err != nil {
		return nil, err
	}
	if err := svc.store.Update(ctx, func(tx Tx) error { return tx.CreateToken(ctx, g.Token) }); err != nil {
		return nil, err
	}
	return g, nil
}

// IssueToken gives account a token of app directly: for sign-ups through the
// API, web sessions and the admin command line.
func (svc *Service) IssueToken(ctx context.Context, appID, accountID int64, scopes Scopes) (*TokenGrant, error) {
	return svc.issueToken(ctx, appID, accountID, scopes, false)
}

// RevokeToken revokes a token the client holds (RFC 7009). Tokens of other
// clients and unknown tokens are ignored, so the answer never tells which exist.
func (svc *Service) RevokeToken(ctx context.Context, clientID, clientSecret, token string) error {
	app, err := svc.authenticateClient(ctx, clientID, clientSecret, false)
	if err != nil {
		return err
	}
	t, err := svc.store.TokenByHash(ctx, HashSecret(token))
	if ErrorCode(err) == ENOTFOUND {
		if t, err = svc.store.TokenByRefreshHash(ctx, HashSecret(token)); ErrorCode(err) == ENOTFOUND {
			return nil
		}
	}
	if err != nil {
		return err
	}
	if t.ApplicationID != app.ID {
		return nil
	}
	return svc.store.Update(ctx, func(tx Tx) error { return tx.DeleteToken(ctx, t.ID) })
}

// RevokeOwnToken revokes one of account's tokens (signing out, or from the sessions page).
func (svc *Service) RevokeOwnToken(ctx context.Context, account *Account, tokenID int64) error {
	tokens, err := svc.store.AccountTokens(ctx, account.ID)
	if err != nil {
		return err
	}
	for _, t := range tokens {
		if t.ID == tokenID {
			return svc.store.Update(ctx, func(tx Tx) error { return tx.DeleteToken(ctx, t.ID) })
		}
	}
	return Errorf(ENOTFOUND, "Record not found")
}

// Authenticate resolves a bearer token to the caller. Unknown tokens are
// EUNAUTHORIZED; tokens of users who may not sign in are EFORBIDDEN.
func (svc *Service) Authenticate(ctx context.Context, token string) (*Auth, error) {
	// One query for token, user and account: it runs before every request.
	auth, err := svc.store.AuthByTokenHash(ctx, HashSecret(token))
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EUNAUTHORIZED, "The access token is invalid")
	} else if err != nil {
		return nil, err
	}
	t := auth.Token
	now := svc.now()
	if !t.ExpiresAt.IsZero() && now.After(t.ExpiresAt) {
		return nil, Errorf(EUNAUTHORIZED, "The access token expired")
	}
	if t.AccountID != 0 {
		if auth.User == nil || auth.Account == nil {
			return nil, Errorf(EUNAUTHORIZED, "The access token is invalid")
		}
		if err := auth.User.CanSignIn(); err != nil {
			return nil, err
		}
		if auth.Account.Suspended() { // its tokens were revoked; this is a second lock
			return nil, Errorf(EFORBIDDEN, "Your account has been suspended")
		}
	}
	if now.Sub(t.LastUsedAt) > tokenTouchEvery {
		// Best effort: a failed touch must not fail the request.
		_ = svc.store.Update(ctx, func(tx Tx) error { return tx.TouchToken(ctx, t.ID, now) })
	}
	return auth, nil
}

// AccountTokens lists the tokens (apps and sessions) an account has granted.
func (svc *Service) AccountTokens(ctx context.Context, account *Account) ([]*Token, map[int64]*Application, error) {
	tokens, err := svc.store.AccountTokens(ctx, account.ID)
	if err != nil {
		return nil, nil, err
	}
	ids := map[int64]bool{}
	for _, t := range tokens {
		ids[t.ApplicationID] = true
	}
	apps, err := svc.store.Applications(ctx, keys(ids))
	return tokens, apps, err
}
