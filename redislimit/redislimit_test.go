package redislimit_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"starling/internal/redistest"
	"starling/redislimit"
	"starling/server"
)

// TestServersShareOneBudget: two servers' limiters sharing Redis give a
// client its burst once between them, not once each; another client has
// its own; the bucket refills with time.
func TestServersShareOneBudget(t *testing.T) {
	rdb := redistest.MustRedis(t)
	prefix := redistest.Prefix(t, rdb)
	var servers []http.HandlerFunc
	for range 2 {
		l := server.NewLimiter(300*time.Millisecond, 4)
		l.Share("sign-in", redislimit.New(rdb, prefix))
		servers = append(servers, l.Wrap(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	}
	call := func(i int, addr string) int {
		r := httptest.NewRequest("POST", "/auth/sign_in", nil)
		r.RemoteAddr = addr + ":5000"
		w := httptest.NewRecorder()
		servers[i](w, r)
		return w.Code
	}
	allowed := 0
	for i := range 8 {
		if call(i%2, "203.0.113.7") == http.StatusNoContent {
			allowed++
		}
	}
	if allowed != 4 {
		t.Fatalf("8 attempts spread over two servers: %d allowed, want the burst of 4 between them", allowed)
	}
	if got := call(0, "203.0.113.8"); got != http.StatusNoContent {
		t.Fatalf("another client: %d, want 204", got)
	}
	time.Sleep(350 * time.Millisecond)
	if got := call(1, "203.0.113.7"); got != http.StatusNoContent {
		t.Fatalf("after one refill interval: %d, want 204", got)
	}
	if got := call(0, "203.0.113.7"); got != http.StatusTooManyRequests {
		t.Fatalf("the refill was one token, yet a second attempt got %d", got)
	}
}

// TestRedisDownCountsLocally: with Redis unreachable the limiter still
// limits, in the process.
func TestRedisDownCountsLocally(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 50 * time.Millisecond})
	defer rdb.Close()
	l := server.NewLimiter(time.Hour, 2)
	l.Share("sign-in", redislimit.New(rdb, "x:"))
	got := []bool{l.Allow("203.0.113.9"), l.Allow("203.0.113.9"), l.Allow("203.0.113.9")}
	if !got[0] || !got[1] || got[2] {
		t.Fatalf("with Redis down: %v, want two allowed then refused", got)
	}
}
