package loadtest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func seq(from, to int32) []int32 {
	var out []int32
	for v := from; v <= to; v++ {
		out = append(out, v)
	}
	return out
}

func TestPercentile(t *testing.T) {
	for name, tc := range map[string]struct {
		sorted []int32
		p      []float64
		want   []int32
	}{
		"Empty":      {nil, []float64{0, 50, 100}, []int32{0, 0, 0}},
		"OneSample":  {[]int32{7}, []float64{0, 1, 50, 99, 100}, []int32{7, 7, 7, 7, 7}},
		"AllEqual":   {[]int32{3, 3, 3, 3}, []float64{0, 50, 90, 100}, []int32{3, 3, 3, 3}},
		"OneToTen":   {seq(1, 10), []float64{0, 10, 11, 50, 90, 99, 100}, []int32{1, 1, 2, 5, 9, 10, 10}},
		"OneTo100":   {seq(1, 100), []float64{50, 90, 99, 100}, []int32{50, 90, 99, 100}},
		"OneTo1000":  {seq(1, 1000), []float64{50, 90, 99, 99.9, 100}, []int32{500, 900, 990, 999, 1000}},
		"Outlier":    {[]int32{1, 1, 1, 1, 1, 1, 1, 1, 1, 500}, []float64{50, 90, 99, 100}, []int32{1, 1, 500, 500}},
		"TwoSamples": {[]int32{10, 20}, []float64{0, 50, 51, 100}, []int32{10, 10, 20, 20}},
	} {
		t.Run(name, func(t *testing.T) {
			var got []int32
			for _, p := range tc.p {
				got = append(got, Percentile(tc.sorted, p))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("percentiles %v (-want +got):\n%s", tc.p, diff)
			}
		})
	}
}

func TestStatsSummary(t *testing.T) {
	var s Stats
	if diff := cmp.Diff(Summary{Errors: map[string]int{}}, s.Summary()); diff != "" {
		t.Fatalf("empty summary (-want +got):\n%s", diff)
	}
	// Recorded out of order, in microseconds: 1..100 ms.
	for ms := 100; ms >= 1; ms-- {
		s.Record(time.Duration(ms)*time.Millisecond, nil)
	}
	s.Record(2*time.Second, &StatusError{Code: 500})
	s.Record(4*time.Second, &StatusError{Code: 500})
	s.Record(time.Millisecond, &StatusError{Code: 429})
	s.Record(time.Millisecond, errors.New("connection refused"))
	want := Summary{
		Requests: 104, OK: 100, Errors: map[string]int{"500": 2, "429": 1, "net": 1},
		Latency:      Percentiles{P50: 50, P90: 90, P99: 99, Max: 100},
		ErrorLatency: Percentiles{P50: 1, P90: 4000, P99: 4000, Max: 4000},
	}
	got := s.Summary()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("summary (-want +got):\n%s", diff)
	}
	if got.ErrorCount() != 4 {
		t.Fatalf("ErrorCount = %d, want 4", got.ErrorCount())
	}
}

func TestStatsMerge(t *testing.T) {
	var a, b Recorder
	a.Record(time.Millisecond, nil)
	a.Record(3*time.Millisecond, &StatusError{Code: 503})
	b.Record(2*time.Millisecond, nil)
	b.Record(5*time.Millisecond, &StatusError{Code: 503})
	b.Record(7*time.Millisecond, fmt.Errorf("read: %w", errors.New("reset")))
	var s Stats
	s.Add(&a)
	s.Add(&b)
	s.Add(&Recorder{}) // an idle worker
	got := s.Summary()
	want := Summary{
		Requests: 5, OK: 2, Errors: map[string]int{"503": 2, "net": 1},
		Latency:      Percentiles{P50: 1, P90: 2, P99: 2, Max: 2},
		ErrorLatency: Percentiles{P50: 5, P90: 7, P99: 7, Max: 7},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("merged summary (-want +got):\n%s", diff)
	}
	if a.Requests() != 2 || b.Requests() != 3 {
		t.Fatalf("Add changed its argument: %d, %d requests", a.Requests(), b.Requests())
	}
}

// TestStatsConcurrent records from many goroutines at once, directly and
// through per-worker Recorders; run it with -race.
func TestStatsConcurrent(t *testing.T) {
	const goroutines, each = 8, 1000
	var s Stats
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			var r Recorder
			for i := range each {
				d := time.Duration(i+1) * time.Microsecond
				var err error
				if i%100 == 0 {
					err = &StatusError{Code: 500}
				}
				if g%2 == 0 {
					s.Record(d, err)
				} else {
					r.Record(d, err)
				}
			}
			s.Add(&r)
		})
	}
	wg.Wait()
	got := s.Summary()
	if got.Requests != goroutines*each || got.Errors["500"] != goroutines*each/100 {
		t.Fatalf("summary = %d requests, errors %v; want %d and 500:%d", got.Requests, got.Errors, goroutines*each, goroutines*each/100)
	}
	if got.Latency.Max != 1 { // 1000 µs
		t.Fatalf("max = %v ms, want 1", got.Latency.Max)
	}
}

func TestMicrosClamps(t *testing.T) {
	for d, want := range map[time.Duration]int32{
		-time.Second:           0,
		1500 * time.Nanosecond: 1,
		time.Hour:              2147483647,
	} {
		if got := micros(d); got != want {
			t.Errorf("micros(%s) = %d, want %d", d, got, want)
		}
	}
}
