package loadtest

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"
)

// Run sets up the users and data cfg asks for, runs its phases one after the
// other and returns what they measured. Progress goes to cfg.Log. It fails
// when the server cannot be reached or the users cannot be had; errors of
// individual requests during the phases are counted, not returned.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := NewClient(cfg.BaseURL, cfg.Concurrency+2*cfg.FreshPairs, cfg.UserAgent)
	defer c.Close()
	rep := &Report{URL: cfg.BaseURL, StartedAt: time.Now().UTC()}
	version, err := c.Instance(ctx)
	if err != nil {
		return nil, fmt.Errorf("server at %s: %w", cfg.BaseURL, err)
	}
	rep.ServerVersion = version

	var ticks int64
	if cfg.ServerPID > 0 {
		var measured bool
		ticks, measured = ClockTicks()
		if !measured {
			rep.Notes = append(rep.Notes, "getconf CLK_TCK failed: assumed 100 clock ticks per second for server CPU times")
		}
		if _, err := ReadProc(cfg.ServerPID, ticks); err != nil {
			return nil, fmt.Errorf("--server-pid %d: %w", cfg.ServerPID, err)
		}
	}

	users, err := getUsers(ctx, &cfg, c)
	if err != nil {
		return nil, err
	}
	if len(users) < 2 {
		return nil, fmt.Errorf("the load needs at least 2 users, got %d", len(users))
	}
	b := &bench{cfg: &cfg, c: c, users: users, locks: make([]sync.Mutex, len(users))}
	if err := setUp(ctx, &cfg, c, users); err != nil {
		return nil, err
	}

	rep.Settings = Settings{
		Users: len(users), Registered: cfg.Register > 0, Setup: cfg.Setup, Concurrency: cfg.Concurrency,
		DurationSeconds: cfg.Duration.Seconds(), Phases: cfg.Phases, Seed: cfg.Seed, FreshPairs: cfg.FreshPairs,
		Stream: cfg.Stream, ServerPID: cfg.ServerPID, ClockTicks: ticks,
	}
	if cfg.Setup != SetupNone {
		rep.Settings.Follows, rep.Settings.Skew, rep.Settings.Graph = cfg.Follows, cfg.Skew, cfg.GraphFile
		if cfg.GraphFile != "" {
			rep.Settings.Follows, rep.Settings.Skew = 0, 0
		}
	}
	if cfg.Setup == SetupFull {
		rep.Settings.SeedPosts = cfg.SeedPosts
	}

	if cfg.Stream && !slices.Contains(cfg.Phases, "freshness") {
		rep.Notes = append(rep.Notes, "streaming freshness: "+streamNote)
	}

	var baselineCPU float64 // µs per request
	for i, name := range cfg.Phases {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		res, err := b.runPhase(ctx, name, cfg.Seed*1000+uint64(i), ticks, rep)
		if err != nil {
			return rep, fmt.Errorf("phase %s: %w", name, err)
		}
		if u := res.Server; u != nil {
			if name == "baseline" {
				baselineCPU = u.CPUMicrosPerRequest
			}
			if baselineCPU > 0 {
				vs := u.CPUMicrosPerRequest / baselineCPU
				u.CPUVsBaseline = &vs
			}
		}
		rep.Phases = append(rep.Phases, res)
		cfg.logf("phase %s: %d requests in %.1fs (%.0f/s), p50 %.2f ms, p99 %.2f ms, errors: %s",
			name, res.Requests, res.DurationSeconds, res.RPS, res.Latency.P50, res.Latency.P99, formatErrors(res.Errors))
	}
	return rep, ctx.Err()
}

// getUsers reads the tokens file or registers accounts, and finds the account of each.
func getUsers(ctx context.Context, cfg *Config, c *Client) ([]User, error) {
	if cfg.Register > 0 {
		start := time.Now()
		users, err := registerUsers(ctx, c, cfg.Register, min(cfg.Concurrency, 8))
		if err != nil {
			return nil, err
		}
		cfg.logf("set-up: registered %d accounts in %.1fs", len(users), time.Since(start).Seconds())
		if cfg.TokensOut != "" {
			if err := WriteTokens(cfg.TokensOut, users); err != nil {
				return nil, fmt.Errorf("--tokens-out: %w", err)
			}
		}
		return users, nil
	}
	f, err := os.Open(cfg.TokensFile)
	if err != nil {
		return nil, fmt.Errorf("--tokens: %w", err)
	}
	defer f.Close()
	tokens, err := ReadTokens(f)
	if err != nil {
		return nil, fmt.Errorf("--tokens: %w", err)
	}
	return resolveUsers(ctx, c, tokens, cfg.Concurrency)
}

// setUp builds the follow graph and seeds posts as cfg.Setup asks.
func setUp(ctx context.Context, cfg *Config, c *Client, users []User) error {
	if cfg.Setup == SetupNone {
		return nil
	}
	edges, err := followGraph(cfg, len(users))
	if err != nil {
		return err
	}
	if err := createFollows(ctx, cfg, c, users, edges); err != nil {
		return err
	}
	if cfg.Setup == SetupFull && cfg.SeedPosts > 0 {
		return seedPosts(ctx, cfg, c, users)
	}
	return nil
}

// runPhase runs one phase, with the server's CPU and memory watched when
// ticks > 0. Notes about how it ran go into rep.
func (b *bench) runPhase(ctx context.Context, name string, seed uint64, ticks int64, rep *Report) (PhaseResult, error) {
	op, workers := b.ops()[name], b.cfg.Concurrency
	var fresh *freshness
	switch name {
	case "baseline":
		if n := b.prepareBaseline(ctx); n != "" {
			rep.Notes = append(rep.Notes, n)
		}
	case "freshness":
		pairs, err := b.findPairs(ctx, b.cfg.FreshPairs)
		if err != nil {
			return PhaseResult{}, err
		}
		if len(pairs) == 0 {
			res := PhaseResult{Name: name, Errors: map[string]int{}, Note: "skipped: no user follows another of the users (use --setup follows)"}
			if b.cfg.Stream {
				res.Freshness = &FreshnessResult{Stream: streamNote}
			}
			return res, nil
		}
		fresh = &freshness{b: b, pairs: pairs}
		op, workers = fresh.op, len(pairs)
	}

	var watch *procWatch
	if ticks > 0 {
		var err error
		if watch, err = startProcWatch(b.cfg.ServerPID, ticks, 250*time.Millisecond); err != nil {
			return PhaseResult{}, fmt.Errorf("server process: %w", err)
		}
	}
	run := RunWorkers(ctx, workers, b.cfg.Duration, seed, op)
	res := newPhaseResult(name, workers, run)
	if watch != nil {
		before, after, peak, err := watch.finish()
		if err != nil {
			return res, fmt.Errorf("server process: %w", err)
		}
		res.Server = newServerUsage(before, after, peak, res.Requests)
	}
	if fresh != nil {
		res.Freshness = fresh.result(b.cfg.Stream)
	}
	return res, nil
}
