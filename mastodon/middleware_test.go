package mastodon_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"starling/apptest"
	"starling/mastodon"
	"starling/server"
)

func headerList(h http.Header, key string) []string {
	var out []string
	for _, v := range h.Values(key) {
		for _, part := range strings.Split(v, ",") {
			out = append(out, strings.ToLower(strings.TrimSpace(part)))
		}
	}
	return out
}

// TestCORS checks browser apps on other origins can call the API with a token.
func TestCORS(t *testing.T) {
	ts := MustServer(t, "sqlite")
	alice := ts.MustUser(t, "alice")
	ts.MustPostText(t, alice.Token, "one")
	ts.MustPostText(t, alice.Token, "two")

	for _, path := range []string{"/api/v1/statuses", "/oauth/token", "/.well-known/webfinger", "/api/v1/timelines/home"} {
		t.Run("Preflight"+path, func(t *testing.T) {
			res := ts.MustDo(t, request{method: "OPTIONS", path: path, header: map[string]string{
				"Origin": "https://app.example", "Access-Control-Request-Method": "POST",
				"Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
			}})
			if res.Status != http.StatusNoContent {
				t.Errorf("status %d, want 204", res.Status)
			}
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin %q, want *", got)
			}
			allowed := headerList(res.Header, "Access-Control-Allow-Headers")
			for _, h := range []string{"authorization", "content-type", "idempotency-key"} {
				if !slices.Contains(allowed, h) {
					t.Errorf("Access-Control-Allow-Headers %v lacks %s", allowed, h)
				}
			}
			if methods := headerList(res.Header, "Access-Control-Allow-Methods"); !slices.Contains(methods, "post") {
				t.Errorf("Access-Control-Allow-Methods %v lacks POST", methods)
			}
		})
	}
	t.Run("ExposesLink", func(t *testing.T) {
		for _, r := range []request{
			get("/api/v1/timelines/home?limit=1", alice.Token),
			get("/api/v1/timelines/home", ""), // errors too, so the browser app can read them
			get("/.well-known/webfinger?resource=acct:alice@"+ts.Host, ""),
			post("/oauth/token", "", url.Values{"grant_type": {"client_credentials"}}),
		} {
			r.header = map[string]string{"Origin": "https://app.example"}
			res := ts.MustDo(t, r)
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("%s: Access-Control-Allow-Origin %q, want *", r.path, got)
			}
			if exposed := headerList(res.Header, "Access-Control-Expose-Headers"); !slices.Contains(exposed, "link") {
				t.Errorf("%s: Access-Control-Expose-Headers %v lacks Link", r.path, exposed)
			}
		}
		res := ts.MustDo(t, get("/api/v1/timelines/home?limit=1", alice.Token))
		if res.Header.Get("Link") == "" {
			t.Error("no Link header on a page of the home timeline")
		}
	})
	t.Run("NoCredentials", func(t *testing.T) {
		res := ts.MustDo(t, request{method: "GET", path: "/api/v1/instance", header: map[string]string{"Origin": "https://app.example"}})
		if got := res.Header.Get("Access-Control-Allow-Credentials"); got != "" {
			t.Errorf("Access-Control-Allow-Credentials %q with a wildcard origin", got)
		}
	})
}

// TestRecovery checks a handler that panics answers 500 in JSON, and the
// server goes on serving.
func TestRecovery(t *testing.T) {
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler)) // the stacks of the panics below are expected
	t.Cleanup(func() { slog.SetDefault(prev) })
	mux := http.NewServeMux()
	mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	mux.HandleFunc("/panic-after-write", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		panic("boom")
	})
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		server.WriteJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	srv := httptest.NewServer(server.Chain(mux, server.WithRecovery, server.WithCORS))
	t.Cleanup(srv.Close)
	ts := &testServer{URL: srv.URL}

	for range 3 {
		res := ts.MustDo(t, get("/panic", ""))
		if res.Status != http.StatusInternalServerError {
			t.Errorf("status %d, want 500", res.Status)
		}
		MustBeJSON(t, res)
		if !strings.Contains(string(res.Body), `"error"`) {
			t.Errorf("body %s is not an error", res.Body)
		}
		if res := ts.MustDo(t, get("/ok", "")); res.Status != http.StatusOK {
			t.Errorf("after a panic, /ok answered %d", res.Status)
		}
	}
	// Once the status is out, it cannot change; the server must still live on.
	if res := ts.MustDo(t, get("/panic-after-write", "")); res.Status != http.StatusAccepted {
		t.Errorf("status %d, want the 202 already written", res.Status)
	}
	if res := ts.MustDo(t, get("/ok", "")); res.Status != http.StatusOK {
		t.Errorf("after a late panic, /ok answered %d", res.Status)
	}
}

func TestTokenEndpointRateLimited(t *testing.T) {
	svc, _ := apptest.MustService(t, "sqlite", apptest.Instance())
	srv := httptest.NewServer(mastodon.NewHandler(svc, mastodon.Options{Limiter: server.NewLimiter(time.Hour, 2)}))
	defer srv.Close()
	for i, want := range []int{401, 401, 429} { // an unknown client, twice, then the limit
		resp, err := http.PostForm(srv.URL+"/oauth/token", url.Values{"grant_type": {"password"}, "client_id": {"x"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("attempt %d: status %d, want %d", i+1, resp.StatusCode, want)
		}
		if want == 429 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("429 is not JSON: %s", resp.Header.Get("Content-Type"))
		}
	}
}
