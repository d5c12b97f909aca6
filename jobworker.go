package starling

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// JobHandler does one job. It must be idempotent: after a crash the same
// job runs again.
type JobHandler func(ctx context.Context, j *Job) error

// Job timing defaults.
const (
	DefaultJobLease = 30 * time.Second // a dead server's jobs are taken over after this
	jobPoll         = time.Second      // how often idle workers look for due jobs
	jobBatch        = 32
	jobMaxAttempts  = 10
)

// JobWorker runs the jobs of the kinds it has handlers for. Every server
// runs one; the store's leases keep them from doing the same job at once.
type JobWorker struct {
	store    Store
	handlers map[string]JobHandler
	forever  map[string]bool // kinds retried past jobMaxAttempts; see KeepRetrying
	lease    time.Duration
	now      func() time.Time

	mu   sync.Mutex
	done map[string]int // kind → jobs run, for /metrics
	fail map[string]int // kind → runs that failed
}

// NewJobWorker returns a worker over store; lease 0 means DefaultJobLease.
func NewJobWorker(store Store, lease time.Duration) *JobWorker {
	if lease <= 0 {
		lease = DefaultJobLease
	}
	return &JobWorker{store: store, handlers: map[string]JobHandler{}, forever: map[string]bool{}, lease: lease,
		now:  func() time.Time { return time.Now().UTC() },
		done: map[string]int{}, fail: map[string]int{}}
}

// Handle sets the handler of a kind of job. Call it before Run.
func (w *JobWorker) Handle(kind string, h JobHandler) { w.handlers[kind] = h }

// KeepRetrying makes a failing job of kind retry for as long as it takes
// (every hour or so once its backoff is long), instead of being given up
// after jobMaxAttempts: for work that must happen in the end, such as
// erasing an account, whatever outage stands in its way for a while.
func (w *JobWorker) KeepRetrying(kind string) { w.forever[kind] = true }

// Lease is how long a claimed job stays with its worker.
func (w *JobWorker) Lease() time.Duration { return w.lease }

// Enqueue stores a job of kind with args (JSON) in tx, leased to this
// worker: call RunLeased with it once tx has committed.
func (w *JobWorker) Enqueue(ctx context.Context, tx Tx, kind string, args []byte) (*Job, error) {
	now := w.now()
	j := &Job{Kind: kind, Args: args}
	if err := tx.EnqueueJob(ctx, j, now, now.Add(w.lease)); err != nil {
		return nil, err
	}
	return j, nil
}

// RunLeased runs jobs this worker enqueued, right after their transaction
// committed, so their effect follows the change at once. A job that fails
// is left to the background loop to retry.
func (w *JobWorker) RunLeased(ctx context.Context, jobs []*Job) {
	for _, j := range jobs {
		w.runOne(ctx, j)
	}
}

// Run claims and runs due jobs until ctx ends: jobs that failed and are due
// again, and jobs whose worker died before finishing them.
func (w *JobWorker) Run(ctx context.Context) {
	t := time.NewTicker(jobPoll)
	defer t.Stop()
	for {
		n, err := w.RunDue(ctx)
		if err != nil && ctx.Err() == nil {
			slog.ErrorContext(ctx, "jobs: claim", "err", err)
		}
		if n == jobBatch {
			continue // more may be waiting
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunDue claims one batch of due jobs, runs them and returns how many it ran.
func (w *JobWorker) RunDue(ctx context.Context) (int, error) {
	var jobs []*Job
	now := w.now()
	err := w.store.Update(ctx, func(tx Tx) (err error) {
		jobs, err = tx.ClaimJobs(ctx, now, now.Add(w.lease), jobBatch)
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, j := range jobs {
		w.runOne(ctx, j)
	}
	return len(jobs), nil
}

// runOne runs a leased job and records the outcome: removed when done,
// freed for a retry with a growing delay when not, given up on after
// jobMaxAttempts.
func (w *JobWorker) runOne(ctx context.Context, j *Job) {
	h := w.handlers[j.Kind]
	var err error
	if h == nil {
		err = fmt.Errorf("no handler for jobs of kind %q", j.Kind)
	} else {
		err = safeRun(ctx, h, j)
	}
	w.mu.Lock()
	w.done[j.Kind]++
	if err != nil {
		w.fail[j.Kind]++
	}
	w.mu.Unlock()
	ctx = context.WithoutCancel(ctx) // record the outcome even as the server stops
	if err == nil {
		err = w.store.Update(ctx, func(tx Tx) error { return tx.FinishJob(ctx, j.ID) })
		if err != nil {
			slog.ErrorContext(ctx, "jobs: finish", "kind", j.Kind, "id", j.ID, "err", err)
		}
		return
	}
	slog.WarnContext(ctx, "jobs: failed", "kind", j.Kind, "id", j.ID, "attempt", j.Attempts, "err", err)
	var at time.Time // zero: give up
	if j.Attempts < jobMaxAttempts || w.forever[j.Kind] {
		at = w.now().Add(time.Duration(1<<min(j.Attempts, 12)) * time.Second)
	}
	if err := w.store.Update(ctx, func(tx Tx) error { return tx.RetryJob(ctx, j.ID, at, err.Error()) }); err != nil {
		slog.ErrorContext(ctx, "jobs: record failure", "kind", j.Kind, "id", j.ID, "err", err)
	}
}

// safeRun turns a handler's panic into an error, so one bad job cannot
// stop the worker.
func safeRun(ctx context.Context, h JobHandler, j *Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New(fmt.Sprint("panic: ", r))
		}
	}()
	return h(ctx, j)
}

// Counts returns, per kind, the jobs run and the runs that failed since start.
func (w *JobWorker) Counts() (done, failed map[string]int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	done, failed = make(map[string]int, len(w.done)), make(map[string]int, len(w.fail))
	for k, v := range w.done {
		done[k] = v
	}
	for k, v := range w.fail {
		failed[k] = v
	}
	return done, failed
}

// Queue counts the jobs of all servers by state, for /metrics.
func (w *JobWorker) Queue(ctx context.Context) (map[string]int, error) {
	s, err := w.store.JobStats(ctx, w.now())
	if err != nil {
		return nil, err
	}
	return map[string]int{"due": s.Due, "leased": s.Leased, "later": s.Later, "gave_up": s.GaveUp}, nil
}

// SetClock sets the worker's clock, for tests that move time on. Call it before Run.
func (w *JobWorker) SetClock(now func() time.Time) { w.now = now }
