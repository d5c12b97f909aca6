package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"starling/server"
)

// TestLimitForms: posted forms count against the budget per address,
// pages read do not, and past the limit the answer is a 429 page.
func TestLimitForms(t *testing.T) {
	h := LimitForms(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }),
		server.NewLimiterPer(2, time.Minute))
	do := func(method, addr string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, "/statuses", nil)
		r.RemoteAddr = addr + ":4000"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for i := range 2 {
		if w := do("POST", "203.0.113.1"); w.Code != http.StatusNoContent || w.Header().Get("X-RateLimit-Remaining") != []string{"1", "0"}[i] {
			t.Fatalf("post %d: %d, remaining %q", i+1, w.Code, w.Header().Get("X-RateLimit-Remaining"))
		}
	}
	if w := do("GET", "203.0.113.1"); w.Code != http.StatusNoContent || w.Header().Get("X-RateLimit-Limit") != "" {
		t.Fatalf("a page read: %d, headers %v; want it not counted", w.Code, w.Header())
	}
	r := httptest.NewRequest("POST", "/compose/check", nil)
	r.RemoteAddr = "203.0.113.1:4000"
	check := httptest.NewRecorder()
	if h.ServeHTTP(check, r); check.Code != http.StatusNoContent {
		t.Fatalf("the live check as one types: %d, want it not counted", check.Code)
	}
	w := do("POST", "203.0.113.1")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("third post: %d, Retry-After %q; want 429", w.Code, w.Header().Get("Retry-After"))
	}
	if w := do("POST", "203.0.113.2"); w.Code != http.StatusNoContent {
		t.Fatalf("another address: %d", w.Code)
	}
	w = httptest.NewRecorder()
	LimitForms(http.NotFoundHandler(), nil).ServeHTTP(w, httptest.NewRequest("POST", "/statuses", nil))
	if w.Code != http.StatusNotFound || w.Header().Get("X-RateLimit-Limit") != "" {
		t.Fatalf("with a nil limiter: %d %v, want the handler untouched", w.Code, w.Header())
	}
}
