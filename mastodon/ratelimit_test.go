package mastodon_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"starling/apptest"
	"starling/events"
	"starling/mastodon"
	"starling/server"
)

// limitedServer is the API with low limits: 5 requests a minute in
// general, 2 media uploads and 2 deletions a minute.
func limitedServer(t *testing.T) (url string, tokens []string) {
	t.Helper()
	svc, _ := apptest.MustService(t, "sqlite", apptest.Instance())
	svc.SetEvents(events.NewHub(0))
	limits := mastodon.RateLimits{
		API:     mastodon.Rate{N: 5, Period: time.Minute},
		Media:   mastodon.Rate{N: 2, Period: time.Minute},
		Deletes: mastodon.Rate{N: 2, Period: time.Minute},
	}
	srv := httptest.NewServer(server.Chain(mastodon.NewHandler(svc, mastodon.Options{RateLimits: &limits}), server.WithRecovery, server.WithCORS))
	t.Cleanup(srv.Close)
	for _, name := range []string{"alice", "bob", "carol"} {
		tokens = append(tokens, apptest.MustToken(t, svc, apptest.MustAccount(t, svc, name)))
	}
	return srv.URL, tokens
}

type rlResult struct {
	status    int
	limit     int
	remaining int
	reset     time.Time
	header    http.Header
	body      string
}

func rlCall(t *testing.T, method, url, token, ip string) rlResult {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ip != "" { // the test client is on loopback, so it is a trusted proxy
		req.Header.Set("X-Forwarded-For", ip)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	out := rlResult{status: resp.StatusCode, header: resp.Header, body: string(body), limit: -1, remaining: -1}
	if v := resp.Header.Get("X-RateLimit-Limit"); v != "" {
		out.limit, _ = strconv.Atoi(v)
	}
	if v := resp.Header.Get("X-RateLimit-Remaining"); v != "" {
		out.remaining, _ = strconv.Atoi(v)
	}
	if v := resp.Header.Get("X-RateLimit-Reset"); v != "" {
		if out.reset, err = time.Parse(time.RFC3339, v); err != nil {
			t.Fatalf("X-RateLimit-Reset %q is not RFC 3339: %v", v, err)
		}
	}
	return out
}

func TestRateLimitPerAccount(t *testing.T) {
	url, tokens := limitedServer(t)
	alice, bob := tokens[0], tokens[1]
	verify := url + "/api/v1/accounts/verify_credentials"
	start := time.Now()
	for i := 1; i <= 5; i++ {
		res := rlCall(t, "GET", verify, alice, "")
		if res.status != http.StatusOK || res.limit != 5 || res.remaining != 5-i {
			t.Fatalf("request %d: status %d, limit %d, remaining %d; want 200, 5, %d", i, res.status, res.limit, res.remaining, 5-i)
		}
		if !res.reset.After(start) || res.reset.After(time.Now().Add(time.Minute+time.Second)) {
			t.Fatalf("request %d: reset %v is not within the next minute", i, res.reset)
		}
	}
	res := rlCall(t, "GET", verify, alice, "")
	if res.status != http.StatusTooManyRequests {
		t.Fatalf("6th request: status %d, want 429", res.status)
	}
	var e map[string]string
	if err := json.Unmarshal([]byte(res.body), &e); err != nil || e["error"] != "Too many requests" {
		t.Fatalf("429 body %q, want Mastodon's JSON error", res.body)
	}
	if !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		t.Fatalf("429 Content-Type %q", res.header.Get("Content-Type"))
	}
	if res.limit != 5 || res.remaining != 0 || !res.reset.After(time.Now()) {
		t.Fatalf("429 headers: limit %d remaining %d reset %v", res.limit, res.remaining, res.reset)
	}
	if ra, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || ra < 1 || ra > 12 {
		t.Fatalf("Retry-After %q, want 1..12 s (one request comes back every 12 s)", res.header.Get("Retry-After"))
	}
	// Another account, from the same address, has its own budget.
	if res := rlCall(t, "GET", verify, bob, ""); res.status != http.StatusOK || res.remaining != 4 {
		t.Fatalf("second account: status %d remaining %d, want 200 and 4", res.status, res.remaining)
	}
	// Streaming is not counted.
	for range 3 {
		if res := rlCall(t, "GET", url+"/api/v1/streaming/health", alice, ""); res.status != http.StatusOK || res.limit != -1 {
			t.Fatalf("streaming health: status %d, limit header %d; want 200 without limit headers", res.status, res.limit)
		}
	}
	// The browser apps on other origins may read the headers.
	if !strings.Contains(res.header.Get("Access-Control-Expose-Headers"), "X-RateLimit-Remaining") {
		t.Fatalf("rate-limit headers not exposed to CORS: %q", res.header.Get("Access-Control-Expose-Headers"))
	}
}

