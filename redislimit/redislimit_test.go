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

// TestSharedRemainingAndReset: two limiters sharing Redis count down one
// budget between them and report it as the in-process limiter would.
func TestSharedRemainingAndReset(t *testing.T) {
	rdb := redistest.MustRedis(t)
	prefix := redistest.Prefix(t, rdb)
	a, b := server.NewLimiterPer(5, time.Minute), server.NewLimiterPer(5, time.Minute)
	a.Share("api", redislimit.New(rdb, prefix))
	b.Share("api", redislimit.New(rdb, prefix))
	start := time.Now()
	for i := 1; i <= 5; i++ {
		l := a
		if i%2 == 0 {
			l = b
		}
		res := l.Check("acct:1")
		if !res.Allowed || res.Limit != 5 || res.Remaining != 5-i {
			t.Fatalf("request %d: %+v, want allowed with %d remaining", i, res, 5-i)
		}
		want := start.Add(time.Duration(i) * 12 * time.Second)
		if d := res.Reset.Sub(want); d < -time.Second || d > time.Second {
			t.Fatalf("request %d: reset %v, want about %v", i, res.Reset, want)
		}
	}
	res := a.Check("acct:1")
	if res.Allowed || res.Remaining != 0 || res.RetryAfter <= 11*time.Second || res.RetryAfter > 12*time.Second {
		t.Fatalf("6th request: %+v, want refused, retry in about 12 s", res)
	}
	if res := b.Check("acct:2"); !res.Allowed || res.Remaining != 4 {
		t.Fatalf("another account: %+v, want its own budget", res)
	}
}
