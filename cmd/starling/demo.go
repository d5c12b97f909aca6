package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"starling"
	"starling/demo"
	"starling/sqldb"
)

// runDemo seeds a demo community and prints how to sign in to it. Run again,
// it adds nothing and prints new passwords for the two sign-in accounts.
func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	var force bool
	var seed uint64 = 1
	f := newFlags("demo", getenv, stderr)
	storageFlags(f, &cfg)
	f.str(&cfg.Domain, "domain", "public host name the server will use (as for serve): links in the demo posts point there")
	f.str(&cfg.Listen, "listen", "address serve will listen on; with no --domain it decides the links, as for serve")
	f.BoolVar(&force, "force", false, "add the demo accounts even though the database has real members (nothing of theirs is changed)")
	f.Uint64Var(&seed, "seed", seed, "decides who posts what, so the same seed gives the same community")
	if err := f.parse(args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, nil)))
	db, err := sqldb.Open(ctx, cfg.DB, cfg.Data)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	domain, baseURL := cfg.publicURL(cfg.Listen)
	in := starling.Instance{Domain: domain, BaseURL: baseURL, Title: cfg.Title, Description: cfg.Description,
		Registrations: starling.RegistrationsClosed, MaxChars: cfg.MaxChars, Version: version}

	fmt.Fprintf(stdout, "Seeding the demo community (%s database)...\n", db.Engine())
	res, err := demo.Seed(ctx, db, in, demo.Options{Seed: seed, Force: force})
	if errors.Is(err, demo.ErrRealMembers) {
		return fmt.Errorf("%w.\nThe demo is meant for a fresh database: use another --data folder or --db. To add the demo accounts beside the real ones anyway, run again with --force; nothing of theirs is changed or deleted", err)
	} else if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	// How to serve what was seeded: the same storage and the same address,
	// so the links in the posts work. A --db URL may hold a password, so it is not repeated.
	serve := "starling serve --data " + shellQuote(cfg.Data)
	if cfg.DB != "" {
		serve = "starling serve --db <the same URL>"
	}
	f.Visit(func(fl *flag.Flag) {
		if fl.Name == "domain" || fl.Name == "listen" {
			serve += " --" + fl.Name + " " + shellQuote(fl.Value.String())
		}
	})
	printDemo(stdout, res, baseURL, serve)
	return nil
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func printDemo(w io.Writer, res *demo.Result, baseURL, serve string) {
	if res.AlreadySeeded {
		fmt.Fprintln(w, "The demo community is already in this database: nothing was added.")
		fmt.Fprintln(w, "The admin and member accounts have new passwords (the old ones no longer work).")
	} else {
		if res.Resumed {
			fmt.Fprintf(w, "Completed a demo seeding that had been interrupted, creating the %d accounts it lacked.\n", res.Accounts)
			fmt.Fprintf(w, "The demo has %d follows (%d follow requests waiting for approval).\n", res.Follows, res.FollowRequests)
		} else {
			fmt.Fprintf(w, "Created %d accounts with %d follows (%d follow requests waiting for approval).\n", res.Accounts, res.Follows, res.FollowRequests)
		}
		fmt.Fprintf(w, "Posted %d statuses over the last four weeks: %d posts, %d replies, %d reblogs (%d edited),\n",
			res.Statuses(), res.Posts, res.Replies, res.Reblogs, res.Edits)
		fmt.Fprintf(w, "with %d favourites and %d bookmarks.\n", res.Favourites, res.Bookmarks)
	}
	fmt.Fprintln(w)
	if d := res.ConferenceDays; !d[0].IsZero() {
		fmt.Fprintf(w, "The conference hashtag #%s is busiest on %s and %s.\n", demo.Hashtag, d[0].Format("Monday 2 January"), d[1].Format("Monday 2 January"))
	}
	fmt.Fprintf(w, "The list %q (%d members) belongs to @%s.\n", demo.ListTitle, res.ListMembers, res.ListOwner)
	fmt.Fprintf(w, "Lists are private to their owner in the Mastodon API: only @%s sees it,\n", res.ListOwner)
	fmt.Fprintln(w, "and its password is not printed.")
	fmt.Fprintf(w, "\nStart the server with\n\n  %s\n\n", serve)
	fmt.Fprintf(w, "then sign in at %s/auth/sign_in or point a Mastodon app at %s:\n\n", baseURL, baseURL)
	fmt.Fprintf(w, "  admin   username %-14s password %s\n", res.Admin.Username, res.Admin.Password)
	fmt.Fprintf(w, "  member  username %-14s password %s\n", res.Member.Username, res.Member.Password)
	fmt.Fprintln(w, "\nThe passwords are shown only now. Run starling demo again to get new ones.")
	fmt.Fprintf(w, "Demo accounts have e-mail addresses ending in @%s.\n", demo.EmailDomain)
}
