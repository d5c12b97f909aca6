// Package redisfeeds keeps home and list timelines in Redis instead of the
// database, for communities run on several app servers: fanning a post out
// to thousands of followers becomes thousands of in-memory writes, not
// thousands of database rows.
//
// Redis holds only what can be rebuilt. A feed is a sorted set capped at
// Size entries with a "built" marker beside it; a feed without its marker
// (never read, evicted, or Redis wiped) is rebuilt from the database on its
// next read. Every change to feeds starts as a durable job stored in the
// same transaction as the change (see starling.JobWorker), run by the
// server that made the change right after it commits, and by any server
// once its lease ends if that server died first; every job can run twice.
package redisfeeds

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"starling"
)

// Size is how many entries a feed keeps, as Mastodon's: about a week of
// reading for most members; older pages come from the database's
// statuses through the profile and hashtag pages.
const Size = 800

// ttl is how long a feed nobody reads stays in Redis. Fan-out stops
// writing to a member's feed after two weeks without reading (as the
// database feeds do), so a feed left alone is gone a day later and
// rebuilt if its owner comes back: Redis holds the feeds of members who
// read, not of everyone who ever did.
const ttl = 15 * 24 * time.Hour

// Feeds stores home and list feeds in Redis. Wrap the database with Wrap and
// hand the result to starling.NewService.
type Feeds struct {
	rdb    *redis.Client
	prefix string
	db     starling.Store // the database, unwrapped: the source feeds are rebuilt from
	worker *starling.JobWorker

	reads, rebuilds atomic.Int64 // for /metrics: a high share of rebuilds means Redis lost feeds
}

// Counts returns the feed pages read and the feeds rebuilt since start.
func (f *Feeds) Counts() (reads, rebuilds int64) { return f.reads.Load(), f.rebuilds.Load() }

// New returns feeds stored under prefix in rdb (servers of one community
// share a prefix) and registers their job handlers on worker.
func New(rdb *redis.Client, prefix string, db starling.Store, worker *starling.JobWorker) *Feeds {
	f := &Feeds{rdb: rdb, prefix: prefix, db: db, worker: worker}
	f.handleJobs()
	return f
}

// A feed is three keys: the sorted set of entries, a hash from each post
// shown to the entry showing it (a post shows once, as itself or as one
// reblog), and the "built" marker. The braces keep the three in one Redis
// Cluster slot, as the scripts that change them together need.
func (f *Feeds) homeKey(accountID int64) string {
	return f.prefix + "{home:" + starling.FormatID(accountID) + "}"
}
func (f *Feeds) listKey(listID int64) string {
	return f.prefix + "{list:" + starling.FormatID(listID) + "}"
}
func builtKey(feed string) string   { return feed + ":built" }
func originsKey(feed string) string { return feed + ":origins" }

// entry is one status in a feed: the status, the post it shows (itself, or
// what it reblogs) and its author; since orders entries of one post when a
// feed is rebuilt: the one that reached the feed first stays.
type entry struct{ id, origin, author, since int64 }

func entryOf(s *starling.Status) entry {
	e := entry{id: s.ID, origin: s.ID, author: s.AccountID, since: s.ID}
	if s.ReblogOfID != 0 {
		e.origin = s.ReblogOfID
	}
	return e
}

// member is how an entry is stored: every member has score 0, so the set is
// ordered by member, and the zero-padded ID first orders it by status. (IDs
// do not fit a score's 53 bits exactly.)
func (e entry) member() string {
	return fmt.Sprintf("%019d:%d:%d", e.id, e.origin, e.author)
}

// idBound is the lexical range bound for a status ID: members of that ID
// start with it, and sort after it.
func idBound(id int64) string { return fmt.Sprintf("%019d", id) }

func parseMember(m string) (entry, bool) {
	parts := strings.SplitN(m, ":", 3)
	if len(parts) != 3 {
		return entry{}, false
	}
	var e entry
	var err [3]error
	e.id, err[0] = strconv.ParseInt(parts[0], 10, 64)
	e.origin, err[1] = strconv.ParseInt(parts[1], 10, 64)
	e.author, err[2] = strconv.ParseInt(parts[2], 10, 64)
	return e, err[0] == nil && err[1] == nil && err[2] == nil
}

// addScript adds one entry to a feed unless the feed shows its post
// already, and trims the feed to its cap, as the database feeds do.
//
// KEYS[1] feed, KEYS[2] its origins; ARGV[1] member, ARGV[2] origin, ARGV[3] cap,
// ARGV[4] time to live (ms).
var addScript = redis.NewScript(`
if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[1], 0, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
local n = redis.call('ZCARD', KEYS[1])
local cap = tonumber(ARGV[3])
if n > cap then
  for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, n - cap - 1)) do
    local o = string.match(m, '^%d+:(%d+):')
    if redis.call('HGET', KEYS[2], o) == m then redis.call('HDEL', KEYS[2], o) end
  end
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - cap - 1)
end
return 1
`)

