// Package redistest connects tests to the Redis that STARLING_TEST_REDIS_URL
// names, and gives each test keys of its own.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
)

// Env names the variable with the Redis URL tests use; .ci/run sets it.
const Env = "STARLING_TEST_REDIS_URL"

// MustRedis connects to the test Redis, or skips saying how to run the test.
func MustRedis(tb testing.TB) *redis.Client {
	tb.Helper()
	u := os.Getenv(Env)
	if u == "" {
		tb.Skipf("Redis tests skipped: set %s (e.g. redis://127.0.0.1:6379/0)", Env)
	}
	opts, err := redis.ParseURL(u)
	if err != nil {
		tb.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	tb.Cleanup(func() { rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		tb.Fatalf("Redis at %s: %v", u, err)
	}
	return rdb
}

// Prefix returns a fresh key prefix and deletes its keys when the test ends,
// so runs never see each other's data.
func Prefix(tb testing.TB, rdb *redis.Client) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	p := "starling-test-" + hex.EncodeToString(b[:]) + ":"
	tb.Cleanup(func() { Flush(rdb, p) })
	return p
}

// Flush deletes every key under prefix: what FLUSHDB does to a community
// that has Redis to itself.
func Flush(rdb *redis.Client, prefix string) {
	ctx := context.Background()
	keys, _ := rdb.Keys(ctx, prefix+"*").Result()
	if len(keys) > 0 {
		rdb.Del(ctx, keys...)
	}
}
