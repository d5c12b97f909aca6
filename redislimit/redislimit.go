// Package redislimit keeps rate-limit counters in Redis, so that several
// app servers give each client one budget between them.
package redislimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"starling/server"
)

// Buckets implements server.Buckets with the generic cell rate algorithm:
// each key is one number, the time its bucket will next be full, kept on
// Redis's own clock so servers with skewed clocks agree.
type Buckets struct {
	rdb    *redis.Client
	prefix string
}

// New returns buckets under prefix in rdb.
func New(rdb *redis.Client, prefix string) *Buckets { return &Buckets{rdb: rdb, prefix: prefix} }

// take: KEYS[1] the bucket; ARGV[1] ms between tokens, ARGV[2] burst.
// Returns {1 if a token was taken, requests remaining, ms until the bucket
// is full again, ms until a request is allowed (when refused)}: the same
// arithmetic as the in-process limiter (server.gcra), so both report alike.
var take = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local every, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local full = tonumber(redis.call('GET', KEYS[1]) or now)
if full < now then full = now end
local allowed, retry = 0, 0
if full - now <= (burst - 1) * every then
  full = full + every
  redis.call('SET', KEYS[1], full, 'PX', full - now)
  allowed = 1
else
  retry = full - now - (burst - 1) * every
end
local remaining = burst - math.ceil((full - now) / every)
if remaining < 0 then remaining = 0 end
return {allowed, remaining, full - now, retry}
`)

// Take implements server.Buckets. The reset time is reckoned from this
// server's clock plus Redis's answer, so skewed clocks still agree on how
// long is left.
func (b *Buckets) Take(ctx context.Context, key string, every time.Duration, burst int) (server.Result, error) {
	start := time.Now()
	ms := max(every.Milliseconds(), 1)
	v, err := take.Run(ctx, b.rdb, []string{b.prefix + key}, ms, burst).Int64Slice()
	if err != nil {
		return server.Result{}, err
	}
	if len(v) != 4 {
		return server.Result{}, fmt.Errorf("redislimit: unexpected reply %v", v)
	}
	return server.Result{
		Allowed: v[0] == 1, Limit: burst, Remaining: int(v[1]),
		Reset: start.Add(time.Duration(v[2]) * time.Millisecond), RetryAfter: time.Duration(v[3]) * time.Millisecond,
	}, nil
}
