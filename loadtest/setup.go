package loadtest

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// followGraph returns the follows the set-up creates: from the edge list in
// cfg.GraphFile, or a Zipf graph.
func followGraph(cfg *Config, n int) ([]Edge, error) {
	if cfg.GraphFile == "" {
		return ZipfFollows(n, cfg.Follows, cfg.Skew, cfg.Seed), nil
	}
	f, err := os.Open(cfg.GraphFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	g, err := ReadEdgeList(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.GraphFile, err)
	}
	cfg.logf("graph %s: %d nodes, %d edges, mapped onto %d users", cfg.GraphFile, g.Nodes, len(g.Pairs), n)
	return g.Follows(n), nil
}

// createFollows makes every follow in edges through the API. Failures are
// counted and reported, not fatal: a server may refuse a few (limits, locked
// accounts) and the load still means something.
func createFollows(ctx context.Context, cfg *Config, c *Client, users []User, edges []Edge) error {
	return setupRequests(ctx, cfg, "follows", len(edges), func(i int) error {
		e := edges[i]
		return c.Follow(ctx, users[e.From].Token, users[e.To].ID)
	})
}

// seedPosts has every user post cfg.SeedPosts statuses, each with one of
// Tags, so that home, hashtag and account timelines have something to show.
func seedPosts(ctx context.Context, cfg *Config, c *Client, users []User) error {
	return setupRequests(ctx, cfg, "seed posts", len(users)*cfg.SeedPosts, func(i int) error {
		u := users[i%len(users)]
		text := fmt.Sprintf("Seed post %d from the load test, about #%s.", i/len(users)+1, Tags[i%len(Tags)])
		_, err := c.PostStatus(ctx, u.Token, text)
		return err
	})
}

// setupRequests runs request(0) … request(n-1) on cfg.Concurrency goroutines
// and logs how many failed, by status.
func setupRequests(ctx context.Context, cfg *Config, what string, n int, request func(i int) error) error {
	var st Stats
	start := time.Now()
	err := parallel(ctx, n, cfg.Concurrency, func(i int) error {
		t := time.Now()
		err := request(i)
		st.Record(time.Since(t), err)
		return nil
	})
	sum := st.Summary()
	cfg.logf("set-up: %d %s in %.1fs, errors: %s", sum.Requests, what, time.Since(start).Seconds(), formatErrors(sum.Errors))
	return err
}

// formatErrors writes an error map as "500:3 429:12 net:1", most frequent first.
func formatErrors(errs map[string]int) string {
	if len(errs) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if errs[keys[i]] != errs[keys[j]] {
			return errs[keys[i]] > errs[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%d", k, errs[k])
	}
	return strings.Join(parts, " ")
}
