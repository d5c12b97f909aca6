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
