package starling_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"starling"
	"starling/sqldb"
	"starling/sqldb/sqldbtest"
)

// TestJobsRunOnceAcrossWorkers: jobs enqueued in transactions are each run
// exactly once by several workers claiming at the same time — on
// PostgreSQL through two separate connection pools, as two servers would.
func TestJobsRunOnceAcrossWorkers(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		dsn := sqldbtest.MustDSN(t, engine)
		data := t.TempDir()
		var stores []*sqldb.DB
		for range 2 {
			db, err := sqldb.Open(ctx, dsn, data)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			stores = append(stores, db)
		}
		const n = 300
		if err := stores[0].Update(ctx, func(tx starling.Tx) error {
			for i := range n {
				if err := tx.EnqueueJob(ctx, &starling.Job{Kind: "count", Args: fmt.Appendf(nil, "%d", i)}, time.Now(), time.Time{}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		runs := map[string]int{}
		count := func(ctx context.Context, j *starling.Job) error {
			mu.Lock()
			runs[string(j.Args)]++
			mu.Unlock()
			return nil
		}
		var wg sync.WaitGroup
		for i := range 4 {
			w := starling.NewJobWorker(stores[i%2], time.Minute)
			w.Handle("count", count)
			wg.Go(func() {
				for {
					if k, err := w.RunDue(ctx); err != nil {
						t.Error(err)
						return
					} else if k == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		if len(runs) != n {
			t.Fatalf("%d of %d jobs ran", len(runs), n)
		}
		for args, k := range runs {
			if k != 1 {
				t.Fatalf("job %s ran %d times", args, k)
			}
		}
		if st, err := stores[1].JobStats(ctx, time.Now()); err != nil || st != (starling.JobStats{}) {
			t.Fatalf("after the run the job table holds %+v (%v), want nothing", st, err)
		}
	})
}

// TestJobLeaseTakenOver: a job leased by a server that died is run by
// another worker once the lease ends, not before; a failing job is retried
// later and its error kept.
func TestJobLeaseTakenOver(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.MustOpen(t, engine)
		dead := starling.NewJobWorker(db, 300*time.Millisecond)
		var leased *starling.Job
		if err := db.Update(ctx, func(tx starling.Tx) (err error) {
			leased, err = dead.Enqueue(ctx, tx, "work", []byte(`{}`))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		// dead never runs it: it was killed after the commit.
		var ran int
		alive := starling.NewJobWorker(db, time.Minute)
		alive.Handle("work", func(context.Context, *starling.Job) error { ran++; return nil })
		if n, err := alive.RunDue(ctx); err != nil || n != 0 {
			t.Fatalf("a leased job was claimed before its lease ended: %d, %v", n, err)
		}
		time.Sleep(350 * time.Millisecond)
		if n, err := alive.RunDue(ctx); err != nil || n != 1 || ran != 1 {
			t.Fatalf("after the lease: ran %d claimed %d (%v), want the job %d run once", ran, n, err, leased.ID)
		}

		failing := starling.NewJobWorker(db, time.Minute)
		failing.Handle("flaky", func(context.Context, *starling.Job) error { return errors.New("remote said no") })
		if err := db.Update(ctx, func(tx starling.Tx) error {
			return tx.EnqueueJob(ctx, &starling.Job{Kind: "flaky", Args: []byte(`{}`)}, time.Now(), time.Time{})
		}); err != nil {
			t.Fatal(err)
		}
		if n, _ := failing.RunDue(ctx); n != 1 {
			t.Fatalf("claimed %d flaky jobs, want 1", n)
		}
		st, err := db.JobStats(ctx, time.Now())
		if err != nil || st.Later != 1 || st.Due != 0 {
			t.Fatalf("after one failure: %+v %v, want it waiting for a retry", st, err)
		}
		if n, _ := failing.RunDue(ctx); n != 0 {
			t.Fatal("a failed job was retried at once")
		}
		if _, failed := failing.Counts(); failed["flaky"] != 1 {
			t.Fatalf("failures counted: %v", failed)
		}
	})
}

// TestJobKeepRetrying: a failing job is given up after its tenth attempt,
// unless its kind keeps retrying, as erasing an account does.
func TestJobKeepRetrying(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.MustOpen(t, "sqlite")
	w := starling.NewJobWorker(db, time.Minute)
	fail := func(context.Context, *starling.Job) error { return errors.New("storage unavailable") }
	w.Handle("once", fail)
	w.Handle("must", fail)
	w.KeepRetrying("must")
	start := time.Now().UTC()
	if err := db.Update(ctx, func(tx starling.Tx) error {
		for _, kind := range []string{"once", "must"} {
			if err := tx.EnqueueJob(ctx, &starling.Job{Kind: kind, Args: []byte(`{}`)}, start, time.Time{}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for i := range 14 {
		now := start.Add(time.Duration(i) * 3 * time.Hour) // past any backoff
		w.SetClock(func() time.Time { return now })
		n, err := w.RunDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ran += n
	}
	// "once" ran 10 times and was given up; "must" ran every round.
	if ran != 10+14 {
		t.Fatalf("ran %d jobs in 14 rounds, want 10 of the one given up and 14 of the one that keeps retrying", ran)
	}
}
