package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to write from the server and read from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var runningAt = regexp.MustCompile(`running at (\S+) `)

// MustRunMain starts `starling serve` in-process on a free port with its data
// in a temporary folder, waits until /healthz answers and returns the base URL
// and the data folder. The server stops when the test ends.
func MustRunMain(tb testing.TB, extra ...string) (baseURL, data string) {
	tb.Helper()
	return MustRunMainOn(tb, tb.TempDir(), extra...)
}

// MustRunMainOn is MustRunMain with the data folder given.
func MustRunMainOn(tb testing.TB, data string, extra ...string) (baseURL, dataDir string) {
	tb.Helper()
	return MustRunMainEnv(tb, data, nil, extra...)
}

// MustRunMainEnv is MustRunMainOn with the environment variables the
// server sees (none but these).
func MustRunMainEnv(tb testing.TB, data string, env map[string]string, extra ...string) (baseURL, dataDir string) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	args := append([]string{"serve", "--listen", "127.0.0.1:0", "--data", data}, extra...)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, func(k string) string { return env[k] }, stdout, stderr) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("server stopped with error: %v\n%s", err, stderr.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := runningAt.FindStringSubmatch(stdout.String()); m != nil {
			baseURL = m[1]
			break
		}
		select {
		case err := <-done:
			tb.Fatalf("server exited early: %v\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if baseURL == "" {
		tb.Fatalf("server did not start:\n%s", stderr.String())
	}
	MustWaitHealthy(tb, baseURL)
	return baseURL, data
}

// MustWaitHealthy polls /healthz until it answers 200.
func MustWaitHealthy(tb testing.TB, baseURL string) {
	tb.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(baseURL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.Fatalf("%s/healthz never answered 200", baseURL)
}

// MustCreateAccount runs `starling admin create-account --token` and returns the token.
func MustCreateAccount(tb testing.TB, data, username string, extra ...string) string {
	tb.Helper()
	var out, errOut syncBuffer
	args := append([]string{"admin", "create-account", "--data", data, "--username", username,
		"--email", username + "@example.org", "--password", "password123", "--token"}, extra...)
	if err := run(context.Background(), args, func(string) string { return "" }, &out, &errOut); err != nil {
		tb.Fatalf("create-account %s: %v\n%s", username, err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return lines[len(lines)-1]
}

func TestConfigFromEnvironment(t *testing.T) {
	env := map[string]string{"STARLING_DB": "postgres://db.example/starling", "STARLING_MAX_CHARS": "1000", "STARLING_REGISTRATIONS": "open"}
	c, err := parseServeFlags([]string{"--max-chars", "800"}, func(k string) string { return env[k] }, &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != env["STARLING_DB"] || c.MaxChars != 800 || c.Registrations != "open" {
		t.Fatalf("config = %+v; want db from env, max-chars from the flag (flags beat env), registrations from env", c)
	}
	for name, args := range map[string][]string{
		"ErrRegistrations": {"--registrations", "sometimes"},
		"ErrMaxChars":      {"--max-chars", "0"},
		"ErrTLSHalf":       {"--tls-cert", "cert.pem"},
		"ErrDomain":        {"--domain", "https://care.example.org"},
		"ErrListen":        {"--listen", "8080"},
		"ErrExtraArg":      {"now"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseServeFlags(args, func(string) string { return "" }, &syncBuffer{}); err == nil {
				t.Fatalf("parseServeFlags(%v) accepted", args)
			}
		})
	}
	if _, err := parseServeFlags(nil, func(k string) string { return map[string]string{"STARLING_MAX_CHARS": "lots"}[k] }, &syncBuffer{}); err == nil {
		t.Fatal("STARLING_MAX_CHARS=lots accepted")
	}
}

func TestPublicURL(t *testing.T) {
	for name, tc := range map[string]struct {
		c       Config
		listen  string
		wantURL string
	}{
		"FromListen":      {Config{}, "127.0.0.1:8080", "http://127.0.0.1:8080"},
		"AnyAddress":      {Config{}, "[::]:8080", "http://localhost:8080"},
		"PublicDomain":    {Config{Domain: "Care.Example.org"}, "127.0.0.1:8080", "https://care.example.org"},
		"LoopbackDomain":  {Config{Domain: "127.0.0.1:8443"}, "127.0.0.1:8080", "http://127.0.0.1:8443"},
		"TLSWithLoopback": {Config{Domain: "127.0.0.1:8443", TLSCert: "c", TLSKey: "k"}, "127.0.0.1:8443", "https://127.0.0.1:8443"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, got := tc.c.publicURL(tc.listen); got != tc.wantURL {
				t.Fatalf("publicURL = %q, want %q", got, tc.wantURL)
			}
		})
	}
}

func TestHealthz(t *testing.T) {
	base, _ := MustRunMain(t)
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("healthz = %d", resp.StatusCode)
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	if !strings.Contains(body.String(), `"ok"`) {
		t.Fatalf("healthz body = %s", body.String())
	}
}

func TestMetricsListener(t *testing.T) {
	addr := freeAddr(t)
	base, data := MustRunMain(t, "--metrics-listen", addr)
	token := MustCreateAccount(t, data, "alice")
	MustPostForm(t, base+"/api/v1/statuses", token, map[string][]string{"status": {"measured"}})
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	for _, want := range []string{
		`starling_http_request_duration_seconds_count{method="POST",route="POST /api/v1/statuses",status="2xx"} 1`,
		`starling_db_statement_duration_seconds_count{op="exec",outcome="ok"}`,
		`starling_db_transaction_duration_seconds_count{outcome="ok"}`,
		`process_cpu_seconds_total`,
		`go_goroutines`,
	} {
		if !strings.Contains(body.String(), want) {
			var have []string
			for _, line := range strings.Split(body.String(), "\n") {
				if strings.HasPrefix(line, "starling_") && strings.Contains(line, "_count") {
					have = append(have, line)
				}
			}
			t.Errorf("/metrics lacks %s; it has:\n%s", want, strings.Join(have, "\n"))
		}
	}
	if resp, err := http.Get("http://" + addr + "/debug/pprof/heap?debug=1"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("pprof heap: %v %v", resp, err)
	}
	// Neither is on the public listener.
	for _, path := range []string{"/metrics", "/debug/pprof/"} {
		if resp, err := http.Get(base + path); err != nil || resp.StatusCode != http.StatusNotFound {
			t.Fatalf("public %s = %v, %v; want 404", path, resp.Status, err)
		}
	}
	if _, err := parseServeFlags([]string{"--metrics-listen", "0.0.0.0:9090"}, func(string) string { return "" }, &syncBuffer{}); err == nil {
		t.Fatal("a public --metrics-listen address was accepted")
	}
}

func TestAdminToken(t *testing.T) {
	base, data := MustRunMain(t)
	MustCreateAccount(t, data, "alice")
	var out, errOut syncBuffer
	if err := run(context.Background(), []string{"admin", "token", "--data", data, "--username", "alice"}, func(string) string { return "" }, &out, &errOut); err != nil {
		t.Fatalf("admin token: %v\n%s", err, errOut.String())
	}
	token := strings.TrimSpace(out.String())
	req, _ := http.NewRequest("GET", base+"/api/v1/accounts/verify_credentials", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("verify_credentials with the printed token: %d", resp.StatusCode)
	}
	if err := run(context.Background(), []string{"admin", "token", "--data", data, "--username", "nobody"}, func(string) string { return "" }, &out, &errOut); err == nil {
		t.Fatal("a token for an unknown account")
	}
}
