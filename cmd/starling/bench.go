package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"starling/loadtest"
)

const benchUsage = `Usage:
  starling bench --url BASE (--tokens FILE | --register N [--tokens-out FILE]) [flags]

Load-tests a server through the Mastodon client API only, so any
Mastodon-compatible server can be compared. --register needs open sign-ups and
no tight rate limit (Starling: serve --registrations open --auth-rate 0).

Flags:
`

// runBench load-tests a Mastodon-compatible server and prints a table of
// results per phase; see the loadtest package.
func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, jsonPath, err := parseBenchFlags(args, stderr)
	if err != nil {
		return err
	}
	cfg.Log = stderr
	cfg.UserAgent = "starling-bench/" + version
	rep, runErr := loadtest.Run(ctx, cfg)
	if rep == nil {
		return runErr
	}
	// An interrupted run still shows what it measured so far.
	if len(rep.Phases) > 0 {
		if err := rep.WriteTable(stdout); err != nil {
			return err
		}
	}
	if jsonPath != "" {
		if err := rep.WriteJSON(jsonPath); err != nil {
			return fmt.Errorf("--json: %w", err)
		}
	}
	return runErr
}

// parseBenchFlags reads the bench command's flags. They are plain flags,
// without STARLING_* environment variables: those configure the server.
func parseBenchFlags(args []string, stderr io.Writer) (cfg loadtest.Config, jsonPath string, err error) {
	cfg = loadtest.DefaultConfig()
	f := newFlags("bench", func(string) string { return "" }, stderr)
	f.Usage = func() {
		fmt.Fprint(f.Output(), benchUsage)
		f.PrintDefaults()
	}
	phases := "all"
	f.StringVar(&cfg.BaseURL, "url", "", "base URL of the server, e.g. http://127.0.0.1:8080 (required)")
	f.StringVar(&cfg.TokensFile, "tokens", "", "file of access tokens, one a line; their accounts are the load's users")
	f.IntVar(&cfg.Register, "register", 0, "instead of --tokens: create this many accounts through the registration API")
	f.StringVar(&cfg.TokensOut, "tokens-out", "", "with --register: write the new accounts' tokens to this file, for --tokens later")
	f.StringVar(&cfg.Setup, "setup", cfg.Setup, "what to create first: none, follows (a follow graph) or full (follows and posts)")
	f.IntVar(&cfg.Follows, "follows", cfg.Follows, "how many others each user follows in the generated graph")
	f.Float64Var(&cfg.Skew, "skew", cfg.Skew, "Zipf exponent of how followers spread: user of rank r is followed with probability ∝ 1/(r+1)^skew")
	f.StringVar(&cfg.GraphFile, "graph", "", `instead of the generated graph: an edge list file, "u v" a line, followed both ways, ids modulo the number of users`)
	f.IntVar(&cfg.SeedPosts, "seed-posts", cfg.SeedPosts, "with --setup full: posts per user, with hashtags")
	f.IntVar(&cfg.Concurrency, "concurrency", cfg.Concurrency, "workers, each making one request at a time")
	f.DurationVar(&cfg.Duration, "duration", cfg.Duration, "how long each phase runs")
	f.StringVar(&phases, "phases", phases, "comma-separated phases to run, or all: "+strings.Join(loadtest.Phases, ","))
	f.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of every random choice, so runs can be repeated")
	f.IntVar(&cfg.FreshPairs, "fresh-pairs", cfg.FreshPairs, "poster/follower pairs probing at once in the freshness phase")
	f.BoolVar(&cfg.Stream, "stream", false, "also measure freshness through the streaming API (not measured yet)")
	f.IntVar(&cfg.ServerPID, "server-pid", 0, "process id of the server if it runs on this machine: report its CPU time and memory per phase (Linux)")
	f.StringVar(&jsonPath, "json", "", "also write the results as JSON to this file")
	if err := f.parse(args); err != nil {
		return cfg, "", err
	}
	if cfg.Phases, err = loadtest.ParsePhases(phases); err != nil {
		return cfg, "", err
	}
	return cfg, jsonPath, cfg.Validate()
}
