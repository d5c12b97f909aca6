package loadtest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRunWorkers(t *testing.T) {
	t.Run("CountsAndErrors", func(t *testing.T) {
		out := RunWorkers(context.Background(), 4, 150*time.Millisecond, 1, func(ctx context.Context, w *Worker) {
			fail := w.Rand.IntN(10) == 0
			_ = w.Do(func() error {
				time.Sleep(time.Millisecond)
				if fail {
					return &StatusError{Code: 503}
				}
				return nil
			})
		})
		s := out.Stats.Summary()
		if s.Requests < 20 || s.OK == 0 || s.Errors["503"] == 0 || len(s.Errors) != 1 {
			t.Fatalf("summary %+v: want many requests, some 503s and nothing else", s)
		}
		if out.Elapsed < 100*time.Millisecond || out.Elapsed > time.Second {
			t.Fatalf("elapsed %s for a 150ms phase", out.Elapsed)
		}
		if s.Latency.P50 < 1 {
			t.Fatalf("p50 %.3f ms for requests that sleep 1 ms", s.Latency.P50)
		}
	})
	t.Run("NotAfterDeadline", func(t *testing.T) {
		// Each op makes three 70 ms requests; the phase lasts 100 ms. The
		// third request starts after the deadline: it runs but is not counted.
		ran := make(chan int, 100)
		out := RunWorkers(context.Background(), 3, 100*time.Millisecond, 1, func(ctx context.Context, w *Worker) {
			for range 3 {
				_ = w.Do(func() error { time.Sleep(70 * time.Millisecond); ran <- w.ID; return nil })
			}
		})
		if got := out.Stats.Summary().Requests; got != 6 {
			t.Fatalf("%d requests recorded, want 2 for each of 3 workers", got)
		}
		if len(ran) != 9 {
			t.Fatalf("%d requests ran, want all 9", len(ran))
		}
		// The first two requests end at about 140 ms; the third is not counted.
		if out.Elapsed < 130*time.Millisecond || out.Elapsed > 200*time.Millisecond {
			t.Fatalf("elapsed %s, want about 140ms", out.Elapsed)
		}
	})
	t.Run("Interrupted", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		out := RunWorkers(ctx, 2, time.Minute, 1, func(ctx context.Context, w *Worker) {
			_ = w.Do(func() error {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(10 * time.Millisecond):
					return nil
				}
			})
		})
		if time.Since(start) > 5*time.Second {
			t.Fatal("did not stop when the context ended")
		}
		if s := out.Stats.Summary(); s.ErrorCount() != 0 || s.OK == 0 {
			t.Fatalf("summary %+v: requests cut short by the interruption must not count as errors", s)
		}
	})
	t.Run("NoRequests", func(t *testing.T) {
		out := RunWorkers(context.Background(), 2, 10*time.Millisecond, 1, func(ctx context.Context, w *Worker) {
			time.Sleep(time.Millisecond)
		})
		if out.Elapsed != 0 || out.Stats.Summary().Requests != 0 {
			t.Fatalf("an idle phase measured %s, %d requests", out.Elapsed, out.Stats.Summary().Requests)
		}
	})
}

// TestRunWorkersSeeded checks that each worker's random choices depend on the
// seed and its number only, so that runs can be repeated.
func TestRunWorkersSeeded(t *testing.T) {
	firstDraws := func(seed uint64) []int {
		got := make([]int, 3)
		RunWorkers(context.Background(), 3, 5*time.Millisecond, seed, func(ctx context.Context, w *Worker) {
			if got[w.ID] == 0 { // each worker writes only its own slot
				got[w.ID] = 1 + w.Rand.IntN(1_000_000)
			}
			time.Sleep(time.Millisecond)
		})
		return got
	}
	a := firstDraws(5)
	if diff := cmp.Diff(a, firstDraws(5)); diff != "" {
		t.Fatalf("same seed, different draws:\n%s", diff)
	}
	if a[0] == a[1] && a[1] == a[2] {
		t.Fatalf("workers draw the same numbers: %v", a)
	}
	if cmp.Equal(a, firstDraws(6)) {
		t.Fatal("different seeds, same draws")
	}
}

func TestErrorKey(t *testing.T) {
	for want, err := range map[string]error{
		"500": &StatusError{Code: 500},
		"429": errors.Join(errors.New("context"), &StatusError{Code: 429}),
		"net": context.DeadlineExceeded,
	} {
		if got := ErrorKey(err); got != want {
			t.Errorf("ErrorKey(%v) = %q, want %q", err, got, want)
		}
	}
}
