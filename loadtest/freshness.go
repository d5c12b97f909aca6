package loadtest

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"
)

// How the freshness phase polls: a follower reads its home timeline every
// pollEvery until the new status shows up, for at most pollFor.
const (
	pollEvery = 10 * time.Millisecond
	pollFor   = 10 * time.Second
)

// streamNote is what the report says about streaming freshness until it is measured.
const streamNote = "not measured yet: the server's streaming API comes in a later issue"

// pair is a poster and one of its followers, by index in bench.users.
type pair struct{ poster, follower int }

// findPairs asks the server, through the followers API, which users follow
// which, and returns up to want pairs with distinct posters. It asks rather
// than trusting the set-up, which may have been skipped or partly refused.
func (b *bench) findPairs(ctx context.Context, want int) ([]pair, error) {
	byID := make(map[string]int, len(b.users))
	for i, u := range b.users {
		byID[u.ID] = i
	}
	// Followers already in a pair come last, so pairs spread over users.
	used := map[int]bool{}
	var pairs []pair
	order := newRand(b.cfg.Seed, 0xf4e5).Perm(len(b.users))
	for tries, a := range order {
		if len(pairs) == want || tries == 200 {
			break
		}
		followers, err := b.c.Followers(ctx, b.users[a].Token, b.users[a].ID)
		if err != nil {
			return nil, fmt.Errorf("find followers: %w", err)
		}
		best := -1
		for _, f := range followers {
			if j, ok := byID[f.ID]; ok && j != a && (best < 0 || used[best] && !used[j]) {
				best = j
			}
		}
		if best >= 0 {
			used[best] = true
			pairs = append(pairs, pair{poster: a, follower: best})
		}
	}
	return pairs, nil
}

// freshness measures how long a post takes to reach a follower's home
// timeline: the time from the POST's answer to the first poll that shows it.
type freshness struct {
	b      *bench
	pairs  []pair
	delays Stats
	missed atomic.Int64
}

// op is one probe on the worker's own pair: learn the newest status the
// follower has, post, then poll for the new one.
func (f *freshness) op(ctx context.Context, w *Worker) {
	p := f.pairs[w.ID%len(f.pairs)]
	poster, follower := f.b.users[p.poster], f.b.users[p.follower]
	var newest string
	if w.Do(func() error {
		list, err := f.b.c.HomeTimeline(ctx, follower.Token, "", 1)
		if len(list) > 0 {
			newest = list[0].ID
		}
		return err
	}) != nil {
		return
	}
	var id string
	if w.Do(func() (err error) {
		// In hex, as in compose: not ten decimal digits, which may be an NHS number.
		id, err = f.b.c.PostStatus(ctx, poster.Token, fmt.Sprintf("Freshness probe %08x from the load test.", w.Rand.Uint32()))
		return err
	}) != nil {
		return
	}
	posted := time.Now()
	for {
		var seen bool
		_ = w.Do(func() error {
			list, err := f.b.c.HomeTimeline(ctx, follower.Token, newest, 40)
			seen = slices.ContainsFunc(list, func(s Status) bool { return s.ID == id })
			return err
		})
		if seen {
			f.delays.Record(time.Since(posted), nil)
			return
		}
		if time.Since(posted) >= pollFor {
			f.missed.Add(1)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(pollEvery):
		}
	}
}

// result summarises the delays.
func (f *freshness) result(stream bool) *FreshnessResult {
	s := f.delays.Summary()
	r := &FreshnessResult{Pairs: len(f.pairs), Seen: s.OK, Missed: int(f.missed.Load()), Delay: s.Latency}
	r.Probes = r.Seen + r.Missed
	if stream {
		r.Stream = streamNote
	}
	return r
}
