// Package redislimit keeps rate-limit counters in Redis, so that several
// app servers give each client one budget between them.
package redislimit

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
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
// Returns 1 if a token was taken.
var take = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local every, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local full = tonumber(redis.call('GET', KEYS[1]) or now)
if full < now then full = now end
if full - now > (burst - 1) * every then return 0 end
full = full + every
redis.call('SET', KEYS[1], full, 'PX', full - now)
return 1
`)

// Take implements server.Buckets.
func (b *Buckets) Take(ctx context.Context, key string, every time.Duration, burst int) (bool, error) {
	n, err := take.Run(ctx, b.rdb, []string{b.prefix + key}, every.Milliseconds(), burst).Int()
	return n == 1, err
}
