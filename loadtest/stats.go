package loadtest

import (
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Recorder collects the outcome of requests made by one goroutine. It is not
// safe for concurrent use: each worker owns one and hands it to Stats.Add when
// done, so the hot path takes no lock. The zero value is ready to use.
//
// Latencies are kept as int32 microseconds (up to about 35 minutes; longer
// ones are clamped), 4 bytes a request: a 60 s phase at 5,000 req/s is 1.2 MB.
type Recorder struct {
	ok     []int32
	failed []int32
	errors map[string]int
}

// Record notes one request that took d. A nil err is a success; otherwise the
// request counts as an error under ErrorKey(err).
func (r *Recorder) Record(d time.Duration, err error) {
	if err == nil {
		r.ok = append(r.ok, micros(d))
		return
	}
	r.RecordError(ErrorKey(err), d)
}

// RecordError notes a failed request under key, for example "500" or "net".
func (r *Recorder) RecordError(key string, d time.Duration) {
	if r.errors == nil {
		r.errors = map[string]int{}
	}
	r.errors[key]++
	r.failed = append(r.failed, micros(d))
}

// Requests is how many requests were recorded, successful or not.
func (r *Recorder) Requests() int { return len(r.ok) + len(r.failed) }

func (r *Recorder) merge(o *Recorder) {
	r.ok = append(r.ok, o.ok...)
	r.failed = append(r.failed, o.failed...)
	for k, n := range o.errors {
		if r.errors == nil {
			r.errors = map[string]int{}
		}
		r.errors[k] += n
	}
}

func micros(d time.Duration) int32 {
	us := d.Microseconds()
	switch {
	case us < 0:
		return 0
	case us > math.MaxInt32:
		return math.MaxInt32
	}
	return int32(us)
}

// ErrorKey names the kind of a failed request: its HTTP status as a number
// ("500", "429") for a *StatusError, and "net" for anything else (refused
// connection, reset, timeout, unreadable body).
func ErrorKey(err error) string {
	var se *StatusError
	if errors.As(err, &se) {
		return strconv.Itoa(se.Code)
	}
	return "net"
}

// Stats gathers the requests of a phase. It is safe for concurrent use: call
// Record from any goroutine, or Add a whole Recorder at once. The zero value
// is ready to use.
type Stats struct {
	mu  sync.Mutex
	all Recorder
}

// Record notes one request, as Recorder.Record does.
func (s *Stats) Record(d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all.Record(d, err)
}

// Add merges the requests of r into s. r is not changed.
func (s *Stats) Add(r *Recorder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all.merge(r)
}

// Summary sorts what was recorded and computes the percentiles.
func (s *Stats) Summary() Summary {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok := slices.Clone(s.all.ok)
	failed := slices.Clone(s.all.failed)
	slices.Sort(ok)
	slices.Sort(failed)
	errs := maps.Clone(s.all.errors)
	if errs == nil {
		errs = map[string]int{}
	}
	return Summary{
		Requests: len(ok) + len(failed), OK: len(ok), Errors: errs,
		Latency: percentilesOf(ok), ErrorLatency: percentilesOf(failed),
	}
}

// Summary is what a Stats holds, reduced to counts and percentiles.
type Summary struct {
	Requests     int            // successful and failed
	OK           int            // 2xx answers
	Errors       map[string]int // failures by ErrorKey; never nil
	Latency      Percentiles    // of successful requests only
	ErrorLatency Percentiles    // of failed requests only
}

// ErrorCount is the number of failed requests.
func (s Summary) ErrorCount() int { return s.Requests - s.OK }

// Percentiles are latencies in milliseconds. All are 0 when there were no samples.
type Percentiles struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

func percentilesOf(sorted []int32) Percentiles {
	ms := func(p float64) float64 { return float64(Percentile(sorted, p)) / 1000 }
	return Percentiles{P50: ms(50), P90: ms(90), P99: ms(99), Max: ms(100)}
}

// Percentile returns the p-th percentile (0 ≤ p ≤ 100) of sorted by the
// nearest-rank method: the smallest sample such that at least p% of the
// samples are at or below it. p = 100 is the maximum, p = 0 the minimum, and
// an empty slice gives 0.
func Percentile(sorted []int32, p float64) int32 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	// p*n/100 rather than p/100*n: exact for whole p and n, so 99% of 100 is rank 99, not 100.
	rank := int(math.Ceil(p * float64(n) / 100))
	rank = max(1, min(rank, n))
	return sorted[rank-1]
}