// removeScript removes one entry from a feed.
//
// KEYS[1] feed, KEYS[2] its origins; ARGV[1] member, ARGV[2] origin.
var removeScript = redis.NewScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('HGET', KEYS[2], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[2], ARGV[2]) end
return 1
`)

// edit is one change to one feed.
type edit struct {
	feed   string
	e      entry
	remove bool
}

// apply makes the edits in pipelines of a thousand.
func (f *Feeds) apply(ctx context.Context, edits []edit) error {
	if len(edits) == 0 {
		return nil
	}
	for _, s := range []*redis.Script{addScript, removeScript} { // Redis may have restarted since
		if err := s.Load(ctx, f.rdb).Err(); err != nil {
			return fmt.Errorf("load feed scripts: %w", err)
		}
	}
	const batch = 1000
	for start := 0; start < len(edits); start += batch {
		pipe := f.rdb.Pipeline()
		for _, ed := range edits[start:min(start+batch, len(edits))] {
			keys := []string{ed.feed, originsKey(ed.feed)}
			if ed.remove {
				removeScript.EvalSha(ctx, pipe, keys, ed.e.member(), ed.e.origin)
			} else {
				addScript.EvalSha(ctx, pipe, keys, ed.e.member(), ed.e.origin, Size, ttl.Milliseconds())
			}
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("write feeds: %w", err)
		}
	}
	return nil
}

// add writes e into every feed in keys.
func (f *Feeds) add(ctx context.Context, keys []string, e entry) error {
	edits := make([]edit, len(keys))
	for i, k := range keys {
		edits[i] = edit{feed: k, e: e}
	}
	return f.apply(ctx, edits)
}

// page reads a page of a feed, newest first, building it first if needed.
// With Redis unreachable the answer is "unavailable" (503), which clients
// retry, rather than an empty timeline.
func (f *Feeds) page(ctx context.Context, key string, build func() ([]entry, error), p starling.Page) (ids []int64, err error) {
	defer func() {
		if err != nil && starling.ErrorCode(err) == starling.EINTERNAL && ctx.Err() == nil {
			slog.ErrorContext(ctx, "feeds: read", "err", err)
			err = starling.Errorf(starling.EUNAVAILABLE, "Timelines are unavailable for a moment; please try again")
		}
	}()
	f.reads.Add(1)
	if err := f.ensureBuilt(ctx, key, build); err != nil {
		return nil, err
	}
	limit := p.Limit
	if limit <= 0 {
		limit = 20
	}
	lo, hi := "-", "+"
	if p.MaxID > 0 {
		hi = "(" + idBound(p.MaxID)
	}
	if after := max(p.MinID, p.SinceID); after > 0 {
		lo = "[" + idBound(after+1)
	}
	args := redis.ZRangeArgs{Key: key, Start: hi, Stop: lo, ByLex: true, Rev: true, Count: int64(limit)}
	if p.MinID > 0 { // the page just above MinID: the oldest first
		args = redis.ZRangeArgs{Key: key, Start: lo, Stop: hi, ByLex: true, Count: int64(limit)}
	}
	members, err := f.rdb.ZRangeArgs(ctx, args).Result()
	if err != nil {
		return nil, fmt.Errorf("read feed: %w", err)
	}
	ids = make([]int64, 0, len(members))
	for _, m := range members {
		if e, ok := parseMember(m); ok {
			ids = append(ids, e.id)
		}
	}
	if p.MinID > 0 {
		for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
			ids[i], ids[j] = ids[j], ids[i]
		}
	}
	return ids, nil
}

// ensureBuilt rebuilds a feed that has no "built" marker. Fan-out writes to
// a feed whether or not it is built, and a rebuild adds to what is there,
// so a post fanned out while the feed is rebuilt is kept either way.
func (f *Feeds) ensureBuilt(ctx context.Context, key string, build func() ([]entry, error)) error {
	var exists *redis.IntCmd
	_, err := f.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		exists = pipe.Exists(ctx, builtKey(key))
		for _, k := range []string{key, originsKey(key), builtKey(key)} { // read: keep it
			pipe.PExpire(ctx, k, ttl)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read feed: %w", err)
	}
	if exists.Val() == 1 {
		return nil
	}
	entries, err := build()
	if err != nil {
		return err
	}
	entries = firstPerPost(entries, Size)
	edits := make([]edit, len(entries))
	for i, e := range entries {
		edits[i] = edit{feed: key, e: e}
	}
	if err := f.apply(ctx, edits); err != nil {
		return fmt.Errorf("rebuild feed: %w", err)
	}
	if err := f.rdb.Set(ctx, builtKey(key), "1", ttl).Err(); err != nil {
		return fmt.Errorf("rebuild feed: %w", err)
	}
	f.rebuilds.Add(1)
	return nil
}

// firstPerPost keeps, of the entries showing one post (the post and its
// reblogs), the one that reached the feed first, as fan-out would have, and
// returns the newest limit of those, oldest first.
func firstPerPost(entries []entry, limit int) []entry {
	slices.SortFunc(entries, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.since, b.since), cmp.Compare(a.id, b.id))
	})
	shown := make(map[int64]bool, len(entries))
	out := entries[:0]
	for _, e := range entries {
		if !shown[e.origin] {
			shown[e.origin] = true
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b entry) int { return cmp.Compare(a.id, b.id) })
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out
}

// remove deletes from a feed every entry that matches.
func (f *Feeds) remove(ctx context.Context, key string, match func(entry) bool) error {
	members, err := f.rdb.ZRange(ctx, key, 0, -1).Result()
	if err != nil {
		return fmt.Errorf("read feed: %w", err)
	}
	var edits []edit
	for _, m := range members {
		if e, ok := parseMember(m); ok && match(e) {
			edits = append(edits, edit{feed: key, e: e, remove: true})
		}
	}
	return f.apply(ctx, edits)
}
