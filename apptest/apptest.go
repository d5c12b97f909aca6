// Package apptest builds a real Service for tests: a fresh database of the
// chosen engine, the real text rules and fast password hashing.
package apptest

import (
	"context"
	"testing"

	"starling"
	"starling/password"
	"starling/sqldb"
	"starling/sqldb/sqldbtest"
	"starling/text"
)

// FastPasswords hashes with small argon2id parameters, so tests that create
// many accounts stay quick; production uses password.Default.
var FastPasswords = password.Hasher{Params: password.Params{Memory: 256, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}}

// Instance is the server description tests run with, unless they change it.
func Instance() starling.Instance {
	return starling.Instance{
		Domain: "starling.test", BaseURL: "https://starling.test", Title: "Starling Test",
		Description: "A community for testing", Registrations: starling.RegistrationsOpen, MaxChars: 500, Version: "0.0.0-test",
	}
}

// MustService returns a Service over a fresh database of engine ("sqlite" or "postgres").
func MustService(tb testing.TB, engine string, in starling.Instance) (*starling.Service, *sqldb.DB) {
	tb.Helper()
	db := sqldbtest.MustOpen(tb, engine)
	return starling.NewService(db, text.NewProcessor(&in), FastPasswords, in, nil), db
}

// MustAccount registers an approved account with password "password123".
func MustAccount(tb testing.TB, svc *starling.Service, username string) *starling.Account {
	tb.Helper()
	a, _, err := svc.Register(context.Background(), starling.SignUp{
		Username: username, Email: username + "@example.org", Password: "password123",
		SkipApproval: true, SkipAgreement: true, AllowReserved: true,
	})
	if err != nil {
		tb.Fatalf("register %s: %v", username, err)
	}
	return a
}

// MustToken returns an access token for account with full scopes, issued to a test app.
func MustToken(tb testing.TB, svc *starling.Service, a *starling.Account) string {
	tb.Helper()
	ctx := context.Background()
	app, _, err := svc.CreateApplication(ctx, starling.NewApplication{Name: "test", RedirectURIs: []string{starling.OOBRedirectURI}, Scopes: "read write follow push"})
	if err != nil {
		tb.Fatal(err)
	}
	g, err := svc.IssueToken(ctx, app.ID, a.ID, starling.FullScopes)
	if err != nil {
		tb.Fatal(err)
	}
	return g.AccessToken
}
