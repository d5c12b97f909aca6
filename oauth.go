package starling

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Application is an OAuth client registered through POST /api/v1/apps.
type Application struct {
	ID               int64
	Name             string
	Website          string
	RedirectURIs     []string
	Scopes           Scopes
	ClientID         string
	ClientSecretHash string // SHA-256 of the secret, which is shown once at registration
	CreatedAt        time.Time
}

// OOBRedirectURI asks the authorisation page to show the code instead of redirecting.
const OOBRedirectURI = "urn:ietf:wg:oauth:2.0:oob"

// AllowsRedirect reports whether uri is one the app registered.
func (a *Application) AllowsRedirect(uri string) bool { return slices.Contains(a.RedirectURIs, uri) }

// Token is an access token. Only hashes of the secret parts are stored, so a
// leaked database does not leak working credentials.
type Token struct {
	ID            int64
	TokenHash     string
	RefreshHash   string // "" when the token has no refresh token
	ApplicationID int64
	AccountID     int64 // 0 for app-only tokens (client_credentials)
	Scopes        Scopes
	CreatedAt     time.Time
	ExpiresAt     time.Time // zero: does not expire
	LastUsedAt    time.Time
}

// AuthCode is an authorisation code waiting to be exchanged for a token.
type AuthCode struct {
	CodeHash            string
	ApplicationID       int64
	AccountID           int64
	RedirectURI         string
	Scopes              Scopes
	CodeChallenge       string
	CodeChallengeMethod string
	ExpiresAt           time.Time
}

// OAuthStore reads and writes apps, authorisation codes and tokens.
type OAuthStore interface {
	CreateApplication(ctx context.Context, a *Application) error
	// Application returns an app by ID, or ENOTFOUND.
	Application(ctx context.Context, id int64) (*Application, error)
	// ApplicationByClientID returns an app by client_id, or ENOTFOUND.
	ApplicationByClientID(ctx context.Context, clientID string) (*Application, error)
	// Applications returns apps by ID, keyed by ID.
	Applications(ctx context.Context, ids []int64) (map[int64]*Application, error)
	CreateAuthCode(ctx context.Context, c *AuthCode) error
	// TakeAuthCode deletes and returns the code with that hash, or ENOTFOUND;
	// so a code can be used only once.
	TakeAuthCode(ctx context.Context, codeHash string) (*AuthCode, error)
	CreateToken(ctx context.Context, t *Token) error
	// TokenByHash returns a token by the hash of its secret, or ENOTFOUND.
	TokenByHash(ctx context.Context, hash string) (*Token, error)
	// AuthByTokenHash returns a token by the hash of its secret with its user
	// and account (nil for app tokens, or if they are gone), or ENOTFOUND.
	AuthByTokenHash(ctx context.Context, hash string) (*Auth, error)
	// TokenByRefreshHash returns a token by the hash of its refresh token, or ENOTFOUND.
	TokenByRefreshHash(ctx context.Context, hash string) (*Token, error)
	// DeleteToken revokes a token.
	DeleteToken(ctx context.Context, id int64) error
	// TouchToken records that a token was used (at most now and then; callers throttle).
	TouchToken(ctx context.Context, id int64, at time.Time) error
	// AccountTokens lists an account's tokens, newest first.
	AccountTokens(ctx context.Context, accountID int64) ([]*Token, error)
}

// Scopes is a set of OAuth scopes.
type Scopes []string

// ParseScopes splits a space- (or plus-) separated scope string and checks
// every scope is known. An empty string means def.
func ParseScopes(s string, def Scopes) (Scopes, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '+' || r == ',' })
	if len(fields) == 0 {
		return def, nil
	}
	var out Scopes
	for _, f := range fields {
		if !slices.Contains(KnownScopes, f) {
			return nil, Errorf(EINVALID, "The requested scope is invalid, unknown, or malformed: %s", f)
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// String joins the scopes with spaces, as OAuth writes them.
func (s Scopes) String() string { return strings.Join(s, " ") }

// Allows reports whether the set grants the required scope: a granular scope
// ("read:statuses") is granted by itself or by its parent ("read"); the old
// "follow" scope grants reading and writing follows, blocks and mutes.
func (s Scopes) Allows(required string) bool {
	for _, have := range s {
		if have == required {
			return true
		}
		if strings.HasPrefix(required, have+":") {
			return true
		}
		if have == "follow" && slices.Contains(followScopes, required) {
			return true
		}
	}
	return false
}

// Subset reports whether every scope in s is granted by parent.
func (s Scopes) Subset(parent Scopes) bool {
	for _, x := range s {
		if !parent.Allows(x) {
			return false
		}
	}
	return true
}

var followScopes = []string{"read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes"}

// KnownScopes lists every scope Starling understands.
var KnownScopes = []string{
	"read", "write", "follow", "push", "profile",
	"read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters",
	"read:follows", "read:lists", "read:mutes", "read:notifications", "read:search", "read:statuses",
	"write:accounts", "write:blocks", "write:bookmarks", "write:conversations", "write:favourites",
	"write:filters", "write:follows", "write:lists", "write:media", "write:mutes",
	"write:notifications", "write:reports", "write:statuses",
	"admin:read", "admin:write",
	"admin:read:accounts", "admin:write:accounts", "admin:read:reports", "admin:write:reports",
}
