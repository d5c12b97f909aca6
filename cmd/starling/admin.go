package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"starling"
	"starling/password"
	"starling/sqldb"
	"starling/text"
)

const adminUsage = `Usage:
  starling admin create-account --username U --email E --password P [--admin] [--token] [--data DIR] [--db DSN]
  starling admin token --username U [--data DIR] [--db DSN]
  starling admin reset-two-factor --username U --by ADMIN --reason R [--data DIR] [--db DSN]
`

func runAdmin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, adminUsage)
		return fmt.Errorf("no admin command given")
	}
	switch args[0] {
	case "create-account":
		return runCreateAccount(ctx, args[1:], getenv, stdout, stderr)
	case "token":
		return runToken(ctx, args[1:], getenv, stdout, stderr)
	case "reset-two-factor":
		return runResetTwoFactor(ctx, args[1:], getenv, stdout, stderr)
	}
	fmt.Fprint(stderr, adminUsage)
	return fmt.Errorf("unknown admin command %q", args[0])
}

// runCreateAccount creates a confirmed, approved account, and with --token
// prints an access token (scopes read write follow push) as the last line.
// It is safe to run while a server uses the same SQLite file.
func runCreateAccount(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	var username, email, pass string
	var admin, token bool
	f := newFlags("admin create-account", getenv, stderr)
	storageFlags(f, &cfg)
	f.StringVar(&username, "username", "", "username (letters, digits, underscores)")
	f.StringVar(&email, "email", "", "e-mail address")
	f.StringVar(&pass, "password", "", "password (at least 8 characters)")
	f.BoolVar(&admin, "admin", false, "make the account an administrator")
	f.BoolVar(&token, "token", false, "print an access token as the last line")
	if err := f.parse(args); err != nil {
		return err
	}
	if username == "" || email == "" || pass == "" {
		return fmt.Errorf("--username, --email and --password are required")
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, nil)))
	db, err := sqldb.Open(ctx, cfg.DB, cfg.Data)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	in := starling.Instance{Registrations: starling.RegistrationsClosed}
	svc := starling.NewService(db, text.NewProcessor(&in), password.Hasher{}, in, nil)
	a, _, err := svc.Register(ctx, starling.SignUp{Username: username, Email: email, Password: pass, Admin: admin,
		SkipApproval: true, AllowReserved: true, SkipAgreement: true})
	if err != nil {
		return fmt.Errorf("create account: %s", starling.ErrorMessage(err))
	}
	role := "member"
	if admin {
		role = "admin"
	}
	fmt.Fprintf(stdout, "Created %s @%s (id %d)\n", role, a.Username, a.ID)
	if !token {
		return nil
	}
	return printToken(ctx, svc, a, stdout)
}

// printToken issues a's token (scopes read write follow push) to an app of
// the admin command and prints it as a line of its own.
func printToken(ctx context.Context, svc *starling.Service, a *starling.Account, stdout io.Writer) error {
	app, _, err := svc.CreateApplication(ctx, starling.NewApplication{Name: "starling admin", RedirectURIs: []string{starling.OOBRedirectURI}, Scopes: starling.FullScopes.String()})
	if err != nil {
		return err
	}
	g, err := svc.IssueToken(ctx, app.ID, a.ID, starling.FullScopes)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, g.AccessToken)
	return nil
}

// runToken prints an access token for an existing local account, for
// scripts and load tests. It is safe to run while a server uses the database.
func runToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	var username string
	f := newFlags("admin token", getenv, stderr)
	storageFlags(f, &cfg)
	f.StringVar(&username, "username", "", "the account's username")
	if err := f.parse(args); err != nil {
		return err
	}
	if username == "" {
		return fmt.Errorf("--username is required")
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, nil)))
	db, err := sqldb.Open(ctx, cfg.DB, cfg.Data)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	in := starling.Instance{Registrations: starling.RegistrationsClosed}
	svc := starling.NewService(db, text.NewProcessor(&in), password.Hasher{}, in, nil)
	a, err := svc.LookupAccount(ctx, username)
	if err != nil {
		return fmt.Errorf("find @%s: %s", username, starling.ErrorMessage(err))
	}
	if _, err := db.User(ctx, a.ID); err != nil {
		return fmt.Errorf("@%s is not a local member", username)
	}
	return printToken(ctx, svc, a, stdout)
}

// runResetTwoFactor turns off the second factor of a member who lost both
// their authenticator and their recovery codes, through the same use-case
// as the admin pages: --by names the admin doing it, whom the audit log
// records with --reason, and the member is signed out everywhere. It is
// safe to run while a server uses the database.
func runResetTwoFactor(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	var username, by, reason string
	f := newFlags("admin reset-two-factor", getenv, stderr)
	storageFlags(f, &cfg)
	f.StringVar(&username, "username", "", "the member whose two-factor sign-in to turn off")
	f.StringVar(&by, "by", "", "the username of the admin doing it (recorded in the audit log)")
	f.StringVar(&reason, "reason", "", "why, for the audit log (e.g. how the member's identity was checked)")
	if err := f.parse(args); err != nil {
		return err
	}
	if username == "" || by == "" || strings.TrimSpace(reason) == "" {
		return fmt.Errorf("--username, --by and --reason are required")
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, nil)))
	db, err := sqldb.Open(ctx, cfg.DB, cfg.Data)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	in := starling.Instance{Registrations: starling.RegistrationsClosed}
	svc := starling.NewService(db, text.NewProcessor(&in), password.Hasher{}, in, nil)
	localUser := func(name string) (*starling.Account, *starling.User, error) {
		a, err := svc.LookupAccount(ctx, name)
		if err != nil {
			return nil, nil, fmt.Errorf("find @%s: %s", name, starling.ErrorMessage(err))
		}
		u, err := db.User(ctx, a.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("@%s is not a local member", name)
		}
		return a, u, nil
	}
	_, admin, err := localUser(by)
	if err != nil {
		return err
	}
	member, _, err := localUser(username)
	if err != nil {
		return err
	}
	if err := svc.ResetTwoFactor(ctx, admin, member.ID, reason); err != nil {
		if starling.ErrorCode(err) == starling.EFORBIDDEN {
			return fmt.Errorf("@%s is not an admin", by)
		}
		return fmt.Errorf("reset two-factor sign-in: %s", starling.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "Two-factor sign-in of @%s is off, and every session and app of theirs is signed out. They can sign in with their password and set it up again.\n", member.Username)
	return nil
}
