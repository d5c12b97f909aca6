package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"starling/datagen"
	"starling/sqldb"
)

// runGenerate fills an empty database with a synthetic community straight
// through SQL, for benchmarks and load tests at sizes the API would take
// hours to reach, and optionally writes access tokens for the load tool.
func runGenerate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	o := datagen.Options{}
	var tokensOut string
	seed := 1
	f := newFlags("generate", getenv, stderr)
	storageFlags(f, &cfg)
	f.IntVar(&o.Accounts, "accounts", 10000, "accounts to create")
	f.IntVar(&o.Posts, "posts", 1000000, "statuses to create, spread over --days")
	f.IntVar(&o.MeanFollows, "follows", 100, "accounts each account follows on average (power-law in-degree)")
	f.Float64Var(&o.Skew, "skew", 1.1, "Zipf exponent of who is followed and who posts (> 1)")
	f.IntVar(&o.Days, "days", 30, "days the statuses are spread over, ending now")
	f.IntVar(&o.Readers, "readers", 1000, "accounts whose home timelines are filled (800 entries each)")
	f.IntVar(&o.Tokens, "tokens", 0, "access tokens to issue to readers (at most --readers)")
	f.StringVar(&tokensOut, "tokens-out", "", "file to write the tokens to, one a line (for starling bench --tokens)")
	f.IntVar(&seed, "seed", 1, "random seed; the same seed and sizes give the same community")
	if err := f.parse(args); err != nil {
		return err
	}
	if o.Tokens > 0 && tokensOut == "" {
		return fmt.Errorf("--tokens needs --tokens-out")
	}
	o.Seed = uint64(seed)
	db, err := sqldb.Open(ctx, cfg.DB, cfg.Data)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	users, _, err := db.InstanceStats(ctx)
	if err != nil {
		return err
	}
	if users > 0 {
		return fmt.Errorf("the database already has %d members: generate fills empty databases only", users)
	}
	fmt.Fprintf(stdout, "Generating %d accounts, ~%d follows each, %d posts (seed %d)…\n", o.Accounts, o.MeanFollows, o.Posts, seed)
	res, err := datagen.Fill(ctx, db, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Done in %v: %d follows (the most followed account has %d followers), %d home timelines filled.\n",
		res.Took.Round(1e6), res.Follows, res.MaxFollowers, len(res.ReaderIDs))
	if tokensOut != "" {
		if err := os.WriteFile(tokensOut, []byte(strings.Join(res.Tokens, "\n")+"\n"), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Wrote %d access tokens to %s.\n", len(res.Tokens), tokensOut)
	}
	return nil
}
