// Package loadtest generates load against a server through the Mastodon
// client API only, so that Starling can be compared with any other server
// that speaks it (Mastodon, GoToSocial, Pleroma…). It creates or reuses
// accounts, builds a follow graph and seeds posts through the API, then runs
// phases of reads and writes on a fixed number of workers and reports
// throughput, latency percentiles, errors by status and, when the server runs
// on this machine, its CPU time and memory per phase.
package loadtest

import (
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Phases lists every phase in the order they run.
var Phases = []string{"baseline", "home", "hashtag", "account", "compose", "interact", "mixed", "freshness"}

// Setup modes: what the tool creates before the phases.
const (
	SetupNone    = "none"    // the accounts, follows and posts are already there
	SetupFollows = "follows" // build a follow graph
	SetupFull    = "full"    // build a follow graph and seed posts
)

// Tags are the hashtags seeded posts and composed posts carry, and the
// hashtag phase reads.
var Tags = []string{"adassspring", "socialcare", "carers", "workforce", "dementia"}

// Config is what a run is told. DefaultConfig gives the defaults.
type Config struct {
	BaseURL     string        // the server, e.g. http://127.0.0.1:8080
	TokensFile  string        // access tokens, one a line; the users of the load
	Register    int           // or: create this many accounts through the API
	TokensOut   string        // where to write the tokens of registered accounts; empty: nowhere
	Setup       string        // SetupNone, SetupFollows or SetupFull
	Follows     int           // how many users each user follows (Zipf graph)
	Skew        float64       // Zipf exponent of the follow graph's in-degree
	GraphFile   string        // instead of the Zipf graph: an undirected edge list
	SeedPosts   int           // posts per user in SetupFull
	Concurrency int           // workers per phase
	Duration    time.Duration // per phase
	Phases      []string      // which phases run, a subset of Phases in that order
	Seed        uint64        // for every random choice, so runs repeat
	FreshPairs  int           // poster-follower pairs in the freshness phase
	Stream      bool          // also report streaming freshness (not measured yet)
	ServerPID   int           // if > 0, the server's process on this machine, for CPU and memory
	UserAgent   string        // sent with every request
	Log         io.Writer     // progress messages; nil: none
}

// DefaultConfig returns the defaults of everything but the server and the users.
func DefaultConfig() Config {
	return Config{
		Setup: SetupFull, Follows: 20, Skew: 1.1, SeedPosts: 5, Concurrency: 32, Duration: 30 * time.Second,
		Phases: slices.Clone(Phases), Seed: 1, FreshPairs: 4, UserAgent: "starling-bench",
	}
}

// ParsePhases turns a comma-separated list ("all", or names from Phases)
// into the phases to run, in the order of Phases.
func ParsePhases(list string) ([]string, error) {
	want := map[string]bool{}
	for name := range strings.SplitSeq(list, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
		case name == "all":
			for _, p := range Phases {
				want[p] = true
			}
		case slices.Contains(Phases, name):
			want[name] = true
		default:
			return nil, fmt.Errorf("unknown phase %q; phases are all or %s", name, strings.Join(Phases, ","))
		}
	}
	var out []string
	for _, p := range Phases {
		if want[p] {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no phases given")
	}
	return out, nil
}

// Validate checks the combination of settings.
func (c *Config) Validate() error {
	u, err := url.Parse(c.BaseURL)
	if c.BaseURL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--url must be the server's base URL, like http://127.0.0.1:8080, not %q", c.BaseURL)
	}
	if (c.TokensFile == "") == (c.Register == 0) {
		return fmt.Errorf("give either --tokens FILE or --register N")
	}
	if c.TokensOut != "" && c.Register == 0 {
		return fmt.Errorf("--tokens-out goes with --register")
	}
	if c.Register < 0 {
		return fmt.Errorf("--register must be positive, not %d", c.Register)
	}
	switch c.Setup {
	case SetupNone, SetupFollows, SetupFull:
	default:
		return fmt.Errorf("--setup must be none, follows or full, not %q", c.Setup)
	}
	if c.Follows < 0 || c.SeedPosts < 0 {
		return fmt.Errorf("--follows and --seed-posts must be 0 or more")
	}
	if c.Skew < 0 {
		return fmt.Errorf("--skew must be 0 or more, not %g", c.Skew)
	}
	if c.Concurrency < 1 || c.FreshPairs < 1 {
		return fmt.Errorf("--concurrency and --fresh-pairs must be at least 1")
	}
	if c.Duration <= 0 {
		return fmt.Errorf("--duration must be positive, not %s", c.Duration)
	}
	if len(c.Phases) == 0 {
		return fmt.Errorf("no phases given")
	}
	for _, p := range c.Phases {
		if !slices.Contains(Phases, p) {
			return fmt.Errorf("unknown phase %q", p)
		}
	}
	if c.ServerPID < 0 {
		return fmt.Errorf("--server-pid must be a process id, not %d", c.ServerPID)
	}
	return nil
}

func (c *Config) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", args...)
	}
}
