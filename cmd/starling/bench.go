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
  starling bench --url BASE --tokens FILE --streams N [--stream-tag TAG] [--stream-kind ws|sse] [--stream-posts K] [flags]

Load-tests a server through the Mastodon client API only, so any
Mastodon-compatible server can be compared. --register needs open sign-ups and
no tight rate limit, and the load goes past Mastodon's 300 requests per 5
minutes per account (Starling: STARLING_RATE_LIMITS=off starling serve
--registrations open --auth-rate 0).

With --streams, instead of the phases: hold N streams of a hashtag open
(WebSocket or server-sent events, without a token, as a public wall would),
post K statuses with the hashtag as the users in turn, and report when each
stream received each post (from the POST's answer), events missed, how fast
the streams opened and, with --server-pid, the server's memory per stream.
--setup, --phases and --duration do not apply. The server must allow N
streams (Starling: serve --stream-limit).

Flags:
`

// runBench load-tests a Mastodon-compatible server and prints a table of
// results per phase; see the loadtest package.
func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	a, err := parseBenchArgs(args, stderr)
	if err != nil {
		return err
	}
	cfg, jsonPath := a.cfg, a.jsonPath
	cfg.Log = stderr
	cfg.UserAgent = "starling-bench/" + version
	if a.streams.Connections > 0 {
		return runStreamBench(ctx, cfg, a.streams, jsonPath, stdout)
	}
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

// runStreamBench runs the stream fan-out benchmark (bench --streams).
func runStreamBench(ctx context.Context, cfg loadtest.Config, sc loadtest.StreamConfig, jsonPath string, stdout io.Writer) error {
	rep, runErr := loadtest.RunStreams(ctx, cfg, sc)
	if rep == nil {
		return runErr
	}
	if err := rep.WriteTable(stdout); err != nil {
		return err
	}
	if jsonPath != "" {
		if err := rep.WriteJSON(jsonPath); err != nil {
			return fmt.Errorf("--json: %w", err)
		}
	}
	return runErr
}

// benchArgs is what the bench command's flags ask for.
type benchArgs struct {
	cfg      loadtest.Config
	streams  loadtest.StreamConfig // Connections > 0: the stream benchmark instead of the phases
	jsonPath string
}

// parseBenchFlags reads the bench command's flags and returns the settings
// of the phases; parseBenchArgs also returns the stream benchmark's.
func parseBenchFlags(args []string, stderr io.Writer) (cfg loadtest.Config, jsonPath string, err error) {
	a, err := parseBenchArgs(args, stderr)
	return a.cfg, a.jsonPath, err
}

// parseBenchArgs reads the bench command's flags. They are plain flags,
// without STARLING_* environment variables: those configure the server.
func parseBenchArgs(args []string, stderr io.Writer) (a benchArgs, err error) {
	cfg, sc := &a.cfg, &a.streams
	*cfg, *sc = loadtest.DefaultConfig(), loadtest.DefaultStreamConfig()
	jsonPath := &a.jsonPath
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
	f.StringVar(jsonPath, "json", "", "also write the results as JSON to this file")
	f.IntVar(&sc.Connections, "streams", 0, "instead of the phases: hold this many streams of --stream-tag open and measure how posts reach them")
	f.StringVar(&sc.Tag, "stream-tag", sc.Tag, "with --streams: the hashtag streamed and posted")
	f.StringVar(&sc.Kind, "stream-kind", sc.Kind, "with --streams: ws (WebSocket /api/v1/streaming) or sse (server-sent events /api/v1/streaming/hashtag)")
	f.IntVar(&sc.Posts, "stream-posts", sc.Posts, "with --streams: statuses posted and timed")
	f.Float64Var(&sc.Rate, "stream-rate", sc.Rate, "with --streams: statuses posted a second")
	f.IntVar(&sc.DialConcurrency, "stream-dial-concurrency", sc.DialConcurrency, "with --streams: stream handshakes in flight at once")
	f.DurationVar(&sc.Wait, "stream-wait", sc.Wait, "with --streams: how long to wait for the events of the last post")
	if err := f.parse(args); err != nil {
		return a, err
	}
	if cfg.Phases, err = loadtest.ParsePhases(phases); err != nil {
		return a, err
	}
	if err := cfg.Validate(); err != nil {
		return a, err
	}
	if sc.Connections != 0 {
		return a, sc.Validate()
	}
	return a, nil
}
