package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"starling"
	"starling/apptest"
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

// TestLimitFormsByAccount: once signed in, a member's posted forms count
// against their account's budget whichever session (or address) they come
// from; another member has their own; signed-out posts are not counted
// per account; past the limit the answer is a 429 page.
func TestLimitFormsByAccount(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{FormLimiter: server.NewLimiterPer(3, time.Minute)})
	apptest.MustAccount(t, env.svc, "ann")
	apptest.MustAccount(t, env.svc, "bob")
	phone, laptop, bob := env.newBrowser(), env.newBrowser(), env.newBrowser()
	phone.signIn("ann@example.org", "password123") // signed-out posts do not count against ann
	laptop.signIn("ann@example.org", "password123")
	bob.signIn("bob@example.org", "password123")
	save := func(b *browser, name string) *response {
		t.Helper()
		return b.submit(b.get("/settings/profile"), "/settings/profile", url.Values{"display_name": {name}, "discoverable": {"1"}})
	}
	for i, b := range []*browser{phone, laptop, phone} {
		if res := save(b, "Ann"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("post %d: %d", i+1, res.StatusCode)
		} else if got := res.Header.Get("X-RateLimit-Remaining"); got != strconv.Itoa(2-i) {
			t.Errorf("post %d: X-RateLimit-Remaining %q, want %d", i+1, got, 2-i)
		}
	}
	res := save(laptop, "Ann again")
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(res.Body, "too many requests from your account") {
		t.Fatalf("fourth post from another session: %d %q: %s", res.StatusCode, res.Header.Get("Retry-After"), res.Body)
	}
	if a, _ := env.svc.LookupAccount(context.Background(), "ann"); a.DisplayName != "Ann" {
		t.Errorf("the refused post changed the profile: %q", a.DisplayName)
	}
	if res := laptop.get("/settings/profile"); res.StatusCode != http.StatusOK {
		t.Errorf("reading a page past the limit: %d", res.StatusCode)
	}
	if res := save(bob, "Bob"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another member: %d", res.StatusCode)
	}
}
