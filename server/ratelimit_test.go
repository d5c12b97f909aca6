package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	l := NewLimiter(time.Hour, 3)
	h := l.Wrap(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	call := func(remote, xff string) int {
		r := httptest.NewRequest("POST", "/oauth/token", nil)
		r.RemoteAddr = remote
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		w := httptest.NewRecorder()
		h(w, r)
		return w.Code
	}
	for i := 0; i < 3; i++ {
		if got := call("203.0.113.5:4000", ""); got != http.StatusNoContent {
			t.Fatalf("request %d = %d, want 204", i+1, got)
		}
	}
	if got := call("203.0.113.5:4001", ""); got != http.StatusTooManyRequests {
		t.Fatalf("request over the burst = %d, want 429", got)
	}
	if got := call("203.0.113.6:4000", ""); got != http.StatusNoContent {
		t.Fatalf("another address = %d, want 204", got)
	}
	// Behind a local proxy, clients are told apart by the address it forwards.
	for i := 0; i < 3; i++ {
		call("127.0.0.1:5000", "198.51.100.1")
	}
	if got := call("127.0.0.1:5000", "198.51.100.2"); got != http.StatusNoContent {
		t.Fatalf("second client behind the proxy = %d, want 204", got)
	}
	// A public peer cannot choose its address with the header.
	if got := call("203.0.113.5:4002", "198.51.100.9"); got != http.StatusTooManyRequests {
		t.Fatalf("spoofed X-Forwarded-For from a public address = %d, want 429", got)
	}
}

// TestGCRAArithmetic: remaining counts down from the burst, the reset is
// when the bucket is full again, and a refusal says how long to wait.
func TestGCRAArithmetic(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	every, burst := 12*time.Second, 5 // 5 a minute
	var full time.Time
	for i := 1; i <= burst; i++ {
		var res Result
		full, res = gcra(now, full, every, burst)
		if !res.Allowed || res.Limit != burst || res.Remaining != burst-i {
			t.Fatalf("request %d: %+v, want allowed with %d remaining", i, res, burst-i)
		}
		if want := now.Add(time.Duration(i) * every); !res.Reset.Equal(want) {
			t.Fatalf("request %d: reset %v, want %v", i, res.Reset, want)
		}
	}
	full, res := gcra(now, full, every, burst)
	if res.Allowed || res.Remaining != 0 || res.RetryAfter != every || !res.Reset.Equal(now.Add(time.Minute)) {
		t.Fatalf("over the limit: %+v, want refused, 0 remaining, retry in %v, reset in a minute", res, every)
	}
	// Part of a token back is not a request yet; a whole one is.
	if _, res := gcra(now.Add(every-time.Millisecond), full, every, burst); res.Allowed || res.Remaining != 0 {
		t.Fatalf("just before a token is back: %+v", res)
	}
	full, res = gcra(now.Add(every), full, every, burst)
	if !res.Allowed || res.Remaining != 0 {
		t.Fatalf("one interval later: %+v, want allowed with 0 remaining", res)
	}
	// Idle for longer than the period: full again.
	if _, res := gcra(now.Add(time.Hour), full, every, burst); !res.Allowed || res.Remaining != burst-1 ||
		!res.Reset.Equal(now.Add(time.Hour+every)) {
		t.Fatalf("after an idle hour: %+v", res)
	}
}

func TestLimiterCheckAndHeaders(t *testing.T) {
	l := NewLimiterPer(300, 5*time.Minute)
	if l.Limit() != 300 || l.every != time.Second {
		t.Fatalf("300 per 5 minutes: burst %d every %v", l.Limit(), l.every)
	}
	start := time.Now()
	res := l.Check("acct:1")
	if !res.Allowed || res.Remaining != 299 || res.Reset.Before(start) || res.Reset.After(time.Now().Add(time.Second)) {
		t.Fatalf("first check: %+v", res)
	}
	if res := l.Check("acct:2"); res.Remaining != 299 {
		t.Fatalf("another key shares the budget: %+v", res)
	}
	h := http.Header{}
	res.SetHeaders(h)
	if h.Get("X-RateLimit-Limit") != "300" || h.Get("X-RateLimit-Remaining") != "299" {
		t.Fatalf("headers %v", h)
	}
	reset, err := time.Parse(time.RFC3339, h.Get("X-RateLimit-Reset"))
	if err != nil || reset.Sub(res.Reset).Abs() > time.Microsecond {
		t.Fatalf("X-RateLimit-Reset %q: %v, %v", h.Get("X-RateLimit-Reset"), reset, err)
	}
	if got := (Result{RetryAfter: 1500 * time.Millisecond}).RetryAfterSeconds(); got != 2 {
		t.Fatalf("Retry-After for 1.5 s = %d, want 2", got)
	}
}
