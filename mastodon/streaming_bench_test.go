package mastodon_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"starling/loadtest"
)

// BenchmarkStreamFanOut holds streams of a hashtag open on an in-process
// server over loopback and posts b.N statuses with the hashtag, ten a
// second; it reports when the events arrived, from each POST's answer, over
// every (stream, post) pair. The load tool and the server share the
// process, so this is for comparing changes to the streaming code; the
// figures in docs/performance.md come from `starling bench --streams`
// against a separate server.
//
//	go test -run XXX -bench StreamFanOut -benchtime 20x ./mastodon
func BenchmarkStreamFanOut(b *testing.B) {
	for _, kind := range []string{loadtest.StreamWebSocket, loadtest.StreamSSE} {
		for _, n := range []int{100, 1000} {
			b.Run(fmt.Sprintf("%s/%d", kind, n), func(b *testing.B) {
				ts := MustServer(b, "sqlite")
				tokens := filepath.Join(b.TempDir(), "tokens.txt")
				if err := os.WriteFile(tokens, []byte(ts.MustUser(b, "poster").Token+"\n"), 0o600); err != nil {
					b.Fatal(err)
				}
				cfg := loadtest.DefaultConfig()
				cfg.BaseURL, cfg.TokensFile, cfg.Setup = ts.URL, tokens, loadtest.SetupNone
				sc := loadtest.DefaultStreamConfig()
				sc.Connections, sc.Kind, sc.Posts, sc.Rate, sc.Wait = n, kind, b.N, 10, 10*time.Second
				b.ResetTimer()
				rep, err := loadtest.RunStreams(context.Background(), cfg, sc)
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				d := rep.Delivery
				b.ReportMetric(d.FromAnswer.P50, "p50-ms")
				b.ReportMetric(d.FromAnswer.P99, "p99-ms")
				b.ReportMetric(d.LastStream.Max, "last-ms")
				b.ReportMetric(float64(d.Missed), "missed")
				b.ReportMetric(rep.Connect.PerSecond, "conns/s")
			})
		}
	}
}
