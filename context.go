package starling

import "context"

// Auth is who is calling: the token presented and, unless it is an app-only
// token, the account and user behind it.
type Auth struct {
	Token   *Token
	Account *Account // nil for app-only tokens
	User    *User    // nil for app-only tokens
}

// Allows reports whether the caller's token grants the scope.
func (a *Auth) Allows(scope string) bool {
	return a != nil && a.Token != nil && a.Token.Scopes.Allows(scope)
}

type authKey struct{}

// NewContextWithAuth returns a copy of ctx that carries a.
func NewContextWithAuth(ctx context.Context, a *Auth) context.Context {
	return context.WithValue(ctx, authKey{}, a)
}

// AuthFromContext returns the caller's Auth, or nil for an anonymous request.
func AuthFromContext(ctx context.Context) *Auth {
	a, _ := ctx.Value(authKey{}).(*Auth)
	return a
}

// AccountFromContext returns the signed-in account, or nil.
func AccountFromContext(ctx context.Context) *Account {
	if a := AuthFromContext(ctx); a != nil {
		return a.Account
	}
	return nil
}
