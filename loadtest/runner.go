package loadtest

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// Worker is one goroutine of a phase. Op functions make their requests
// through Do, so that they are timed and counted, and draw random choices
// from Rand, so that a run can be repeated.
type Worker struct {
	ID   int
	Rand *rand.Rand

	ctx         context.Context
	deadline    time.Time
	rec         Recorder
	first, last time.Time // start of the first and end of the last recorded request
}

// Do runs one request and records how long it took and whether it failed.
// A request started after the deadline still runs (an op may need to undo
// what it did) but is not recorded, and neither is one that failed because
// the run was interrupted.
func (w *Worker) Do(request func() error) error {
	start := time.Now()
	err := request()
	end := time.Now()
	if start.After(w.deadline) || err != nil && w.ctx.Err() != nil {
		return err
	}
	if w.first.IsZero() {
		w.first = start
	}
	w.last = end
	w.rec.Record(end.Sub(start), err)
	if err != nil && ErrorKey(err) == "net" {
		// A server that refuses connections answers in microseconds: pause
		// so the loop records failures instead of spinning.
		time.Sleep(10 * time.Millisecond)
	}
	return err
}

// Op is one unit of load: a request, or a few that belong together (read a
// timeline, then favourite a status from it). It runs to its end even past
// the deadline, so that what it changes it can also undo.
type Op func(ctx context.Context, w *Worker)

// Outcome is what RunWorkers measured.
type Outcome struct {
	Stats   *Stats
	Elapsed time.Duration // from the first request's start to the last one's end
}

// RunWorkers runs op in a loop on n goroutines for d, or until ctx ends. Each
// worker's random source is seeded from seed and its number, so the same
// seed gives the same choices. The elapsed time counts neither the time
// workers take to start nor the tail of ops that finish after the deadline.
func RunWorkers(ctx context.Context, n int, d time.Duration, seed uint64, op Op) Outcome {
	workers := make([]*Worker, n)
	deadline := time.Now().Add(d)
	for i := range workers {
		workers[i] = &Worker{ID: i, Rand: newRand(seed, uint64(i)), ctx: ctx, deadline: deadline}
	}
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(w.deadline) {
				op(ctx, w)
			}
		})
	}
	wg.Wait()

	run := Outcome{Stats: &Stats{}}
	var first, last time.Time
	for _, w := range workers {
		run.Stats.Add(&w.rec)
		if w.first.IsZero() {
			continue
		}
		if first.IsZero() || w.first.Before(first) {
			first = w.first
		}
		if w.last.After(last) {
			last = w.last
		}
	}
	if !first.IsZero() {
		run.Elapsed = last.Sub(first)
	}
	return run
}

// newRand returns a random source for one purpose (stream) of a run (seed).
func newRand(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }
