package loadtest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"starling/apptest"
	"starling/events"
	"starling/mastodon"
	"starling/server"
)

// TestRunStreams holds 20 streams of each kind on a real server in this
// process, posts three times and checks that every stream saw every post
// and that the figures make sense.
func TestRunStreams(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	in := apptest.Instance()
	in.Domain, in.BaseURL = srv.Listener.Addr().String(), "http://"+srv.Listener.Addr().String()
	svc, _ := apptest.MustService(t, "sqlite", in)
	svc.SetEvents(events.NewHub(0))
	srv.Config.Handler = server.Chain(mastodon.NewHandler(svc, mastodon.Options{}), server.WithRecovery)
	srv.Start()
	t.Cleanup(srv.Close)

	var tokens strings.Builder
	for i := range 2 {
		a := apptest.MustAccount(t, svc, fmt.Sprintf("poster%d", i))
		tokens.WriteString(apptest.MustToken(t, svc, a) + "\n")
	}
	tokensPath := filepath.Join(t.TempDir(), "tokens.txt")
	if err := os.WriteFile(tokensPath, []byte(tokens.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	for _, kind := range []string{StreamWebSocket, StreamSSE} {
		t.Run(kind, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.BaseURL, cfg.TokensFile, cfg.Setup = srv.URL, tokensPath, SetupNone
			cfg.ServerPID = os.Getpid() // the server is this process
			sc := DefaultStreamConfig()
			sc.Connections, sc.Kind, sc.Tag, sc.Posts, sc.Rate, sc.DialConcurrency, sc.Wait = 20, kind, "#AdassSpring", 3, 20, 5, 5*time.Second
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			rep, err := RunStreams(ctx, cfg, sc)
			if err != nil {
				t.Fatal(err)
			}
			var table strings.Builder
			if err := rep.WriteTable(&table); err != nil {
				t.Fatal(err)
			}
			t.Logf("\n%s", table.String())

			if c := rep.Connect; c.Opened != 20 || c.Failed != 0 || c.WarmupSeen != 20 || c.PerSecond <= 0 || c.Handshake.P50 <= 0 {
				t.Errorf("connect %+v: want 20 streams opened, none failed, all warmed up", c)
			}
			if p := rep.Posts; p.Posted != 3 || p.Failed != 0 || p.Latency.P50 <= 0 {
				t.Errorf("posts %+v: want 3 answered", p)
			}
			d := rep.Delivery
			if d.Expected != 60 || d.Received != 60 || d.Missed != 0 || d.Dropped != 0 || d.Duplicates != 0 || d.Foreign != 0 {
				t.Fatalf("delivery %+v: want each of 3 posts on each of 20 streams, once", d)
			}
			ordered := func(name string, p Percentiles) {
				if p.P50 > p.P90 || p.P90 > p.P99 || p.P99 > p.Max || p.Max > 5000 {
					t.Errorf("%s: percentiles %+v out of order or over 5 s", name, p)
				}
			}
			ordered("from answer", d.FromAnswer)
			ordered("from sent", d.FromSent)
			ordered("last stream", d.LastStream)
			if d.FromCreated == nil || d.FromCreated.P50 <= 0 {
				t.Errorf("from created_at %+v: want positive times, client and server sharing a clock", d.FromCreated)
			} else {
				ordered("from created_at", *d.FromCreated)
			}
			if d.FromSent.P50 <= 0 || d.FromSent.P50 < d.FromAnswer.P50 || d.FromSent.Max < d.FromAnswer.Max {
				t.Errorf("from sent %+v must be positive and later than from answer %+v", d.FromSent, d.FromAnswer)
			}
			if d.LastStream.Max != d.FromAnswer.Max {
				t.Errorf("the last stream's worst %.3f ms is not the worst event %.3f ms", d.LastStream.Max, d.FromAnswer.Max)
			}
			if s := rep.Server; s == nil || s.RssAnonBeforeMiB <= 0 || s.RssAnonOpenMiB <= 0 || s.RssAnonPeakMiB < s.RssAnonOpenMiB || s.FanOutCPUSeconds < 0 {
				t.Errorf("server usage %+v", s)
			}
			for _, want := range []string{"20 opened, 0 failed", "60 of 60 events received, 0 missed", "event − POST answered", "KiB per stream"} {
				if !strings.Contains(table.String(), want) {
					t.Errorf("table lacks %q", want)
				}
			}
		})
	}
}

func TestStreamConfigValidate(t *testing.T) {
	for name, mut := range map[string]func(*StreamConfig){
		"NoStreams": func(s *StreamConfig) { s.Connections = 0 },
		"Tag":       func(s *StreamConfig) { s.Tag = "two words" },
		"Kind":      func(s *StreamConfig) { s.Kind = "grpc" },
		"Posts":     func(s *StreamConfig) { s.Posts = 0 },
		"Rate":      func(s *StreamConfig) { s.Rate = 0 },
		"Dial":      func(s *StreamConfig) { s.DialConcurrency = 0 },
		"Wait":      func(s *StreamConfig) { s.Wait = 0 },
	} {
		sc := DefaultStreamConfig()
		sc.Connections = 10
		mut(&sc)
		if sc.Validate() == nil {
			t.Errorf("%s: %+v accepted", name, sc)
		}
	}
	sc := DefaultStreamConfig()
	sc.Connections, sc.Tag = 10, " #adassspring"
	if err := sc.Validate(); err != nil || sc.Tag != "adassspring" {
		t.Fatalf("Validate = %v, tag %q", err, sc.Tag)
	}
}

func TestStreamEventIDs(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		sse      bool
		want     string
	}{
		{"SSE", `{"id":"1234","created_at":"2026-01-01T00:00:00Z","account":{"id":"9"}}`, true, "1234"},
		{"SSEOtherOrder", `{"created_at":"x","account":{"id":"9"},"id":"77"}`, true, "77"},
		{"SSEBroken", `{"id":`, true, ""},
		{"WebSocket", `{"stream":["hashtag","adassspring"],"event":"update","payload":"{\"id\":\"42\",\"account\":{\"id\":\"9\"}}"}`, false, "42"},
		{"WebSocketOtherOrder", `{"payload":"{\"account\":{\"id\":\"9\"},\"id\":\"43\"}","event":"update"}`, false, "43"},
		{"WebSocketSpaces", `{"event": "update", "payload": "{\"id\": \"44\"}"}`, false, "44"},
		{"WebSocketDelete", `{"stream":["hashtag","adassspring"],"event":"delete","payload":"42"}`, false, ""},
		{"WebSocketError", `{"error":"Unknown stream type","status":400}`, false, ""},
	} {
		var got string
		var ok bool
		if tc.sse {
			got, ok = statusID([]byte(tc.in))
		} else {
			got, ok = wsUpdateID([]byte(tc.in))
		}
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%s: got %q, %v; want %q", tc.name, got, ok, tc.want)
		}
	}
}