func TestRateLimitPerAddressWhenUnauthenticated(t *testing.T) {
	url, tokens := limitedServer(t)
	instance := url + "/api/v1/instance"
	for i := 1; i <= 5; i++ {
		if res := rlCall(t, "GET", instance, "", "198.51.100.1"); res.status != http.StatusOK || res.remaining != 5-i {
			t.Fatalf("request %d: status %d remaining %d", i, res.status, res.remaining)
		}
	}
	if res := rlCall(t, "GET", instance, "", "198.51.100.1"); res.status != http.StatusTooManyRequests {
		t.Fatalf("6th request from one address: %d, want 429", res.status)
	}
	if res := rlCall(t, "GET", instance, "", "198.51.100.2"); res.status != http.StatusOK || res.remaining != 4 {
		t.Fatalf("another address: status %d remaining %d, want 200 and 4", res.status, res.remaining)
	}
	// A signed-in member at the throttled address counts against their account.
	if res := rlCall(t, "GET", instance, tokens[0], "198.51.100.1"); res.status != http.StatusOK || res.remaining != 4 {
		t.Fatalf("signed in at the throttled address: status %d remaining %d, want 200 and 4", res.status, res.remaining)
	}
}

func TestRateLimitMediaUploadsStricter(t *testing.T) {
	url, tokens := limitedServer(t)
	carol := tokens[2]
	for i := 1; i <= 2; i++ {
		// An empty upload is refused, but it counts all the same.
		res := rlCall(t, "POST", url+"/api/v2/media", carol, "")
		if res.status == http.StatusTooManyRequests || res.limit != 2 || res.remaining != 2-i {
			t.Fatalf("upload %d: status %d limit %d remaining %d; want the media budget (2) reported", i, res.status, res.limit, res.remaining)
		}
	}
	res := rlCall(t, "POST", url+"/api/v1/media", carol, "")
	if res.status != http.StatusTooManyRequests || res.limit != 2 || res.remaining != 0 {
		t.Fatalf("3rd upload: status %d limit %d remaining %d; want 429 from the media budget", res.status, res.limit, res.remaining)
	}
	if !res.reset.After(time.Now().Add(30 * time.Second)) {
		t.Fatalf("media reset %v: want a minute's refill away", res.reset)
	}
	// The general budget still has room: 3 of 5 used.
	if res := rlCall(t, "GET", url+"/api/v1/accounts/verify_credentials", carol, ""); res.status != http.StatusOK || res.limit != 5 || res.remaining != 1 {
		t.Fatalf("after the uploads: status %d limit %d remaining %d, want 200, 5, 1", res.status, res.limit, res.remaining)
	}
}

func TestRateLimitDeletionsStricter(t *testing.T) {
	url, tokens := limitedServer(t)
	alice := tokens[0]
	// Deleting or unreblogging statuses that do not exist: refused (404),
	// but counted, so the third is over the deletion budget of 2.
	paths := []string{"DELETE /api/v1/statuses/1", "POST /api/v1/statuses/2/unreblog", "DELETE /api/v1/statuses/3"}
	for i, p := range paths {
		method, path, _ := strings.Cut(p, " ")
		res := rlCall(t, method, url+path, alice, "")
		if over := res.status == http.StatusTooManyRequests; over != (i == 2) || res.limit != 2 {
			t.Fatalf("%s: status %d limit %d", p, res.status, res.limit)
		}
	}
}

func TestRateLimitsOffByDefault(t *testing.T) {
	ts := MustServer(t, "sqlite")
	res := rlCall(t, "GET", ts.URL+"/api/v1/instance", "", "")
	if res.status != http.StatusOK || res.limit != -1 {
		t.Fatalf("without RateLimits: status %d, X-RateLimit-Limit %d; want no limit", res.status, res.limit)
	}
}
