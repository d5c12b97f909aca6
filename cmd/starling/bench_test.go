package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling/loadtest"
)

func TestParseBenchFlags(t *testing.T) {
	cfg, jsonPath, err := parseBenchFlags([]string{"--url", "http://127.0.0.1:8080", "--register", "10", "--phases", "freshness, home",
		"--duration", "5s", "--json", "out.json"}, &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	want := loadtest.DefaultConfig()
	want.BaseURL, want.Register, want.Phases, want.Duration = "http://127.0.0.1:8080", 10, []string{"home", "freshness"}, 5*time.Second
	if diff := cmp.Diff(want, cfg); diff != "" || jsonPath != "out.json" {
		t.Fatalf("config (-want +got):\n%s\njson %q", diff, jsonPath)
	}
	for name, args := range map[string][]string{
		"ErrNoURL":      {"--register", "5"},
		"ErrBadURL":     {"--url", "127.0.0.1:8080", "--register", "5"},
		"ErrNoUsers":    {"--url", "http://x"},
		"ErrTwoSources": {"--url", "http://x", "--register", "5", "--tokens", "t.txt"},
		"ErrPhase":      {"--url", "http://x", "--register", "5", "--phases", "home,lunch"},
		"ErrSetup":      {"--url", "http://x", "--register", "5", "--setup", "some"},
		"ErrDuration":   {"--url", "http://x", "--register", "5", "--duration", "0s"},
		"ErrExtraArg":   {"--url", "http://x", "--register", "5", "now"},
		"ErrTokensOut":  {"--url", "http://x", "--tokens", "t.txt", "--tokens-out", "u.txt"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := parseBenchFlags(args, &syncBuffer{}); err == nil {
				t.Fatalf("parseBenchFlags(%v) accepted", args)
			}
		})
	}
}

// TestBench runs every phase against a real server for a second each, with
// accounts it registers, then again with the tokens it saved.
func TestBench(t *testing.T) {
	// As a load test is run: Mastodon's per-account and sign-up limits off.
	base, _ := MustRunMainEnv(t, t.TempDir(), map[string]string{"STARLING_RATE_LIMITS": "off"}, "--registrations", "open", "--auth-rate", "0")
	dir := t.TempDir()
	jsonPath, tokensPath := filepath.Join(dir, "bench.json"), filepath.Join(dir, "tokens.txt")
	var stdout, stderr syncBuffer
	// The server runs in this process, so --server-pid measures it (and the load) here.
	err := run(context.Background(), []string{"bench", "--url", base, "--register", "6", "--tokens-out", tokensPath,
		"--duration", "1s", "--concurrency", "4", "--follows", "3", "--server-pid", strconv.Itoa(os.Getpid()), "--stream", "--json", jsonPath},
		func(string) string { return "" }, &stdout, &stderr)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr.String())
	}
	t.Logf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())

	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var rep loadtest.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	if !strings.Contains(rep.ServerVersion, "Starling") || rep.Settings.Users != 6 {
		t.Fatalf("report header: version %q, %d users", rep.ServerVersion, rep.Settings.Users)
	}
	var names []string
	for _, p := range rep.Phases {
		names = append(names, p.Name)
		if p.Requests == 0 || p.ErrorCount != 0 || len(p.Errors) != 0 {
			t.Errorf("phase %s: %d requests, errors %v; want some requests and no errors", p.Name, p.Requests, p.Errors)
		}
		if l := p.Latency; l.P50 <= 0 || l.P50 > l.P90 || l.P90 > l.P99 || l.P99 > l.Max || l.Max > 5000 {
			t.Errorf("phase %s: latency percentiles %+v are not sane", p.Name, l)
		}
		if p.RPS <= 0 || p.DurationSeconds < 0.5 {
			t.Errorf("phase %s: %.1f req/s over %.2fs", p.Name, p.RPS, p.DurationSeconds)
		}
		if u := p.Server; u == nil || u.RssAnonMiB <= 0 || u.RssAnonPeakMiB < u.RssAnonMiB || u.CPUSeconds < 0 {
			t.Errorf("phase %s: server usage %+v", p.Name, u)
		} else if p.Name != "baseline" && u.CPUVsBaseline == nil && u.CPUMicrosPerRequest > 0 {
			t.Errorf("phase %s: no comparison with the baseline", p.Name)
		}
	}
	if diff := cmp.Diff(loadtest.Phases, names); diff != "" {
		t.Fatalf("phases (-want +got):\n%s", diff)
	}
	f := rep.Phases[len(rep.Phases)-1].Freshness
	if f == nil || f.Seen == 0 || f.Missed != 0 || f.Delay.Max <= 0 || f.Stream == "" {
		t.Fatalf("freshness %+v: want posts seen, none missed, and the streaming placeholder", f)
	}
	for _, want := range []string{"successful requests only", "baseline", "freshness", "cpu µs/req", "streaming freshness: not measured yet"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("table lacks %q", want)
		}
	}

	// The saved tokens bring back the same users, with their follows and posts.
	tokens, err := os.ReadFile(tokensPath)
	if err != nil || strings.Count(string(tokens), "\n") != 6 {
		t.Fatalf("tokens file: %v\n%s", err, tokens)
	}
	stdout = syncBuffer{}
	err = run(context.Background(), []string{"bench", "--url", base, "--tokens", tokensPath, "--setup", "none",
		"--phases", "home,freshness", "--duration", "300ms", "--concurrency", "2"},
		func(string) string { return "" }, &stdout, &stderr)
	if err != nil {
		t.Fatalf("bench with tokens: %v\n%s", err, stderr.String())
	}
	if out := stdout.String(); !strings.Contains(out, "home") || !strings.Contains(out, "freshness: ") || strings.Contains(out, "skipped") {
		t.Fatalf("second run:\n%s", out)
	}
}
