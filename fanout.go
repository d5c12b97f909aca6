package starling

import (
	"context"
	"slices"
	"sync"
	"time"
)

// DefaultFanOutLimit is the number of followers above which an account's
// posts are not written into each follower's home feed: one post by a very
// large account then costs one write, and its followers' home timelines
// merge its recent posts in when they are read.
const DefaultFanOutLimit = 10000

// largeAccountsEvery is how long the list of large accounts is trusted. An
// account crossing the limit is merged (or fanned out) within this time.
const largeAccountsEvery = time.Minute

// largeAccounts caches the accounts above the fan-out limit: few or none,
// and read on every home timeline.
type largeAccounts struct {
	mu  sync.Mutex
	ids []int64
	at  time.Time
}

// SetFanOutLimit sets the follower count above which posts are merged into
// home timelines at read time instead of written on posting. 0 or less
// means DefaultFanOutLimit. Call it before serving.
func (svc *Service) SetFanOutLimit(n int) {
	if n <= 0 {
		n = DefaultFanOutLimit
	}
	svc.fanOutLimit = n
}

// FanOutLimit returns the limit SetFanOutLimit set.
func (svc *Service) FanOutLimit() int {
	if svc.fanOutLimit <= 0 {
		return DefaultFanOutLimit
	}
	return svc.fanOutLimit
}

// fanOutScope says whose home feeds a status by author is written to.
func (svc *Service) fanOutScope(author *Account, now time.Time) FanOutScope {
	return FanOutScope{ActiveSince: now.Add(-feedInactiveAfter), AuthorOnly: author.FollowersCount > svc.FanOutLimit()}
}

// largeAccountIDs returns the accounts above the fan-out limit, from a cache
// refreshed every largeAccountsEvery.
func (svc *Service) largeAccountIDs(ctx context.Context) ([]int64, error) {
	c := &svc.large
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := svc.now(); c.at.IsZero() || now.Sub(c.at) >= largeAccountsEvery {
		ids, err := svc.store.LargeAccounts(ctx, svc.FanOutLimit())
		if err != nil {
			return nil, err
		}
		c.ids, c.at = ids, now
	}
	return c.ids, nil
}

// mergeLargeAuthors adds to a page of viewer's home feed (IDs newest first)
// the statuses of the large accounts viewer follows, which fan-out left out.
func (svc *Service) mergeLargeAuthors(ctx context.Context, viewerID int64, ids []int64, p Page) ([]int64, error) {
	large, err := svc.largeAccountIDs(ctx)
	if err != nil || len(large) == 0 {
		return ids, err
	}
	more, err := svc.store.HomeFromAuthors(ctx, viewerID, large, p)
	if err != nil || len(more) == 0 {
		return ids, err
	}
	return mergePages(ids, more, p), nil
}

// mergePages merges two pages of status IDs (newest first) read with p into
// one page of p.Limit, newest first, each ID once.
func mergePages(ids, more []int64, p Page) []int64 {
	if len(more) == 0 {
		return ids
	}
	merged := append(slices.Clone(ids), more...)
	slices.Sort(merged)
	merged = slices.Compact(merged) // fanned out before the author grew large; or both followed and tagged
	if len(merged) > p.Limit {
		if p.MinID > 0 { // the page just above MinID: the oldest
			merged = merged[:p.Limit]
		} else {
			merged = merged[len(merged)-p.Limit:]
		}
	}
	slices.Reverse(merged)
	return merged
}
