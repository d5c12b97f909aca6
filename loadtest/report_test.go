package loadtest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func sampleReport() *Report {
	vs := 4.5
	return &Report{
		URL: "http://127.0.0.1:8080", ServerVersion: "4.3.0 (compatible; Starling 0.1.0)",
		StartedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		Settings: Settings{Users: 50, Registered: true, Setup: SetupFull, Follows: 20, Skew: 1.1, SeedPosts: 5,
			Concurrency: 32, DurationSeconds: 10, Phases: []string{"baseline", "home", "freshness"}, Seed: 1, FreshPairs: 4, ServerPID: 99, ClockTicks: 100},
		Phases: []PhaseResult{
			{Name: "baseline", Concurrency: 32, DurationSeconds: 10, Requests: 100000, OK: 100000, Errors: map[string]int{}, RPS: 10000,
				Latency: Percentiles{P50: 0.5, P90: 1, P99: 3, Max: 12},
				Server:  &ServerUsage{CPUSeconds: 8, CPUMicrosPerRequest: 80, RssAnonMiB: 20, RssAnonPeakMiB: 22}},
			{Name: "home", Concurrency: 32, DurationSeconds: 10, Requests: 20016, OK: 20000, ErrorCount: 16,
				Errors: map[string]int{"500": 3, "429": 12, "net": 1}, RPS: 2001.6,
				Latency: Percentiles{P50: 4, P90: 9, P99: 14, Max: 22}, ErrorLatency: &Percentiles{P50: 1, P90: 2, P99: 3, Max: 4},
				Server: &ServerUsage{CPUSeconds: 7.2, CPUMicrosPerRequest: 360, CPUVsBaseline: &vs, RssAnonMiB: 30, RssAnonPeakMiB: 31}},
			{Name: "freshness", Concurrency: 4, DurationSeconds: 10, Requests: 3000, OK: 3000, Errors: map[string]int{}, RPS: 300,
				Freshness: &FreshnessResult{Pairs: 4, Probes: 900, Seen: 899, Missed: 1, Delay: Percentiles{P50: 1.2, P90: 3, P99: 5, Max: 9}, Stream: streamNote}},
		},
		Notes: []string{"baseline: GET /healthz answered 404"},
	}
}

func TestReportTable(t *testing.T) {
	var b strings.Builder
	if err := sampleReport().WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	t.Log("\n" + out)
	for _, want := range []string{
		"successful requests only",
		"cpu µs/req", "×baseline", "RssAnon MiB",
		"429:12 500:3 net:1",
		"4.50", // home's CPU per request over the baseline's
		"never appeared within 10s: 1",
		"streaming freshness: not measured yet",
		"note: baseline: GET /healthz answered 404",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q", want)
		}
	}
	// One line per phase, and the errors column, the only one of varying
	// width, starts where its header does.
	lines := strings.Split(out, "\n")
	var header int
	for i, l := range lines {
		if strings.Contains(l, "requests") && strings.Contains(l, "p99") {
			header = i
		}
	}
	for _, l := range lines[header+1 : header+4] {
		if !strings.HasPrefix(strings.TrimSpace(l), "baseline") && !strings.HasPrefix(strings.TrimSpace(l), "home") && !strings.HasPrefix(strings.TrimSpace(l), "freshness") {
			t.Errorf("unexpected row %q", l)
		}
		// In runes: the header holds µ and ×.
		i := utf8.RuneCountInString(lines[header][:strings.Index(lines[header], "errors")])
		if j := utf8.RuneCountInString(l[:strings.LastIndex(l, "  ")+2]); j != i {
			t.Errorf("errors column of %q starts at %d, header's at %d", l, j, i)
		}
	}
}

func TestReportJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench.json")
	want := sampleReport()
	if err := want.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got Report
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, &got); diff != "" {
		t.Fatalf("JSON round trip (-want +got):\n%s", diff)
	}
	// Field names are part of the format that scripts read.
	for _, key := range []string{`"phase": "home"`, `"latency_ms"`, `"p99": 14`, `"cpu_us_per_request": 360`, `"cpu_vs_baseline": null`, `"server_version"`, `"errors": {`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

func TestFormatErrors(t *testing.T) {
	for want, in := range map[string]map[string]int{
		"-":                  nil,
		"net:1":              {"net": 1},
		"429:12 500:3 net:1": {"500": 3, "429": 12, "net": 1},
		"500:2 503:2":        {"503": 2, "500": 2},
	} {
		if got := formatErrors(in); got != want {
			t.Errorf("formatErrors(%v) = %q, want %q", in, got, want)
		}
	}
}
